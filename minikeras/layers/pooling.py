"""Pooling layers: MaxPooling1D/2D, AveragePooling1D/2D and their global forms.

A pooling layer slides a window over the steps (1-D) or the pixels (2-D) and keeps the
maximum or the mean of each channel in each window; a global pooling keeps one value
per channel for the whole input. The windows are computed by the ops of
`minikeras.ops` in channels-last; a `channels_first` input is transposed on the way in
and back on the way out.
"""
from minikeras.autograd import ops
from minikeras.engine.base_layer import Layer
from minikeras.engine.input_spec import InputSpec
from minikeras.layers.conv_utils import (
    check_output_size, from_channels_last, join_shape, normalize_data_format, normalize_padding,
    normalize_tuple, output_length, split_shape, to_channels_last,
)


class _Pooling(Layer):
    """What the 1-D and 2-D poolings share; subclasses set `rank` and define `_pool(x)`.

    # Arguments
        pool_size: an int or a tuple of `rank` ints, the window size.
        strides: an int, a tuple of `rank` ints, or `None` for `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        `(batch, *spatial, channels)`, or `(batch, channels, *spatial)` channels first.

    # Output shape
        The same layout, with `ceil(length / strides)` (`'same'`) or
        `ceil((length - pool_size + 1) / strides)` (`'valid'`) along each spatial axis.
    """

    rank = 2

    def __init__(self, pool_size, strides, padding, data_format, **kwargs):
        super().__init__(**kwargs)
        layer_name = type(self).__name__
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size", layer_name)
        self.strides = self.pool_size if strides is None else normalize_tuple(
            strides, self.rank, "strides", layer_name)
        self.padding = normalize_padding(padding, layer_name)
        self.data_format = normalize_data_format(data_format, layer_name)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        """Pools every window of every channel.

        # Arguments
            inputs: a tensor of rank `rank + 2`.

        # Returns
            The pooled tensor.
        """
        self.compute_output_shape(inputs.shape)  # a clear error if the pool does not fit
        outputs = self._pool(to_channels_last(inputs, self.data_format))
        return from_channels_last(outputs, self.data_format)

    def compute_output_shape(self, input_shape):
        """Returns the output shape: as a convolution's, with the pool as the kernel.

        # Arguments
            input_shape: the input's shape (`None` for unknown lengths).

        # Returns
            The output's shape.

        # Raises
            ValueError: if the pool is larger than a `'valid'` input.
        """
        batch, spatial, channels = split_shape(input_shape, self.data_format)
        size = tuple(output_length(length, self.pool_size[axis], self.strides[axis],
                                   self.padding)
                     for axis, length in enumerate(spatial))
        check_output_size(self, input_shape, size,
                          f"The pool of size {self.pool_size} does not fit in the input "
                          f"with padding {self.padding!r}; use a smaller pool or "
                          "padding='same'.")
        return join_shape(batch, size, channels, self.data_format)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        config = {"pool_size": self.pool_size, "padding": self.padding,
                  "strides": self.strides, "data_format": self.data_format}
        return {**super().get_config(), **config}


class MaxPooling1D(_Pooling):
    """Max pooling over the steps of a sequence.

    # Arguments
        pool_size: an int, the window length.
        strides: an int, or `None` (the default) for `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` (the default, `(batch, steps, features)`) or
            `"channels_first"` (`(batch, features, steps)`).
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(batch, steps, features)`.

    # Output shape
        3-D tensor `(batch, pooled_steps, features)`.
    """

    rank = 1

    def __init__(self, pool_size=2, strides=None, padding="valid",
                 data_format="channels_last", **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)

    def _pool(self, x):
        return ops.max_pool1d(x, self.pool_size[0], self.strides[0], self.padding)


class AveragePooling1D(_Pooling):
    """Average pooling over the steps of a sequence.

    # Arguments
        pool_size: an int, the window length.
        strides: an int, or `None` (the default) for `pool_size`.
        padding: `"valid"` or `"same"` (a window overlapping the padding averages its real
            steps only).
        data_format: `"channels_last"` (the default, `(batch, steps, features)`) or
            `"channels_first"` (`(batch, features, steps)`).
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(batch, steps, features)`.

    # Output shape
        3-D tensor `(batch, pooled_steps, features)`.
    """

    rank = 1

    def __init__(self, pool_size=2, strides=None, padding="valid",
                 data_format="channels_last", **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)

    def _pool(self, x):
        return ops.avg_pool1d(x, self.pool_size[0], self.strides[0], self.padding)


