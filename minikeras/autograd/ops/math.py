"""Elementwise arithmetic and matrix products, each with its backward beside it.

Every op has the same shape: convert the inputs, compute the value with NumPy, and
record a `backward` that maps the output's gradient to the inputs' gradients.
"""
import math

import numpy as np

from minikeras import backend
from minikeras.autograd.broadcast import unbroadcast
from minikeras.autograd.tape import needs_gradient, record
from minikeras.autograd.tensor import Tensor, as_tensor


def _pair(a, b):
    """Converts two operands to tensors; a plain number takes the other's float dtype."""
    if isinstance(a, Tensor):
        return a, as_tensor(b, like=a)
    b = as_tensor(b)
    return as_tensor(a, like=b), b


def add(a, b):
    """Adds two tensors elementwise, with broadcasting.

    # Arguments
        a: a tensor, array or number.
        b: a tensor, array or number.

    # Returns
        A `Tensor`, `a + b`.
    """
    a, b = _pair(a, b)

    def backward(grad):
        return unbroadcast(grad, a.shape), unbroadcast(grad, b.shape)

    return record(a.value + b.value, (a, b), backward)


def subtract(a, b):
    """Subtracts `b` from `a` elementwise, with broadcasting.

    # Arguments
        a: a tensor, array or number.
        b: a tensor, array or number.

    # Returns
        A `Tensor`, `a - b`.
    """
    a, b = _pair(a, b)

    def backward(grad):
        return unbroadcast(grad, a.shape), unbroadcast(-grad, b.shape)

    return record(a.value - b.value, (a, b), backward)


def multiply(a, b):
    """Multiplies two tensors elementwise, with broadcasting.

    # Arguments
        a: a tensor, array or number.
        b: a tensor, array or number.

    # Returns
        A `Tensor`, `a * b`.
    """
    a, b = _pair(a, b)
    a_value, b_value = a.value, b.value  # saved for backward (a Variable may be reassigned)

    def backward(grad):
        return unbroadcast(grad * b_value, a.shape), unbroadcast(grad * a_value, b.shape)

    return record(a_value * b_value, (a, b), backward)


def divide(a, b):
    """Divides `a` by `b` elementwise, with broadcasting.

    # Arguments
        a: a tensor, array or number.
        b: a tensor, array or number.

    # Returns
        A `Tensor`, `a / b`.
    """
    a, b = _pair(a, b)
    b_value = b.value
    value = a.value / b_value

    def backward(grad):
        grad_a = grad / b_value
        return unbroadcast(grad_a, a.shape), unbroadcast(-grad_a * value, b.shape)

    return record(value, (a, b), backward)


def negative(x):
    """Negates a tensor elementwise.

    # Arguments
        x: a tensor or array.

    # Returns
        A `Tensor`, `-x`.
    """
    x = as_tensor(x)
    return record(-x.value, (x,), lambda grad: (-grad,))


def power(a, b):
    """Raises `a` to the power `b` elementwise, with broadcasting.

    The gradient with respect to `b` is `a ** b * log(a)`, defined where `a > 0` (zero
    elsewhere); it is computed only when a tape wants it.

    # Arguments
        a: a tensor, array or number (the base).
        b: a tensor, array or number (the exponent).

    # Returns
        A `Tensor`, `a ** b`.
    """
    a, b = _pair(a, b)
    a_value, b_value = a.value, b.value
    value = a_value ** b_value
    wants_exponent_grad = needs_gradient(b)

    def backward(grad):
        grad_a = unbroadcast(grad * b_value * a_value ** (b_value - 1), a.shape)
        grad_b = None
        if wants_exponent_grad:
            positive = a_value > 0
            log_a = np.log(np.where(positive, a_value, 1))
            grad_b = unbroadcast(grad * np.where(positive, value * log_a, 0), b.shape)
        return grad_a, grad_b

    return record(value, (a, b), backward)


def square(x):
    """Squares a tensor elementwise.

    # Arguments
        x: a tensor or array.

    # Returns
        A `Tensor`, `x ** 2`.
    """
    x = as_tensor(x)
    x_value = x.value
    return record(np.square(x_value), (x,), lambda grad: (2 * grad * x_value,))


