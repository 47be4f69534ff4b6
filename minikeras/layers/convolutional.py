"""Convolution layers, and the spatial layers without weights that go around them.

Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D and SeparableConv2D; UpSampling1D/2D,
ZeroPadding1D/2D and Cropping1D/2D.

The convolutions share one base class, `_BaseConv`, which checks the window arguments,
adds the bias and applies the activation; each subclass says which weights it makes
and which op of `minikeras.ops` convolves. Layers compute in channels-last, as the
kernels do: a `channels_first` input is transposed on the way in and back on the way out.

Weights are laid out as Keras stores them: Conv2D `(kh, kw, in, filters)`, Conv2DTranspose
`(kh, kw, filters, in)`, DepthwiseConv2D `(kh, kw, in, depth_multiplier)`.
"""
import numpy as np

from minikeras import activations, constraints, initializers, regularizers
from minikeras.autograd import ops
from minikeras.engine.base_layer import Layer
from minikeras.engine.input_spec import InputSpec
from minikeras.layers.conv_utils import (
    check_output_size, check_strides_and_dilation, from_channels_last, join_shape,
    normalize_data_format, normalize_padding, normalize_pairs, normalize_tuple, output_length,
    split_shape, to_channels_last, transpose_output_length,
)
from minikeras.layers.core import add_bias, check_identifier, check_positive_int


