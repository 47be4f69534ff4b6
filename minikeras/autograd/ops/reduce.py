"""Reductions over axes: sum, mean, max, min, prod, and argmax / argmin."""
import math

import numpy as np

from minikeras.autograd.tape import record
from minikeras.autograd.tensor import Tensor, as_tensor


def _axes(axis, ndim):
    """Normalizes an `axis` argument to a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    return tuple(sorted(int(a) % ndim for a in axis))


def _restore_reduced_axes(grad, axes, input_shape):
    """Puts back the axes a reduction removed, so that `grad` broadcasts against the input."""
    kept_shape = [1 if axis in axes else length for axis, length in enumerate(input_shape)]
    return np.reshape(grad, kept_shape)


def sum(x, axis=None, keepdims=False):
    """Sums the elements of a tensor over the given axes.

    # Arguments
        x: a tensor or array.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with length 1.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    axes = _axes(axis, x.ndim)

    def backward(grad):
        grad = _restore_reduced_axes(grad, axes, x.shape)
        return (np.broadcast_to(grad, x.shape),)

    return record(np.sum(x.value, axis=axes, keepdims=keepdims), (x,), backward)


def mean(x, axis=None, keepdims=False):
    """Averages the elements of a tensor over the given axes.

    # Arguments
        x: a tensor or array.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with length 1.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    axes = _axes(axis, x.ndim)
    count = math.prod(x.shape[a] for a in axes)
    return sum(x, axes, keepdims) / (count or 1)


def _extreme(x, axis, keepdims, numpy_function):
    """max and min: the gradient is shared equally by the elements that reach the extreme."""
    x = as_tensor(x)
    axes = _axes(axis, x.ndim)
    x_value = x.value
    value = numpy_function(x_value, axis=axes, keepdims=True)

    def backward(grad):
        winners = x_value == value
        share = winners / winners.sum(axis=axes, keepdims=True)
        return (share * _restore_reduced_axes(grad, axes, x.shape),)

    result = value if keepdims else np.squeeze(value, axis=axes)
    return record(result, (x,), backward)


def max(x, axis=None, keepdims=False):
    """Takes the maximum over the given axes.

    When several elements share the maximum, the gradient is split equally among them,
    as TensorFlow does.

    # Arguments
        x: a tensor or array.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with length 1.

    # Returns
        A `Tensor`.
    """
    return _extreme(x, axis, keepdims, np.max)


def min(x, axis=None, keepdims=False):
    """Takes the minimum over the given axes (ties share the gradient equally).

    # Arguments
        x: a tensor or array.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with length 1.

    # Returns
        A `Tensor`.
    """
    return _extreme(x, axis, keepdims, np.min)


def prod(x, axis=None, keepdims=False):
    """Multiplies the elements over the given axes.

    The gradient of each element is the product of all the others, computed with
    cumulative products from both sides so that zeros in `x` are handled exactly.

    # Arguments
        x: a tensor or array.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with length 1.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    axes = _axes(axis, x.ndim)
    x_value = x.value

    def backward(grad):
        # Move the reduced axes last and flatten them into one axis of length n.
        kept = [a for a in range(x.ndim) if a not in axes]
        moved = np.transpose(x_value, kept + list(axes))
        flat = moved.reshape(moved.shape[:len(kept)] + (-1,))
        ones = np.ones_like(flat[..., :1])
        before = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
        after = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
        others = (before * after).reshape(moved.shape)
        others = np.transpose(others, np.argsort(kept + list(axes)))
        return (others * _restore_reduced_axes(grad, axes, x.shape),)

    return record(np.prod(x.value, axis=axes, keepdims=keepdims), (x,), backward)


def argmax(x, axis=-1):
    """Returns the index of the largest value along an axis (not differentiable).

    # Arguments
        x: a tensor or array.
        axis: the axis to search.

    # Returns
        An int64 `Tensor`.
    """
    return Tensor(np.argmax(as_tensor(x).value, axis=axis))


def argmin(x, axis=-1):
    """Returns the index of the smallest value along an axis (not differentiable).

    # Arguments
        x: a tensor or array.
        axis: the axis to search.

    # Returns
        An int64 `Tensor`.
    """
    return Tensor(np.argmin(as_tensor(x).value, axis=axis))


def var(x, axis=None, keepdims=False):
    """Computes the (biased) variance over the given axes, composed of mean and square.

    # Arguments
        x: a tensor or array.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with length 1.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    centered = x - mean(x, axis, keepdims=True)
    return mean(centered * centered, axis, keepdims)


def std(x, axis=None, keepdims=False):
    """Computes the standard deviation over the given axes, `sqrt(var(x))`.

    # Arguments
        x: a tensor or array.
        axis: an int, a tuple of ints, or `None` for all axes.
        keepdims: whether to keep the reduced axes with length 1.

    # Returns
        A `Tensor`.
    """
    from minikeras.autograd.ops.math import sqrt
    return sqrt(var(x, axis, keepdims))