def sqrt(x):
    """Computes the square root elementwise.

    # Arguments
        x: a tensor or array of non-negative values.

    # Returns
        A `Tensor`, `sqrt(x)`.
    """
    x = as_tensor(x)
    value = np.sqrt(x.value)
    return record(value, (x,), lambda grad: (grad * 0.5 / value,))


def exp(x):
    """Computes `e ** x` elementwise.

    # Arguments
        x: a tensor or array.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    value = np.exp(x.value)
    return record(value, (x,), lambda grad: (grad * value,))


def log(x):
    """Computes the natural logarithm elementwise.

    # Arguments
        x: a tensor or array of positive values.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    x_value = x.value
    return record(np.log(x_value), (x,), lambda grad: (grad / x_value,))


def abs(x):
    """Computes the absolute value elementwise (its gradient at 0 is 0).

    # Arguments
        x: a tensor or array.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    x_value = x.value
    return record(np.abs(x_value), (x,), lambda grad: (grad * np.sign(x_value),))


def sign(x):
    """Returns -1, 0 or 1 elementwise; its gradient is zero.

    # Arguments
        x: a tensor or array.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    return record(np.sign(x.value), (x,), lambda grad: (np.zeros_like(grad),))


def maximum(a, b):
    """Takes the elementwise maximum of two tensors, with broadcasting.

    Where `a == b` the gradient goes to `a`, as in TensorFlow.

    # Arguments
        a: a tensor, array or number.
        b: a tensor, array or number.

    # Returns
        A `Tensor`.
    """
    a, b = _pair(a, b)
    a_wins = a.value >= b.value

    def backward(grad):
        return (unbroadcast(np.where(a_wins, grad, 0), a.shape),
                unbroadcast(np.where(a_wins, 0, grad), b.shape))

    return record(np.maximum(a.value, b.value), (a, b), backward)


def minimum(a, b):
    """Takes the elementwise minimum of two tensors, with broadcasting.

    Where `a == b` the gradient goes to `a`, as in TensorFlow.

    # Arguments
        a: a tensor, array or number.
        b: a tensor, array or number.

    # Returns
        A `Tensor`.
    """
    a, b = _pair(a, b)
    a_wins = a.value <= b.value

    def backward(grad):
        return (unbroadcast(np.where(a_wins, grad, 0), a.shape),
                unbroadcast(np.where(a_wins, 0, grad), b.shape))

    return record(np.minimum(a.value, b.value), (a, b), backward)


def where(condition, x, y):
    """Picks elements from `x` where `condition` holds and from `y` elsewhere.

    # Arguments
        condition: a boolean tensor or array (not differentiated).
        x: a tensor, array or number.
        y: a tensor, array or number.

    # Returns
        A `Tensor` of the broadcast shape of the three.
    """
    mask = np.asarray(condition.value if isinstance(condition, Tensor) else condition, bool)
    x, y = _pair(x, y)

    def backward(grad):
        return (unbroadcast(np.where(mask, grad, 0), x.shape),
                unbroadcast(np.where(mask, 0, grad), y.shape))

    return record(np.where(mask, x.value, y.value), (x, y), backward)


