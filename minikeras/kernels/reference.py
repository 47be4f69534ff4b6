"""Convolution and pooling kernels in plain NumPy, written to be read.

Every kernel here is built from one idea, *im2col*: cut every window the kernel visits
out of the (padded) input and lay the windows side by side in an array of shape
`(batch, out_h, out_w, kernel_h, kernel_w, channels)`, the *patches*. Then

- a convolution is one matrix product of the patches with the kernel;
- max and average pooling are a max and a mean over each window;
- every backward pass computes the gradient of the patches and adds each window back
  where it came from (*col2im*), so cells shared by overlapping windows sum their parts.

A last pair, `bias_relu` and its backward, adds a layer's bias and applies relu: the
elementwise work that follows each convolution. And `adam_update` is the Adam
optimizer's step, the elementwise work that follows each backward pass.

Images are channels-last `(batch, height, width, channels)`; padding follows
TensorFlow (see `geometry.py`). `fast.py` defines the same functions under numba; the
tests keep the two equal.
"""
import numpy as np

from minikeras.kernels.geometry import (
    check_argmax, check_shape, conv_geometry, float_dtype, pool_geometry, transpose_output_shape)


def _window_slice(offset, stride, dilation, output_length):
    """The input cells that kernel tap `offset` visits, one per output position."""
    start = offset * dilation
    return slice(start, start + (output_length - 1) * stride + 1, stride)


def _im2col(x, window, strides, dilation_rate, output_size, pads, fill=0.0):
    """Cuts out every window: returns patches `(batch, out_h, out_w, kh, kw, channels)`."""
    padded = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)), constant_values=fill)
    patches = np.empty(x.shape[:1] + output_size + window + x.shape[3:], x.dtype)
    for row in range(window[0]):
        rows = _window_slice(row, strides[0], dilation_rate[0], output_size[0])
        for col in range(window[1]):
            cols = _window_slice(col, strides[1], dilation_rate[1], output_size[1])
            patches[:, :, :, row, col, :] = padded[:, rows, cols, :]
    return patches


def _col2im(patches, input_shape, strides, dilation_rate, pads):
    """Adds every window of `patches` back where `_im2col` cut it from: the inverse sum."""
    _, out_h, out_w, window_h, window_w, _ = patches.shape
    (top, bottom), (left, right) = pads
    batch, height, width, channels = input_shape
    padded = np.zeros((batch, top + height + bottom, left + width + right, channels),
                      patches.dtype)
    for row in range(window_h):
        rows = _window_slice(row, strides[0], dilation_rate[0], out_h)
        for col in range(window_w):
            cols = _window_slice(col, strides[1], dilation_rate[1], out_w)
            padded[:, rows, cols, :] += patches[:, :, :, row, col, :]
    return padded[:, top:top + height, left:left + width, :]


# Convolution -----------------------------------------------------------------------------

def conv2d(x, kernel, strides=(1, 1), padding="valid", dilation_rate=(1, 1)):
    """2-D convolution (cross-correlation, as in every deep-learning library), no bias.

    `y[n, i, j, o] = sum over (a, b, c) of
    x_padded[n, i * sh + a * dh, j * sw + b * dw, c] * kernel[a, b, c, o]`.

    # Arguments
        x: input, shape `(batch, height, width, in_channels)`.
        kernel: weights, shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        strides: an int or a pair of ints, the step between windows.
        padding: `"valid"` (no padding) or `"same"` (output `ceil(size / stride)`,
            padded as TensorFlow pads).
        dilation_rate: an int or a pair of ints, the spacing between kernel taps.

    # Returns
        The output, shape `(batch, out_h, out_w, out_channels)`, float32 for float32
        inputs and float64 otherwise.

    # Raises
        ValueError: for bad ranks, mismatched channels, non-positive strides or dilation,
            an unknown padding, or a kernel larger than a `'valid'` input.
    """
    return conv2d_keeping_patches(x, kernel, strides, padding, dilation_rate)[0]


