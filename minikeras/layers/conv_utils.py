"""What the convolution, pooling and spatial layers share, as Keras 2's `utils/conv_utils.py`.

Argument checks that name the layer in their errors, the output length of a window
sliding over an axis, and the moves between `channels_first` and `channels_last`: the
layers compute in channels-last, as the kernels do, and transpose at their edges.
"""
import numbers

from minikeras import backend
from minikeras.autograd import ops
from minikeras.kernels.geometry import conv_output_length, deconv_output_length


# Argument checks -------------------------------------------------------------------------------

def normalize_tuple(value, n, name, layer_name, minimum=1):
    """Turns an int or a sequence of `n` ints into a tuple of `n` ints.

    # Arguments
        value: an int, or a tuple or list of `n` ints.
        n: the length of the tuple (the number of spatial axes).
        name: the argument's name, for the error message (`"strides"`, ...).
        layer_name: the layer's class name, for the error message.
        minimum: the smallest value accepted (1 for sizes and strides, 0 for padding).

    # Returns
        A tuple of `n` Python ints.

    # Raises
        ValueError: if `value` is not an int or `n` ints, all at least `minimum`.

    # Example
    ```python
    normalize_tuple(3, 2, "kernel_size", "Conv2D")       # (3, 3)
    normalize_tuple([2, 1], 2, "strides", "Conv2D")      # (2, 1)
    ```
    """
    values = (value,) * n if _is_int(value) else value
    if (not isinstance(values, (tuple, list)) or len(values) != n
            or not all(_is_int(item) and item >= minimum for item in values)):
        kind = "positive" if minimum == 1 else f"at least {minimum}"
        raise ValueError(f"{layer_name}: `{name}` must be an integer or a tuple of {n} "
                         f"integers, each {kind}; received {value!r}.")
    return tuple(int(item) for item in values)


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def normalize_pairs(value, n, name, layer_name):
    """Reads the `padding` of `ZeroPadding2D` or the `cropping` of `Cropping2D`.

    # Arguments
        value: an int (the same on every side), a tuple of `n` ints (symmetric along each
            axis), or a tuple of `n` pairs `(before, after)`.
        n: the number of spatial axes.
        name: the argument's name, for the error message.
        layer_name: the layer's class name, for the error message.

    # Returns
        A tuple of `n` pairs of non-negative ints.

    # Raises
        ValueError: for any other value, or a negative amount.

    # Example
    ```python
    normalize_pairs(1, 2, "padding", "ZeroPadding2D")                 # ((1, 1), (1, 1))
    normalize_pairs((1, 2), 2, "padding", "ZeroPadding2D")            # ((1, 1), (2, 2))
    normalize_pairs(((0, 1), (2, 3)), 2, "padding", "ZeroPadding2D")  # ((0, 1), (2, 3))
    ```
    """
    if _is_int(value):
        value = (value,) * n
    if not isinstance(value, (tuple, list)) or len(value) != n:
        raise ValueError(f"{layer_name}: `{name}` must be an integer, a tuple of {n} "
                         f"integers, or a tuple of {n} pairs (before, after); "
                         f"received {value!r}.")
    return tuple(normalize_tuple(item, 2, name, layer_name, minimum=0) for item in value)


def normalize_padding(value, layer_name, allowed=("valid", "same")):
    """Checks a `padding` argument.

    # Arguments
        value: the padding, such as `"valid"` or `"same"`, in any case.
        layer_name: the layer's class name, for the error message.
        allowed: the paddings this layer accepts.

    # Returns
        The padding in lower case.

    # Raises
        ValueError: for any other value (such as Keras 1's `"full"`).
    """
    padding = str(value).lower()
    if padding not in allowed:
        raise ValueError(f"{layer_name}: `padding` must be one of {list(allowed)}; "
                         f"received {value!r}.")
    return padding


def normalize_data_format(value, layer_name):
    """Checks a `data_format` argument; `None` means `backend.image_data_format()`.

    # Arguments
        value: `None`, `"channels_last"` or `"channels_first"`.
        layer_name: the layer's class name, for the error message.

    # Returns
        `"channels_last"` or `"channels_first"`.

    # Raises
        ValueError: for any other value.
    """
    try:
        return backend.normalize_data_format(value)
    except ValueError as error:
        raise ValueError(f"{layer_name}: {error}") from error


