"""Core layers: Dense, Activation, Dropout, Flatten, Reshape and the like.

The full list: Dense, Activation, Dropout, SpatialDropout1D/2D/3D, Flatten, Reshape,
Permute, RepeatVector, Lambda, ActivityRegularization and Masking.

Each follows the same template: `__init__` checks and stores the arguments, `build` makes
the weights, `call` is a few lines of `minikeras.ops`, then `compute_output_shape` and
`get_config`. The small `check_*` helpers at the top give every layer family the same
argument errors.
"""
import math
import numbers
import sys

import numpy as np

from minikeras import activations, backend, constraints, initializers, regularizers
from minikeras.autograd import ops
from minikeras.autograd.ops import nn as nn_ops
from minikeras.engine.base_layer import Layer
from minikeras.engine.input_spec import InputSpec
from minikeras.layers.conv_utils import normalize_data_format
from minikeras.utils.generic_utils import get_custom_objects


def check_positive_int(layer_name, argument, value):
    """Checks that a layer argument is a positive integer.

    # Arguments
        layer_name: the layer's class name, for the message.
        argument: the argument's name.
        value: the value received.

    # Returns
        The value as an int.

    # Raises
        ValueError: if it is not a positive integer.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{layer_name}: `{argument}` must be a positive integer; "
                         f"received {value!r}.")
    return int(value)


def check_number(layer_name, argument, value, minimum=None, allow_none=False):
    """Checks that a layer argument is a real number, optionally at least `minimum`.

    # Arguments
        layer_name: the layer's class name, for the message.
        argument: the argument's name.
        value: the value received.
        minimum: the smallest value allowed, or `None` for no bound.
        allow_none: whether `None` is accepted (and returned as it is).

    # Returns
        The value as a float (or `None`).

    # Raises
        ValueError: if it is not a number, or is below `minimum`.
    """
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or np.isnan(value):
        raise ValueError(f"{layer_name}: `{argument}` must be a number; received {value!r}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{layer_name}: `{argument}` must be at least {minimum}; "
                         f"received {value!r}.")
    return float(value)


def check_rate(layer_name, argument, value):
    """Checks that a layer argument is a fraction in `[0, 1)`, such as a dropout rate.

    # Arguments
        layer_name: the layer's class name, for the message.
        argument: the argument's name.
        value: the value received.

    # Returns
        The value as a float.

    # Raises
        ValueError: if it is not a number in `[0, 1)`.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{layer_name}: `{argument}` must be a number in [0, 1); "
                         f"received {value!r}.")
    return float(value)


def check_identifier(layer_name, argument, get, identifier):
    """Resolves an activation, initializer, regularizer or constraint argument.

    # Arguments
        layer_name: the layer's class name, for the message.
        argument: the argument's name, such as `"kernel_initializer"`.
        get: the `get` function of the module, such as `initializers.get`.
        identifier: the value received (a name, a config, a callable or `None`).

    # Returns
        What `get` returns.

    # Raises
        ValueError: if `get` cannot interpret the identifier; the message names the layer
            and the argument.
    """
    try:
        return get(identifier)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{layer_name}: invalid `{argument}`: {error}") from None


# The activation functions that `ops.bias_add` applies in the same op as the bias, by id,
# to the names it knows them by. By id, not by the function: a custom activation may be
# unhashable, and these module functions live as long as the process, so their ids stay
# theirs.
_FUSED_ACTIVATIONS = {id(activations.get(name)): name for name in nn_ops.BIAS_ADD_ACTIVATIONS}


def fused_activation_name(activation):
    """The name `ops.bias_add` knows an activation function by, or None if it has none.

    # Arguments
        activation: an activation function, as `activations.get` returns it.

    # Returns
        `"linear"`, `"relu"`, `"sigmoid"`, `"tanh"` or None.
    """
    return _FUSED_ACTIVATIONS.get(id(activation))