def conv2d_keeping_patches(x, kernel, strides=(1, 1), padding="valid",
                           dilation_rate=(1, 1)):
    """`conv2d`, also returning its patches for `conv2d_backward_kernel_from_patches`.

    The kernel gradient is made of the same patches as the forward pass: kept, they
    need not be cut a second time, at the cost of their memory until the backward pass.

    # Arguments
        x: input, shape `(batch, height, width, in_channels)`.
        kernel: weights, shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        strides: an int or a pair of ints, the step between windows.
        padding: `"valid"` or `"same"`.
        dilation_rate: an int or a pair of ints, the spacing between kernel taps.

    # Returns
        A pair: the output of `conv2d`, and the patches, a list of `(start, stop,
        matrix)` for consecutive chunks of the batch (here one chunk, the whole batch),
        one matrix row per output cell and one column per kernel tap.

    # Raises
        ValueError: as `conv2d`.
    """
    dtype = float_dtype(x, kernel)
    x, kernel = np.asarray(x, dtype), np.asarray(kernel, dtype)
    strides, dilation_rate, output_size, pads = conv_geometry(
        "conv2d", x.shape, kernel.shape, strides, padding, dilation_rate)
    patches = _im2col(x, kernel.shape[:2], strides, dilation_rate, output_size, pads)
    patch_length, out_channels = int(np.prod(kernel.shape[:3])), kernel.shape[3]
    patches = patches.reshape(-1, patch_length)
    output = patches @ kernel.reshape(patch_length, out_channels)
    return (output.reshape(x.shape[:1] + output_size + (out_channels,)),
            [(0, x.shape[0], patches)])


def conv2d_backward_input(grad_output, kernel, input_shape, strides=(1, 1), padding="valid",
                          dilation_rate=(1, 1)):
    """Gradient of `conv2d` with respect to its input.

    Each output cell sends `grad_output[n, i, j, :] @ kernel[a, b].T` back to the
    input cell that tap `(a, b)` read; cells read by several windows sum their parts,
    and cells that only padding or no window reached get nothing.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        kernel: the forward kernel, shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        input_shape: the forward input's shape `(batch, height, width, in_channels)`.
        strides: the forward strides.
        padding: the forward padding, `"valid"` or `"same"`.
        dilation_rate: the forward dilation rate.

    # Returns
        The gradient of the input, shape `input_shape`.

    # Raises
        ValueError: for the forward pass's argument errors, or if `grad_output` does not
            have the forward output's shape.
    """
    dtype = float_dtype(grad_output, kernel)
    grad_output, kernel = np.asarray(grad_output, dtype), np.asarray(kernel, dtype)
    input_shape = tuple(input_shape)
    strides, dilation_rate, output_size, pads = conv_geometry(
        "conv2d_backward_input", input_shape, kernel.shape, strides, padding, dilation_rate)
    out_channels = kernel.shape[3]
    check_shape("conv2d_backward_input", "grad_output", grad_output.shape,
                input_shape[:1] + output_size + (out_channels,))
    grad_patches = grad_output.reshape(-1, out_channels) @ kernel.reshape(-1, out_channels).T
    grad_patches = grad_patches.reshape(grad_output.shape[:3] + kernel.shape[:3])
    return _col2im(grad_patches, input_shape, strides, dilation_rate, pads)


