"""Convolution and pooling: the kernels of `minikeras.kernels`, made differentiable.

Every 2-D op has the same shape: check the ranks, call the active kernel module
(`backend.kernels()`, NumPy or numba) for the value, and record a backward that calls
the kernels' gradient functions. A gradient is computed only when a tape wants it: the
input of a model's first convolution is never watched, so its input gradient, as costly
as the forward pass, is skipped.

The rest is composed, so the math is written once: the 1-D ops run the 2-D ones on
images of height 1, causal padding is `pad` followed by `'valid'`, and global pooling is
`mean` or `max` over the spatial axes.

Images are channels-last `(batch, height, width, channels)`; sequences are
`(batch, steps, channels)`. Kernels are laid out as Keras stores them.
"""
import numbers

import numpy as np

from minikeras import backend
from minikeras.autograd.ops.reduce import max as reduce_max
from minikeras.autograd.ops.reduce import mean
from minikeras.autograd.ops.shape import expand_dims, pad, squeeze
from minikeras.autograd.tape import needs_gradient, record
from minikeras.autograd.tensor import as_tensor

_IMAGE = "(batch, height, width, channels)"
_SEQUENCE = "(batch, steps, channels)"


# Helpers -----------------------------------------------------------------------------------

def _check_rank(op_name, what, tensor, rank, layout):
    """Converts a value to a tensor and checks its number of axes."""
    tensor = as_tensor(tensor)
    if tensor.ndim != rank:
        raise ValueError(f"{op_name} expects {what} of rank {rank}, {layout}; received "
                         f"shape {tuple(tensor.shape)}.")
    return tensor


def _record_with_gradients(value, inputs, gradient_functions, wanted=None):
    """Records an op whose input `i` has the gradient `gradient_functions[i](grad_output)`.

    Whether a tape wants each input's gradient is asked now, while the tapes record
    (or given in `wanted`, by an op that needed to know before computing its value);
    the backward pass computes only those gradients and gives `None` for the others.
    """
    if wanted is None:
        wanted = [needs_gradient(tensor) for tensor in inputs]

    def backward(grad_output):
        return tuple(
            gradient(grad_output).astype(tensor.dtype, copy=False) if want else None
            for tensor, want, gradient in zip(inputs, wanted, gradient_functions))

    return record(value, inputs, backward)


def _record_joint_gradients(value, inputs, gradients):
    """Records an op whose backward computes the gradients of all its inputs in one
    call, `gradients(grad_output)`, for an op whose gradients share their work."""
    def backward(grad_output):
        return tuple(gradient.astype(tensor.dtype, copy=False)
                     for tensor, gradient in zip(inputs, gradients(grad_output)))

    return record(value, inputs, backward)


def _one_int(value, name, op_name):
    """Reads a 1-D op's `strides`, `pool_size` or `dilation_rate`: an int or a 1-tuple."""
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{op_name}: `{name}` must be a positive integer (or a tuple of "
                         f"one); received {value!r}.")
    return int(value)


def _as_image(sequence):
    """`(batch, steps, channels)` -> `(batch, 1, steps, channels)`."""
    return expand_dims(sequence, 1)


def _as_sequence(image):
    """`(batch, 1, steps, channels)` -> `(batch, steps, channels)`."""
    return squeeze(image, 1)


# 2-D convolutions ----------------------------------------------------------------------------

