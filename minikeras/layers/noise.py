"""Noise layers: regularization by random noise, active only in training.

They are GaussianNoise, GaussianDropout and AlphaDropout.

Outside training (`training` false or None, as in `predict` and `evaluate`) each layer
passes its input through unchanged. The noise is drawn from `backend.rng()`, so
`backend.set_seed` makes it reproducible.
"""
import numbers

import numpy as np

from minikeras import backend
from minikeras.autograd import ops
from minikeras.autograd.ops.nn import SELU_ALPHA, SELU_SCALE
from minikeras.engine.base_layer import Layer
from minikeras.layers.core import Dropout, check_number, check_rate


class _Noise(Layer):
    """The base of the noise layers: the output has the input's shape.

    # Arguments
        **kwargs: `seed` (Keras 3), an integer for a reproducible sequence of noise drawn
            from the layer's own generator, and the base `Layer` arguments.
    """

    def __init__(self, **kwargs):
        seed = kwargs.pop("seed", None)
        super().__init__(**kwargs)
        self.supports_masking = True
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(f"{type(self).__name__}: `seed` must be None or an integer; "
                             f"received {seed!r}.")
        self.seed = seed
        self._seed_generator = None if seed is None else np.random.default_rng(seed)

    def _generator(self):
        return self._seed_generator if self._seed_generator is not None else backend.rng()

    def compute_output_shape(self, input_shape):
        """Returns the input shape unchanged.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The same shape.
        """
        return tuple(input_shape)

    def get_config(self):
        """Returns the arguments of the layer (with `seed` when one was given).

        # Returns
            A dict.
        """
        config = super().get_config()
        if self.seed is not None:
            config["seed"] = self.seed
        return config


class GaussianNoise(_Noise):
    """Adds zero-centered Gaussian noise, in training only.

    Useful to mitigate overfitting (a form of random data augmentation). Gaussian noise
    is a natural choice of corruption process for real-valued inputs.

    # Arguments
        stddev: the standard deviation of the noise, a float >= 0.
        **kwargs: `seed` (Keras 3), an integer for a reproducible sequence of noise, and the
            base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary.

    # Output shape
        Same shape as the input.
    """

    def __init__(self, stddev, **kwargs):
        super().__init__(**kwargs)
        self.stddev = check_number("GaussianNoise", "stddev", stddev, minimum=0)

    def call(self, inputs, training=None):
        """Adds `normal(0, stddev)` noise in training; returns the inputs otherwise.

        # Arguments
            inputs: a tensor.
            training: whether the call is part of training.

        # Returns
            A tensor of the input's shape.
        """
        if not training:
            return inputs
        noise = self._generator().normal(0.0, self.stddev, size=inputs.shape)
        return inputs + noise.astype(inputs.dtype)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "stddev": self.stddev}


class GaussianDropout(_Noise):
    """Multiplies the inputs by 1-centered Gaussian noise, in training only.

    The noise has standard deviation `sqrt(rate / (1 - rate))`.

    # Arguments
        rate: the drop probability it corresponds to (as for `Dropout`), a float in
            `[0, 1)`.
        **kwargs: `seed` (Keras 3), an integer for a reproducible sequence of noise, and the
            base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary.

    # Output shape
        Same shape as the input.

    # References
        - [Dropout: A Simple Way to Prevent Neural Networks from Overfitting](
           http://www.cs.toronto.edu/~rsalakhu/papers/srivastava14a.pdf)
    """

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_rate("GaussianDropout", "rate", rate)

    def call(self, inputs, training=None):
        """Multiplies by `normal(1, sqrt(rate / (1 - rate)))` noise in training.

        # Arguments
            inputs: a tensor.
            training: whether the call is part of training.

        # Returns
            A tensor of the input's shape.
        """
        if not training or self.rate == 0:
            return inputs
        stddev = np.sqrt(self.rate / (1.0 - self.rate))
        noise = self._generator().normal(1.0, stddev, size=inputs.shape)
        return inputs * noise.astype(inputs.dtype)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "rate": self.rate}


class AlphaDropout(Dropout):
    """Alpha dropout: dropout that keeps the mean and variance of its inputs, for SELU nets.

    In training, a fraction `rate` of the inputs is set to SELU's negative saturation
    value `-alpha * scale`, then an affine map `a * x + b` restores the mean and variance
    the inputs had (assuming zero mean and unit variance). This keeps the
    self-normalizing property of `selu` networks. Outside training the inputs pass
    unchanged.

    # Arguments
        rate: the fraction of the inputs to drop, a float in `[0, 1)`.
        noise_shape: the shape of the binary dropout mask, as for `Dropout`, or `None`.
        seed: an integer for a reproducible sequence of masks, or `None`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary.

    # Output shape
        Same shape as the input.

    # References
        - [Self-Normalizing Neural Networks](https://arxiv.org/abs/1706.02515)
    """

    def call(self, inputs, training=None):
        """Applies alpha dropout in training; returns the inputs otherwise.

        # Arguments
            inputs: a tensor.
            training: whether the call is part of training.

        # Returns
            A tensor of the input's shape.
        """
        if not training or self.rate == 0:
            return inputs
        rate = self.rate
        alpha_p = -SELU_ALPHA * SELU_SCALE
        kept = (self._generator().random(self._get_noise_shape(inputs)) >= rate)
        kept = kept.astype(inputs.dtype)
        # The affine map that restores zero mean and unit variance.
        a = ((1 - rate) * (1 + rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * rate
        dropped = inputs * kept + (alpha_p * (1 - kept)).astype(inputs.dtype)
        return ops.add(a * dropped, b)