def conv2d_backward_kernel(grad_output, x, kernel_shape, strides=(1, 1), padding="valid",
                           dilation_rate=(1, 1)):
    """Gradient of `conv2d` with respect to its kernel.

    `grad_kernel[a, b, c, o]` sums, over every batch item and output cell, the input
    value tap `(a, b, c)` read times `grad_output[..., o]`: patches transposed times
    `grad_output`.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        x: the forward input, shape `(batch, height, width, in_channels)`.
        kernel_shape: the kernel's shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        strides: the forward strides.
        padding: the forward padding, `"valid"` or `"same"`.
        dilation_rate: the forward dilation rate.

    # Returns
        The gradient of the kernel, shape `kernel_shape`.

    # Raises
        ValueError: for the forward pass's argument errors, or if `grad_output` does not
            have the forward output's shape.
    """
    dtype = float_dtype(grad_output, x)
    grad_output, x = np.asarray(grad_output, dtype), np.asarray(x, dtype)
    kernel_shape = tuple(kernel_shape)
    strides, dilation_rate, output_size, pads = conv_geometry(
        "conv2d_backward_kernel", x.shape, kernel_shape, strides, padding, dilation_rate)
    out_channels = kernel_shape[3]
    check_shape("conv2d_backward_kernel", "grad_output", grad_output.shape,
                x.shape[:1] + output_size + (out_channels,))
    patches = _im2col(x, kernel_shape[:2], strides, dilation_rate, output_size, pads)
    patches = patches.reshape(-1, int(np.prod(kernel_shape[:3])))
    return (patches.T @ grad_output.reshape(-1, out_channels)).reshape(kernel_shape)


def input_gradient_is_a_convolution(kernel_shape, strides=(1, 1)):
    """Whether this convolution's input gradient is computed as a convolution.

    Never here: `conv2d_backward_input` adds the patch gradients back with col2im. (The
    fast kernels compute it as a convolution for stride 1 and fewer output than input
    channels, and take the kernel gradient from the same patches.)

    # Arguments
        kernel_shape: the kernel's shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        strides: the forward strides, an int or a pair of ints.

    # Returns
        `False`.
    """
    return False


def conv2d_backward(grad_output, x, kernel, strides=(1, 1), padding="valid",
                    dilation_rate=(1, 1)):
    """Gradients of `conv2d` with respect to its input and its kernel, together.

    Here simply `conv2d_backward_input` and `conv2d_backward_kernel`.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        x: the forward input, shape `(batch, height, width, in_channels)`.
        kernel: the forward kernel, shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        strides: the forward strides.
        padding: the forward padding, `"valid"` or `"same"`.
        dilation_rate: the forward dilation rate.

    # Returns
        A pair `(grad_x, grad_kernel)`, of the shapes of `x` and `kernel`.

    # Raises
        ValueError: for the forward pass's argument errors, or if `grad_output` does not
            have the forward output's shape.
    """
    return (conv2d_backward_input(grad_output, kernel, np.shape(x), strides, padding,
                                  dilation_rate),
            conv2d_backward_kernel(grad_output, x, np.shape(kernel), strides, padding,
                                   dilation_rate))

def conv2d_backward_kernel_from_patches(grad_output, patches, kernel_shape):
    """Gradient of `conv2d` with respect to its kernel, from the forward pass's patches.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        patches: the patches that `conv2d_keeping_patches` returned.
        kernel_shape: the kernel's shape `(kernel_h, kernel_w, in_channels, out_channels)`.

    # Returns
        The gradient of the kernel, shape `kernel_shape`.
    """
    grad_output = np.asarray(grad_output, float_dtype(grad_output))
    out_channels = kernel_shape[3]
    grad_kernel = sum(matrix.T @ grad_output[start:stop].reshape(-1, out_channels)
                      for start, stop, matrix in patches)
    return grad_kernel.reshape(tuple(kernel_shape))


# Transposed convolution: the convolution's input gradient, run forward ------------------

def conv2d_transpose(x, kernel, strides=(1, 1), padding="valid", output_padding=None,
                     dilation_rate=(1, 1)):
    """Transposed 2-D convolution (Keras's `Conv2DTranspose`), no bias.

    It is `conv2d_backward_input` applied to `x`: the gradient of the forward
    convolution that maps the output's size back to `x`'s size. `padding` is that
    forward convolution's padding, split from the output's size as TensorFlow does.

    # Arguments
        x: input, shape `(batch, height, width, in_channels)`.
        kernel: weights as Keras stores them, shape
            `(kernel_h, kernel_w, out_channels, in_channels)`.
        strides: an int or a pair of ints, the upsampling factor.
        padding: `"valid"` or `"same"`.
        output_padding: `None`, or an int or pair of ints (each smaller than its stride)
            of extra rows and columns; the output size is Keras's
            `deconv_output_length` (see `geometry.py`).
        dilation_rate: an int or a pair of ints.

    # Returns
        The output, shape `(batch, out_h, out_w, out_channels)`.

    # Raises
        ValueError: for bad ranks, mismatched channels, bad strides, padding or
            output padding.
    """
    output_shape = transpose_output_shape(np.shape(x), np.shape(kernel), strides, padding,
                                          output_padding, dilation_rate)
    return conv2d_backward_input(x, kernel, output_shape, strides, padding, dilation_rate)


