"""minikeras: a small, readable deep-learning library with the Keras API.

Built on a tape-based autograd over NumPy, with numba-compiled convolution and pooling
kernels. Code written for Keras 2 runs after `keras` becomes `minikeras` in its imports.
"""
from minikeras import backend
from minikeras.autograd import GradientTape, Tensor, Variable, ops
from minikeras import activations, constraints, initializers, regularizers  # noqa: E402
from minikeras import callbacks, layers, losses, metrics, models, optimizers  # noqa: E402
from minikeras import utils, wrappers  # noqa: E402
from minikeras.engine import Input, Model, Sequential  # noqa: E402

__version__ = "0.1.0"

__all__ = ["GradientTape", "Input", "Model", "Sequential", "Tensor", "Variable", "activations",
           "backend", "callbacks", "constraints", "initializers", "layers", "losses", "metrics",
           "models", "ops", "optimizers", "regularizers", "utils", "wrappers", "__version__"]
