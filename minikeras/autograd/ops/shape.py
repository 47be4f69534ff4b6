"""Ops that move, select or repeat elements: reshape, transpose, slicing, concatenation."""
import numpy as np

from minikeras.autograd.broadcast import unbroadcast
from minikeras.autograd.tape import record
from minikeras.autograd.tensor import Tensor, as_tensor


def reshape(x, shape):
    """Gives a tensor a new shape with the same elements (one length may be -1).

    # Arguments
        x: a tensor or array.
        shape: the new shape, a tuple of ints.

    # Returns
        A `Tensor` of shape `shape`.
    """
    x = as_tensor(x)
    return record(np.reshape(x.value, shape), (x,), lambda grad: (np.reshape(grad, x.shape),))


def transpose(x, axes=None):
    """Permutes the axes of a tensor (reverses them by default).

    # Arguments
        x: a tensor or array.
        axes: the new order of the axes, or `None`.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    inverse = None if axes is None else np.argsort(axes)
    return record(np.transpose(x.value, axes), (x,), lambda grad: (np.transpose(grad, inverse),))


def expand_dims(x, axis):
    """Inserts an axis of length 1.

    # Arguments
        x: a tensor or array.
        axis: where the new axis goes.

    # Returns
        A `Tensor` with one more axis.
    """
    x = as_tensor(x)
    return reshape(x, np.expand_dims(x.value, axis).shape)


def squeeze(x, axis=None):
    """Removes axes of length 1.

    # Arguments
        x: a tensor or array.
        axis: the axis (or axes) to remove, or `None` for every axis of length 1.

    # Returns
        A `Tensor` with fewer axes.
    """
    x = as_tensor(x)
    return reshape(x, np.squeeze(x.value, axis).shape)


def flatten(x):
    """Flattens every axis but the first: `(batch, ...)` to `(batch, n)`.

    # Arguments
        x: a tensor of at least one axis.

    # Returns
        A 2-D `Tensor`.
    """
    x = as_tensor(x)
    return reshape(x, (x.shape[0], -1))


def _is_basic_index(index):
    """True for indexes made of ints, slices, None and Ellipsis (no repeated elements)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(part, (int, np.integer, slice, type(None), type(Ellipsis)))
               for part in parts)


def _plain_index(index):
    if isinstance(index, tuple):
        return tuple(_plain_index(part) for part in index)
    return index.value if isinstance(index, Tensor) else index


def getitem(x, index):
    """Indexes or slices a tensor as NumPy does (`x[1:, ::2]`, `x[[0, 2]]`, `x[mask]`).

    The gradient lands on the selected elements; an element picked twice by a fancy
    index receives both gradients.

    # Arguments
        x: a tensor or array.
        index: a NumPy-style index.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    index = _plain_index(index)

    def backward(grad):
        grad_x = np.zeros(x.shape, x.dtype)
        if _is_basic_index(index):
            grad_x[index] = grad
        else:
            np.add.at(grad_x, index, grad)
        return (grad_x,)

    return record(x.value[index], (x,), backward)


def concatenate(tensors, axis=-1):
    """Joins tensors along an existing axis.

    # Arguments
        tensors: a list of tensors with equal shapes except along `axis`.
        axis: the axis to join along.

    # Returns
        A `Tensor`.
    """
    tensors = tuple(as_tensor(t) for t in tensors)
    value = np.concatenate([t.value for t in tensors], axis=axis)
    ends = np.cumsum([t.shape[axis] for t in tensors])[:-1]

    def backward(grad):
        return tuple(np.split(grad, ends, axis=axis))

    return record(value, tensors, backward)


def stack(tensors, axis=0):
    """Stacks tensors of equal shape along a new axis (composed of expand_dims and concatenate).

    # Arguments
        tensors: a list of tensors of the same shape.
        axis: the position of the new axis.

    # Returns
        A `Tensor` with one more axis.
    """
    return concatenate([expand_dims(t, axis) for t in tensors], axis=axis)


def split(x, num_or_size_splits, axis=0):
    """Splits a tensor into parts along an axis (composed of slicing).

    # Arguments
        x: a tensor or array.
        num_or_size_splits: the number of equal parts, or a list of part lengths.
        axis: the axis to split.

    # Returns
        A list of `Tensor`s.

    # Raises
        ValueError: if the axis cannot be split as asked.
    """
    x = as_tensor(x)
    length = x.shape[axis]
    if isinstance(num_or_size_splits, (int, np.integer)):
        if length % num_or_size_splits:
            raise ValueError(
                f"Cannot split an axis of length {length} into {num_or_size_splits} equal parts."
            )
        sizes = [length // num_or_size_splits] * int(num_or_size_splits)
    else:
        sizes = list(num_or_size_splits)
        if np.sum(sizes) != length:
            raise ValueError(f"The split sizes {sizes} do not add up to the axis length {length}.")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    axis = axis % x.ndim
    before = (slice(None),) * axis
    return [getitem(x, before + (slice(int(start), int(end)),))
            for start, end in zip(starts[:-1], starts[1:])]


def pad(x, pad_width, constant_values=0):
    """Pads a tensor with a constant.

    # Arguments
        x: a tensor or array.
        pad_width: for each axis, a pair `(before, after)`, as `numpy.pad` takes it.
        constant_values: the value written into the padding.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    pad_width = np.broadcast_to(np.asarray(pad_width, dtype=int), (x.ndim, 2))
    value = np.pad(x.value, pad_width, mode="constant", constant_values=constant_values)
    inside = tuple(slice(before, before + length)
                   for (before, _), length in zip(pad_width, x.shape))
    return record(value, (x,), lambda grad: (grad[inside],))