def conv2d_transpose_backward_input(grad_output, kernel, strides=(1, 1), padding="valid",
                                    dilation_rate=(1, 1)):
    """Gradient of `conv2d_transpose` with respect to its input: `conv2d` of `grad_output`.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        kernel: the kernel, shape `(kernel_h, kernel_w, out_channels, in_channels)`.
        strides: the transposed convolution's strides.
        padding: its padding, `"valid"` or `"same"`.
        dilation_rate: its dilation rate.

    # Returns
        The gradient of the input, shape `(batch, height, width, in_channels)`.

    # Raises
        ValueError: for the arguments `conv2d` rejects.
    """
    return conv2d(grad_output, kernel, strides, padding, dilation_rate)


def conv2d_transpose_backward_kernel(grad_output, x, kernel_shape, strides=(1, 1),
                                     padding="valid", dilation_rate=(1, 1)):
    """Gradient of `conv2d_transpose` with respect to its kernel.

    The forward convolution behind the transpose reads `grad_output`'s shape and
    writes `x`'s, so this is `conv2d_backward_kernel` with the two swapped.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        x: the input, shape `(batch, height, width, in_channels)`.
        kernel_shape: the kernel's shape `(kernel_h, kernel_w, out_channels, in_channels)`.
        strides: the transposed convolution's strides.
        padding: its padding, `"valid"` or `"same"`.
        dilation_rate: its dilation rate.

    # Returns
        The gradient of the kernel, shape `kernel_shape`.

    # Raises
        ValueError: for the arguments `conv2d_backward_kernel` rejects.
    """
    return conv2d_backward_kernel(x, grad_output, kernel_shape, strides, padding,
                                  dilation_rate)


# Depthwise convolution ------------------------------------------------------------------

def depthwise_conv2d(x, kernel, strides=(1, 1), padding="valid", dilation_rate=(1, 1)):
    """Depthwise 2-D convolution: each input channel convolved with its own filters.

    `y[n, i, j, c * multiplier + m] = sum over (a, b) of
    x_padded[n, i * sh + a * dh, j * sw + b * dw, c] * kernel[a, b, c, m]`.

    # Arguments
        x: input, shape `(batch, height, width, channels)`.
        kernel: weights, shape `(kernel_h, kernel_w, channels, depth_multiplier)`.
        strides: an int or a pair of ints.
        padding: `"valid"` or `"same"`.
        dilation_rate: an int or a pair of ints.

    # Returns
        The output, shape `(batch, out_h, out_w, channels * depth_multiplier)`.

    # Raises
        ValueError: for the arguments `conv2d` rejects.
    """
    dtype = float_dtype(x, kernel)
    x, kernel = np.asarray(x, dtype), np.asarray(kernel, dtype)
    strides, dilation_rate, output_size, pads = conv_geometry(
        "depthwise_conv2d", x.shape, kernel.shape, strides, padding, dilation_rate)
    patches = _im2col(x, kernel.shape[:2], strides, dilation_rate, output_size, pads)
    output = np.einsum("nhwabc,abcm->nhwcm", patches, kernel)
    return output.reshape(output.shape[:3] + (-1,))