def conv2d(x, kernel, strides=1, padding="valid", dilation_rate=1):
    """2-D convolution (a cross-correlation, as in Keras), without bias.

    # Arguments
        x: the input, shape `(batch, height, width, in_channels)`.
        kernel: the weights, shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        strides: an int or a pair of ints, the step between windows.
        padding: `"valid"` (no padding) or `"same"` (output size `ceil(size / stride)`,
            the odd padding cell after the data, as TensorFlow pads).
        dilation_rate: an int or a pair of ints, the spacing between kernel taps.

    # Returns
        A `Tensor` of shape `(batch, out_h, out_w, out_channels)`.

    # Raises
        ValueError: for inputs of the wrong rank, mismatched channels, bad strides,
            dilation or padding, or a kernel larger than a `'valid'` input.
    """
    x = _check_rank("conv2d", "an input", x, 4, _IMAGE)
    kernel = _check_rank("conv2d", "a kernel", kernel, 4, "(kernel_h, kernel_w, in, out)")
    kernels, x_value, kernel_value = backend.kernels(), x.value, kernel.value
    geometry = (strides, padding, dilation_rate)
    wanted = [needs_gradient(x), needs_gradient(kernel)]
    if all(wanted) and kernels.input_gradient_is_a_convolution(kernel.shape, strides):
        # The kernel gradient comes from the patches of that convolution, in the same
        # call (`conv2d_backward`): the forward pass keeps none.
        value = kernels.conv2d(x_value, kernel_value, *geometry)
        return _record_joint_gradients(value, (x, kernel), lambda grad: kernels.conv2d_backward(
            grad, x_value, kernel_value, *geometry))
    if not wanted[1] or _patch_bytes(x, kernel) > KEPT_PATCHES_BYTES:
        value = kernels.conv2d(x_value, kernel_value, *geometry)
        kernel_gradient = (lambda grad: kernels.conv2d_backward_kernel(
            grad, x_value, kernel.shape, *geometry))
    else:  # the kernel gradient reuses the forward pass's patches
        value, patches = kernels.conv2d_keeping_patches(x_value, kernel_value, *geometry)
        kernel_gradient = (lambda grad: kernels.conv2d_backward_kernel_from_patches(
            grad, patches, kernel.shape))
    return _record_with_gradients(value, (x, kernel), (
        lambda grad: kernels.conv2d_backward_input(grad, kernel_value, x.shape, *geometry),
        kernel_gradient,
    ), wanted)


# A convolution whose patches would take more than this keeps none: its kernel gradient
# cuts them again. The cars-vs-trucks CNN's second convolution (75 MB) is over it.
KEPT_PATCHES_BYTES = 64 * 2**20


def _patch_bytes(x, kernel):
    """About the size of a convolution's patches: at most one row per input cell (stride
    1, 'same' padding), one column per kernel tap."""
    cells = int(np.prod(x.shape[:3]))
    return cells * int(np.prod(kernel.shape[:3])) * x.value.itemsize


def conv2d_transpose(x, kernel, strides=1, padding="valid", output_padding=None,
                     dilation_rate=1):
    """Transposed 2-D convolution (Keras's `Conv2DTranspose`), without bias.

    It maps an input of a convolution's output size back to that convolution's input
    size: it is the input gradient of `conv2d`, computed forwards.

    # Arguments
        x: the input, shape `(batch, height, width, in_channels)`.
        kernel: the weights as Keras stores them, shape
            `(kernel_h, kernel_w, out_channels, in_channels)`.
        strides: an int or a pair of ints, the upsampling factor.
        padding: `"valid"` or `"same"`.
        output_padding: `None`, or an int or pair of ints (each smaller than its stride),
            the extra rows and columns of the output.
        dilation_rate: an int or a pair of ints.

    # Returns
        A `Tensor` of shape `(batch, out_h, out_w, out_channels)`, the sizes as Keras's
        `deconv_output_length` computes them.

    # Raises
        ValueError: for inputs of the wrong rank, mismatched channels, or bad strides,
            padding or output padding.
    """
    x = _check_rank("conv2d_transpose", "an input", x, 4, _IMAGE)
    kernel = _check_rank("conv2d_transpose", "a kernel", kernel, 4,
                         "(kernel_h, kernel_w, out, in)")
    kernels, x_value, kernel_value = backend.kernels(), x.value, kernel.value
    geometry = (strides, padding, dilation_rate)
    value = kernels.conv2d_transpose(x_value, kernel_value, strides, padding, output_padding,
                                     dilation_rate)
    return _record_with_gradients(value, (x, kernel), (
        lambda grad: kernels.conv2d_transpose_backward_input(grad, kernel_value, *geometry),
        lambda grad: kernels.conv2d_transpose_backward_kernel(grad, x_value, kernel.shape,
                                                              *geometry),
    ))