def clip(x, min_value, max_value):
    """Clips values elementwise to `[min_value, max_value]`.

    The gradient passes where `x` lies inside the interval (ends included) and is zero
    where it was clipped.

    # Arguments
        x: a tensor or array.
        min_value: the lower bound, a number or array, or None for no lower bound.
        max_value: the upper bound, a number or array, or None for no upper bound.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    low = -np.inf if min_value is None else min_value
    high = np.inf if max_value is None else max_value
    inside = (x.value >= low) & (x.value <= high)
    value = np.clip(x.value, min_value, max_value).astype(x.dtype, copy=False)
    return record(value, (x,), lambda grad: (np.where(inside, grad, 0),))


def matmul(a, b):
    """Multiplies matrices, batched over leading axes as `numpy.matmul` does.

    # Arguments
        a: a tensor of shape `(..., n, k)` or `(k,)`.
        b: a tensor of shape `(..., k, m)` or `(k,)`.

    # Returns
        A `Tensor` of shape `(..., n, m)` (a 1-D operand loses its axis, as in NumPy).
    """
    a, b = _pair(a, b)
    if a.ndim == 1:
        from minikeras.autograd.ops.shape import expand_dims, squeeze
        return squeeze(matmul(expand_dims(a, 0), b), -2)
    if b.ndim == 1:
        from minikeras.autograd.ops.shape import expand_dims, squeeze
        return squeeze(matmul(a, expand_dims(b, -1)), -1)

    a_value, b_value = a.value, b.value  # saved for backward (a Variable may be reassigned)

    def backward(grad):
        grad_a = grad @ np.swapaxes(b_value, -1, -2)
        grad_b = np.swapaxes(a_value, -1, -2) @ grad
        return unbroadcast(grad_a, a.shape), unbroadcast(grad_b, b.shape)

    return record(a_value @ b_value, (a, b), backward)


def tensordot(a, b, axes):
    """Contracts `a` and `b` over the given axes, as `numpy.tensordot` (composed of matmul).

    # Arguments
        a: a tensor.
        b: a tensor.
        axes: a pair of lists, the axes of `a` and of `b` to sum over, or an int `n`
            (the last `n` axes of `a` with the first `n` of `b`).

    # Returns
        A `Tensor` with the free axes of `a` followed by those of `b`.
    """
    from minikeras.autograd.ops.shape import reshape, transpose
    a, b = _pair(a, b)
    if isinstance(axes, int):
        axes = (list(range(a.ndim - axes, a.ndim)), list(range(axes)))
    axes_a = [axis % a.ndim for axis in np.atleast_1d(axes[0])]
    axes_b = [axis % b.ndim for axis in np.atleast_1d(axes[1])]
    free_a = [axis for axis in range(a.ndim) if axis not in axes_a]
    free_b = [axis for axis in range(b.ndim) if axis not in axes_b]
    summed = math.prod(a.shape[axis] for axis in axes_a)
    a_matrix = reshape(transpose(a, free_a + axes_a), (-1, summed))
    b_matrix = reshape(transpose(b, axes_b + free_b), (summed, -1))
    out_shape = [a.shape[axis] for axis in free_a] + [b.shape[axis] for axis in free_b]
    return reshape(matmul(a_matrix, b_matrix), out_shape)


def dot(a, b):
    """Multiplies tensors as Keras's `backend.dot`: the last axis of `a` with `b`.

    For a 2-D (or 1-D) `b` this is `matmul`; for an n-D `b` the last axis of `a` is
    contracted with the second-to-last axis of `b`.

    # Arguments
        a: a tensor.
        b: a tensor.

    # Returns
        A `Tensor`.
    """
    a, b = _pair(a, b)
    if b.ndim <= 2:
        return matmul(a, b)
    return tensordot(a, b, ([a.ndim - 1], [b.ndim - 2]))


def cast(x, dtype):
    """Converts a tensor to another dtype; gradients flow between float types.

    # Arguments
        x: a tensor or array.
        dtype: the new dtype, such as `"float32"` or `"int64"`.

    # Returns
        A `Tensor` of that dtype.
    """
    x = as_tensor(x)
    source_dtype = x.dtype
    return record(x.value.astype(dtype), (x,), lambda grad: (grad.astype(source_dtype),))


def as_float(x):
    """Returns `x` as a tensor of a float dtype: integers and booleans become `floatx()`.

    Activations and losses take fractional values; computed in an integer dtype they
    would be truncated (`sigmoid` of any integer would be 0 or 1).

    # Arguments
        x: a tensor, array or number.

    # Returns
        A `Tensor`: `x` itself when it already has a float dtype.
    """
    x = as_tensor(x)
    return x if x.dtype.kind == "f" else cast(x, backend.floatx())


def _comparison(numpy_function):
    def compare(a, b):
        a, b = _pair(a, b)
        return Tensor(numpy_function(a.value, b.value))

    compare.__name__ = numpy_function.__name__
    compare.__doc__ = (
        f"Compares two tensors elementwise with `numpy.{numpy_function.__name__}` "
        "(not differentiable).\n\n"
        "    # Arguments\n        a: a tensor, array or number.\n"
        "        b: a tensor, array or number.\n\n"
        "    # Returns\n        A boolean `Tensor`.\n    "
    )
    return compare


equal = _comparison(np.equal)
not_equal = _comparison(np.not_equal)
less = _comparison(np.less)
less_equal = _comparison(np.less_equal)
greater = _comparison(np.greater)
greater_equal = _comparison(np.greater_equal)