def depthwise_conv2d_backward_input(grad_output, kernel, input_shape, strides=(1, 1),
                                    padding="valid", dilation_rate=(1, 1)):
    """Gradient of `depthwise_conv2d` with respect to its input.

    # Arguments
        grad_output: gradient of the output,
            shape `(batch, out_h, out_w, channels * depth_multiplier)`.
        kernel: the forward kernel, shape `(kernel_h, kernel_w, channels, depth_multiplier)`.
        input_shape: the forward input's shape `(batch, height, width, channels)`.
        strides: the forward strides.
        padding: the forward padding, `"valid"` or `"same"`.
        dilation_rate: the forward dilation rate.

    # Returns
        The gradient of the input, shape `input_shape`.

    # Raises
        ValueError: for the forward pass's argument errors, or if `grad_output` does not
            have the forward output's shape.
    """
    dtype = float_dtype(grad_output, kernel)
    grad_output, kernel = np.asarray(grad_output, dtype), np.asarray(kernel, dtype)
    input_shape = tuple(input_shape)
    strides, dilation_rate, output_size, pads = conv_geometry(
        "depthwise_conv2d_backward_input", input_shape, kernel.shape, strides, padding,
        dilation_rate)
    channels, multiplier = kernel.shape[2:]
    check_shape("depthwise_conv2d_backward_input", "grad_output", grad_output.shape,
                input_shape[:1] + output_size + (channels * multiplier,))
    grad_output = grad_output.reshape(grad_output.shape[:3] + (channels, multiplier))
    grad_patches = np.einsum("nhwcm,abcm->nhwabc", grad_output, kernel)
    return _col2im(grad_patches, input_shape, strides, dilation_rate, pads)


def depthwise_conv2d_backward_kernel(grad_output, x, kernel_shape, strides=(1, 1),
                                     padding="valid", dilation_rate=(1, 1)):
    """Gradient of `depthwise_conv2d` with respect to its kernel.

    # Arguments
        grad_output: gradient of the output,
            shape `(batch, out_h, out_w, channels * depth_multiplier)`.
        x: the forward input, shape `(batch, height, width, channels)`.
        kernel_shape: the kernel's shape `(kernel_h, kernel_w, channels, depth_multiplier)`.
        strides: the forward strides.
        padding: the forward padding, `"valid"` or `"same"`.
        dilation_rate: the forward dilation rate.

    # Returns
        The gradient of the kernel, shape `kernel_shape`.

    # Raises
        ValueError: for the forward pass's argument errors, or if `grad_output` does not
            have the forward output's shape.
    """
    dtype = float_dtype(grad_output, x)
    grad_output, x = np.asarray(grad_output, dtype), np.asarray(x, dtype)
    kernel_shape = tuple(kernel_shape)
    strides, dilation_rate, output_size, pads = conv_geometry(
        "depthwise_conv2d_backward_kernel", x.shape, kernel_shape, strides, padding,
        dilation_rate)
    channels, multiplier = kernel_shape[2:]
    check_shape("depthwise_conv2d_backward_kernel", "grad_output", grad_output.shape,
                x.shape[:1] + output_size + (channels * multiplier,))
    patches = _im2col(x, kernel_shape[:2], strides, dilation_rate, output_size, pads)
    grad_output = grad_output.reshape(grad_output.shape[:3] + (channels, multiplier))
    return np.einsum("nhwabc,nhwcm->abcm", patches, grad_output)


# Pooling --------------------------------------------------------------------------------

