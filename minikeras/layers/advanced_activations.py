"""Advanced activation layers: activations with arguments or weights of their own.

They are LeakyReLU, PReLU, ELU, ThresholdedReLU, Softmax and ReLU.
"""
import numbers

from minikeras import activations, constraints, initializers, regularizers
from minikeras.autograd import ops
from minikeras.engine.base_layer import Layer
from minikeras.engine.input_spec import InputSpec
from minikeras.layers.core import check_identifier, check_number


class _ElementwiseActivation(Layer):
    """The base of the activation layers: the output has the input's shape.

    # Arguments
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def compute_output_shape(self, input_shape):
        """Returns the input shape unchanged.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The same shape.
        """
        return tuple(input_shape)


class LeakyReLU(_ElementwiseActivation):
    """Leaky version of a rectified linear unit.

    It allows a small gradient when the unit is not active:
    `f(x) = alpha * x` for `x < 0`, `f(x) = x` for `x >= 0`.

    # Arguments
        alpha: the slope for negative inputs, a float >= 0.
        **kwargs: `negative_slope`, Keras 3's name for `alpha`, and the base `Layer`
            arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary.

    # Output shape
        Same shape as the input.

    # References
        - [Rectifier Nonlinearities Improve Neural Network Acoustic Models](
           https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf)
    """

    def __init__(self, alpha=0.3, **kwargs):
        alpha = kwargs.pop("negative_slope", alpha)
        super().__init__(**kwargs)
        self.alpha = check_number("LeakyReLU", "alpha", alpha, minimum=0)

    def call(self, inputs):
        """Applies the leaky ReLU.

        # Arguments
            inputs: a tensor.

        # Returns
            A tensor of the input's shape.
        """
        return ops.leaky_relu(inputs, alpha=self.alpha)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "alpha": self.alpha}


class PReLU(_ElementwiseActivation):
    """Parametric rectified linear unit: a leaky ReLU whose slopes are learned.

    `f(x) = alpha * x` for `x < 0`, `f(x) = x` for `x >= 0`, where `alpha` is a weight
    with the shape of one sample (or with length 1 along the `shared_axes`).

    # Arguments
        alpha_initializer: initializer of the weights, `zeros` by default.
        alpha_regularizer: optional regularizer of the weights.
        alpha_constraint: optional constraint on the weights.
        shared_axes: the axes (counted from 1, after the batch axis) along which the
            slopes are shared, an int or a list of ints. For a `(batch, height, width,
            channels)` input, `shared_axes=[1, 2]` learns one slope per channel.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary, with every non-shared length known.

    # Output shape
        Same shape as the input.

    # References
        - [Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet
           Classification](https://arxiv.org/abs/1502.01852)
    """

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = check_identifier("PReLU", "alpha_initializer", initializers.get,
                                                  alpha_initializer)
        self.alpha_regularizer = check_identifier("PReLU", "alpha_regularizer", regularizers.get,
                                                  alpha_regularizer)
        self.alpha_constraint = check_identifier("PReLU", "alpha_constraint", constraints.get,
                                                 alpha_constraint)
        if shared_axes is not None:
            if not isinstance(shared_axes, (list, tuple)):
                shared_axes = [shared_axes]
            if not all(isinstance(a, numbers.Integral) and not isinstance(a, bool) and a >= 1
                       for a in shared_axes):
                raise ValueError("PReLU: `shared_axes` must be None, an int or a list of ints "
                                 f">= 1 (axis 0 is the batch axis); received {shared_axes!r}.")
            shared_axes = [int(a) for a in shared_axes]
        self.shared_axes = shared_axes

    def build(self, input_shape):
        """Creates `alpha`, of the shape of one sample with length 1 on the shared axes.

        # Arguments
            input_shape: the input's shape.

        # Raises
            ValueError: if a shared axis is not an axis of the input, or a non-shared length
                is unknown.
        """
        shared = set(self.shared_axes or [])
        if any(axis >= len(input_shape) for axis in shared):
            raise ValueError(f'Layer "{self.name}" (PReLU): shared_axes {self.shared_axes} do '
                             f"not fit an input of shape {tuple(input_shape)}.")
        param_shape = [1 if axis in shared else input_shape[axis]
                       for axis in range(1, len(input_shape))]
        if None in param_shape:
            raise ValueError(f'Layer "{self.name}" (PReLU): every axis that is not shared must '
                             f"have a known length; received input shape {tuple(input_shape)}."
                             " Share the unknown axes with `shared_axes`.")
        self.alpha = self.add_weight("alpha", param_shape, initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        axes = {axis: input_shape[axis] for axis in range(1, len(input_shape))
                if axis not in shared} if shared else {}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)
        self.built = True

    def call(self, inputs):
        """Computes `relu(x) - alpha * relu(-x)`.

        # Arguments
            inputs: a tensor.

        # Returns
            A tensor of the input's shape.
        """
        return ops.relu(inputs) - self.alpha * ops.relu(-inputs)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        config = {
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
        return {**super().get_config(), **config}


class ELU(_ElementwiseActivation):
    """Exponential linear unit.

    `f(x) = alpha * (exp(x) - 1)` for `x < 0`, `f(x) = x` for `x >= 0`.

    # Arguments
        alpha: the scale of the negative part, a float.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary.

    # Output shape
        Same shape as the input.

    # References
        - [Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)](
           https://arxiv.org/abs/1511.07289v1)
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = check_number("ELU", "alpha", alpha)

    def call(self, inputs):
        """Applies the ELU.

        # Arguments
            inputs: a tensor.

        # Returns
            A tensor of the input's shape.
        """
        return ops.elu(inputs, alpha=self.alpha)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "alpha": self.alpha}


