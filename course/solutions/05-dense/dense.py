"""Exercise 5, reference solution: Glorot initialisation and the Dense layer."""
import math

import numpy as np

from minikeras import activations, ops
from minikeras.layers import Layer


def compute_fans(shape):
    """Returns the number of inputs and outputs of a weight, as Keras 2 counts them.

    # Arguments
        shape: a kernel's shape: `(in, out)` for Dense, `(kh, kw, in, out)` for Conv2D.

    # Returns
        A pair `(fan_in, fan_out)`.
    """
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = int(np.prod(shape[:-2]))
    return shape[-2] * receptive_field, shape[-1] * receptive_field


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
    fan_in, fan_out = compute_fans(shape)
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def dense_forward(x, kernel, bias):
    """Computes `x @ kernel + bias`.

    # Arguments
        x: the inputs, shape `(batch, in)`.
        kernel: shape `(in, out)`.
        bias: shape `(out,)`.

    # Returns
        The outputs, shape `(batch, out)`.
    """
    return x @ kernel + bias


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
    grad_x = grad_output @ kernel.T
    grad_kernel = x.T @ grad_output
    grad_bias = grad_output.sum(axis=0)
    return grad_x, grad_kernel, grad_bias


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
        rng = np.random.default_rng(self.seed)
        self.kernel = self.add_weight(
            "kernel", (input_shape[-1], self.units),
            initializer=lambda shape, dtype=None: glorot_uniform(shape, rng).astype(dtype))
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.units,), initializer="zeros")

    def call(self, inputs):
        """Computes `activation(inputs @ kernel + bias)` with minikeras ops.

        # Arguments
            inputs: a tensor of shape `(batch, input_dim)`.

        # Returns
            A tensor of shape `(batch, units)`.
        """
        outputs = ops.matmul(inputs, self.kernel)
        if self.use_bias:
            outputs = outputs + self.bias
        return self.activation(outputs)

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
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias, "seed": self.seed}