def broadcast_to(x, shape):
    """Broadcasts a tensor to a shape.

    # Arguments
        x: a tensor or array.
        shape: the target shape.

    # Returns
        A `Tensor` of shape `shape`.
    """
    x = as_tensor(x)
    return record(np.broadcast_to(x.value, shape), (x,),
                  lambda grad: (unbroadcast(grad, x.shape),))


def tile(x, repeats):
    """Repeats a whole tensor along each axis, as `numpy.tile`.

    # Arguments
        x: a tensor or array.
        repeats: the number of copies along each axis.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    repeats = tuple(np.atleast_1d(repeats))
    repeats = (1,) * (x.ndim - len(repeats)) + repeats
    value = np.tile(x.value, repeats)
    shape = (1,) * (len(repeats) - x.ndim) + x.shape

    def backward(grad):
        # Split every axis into (copies, length) and sum over the copies.
        interleaved = [n for pair in zip(repeats, shape) for n in pair]
        grad = grad.reshape(interleaved).sum(axis=tuple(range(0, 2 * len(shape), 2)))
        return (grad.reshape(x.shape),)

    return record(value, (x,), backward)


def repeat(x, repeats, axis):
    """Repeats each element along an axis, as `numpy.repeat` with an int count.

    # Arguments
        x: a tensor or array.
        repeats: how many times each element is repeated, an int.
        axis: the axis.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    axis = axis % x.ndim
    value = np.repeat(x.value, repeats, axis=axis)

    def backward(grad):
        shape = x.shape[:axis] + (x.shape[axis], repeats) + x.shape[axis + 1:]
        return (grad.reshape(shape).sum(axis=axis + 1),)

    return record(value, (x,), backward)


def one_hot(indices, num_classes, dtype=None):
    """Encodes integer class indices as one-hot vectors (not differentiable).

    # Arguments
        indices: an integer tensor or array.
        num_classes: the number of classes.
        dtype: the dtype of the result, floatx by default.

    # Returns
        A `Tensor` with a new last axis of length `num_classes`.
    """
    from minikeras import backend
    labels = np.asarray(as_tensor(indices).value).astype(np.int64)
    return Tensor(np.eye(num_classes, dtype=dtype or backend.floatx())[labels])


def zeros_like(x):
    """Returns a tensor of zeros with the shape and dtype of `x`.

    # Arguments
        x: a tensor or array.

    # Returns
        A `Tensor`.
    """
    return Tensor(np.zeros_like(as_tensor(x).value))


def ones_like(x):
    """Returns a tensor of ones with the shape and dtype of `x`.

    # Arguments
        x: a tensor or array.

    # Returns
        A `Tensor`.
    """
    return Tensor(np.ones_like(as_tensor(x).value))