class _BaseConv(Layer):
    """What every convolution layer shares: window arguments, bias, activation.

    Subclasses set `rank` (1 or 2) and define `_build_kernels(channels)`,
    `_output_channels(channels)` and `_convolve(x)` (channels-last, without bias).

    # Arguments
        kernel_size: an int or a tuple of `rank` ints, the window size.
        strides: an int or a tuple of `rank` ints.
        padding: `"valid"` or `"same"` (and `"causal"` for `Conv1D`).
        data_format: `"channels_last"` or `"channels_first"`; `None` means
            `backend.image_data_format()`.
        dilation_rate: an int or a tuple of `rank` ints.
        activation: the activation (name or function); linear by default.
        use_bias: whether to add a bias vector.
        bias_initializer: initializer of the bias.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        bias_constraint: optional constraint on the bias.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        `(batch, *spatial, channels)`, or `(batch, channels, *spatial)` channels first.

    # Output shape
        The same layout, with new spatial lengths and channels.
    """

    rank = 2
    paddings = ("valid", "same")

    def __init__(self, kernel_size, strides, padding, data_format, dilation_rate, activation,
                 use_bias, bias_initializer, bias_regularizer, activity_regularizer,
                 bias_constraint, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        layer_name = type(self).__name__
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size", layer_name)
        self.strides = normalize_tuple(strides, self.rank, "strides", layer_name)
        self.padding = normalize_padding(padding, layer_name, self.paddings)
        self.data_format = normalize_data_format(data_format, layer_name)
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate",
                                             layer_name)
        check_strides_and_dilation(self.strides, self.dilation_rate, layer_name)
        self.activation = check_identifier(layer_name, "activation", activations.get,
                                           activation)
        self.use_bias = use_bias
        self.bias_initializer = check_identifier(layer_name, "bias_initializer",
                                                 initializers.get, bias_initializer)
        self.bias_regularizer = check_identifier(layer_name, "bias_regularizer",
                                                 regularizers.get, bias_regularizer)
        self.bias_constraint = check_identifier(layer_name, "bias_constraint",
                                                constraints.get, bias_constraint)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def build(self, input_shape):
        """Creates the kernel weights and the bias, once the input's channels are known.

        # Arguments
            input_shape: the input's shape.

        # Raises
            ValueError: if the channel axis of the input has no known length.
        """
        channels = split_shape(input_shape, self.data_format)[2]
        if channels is None:
            raise ValueError(f'Layer "{self.name}": the channel axis of the input must be '
                             f"known; received input shape {tuple(input_shape)}.")
        self._build_kernels(channels)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", (self._output_channels(channels),),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        channel_axis = 1 if self.data_format == "channels_first" else -1
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={channel_axis: channels})
        self.built = True

    def call(self, inputs):
        """Convolves, adds the bias and applies the activation.

        # Arguments
            inputs: a tensor of rank `rank + 2`.

        # Returns
            The output tensor.
        """
        self.compute_output_shape(inputs.shape)  # a clear error if the kernel does not fit
        outputs = self._convolve(to_channels_last(inputs, self.data_format))
        outputs, activation = add_bias(self, outputs)
        return activation(from_channels_last(outputs, self.data_format))

    def _output_length(self, length, axis):
        return output_length(length, self.kernel_size[axis], self.strides[axis], self.padding,
                             self.dilation_rate[axis])

    def compute_output_shape(self, input_shape):
        """Returns the output shape, as Keras's `conv_utils.conv_output_length` computes it.

        # Arguments
            input_shape: the input's shape (`None` for unknown lengths).

        # Returns
            The output's shape.

        # Raises
            ValueError: if the kernel is larger than a `'valid'` input.
        """
        batch, spatial, channels = split_shape(input_shape, self.data_format)
        size = tuple(self._output_length(length, axis) for axis, length in enumerate(spatial))
        check_output_size(self, input_shape, size,
                          f"The kernel of size {self.kernel_size} with dilation rate "
                          f"{self.dilation_rate} does not fit in the input with padding "
                          f"{self.padding!r}; use a smaller kernel or padding='same'.")
        return join_shape(batch, size, self._output_channels(channels), self.data_format)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        config = {
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
        return {**super().get_config(), **config}


class _Conv(_BaseConv):
    """A convolution with `filters` outputs and one weight named `kernel`.

    # Arguments
        filters: the number of output channels, a positive int.
        kernel_size: an int or a tuple of `rank` ints, the window size.
        strides: an int or a tuple of `rank` ints.
        padding: `"valid"` or `"same"` (and `"causal"` for `Conv1D`).
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: an int or a tuple of `rank` ints.
        activation: the activation (name or function); linear by default.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the kernel.
        bias_initializer: initializer of the bias.
        kernel_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint on the kernel.
        bias_constraint: optional constraint on the bias.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        `(batch, *spatial, channels)`, or `(batch, channels, *spatial)` channels first.

    # Output shape
        The same layout, with new spatial lengths and `filters` channels.
    """

    def __init__(self, filters, kernel_size, strides, padding, data_format, dilation_rate,
                 activation, use_bias, kernel_initializer, bias_initializer,
                 kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
                 bias_constraint, **kwargs):
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation,
                         use_bias, bias_initializer, bias_regularizer, activity_regularizer,
                         bias_constraint, **kwargs)
        layer_name = type(self).__name__
        self.filters = check_positive_int(layer_name, "filters", filters)
        self.kernel_initializer = check_identifier(layer_name, "kernel_initializer",
                                                   initializers.get, kernel_initializer)
        self.kernel_regularizer = check_identifier(layer_name, "kernel_regularizer",
                                                   regularizers.get, kernel_regularizer)
        self.kernel_constraint = check_identifier(layer_name, "kernel_constraint",
                                                  constraints.get, kernel_constraint)

    def _kernel_shape(self, channels):
        return self.kernel_size + (channels, self.filters)

    def _build_kernels(self, channels):
        self.kernel = self.add_weight("kernel", self._kernel_shape(channels),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)

    def _output_channels(self, channels):
        return self.filters

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        config = {
            "filters": self.filters,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
        }
        return {**super().get_config(), **config}


class Conv1D(_Conv):
    """1-D convolution over a sequence (a temporal convolution).

    `output = activation(conv1d(inputs, kernel) + bias)`: each output step is the sum,
    over a window of `kernel_size` steps and every input channel, of the inputs times the
    kernel.

    # Arguments
        filters: the number of output channels, a positive int.
        kernel_size: an int or a tuple of one int, the window length.
        strides: an int or a tuple of one int.
        padding: `"valid"` (no padding), `"same"` (`ceil(steps / strides)` outputs) or
            `"causal"` (output `t` depends only on inputs up to `t`; for models that must
            not see the future, as WaveNet).
        data_format: `"channels_last"` (the default, `(batch, steps, channels)`) or
            `"channels_first"` (`(batch, channels, steps)`).
        dilation_rate: an int or a tuple of one int, for dilated convolution.
        activation: the activation (name or function); linear by default.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the kernel, `glorot_uniform` by default.
        bias_initializer: initializer of the bias, `zeros` by default.
        kernel_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint on the kernel.
        bias_constraint: optional constraint on the bias.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(batch, steps, channels)`.

    # Output shape
        3-D tensor `(batch, new_steps, filters)`. The kernel has shape
        `(kernel_size, channels, filters)`.

    # Example
    ```python
    model = Sequential()
    model.add(Conv1D(32, 3, activation="relu", input_shape=(100, 8)))
    # now: model.output_shape == (None, 98, 32)
    ```
    """

    rank = 1
    paddings = ("valid", "same", "causal")

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, **kwargs)

    def _convolve(self, x):
        return ops.conv1d(x, self.kernel, self.strides[0], self.padding, self.dilation_rate[0])


