"""Global settings: float type, epsilon, image data format, seeds, and the kernel module.

The kernel module is chosen once, at import, by the environment variable
`MINIKERAS_BACKEND`: `numba` (the default, compiled kernels from `minikeras.kernels.fast`)
or `numpy` (the readable kernels from `minikeras.kernels.reference`).

Keras 2's backend functions (`K.mean`, `K.square`, ...) are asked of this module too;
it hands them out from `minikeras.backend_functions` (see `__getattr__`).
"""
import ctypes
import importlib
import os
import random
import sys

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


# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_LARGEST_HEAP_BLOCK = 32 * 2**20  # the largest mmap threshold glibc accepts on 64 bits
_allocator_tuned = False


def keep_freed_memory():
    """Asks the C allocator to keep freed blocks of up to 32 MiB for the next arrays.

    Each training step allocates and frees arrays of several MiB (each layer's output and
    its gradient). By default glibc returns blocks that large to the system and maps new
    pages for the next request, which the system zeroes on first touch: about 1,500 page
    faults a step on the case study's CNN. Kept in the process, the same memory serves
    the next step (20 page faults a step). Measured with one thread, four runs in turn
    each, median: 155 -> 174 samples/s on that CNN, 80 -> 88 on the cars-vs-trucks CNN;
    peak memory unchanged. The memory then stays with the process until it exits.

    `fit`, `evaluate` and `predict` call it; it applies to the whole process, once. It
    does nothing where the C library is not glibc (macOS, Windows, musl), or when
    `MINIKERAS_KEEP_FREED_MEMORY=0`.
    """
    global _allocator_tuned
    if _allocator_tuned or os.environ.get("MINIKERAS_KEEP_FREED_MEMORY") == "0":
        return
    _allocator_tuned = True
    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc
        return
    mallopt(_M_MMAP_THRESHOLD, _LARGEST_HEAP_BLOCK)  # blocks below it come from the heap
    mallopt(_M_TRIM_THRESHOLD, 2**30)  # and freed heap memory is not given back at once


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


# Keras 2's backend functions -------------------------------------------------------------

def _functions():
    """`minikeras.backend_functions`, imported on first use (see `__getattr__`)."""
    return importlib.import_module("minikeras.backend_functions")


def __getattr__(name):
    """Hands out Keras 2's backend functions (`K.mean`, `K.square`, ...).

    They work on tensors, so they live in `minikeras.backend_functions`, above the
    autograd; these settings sit below it and must not import it when they load.

    # Arguments
        name: the attribute asked for.

    # Returns
        The function of `minikeras.backend_functions` of that name.

    # Raises
        AttributeError: for a name that is neither, saying what to use instead for Keras
            2's graph-mode functions (`K.function`, `K.placeholder`, ...).
    """
    if name.startswith("__"):  # pickle, copy and inspect ask for dunder names
        raise AttributeError(name)
    functions = _functions()
    if name in functions.__all__:
        return getattr(functions, name)
    hint = functions.GRAPH_MODE_NAMES.get(name)
    if hint:
        raise AttributeError(f"minikeras.backend has no `{name}`: minikeras runs eagerly, "
                             f"with no graph; {hint}.")
    raise AttributeError(f"module 'minikeras.backend' has no attribute {name!r}")


def __dir__():
    """The settings and the backend functions, for `dir(K)` and tab completion."""
    return sorted(set(globals()) | set(_functions().__all__))
