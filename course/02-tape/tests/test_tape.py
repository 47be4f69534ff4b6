"""Public tests of exercise 2: run them with `minikeras course check 02-tape`."""
import numpy as np

from minikeras import GradientTape, Tensor, ops
from minikeras.grader.checks import points


def _inputs(seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=(2,))


def _minikeras_gradients(x, w, b):
    """The same computation with minikeras's own tape: the expected gradients."""
    x, w, b = Tensor(x), Tensor(w), Tensor(b)
    with GradientTape() as tape:
        tape.watch([x, w, b])
        loss = ops.sum(ops.tanh(ops.matmul(x, w) + b))
    return tape.gradient(loss, [x, w, b])


@points(1)
def test_record_keeps_ops_in_order(student, check):
    """Tape.record keeps every op run inside the tape, in the order they ran."""
    x, w, b = (student.Var(value) for value in _inputs())
    with student.Tape() as tape:
        hidden = student.matmul(x, w)
        shifted = student.add(hidden, b)
    check.equal("number of records", len(tape.records), 2)
    check.true("the first record is the matmul's output", tape.records[0][0] is hidden)
    check.true("the second record is the add's output", tape.records[1][0] is shifted)


@points(3)
def test_gradient_of_a_small_network(student, check):
    """Tape.gradient of sum(tanh(x @ w + b)) matches minikeras's GradientTape."""
    values = _inputs()
    x, w, b = (student.Var(value) for value in values)
    with student.Tape() as tape:
        loss = student.total(student.tanh(student.add(student.matmul(x, w), b)))
    grads = tape.gradient(loss, [x, w, b])
    for name, grad, expected in zip("xwb", grads, _minikeras_gradients(*values)):
        check.close(f"gradient of {name}", grad, expected)


@points(2)
def test_gradient_accumulates_over_uses(student, check):
    """A value used twice receives the sum of both gradients: d(x * x + x)/dx = 2x + 1."""
    x = student.Var(np.array([1.0, -2.0, 3.0]))
    with student.Tape() as tape:
        loss = student.total(student.add(student.multiply(x, x), x))
    (grad,) = tape.gradient(loss, [x])
    check.close("gradient of x", grad, 2 * np.array([1.0, -2.0, 3.0]) + 1)


@points(1)
def test_unconnected_source_gets_zeros(student, check):
    """A source the target does not depend on gets a gradient of zeros of its shape."""
    x, unused = student.Var(np.ones(3)), student.Var(np.ones((2, 2)))
    with student.Tape() as tape:
        loss = student.total(student.multiply(x, x))
    grads = tape.gradient(loss, [x, unused])
    check.close("gradient of the unused source", grads[1], np.zeros((2, 2)))


@points(2)
def test_topological_order_puts_parents_first(student, check):
    """topological_order lists each value once, after all its parents, ending with the target."""
    x, y, z = student.Var(1.0), student.Var(2.0), student.Var(3.0)
    left, right = student.multiply(x, y), student.multiply(x, z)
    target = student.add(left, right)
    order = student.topological_order(target)
    check.equal("number of values listed", len(order), 6)
    check.equal("number of distinct values listed", len({id(node) for node in order}), 6)
    position = {id(node): index for index, node in enumerate(order)}
    check.true("every value comes after its parents", all(
        position[id(parent)] < position[id(node)] for node in order for parent in node.parents))
    check.true("the target comes last", order[-1] is target)
    square = student.multiply(x, x)
    check.equal("number of values listed for x * x", len(student.topological_order(square)), 2)
