"""Exercise 8: max pooling as numba kernels, forward and backward, faster than NumPy.

The two wrappers `max_pool2d` and `max_pool2d_backward` are given: they work out the
shapes and allocate the outputs. Write the two kernels, plain loops over plain arrays
that `@njit` compiles to machine code. Run the public tests with
`minikeras course check 08-numba-pooling`; the grader also times your kernels against
minikeras's NumPy reference (`minikeras/kernels/reference.py`).
"""
import numpy as np
from numba import njit


@njit(cache=True)
def _max_pool(x, pool_h, pool_w, stride_h, stride_w, y, argmax):
    """Fills `y` with each window's maximum and `argmax` with where it was."""
    # TODO: for every output (n, i, j, c), scan its pool_h x pool_w window, which starts
    # at row i * stride_h and column j * stride_w; store the maximum in y and its flat
    # index row * width + col in argmax. On a tie keep the first maximum (row by row).
    raise NotImplementedError("TODO: write _max_pool")


@njit(cache=True)
def _max_pool_backward(grad_output, argmax, grad_x):
    """Adds each output's gradient to the input cell that won its window."""
    # TODO: send each output's gradient to the input cell in argmax. Windows may overlap
    # (stride < pool): a cell that wins several windows receives the sum.
    raise NotImplementedError("TODO: write _max_pool_backward")


def max_pool2d(x, pool_size=(2, 2), strides=None):
    """2-D max pooling with 'valid' padding, channels last.

    # Arguments
        x: the input, shape `(batch, height, width, channels)`, float32 or float64.
        pool_size: `(pool_h, pool_w)`.
        strides: `(stride_h, stride_w)`, or `None` for `pool_size`.

    # Returns
        A pair `(y, argmax)`: `y` of shape `(batch, out_h, out_w, channels)` and the
        dtype of `x`, and `argmax` (int64, same shape) holding for each output the flat
        index `row * width + col` of the first maximum of its window.
    """
    x = np.ascontiguousarray(x)
    pool_h, pool_w = pool_size
    stride_h, stride_w = strides if strides is not None else pool_size
    batch, height, width, channels = x.shape
    out_h = (height - pool_h) // stride_h + 1
    out_w = (width - pool_w) // stride_w + 1
    y = np.empty((batch, out_h, out_w, channels), x.dtype)
    argmax = np.empty((batch, out_h, out_w, channels), np.int64)
    _max_pool(x, pool_h, pool_w, stride_h, stride_w, y, argmax)
    return y, argmax


def max_pool2d_backward(grad_output, argmax, input_shape):
    """The gradient of `max_pool2d` with respect to its input.

    # Arguments
        grad_output: the gradient of `y`.
        argmax: the `argmax` that `max_pool2d` returned.
        input_shape: the shape of the forward input.

    # Returns
        The gradient of the input, of shape `input_shape` and the dtype of `grad_output`.
    """
    grad_output = np.ascontiguousarray(grad_output)
    grad_x = np.zeros(tuple(input_shape), grad_output.dtype)
    _max_pool_backward(grad_output, np.ascontiguousarray(argmax, dtype=np.int64), grad_x)
    return grad_x