class Conv2D(_Conv):
    """2-D convolution over images.

    `output = activation(conv2d(inputs, kernel) + bias)`: each output pixel is the sum,
    over a `kernel_size` window and every input channel, of the inputs times the kernel.
    With `padding="same"` the output has `ceil(size / strides)` pixels per axis and the
    odd padding pixel goes after the image, as in TensorFlow.

    # Arguments
        filters: the number of output channels, a positive int.
        kernel_size: an int or a pair of ints, the window's height and width.
        strides: an int or a pair of ints, the step between windows.
        padding: `"valid"` (no padding) or `"same"`.
        data_format: `"channels_last"` (`(batch, rows, cols, channels)`) or
            `"channels_first"` (`(batch, channels, rows, cols)`); by default
            `backend.image_data_format()`.
        dilation_rate: an int or a pair of ints, for dilated (atrous) convolution; a rate
            above 1 cannot be combined with strides above 1.
        activation: the activation (name or function); linear by default.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the kernel, `glorot_uniform` by default.
        bias_initializer: initializer of the bias, `zeros` by default.
        kernel_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint on the kernel.
        bias_constraint: optional constraint on the bias.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        4-D tensor `(batch, rows, cols, channels)`, or `(batch, channels, rows, cols)`
        channels first.

    # Output shape
        4-D tensor `(batch, new_rows, new_cols, filters)`, or
        `(batch, filters, new_rows, new_cols)` channels first. The kernel has shape
        `(kernel_rows, kernel_cols, channels, filters)`.

    # Example
    ```python
    model = Sequential()
    model.add(Conv2D(32, (4, 4), activation="relu", input_shape=(64, 64, 1)))
    # now: model.output_shape == (None, 61, 61, 32), with 4 * 4 * 1 * 32 + 32 = 544 weights
    ```
    """

    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, **kwargs)

    def _convolve(self, x):
        return ops.conv2d(x, self.kernel, self.strides, self.padding, self.dilation_rate)


