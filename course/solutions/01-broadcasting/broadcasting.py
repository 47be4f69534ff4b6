"""Exercise 1, reference solution: broadcasting, and undoing it in a gradient."""
import numpy as np


def broadcast_shape(shape_a, shape_b):
    """Returns the shape NumPy gives to `a + b` for inputs of shapes `shape_a` and `shape_b`.

    Shapes are aligned on the right; two lengths agree if they are equal or one is 1,
    and the result takes the larger; a missing leading axis counts as length 1.

    # Arguments
        shape_a: the shape of `a`, a tuple of ints.
        shape_b: the shape of `b`, a tuple of ints.

    # Returns
        The shape of the result, a tuple of ints.

    # Raises
        ValueError: if the shapes cannot be broadcast together.
    """
    ndim = max(len(shape_a), len(shape_b))
    padded_a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)
    padded_b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    result = []
    for length_a, length_b in zip(padded_a, padded_b):
        if length_a != length_b and 1 not in (length_a, length_b):
            raise ValueError(f"Shapes {tuple(shape_a)} and {tuple(shape_b)} cannot be "
                             f"broadcast: lengths {length_a} and {length_b} differ and "
                             "neither is 1.")
        result.append(max(length_a, length_b))
    return tuple(result)


def unbroadcast(grad, shape):
    """Sums a gradient back down to the shape of an input that was broadcast.

    # Arguments
        grad: the gradient of the op's output, an array.
        shape: the shape of the input, a tuple of ints.

    # Returns
        An array of shape `shape`.
    """
    grad = np.asarray(grad)
    shape = tuple(shape)
    # The leading axes the input did not have: every copy along them adds up.
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    # The axes where the input had length 1 and was stretched: sum, keeping the axis.
    for axis, length in enumerate(shape):
        if length == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def add_backward(grad, shape_a, shape_b):
    """Returns the gradients of `a` and `b` for `out = a + b`, given the gradient of `out`.

    # Arguments
        grad: the gradient of the output, of shape `broadcast_shape(shape_a, shape_b)`.
        shape_a: the shape of `a`.
        shape_b: the shape of `b`.

    # Returns
        A pair `(grad_a, grad_b)` of arrays of shapes `shape_a` and `shape_b`.
    """
    return unbroadcast(grad, shape_a), unbroadcast(grad, shape_b)


def multiply_backward(grad, a, b):
    """Returns the gradients of `a` and `b` for `out = a * b`, given the gradient of `out`.

    # Arguments
        grad: the gradient of the output.
        a: the first input, an array.
        b: the second input, an array.

    # Returns
        A pair `(grad_a, grad_b)` of arrays of the shapes of `a` and `b`.
    """
    a, b = np.asarray(a), np.asarray(b)
    return unbroadcast(grad * b, a.shape), unbroadcast(grad * a, b.shape)
