"""Exercise 3, reference solution: the backward of six ops, and the numerical gradient check."""
import numpy as np

from minikeras.autograd import GradientTape, Tensor, record, unbroadcast
from minikeras.autograd.tensor import as_tensor


def multiply(a, b):
    """Multiplies elementwise, with broadcasting (the worked example).

    # Arguments
        a: a tensor or array.
        b: a tensor or array.

    # Returns
        A `Tensor`, `a * b`.
    """
    a, b = as_tensor(a), as_tensor(b)

    def backward(grad):
        return unbroadcast(grad * b.value, a.shape), unbroadcast(grad * a.value, b.shape)

    return record(a.value * b.value, (a, b), backward)


def divide(a, b):
    """Divides elementwise, with broadcasting.

    # Arguments
        a: a tensor or array (the numerator).
        b: a tensor or array (the denominator).

    # Returns
        A `Tensor`, `a / b`.
    """
    a, b = as_tensor(a), as_tensor(b)
    value = a.value / b.value

    def backward(grad):
        return (unbroadcast(grad / b.value, a.shape),
                unbroadcast(-grad * a.value / b.value ** 2, b.shape))

    return record(value, (a, b), backward)


def matmul(a, b):
    """Multiplies two matrices.

    # Arguments
        a: a 2-D tensor of shape `(n, k)`.
        b: a 2-D tensor of shape `(k, m)`.

    # Returns
        A `Tensor` of shape `(n, m)`.
    """
    a, b = as_tensor(a), as_tensor(b)

    def backward(grad):
        return grad @ b.value.T, a.value.T @ grad

    return record(a.value @ b.value, (a, b), backward)


def exp(x):
    """Computes `e ** x` elementwise.

    # Arguments
        x: a tensor or array.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    value = np.exp(x.value)

    def backward(grad):
        return (grad * value,)

    return record(value, (x,), backward)


def log(x):
    """Computes the natural logarithm elementwise.

    # Arguments
        x: a tensor or array of positive values.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)

    def backward(grad):
        return (grad / x.value,)

    return record(np.log(x.value), (x,), backward)


def tanh(x):
    """Computes the hyperbolic tangent elementwise.

    # Arguments
        x: a tensor or array.

    # Returns
        A `Tensor`.
    """
    x = as_tensor(x)
    value = np.tanh(x.value)

    def backward(grad):
        return (grad * (1 - value ** 2),)

    return record(value, (x,), backward)


def reduce_sum(x, axis=None):
    """Sums the elements of a tensor over one axis, or over all of them.

    # Arguments
        x: a tensor or array.
        axis: an int, or `None` for all axes.

    # Returns
        A `Tensor` without the summed axis.
    """
    x = as_tensor(x)

    def backward(grad):
        if axis is not None:
            grad = np.expand_dims(grad, axis)
        return (np.broadcast_to(grad, x.shape).copy(),)

    return record(np.sum(x.value, axis=axis), (x,), backward)


def numerical_gradient(function, x, epsilon=1e-6):
    """Estimates the gradient of a scalar function by central differences.

    # Arguments
        function: a function from an array of `x`'s shape to a float.
        x: the point, a float64 array (not modified).
        epsilon: the step.

    # Returns
        An array of `x`'s shape: `(f(x + e_i * epsilon) - f(x - e_i * epsilon)) / (2 * epsilon)`.
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + epsilon
        above = function(x)
        x[index] = original - epsilon
        below = function(x)
        x[index] = original
        grad[index] = (above - below) / (2 * epsilon)
    return grad


def relative_error(analytic, numeric):
    """Measures how far two gradients are apart, relative to their size.

    # Arguments
        analytic: an array.
        numeric: an array of the same shape.

    # Returns
        `max |analytic - numeric| / max(max |analytic|, max |numeric|)` (0 when both are 0).
    """
    analytic, numeric = np.asarray(analytic, float), np.asarray(numeric, float)
    scale = max(np.max(np.abs(analytic), initial=0), np.max(np.abs(numeric), initial=0))
    if scale == 0:
        return 0.0
    return float(np.max(np.abs(analytic - numeric)) / scale)


def check_gradient(op, inputs, epsilon=1e-6, seed=0):
    """Compares the tape's gradients of an op with numerical ones, for every input.

    The op's output is reduced to a scalar with fixed random weights in [0.5, 1.5], so
    that a mistake a plain sum would hide still shows.

    # Arguments
        op: a function of tensors returning a tensor.
        inputs: a list of arrays.
        epsilon: the finite-difference step.
        seed: seeds the weights.

    # Returns
        A list with the relative error of each input's gradient.
    """
    arrays = [np.array(a, dtype=np.float64) for a in inputs]
    tensors = [Tensor(a) for a in arrays]
    with GradientTape() as tape:
        tape.watch(tensors)
        output = op(*tensors)
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, size=output.shape)
    analytic = tape.gradient(output, tensors, output_gradients=weights,
                             unconnected_gradients="zero")
    errors = []
    for index in range(len(arrays)):
        def scalar(value, index=index):
            values = [value if i == index else a for i, a in enumerate(arrays)]
            return float(np.sum(op(*[Tensor(v) for v in values]).numpy() * weights))

        errors.append(relative_error(analytic[index],
                                     numerical_gradient(scalar, arrays[index], epsilon)))
    return errors
