"""Normalization layers: BatchNormalization and LayerNormalization."""
import numbers

from minikeras import constraints, initializers, regularizers
from minikeras.autograd import ops
from minikeras.engine.base_layer import Layer
from minikeras.engine.input_spec import InputSpec
from minikeras.layers.core import check_identifier, check_number



# `gamma` and `beta`, as both layers take, build and save them ----------------------------

def _set_scale_and_offset(layer, layer_name, center, scale, beta_initializer,
                          gamma_initializer, beta_regularizer, gamma_regularizer,
                          beta_constraint, gamma_constraint):
    """Checks and stores the arguments of `gamma` (scale) and `beta` (center)."""
    for argument, value in (("center", center), ("scale", scale)):
        if not isinstance(value, bool):
            raise ValueError(f"{layer_name}: `{argument}` must be True or False; "
                             f"received {value!r}.")
    layer.center = center
    layer.scale = scale
    for argument, value, get in (
            ("beta_initializer", beta_initializer, initializers.get),
            ("gamma_initializer", gamma_initializer, initializers.get),
            ("beta_regularizer", beta_regularizer, regularizers.get),
            ("gamma_regularizer", gamma_regularizer, regularizers.get),
            ("beta_constraint", beta_constraint, constraints.get),
            ("gamma_constraint", gamma_constraint, constraints.get)):
        setattr(layer, argument, check_identifier(layer_name, argument, get, value))


def _add_scale_and_offset(layer, shape):
    """Creates `gamma` then `beta` (Keras's order), or None for those switched off."""
    layer.gamma = None
    if layer.scale:
        layer.gamma = layer.add_weight("gamma", shape, initializer=layer.gamma_initializer,
                                       regularizer=layer.gamma_regularizer,
                                       constraint=layer.gamma_constraint)
    layer.beta = None
    if layer.center:
        layer.beta = layer.add_weight("beta", shape, initializer=layer.beta_initializer,
                                      regularizer=layer.beta_regularizer,
                                      constraint=layer.beta_constraint)


def _scale_and_offset(layer, outputs, broadcast_shape):
    """`outputs * gamma + beta`, each where the layer has it, reshaped to broadcast."""
    if layer.scale:
        outputs = outputs * ops.reshape(layer.gamma, broadcast_shape)
    if layer.center:
        outputs = outputs + ops.reshape(layer.beta, broadcast_shape)
    return outputs


def _scale_and_offset_config(layer):
    """The config entries of `gamma` and `beta`."""
    return {
        "center": layer.center,
        "scale": layer.scale,
        "beta_initializer": initializers.serialize(layer.beta_initializer),
        "gamma_initializer": initializers.serialize(layer.gamma_initializer),
        "beta_regularizer": regularizers.serialize(layer.beta_regularizer),
        "gamma_regularizer": regularizers.serialize(layer.gamma_regularizer),
        "beta_constraint": constraints.serialize(layer.beta_constraint),
        "gamma_constraint": constraints.serialize(layer.gamma_constraint),
    }