class ThresholdedReLU(_ElementwiseActivation):
    """Thresholded rectified linear unit.

    `f(x) = x` for `x > theta`, `f(x) = 0` otherwise.

    # Arguments
        theta: the threshold, a float >= 0.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary.

    # Output shape
        Same shape as the input.

    # References
        - [Zero-Bias Autoencoders and the Benefits of Co-Adapting Features](
           https://arxiv.org/abs/1402.3337)
    """

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.theta = check_number("ThresholdedReLU", "theta", theta, minimum=0)

    def call(self, inputs):
        """Zeroes the inputs at or below `theta`.

        # Arguments
            inputs: a tensor.

        # Returns
            A tensor of the input's shape.
        """
        return ops.where(inputs > self.theta, inputs, 0.0)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "theta": self.theta}


class Softmax(_ElementwiseActivation):
    """Softmax activation layer: `exp(x) / sum(exp(x))` along an axis.

    # Arguments
        axis: the axis along which the softmax normalization is applied, an int.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary.

    # Output shape
        Same shape as the input.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise ValueError(f"Softmax: `axis` must be an int; received {axis!r}.")
        self.axis = int(axis)

    def call(self, inputs):
        """Applies the softmax along `axis`.

        # Arguments
            inputs: a tensor.

        # Returns
            A tensor of the input's shape whose values along `axis` sum to 1.
        """
        return ops.softmax(inputs, axis=self.axis)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "axis": self.axis}


class ReLU(_ElementwiseActivation):
    """Rectified linear unit activation, with an optional ceiling, leak and threshold.

    With the defaults it returns `max(x, 0)`. Otherwise:
    `f(x) = max_value` for `x >= max_value`,
    `f(x) = x` for `threshold <= x < max_value`,
    `f(x) = negative_slope * (x - threshold)` otherwise.

    # Arguments
        max_value: the largest output, a float >= 0, or `None` for no ceiling.
        negative_slope: the slope below the threshold, a float >= 0.
        threshold: the threshold value below which the output is damped, a float.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        Arbitrary.

    # Output shape
        Same shape as the input.
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = check_number("ReLU", "max_value", max_value, minimum=0, allow_none=True)
        self.negative_slope = check_number("ReLU", "negative_slope", negative_slope, minimum=0)
        self.threshold = check_number("ReLU", "threshold", threshold)

    def call(self, inputs):
        """Applies the ReLU.

        # Arguments
            inputs: a tensor.

        # Returns
            A tensor of the input's shape.
        """
        return activations.relu(inputs, alpha=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        config = {"max_value": self.max_value, "negative_slope": self.negative_slope,
                  "threshold": self.threshold}
        return {**super().get_config(), **config}