def max_pool2d(x, pool_size, strides=None, padding="valid", return_argmax=True):
    """2-D max pooling, with the position of each maximum for the backward pass.

    Padding cells never win: the input is padded with `-inf` and only real cells are
    candidates for the argmax. Inputs must not contain NaN.

    # Arguments
        x: input, shape `(batch, height, width, channels)`.
        pool_size: an int or a pair of ints, the window size.
        strides: an int, a pair of ints, or `None` for `pool_size`.
        padding: `"valid"` or `"same"`.
        return_argmax: whether to find the positions of the maxima (only the backward
            pass needs them).

    # Returns
        A pair `(y, argmax)`: `y` of shape `(batch, out_h, out_w, channels)`, and `argmax`
        (int64, same shape) holding for each output the flat index `h * width + w`, in
        the unpadded input plane, of the first maximum of its window (row by row), or
        None if `return_argmax` is False.

    # Raises
        ValueError: for a bad rank, pool size, stride or padding, or a pool larger than
            a `'valid'` input.
    """
    x = np.asarray(x, float_dtype(x))
    pool_size, strides, output_size, pads = pool_geometry(
        "max_pool2d", x.shape, pool_size, strides, padding)
    cutting = (pool_size, strides, (1, 1), output_size, pads)
    patches = _im2col(x, *cutting, fill=-np.inf)
    patches = patches.reshape(patches.shape[:3] + (-1, x.shape[3]))
    is_real = _im2col(np.ones((1,) + x.shape[1:3] + (1,), bool), *cutting, fill=False)
    is_real = is_real.reshape(is_real.shape[:3] + (-1, 1))
    y = patches.max(axis=3)
    if not return_argmax:
        return y, None
    winner = np.argmax((patches == y[:, :, :, None, :]) & is_real, axis=3)
    row = np.arange(output_size[0])[:, None, None] * strides[0] - pads[0][0]
    col = np.arange(output_size[1])[None, :, None] * strides[1] - pads[1][0]
    row, col = row + winner // pool_size[1], col + winner % pool_size[1]
    return y, (row * x.shape[2] + col).astype(np.int64)


def max_pool2d_backward(grad_output, argmax, input_shape):
    """Gradient of `max_pool2d` with respect to its input.

    Each output's gradient goes to the input cell that won its window; a cell that wins
    several overlapping windows receives the sum.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, channels)`.
        argmax: the `argmax` that `max_pool2d` returned, same shape.
        input_shape: the forward input's shape `(batch, height, width, channels)`.

    # Returns
        The gradient of the input, shape `input_shape`.

    # Raises
        ValueError: if `argmax` and `grad_output` differ in shape or do not fit
            `input_shape`.
    """
    grad_output = np.asarray(grad_output, float_dtype(grad_output))
    input_shape = check_argmax(grad_output.shape, np.shape(argmax), input_shape)
    batch, height, width, channels = input_shape
    grad_x = np.zeros((batch, height * width, channels), grad_output.dtype)
    batch_index = np.arange(batch)[:, None, None, None]
    np.add.at(grad_x, (batch_index, argmax, np.arange(channels)), grad_output)
    return grad_x.reshape(input_shape)


def avg_pool2d(x, pool_size, strides=None, padding="valid"):
    """2-D average pooling.

    With `'same'` padding a window that overlaps the padding is averaged over its real
    cells only, as TensorFlow does.

    # Arguments
        x: input, shape `(batch, height, width, channels)`.
        pool_size: an int or a pair of ints, the window size.
        strides: an int, a pair of ints, or `None` for `pool_size`.
        padding: `"valid"` or `"same"`.

    # Returns
        The output, shape `(batch, out_h, out_w, channels)`.

    # Raises
        ValueError: for a bad rank, pool size, stride or padding, or a pool larger than
            a `'valid'` input.
    """
    x = np.asarray(x, float_dtype(x))
    pool_size, strides, output_size, pads = pool_geometry(
        "avg_pool2d", x.shape, pool_size, strides, padding)
    patches = _im2col(x, pool_size, strides, (1, 1), output_size, pads)
    counts = _real_cell_counts(x.shape, pool_size, strides, output_size, pads, x.dtype)
    return patches.sum(axis=(3, 4)) / counts


def _real_cell_counts(input_shape, pool_size, strides, output_size, pads, dtype):
    """How many real (unpadded) cells each window holds: the sum of a pooled plane of ones."""
    ones = np.ones((1,) + tuple(input_shape[1:3]) + (1,), dtype)
    return _im2col(ones, pool_size, strides, (1, 1), output_size, pads).sum(axis=(3, 4))


