"""Shape arithmetic and argument checks shared by the reference and fast kernels.

Everything here works on shapes and small tuples of ints, never on the data itself, so
`reference.py` and `fast.py` can both import it and agree on every size and padding.

The conventions are TensorFlow's and Keras's:

- images are channels-last, `(batch, height, width, channels)`;
- a kernel of size `k` dilated by `d` covers `(k - 1) * d + 1` input cells;
- `'valid'` padding adds nothing; `'same'` padding makes the output `ceil(n / stride)`
  long and puts the smaller half of the padding before, the larger half after.
"""
import math

import numpy as np

PADDINGS = ("valid", "same")


def normalize_tuple(value, name):
    """Turns an int or a pair of ints into a pair of positive ints.

    # Arguments
        value: an int, or a tuple or list of two ints.
        name: the argument's name, for the error message (`"strides"`, ...).

    # Returns
        A tuple of two positive Python ints.

    # Raises
        ValueError: if `value` is not one or two positive integers.
    """
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    is_int = [isinstance(item, (int, np.integer)) and not isinstance(item, bool)
              for item in pair]
    if len(pair) != 2 or not all(is_int) or min(pair) < 1:
        raise ValueError(f"`{name}` must be a positive integer or a pair of positive "
                         f"integers; received {value!r}.")
    return int(pair[0]), int(pair[1])


def normalize_padding(padding):
    """Checks a padding argument.

    # Arguments
        padding: `"valid"` or `"same"`, in any case.

    # Returns
        The padding in lower case.

    # Raises
        ValueError: for any other value.
    """
    name = str(padding).lower()
    if name not in PADDINGS:
        raise ValueError(f"`padding` must be one of {list(PADDINGS)}; received {padding!r}.")
    return name


def dilated_size(kernel_size, dilation):
    """Returns how many input cells a dilated kernel spans along one axis.

    # Arguments
        kernel_size: the kernel's length along the axis.
        dilation: the dilation rate along the axis.

    # Returns
        `(kernel_size - 1) * dilation + 1`.
    """
    return (kernel_size - 1) * dilation + 1


def conv_output_length(n, k, stride, padding, dilation=1):
    """Returns the output length of a convolution or pooling along one axis.

    # Arguments
        n: the input length.
        k: the kernel (or pool) length.
        stride: the step between windows.
        padding: `"valid"` or `"same"`.
        dilation: the dilation rate of the kernel.

    # Returns
        `ceil(n / stride)` for `'same'`; `ceil((n - dilated k + 1) / stride)` for
        `'valid'`, which is 0 or less when the kernel does not fit.
    """
    if normalize_padding(padding) == "same":
        return math.ceil(n / stride)
    return math.ceil((n - dilated_size(k, dilation) + 1) / stride)


def same_padding(n, k, stride, dilation=1):
    """Returns the `'same'` padding of one axis, as TensorFlow computes it.

    The total is `max((ceil(n / stride) - 1) * stride + dilated k - n, 0)`; the smaller
    half goes before the data and the larger half after it.

    # Arguments
        n: the input length.
        k: the kernel (or pool) length.
        stride: the step between windows.
        dilation: the dilation rate of the kernel.

    # Returns
        A pair `(before, after)` of non-negative ints.
    """
    total = max((math.ceil(n / stride) - 1) * stride + dilated_size(k, dilation) - n, 0)
    return total // 2, total - total // 2


def padding_amounts(n, k, stride, padding, dilation=1):
    """Returns the `(before, after)` padding of one axis for either padding mode.

    # Arguments
        n: the input length.
        k: the kernel (or pool) length.
        stride: the step between windows.
        padding: `"valid"` (no padding) or `"same"`.
        dilation: the dilation rate of the kernel.

    # Returns
        A pair `(before, after)` of non-negative ints.
    """
    if normalize_padding(padding) == "same":
        return same_padding(n, k, stride, dilation)
    return 0, 0


def deconv_output_length(n, k, stride, padding, output_padding=None, dilation=1):
    """Returns the output length of a transposed convolution, as Keras 2 computes it.

    # Arguments
        n: the input length.
        k: the kernel length.
        stride: the stride of the transposed convolution.
        padding: `"valid"` or `"same"`.
        output_padding: `None`, or the number of extra cells added after the data.
        dilation: the dilation rate of the kernel.

    # Returns
        With `output_padding=None`: `n * stride + max(dilated k - stride, 0)` for
        `'valid'` and `n * stride` for `'same'`. Otherwise
        `(n - 1) * stride + dilated k - 2 * pad + output_padding`, where `pad` is
        `dilated k // 2` for `'same'` and 0 for `'valid'`.
    """
    span = dilated_size(k, dilation)
    same = normalize_padding(padding) == "same"
    if output_padding is None:
        return n * stride if same else n * stride + max(span - stride, 0)
    pad = span // 2 if same else 0
    return (n - 1) * stride + span - 2 * pad + output_padding