def check_strides_and_dilation(strides, dilation_rate, layer_name):
    """Refuses strides above 1 together with a dilation rate above 1, as Keras does.

    # Arguments
        strides: a tuple of ints.
        dilation_rate: a tuple of ints.
        layer_name: the layer's class name, for the error message.

    # Raises
        ValueError: if both a stride and a dilation rate exceed 1.
    """
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(f"{layer_name}: `strides` > 1 is not supported together with "
                         f"`dilation_rate` > 1; received strides={strides} and "
                         f"dilation_rate={dilation_rate}.")


# Shape arithmetic ----------------------------------------------------------------------------

def output_length(length, window, stride, padding, dilation=1):
    """Returns how many windows fit along one axis, `None` for an unknown length.

    # Arguments
        length: the input length, or `None`.
        window: the kernel (or pool) length.
        stride: the step between windows.
        padding: `"valid"`, `"same"` or `"causal"` (which, like `"same"`, keeps
            `ceil(length / stride)` outputs).
        dilation: the kernel's dilation rate.

    # Returns
        An int (0 or less when the window does not fit a `'valid'` input), or `None`.
    """
    if length is None:
        return None
    padding = "same" if padding == "causal" else padding
    return conv_output_length(length, window, stride, padding, dilation)


def transpose_output_length(length, window, stride, padding, output_padding=None, dilation=1):
    """Returns the output length of a transposed convolution, `None` for an unknown length.

    # Arguments
        length: the input length, or `None`.
        window: the kernel length.
        stride: the stride (the upsampling factor).
        padding: `"valid"` or `"same"`.
        output_padding: `None`, or the extra cells of the output.
        dilation: the kernel's dilation rate.

    # Returns
        An int, or `None`.
    """
    if length is None:
        return None
    return deconv_output_length(length, window, stride, padding, output_padding, dilation)


def check_output_size(layer, input_shape, spatial_size, hint):
    """Raises if a layer's output would have an empty spatial axis.

    # Arguments
        layer: the layer, for its name.
        input_shape: the input's shape, for the message.
        spatial_size: the output's spatial lengths (ints or `None`).
        hint: what the user can change, as a sentence.

    # Raises
        ValueError: if a length is 0 or less.
    """
    if any(length is not None and length < 1 for length in spatial_size):
        raise ValueError(f'Layer "{layer.name}": an input of shape {tuple(input_shape)} gives '
                         f"an output of spatial size {tuple(spatial_size)}, which is empty. "
                         f"{hint}")


# Data formats ---------------------------------------------------------------------------------

def split_shape(shape, data_format):
    """Splits a shape into `(batch, spatial axes, channels)`.

    # Arguments
        shape: `(batch, *spatial, channels)` or, channels first, `(batch, channels, *spatial)`.
        data_format: `"channels_last"` or `"channels_first"`.

    # Returns
        A tuple `(batch, spatial, channels)`, with `spatial` a tuple.
    """
    shape = tuple(shape)
    if data_format == "channels_first":
        return shape[0], shape[2:], shape[1]
    return shape[0], shape[1:-1], shape[-1]


def join_shape(batch, spatial, channels, data_format):
    """The inverse of `split_shape`.

    # Arguments
        batch: the batch size, or `None`.
        spatial: the spatial lengths, a tuple.
        channels: the number of channels.
        data_format: `"channels_last"` or `"channels_first"`.

    # Returns
        The shape, a tuple.
    """
    if data_format == "channels_first":
        return (batch, channels) + tuple(spatial)
    return (batch,) + tuple(spatial) + (channels,)


def to_channels_last(x, data_format):
    """Moves the channel axis of a `channels_first` tensor to the end.

    # Arguments
        x: a tensor `(batch, channels, *spatial)` or already `(batch, *spatial, channels)`.
        data_format: the layout of `x`.

    # Returns
        The tensor in `channels_last` layout (unchanged if it already was).
    """
    if data_format != "channels_first":
        return x
    return ops.transpose(x, (0,) + tuple(range(2, x.ndim)) + (1,))


def from_channels_last(x, data_format):
    """Moves the channel axis back to where `data_format` wants it.

    # Arguments
        x: a tensor in `channels_last` layout.
        data_format: the layout wanted.

    # Returns
        The tensor in layout `data_format`.
    """
    if data_format != "channels_first":
        return x
    return ops.transpose(x, (0, x.ndim - 1) + tuple(range(1, x.ndim - 1)))
