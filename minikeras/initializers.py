"""Initializers: the starting values of a layer's weights, with Keras 2's formulas.

An initializer is called with a shape and returns a NumPy array:
`GlorotUniform()((784, 64))`. Unseeded initializers draw from `backend.rng()`, so
`backend.set_seed(...)` makes a whole run reproducible; an initializer given a `seed`
uses its own generator and returns the same values at every call.
"""
import math

import numpy as np

from minikeras import backend
from minikeras.utils.generic_utils import deserialize_keras_object, serialize_keras_object

# The standard deviation of a standard normal truncated to [-2, 2]
# (scipy.stats.truncnorm.std(a=-2, b=2)); dividing by it restores the wanted variance.
TRUNCATED_NORMAL_STDDEV = 0.87962566103423978

_FAN_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("normal", "truncated_normal", "untruncated_normal", "uniform")


def compute_fans(shape):
    """Computes the number of input and output units of a weight, as Keras 2 does.

    A dense kernel `(in, out)` has `in` inputs and `out` outputs. A convolution kernel
    `(..., in, out)` (1-D, 2-D or 3-D) multiplies both by its receptive field, the
    product of its spatial lengths. Any other shape gets `sqrt(size)` for both.

    # Arguments
        shape: the weight's shape, a tuple of ints.

    # Returns
        A pair `(fan_in, fan_out)`.
    """
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) in (3, 4, 5):
        receptive_field = int(np.prod(shape[:-2]))
        return shape[-2] * receptive_field, shape[-1] * receptive_field
    fan = math.sqrt(int(np.prod(shape)))
    return fan, fan


def _as_shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(length) for length in shape)


def _truncated_normal(generator, shape, mean, stddev):
    """Draws normal values, redrawing those farther than two standard deviations from the mean."""
    values = generator.normal(mean, stddev, size=shape)
    outside = np.abs(values - mean) > 2 * stddev
    while outside.any():
        values[outside] = generator.normal(mean, stddev, size=int(outside.sum()))
        outside = np.abs(values - mean) > 2 * stddev
    return values


class Initializer:
    """Base class of the initializers: a callable returning an array for a shape.

    Subclasses implement `__call__(shape, dtype=None)` and, when they take arguments,
    `get_config`.
    """

    def __call__(self, shape, dtype=None):
        """Returns the initial values for a weight.

        # Arguments
            shape: the weight's shape, a tuple of ints.
            dtype: the dtype of the result, `backend.floatx()` by default.

        # Returns
            A NumPy array.
        """
        raise NotImplementedError(f"{type(self).__name__} does not implement __call__.")

    def get_config(self):
        """Returns the initializer's arguments, as a dictionary.

        # Returns
            A dictionary that `from_config` turns back into the same initializer.
        """
        return {}

    @classmethod
    def from_config(cls, config):
        """Builds an initializer from its config.

        # Arguments
            config: a dictionary, as returned by `get_config` (a `dtype` key, which
                Keras 2 could write, is ignored).

        # Returns
            An initializer.
        """
        config = dict(config)
        config.pop("dtype", None)
        return cls(**config)

    def _generator(self):
        """Its own generator for a seeded initializer, else minikeras's shared one."""
        seed = getattr(self, "seed", None)
        return backend.rng() if seed is None else np.random.default_rng(seed)


def _dtype(dtype):
    return np.dtype(dtype or backend.floatx())


class Zeros(Initializer):
    """Initializer that generates arrays of zeros."""

    def __call__(self, shape, dtype=None):
        return np.zeros(_as_shape(shape), dtype=_dtype(dtype))


class Ones(Initializer):
    """Initializer that generates arrays of ones."""

    def __call__(self, shape, dtype=None):
        return np.ones(_as_shape(shape), dtype=_dtype(dtype))


