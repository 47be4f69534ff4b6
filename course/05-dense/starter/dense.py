"""Exercise 5: Glorot initialisation and the Dense layer.

Write the functions marked TODO, then the four methods of `Dense`, following the
template of every minikeras layer: `__init__` stores the arguments, `build` creates the
weights with `add_weight`, `call` is a few lines of `minikeras.ops`, then
`compute_output_shape` and `get_config`. Run the public tests with
`minikeras course check 05-dense`.
"""
import math  # noqa: F401

import numpy as np  # noqa: F401

from minikeras import activations, ops  # noqa: F401
from minikeras.layers import Layer


def compute_fans(shape):
    """Returns the number of inputs and outputs of a weight, as Keras 2 counts them.

    # Arguments
        shape: a kernel's shape: `(in, out)` for Dense, `(kh, kw, in, out)` for Conv2D.

    # Returns
        A pair `(fan_in, fan_out)`.
    """
    # TODO: a 2-D kernel has (in, out); a convolution kernel multiplies both by its
    # receptive field, the product of all the axes but the last two.
    raise NotImplementedError("TODO: write compute_fans")


def glorot_uniform(shape, rng):
    """Draws a kernel from Glorot's uniform distribution.

    The limit `sqrt(6 / (fan_in + fan_out))` gives the weights a variance of
    `2 / (fan_in + fan_out)`, which keeps the scale of signals (forward) and of
    gradients (backward) roughly constant from layer to layer.

    # Arguments
        shape: the kernel's shape.
        rng: a `numpy.random.Generator`.

    # Returns
        A float64 array of that shape, uniform in `[-limit, limit]`.
    """
    # TODO: uniform in [-limit, limit], limit = sqrt(6 / (fan_in + fan_out)); use rng.
    raise NotImplementedError("TODO: write glorot_uniform")


def dense_forward(x, kernel, bias):
    """Computes `x @ kernel + bias`.

    # Arguments
        x: the inputs, shape `(batch, in)`.
        kernel: shape `(in, out)`.
        bias: shape `(out,)`.

    # Returns
        The outputs, shape `(batch, out)`.
    """
    # TODO
    raise NotImplementedError("TODO: write dense_forward")


def dense_backward(grad_output, x, kernel):
    """Computes the gradients of `dense_forward` with respect to its three inputs.

    # Arguments
        grad_output: the gradient of the outputs, shape `(batch, out)`.
        x: the forward inputs, shape `(batch, in)`.
        kernel: the forward kernel, shape `(in, out)`.

    # Returns
        A triple `(grad_x, grad_kernel, grad_bias)` of shapes `(batch, in)`, `(in, out)`
        and `(out,)`.
    """
    # TODO: each gradient has the shape of what it is the gradient of.
    raise NotImplementedError("TODO: write dense_backward")


class Dense(Layer):
    """A densely-connected layer: `output = activation(inputs @ kernel + bias)`.

    # Arguments
        units: the number of outputs.
        activation: an activation name or function; `None` for none.
        use_bias: whether to add a bias.
        seed: seeds the Glorot initialisation of the kernel.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        `(batch, input_dim)`.

    # Output shape
        `(batch, units)`.
    """

    def __init__(self, units, activation=None, use_bias=True, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.seed = seed

    def build(self, input_shape):
        """Creates `kernel` `(input_dim, units)` (Glorot uniform) and `bias` `(units,)` (zeros).

        # Arguments
            input_shape: the input's shape.
        """
        # TODO: self.kernel = self.add_weight("kernel", shape, initializer=...), where the
        # initializer is a function (shape, dtype) -> array that calls glorot_uniform with
        # np.random.default_rng(self.seed); then self.bias (zeros) if use_bias, else None.
        raise NotImplementedError("TODO: write Dense.build")

    def call(self, inputs):
        """Computes `activation(inputs @ kernel + bias)` with minikeras ops.

        # Arguments
            inputs: a tensor of shape `(batch, input_dim)`.

        # Returns
            A tensor of shape `(batch, units)`.
        """
        # TODO: ops.matmul, add the bias if there is one, then the activation.
        raise NotImplementedError("TODO: write Dense.call")

    def compute_output_shape(self, input_shape):
        """Replaces the last axis by `units`.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.
        """
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        """Returns the layer's arguments.

        # Returns
            A dict.
        """
        # TODO: the base layer's config, plus units, activation (serialized with
        # activations.serialize), use_bias and seed.
        raise NotImplementedError("TODO: write Dense.get_config")
