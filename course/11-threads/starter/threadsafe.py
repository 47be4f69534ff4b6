"""Exercise 11: a layer that many threads can call at once.

Read the README first: it shows the layer as it is often first written, keeping its
inputs on `self` for the backward pass, and why two threads break it. Write
`scaled_tanh` (an op whose backward keeps its own values), the `ScaledTanh` layer
that uses it, and `predict_in_threads`. Run the public tests with
`minikeras course check 11-threads`.
"""
from concurrent.futures import ThreadPoolExecutor  # noqa: F401

import numpy as np  # noqa: F401

from minikeras.autograd import record, unbroadcast  # noqa: F401
from minikeras.autograd.tensor import as_tensor  # noqa: F401
from minikeras.layers import Layer


def scaled_tanh(x, scale):
    """Computes `scale * tanh(x)`, recording a backward that keeps what it needs itself.

    The backward is a closure: the values it needs (`tanh(x)` and the scale, as they
    were during this call) are captured when the op runs and live on the tape with it,
    never on a layer, so two calls in flight at once cannot mix them up.

    # Arguments
        x: a tensor of shape `(batch, features)`.
        scale: a tensor of shape `(features,)`.

    # Returns
        A `Tensor`, `scale * tanh(x)`.
    """
    # TODO: compute tanh(x) and keep it, and the scale's current value, in local
    # variables; define backward(grad) returning (grad_x, grad_scale) from those locals
    # (the scale's gradient summed down to its shape); return record(value, (x, scale),
    # backward).
    raise NotImplementedError("TODO: write scaled_tanh")


class ScaledTanh(Layer):
    """Applies `scale * tanh(inputs)` with a trainable scale per feature, and no state.

    # Arguments
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        `(batch, features)`.

    # Output shape
        The same.
    """

    def build(self, input_shape):
        """Creates `scale`, of shape `(features,)`, initialised to ones.

        # Arguments
            input_shape: the input's shape.
        """
        # TODO: self.scale = self.add_weight(...) of shape (features,), initializer "ones".
        raise NotImplementedError("TODO: write ScaledTanh.build")

    def call(self, inputs):
        """Computes `scale * tanh(inputs)`, keeping nothing on the layer.

        # Arguments
            inputs: a tensor of shape `(batch, features)`.

        # Returns
            A tensor of the same shape.
        """
        # TODO: one line, and no `self.something = ...` in it.
        raise NotImplementedError("TODO: write ScaledTanh.call")

    def compute_output_shape(self, input_shape):
        """The output has the input's shape.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The same shape.
        """
        return input_shape


def predict_in_threads(model, batches, n_threads=4):
    """Runs `model.predict` on several batches at once, in a pool of threads.

    # Arguments
        model: a minikeras model.
        batches: a list of input arrays.
        n_threads: how many threads.

    # Returns
        The list of the predictions, in the order of `batches`.
    """
    # TODO: a ThreadPoolExecutor; pool.map keeps the order of its inputs.
    raise NotImplementedError("TODO: write predict_in_threads")