class BatchNormalization(Layer):
    """Batch normalization layer (Ioffe and Szegedy, 2014).

    Normalizes the activations of the previous layer for each feature, so that their
    mean is close to 0 and their standard deviation close to 1, then scales them by
    `gamma` and shifts them by `beta`:
    `output = (x - mean) / sqrt(variance + epsilon) * gamma + beta`.

    In training (`training=True`, as in `fit`), `mean` and `variance` are those of the
    batch (the biased variance), computed over every axis but `axis`, and gradients flow
    through them. Each training call also updates the moving statistics, as Keras 2 does:

    ```
    moving_mean = moving_mean * momentum + mean * (1 - momentum)
    moving_variance = (moving_variance * momentum
                       + variance * n / (n - (1 + epsilon)) * (1 - momentum))
    ```

    where `n` is the number of values averaged per feature (the factor makes the batch
    variance a nearly unbiased estimate). Otherwise (`predict`, `evaluate`), the moving
    statistics are used.

    # Arguments
        axis: the axis of the features, an int (typically -1, the channels of a
            channels-last input; `axis=1` after a `Conv2D` with
            `data_format="channels_first"`).
        momentum: the momentum of the moving mean and the moving variance, in [0, 1].
        epsilon: a small float added to the variance to avoid dividing by zero.
        center: if True, add the offset `beta`; if False, `beta` is not created.
        scale: if True, multiply by `gamma`; if False, `gamma` is not created. When the
            next layer is linear (or `relu`), this can be disabled since the scaling can
            be done by the next layer.
        beta_initializer: initializer of `beta`, `zeros` by default.
        gamma_initializer: initializer of `gamma`, `ones` by default.
        moving_mean_initializer: initializer of the moving mean, `zeros` by default.
        moving_variance_initializer: initializer of the moving variance, `ones` by default.
        beta_regularizer: optional regularizer of `beta`.
        gamma_regularizer: optional regularizer of `gamma`.
        beta_constraint: optional constraint on `beta`.
        gamma_constraint: optional constraint on `gamma`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary, with the length of `axis` known.

    # Output shape
        Same shape as the input.

    # References
        - [Batch Normalization: Accelerating Deep Network Training by Reducing Internal
           Covariate Shift](https://arxiv.org/abs/1502.03167)
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        name = "BatchNormalization"
        self.supports_masking = True
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise ValueError(f"{name}: `axis` must be an int; received {axis!r}.")
        self.axis = int(axis)
        self.momentum = check_number(name, "momentum", momentum, minimum=0)
        if self.momentum > 1:
            raise ValueError(f"{name}: `momentum` must be in [0, 1]; received {momentum!r}.")
        self.epsilon = check_number(name, "epsilon", epsilon, minimum=0)
        _set_scale_and_offset(self, name, center, scale, beta_initializer, gamma_initializer,
                              beta_regularizer, gamma_regularizer, beta_constraint,
                              gamma_constraint)
        self.moving_mean_initializer = check_identifier(
            name, "moving_mean_initializer", initializers.get, moving_mean_initializer)
        self.moving_variance_initializer = check_identifier(
            name, "moving_variance_initializer", initializers.get, moving_variance_initializer)

    def build(self, input_shape):
        """Creates `gamma` and `beta` (trainable), `moving_mean` and `moving_variance`.

        Each has shape `(input_shape[axis],)`; they are created in Keras's order.

        # Arguments
            input_shape: the input's shape; the length of `axis` must be known.

        # Raises
            ValueError: if `axis` is not an axis of the input, or its length is unknown.
        """
        ndim = len(input_shape)
        if not -ndim <= self.axis < ndim:
            raise ValueError(f'Layer "{self.name}" (BatchNormalization): axis {self.axis} is '
                             f"not an axis of the input, of shape {tuple(input_shape)}.")
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(f'Layer "{self.name}" (BatchNormalization): axis {self.axis} of '
                             "the input should have a defined dimension, but the layer received "
                             f"an input with shape {tuple(input_shape)}.")
        self.input_spec = InputSpec(ndim=ndim, axes={self.axis: dim})
        shape = (dim,)
        _add_scale_and_offset(self, shape)
        self.moving_mean = self.add_weight("moving_mean", shape,
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape,
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.built = True

    def call(self, inputs, training=None):
        """Normalizes with the batch statistics in training, the moving ones otherwise.

        # Arguments
            inputs: a tensor.
            training: whether the call is part of training; a training call also updates
                the moving statistics.

        # Returns
            The normalized tensor, of the input's shape.
        """
        axis = self.axis % inputs.ndim
        reduction_axes = tuple(a for a in range(inputs.ndim) if a != axis)
        # Per-feature vectors are reshaped to broadcast along the feature axis.
        broadcast_shape = [1] * inputs.ndim
        broadcast_shape[axis] = inputs.shape[axis]
        if training:
            mean = ops.mean(inputs, axis=reduction_axes, keepdims=True)
            centered = inputs - mean
            variance = ops.mean(centered * centered, axis=reduction_axes, keepdims=True)
            self._update_moving_statistics(mean, variance, inputs.size // inputs.shape[axis])
        else:
            mean = ops.reshape(self.moving_mean, broadcast_shape)
            centered = inputs - mean
            variance = ops.reshape(self.moving_variance, broadcast_shape)
        outputs = centered / ops.sqrt(variance + self.epsilon)
        return _scale_and_offset(self, outputs, broadcast_shape)

    def _update_moving_statistics(self, mean, variance, sample_size):
        """Moves the moving statistics toward the batch ones, outside the tape."""
        # The unbiased estimate of the population variance, as Keras 2 computes it.
        unbiased = variance.numpy().ravel() * (sample_size / (sample_size - (1.0 + self.epsilon)))
        for moving, batch_value in ((self.moving_mean, mean.numpy().ravel()),
                                    (self.moving_variance, unbiased)):
            moving.assign(moving.numpy() * self.momentum + batch_value * (1 - self.momentum))

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
        config = {
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            **_scale_and_offset_config(self),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer":
                initializers.serialize(self.moving_variance_initializer),
        }
        return {**super().get_config(), **config}


class LayerNormalization(Layer):
    """Layer normalization layer (Ba et al., 2016), as tf.keras 2's.

    Normalizes each sample on its own, over the axes `axis` (by default its features),
    so that their mean is 0 and their standard deviation close to 1, then scales by
    `gamma` and shifts by `beta`:
    `output = (x - mean) / sqrt(variance + epsilon) * gamma + beta`, with the mean and
    the (biased) variance of each sample over `axis`. Unlike `BatchNormalization`, it
    behaves the same in training and in inference, and keeps no moving statistics.

    # Arguments
        axis: the axis, or a list of axes, to normalize over; -1 (the last) by default.
            `gamma` and `beta` have the shape of these axes.
        epsilon: a small float added to the variance to avoid dividing by zero.
        center: if True, add the offset `beta`; if False, `beta` is not created.
        scale: if True, multiply by `gamma`; if False, `gamma` is not created.
        beta_initializer: initializer of `beta`, `zeros` by default.
        gamma_initializer: initializer of `gamma`, `ones` by default.
        beta_regularizer: optional regularizer of `beta`.
        gamma_regularizer: optional regularizer of `gamma`.
        beta_constraint: optional constraint on `beta`.
        gamma_constraint: optional constraint on `gamma`.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary, with the lengths of `axis` known (the batch axis is never one of them).

    # Output shape
        Same shape as the input.

    # References
        - [Layer Normalization](https://arxiv.org/abs/1607.06450)
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        name = "LayerNormalization"
        self.supports_masking = True
        axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
        if not axes or any(isinstance(a, bool) or not isinstance(a, numbers.Integral)
                           for a in axes):
            raise ValueError(f"{name}: `axis` must be an int or a list of ints; "
                             f"received {axis!r}.")
        self.axis = [int(a) for a in axes] if isinstance(axis, (list, tuple)) else int(axis)
        self.epsilon = check_number(name, "epsilon", epsilon, minimum=0)
        _set_scale_and_offset(self, name, center, scale, beta_initializer, gamma_initializer,
                              beta_regularizer, gamma_regularizer, beta_constraint,
                              gamma_constraint)

    def _axes(self, ndim):
        """The normalized axes as non-negative ints, in increasing order."""
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        return sorted(a % ndim for a in axes)

    def build(self, input_shape):
        """Creates `gamma` and `beta`, of the shape of the normalized axes.

        # Arguments
            input_shape: the input's shape; the lengths of `axis` must be known.

        # Raises
            ValueError: if an axis is not an axis of the input, is the batch axis, is
                given twice, or has an unknown length.
        """
        ndim = len(input_shape)
        given = self.axis if isinstance(self.axis, list) else [self.axis]
        where = f'Layer "{self.name}" (LayerNormalization)'
        axes = self._axes(ndim)
        if any(not -ndim <= a < ndim for a in given) or 0 in axes:
            raise ValueError(f"{where}: axis {self.axis} must be axes of the input other than "
                             f"the batch axis; the input has shape {tuple(input_shape)}.")
        if len(set(axes)) != len(axes):
            raise ValueError(f"{where}: axis {self.axis} names an axis twice.")
        shape = tuple(input_shape[a] for a in axes)
        if None in shape:
            raise ValueError(f"{where}: the normalized axes {self.axis} of the input should "
                             f"have defined lengths; received shape {tuple(input_shape)}.")
        self.input_spec = InputSpec(ndim=ndim, axes=dict(zip(axes, shape)))
        _add_scale_and_offset(self, shape)
        self.built = True

    def call(self, inputs):
        """Normalizes each sample over `axis`.

        # Arguments
            inputs: a tensor.

        # Returns
            The normalized tensor, of the input's shape.
        """
        axes = tuple(self._axes(inputs.ndim))
        mean = ops.mean(inputs, axis=axes, keepdims=True)
        centered = inputs - mean
        variance = ops.mean(centered * centered, axis=axes, keepdims=True)
        outputs = centered / ops.sqrt(variance + self.epsilon)
        # gamma and beta hold the normalized axes; the others broadcast.
        broadcast_shape = [inputs.shape[a] if a in axes else 1 for a in range(inputs.ndim)]
        return _scale_and_offset(self, outputs, broadcast_shape)

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
        config = {"axis": self.axis, "epsilon": self.epsilon, **_scale_and_offset_config(self)}
        return {**super().get_config(), **config}
