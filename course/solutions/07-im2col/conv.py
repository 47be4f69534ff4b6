"""Exercise 7, reference solution: 2-D convolution by im2col, forward and backward."""
import math

import numpy as np


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
    if padding != "same":
        return 0, 0
    out = output_size(size, kernel_size, stride, padding)
    total = max((out - 1) * stride + kernel_size - size, 0)
    return total // 2, total - total // 2


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
    (kh, kw), (sh, sw) = kernel_size, strides
    out_h, out_w, pads = _geometry(x.shape, kernel_size, strides, padding)
    padded = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    patches = np.empty((x.shape[0], out_h, out_w, kh, kw, x.shape[3]), x.dtype)
    for a in range(kh):
        for b in range(kw):
            patches[:, :, :, a, b, :] = padded[:, a:a + (out_h - 1) * sh + 1:sh,
                                               b:b + (out_w - 1) * sw + 1:sw, :]
    return patches


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
    batch, out_h, out_w, kh, kw, channels = patches.shape
    _, height, width, _ = input_shape
    sh, sw = strides
    _, _, ((top, bottom), (left, right)) = _geometry(input_shape, (kh, kw), strides, padding)
    padded = np.zeros((batch, top + height + bottom, left + width + right, channels),
                      patches.dtype)
    for a in range(kh):
        for b in range(kw):
            padded[:, a:a + (out_h - 1) * sh + 1:sh,
                   b:b + (out_w - 1) * sw + 1:sw, :] += patches[:, :, :, a, b, :]
    return padded[:, top:top + height, left:left + width, :]


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
    patches = im2col(x, kernel.shape[:2], strides, padding)
    batch, out_h, out_w = patches.shape[:3]
    out_channels = kernel.shape[3]
    output = patches.reshape(batch * out_h * out_w, -1) @ kernel.reshape(-1, out_channels)
    return output.reshape(batch, out_h, out_w, out_channels)


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
    patches = im2col(x, kernel.shape[:2], strides, padding)
    out_channels = kernel.shape[3]
    grad_flat = grad_output.reshape(-1, out_channels)
    patches_flat = patches.reshape(grad_flat.shape[0], -1)
    grad_kernel = (patches_flat.T @ grad_flat).reshape(kernel.shape)
    grad_patches = (grad_flat @ kernel.reshape(-1, out_channels).T).reshape(patches.shape)
    grad_x = col2im(grad_patches, x.shape, strides, padding)
    return grad_x, grad_kernel
