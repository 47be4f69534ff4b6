"""Exercise 11, reference solution: a layer that many threads can call at once."""
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from minikeras.autograd import record, unbroadcast
from minikeras.autograd.tensor import as_tensor
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
    x, scale = as_tensor(x), as_tensor(scale)
    tanh_x = np.tanh(x.value)
    scale_value = scale.value

    def backward(grad):
        grad_x = grad * scale_value * (1 - tanh_x ** 2)
        grad_scale = unbroadcast(grad * tanh_x, scale_value.shape)
        return grad_x, grad_scale

    return record(scale_value * tanh_x, (x, scale), backward)


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
        self.scale = self.add_weight("scale", (input_shape[-1],), initializer="ones")

    def call(self, inputs):
        """Computes `scale * tanh(inputs)`, keeping nothing on the layer.

        # Arguments
            inputs: a tensor of shape `(batch, features)`.

        # Returns
            A tensor of the same shape.
        """
        return scaled_tanh(inputs, self.scale)

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
    with ThreadPoolExecutor(max_workers=n_threads) as pool:
        return list(pool.map(model.predict, batches))