class Constant(Initializer):
    """Initializer that fills arrays with a constant.

    # Arguments
        value: the value of every element.
    """

    def __init__(self, value=0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return np.full(_as_shape(shape), self.value, dtype=_dtype(dtype))

    def get_config(self):
        """Returns the initializer's configuration: its `value`.

        # Returns
            A dictionary that `from_config` turns back into the same initializer.
        """
        return {"value": self.value}


class RandomNormal(Initializer):
    """Initializer that draws from a normal distribution.

    # Arguments
        mean: the mean of the values.
        stddev: their standard deviation.
        seed: an integer for reproducible values, or `None`.
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed

    def __call__(self, shape, dtype=None):
        values = self._generator().normal(self.mean, self.stddev, size=_as_shape(shape))
        return values.astype(_dtype(dtype))

    def get_config(self):
        """Returns the initializer's configuration: its `mean`, `stddev` and `seed`.

        # Returns
            A dictionary that `from_config` turns back into the same initializer.
        """
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(Initializer):
    """Initializer that draws from a uniform distribution on `[minval, maxval)`.

    # Arguments
        minval: the lower bound.
        maxval: the upper bound.
        seed: an integer for reproducible values, or `None`.
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        self.seed = seed

    def __call__(self, shape, dtype=None):
        values = self._generator().uniform(self.minval, self.maxval, size=_as_shape(shape))
        return values.astype(_dtype(dtype))

    def get_config(self):
        """Returns the initializer's configuration: its `minval`, `maxval` and `seed`.

        # Returns
            A dictionary that `from_config` turns back into the same initializer.
        """
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class TruncatedNormal(Initializer):
    """Initializer that draws from a normal distribution truncated at two standard deviations.

    Values farther than `2 * stddev` from the mean are drawn again, as Keras does.

    # Arguments
        mean: the mean of the (untruncated) distribution.
        stddev: its standard deviation.
        seed: an integer for reproducible values, or `None`.
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed

    def __call__(self, shape, dtype=None):
        values = _truncated_normal(self._generator(), _as_shape(shape), self.mean, self.stddev)
        return values.astype(_dtype(dtype))

    def get_config(self):
        """Returns the initializer's configuration: its `mean`, `stddev` and `seed`.

        # Returns
            A dictionary that `from_config` turns back into the same initializer.
        """
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class VarianceScaling(Initializer):
    """Initializer whose scale adapts to the number of units of the weight.

    With `n` the fan chosen by `mode` (see `compute_fans`):
    - `distribution="normal"` or `"truncated_normal"`: a normal truncated at two
      standard deviations, of standard deviation `sqrt(scale / n) / 0.8796...` (so that
      the truncated values have variance `scale / n`);
    - `distribution="untruncated_normal"`: a normal of standard deviation `sqrt(scale / n)`;
    - `distribution="uniform"`: uniform on `[-limit, limit]` with `limit = sqrt(3 * scale / n)`.

    # Arguments
        scale: the scaling factor, a positive float.
        mode: `"fan_in"`, `"fan_out"` or `"fan_avg"` (the mean of the two).
        distribution: `"normal"`, `"truncated_normal"`, `"untruncated_normal"` or `"uniform"`.
        seed: an integer for reproducible values, or `None`.

    # Raises
        ValueError: for a scale that is not positive, or an unknown mode or distribution.
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="normal", seed=None):
        if scale <= 0.0:
            raise ValueError(f"VarianceScaling's scale must be a positive float; received {scale}.")
        mode = str(mode).lower()
        if mode not in _FAN_MODES:
            raise ValueError(
                f"VarianceScaling's mode must be one of {_FAN_MODES}; received {mode!r}."
            )
        distribution = str(distribution).lower()
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(
                f"VarianceScaling's distribution must be one of {_DISTRIBUTIONS}; "
                f"received {distribution!r}."
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.seed = seed

    def __call__(self, shape, dtype=None):
        shape = _as_shape(shape)
        variance = self.scale / max(1.0, self._fan(shape))
        generator = self._generator()
        if self.distribution in ("normal", "truncated_normal"):
            stddev = math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV
            values = _truncated_normal(generator, shape, 0.0, stddev)
        elif self.distribution == "untruncated_normal":
            values = generator.normal(0.0, math.sqrt(variance), size=shape)
        else:
            limit = math.sqrt(3.0 * variance)
            values = generator.uniform(-limit, limit, size=shape)
        return values.astype(_dtype(dtype))

    def _fan(self, shape):
        fan_in, fan_out = compute_fans(shape)
        if self.mode == "fan_in":
            return fan_in
        if self.mode == "fan_out":
            return fan_out
        return (fan_in + fan_out) / 2.0

    def get_config(self):
        """Returns the initializer's configuration: `scale`, `mode`, `distribution` and `seed`.

        # Returns
            A dictionary that `from_config` turns back into the same initializer.
        """
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}

    @classmethod
    def from_config(cls, config):
        """Builds the initializer from its config.

        Keras 3 writes `input_axes` and `output_axes` (which axes count as fans); `None`,
        the default, is accepted and means the Keras 2 rule of `compute_fans`.

        # Arguments
            config: a dictionary, as returned by `get_config`.

        # Returns
            An initializer.

        # Raises
            ValueError: if `input_axes` or `output_axes` is set.
        """
        config = dict(config)
        for key in ("input_axes", "output_axes"):
            if config.pop(key, None) is not None:
                raise ValueError(
                    f"minikeras's {cls.__name__} computes fans as Keras 2 does and does not "
                    f"support {key!r}; received the config {config!r}."
                )
        return super().from_config(config)