def depthwise_conv2d(x, kernel, strides=1, padding="valid", dilation_rate=1):
    """Depthwise 2-D convolution: each input channel convolved with its own filters.

    Output channel `c * depth_multiplier + m` is input channel `c` convolved with
    `kernel[:, :, c, m]`.

    # Arguments
        x: the input, shape `(batch, height, width, channels)`.
        kernel: the weights, shape `(kernel_h, kernel_w, channels, depth_multiplier)`.
        strides: an int or a pair of ints.
        padding: `"valid"` or `"same"`.
        dilation_rate: an int or a pair of ints.

    # Returns
        A `Tensor` of shape `(batch, out_h, out_w, channels * depth_multiplier)`.

    # Raises
        ValueError: for the arguments `conv2d` rejects.
    """
    x = _check_rank("depthwise_conv2d", "an input", x, 4, _IMAGE)
    kernel = _check_rank("depthwise_conv2d", "a kernel", kernel, 4,
                         "(kernel_h, kernel_w, channels, depth_multiplier)")
    kernels, x_value, kernel_value = backend.kernels(), x.value, kernel.value
    geometry = (strides, padding, dilation_rate)
    value = kernels.depthwise_conv2d(x_value, kernel_value, *geometry)
    return _record_with_gradients(value, (x, kernel), (
        lambda grad: kernels.depthwise_conv2d_backward_input(grad, kernel_value, x.shape,
                                                             *geometry),
        lambda grad: kernels.depthwise_conv2d_backward_kernel(grad, x_value, kernel.shape,
                                                              *geometry),
    ))


# 2-D pooling ----------------------------------------------------------------------------------

def max_pool2d(x, pool_size, strides=None, padding="valid"):
    """2-D max pooling.

    The gradient of each output goes to the input cell that won its window (the first
    one, row by row, when several tie).

    # Arguments
        x: the input, shape `(batch, height, width, channels)`.
        pool_size: an int or a pair of ints, the window size.
        strides: an int, a pair of ints, or `None` for `pool_size`.
        padding: `"valid"` or `"same"` (padding cells never win).

    # Returns
        A `Tensor` of shape `(batch, out_h, out_w, channels)`.

    # Raises
        ValueError: for an input of the wrong rank, bad pool size, strides or padding, or
            a pool larger than a `'valid'` input.
    """
    x = _check_rank("max_pool2d", "an input", x, 4, _IMAGE)
    kernels = backend.kernels()
    wanted = [needs_gradient(x)]
    value, argmax = kernels.max_pool2d(x.value, pool_size, strides, padding,
                                       return_argmax=wanted[0])
    return _record_with_gradients(value, (x,), (
        lambda grad: kernels.max_pool2d_backward(grad, argmax, x.shape),
    ), wanted)


def avg_pool2d(x, pool_size, strides=None, padding="valid"):
    """2-D average pooling.

    With `'same'` padding, a window that overlaps the padding averages its real cells
    only, as TensorFlow does.

    # Arguments
        x: the input, shape `(batch, height, width, channels)`.
        pool_size: an int or a pair of ints, the window size.
        strides: an int, a pair of ints, or `None` for `pool_size`.
        padding: `"valid"` or `"same"`.

    # Returns
        A `Tensor` of shape `(batch, out_h, out_w, channels)`.

    # Raises
        ValueError: for an input of the wrong rank, bad pool size, strides or padding, or
            a pool larger than a `'valid'` input.
    """
    x = _check_rank("avg_pool2d", "an input", x, 4, _IMAGE)
    kernels = backend.kernels()
    value = kernels.avg_pool2d(x.value, pool_size, strides, padding)
    return _record_with_gradients(value, (x,), (
        lambda grad: kernels.avg_pool2d_backward(grad, x.shape, pool_size, strides, padding),
    ))


def global_avg_pool2d(x):
    """Averages each channel over the height and width of an image.

    # Arguments
        x: the input, shape `(batch, height, width, channels)`.

    # Returns
        A `Tensor` of shape `(batch, channels)`.

    # Raises
        ValueError: for an input of the wrong rank.
    """
    return mean(_check_rank("global_avg_pool2d", "an input", x, 4, _IMAGE), axis=(1, 2))


def global_max_pool2d(x):
    """Takes the maximum of each channel over the height and width of an image.

    # Arguments
        x: the input, shape `(batch, height, width, channels)`.

    # Returns
        A `Tensor` of shape `(batch, channels)`.

    # Raises
        ValueError: for an input of the wrong rank.
    """
    return reduce_max(_check_rank("global_max_pool2d", "an input", x, 4, _IMAGE), axis=(1, 2))


# 1-D forms: the 2-D ops on images of height 1 -------------------------------------------------