def add_bias(layer, outputs):
    """Adds a `Dense` or convolution layer's bias, fused with its activation when possible.

    The activation goes into the same op as the bias when `ops.bias_add` knows it. The
    bias is written over the product's array: the layer's own fresh product, which
    nothing else reads and whose op does not need it in the backward pass.

    # Arguments
        layer: a layer with `use_bias`, `bias` and `activation`.
        outputs: the layer's product, channels last.

    # Returns
        A pair: the outputs with the bias added, and the activation still to apply to them
        (`activations.linear` when it was applied with the bias).
    """
    if not layer.use_bias:
        return outputs, layer.activation
    fused = fused_activation_name(layer.activation)
    if fused is None:
        return outputs + layer.bias, layer.activation
    return ops.bias_add(outputs, layer.bias, fused, in_place=True), activations.linear


class Dense(Layer):
    """A densely-connected layer: `output = activation(dot(input, kernel) + bias)`.

    # Arguments
        units: the number of outputs, a positive int.
        activation: the activation (name or function); none by default (linear).
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the kernel, `glorot_uniform` by default.
        bias_initializer: initializer of the bias, `zeros` by default.
        kernel_regularizer: optional regularizer of the kernel.
        bias_regularizer: optional regularizer of the bias.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint on the kernel.
        bias_constraint: optional constraint on the bias.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, `input_dim`, ...).

    # Input shape
        N-D tensor `(batch_size, ..., input_dim)`; most often `(batch_size, input_dim)`.

    # Output shape
        N-D tensor `(batch_size, ..., units)`.

    # Example
    ```python
    model = Sequential()
    model.add(Dense(32, input_shape=(16,)))   # kernel (16, 32), bias (32,)
    ```
    """

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = check_positive_int("Dense", "units", units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        """Creates `kernel` of shape `(input_dim, units)` and `bias` of shape `(units,)`.

        # Arguments
            input_shape: the input's shape; its last axis must be known.

        # Raises
            ValueError: if the last axis of `input_shape` is `None`.
        """
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f'Layer "{self.name}": the last axis of the input must be known; '
                             f"received input shape {tuple(input_shape)}.")
        self.kernel = self.add_weight("kernel", (input_dim, self.units),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.units,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    def call(self, inputs):
        """Computes `activation(inputs @ kernel + bias)`.

        # Arguments
            inputs: a tensor whose last axis has length `input_dim`.

        # Returns
            A tensor whose last axis has length `units`.
        """
        outputs, activation = add_bias(self, ops.matmul(inputs, self.kernel))
        return activation(outputs)

    def compute_output_shape(self, input_shape):
        """Replaces the last axis by `units`.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.
        """
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        config = {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
        return {**super().get_config(), **config}


class Activation(Layer):
    """Applies an activation function to its input.

    # Arguments
        activation: the activation, a name such as `"relu"` or a function of a tensor.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary.

    # Output shape
        Same shape as the input.

    # Example
    ```python
    model.add(Dense(64))
    model.add(Activation("tanh"))
    ```
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = check_identifier("Activation", "activation", activations.get,
                                           activation)

    def call(self, inputs):
        """Applies the activation.

        # Arguments
            inputs: a tensor.

        # Returns
            `activation(inputs)`.
        """
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        """Returns the input shape unchanged.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The same shape.
        """
        return tuple(input_shape)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        config = {"activation": activations.serialize(self.activation)}
        return {**super().get_config(), **config}


class Dropout(Layer):
    """Applies dropout: in training, sets a fraction `rate` of the inputs to 0.

    The inputs that are kept are scaled by `1 / (1 - rate)`, so that the expected sum is
    unchanged. Outside training (`training` false or None, as in `predict`), the layer
    passes its input through unchanged.

    # Arguments
        rate: the fraction of the inputs to drop, a float in `[0, 1)`.
        noise_shape: the shape of the binary dropout mask that is multiplied with the
            input, or `None` for the input's shape. `None` entries take the input's
            length: `(None, 1, features)` drops the same features at every timestep of
            a `(batch, timesteps, features)` input.
        seed: an integer for a reproducible sequence of masks; by default the masks are
            drawn from `backend.rng()` (see `backend.set_seed`).
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary.

    # Output shape
        Same shape as the input.

    # References
        - [Dropout: A Simple Way to Prevent Neural Networks from Overfitting](
           http://www.jmlr.org/papers/volume15/srivastava14a/srivastava14a.pdf)
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        layer_name = type(self).__name__
        self.supports_masking = True
        self.rate = check_rate(layer_name, "rate", rate)
        if noise_shape is not None:
            if not isinstance(noise_shape, (list, tuple)) or not all(
                    length is None or (isinstance(length, numbers.Integral) and length > 0)
                    for length in noise_shape):
                raise ValueError(f"{layer_name}: `noise_shape` must be None or a tuple of "
                                 f"positive ints and None; received {noise_shape!r}.")
            noise_shape = tuple(None if n is None else int(n) for n in noise_shape)
        self.noise_shape = noise_shape
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(f"{layer_name}: `seed` must be None or an integer; received {seed!r}.")
        self.seed = seed
        # A seeded layer draws from its own generator: the same sequence of masks each run.
        self._seed_generator = None if seed is None else np.random.default_rng(seed)

    def _generator(self):
        return self._seed_generator if self._seed_generator is not None else backend.rng()

    def _get_noise_shape(self, inputs):
        """The mask's shape for these inputs: `noise_shape` with None filled in."""
        if self.noise_shape is None:
            return inputs.shape
        if len(self.noise_shape) != inputs.ndim:
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}): noise_shape {self.noise_shape} '
                f"must have one entry per axis of the input, of shape {inputs.shape}."
            )
        return tuple(length if n is None else n for n, length in zip(self.noise_shape,
                                                                     inputs.shape))

    def call(self, inputs, training=None):
        """Drops inputs at random in training; returns them unchanged otherwise.

        # Arguments
            inputs: a tensor.
            training: whether the call is part of training.

        # Returns
            A tensor of the input's shape.
        """
        if not training or self.rate == 0:
            return inputs
        keep = self._generator().random(self._get_noise_shape(inputs)) >= self.rate
        return inputs * (keep / (1 - self.rate)).astype(inputs.dtype)

    def compute_output_shape(self, input_shape):
        """Returns the input shape unchanged.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The same shape.
        """
        return tuple(input_shape)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        config = {"rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed}
        return {**super().get_config(), **config}


class SpatialDropout1D(Dropout):
    """Spatial 1-D dropout: drops whole channels (feature maps) instead of single values.

    When neighbouring timesteps are strongly correlated, as in the output of early
    convolutions, ordinary dropout hardly regularizes; dropping a channel at every
    timestep at once does. Active only in training, as `Dropout`.

    # Arguments
        rate: the fraction of the channels to drop, a float in `[0, 1)`.
        **kwargs: `seed`, and the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(samples, timesteps, channels)`.

    # Output shape
        Same shape as the input.

    # References
        - [Efficient Object Localization Using Convolutional Networks](
           https://arxiv.org/abs/1411.4280)
    """

    def __init__(self, rate, **kwargs):
        super().__init__(rate, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    def _get_noise_shape(self, inputs):
        return (inputs.shape[0], 1, inputs.shape[2])


class SpatialDropout2D(Dropout):
    """Spatial 2-D dropout: drops whole channels (feature maps) instead of single pixels.

    Active only in training, as `Dropout`.

    # Arguments
        rate: the fraction of the channels to drop, a float in `[0, 1)`.
        data_format: `"channels_last"` (`(samples, rows, cols, channels)`) or
            `"channels_first"` (`(samples, channels, rows, cols)`); by default
            `backend.image_data_format()`.
        **kwargs: `seed`, and the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        4-D tensor `(samples, rows, cols, channels)` with `"channels_last"`, or
        `(samples, channels, rows, cols)` with `"channels_first"`.

    # Output shape
        Same shape as the input.

    # References
        - [Efficient Object Localization Using Convolutional Networks](
           https://arxiv.org/abs/1411.4280)
    """

    _spatial_rank = 2

    def __init__(self, rate, data_format=None, **kwargs):
        super().__init__(rate, **kwargs)
        self.data_format = normalize_data_format(data_format, type(self).__name__)
        self.input_spec = InputSpec(ndim=self._spatial_rank + 2)

    def _get_noise_shape(self, inputs):
        ones = (1,) * self._spatial_rank
        if self.data_format == "channels_first":
            return (inputs.shape[0], inputs.shape[1]) + ones
        return (inputs.shape[0],) + ones + (inputs.shape[-1],)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "data_format": self.data_format}


class SpatialDropout3D(SpatialDropout2D):
    """Spatial 3-D dropout: drops whole channels (feature maps) instead of single voxels.

    Active only in training, as `Dropout`.

    # Arguments
        rate: the fraction of the channels to drop, a float in `[0, 1)`.
        data_format: `"channels_last"` (`(samples, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (`(samples, channels, dim1, dim2, dim3)`); by default
            `backend.image_data_format()`.
        **kwargs: `seed`, and the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        5-D tensor, channels last or first as `data_format` says.

    # Output shape
        Same shape as the input.
    """

    _spatial_rank = 3


class Flatten(Layer):
    """Flattens each sample of the input; the batch axis is kept.

    # Arguments
        data_format: `"channels_last"` or `"channels_first"`, the axis order of the input;
            with `"channels_first"` the channels are moved last before flattening, so that
            the result is ordered as for a channels-last input (as Keras does, for weights
            to carry between the two formats). By default `backend.image_data_format()`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        N-D tensor `(batch, ...)`, at least 3-D (as in Keras 2).

    # Output shape
        2-D tensor `(batch, product of the other lengths)`.

    # Example
    ```python
    model = Sequential()
    model.add(Conv2D(64, (3, 3), padding="same", input_shape=(32, 32, 3)))
    # now: model.output_shape == (None, 32, 32, 64)
    model.add(Flatten())
    # now: model.output_shape == (None, 65536)
    ```
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(data_format, "Flatten")
        self.input_spec = InputSpec(min_ndim=3)

    def call(self, inputs):
        """Reshapes the inputs to `(batch, -1)`.

        # Arguments
            inputs: a tensor of at least three axes.

        # Returns
            A 2-D tensor.
        """
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = ops.transpose(inputs, (0,) + tuple(range(2, inputs.ndim)) + (1,))
        return ops.reshape(inputs, (inputs.shape[0], math.prod(inputs.shape[1:])))

    def compute_output_shape(self, input_shape):
        """Returns `(batch, product of the other lengths)`.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.

        # Raises
            ValueError: if a length other than the batch size is unknown.
        """
        if any(length is None for length in input_shape[1:]):
            raise ValueError(
                f'The shape of the input to "Flatten" is not fully defined (got '
                f"{tuple(input_shape[1:])}). Make sure to pass a complete \"input_shape\" or "
                '"batch_input_shape" argument to the first layer in your model.'
            )
        return (input_shape[0], int(np.prod(input_shape[1:], dtype=np.int64)))

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """Reshapes each sample of the input to `target_shape`; the batch axis is kept.

    # Arguments
        target_shape: the shape of one output sample, a tuple of positive ints; one entry
            may be -1, meaning "whatever length makes the sizes match".
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary, with all lengths known except the batch size.

    # Output shape
        `(batch_size,) + target_shape`.

    # Example
    ```python
    model = Sequential()
    model.add(Reshape((3, 4), input_shape=(12,)))  # output (None, 3, 4)
    model.add(Reshape((-1, 2, 2)))                 # output (None, 3, 2, 2)
    ```
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        if isinstance(target_shape, numbers.Integral) and not isinstance(target_shape, bool):
            target_shape = (target_shape,)
        if not isinstance(target_shape, (list, tuple)) or not all(
                isinstance(n, numbers.Integral) and not isinstance(n, bool) and (n > 0 or n == -1)
                for n in target_shape):
            raise ValueError("Reshape: `target_shape` must be a tuple of positive ints (one of "
                             f"them may be -1); received {target_shape!r}.")
        if list(target_shape).count(-1) > 1:
            raise ValueError("Reshape: `target_shape` can only specify one unknown dimension "
                             f"(-1); received {tuple(target_shape)}.")
        self.target_shape = tuple(int(n) for n in target_shape)

    def _fix_unknown_dimension(self, input_shape):
        """Replaces the -1 of `target_shape` by the length that keeps the size unchanged."""
        output_shape = list(self.target_shape)
        known = int(np.prod([n for n in output_shape if n != -1], dtype=np.int64))
        original = int(np.prod(input_shape, dtype=np.int64))
        if -1 in output_shape:
            if known == 0 or original % known:
                self._raise_size_mismatch(input_shape)
            output_shape[output_shape.index(-1)] = original // known
        elif original != known:
            self._raise_size_mismatch(input_shape)
        return tuple(output_shape)

    def _raise_size_mismatch(self, input_shape):
        raise ValueError(
            f'Layer "{self.name}" (Reshape): total size of the new array must be unchanged: '
            f"an input sample of shape {tuple(input_shape)} cannot be reshaped to "
            f"target_shape {self.target_shape}."
        )

    def call(self, inputs):
        """Reshapes each sample.

        # Arguments
            inputs: a tensor.

        # Returns
            A tensor of shape `(batch,) + target_shape`.
        """
        shape = self._fix_unknown_dimension(inputs.shape[1:])
        return ops.reshape(inputs, (inputs.shape[0],) + shape)

    def compute_output_shape(self, input_shape):
        """Returns `(batch,) + target_shape`, with -1 resolved when the input shape is known.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.

        # Raises
            ValueError: if the sizes cannot match.
        """
        if any(length is None for length in input_shape[1:]):
            return (input_shape[0],) + tuple(None if n == -1 else n for n in self.target_shape)
        return (input_shape[0],) + self._fix_unknown_dimension(input_shape[1:])

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "target_shape": self.target_shape}


