"""Public tests of exercise 3: run them with `minikeras course check 03-gradients`."""
import numpy as np

from minikeras import GradientTape, Tensor, ops
from minikeras.grader.checks import points


def op_gradients(student, op, arrays, seed=0):
    """Runs `op` once and calls the backward it recorded, directly, with fixed weights.

    Calling the backward directly (rather than through a tape, which would refuse a
    gradient of the wrong shape) lets the feedback show exactly what it returned.
    """
    captured = []
    real_record = student.record

    def capture(value, inputs, backward):
        captured.append(backward)
        return real_record(value, inputs, backward)

    student.record = capture
    try:
        output = op(*[Tensor(np.array(a, dtype=np.float64)) for a in arrays])
    finally:
        student.record = real_record
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, size=np.shape(output.numpy()))
    return captured[-1](weights)


def tape_gradients(op, arrays, seed=0):
    """The gradients of sum(op(*inputs) * weights), computed by minikeras's tape."""
    tensors = [Tensor(np.array(a, dtype=np.float64)) for a in arrays]
    with GradientTape() as tape:
        tape.watch(tensors)
        output = op(*tensors)
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, size=np.shape(output.numpy()))
    return tape.gradient(output, tensors, output_gradients=weights,
                         unconnected_gradients="zero")


@points(2)
def test_numerical_gradient_of_a_cube(student, check):
    """numerical_gradient of sum(x ** 3) is 3 x ** 2, to within the finite-difference error."""
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.3]])
    grad = student.numerical_gradient(lambda v: float(np.sum(v ** 3)), x)
    check.close("numerical gradient of sum(x ** 3)", grad, 3 * x ** 2, rtol=1e-5, atol=1e-6)
    check.close("x after the call (unchanged)", x,
                np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.3]]))


@points(1)
def test_relative_error(student, check):
    """relative_error is the largest difference over the largest magnitude."""
    check.close("relative_error([1, 2], [1, 2.2])",
                student.relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.2])), 0.2 / 2.2)
    check.close("relative_error of two zero arrays", student.relative_error(
        np.zeros(3), np.zeros(3)), 0.0)


@points(2)
def test_divide_gradients(student, check):
    """The backward of divide: 1 / b for a, -a / b ** 2 for b."""
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, 4)), rng.uniform(0.5, 2.0, size=(3, 4))
    grads = op_gradients(student, student.divide, [a, b])
    expected = tape_gradients(ops.divide, [a, b])
    check.close("gradient of a", grads[0], expected[0])
    check.close("gradient of b", grads[1], expected[1])


@points(2)
def test_matmul_gradients(student, check):
    """The backward of matmul: grad @ b.T for a, a.T @ grad for b."""
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 4))
    grads = op_gradients(student, student.matmul, [a, b])
    expected = tape_gradients(ops.matmul, [a, b])
    check.close("gradient of a", grads[0], expected[0])
    check.close("gradient of b", grads[1], expected[1])


@points(1)
def test_exp_and_log_gradients(student, check):
    """The backward of exp and of log."""
    x = np.random.default_rng(3).uniform(0.2, 3.0, size=(2, 5))
    check.close("gradient of exp", op_gradients(student, student.exp, [x])[0],
                tape_gradients(ops.exp, [x])[0])
    check.close("gradient of log", op_gradients(student, student.log, [x])[0],
                tape_gradients(ops.log, [x])[0])
