"""Exercise 7: 2-D convolution by im2col, forward and backward, in NumPy.

Images are channels-last, `(batch, height, width, channels)`; kernels are
`(kh, kw, in_channels, out_channels)`, as Keras stores them. `output_size` and
`_geometry` are given. Write `padding_amounts`, `im2col`, `col2im`, `conv2d` and
`conv2d_backward`. Run the public tests with `minikeras course check 07-im2col`.
"""
import math

import numpy as np  # noqa: F401  (you will need it)


def output_size(size, kernel_size, stride, padding):
    """Returns the output length of a convolution along one axis.

    # Arguments
        size: the input length.
        kernel_size: the kernel length.
        stride: the step between windows.
        padding: `"valid"` or `"same"`.

    # Returns
        `ceil(size / stride)` for `"same"`, `(size - kernel_size) // stride + 1` for `"valid"`.
    """
    if padding == "same":
        return math.ceil(size / stride)
    return (size - kernel_size) // stride + 1


def padding_amounts(size, kernel_size, stride, padding):
    """Returns how many zeros go before and after the data along one axis, as TensorFlow pads.

    # Arguments
        size: the input length.
        kernel_size: the kernel length.
        stride: the step between windows.
        padding: `"valid"` or `"same"`.

    # Returns
        A pair `(before, after)`; with an odd total, the extra zero goes after.
    """
    # TODO: no padding for "valid". For "same", the output has ceil(size / stride) cells;
    # pad just enough for the last window to fit, and put the odd zero after.
    raise NotImplementedError("TODO: write padding_amounts")


def _geometry(input_shape, kernel_size, strides, padding):
    """The output size and the paddings of both spatial axes."""
    _, height, width, _ = input_shape
    out_h = output_size(height, kernel_size[0], strides[0], padding)
    out_w = output_size(width, kernel_size[1], strides[1], padding)
    pads = (padding_amounts(height, kernel_size[0], strides[0], padding),
            padding_amounts(width, kernel_size[1], strides[1], padding))
    return out_h, out_w, pads


def im2col(x, kernel_size, strides, padding):
    """Cuts out every window the kernel visits.

    # Arguments
        x: the input, shape `(batch, height, width, channels)`.
        kernel_size: `(kh, kw)`.
        strides: `(sh, sw)`.
        padding: `"valid"` or `"same"`.

    # Returns
        The patches, shape `(batch, out_h, out_w, kh, kw, channels)`:
        `patches[n, i, j, a, b, c] = x_padded[n, i * sh + a, j * sw + b, c]`.
    """
    # TODO: pad x, then for each kernel tap (a, b) copy the strided slice of the padded
    # input that this tap reads into patches[:, :, :, a, b, :]. Two loops of kh * kw.
    raise NotImplementedError("TODO: write im2col")


def col2im(patches, input_shape, strides, padding):
    """Adds every window back where `im2col` cut it from (the adjoint of `im2col`).

    # Arguments
        patches: shape `(batch, out_h, out_w, kh, kw, channels)`.
        input_shape: the input's shape `(batch, height, width, channels)`.
        strides: `(sh, sw)`.
        padding: `"valid"` or `"same"`.

    # Returns
        An array of shape `input_shape`: cells covered by several windows get the sum.
    """
    # TODO: the same loops as im2col, adding (+=) each tap's slice into a zero padded
    # array; then cut the padding off.
    raise NotImplementedError("TODO: write col2im")


def conv2d(x, kernel, strides=(1, 1), padding="valid"):
    """2-D convolution (cross-correlation) by im2col, channels last, no bias.

    # Arguments
        x: the input, shape `(batch, height, width, in_channels)`.
        kernel: shape `(kh, kw, in_channels, out_channels)`.
        strides: `(sh, sw)`.
        padding: `"valid"` or `"same"`.

    # Returns
        The output, shape `(batch, out_h, out_w, out_channels)`.
    """
    # TODO: one matrix product of the patches (flattened to rows) with the kernel
    # (flattened to (kh * kw * in_channels, out_channels)).
    raise NotImplementedError("TODO: write conv2d")


def conv2d_backward(grad_output, x, kernel, strides=(1, 1), padding="valid"):
    """The gradients of `conv2d` with respect to its input and its kernel.

    # Arguments
        grad_output: the gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        x: the forward input.
        kernel: the forward kernel.
        strides: the forward strides.
        padding: the forward padding.

    # Returns
        A pair `(grad_x, grad_kernel)` of the shapes of `x` and `kernel`.
    """
    # TODO: the forward pass was patches_flat @ kernel_flat. So grad_kernel is
    # patches_flat.T @ grad_flat, and the patches' gradient grad_flat @ kernel_flat.T,
    # which col2im adds back into the input's shape.
    raise NotImplementedError("TODO: write conv2d_backward")