def float_dtype(*arrays):
    """Returns the float type kernels compute in and return for these inputs.

    float32 inputs give float32 (never a silent upcast); any float64 or integer input
    gives float64; float16 is computed and returned as float32.

    # Arguments
        *arrays: the array inputs of a kernel.

    # Returns
        `numpy.float32` or `numpy.float64`, as a `numpy.dtype`.

    # Raises
        ValueError: for complex or non-numeric inputs.
    """
    dtype = np.result_type(*[np.asarray(array).dtype for array in arrays], np.float32)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"Kernels work on float32 or float64 arrays; received {dtype}.")
    return dtype


def _check_rank4(name, what, shape):
    if len(shape) != 4:
        layout = "(kernel_h, kernel_w, in, out)" if what == "kernel" else \
            "(batch, height, width, channels)"
        raise ValueError(f"{name} expects a {what} of rank 4 {layout}; "
                         f"received shape {tuple(shape)}.")


def _check_fits(name, input_shape, window, padding, window_name):
    if padding != "valid":
        return
    if window[0] > input_shape[1] or window[1] > input_shape[2]:
        raise ValueError(f"{name}: the {window_name} spans {window[0]}x{window[1]} cells, "
                         f"larger than the input of shape {tuple(input_shape)}, "
                         f"with padding 'valid'. Use a smaller {window_name} or "
                         f"padding='same'.")


def conv_geometry(name, input_shape, kernel_shape, strides, padding, dilation_rate):
    """Checks a 2-D convolution's arguments and works out its output shape and padding.

    Works for `conv2d` (kernel `(kh, kw, in, out)`, output channels `out`) and for
    `depthwise_conv2d` (kernel `(kh, kw, in, multiplier)`, output channels
    `in * multiplier`): only the kernel's first three axes are checked here.

    # Arguments
        name: the kernel's name, for error messages.
        input_shape: the input's shape `(batch, height, width, channels)`.
        kernel_shape: the kernel's shape `(kh, kw, in, last)`.
        strides: an int or a pair of ints.
        padding: `"valid"` or `"same"`.
        dilation_rate: an int or a pair of ints.

    # Returns
        A tuple `(strides, dilation_rate, output_size, pads)`: the two pairs of ints,
        the output's `(height, width)`, and `((top, bottom), (left, right))`.

    # Raises
        ValueError: for a bad rank, channel count, stride, dilation or padding, or a
            kernel larger than a `'valid'` input.
    """
    _check_rank4(name, "input", input_shape)
    _check_rank4(name, "kernel", kernel_shape)
    strides = normalize_tuple(strides, "strides")
    dilation_rate = normalize_tuple(dilation_rate, "dilation_rate")
    padding = normalize_padding(padding)
    if min(kernel_shape) < 1:
        raise ValueError(f"{name}: the kernel of shape {tuple(kernel_shape)} is empty.")
    if input_shape[3] != kernel_shape[2]:
        raise ValueError(f"{name}: the input of shape {tuple(input_shape)} has "
                         f"{input_shape[3]} channels but the kernel of shape "
                         f"{tuple(kernel_shape)} expects {kernel_shape[2]}.")
    span = [dilated_size(kernel_shape[axis], dilation_rate[axis]) for axis in (0, 1)]
    _check_fits(name, input_shape, span, padding, "dilated kernel")
    return _window_geometry(input_shape, kernel_shape[:2], strides, padding, dilation_rate)


def pool_geometry(name, input_shape, pool_size, strides, padding):
    """Checks a 2-D pooling's arguments and works out its output shape and padding.

    # Arguments
        name: the kernel's name, for error messages.
        input_shape: the input's shape `(batch, height, width, channels)`.
        pool_size: an int or a pair of ints.
        strides: an int, a pair of ints, or `None` for `pool_size`.
        padding: `"valid"` or `"same"`.

    # Returns
        A tuple `(pool_size, strides, output_size, pads)`: the two pairs of ints, the
        output's `(height, width)`, and `((top, bottom), (left, right))`.

    # Raises
        ValueError: for a bad rank, pool size, stride or padding, or a pool larger than
            a `'valid'` input.
    """
    _check_rank4(name, "input", input_shape)
    pool_size = normalize_tuple(pool_size, "pool_size")
    strides = pool_size if strides is None else normalize_tuple(strides, "strides")
    padding = normalize_padding(padding)
    _check_fits(name, input_shape, pool_size, padding, "pool")
    _, _, output_size, pads = _window_geometry(input_shape, pool_size, strides, padding,
                                               (1, 1))
    return pool_size, strides, output_size, pads