class Permute(Layer):
    """Permutes the axes of each sample; the batch axis stays first.

    # Arguments
        dims: the new order of the axes, numbered from 1 (the batch axis, 0, is not
            listed): `(2, 1)` swaps the two axes of a 3-D input.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        N-D tensor with `len(dims) + 1` axes.

    # Output shape
        The input's shape with its axes reordered as `dims` says.

    # Example
    ```python
    model = Sequential()
    model.add(Permute((2, 1), input_shape=(10, 64)))
    # now: model.output_shape == (None, 64, 10)
    ```
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(dims, (list, tuple)) or not all(
                isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in dims):
            raise ValueError(f"Permute: `dims` must be a tuple of ints; received {dims!r}.")
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                f"Permute: invalid permutation `dims` {tuple(dims)}. The set of indices in "
                "`dims` must be consecutive and start from 1."
            )
        self.dims = tuple(int(d) for d in dims)
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)

    def call(self, inputs):
        """Permutes the axes.

        # Arguments
            inputs: a tensor.

        # Returns
            The permuted tensor.
        """
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        """Reorders the axes of the shape.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.
        """
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "dims": self.dims}


class RepeatVector(Layer):
    """Repeats the input `n` times along a new axis.

    # Arguments
        n: the number of repetitions, a positive int.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        2-D tensor `(num_samples, features)`.

    # Output shape
        3-D tensor `(num_samples, n, features)`.

    # Example
    ```python
    model = Sequential()
    model.add(Dense(32, input_dim=32))   # output (None, 32)
    model.add(RepeatVector(3))           # output (None, 3, 32)
    ```
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = check_positive_int("RepeatVector", "n", n)
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        """Repeats the inputs.

        # Arguments
            inputs: a 2-D tensor.

        # Returns
            A 3-D tensor.
        """
        return ops.tile(ops.expand_dims(inputs, 1), (1, self.n, 1))

    def compute_output_shape(self, input_shape):
        """Returns `(batch, n, features)`.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.
        """
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "n": self.n}


