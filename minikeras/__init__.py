"""minikeras: a small, readable deep-learning library with the Keras API.

Built on a tape-based autograd over NumPy, with numba-compiled convolution and pooling
kernels. Code written for Keras 2 runs after `keras` becomes `minikeras` in its imports.
"""
from minikeras import backend
from minikeras.autograd import GradientTape, Tensor, Variable, ops

__version__ = "0.1.0"

__all__ = ["GradientTape", "Tensor", "Variable", "backend", "ops", "__version__"]