def _window_geometry(input_shape, window, strides, padding, dilation_rate):
    output_size, pads = [], []
    for axis in (0, 1):
        args = (input_shape[axis + 1], window[axis], strides[axis], padding,
                dilation_rate[axis])
        output_size.append(conv_output_length(*args))
        pads.append(padding_amounts(*args))
    return strides, dilation_rate, tuple(output_size), tuple(pads)


def check_shape(name, what, received, expected):
    """Raises a ValueError unless an array has the shape a kernel expects.

    # Arguments
        name: the kernel's name, for the error message.
        what: what the array is (`"grad_output"`, ...).
        received: the array's shape.
        expected: the shape it should have.

    # Raises
        ValueError: if the shapes differ.
    """
    if tuple(received) != tuple(expected):
        raise ValueError(f"{name}: expected {what} of shape {tuple(expected)}; "
                         f"received shape {tuple(received)}.")


def check_argmax(grad_output_shape, argmax_shape, input_shape):
    """Checks the arguments of `max_pool2d_backward`.

    # Arguments
        grad_output_shape: the shape of the output gradient.
        argmax_shape: the shape of the `argmax` that `max_pool2d` returned.
        input_shape: the forward input's shape `(batch, height, width, channels)`.

    # Returns
        `input_shape` as a tuple.

    # Raises
        ValueError: if `argmax` and `grad_output` differ in shape, or if their batch size
            or channels differ from `input_shape`'s.
    """
    name = "max_pool2d_backward"
    input_shape = tuple(input_shape)
    check_shape(name, "argmax", argmax_shape, grad_output_shape)
    _check_rank4(name, "input", input_shape)
    if (input_shape[0], input_shape[3]) != (grad_output_shape[0], grad_output_shape[3]):
        raise ValueError(f"{name}: grad_output of shape {tuple(grad_output_shape)} does not "
                         f"come from an input of shape {input_shape}.")
    return input_shape


def transpose_output_shape(input_shape, kernel_shape, strides, padding, output_padding,
                           dilation_rate):
    """Checks a transposed convolution's arguments and returns its output shape.

    The transposed convolution is the gradient of the forward convolution that maps
    its output back to its input, so that forward convolution must give exactly the
    input's height and width; otherwise the arguments have no transposed convolution.

    # Arguments
        input_shape: the input's shape `(batch, height, width, in)`.
        kernel_shape: the kernel's shape `(kh, kw, out, in)`, as Keras stores it.
        strides: an int or a pair of ints.
        padding: `"valid"` or `"same"`.
        output_padding: `None`, an int or a pair of ints, each smaller than its stride.
        dilation_rate: an int or a pair of ints.

    # Returns
        The output shape `(batch, out_height, out_width, out)`.

    # Raises
        ValueError: for a bad rank, channel count, stride, padding or output padding.
    """
    name = "conv2d_transpose"
    _check_rank4(name, "input", input_shape)
    _check_rank4(name, "kernel", kernel_shape)
    strides = normalize_tuple(strides, "strides")
    dilation_rate = normalize_tuple(dilation_rate, "dilation_rate")
    if input_shape[3] != kernel_shape[3]:
        raise ValueError(f"{name}: the input of shape {tuple(input_shape)} has "
                         f"{input_shape[3]} channels but the kernel of shape "
                         f"{tuple(kernel_shape)} expects {kernel_shape[3]} (its last axis).")
    extra = (None, None) if output_padding is None else _normalize_output_padding(
        output_padding, strides)
    output_size = tuple(
        deconv_output_length(input_shape[axis + 1], kernel_shape[axis], strides[axis],
                             padding, extra[axis], dilation_rate[axis])
        for axis in (0, 1))
    output_shape = (input_shape[0],) + output_size + (kernel_shape[2],)
    if min(output_size) < 1 or conv_geometry(
            name, output_shape, kernel_shape, strides, padding,
            dilation_rate)[2] != tuple(input_shape[1:3]):
        raise ValueError(f"{name}: an input of shape {tuple(input_shape)} with a kernel of "
                         f"shape {tuple(kernel_shape)}, strides {strides}, padding "
                         f"{padding!r} and output_padding {output_padding} gives an output "
                         f"of size {output_size}, which a forward convolution does not map "
                         f"back to the input's size {tuple(input_shape[1:3])}. "
                         f"Choose another output_padding.")
    return output_shape


def _normalize_output_padding(output_padding, strides):
    pair = (output_padding, output_padding) if isinstance(output_padding, (int, np.integer)) \
        else tuple(output_padding)
    if len(pair) != 2 or any(not 0 <= extra < stride for extra, stride in zip(pair, strides)):
        raise ValueError(f"`output_padding` must be non-negative and smaller than the "
                         f"strides {strides}; received {output_padding!r}.")
    return int(pair[0]), int(pair[1])