class Conv2DTranspose(Conv2D):
    """Transposed 2-D convolution (sometimes called deconvolution).

    It goes the opposite way of a `Conv2D`: from something of the shape of a
    convolution's output to something of the shape of its input, as the decoder of an
    autoencoder does. With `strides=2` and `padding="same"` it doubles the height and
    width.

    # Arguments
        filters: the number of output channels, a positive int.
        kernel_size: an int or a pair of ints, the window's height and width.
        strides: an int or a pair of ints, the upsampling factor.
        padding: `"valid"` or `"same"`.
        output_padding: `None` (the default, Keras's output size rule), or an int or a pair
            of ints, the extra rows and columns of the output; each must be smaller than
            its stride.
        data_format: `"channels_last"` or `"channels_first"`; by default
            `backend.image_data_format()`.
        dilation_rate: an int or a pair of ints; a rate above 1 cannot be combined with
            strides above 1.
        activation: the activation (name or function); linear by default.
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the kernel, `glorot_uniform` by default.
        bias_initializer: initializer of the bias, `zeros` by default.
        kernel_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint on the kernel.
        bias_constraint: optional constraint on the bias.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        4-D tensor `(batch, rows, cols, channels)`, or `(batch, channels, rows, cols)`
        channels first.

    # Output shape
        4-D tensor `(batch, new_rows, new_cols, filters)`, or channels first. Along each
        axis, without `output_padding`, `new = rows * strides` for `'same'` and
        `rows * strides + max(kernel - strides, 0)` for `'valid'`. The kernel has shape
        `(kernel_rows, kernel_cols, filters, channels)`, as Keras stores it.

    # Example
    ```python
    model = Sequential()
    model.add(Conv2DTranspose(16, 3, strides=2, padding="same", input_shape=(8, 8, 32)))
    # now: model.output_shape == (None, 16, 16, 16)
    ```
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1), activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, **kwargs)
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = normalize_tuple(output_padding, 2, "output_padding",
                                                  "Conv2DTranspose", minimum=0)
            if any(extra >= stride for extra, stride in zip(self.output_padding, self.strides)):
                raise ValueError(f"Conv2DTranspose: each `output_padding` must be smaller "
                                 f"than its stride; received output_padding="
                                 f"{self.output_padding} with strides={self.strides}.")

    def _kernel_shape(self, channels):
        return self.kernel_size + (self.filters, channels)

    def _convolve(self, x):
        return ops.conv2d_transpose(x, self.kernel, self.strides, self.padding,
                                    self.output_padding, self.dilation_rate)

    def _output_length(self, length, axis):
        extra = None if self.output_padding is None else self.output_padding[axis]
        geometry = (self.kernel_size[axis], self.strides[axis], self.padding)
        result = transpose_output_length(length, *geometry, extra, self.dilation_rate[axis])
        # The forward convolution must map the output back to the input's length.
        if result is not None and output_length(result, *geometry,
                                                self.dilation_rate[axis]) != length:
            raise ValueError(f'Layer "{self.name}": with kernel_size {self.kernel_size}, '
                             f"strides {self.strides}, padding {self.padding!r} and "
                             f"output_padding {self.output_padding}, an input of length "
                             f"{length} along spatial axis {axis} gives an output of length "
                             f"{result}, which a convolution does not map back to {length}. "
                             "Choose another output_padding.")
        return result

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "output_padding": self.output_padding}


class DepthwiseConv2D(_BaseConv):
    """Depthwise 2-D convolution: each input channel is convolved with its own filters.

    Where `Conv2D` mixes every input channel into every output, here input channel `c`
    gives `depth_multiplier` outputs, channels `c * depth_multiplier + m`, computed from
    channel `c` alone. It is the first step of a `SeparableConv2D`.

    # Arguments
        kernel_size: an int or a pair of ints, the window's height and width.
        strides: an int or a pair of ints.
        padding: `"valid"` or `"same"`.
        depth_multiplier: the number of outputs per input channel, a positive int.
        data_format: `"channels_last"` or `"channels_first"`; by default
            `backend.image_data_format()`.
        dilation_rate: an int or a pair of ints; a rate above 1 cannot be combined with
            strides above 1.
        activation: the activation (name or function); linear by default.
        use_bias: whether to add a bias vector.
        depthwise_initializer: initializer of the depthwise kernel, `glorot_uniform` by
            default.
        bias_initializer: initializer of the bias, `zeros` by default.
        depthwise_regularizer: optional regularizer of the depthwise kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        depthwise_constraint: optional constraint on the depthwise kernel.
        bias_constraint: optional constraint on the bias.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        4-D tensor `(batch, rows, cols, channels)`, or channels first.

    # Output shape
        4-D tensor `(batch, new_rows, new_cols, channels * depth_multiplier)`, or channels
        first. The weight `depthwise_kernel` has shape
        `(kernel_rows, kernel_cols, channels, depth_multiplier)`.
    """

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation,
                         use_bias, bias_initializer, bias_regularizer, activity_regularizer,
                         bias_constraint, **kwargs)
        _init_depthwise(self, depth_multiplier, depthwise_initializer, depthwise_regularizer,
                        depthwise_constraint)

    def _build_kernels(self, channels):
        _add_depthwise_kernel(self, channels)

    def _output_channels(self, channels):
        return None if channels is None else channels * self.depth_multiplier

    def _convolve(self, x):
        return ops.depthwise_conv2d(x, self.depthwise_kernel, self.strides, self.padding,
                                    self.dilation_rate)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), **_depthwise_config(self)}


def _init_depthwise(layer, depth_multiplier, initializer, regularizer, constraint):
    """Checks and stores the depthwise arguments of DepthwiseConv2D and SeparableConv2D."""
    layer_name = type(layer).__name__
    layer.depth_multiplier = check_positive_int(layer_name, "depth_multiplier",
                                                depth_multiplier)
    layer.depthwise_initializer = check_identifier(layer_name, "depthwise_initializer",
                                                   initializers.get, initializer)
    layer.depthwise_regularizer = check_identifier(layer_name, "depthwise_regularizer",
                                                   regularizers.get, regularizer)
    layer.depthwise_constraint = check_identifier(layer_name, "depthwise_constraint",
                                                  constraints.get, constraint)


def _add_depthwise_kernel(layer, channels):
    layer.depthwise_kernel = layer.add_weight(
        "depthwise_kernel", layer.kernel_size + (channels, layer.depth_multiplier),
        initializer=layer.depthwise_initializer, regularizer=layer.depthwise_regularizer,
        constraint=layer.depthwise_constraint)


def _depthwise_config(layer):
    return {
        "depth_multiplier": layer.depth_multiplier,
        "depthwise_initializer": initializers.serialize(layer.depthwise_initializer),
        "depthwise_regularizer": regularizers.serialize(layer.depthwise_regularizer),
        "depthwise_constraint": constraints.serialize(layer.depthwise_constraint),
    }


class SeparableConv2D(_BaseConv):
    """Depthwise separable 2-D convolution: a depthwise, then a pointwise (1x1) convolution.

    The depthwise step convolves each input channel on its own (see `DepthwiseConv2D`);
    the pointwise step mixes the channels with a 1x1 `Conv2D`. It needs far fewer weights
    than a `Conv2D` of the same size.

    # Arguments
        filters: the number of output channels, a positive int.
        kernel_size: an int or a pair of ints, the depthwise window's height and width.
        strides: an int or a pair of ints.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; by default
            `backend.image_data_format()`.
        dilation_rate: an int or a pair of ints; a rate above 1 cannot be combined with
            strides above 1.
        depth_multiplier: the number of depthwise outputs per input channel.
        activation: the activation (name or function); linear by default.
        use_bias: whether to add a bias vector.
        depthwise_initializer: initializer of the depthwise kernel.
        pointwise_initializer: initializer of the pointwise kernel.
        bias_initializer: initializer of the bias.
        depthwise_regularizer: optional regularizer of the depthwise kernel.
        pointwise_regularizer: optional regularizer of the pointwise kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        depthwise_constraint: optional constraint on the depthwise kernel.
        pointwise_constraint: optional constraint on the pointwise kernel.
        bias_constraint: optional constraint on the bias.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        4-D tensor `(batch, rows, cols, channels)`, or channels first.

    # Output shape
        4-D tensor `(batch, new_rows, new_cols, filters)`, or channels first. The weights
        are `depthwise_kernel` `(kernel_rows, kernel_cols, channels, depth_multiplier)`,
        `pointwise_kernel` `(1, 1, channels * depth_multiplier, filters)` and `bias`.
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1), depth_multiplier=1, activation=None,
                 use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, pointwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation,
                         use_bias, bias_initializer, bias_regularizer, activity_regularizer,
                         bias_constraint, **kwargs)
        self.filters = check_positive_int("SeparableConv2D", "filters", filters)
        _init_depthwise(self, depth_multiplier, depthwise_initializer, depthwise_regularizer,
                        depthwise_constraint)
        self.pointwise_initializer = check_identifier(
            "SeparableConv2D", "pointwise_initializer", initializers.get, pointwise_initializer)
        self.pointwise_regularizer = check_identifier(
            "SeparableConv2D", "pointwise_regularizer", regularizers.get, pointwise_regularizer)
        self.pointwise_constraint = check_identifier(
            "SeparableConv2D", "pointwise_constraint", constraints.get, pointwise_constraint)

    def _build_kernels(self, channels):
        _add_depthwise_kernel(self, channels)
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel", (1, 1, channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)

    def _output_channels(self, channels):
        return self.filters

    def _convolve(self, x):
        depthwise = ops.depthwise_conv2d(x, self.depthwise_kernel, self.strides, self.padding,
                                         self.dilation_rate)
        return ops.conv2d(depthwise, self.pointwise_kernel)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        config = {
            "filters": self.filters,
            **_depthwise_config(self),
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
            "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
        }
        return {**super().get_config(), **config}


