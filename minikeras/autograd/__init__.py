"""The tape-based automatic differentiation of minikeras (floor 3).

`Tensor` wraps a NumPy array; `Variable` is a named, mutable tensor; `GradientTape`
records the ops of `minikeras.ops` and computes gradients; `check_gradients` compares
them with central differences.
"""
from minikeras.autograd import ops
from minikeras.autograd.broadcast import unbroadcast
from minikeras.autograd.gradcheck import check_gradients, numerical_gradient
from minikeras.autograd.tape import (
    GradientTape, is_recording, needs_gradient, record, saved_arrays_in_use, stop_gradient,
)
from minikeras.autograd.tensor import Tensor, Variable, as_tensor

__all__ = [
    "GradientTape", "Tensor", "Variable", "as_tensor", "check_gradients", "is_recording",
    "needs_gradient", "numerical_gradient", "ops", "record", "saved_arrays_in_use", "stop_gradient",
    "unbroadcast",
]
