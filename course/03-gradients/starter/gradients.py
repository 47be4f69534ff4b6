"""Exercise 3: the backward of six ops, and the numerical gradient check that tests them.

`multiply` is done for you: read it, then write the `backward` of the other ops the same
way (the gradient of each input, unbroadcast to its shape), then `numerical_gradient`,
`relative_error` and `check_gradient`. Run the public tests with
`minikeras course check 03-gradients`.
"""
import numpy as np

from minikeras.autograd import GradientTape, Tensor, record, unbroadcast  # noqa: F401
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
        # TODO: d(a / b)/da = 1 / b and d(a / b)/db = -a / b ** 2; unbroadcast both.
        raise NotImplementedError("TODO: the backward of divide")

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
        # TODO: the gradient of a has a's shape (n, k), that of b has b's shape (k, m).
        raise NotImplementedError("TODO: the backward of matmul")

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
        # TODO: d(e ** x)/dx = e ** x, which is the value already computed.
        raise NotImplementedError("TODO: the backward of exp")

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
        # TODO: d(log x)/dx = 1 / x.
        raise NotImplementedError("TODO: the backward of log")

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
        # TODO: d(tanh x)/dx = 1 - tanh(x) ** 2.
        raise NotImplementedError("TODO: the backward of tanh")

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
        # TODO: every summed element gets the gradient of its sum: put the summed
        # axis back (np.expand_dims), then broadcast to x's shape.
        raise NotImplementedError("TODO: the backward of reduce_sum")

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
    # TODO: nudge each element of a copy of x by +epsilon and -epsilon (np.ndindex visits
    # every index), and take the slope between the two values of the function.
    raise NotImplementedError("TODO: write numerical_gradient")


def relative_error(analytic, numeric):
    """Measures how far two gradients are apart, relative to their size.

    # Arguments
        analytic: an array.
        numeric: an array of the same shape.

    # Returns
        `max |analytic - numeric| / max(max |analytic|, max |numeric|)` (0 when both are 0).
    """
    # TODO: the largest absolute difference, divided by the largest magnitude of either.
    raise NotImplementedError("TODO: write relative_error")


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
    # TODO: record op(*tensors) on a GradientTape (watch the inputs), ask for the gradient
    # with output_gradients=weights, then compare each input's gradient with
    # numerical_gradient of the weighted sum, using relative_error.
    raise NotImplementedError("TODO: write check_gradient")