# Spatial layers without weights --------------------------------------------------------------

class UpSampling1D(Layer):
    """Repeats each step of a sequence `size` times.

    # Arguments
        size: the upsampling factor, a positive int.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(batch, steps, features)`.

    # Output shape
        3-D tensor `(batch, steps * size, features)`.
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = check_positive_int("UpSampling1D", "size", size)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        """Repeats every step `size` times.

        # Arguments
            inputs: a 3-D tensor.

        # Returns
            A 3-D tensor.
        """
        return ops.repeat(inputs, self.size, axis=1)

    def compute_output_shape(self, input_shape):
        """Multiplies the number of steps by `size`.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.
        """
        steps = None if input_shape[1] is None else input_shape[1] * self.size
        return (input_shape[0], steps, input_shape[2])

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "size": self.size}


class UpSampling2D(Layer):
    """Enlarges images by repeating (or interpolating) rows and columns.

    # Arguments
        size: an int or a pair of ints, the factors for rows and columns.
        data_format: `"channels_last"` or `"channels_first"`; by default
            `backend.image_data_format()`.
        interpolation: `"nearest"` (each pixel repeated) or `"bilinear"` (linear in each
            axis, with the pixel centers of TensorFlow 2's `tf.image.resize`).
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        4-D tensor `(batch, rows, cols, channels)`, or channels first.

    # Output shape
        4-D tensor `(batch, rows * size[0], cols * size[1], channels)`, or channels first.
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.size = normalize_tuple(size, 2, "size", "UpSampling2D")
        self.data_format = normalize_data_format(data_format, "UpSampling2D")
        if interpolation not in ("nearest", "bilinear"):
            raise ValueError("UpSampling2D: `interpolation` must be 'nearest' or 'bilinear'; "
                             f"received {interpolation!r}.")
        self.interpolation = interpolation
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        """Upsamples the rows and the columns.

        # Arguments
            inputs: a 4-D tensor.

        # Returns
            A 4-D tensor.
        """
        x = to_channels_last(inputs, self.data_format)
        for axis, factor in zip((1, 2), self.size):
            if self.interpolation == "nearest":
                x = ops.repeat(x, factor, axis=axis)
            else:
                x = _resize_bilinear(x, factor, axis)
        return from_channels_last(x, self.data_format)

    def compute_output_shape(self, input_shape):
        """Multiplies the rows and the columns by `size`.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.
        """
        batch, spatial, channels = split_shape(input_shape, self.data_format)
        size = tuple(None if length is None else length * factor
                     for length, factor in zip(spatial, self.size))
        return join_shape(batch, size, channels, self.data_format)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}


