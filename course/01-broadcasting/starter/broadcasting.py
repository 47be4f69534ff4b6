"""Exercise 1: broadcasting, and undoing it in a gradient.

Write the four functions below; replace each `raise NotImplementedError` with your code.
Run the public tests with `minikeras course check 01-broadcasting` (or `pytest`).
"""
import numpy as np  # noqa: F401  (you will need it)


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
    # TODO: pad the shorter shape with 1s on the left, then compare the lengths pairwise.
    raise NotImplementedError("TODO: write broadcast_shape")


def unbroadcast(grad, shape):
    """Sums a gradient back down to the shape of an input that was broadcast.

    # Arguments
        grad: the gradient of the op's output, an array.
        shape: the shape of the input, a tuple of ints.

    # Returns
        An array of shape `shape`.
    """
    # TODO: sum over the leading axes the input did not have, then over the axes where
    # the input had length 1 (keeping them, with keepdims=True).
    raise NotImplementedError("TODO: write unbroadcast")


def add_backward(grad, shape_a, shape_b):
    """Returns the gradients of `a` and `b` for `out = a + b`, given the gradient of `out`.

    # Arguments
        grad: the gradient of the output, of shape `broadcast_shape(shape_a, shape_b)`.
        shape_a: the shape of `a`.
        shape_b: the shape of `b`.

    # Returns
        A pair `(grad_a, grad_b)` of arrays of shapes `shape_a` and `shape_b`.
    """
    # TODO: the local derivative of a + b is 1 for both inputs; then undo the broadcasting.
    raise NotImplementedError("TODO: write add_backward")


def multiply_backward(grad, a, b):
    """Returns the gradients of `a` and `b` for `out = a * b`, given the gradient of `out`.

    # Arguments
        grad: the gradient of the output.
        a: the first input, an array.
        b: the second input, an array.

    # Returns
        A pair `(grad_a, grad_b)` of arrays of the shapes of `a` and `b`.
    """
    # TODO: d(a * b)/da = b and d(a * b)/db = a; then undo the broadcasting.
    raise NotImplementedError("TODO: write multiply_backward")