def conv1d(x, kernel, strides=1, padding="valid", dilation_rate=1):
    """1-D convolution, without bias.

    # Arguments
        x: the input, shape `(batch, steps, in_channels)`.
        kernel: the weights, shape `(kernel_size, in_channels, out_channels)`.
        strides: an int, the step between windows.
        padding: `"valid"`, `"same"`, or `"causal"` (output `t` sees only inputs up to
            `t`: the input is padded with `dilation_rate * (kernel_size - 1)` zeros at
            the start).
        dilation_rate: an int, the spacing between kernel taps.

    # Returns
        A `Tensor` of shape `(batch, out_steps, out_channels)`.

    # Raises
        ValueError: for inputs of the wrong rank, mismatched channels, bad strides,
            dilation or padding, or a kernel longer than a `'valid'` input.
    """
    x = _check_rank("conv1d", "an input", x, 3, _SEQUENCE)
    kernel = _check_rank("conv1d", "a kernel", kernel, 3, "(kernel_size, in, out)")
    stride = _one_int(strides, "strides", "conv1d")
    dilation = _one_int(dilation_rate, "dilation_rate", "conv1d")
    padding = str(padding).lower()
    if padding not in ("valid", "same", "causal"):
        raise ValueError("conv1d: `padding` must be one of ['valid', 'same', 'causal']; "
                         f"received {padding!r}.")
    if padding == "causal":
        x = pad(x, ((0, 0), (dilation * (kernel.shape[0] - 1), 0), (0, 0)))
        padding = "valid"
    image = conv2d(_as_image(x), expand_dims(kernel, 0), (1, stride), padding, (1, dilation))
    return _as_sequence(image)


def max_pool1d(x, pool_size=2, strides=None, padding="valid"):
    """1-D max pooling.

    # Arguments
        x: the input, shape `(batch, steps, channels)`.
        pool_size: an int, the window length.
        strides: an int, or `None` for `pool_size`.
        padding: `"valid"` or `"same"`.

    # Returns
        A `Tensor` of shape `(batch, out_steps, channels)`.

    # Raises
        ValueError: for an input of the wrong rank, bad pool size, strides or padding, or
            a pool longer than a `'valid'` input.
    """
    x = _check_rank("max_pool1d", "an input", x, 3, _SEQUENCE)
    pool, stride = _pool_pair("max_pool1d", pool_size, strides)
    return _as_sequence(max_pool2d(_as_image(x), pool, stride, padding))


def avg_pool1d(x, pool_size=2, strides=None, padding="valid"):
    """1-D average pooling.

    # Arguments
        x: the input, shape `(batch, steps, channels)`.
        pool_size: an int, the window length.
        strides: an int, or `None` for `pool_size`.
        padding: `"valid"` or `"same"`.

    # Returns
        A `Tensor` of shape `(batch, out_steps, channels)`.

    # Raises
        ValueError: for an input of the wrong rank, bad pool size, strides or padding, or
            a pool longer than a `'valid'` input.
    """
    x = _check_rank("avg_pool1d", "an input", x, 3, _SEQUENCE)
    pool, stride = _pool_pair("avg_pool1d", pool_size, strides)
    return _as_sequence(avg_pool2d(_as_image(x), pool, stride, padding))


def _pool_pair(op_name, pool_size, strides):
    """A 1-D pool's size and strides as the `(1, n)` pairs of a pool over a 1-row image."""
    pool = _one_int(pool_size, "pool_size", op_name)
    stride = pool if strides is None else _one_int(strides, "strides", op_name)
    return (1, pool), (1, stride)


def global_avg_pool1d(x):
    """Averages each channel over the steps of a sequence.

    # Arguments
        x: the input, shape `(batch, steps, channels)`.

    # Returns
        A `Tensor` of shape `(batch, channels)`.

    # Raises
        ValueError: for an input of the wrong rank.
    """
    return mean(_check_rank("global_avg_pool1d", "an input", x, 3, _SEQUENCE), axis=1)


def global_max_pool1d(x):
    """Takes the maximum of each channel over the steps of a sequence.

    # Arguments
        x: the input, shape `(batch, steps, channels)`.

    # Returns
        A `Tensor` of shape `(batch, channels)`.

    # Raises
        ValueError: for an input of the wrong rank.
    """
    return reduce_max(_check_rank("global_max_pool1d", "an input", x, 3, _SEQUENCE), axis=1)


__all__ = [
    "avg_pool1d", "avg_pool2d", "conv1d", "conv2d", "conv2d_transpose", "depthwise_conv2d",
    "global_avg_pool1d", "global_avg_pool2d", "global_max_pool1d", "global_max_pool2d",
    "max_pool1d", "max_pool2d",
]