def avg_pool2d_backward(grad_output, input_shape, pool_size, strides=None, padding="valid"):
    """Gradient of `avg_pool2d` with respect to its input.

    Each output's gradient is shared equally among the real cells of its window.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, channels)`.
        input_shape: the forward input's shape `(batch, height, width, channels)`.
        pool_size: the forward pool size.
        strides: the forward strides, or `None` for `pool_size`.
        padding: the forward padding, `"valid"` or `"same"`.

    # Returns
        The gradient of the input, shape `input_shape`.

    # Raises
        ValueError: for the forward pass's argument errors, or if `grad_output` does not
            have the forward output's shape.
    """
    grad_output = np.asarray(grad_output, float_dtype(grad_output))
    input_shape = tuple(input_shape)
    pool_size, strides, output_size, pads = pool_geometry(
        "avg_pool2d_backward", input_shape, pool_size, strides, padding)
    check_shape("avg_pool2d_backward", "grad_output", grad_output.shape,
                input_shape[:1] + output_size + input_shape[3:])
    counts = _real_cell_counts(input_shape, pool_size, strides, output_size, pads,
                               grad_output.dtype)
    share = grad_output / counts
    grad_patches = np.broadcast_to(share[:, :, :, None, None, :],
                                   share.shape[:3] + pool_size + share.shape[3:])
    return _col2im(grad_patches, input_shape, strides, (1, 1), pads)


# Bias and relu ----------------------------------------------------------------------------

def bias_relu(x, bias, relu=True, out=None):
    """Adds a bias along the last axis, then applies relu if asked: `max(x + bias, 0)`.

    # Arguments
        x: input, shape `(..., channels)`.
        bias: shape `(channels,)`.
        relu: whether to apply relu after the bias.
        out: a C-contiguous array of the shape and dtype of `x` to write the output
            to (it may be `x` itself), or None for a new array.

    # Returns
        The output: `out`, or a new array of the shape and dtype of `x`.
    """
    output = np.add(x, bias, out=out)
    return np.maximum(output, 0, out=output) if relu else output


def bias_relu_backward(grad_output, output, relu=True):
    """Gradients of `bias_relu`, found from its output alone.

    Relu passes the gradient where its output is positive; the bias's gradient is the
    sum of the input's gradient over every axis but the last.

    # Arguments
        grad_output: gradient of the output, shape `(..., channels)`.
        output: the forward output, same shape.
        relu: whether the forward pass applied relu.

    # Returns
        A pair: the gradient of `x` (shape of `grad_output`) and of `bias` (`(channels,)`).
    """
    grad_x = grad_output * (output > 0) if relu else grad_output
    return grad_x, grad_x.reshape(-1, grad_x.shape[-1]).sum(axis=0)


# Adam's update ------------------------------------------------------------------------------

def adam_update(value, grad, m, v, lr_t, beta_1, beta_2, epsilon, vhat=None):
    """One step of Adam's rule on one variable, every array updated in place.

    `m = beta_1 * m + (1 - beta_1) * grad`; `v = beta_2 * v + (1 - beta_2) * grad ** 2`;
    `value = value - lr_t * m / (sqrt(v) + epsilon)`, where AMSGrad keeps `vhat`, the
    running maximum of `v`, and divides by its root instead.

    # Arguments
        value: the variable's array, updated in place.
        grad: its gradient, same shape and dtype.
        m: the first-moment average, updated in place.
        v: the second-moment average, updated in place.
        lr_t: the step's learning rate, bias correction included.
        beta_1: the decay of `m`.
        beta_2: the decay of `v`.
        epsilon: the fuzz factor added to the root.
        vhat: for AMSGrad, the running maximum of `v`, updated in place; else None.
    """
    m *= beta_1
    m += (1 - beta_1) * grad
    v *= beta_2
    v += (1 - beta_2) * np.square(grad)
    if vhat is not None:
        v = np.maximum(vhat, v, out=vhat)
    value -= lr_t * m / (np.sqrt(v) + epsilon)
