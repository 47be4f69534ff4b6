"""Activation functions, as `Dense(64, activation="relu")` names them.

Each function takes a tensor (or array) and returns a `Tensor`. The math is done by
`minikeras.ops`, so every activation is differentiable on the tape.
"""
from minikeras.autograd import as_tensor, ops
from minikeras.utils.generic_utils import deserialize_keras_object, serialize_keras_object


def softmax(x, axis=-1):
    """Softmax activation: `exp(x) / sum(exp(x))` along an axis.

    # Arguments
        x: a tensor of at least two axes.
        axis: the axis along which the values sum to 1.

    # Returns
        A `Tensor` of the shape of `x`.

    # Raises
        ValueError: for a 1-D input, as in Keras 2 (softmax is applied per sample).
    """
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(
            f"Cannot apply softmax to a tensor that is 1-D (shape {x.shape}): the softmax "
            "activation expects a batch, of shape (batch, ..., classes)."
        )
    return ops.softmax(x, axis=axis)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` if `x > 0`, else `alpha * (exp(x) - 1)`.

    # Arguments
        x: a tensor.
        alpha: the scale of the negative part.

    # Returns
        A `Tensor`.
    """
    return ops.elu(x, alpha)


def selu(x):
    """Scaled exponential linear unit: `scale * elu(x, alpha)`, with Klambauer et al.'s constants.

    # Arguments
        x: a tensor.

    # Returns
        A `Tensor`.
    """
    return ops.selu(x)


def softplus(x):
    """Softplus activation: `log(exp(x) + 1)`.

    # Arguments
        x: a tensor.

    # Returns
        A `Tensor`.
    """
    return ops.softplus(x)


def softsign(x):
    """Softsign activation: `x / (abs(x) + 1)`.

    # Arguments
        x: a tensor.

    # Returns
        A `Tensor`.
    """
    return ops.softsign(x)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, with Keras 2's optional leak, ceiling and threshold.

    With the defaults it is `max(x, 0)`. Otherwise it is `x` for
    `threshold <= x < max_value`, `max_value` above, and `alpha * (x - threshold)` below
    the threshold.

    # Arguments
        x: a tensor.
        alpha: the slope below the threshold.
        max_value: the largest output, or `None` for no ceiling.
        threshold: the value below which the output is damped.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    if alpha != 0 and max_value is None and threshold == 0:
        return ops.leaky_relu(x, alpha)
    if threshold != 0:
        output = ops.where(x > threshold, x, 0.0)
    else:
        output = ops.relu(x)
    if max_value is not None:
        output = ops.clip(output, 0.0, max_value)
    if alpha != 0:
        output = output - alpha * ops.relu(threshold - x)
    return output


def tanh(x):
    """Hyperbolic tangent activation.

    # Arguments
        x: a tensor.

    # Returns
        A `Tensor` with values in (-1, 1).
    """
    return ops.tanh(x)


def sigmoid(x):
    """Sigmoid activation: `1 / (1 + exp(-x))`.

    # Arguments
        x: a tensor.

    # Returns
        A `Tensor` with values in (0, 1).
    """
    return ops.sigmoid(x)


def hard_sigmoid(x):
    """Hard sigmoid activation, Keras 2's piecewise-linear sigmoid: `clip(0.2 * x + 0.5, 0, 1)`.

    # Arguments
        x: a tensor.

    # Returns
        A `Tensor` with values in [0, 1].
    """
    return ops.hard_sigmoid(x)


def exponential(x):
    """Exponential activation: `exp(x)`.

    # Arguments
        x: a tensor.

    # Returns
        A `Tensor`.
    """
    return ops.exp(x)


def linear(x):
    """Linear (identity) activation: returns `x` unchanged.

    # Arguments
        x: a tensor.

    # Returns
        `x` as a `Tensor`.
    """
    return as_tensor(x)


def leaky_relu(x, alpha=0.2):
    """Leaky rectified linear unit: `x` if `x > 0`, else `alpha * x`.

    # Arguments
        x: a tensor.
        alpha: the slope for negative inputs.

    # Returns
        A `Tensor`.
    """
    return ops.leaky_relu(x, alpha)


def gelu(x, approximate=False):
    """Gaussian error linear unit: `x * P(X <= x)` for a standard normal `X`.

    # Arguments
        x: a tensor.
        approximate: whether to use the tanh approximation.

    # Returns
        A `Tensor`.
    """
    return ops.gelu(x, approximate)


def swish(x):
    """Swish (SiLU) activation: `x * sigmoid(x)`.

    # Arguments
        x: a tensor.

    # Returns
        A `Tensor`.
    """
    return ops.swish(x)


_ACTIVATIONS = {function.__name__: function for function in (
    softmax, elu, selu, softplus, softsign, relu, tanh, sigmoid, hard_sigmoid, exponential,
    linear, leaky_relu, gelu, swish,
)}
# Keras 3 also calls swish "silu".
_ACTIVATIONS["silu"] = swish


def serialize(activation):
    """Returns the name of an activation function, as Keras stores it in a config.

    # Arguments
        activation: an activation function.

    # Returns
        Its name, a string such as `"relu"`.
    """
    return serialize_keras_object(activation)


def deserialize(name, custom_objects=None):
    """Returns the activation function with a given name.

    # Arguments
        name: the function's name, or a Keras 3 config dictionary naming it.
        custom_objects: an optional dictionary of user functions, by name.

    # Returns
        The activation function.

    # Raises
        ValueError: if the name is unknown.
    """
    return deserialize_keras_object(name, _ACTIVATIONS, custom_objects,
                                    printable_module_name="activation function")


def get(identifier):
    """Returns an activation function from a name, a function or `None`.

    # Arguments
        identifier: `None` (the linear activation), a name such as `"relu"`, a config
            dictionary, or a callable (returned unchanged).

    # Returns
        An activation function.

    # Raises
        ValueError: if the identifier is an unknown name or cannot be interpreted.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}.")
