"""Global settings: float type, epsilon, image data format, seeds, and the kernel module.

The kernel module is chosen once, at import, by the environment variable
`MINIKERAS_BACKEND`: `numba` (the default, compiled kernels from `minikeras.kernels.fast`)
or `numpy` (the readable kernels from `minikeras.kernels.reference`).
"""
import importlib
import os
import random

import numpy as np

_BACKENDS = {"numba": "minikeras.kernels.fast", "numpy": "minikeras.kernels.reference"}
_IMAGE_DATA_FORMATS = ("channels_last", "channels_first")
_FLOAT_TYPES = ("float16", "float32", "float64")

_floatx = "float32"
_epsilon = 1e-7
_image_data_format = "channels_last"


def _backend_from_environment():
    name = os.environ.get("MINIKERAS_BACKEND", "numba").strip().lower()
    if name not in _BACKENDS:
        raise ValueError(
            f"Unknown MINIKERAS_BACKEND {name!r}: expected one of {sorted(_BACKENDS)}."
        )
    return name


_backend_name = _backend_from_environment()
_kernel_module = None


def backend():
    """Returns the name of the active kernel backend.

    # Returns
        `"numba"` or `"numpy"`, as selected by the `MINIKERAS_BACKEND` environment variable.
    """
    return _backend_name


def kernels():
    """Returns the active kernel module, importing it on first use.

    Importing the numba module is deferred so that `import minikeras` stays fast.

    # Returns
        The module `minikeras.kernels.fast` or `minikeras.kernels.reference`.
    """
    global _kernel_module
    if _kernel_module is None:
        _kernel_module = importlib.import_module(_BACKENDS[_backend_name])
    return _kernel_module


def floatx():
    """Returns the default float type, as a string.

    # Returns
        `"float32"` unless changed with `set_floatx`.
    """
    return _floatx


def set_floatx(value):
    """Sets the default float type.

    # Arguments
        value: `"float16"`, `"float32"` or `"float64"`.

    # Raises
        ValueError: if `value` is not one of those.
    """
    global _floatx
    if str(value) not in _FLOAT_TYPES:
        raise ValueError(f"Unknown floatx {value!r}: expected one of {list(_FLOAT_TYPES)}.")
    _floatx = str(value)


def epsilon():
    """Returns the fuzz factor used in numeric expressions.

    # Returns
        A float, `1e-7` by default.
    """
    return _epsilon


def set_epsilon(value):
    """Sets the fuzz factor used in numeric expressions.

    # Arguments
        value: a small positive float.
    """
    global _epsilon
    _epsilon = float(value)


def image_data_format():
    """Returns the default image data format.

    # Returns
        `"channels_last"` or `"channels_first"`.
    """
    return _image_data_format


def set_image_data_format(data_format):
    """Sets the default image data format.

    # Arguments
        data_format: `"channels_last"` or `"channels_first"`.

    # Raises
        ValueError: for any other value.
    """
    global _image_data_format
    if data_format not in _IMAGE_DATA_FORMATS:
        raise ValueError(
            f"Unknown data_format {data_format!r}: expected one of {list(_IMAGE_DATA_FORMATS)}."
        )
    _image_data_format = data_format


def normalize_data_format(value):
    """Checks a `data_format` argument, filling in the default for `None`.

    # Arguments
        value: `None`, `"channels_last"` or `"channels_first"`.

    # Returns
        The data format as a string.

    # Raises
        ValueError: for any other value.
    """
    if value is None:
        return _image_data_format
    data_format = str(value).lower()
    if data_format not in _IMAGE_DATA_FORMATS:
        raise ValueError(
            f"The `data_format` argument must be one of {list(_IMAGE_DATA_FORMATS)}; "
            f"received: {value!r}."
        )
    return data_format


_rng = np.random.default_rng()


def set_seed(seed):
    """Seeds every random number generator minikeras uses, for reproducible runs.

    Seeds Python's `random`, NumPy's global generator and minikeras's own generator
    (weight initializers, dropout, shuffling).

    # Arguments
        seed: an integer.
    """
    global _rng
    random.seed(seed)
    np.random.seed(seed)
    _rng = np.random.default_rng(seed)


def rng():
    """Returns minikeras's random generator (a `numpy.random.Generator`).

    # Returns
        The generator that `set_seed` reseeds.
    """
    return _rng
