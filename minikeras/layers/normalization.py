"""Normalization layers: BatchNormalization."""
import numbers

from minikeras import constraints, initializers, regularizers
from minikeras.autograd import ops
from minikeras.engine.base_layer import Layer
from minikeras.engine.input_spec import InputSpec
from minikeras.layers.core import check_identifier, check_number


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
        for argument, value in (("center", center), ("scale", scale)):
            if not isinstance(value, bool):
                raise ValueError(f"{name}: `{argument}` must be True or False; "
                                 f"received {value!r}.")
        self.center = center
        self.scale = scale
        self.beta_initializer = check_identifier(name, "beta_initializer", initializers.get,
                                                 beta_initializer)
        self.gamma_initializer = check_identifier(name, "gamma_initializer", initializers.get,
                                                  gamma_initializer)
        self.moving_mean_initializer = check_identifier(
            name, "moving_mean_initializer", initializers.get, moving_mean_initializer)
        self.moving_variance_initializer = check_identifier(
            name, "moving_variance_initializer", initializers.get, moving_variance_initializer)
        self.beta_regularizer = check_identifier(name, "beta_regularizer", regularizers.get,
                                                 beta_regularizer)
        self.gamma_regularizer = check_identifier(name, "gamma_regularizer", regularizers.get,
                                                  gamma_regularizer)
        self.beta_constraint = check_identifier(name, "beta_constraint", constraints.get,
                                                beta_constraint)
        self.gamma_constraint = check_identifier(name, "gamma_constraint", constraints.get,
                                                 gamma_constraint)

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
        self.gamma = None
        if self.scale:
            self.gamma = self.add_weight("gamma", shape, initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        self.beta = None
        if self.center:
            self.beta = self.add_weight("beta", shape, initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)
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
        if self.scale:
            outputs = outputs * ops.reshape(self.gamma, broadcast_shape)
        if self.center:
            outputs = outputs + ops.reshape(self.beta, broadcast_shape)
        return outputs

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
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer":
                initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
        return {**super().get_config(), **config}
