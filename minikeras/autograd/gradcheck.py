"""A numerical gradient checker: compares tape gradients with central differences."""
import numpy as np

from minikeras.autograd.tape import GradientTape
from minikeras.autograd.tensor import Tensor


def numerical_gradient(fn, inputs, index, output_weights, epsilon=1e-6):
    """Estimates the gradient of `sum(fn(*inputs) * output_weights)` for one input.

    Each element is nudged by `+epsilon` and `-epsilon`; the slope between the two
    results is `(f(x + e) - f(x - e)) / (2 * e)`, accurate to `epsilon ** 2`.

    # Arguments
        fn: a function of tensors returning a tensor.
        inputs: a list of float64 arrays.
        index: which input to differentiate.
        output_weights: an array of the output's shape that turns the output into a scalar.
        epsilon: the step.

    # Returns
        An array of the input's shape.
    """
    def scalar(arrays):
        return float(np.sum(np.asarray(fn(*[Tensor(a) for a in arrays]).numpy()) * output_weights))

    arrays = [np.array(a, dtype=np.float64) for a in inputs]
    target = arrays[index]
    grad = np.zeros_like(target)
    for position in np.ndindex(target.shape):
        original = target[position]
        target[position] = original + epsilon
        above = scalar(arrays)
        target[position] = original - epsilon
        below = scalar(arrays)
        target[position] = original
        grad[position] = (above - below) / (2 * epsilon)
    return grad


def check_gradients(fn, inputs, epsilon=1e-6, tolerance=1e-6, seed=0, raise_on_failure=True):
    """Checks the tape's gradients of `fn` against central differences, in float64.

    The output of `fn` is reduced to a scalar with fixed random weights (so that an error
    cancelled by a plain sum is still seen), differentiated by the tape and numerically.
    The relative error of an input is the largest difference between the two gradients,
    divided by the largest magnitude of either.

    # Arguments
        fn: a function taking one tensor per input and returning a tensor.
        inputs: a list of arrays (converted to float64).
        epsilon: the finite-difference step.
        tolerance: the largest relative error accepted.
        seed: seeds the random output weights.
        raise_on_failure: whether to raise when an error exceeds `tolerance`.

    # Returns
        A list with the relative error of each input.

    # Raises
        AssertionError: when `raise_on_failure` and an input's gradient is wrong; the message
            says which input, at which index, the derivative received and the one expected.
    """
    arrays = [np.array(a, dtype=np.float64) for a in inputs]
    tensors = [Tensor(a) for a in arrays]
    with GradientTape() as tape:
        tape.watch(tensors)
        output = fn(*tensors)
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, size=np.shape(output.numpy()))
    analytic = tape.gradient(output, tensors, output_gradients=weights,
                             unconnected_gradients="zero")
    errors = []
    for index, analytic_grad in enumerate(analytic):
        numeric_grad = numerical_gradient(fn, arrays, index, weights, epsilon)
        difference = np.abs(analytic_grad - numeric_grad)
        scale = max(np.max(np.abs(analytic_grad), initial=0),
                    np.max(np.abs(numeric_grad), initial=0))
        error = float(np.max(difference, initial=0) / max(scale, 1e-12))
        errors.append(error)
        if raise_on_failure and error > tolerance:
            worst = np.unravel_index(np.argmax(difference), difference.shape)
            raise AssertionError(
                f"Gradient check failed for input {index} at index {tuple(int(i) for i in worst)}: "
                f"received derivative {analytic_grad[worst]!r} but expected "
                f"{numeric_grad[worst]!r} from central difference (relative error {error:.3g}, "
                f"tolerance {tolerance:g})."
            )
    return errors