def _bilinear_weights(length, factor, dtype):
    """The `(length * factor, length)` matrix of linear interpolation along one axis.

    Output cell `i` reads the input at `(i + 0.5) / factor - 0.5` (pixel centers aligned,
    as TensorFlow 2 resizes), clamped to the first and last cells.
    """
    source = np.clip((np.arange(length * factor) + 0.5) / factor - 0.5, 0, length - 1)
    lower = np.floor(source).astype(int)
    upper = np.minimum(lower + 1, length - 1)
    fraction = source - lower
    weights = np.zeros((length * factor, length), dtype)
    rows = np.arange(length * factor)
    np.add.at(weights, (rows, lower), 1 - fraction)
    np.add.at(weights, (rows, upper), fraction)
    return weights


def _resize_bilinear(x, factor, axis):
    """Resizes axis `axis` (1 or 2) of a channels-last image by linear interpolation."""
    weights = ops.as_tensor(_bilinear_weights(x.shape[axis], factor, x.dtype))
    resized = ops.tensordot(weights, x, ([1], [axis]))  # the new axis comes first
    order = (1, 0, 2, 3) if axis == 1 else (1, 2, 0, 3)
    return ops.transpose(resized, order)


class ZeroPadding1D(Layer):
    """Adds zeros at the start and the end of a sequence.

    # Arguments
        padding: an int (the same at both ends) or a pair `(start, end)`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(batch, steps, features)`.

    # Output shape
        3-D tensor `(batch, start + steps + end, features)`.
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        self.padding = normalize_tuple(padding, 2, "padding", "ZeroPadding1D", minimum=0)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        """Pads the steps with zeros.

        # Arguments
            inputs: a 3-D tensor.

        # Returns
            A 3-D tensor.
        """
        return ops.pad(inputs, ((0, 0), self.padding, (0, 0)))

    def compute_output_shape(self, input_shape):
        """Adds the padding to the number of steps.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.
        """
        steps = None if input_shape[1] is None else input_shape[1] + sum(self.padding)
        return (input_shape[0], steps, input_shape[2])

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "padding": self.padding}


class ZeroPadding2D(Layer):
    """Adds rows and columns of zeros around images.

    # Arguments
        padding: an int (the same on all four sides), a pair `(rows, cols)` (the same
            above and below, left and right), or a pair of pairs
            `((top, bottom), (left, right))`.
        data_format: `"channels_last"` or `"channels_first"`; by default
            `backend.image_data_format()`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        4-D tensor `(batch, rows, cols, channels)`, or channels first.

    # Output shape
        4-D tensor `(batch, top + rows + bottom, left + cols + right, channels)`, or
        channels first.
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = normalize_pairs(padding, 2, "padding", "ZeroPadding2D")
        self.data_format = normalize_data_format(data_format, "ZeroPadding2D")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        """Pads the rows and the columns with zeros.

        # Arguments
            inputs: a 4-D tensor.

        # Returns
            A 4-D tensor.
        """
        x = to_channels_last(inputs, self.data_format)
        x = ops.pad(x, ((0, 0),) + self.padding + ((0, 0),))
        return from_channels_last(x, self.data_format)

    def compute_output_shape(self, input_shape):
        """Adds the padding to the rows and the columns.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.
        """
        batch, spatial, channels = split_shape(input_shape, self.data_format)
        size = tuple(None if length is None else length + sum(pair)
                     for length, pair in zip(spatial, self.padding))
        return join_shape(batch, size, channels, self.data_format)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}