class Lambda(Layer):
    """Wraps an arbitrary function of tensors as a layer.

    The function must be written with `minikeras.ops` (or tensor arithmetic) so that
    gradients flow through it. In a saved config the function is stored by name: to load
    the model again, the function must be importable from the module it was defined in,
    or be passed in `custom_objects`. An anonymous `lambda` cannot be rebuilt from a
    config (minikeras never runs stored byte code): define the function with `def`, or
    pass it as `custom_objects={"<layer name>": function}`.

    # Arguments
        function: the function to apply; its first argument is the input tensor (or list
            of tensors).
        output_shape: the output shape, needed only when it cannot be inferred by running
            the function: a tuple for one sample (without the batch axis), or a function
            of the input shape returning the full output shape.
        mask: `None`, a mask to return from `compute_mask`, or a function
            `mask(inputs, previous_mask)` computing it.
        arguments: an optional dict of keyword arguments passed to the function.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary.

    # Output shape
        Given by `output_shape`, or inferred by running the function.

    # Example
    ```python
    def squared(x):
        return x ** 2

    model.add(Lambda(squared))
    ```
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError(f"Lambda: `function` must be callable; received {function!r}.")
        if output_shape is not None and not callable(output_shape):
            if not isinstance(output_shape, (list, tuple)) or not all(
                    n is None or (isinstance(n, numbers.Integral) and not isinstance(n, bool))
                    for n in output_shape):
                raise ValueError("Lambda: `output_shape` must be None, a tuple of ints or a "
                                 f"function of the input shape; received {output_shape!r}.")
            output_shape = tuple(output_shape)
        if arguments is not None and not isinstance(arguments, dict):
            raise ValueError(f"Lambda: `arguments` must be None or a dict; received {arguments!r}.")
        self.function = function
        self._output_shape = output_shape
        self.mask = mask
        self.supports_masking = mask is not None
        self.arguments = dict(arguments or {})

    def call(self, inputs):
        """Applies the function.

        # Arguments
            inputs: a tensor or a list of tensors.

        # Returns
            `function(inputs, **arguments)`.
        """
        return self.function(inputs, **self.arguments)

    def compute_mask(self, inputs, mask=None):
        """Returns the mask given to the layer, or computed by its `mask` function.

        # Arguments
            inputs: the layer's inputs.
            mask: the mask of the inputs, if any.

        # Returns
            A mask, or `None`.
        """
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_shape(self, input_shape):
        """Returns the output shape: from `output_shape`, or by running the function.

        # Arguments
            input_shape: the input's shape (or a list of shapes).

        # Returns
            The output's shape.

        # Raises
            ValueError: if an `output_shape` function returns something that is not a shape.
        """
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            shape = self._output_shape(input_shape)
            if not isinstance(shape, (list, tuple)):
                raise ValueError(f'Layer "{self.name}" (Lambda): the `output_shape` function '
                                 f"must return a tuple or a list of tuples; it returned {shape!r}.")
            if isinstance(shape, list) and (not shape or not isinstance(shape[0], (list, tuple))):
                shape = tuple(shape)
            return shape
        is_list = isinstance(input_shape, list)
        batch_size = input_shape[0][0] if is_list else (input_shape[0] if input_shape else None)
        return (batch_size,) + self._output_shape

    def get_config(self):
        """Returns the arguments of the layer, with the functions stored by name.

        # Returns
            A dict with `function`, `module`, `function_type` (`"function"` or `"lambda"`),
            `output_shape`, `output_shape_type` (`"raw"`, `"function"` or `"lambda"`),
            `output_shape_module` and `arguments`, as Keras 2 names them.
        """
        output_shape, output_shape_type, output_shape_module = self._output_shape, "raw", None
        if callable(self._output_shape):
            output_shape = _function_name(self._output_shape)
            output_shape_type = _function_type(self._output_shape)
            output_shape_module = getattr(self._output_shape, "__module__", None)
        config = {
            "function": _function_name(self.function),
            "module": getattr(self.function, "__module__", None),
            "function_type": _function_type(self.function),
            "output_shape": output_shape,
            "output_shape_type": output_shape_type,
            "output_shape_module": output_shape_module,
            "arguments": dict(self.arguments),
        }
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates a `Lambda` layer from its config, finding its functions by name.

        A function is looked up in `custom_objects`, then among the global custom objects
        (`utils.get_custom_objects()`), then in its module if that module is imported.

        # Arguments
            config: a dict from `get_config`.
            custom_objects: an optional dict of functions by name; an anonymous function
                can be given under the layer's name.

        # Returns
            A new `Lambda` layer.

        # Raises
            ValueError: if a function cannot be found, or was stored as byte code.
        """
        config = dict(config)
        name = config.get("name")
        function = _find_function(name, config.pop("function"), config.pop("module", None),
                                  config.pop("function_type", "function"), custom_objects)
        output_shape = config.pop("output_shape", None)
        output_shape_type = config.pop("output_shape_type", "raw")
        output_shape_module = config.pop("output_shape_module", None)
        if isinstance(output_shape, dict) or (output_shape_type != "raw"
                                              and output_shape is not None):
            output_shape = _find_function(name, output_shape, output_shape_module,
                                          output_shape_type, custom_objects)
        return cls(function, output_shape=output_shape, **config)


