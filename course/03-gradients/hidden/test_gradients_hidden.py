"""Hidden tests of exercise 3."""
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


@points(1)
def test_tanh_gradient(student, check):
    """The backward of tanh is 1 - tanh ** 2."""
    x = np.random.default_rng(4).normal(size=(3, 3)) * 2
    check.close("gradient of tanh", op_gradients(student, student.tanh, [x])[0],
                tape_gradients(ops.tanh, [x])[0])


@points(2)
def test_reduce_sum_gradient(student, check):
    """The backward of reduce_sum over one axis, and over all of them."""
    x = np.random.default_rng(5).normal(size=(2, 3, 4))
    for axis in (None, 0, 1, 2):
        check.close(f"gradient of reduce_sum(x, axis={axis})",
                    op_gradients(student, lambda t, axis=axis: student.reduce_sum(t, axis), [x])[0],
                    tape_gradients(lambda t, axis=axis: ops.sum(t, axis=axis), [x])[0])


@points(1)
def test_divide_with_broadcasting(student, check):
    """divide of a (2, 3) by a (3,): the gradient of b is summed over the broadcast axis."""
    rng = np.random.default_rng(6)
    a, b = rng.normal(size=(2, 3)), rng.uniform(0.5, 2.0, size=3)
    grads = op_gradients(student, student.divide, [a, b])
    expected = tape_gradients(ops.divide, [a, b])
    check.close("gradient of a", grads[0], expected[0])
    check.close("gradient of b", grads[1], expected[1], broadcast=((3,), (2, 3)))


@points(2)
def test_check_gradient_accepts_a_right_op(student, check):
    """check_gradient reports tiny errors for minikeras's own (correct) ops."""
    rng = np.random.default_rng(7)
    errors = student.check_gradient(ops.multiply, [rng.normal(size=(2, 3)),
                                                   rng.normal(size=(2, 3))])
    check.equal("number of errors returned", len(errors), 2)
    check.true("every relative error is below 1e-6", max(errors) < 1e-6,
               hint="Use central differences, in float64, with epsilon around 1e-6.")


@points(2)
def test_check_gradient_catches_a_wrong_op(student, check):
    """check_gradient reports a large error for an op whose backward is off by a factor 2."""
    from minikeras.autograd import record
    from minikeras.autograd.tensor import as_tensor

    def wrong_square(x):
        x = as_tensor(x)
        return record(x.value ** 2, (x,), lambda grad: (grad * 4 * x.value,))

    errors = student.check_gradient(wrong_square, [np.random.default_rng(8).normal(size=4)])
    check.true("the relative error of a gradient twice too large is above 0.1",
               errors[0] > 0.1)
