"""Hidden tests of exercise 2."""
import numpy as np

from minikeras import GradientTape, Tensor, ops
from minikeras.grader.checks import points


@points(2)
def test_deep_chain_needs_no_recursion(student, check):
    """A chain of 20,000 ops: topological_order must not overflow Python's stack."""
    x = student.Var(np.array(0.5))
    one = student.Var(np.array(1.0))
    value = x
    for _ in range(20_000):
        value = student.add(value, one)
    try:
        order = student.topological_order(value)
        outcome = len(order)
    except RecursionError:
        outcome = "RecursionError"
    check.equal("length of the order of a 20,000-op chain", outcome, 20_002)


@points(2)
def test_backward_without_a_tape(student, check):
    """backward walks the graph: the same gradients as minikeras for tanh(x @ w) * x @ w."""
    rng = np.random.default_rng(4)
    x_value, w_value = rng.normal(size=(3, 4)), rng.normal(size=(4, 4))
    x, w = student.Var(x_value), student.Var(w_value)
    product = student.matmul(x, w)
    target = student.total(student.multiply(student.tanh(product), product))
    grads = student.backward(target)
    x_t, w_t = Tensor(x_value), Tensor(w_value)
    with GradientTape() as tape:
        tape.watch([x_t, w_t])
        product_t = ops.matmul(x_t, w_t)
        loss = ops.sum(ops.tanh(product_t) * product_t)
    expected_x, expected_w = tape.gradient(loss, [x_t, w_t])
    check.close("gradient of x", grads.get(id(x)), expected_x)
    check.close("gradient of w", grads.get(id(w)), expected_w)


@points(2)
def test_diamond_gradient_through_the_tape(student, check):
    """A diamond (x feeds two branches that meet again) sums both paths' gradients."""
    rng = np.random.default_rng(5)
    x_value = rng.normal(size=(2, 3))
    x = student.Var(x_value)
    with student.Tape() as tape:
        branch_a = student.tanh(x)
        branch_b = student.multiply(x, x)
        loss = student.total(student.multiply(branch_a, branch_b))
    (grad,) = tape.gradient(loss, [x])
    tanh = np.tanh(x_value)
    expected = (1 - tanh ** 2) * x_value ** 2 + tanh * 2 * x_value
    check.close("gradient of x", grad, expected)


@points(1)
def test_ops_before_the_tape_are_not_recorded(student, check):
    """Only the ops run inside `with Tape()` are recorded."""
    x = student.Var(np.ones(2))
    before = student.multiply(x, x)
    with student.Tape() as tape:
        after = student.add(before, x)
    check.equal("number of records", len(tape.records), 1)
    check.true("the record is the add", tape.records[0][0] is after)


@points(1)
def test_gradient_of_a_broadcast_bias(student, check):
    """A bias added to every row gets the sum of the rows' gradients."""
    x, b = student.Var(np.arange(6.0).reshape(3, 2)), student.Var(np.zeros(2))
    with student.Tape() as tape:
        loss = student.total(student.multiply(student.add(x, b), student.add(x, b)))
    (grad,) = tape.gradient(loss, [b])
    check.close("gradient of b", grad, (2 * np.arange(6.0).reshape(3, 2)).sum(axis=0))