def _crop(x, cropping):
    """Crops the spatial axes of a channels-last tensor by `(before, after)` pairs."""
    spatial = x.shape[1:-1]
    window = tuple(slice(before, length - after)
                   for length, (before, after) in zip(spatial, cropping))
    return ops.getitem(x, (slice(None),) + window + (slice(None),))


def _cropped_size(layer, input_shape, spatial, cropping):
    """The spatial lengths left after cropping; raises if one is empty."""
    size = tuple(None if length is None else length - sum(pair)
                 for length, pair in zip(spatial, cropping))
    check_output_size(layer, input_shape, size,
                      f"The cropping {cropping} removes the whole input.")
    return size


class Cropping1D(Layer):
    """Removes steps at the start and the end of a sequence.

    # Arguments
        cropping: an int (the same at both ends) or a pair `(start, end)`, the numbers of
            steps removed.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(batch, steps, features)`.

    # Output shape
        3-D tensor `(batch, steps - start - end, features)`.
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = normalize_tuple(cropping, 2, "cropping", "Cropping1D", minimum=0)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        """Crops the steps.

        # Arguments
            inputs: a 3-D tensor.

        # Returns
            A 3-D tensor.
        """
        self.compute_output_shape(inputs.shape)  # a clear error if nothing is left
        return _crop(inputs, (self.cropping,))

    def compute_output_shape(self, input_shape):
        """Subtracts the cropping from the number of steps.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.

        # Raises
            ValueError: if nothing would be left.
        """
        steps, = _cropped_size(self, input_shape, input_shape[1:2], (self.cropping,))
        return (input_shape[0], steps, input_shape[2])

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "cropping": self.cropping}


class Cropping2D(Layer):
    """Removes rows and columns at the borders of images.

    # Arguments
        cropping: an int (the same on all four sides), a pair `(rows, cols)` (the same
            above and below, left and right), or a pair of pairs
            `((top, bottom), (left, right))`.
        data_format: `"channels_last"` or `"channels_first"`; by default
            `backend.image_data_format()`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        4-D tensor `(batch, rows, cols, channels)`, or channels first.

    # Output shape
        4-D tensor `(batch, rows - top - bottom, cols - left - right, channels)`, or
        channels first.
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = normalize_pairs(cropping, 2, "cropping", "Cropping2D")
        self.data_format = normalize_data_format(data_format, "Cropping2D")
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        """Crops the rows and the columns.

        # Arguments
            inputs: a 4-D tensor.

        # Returns
            A 4-D tensor.
        """
        self.compute_output_shape(inputs.shape)  # a clear error if nothing is left
        x = _crop(to_channels_last(inputs, self.data_format), self.cropping)
        return from_channels_last(x, self.data_format)

    def compute_output_shape(self, input_shape):
        """Subtracts the cropping from the rows and the columns.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.

        # Raises
            ValueError: if nothing would be left.
        """
        batch, spatial, channels = split_shape(input_shape, self.data_format)
        size = _cropped_size(self, input_shape, spatial, self.cropping)
        return join_shape(batch, size, channels, self.data_format)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}


# Keras 2 aliases.
Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution2DTranspose = Conv2DTranspose
Deconvolution2D = Deconv2D = Conv2DTranspose
SeparableConvolution2D = SeparableConv2D
