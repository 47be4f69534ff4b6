"""Exercise 8, reference solution: max pooling as numba kernels, forward and backward."""
import numpy as np
from numba import njit


@njit(cache=True)
def _max_pool(x, pool_h, pool_w, stride_h, stride_w, y, argmax):
    """Fills `y` with each window's maximum and `argmax` with where it was."""
    batch, height, width, channels = x.shape
    _, out_h, out_w, _ = y.shape
    for n in range(batch):
        for i in range(out_h):
            for j in range(out_w):
                top, left = i * stride_h, j * stride_w
                for c in range(channels):
                    best = x[n, top, left, c]
                    winner = top * width + left
                    for row in range(top, top + pool_h):
                        for col in range(left, left + pool_w):
                            # A strict '>': on a tie the first maximum (row by row) wins.
                            if x[n, row, col, c] > best:
                                best = x[n, row, col, c]
                                winner = row * width + col
                    y[n, i, j, c] = best
                    argmax[n, i, j, c] = winner


@njit(cache=True)
def _max_pool_backward(grad_output, argmax, grad_x):
    """Adds each output's gradient to the input cell that won its window."""
    batch, out_h, out_w, channels = grad_output.shape
    width = grad_x.shape[2]
    for n in range(batch):
        for i in range(out_h):
            for j in range(out_w):
                for c in range(channels):
                    cell = argmax[n, i, j, c]
                    grad_x[n, cell // width, cell % width, c] += grad_output[n, i, j, c]


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