class _VarianceScalingPreset(VarianceScaling):
    """A `VarianceScaling` with fixed settings, whose only argument is the seed."""

    settings = {}

    def __init__(self, seed=None):
        super().__init__(seed=seed, **self.settings)

    def get_config(self):
        """Returns the initializer's configuration: its `seed` (the preset fixes the rest).

        # Returns
            A dictionary that `from_config` turns back into the same initializer.
        """
        return {"seed": self.seed}


class GlorotNormal(_VarianceScalingPreset):
    """Glorot (Xavier) normal initializer: `VarianceScaling(1.0, "fan_avg", "normal")`.

    A truncated normal of standard deviation `sqrt(2 / (fan_in + fan_out))` (before
    truncation correction, see `VarianceScaling`).

    # Arguments
        seed: an integer for reproducible values, or `None`.
    """

    settings = {"scale": 1.0, "mode": "fan_avg", "distribution": "normal"}


class GlorotUniform(_VarianceScalingPreset):
    """Glorot (Xavier) uniform initializer: `VarianceScaling(1.0, "fan_avg", "uniform")`.

    Uniform on `[-limit, limit]` with `limit = sqrt(6 / (fan_in + fan_out))`.

    # Arguments
        seed: an integer for reproducible values, or `None`.
    """

    settings = {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform"}


class HeNormal(_VarianceScalingPreset):
    """He normal initializer: `VarianceScaling(2.0, "fan_in", "normal")`, for ReLU layers.

    # Arguments
        seed: an integer for reproducible values, or `None`.
    """

    settings = {"scale": 2.0, "mode": "fan_in", "distribution": "normal"}


class HeUniform(_VarianceScalingPreset):
    """He uniform initializer: uniform on `[-limit, limit]`, `limit = sqrt(6 / fan_in)`.

    # Arguments
        seed: an integer for reproducible values, or `None`.
    """

    settings = {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"}


class LecunNormal(_VarianceScalingPreset):
    """LeCun normal initializer: `VarianceScaling(1.0, "fan_in", "normal")`, for SELU layers.

    # Arguments
        seed: an integer for reproducible values, or `None`.
    """

    settings = {"scale": 1.0, "mode": "fan_in", "distribution": "normal"}


class LecunUniform(_VarianceScalingPreset):
    """LeCun uniform initializer: uniform on `[-limit, limit]`, `limit = sqrt(3 / fan_in)`.

    # Arguments
        seed: an integer for reproducible values, or `None`.
    """

    settings = {"scale": 1.0, "mode": "fan_in", "distribution": "uniform"}


def glorot_normal(seed=None):
    """Glorot normal initializer, as Keras 2's function: a `VarianceScaling`.

    # Arguments
        seed: an integer for reproducible values, or `None`.

    # Returns
        A `VarianceScaling` with the settings of `GlorotNormal`.
    """
    return VarianceScaling(seed=seed, **GlorotNormal.settings)


def glorot_uniform(seed=None):
    """Glorot uniform initializer, as Keras 2's function: a `VarianceScaling`.

    # Arguments
        seed: an integer for reproducible values, or `None`.

    # Returns
        A `VarianceScaling` with the settings of `GlorotUniform`.
    """
    return VarianceScaling(seed=seed, **GlorotUniform.settings)


def he_normal(seed=None):
    """He normal initializer, as Keras 2's function: a `VarianceScaling`.

    # Arguments
        seed: an integer for reproducible values, or `None`.

    # Returns
        A `VarianceScaling` with the settings of `HeNormal`.
    """
    return VarianceScaling(seed=seed, **HeNormal.settings)


def he_uniform(seed=None):
    """He uniform initializer, as Keras 2's function: a `VarianceScaling`.

    # Arguments
        seed: an integer for reproducible values, or `None`.

    # Returns
        A `VarianceScaling` with the settings of `HeUniform`.
    """
    return VarianceScaling(seed=seed, **HeUniform.settings)


def lecun_normal(seed=None):
    """LeCun normal initializer, as Keras 2's function: a `VarianceScaling`.

    # Arguments
        seed: an integer for reproducible values, or `None`.

    # Returns
        A `VarianceScaling` with the settings of `LecunNormal`.
    """
    return VarianceScaling(seed=seed, **LecunNormal.settings)


def lecun_uniform(seed=None):
    """LeCun uniform initializer, as Keras 2's function: a `VarianceScaling`.

    # Arguments
        seed: an integer for reproducible values, or `None`.

    # Returns
        A `VarianceScaling` with the settings of `LecunUniform`.
    """
    return VarianceScaling(seed=seed, **LecunUniform.settings)


class Orthogonal(Initializer):
    """Initializer that generates a random orthogonal matrix.

    The weight is seen as a matrix of `prod(shape[:-1])` rows and `shape[-1]` columns.
    A Gaussian matrix is factored as `Q R`; `Q` (with the signs fixed by the diagonal of
    `R`, so that it is uniformly distributed) has orthonormal columns, or orthonormal
    rows when the matrix is wide.

    # Arguments
        gain: the factor applied to the matrix.
        seed: an integer for reproducible values, or `None`.
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        self.seed = seed

    def __call__(self, shape, dtype=None):
        shape = _as_shape(shape)
        if len(shape) < 2:
            raise ValueError(
                f"The Orthogonal initializer needs a shape of at least two axes; received {shape}."
            )
        n_rows, n_cols = int(np.prod(shape[:-1])), shape[-1]
        tall_shape = (max(n_rows, n_cols), min(n_rows, n_cols))
        gaussian = self._generator().normal(0.0, 1.0, size=tall_shape)
        q, r = np.linalg.qr(gaussian)
        q = q * np.sign(np.diag(r))
        if n_rows < n_cols:
            q = q.T
        return (self.gain * q).reshape(shape).astype(_dtype(dtype))

    def get_config(self):
        """Returns the initializer's configuration: its `gain` and `seed`.

        # Returns
            A dictionary that `from_config` turns back into the same initializer.
        """
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    """Initializer that generates the identity matrix (times a gain), for 2-D weights.

    A non-square shape gets ones on its main diagonal.

    # Arguments
        gain: the factor applied to the matrix.
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = _as_shape(shape)
        if len(shape) != 2:
            raise ValueError(
                f"The Identity initializer can only be used for 2-D matrices; received the shape "
                f"{shape}."
            )
        return (self.gain * np.eye(*shape)).astype(_dtype(dtype))

    def get_config(self):
        """Returns the initializer's configuration: its `gain`.

        # Returns
            A dictionary that `from_config` turns back into the same initializer.
        """
        return {"gain": self.gain}


# Keras's lowercase aliases.
zeros = zero = Zeros
ones = one = Ones
constant = Constant
random_normal = normal = RandomNormal
random_uniform = uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
orthogonal = Orthogonal
identity = Identity

_INITIALIZERS = {
    "Zeros": Zeros, "Ones": Ones, "Constant": Constant, "RandomNormal": RandomNormal,
    "RandomUniform": RandomUniform, "TruncatedNormal": TruncatedNormal,
    "VarianceScaling": VarianceScaling, "Orthogonal": Orthogonal, "Identity": Identity,
    "GlorotNormal": GlorotNormal, "GlorotUniform": GlorotUniform, "HeNormal": HeNormal,
    "HeUniform": HeUniform, "LecunNormal": LecunNormal, "LecunUniform": LecunUniform,
    "zeros": zeros, "zero": zero, "ones": ones, "one": one, "constant": constant,
    "random_normal": random_normal, "normal": normal, "random_uniform": random_uniform,
    "uniform": uniform, "truncated_normal": truncated_normal,
    "variance_scaling": variance_scaling, "orthogonal": orthogonal, "identity": identity,
    "glorot_normal": glorot_normal, "glorot_uniform": glorot_uniform, "he_normal": he_normal,
    "he_uniform": he_uniform, "lecun_normal": lecun_normal, "lecun_uniform": lecun_uniform,
}


def serialize(initializer):
    """Returns the config Keras stores for an initializer.

    # Arguments
        initializer: an `Initializer`.

    # Returns
        `{"class_name": ..., "config": ...}`.
    """
    return serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    """Builds an initializer from its config.

    # Arguments
        config: a Keras 2 config `{"class_name": ..., "config": ...}`, a Keras 3 config,
            or a name.
        custom_objects: an optional dictionary of user initializers, by name.

    # Returns
        An initializer.

    # Raises
        ValueError: if the name is unknown.
    """
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    return deserialize_keras_object(config, _INITIALIZERS, custom_objects,
                                    printable_module_name="initializer")


def get(identifier):
    """Returns an initializer from a name, a config, a callable or `None`.

    # Arguments
        identifier: a name such as `"glorot_uniform"`, a config dictionary, a callable
            (returned unchanged) or `None` (returned unchanged).

    # Returns
        An initializer, or `None`.

    # Raises
        ValueError: if the identifier is an unknown name or cannot be interpreted.
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}.")