class MaxPooling2D(_Pooling):
    """Max pooling over the pixels of images.

    # Arguments
        pool_size: an int or a pair of ints, the window's height and width; `(2, 2)`
            halves each.
        strides: an int, a pair of ints, or `None` (the default) for `pool_size`.
        padding: `"valid"` or `"same"` (padding pixels never win).
        data_format: `"channels_last"` or `"channels_first"`; by default
            `backend.image_data_format()`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        4-D tensor `(batch, rows, cols, channels)`, or `(batch, channels, rows, cols)`
        channels first.

    # Output shape
        4-D tensor `(batch, pooled_rows, pooled_cols, channels)`, or channels first.

    # Example
    ```python
    model = Sequential()
    model.add(MaxPooling2D(2, input_shape=(61, 61, 32)))
    # now: model.output_shape == (None, 30, 30, 32)
    ```
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)

    def _pool(self, x):
        return ops.max_pool2d(x, self.pool_size, self.strides, self.padding)


class AveragePooling2D(_Pooling):
    """Average pooling over the pixels of images.

    # Arguments
        pool_size: an int or a pair of ints, the window's height and width.
        strides: an int, a pair of ints, or `None` (the default) for `pool_size`.
        padding: `"valid"` or `"same"` (a window overlapping the padding averages its real
            pixels only, as TensorFlow does).
        data_format: `"channels_last"` or `"channels_first"`; by default
            `backend.image_data_format()`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        4-D tensor `(batch, rows, cols, channels)`, or `(batch, channels, rows, cols)`
        channels first.

    # Output shape
        4-D tensor `(batch, pooled_rows, pooled_cols, channels)`, or channels first.
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)

    def _pool(self, x):
        return ops.avg_pool2d(x, self.pool_size, self.strides, self.padding)


class _GlobalPooling(Layer):
    """What the global poolings share; subclasses set `rank` and define `_pool(x)`.

    # Arguments
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        `(batch, *spatial, channels)`, or `(batch, channels, *spatial)` channels first.

    # Output shape
        2-D tensor `(batch, channels)`.
    """

    rank = 2

    def __init__(self, data_format, **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(data_format, type(self).__name__)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        """Reduces every channel to one value.

        # Arguments
            inputs: a tensor of rank `rank + 2`.

        # Returns
            A 2-D tensor `(batch, channels)`.
        """
        return self._pool(to_channels_last(inputs, self.data_format))

    def compute_output_shape(self, input_shape):
        """Returns `(batch, channels)`.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.
        """
        batch, _, channels = split_shape(input_shape, self.data_format)
        return (batch, channels)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "data_format": self.data_format}


class GlobalMaxPooling1D(_GlobalPooling):
    """Takes the maximum of each feature over all the steps of a sequence.

    # Arguments
        data_format: `"channels_last"` (the default, `(batch, steps, features)`) or
            `"channels_first"` (`(batch, features, steps)`).
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(batch, steps, features)`.

    # Output shape
        2-D tensor `(batch, features)`.
    """

    rank = 1

    def __init__(self, data_format="channels_last", **kwargs):
        super().__init__(data_format, **kwargs)

    def _pool(self, x):
        return ops.global_max_pool1d(x)


class GlobalAveragePooling1D(_GlobalPooling):
    """Averages each feature over all the steps of a sequence.

    # Arguments
        data_format: `"channels_last"` (the default, `(batch, steps, features)`) or
            `"channels_first"` (`(batch, features, steps)`).
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(batch, steps, features)`.

    # Output shape
        2-D tensor `(batch, features)`.
    """

    rank = 1

    def __init__(self, data_format="channels_last", **kwargs):
        super().__init__(data_format, **kwargs)

    def _pool(self, x):
        return ops.global_avg_pool1d(x)


class GlobalMaxPooling2D(_GlobalPooling):
    """Takes the maximum of each channel over all the pixels of an image.

    # Arguments
        data_format: `"channels_last"` or `"channels_first"`; by default
            `backend.image_data_format()`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        4-D tensor `(batch, rows, cols, channels)`, or channels first.

    # Output shape
        2-D tensor `(batch, channels)`.
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)

    def _pool(self, x):
        return ops.global_max_pool2d(x)


class GlobalAveragePooling2D(_GlobalPooling):
    """Averages each channel over all the pixels of an image.

    # Arguments
        data_format: `"channels_last"` or `"channels_first"`; by default
            `backend.image_data_format()`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        4-D tensor `(batch, rows, cols, channels)`, or channels first.

    # Output shape
        2-D tensor `(batch, channels)`.
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)

    def _pool(self, x):
        return ops.global_avg_pool2d(x)


# Keras 2 aliases.
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