def _function_name(function):
    return getattr(function, "__name__", type(function).__name__)


def _function_type(function):
    return "lambda" if _function_name(function) == "<lambda>" else "function"


def _find_function(layer_name, stored, module, function_type, custom_objects):
    """Finds a function of a `Lambda` config by name; never runs stored byte code."""
    custom_objects = dict(custom_objects or {})
    if isinstance(stored, dict):  # Keras 3: {"class_name": "function", "config": "<name>"}
        module = stored.get("module", module)
        function_type = "lambda" if stored.get("class_name") == "__lambda__" else "function"
        stored = stored.get("config")
    if function_type == "lambda" or not isinstance(stored, str) or stored == "<lambda>":
        if layer_name in custom_objects:
            return custom_objects[layer_name]
        raise ValueError(
            f'Lambda layer "{layer_name}": its config holds an anonymous function (a lambda, '
            "or Python byte code written by Keras), which minikeras cannot rebuild. Define the "
            "function with `def` and pass it as "
            f"custom_objects={{{layer_name!r}: function}} when loading."
        )
    for table in (custom_objects, get_custom_objects()):
        if stored in table:
            return table[stored]
    if module in sys.modules and hasattr(sys.modules[module], stored):
        return getattr(sys.modules[module], stored)
    raise ValueError(
        f'Lambda layer "{layer_name}": unknown function {stored!r} (from module {module!r}). '
        f"Import its module first, or pass custom_objects={{{stored!r}: {stored}}}."
    )


class ActivityRegularization(Layer):
    """Adds a penalty on the activity (the output) to the loss; the input passes unchanged.

    The penalty is `l1 * sum(abs(x)) + l2 * sum(x ** 2)`.

    # Arguments
        l1: the L1 factor, a non-negative float.
        l2: the L2 factor, a non-negative float.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary.

    # Output shape
        Same shape as the input.
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)  # set by l1 and l2 (present in configs)
        l1 = check_number("ActivityRegularization", "l1", l1, minimum=0)
        l2 = check_number("ActivityRegularization", "l2", l2, minimum=0)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2

    def call(self, inputs):
        """Returns the inputs (the penalty is added by the base class).

        # Arguments
            inputs: a tensor.

        # Returns
            The same tensor.
        """
        return inputs

    def compute_output_shape(self, input_shape):
        """Returns the input shape unchanged.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The same shape.
        """
        return tuple(input_shape)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}


class Masking(Layer):
    """Zeroes the timesteps whose features all equal `mask_value`.

    For each timestep of a `(samples, timesteps, features)` input, if every feature
    equals `mask_value`, the whole timestep is set to 0 in the output, and the mask is
    passed on, so that later layers such as `LSTM` skip those timesteps.

    # Arguments
        mask_value: the value that marks a timestep to skip.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary, usually `(samples, timesteps, features)`.

    # Output shape
        Same shape as the input.

    # Example
    ```python
    model = Sequential()
    model.add(Masking(mask_value=0.0, input_shape=(timesteps, features)))
    ```
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.mask_value = check_number("Masking", "mask_value", mask_value)

    def compute_mask(self, inputs, mask=None):
        """Returns which timesteps hold a value other than `mask_value`.

        # Arguments
            inputs: a tensor.
            mask: the previous mask (ignored).

        # Returns
            A boolean array of the input's shape without its last axis.
        """
        return np.any(ops.not_equal(inputs, self.mask_value).numpy(), axis=-1)

    def call(self, inputs):
        """Multiplies the inputs by the mask of their timesteps.

        # Arguments
            inputs: a tensor.

        # Returns
            `inputs * any(inputs != mask_value, axis=-1, keepdims=True)`.
        """
        keep = np.expand_dims(self.compute_mask(inputs), -1)
        return inputs * keep.astype(inputs.dtype)

    def compute_output_shape(self, input_shape):
        """Returns the input shape unchanged.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The same shape.
        """
        return tuple(input_shape)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "mask_value": self.mask_value}
