"""Exercise 2, reference solution: a tiny tape that records ops and walks them backwards."""
import numpy as np

from minikeras.autograd import unbroadcast

# The tapes recording right now, innermost last.
_active_tapes = []


class Var:
    """A value in a computation: an array, the values it was computed from, and the op's
    backward function (given the gradient of this value, it returns its parents').

    # Arguments
        value: an array or a number.
        parents: the `Var`s this one was computed from.
        backward: a function from this value's gradient to a tuple of the parents'
            gradients, or `None` for an input.
    """

    def __init__(self, value, parents=(), backward=None):
        self.value = np.asarray(value, dtype=np.float64)
        self.parents = tuple(parents)
        self.backward = backward

    @property
    def shape(self):
        """The shape of the value."""
        return self.value.shape


def _op(value, inputs, backward):
    """Makes an op's output and records the op on every active tape."""
    output = Var(value, inputs, backward)
    for tape in _active_tapes:
        tape.record(output, inputs, backward)
    return output


def add(a, b):
    """Returns `a + b` (broadcasting), recorded.

    # Arguments
        a: a `Var`.
        b: a `Var`.

    # Returns
        A `Var`.
    """
    return _op(a.value + b.value, (a, b),
               lambda grad: (unbroadcast(grad, a.shape), unbroadcast(grad, b.shape)))


def multiply(a, b):
    """Returns `a * b` (broadcasting), recorded.

    # Arguments
        a: a `Var`.
        b: a `Var`.

    # Returns
        A `Var`.
    """
    return _op(a.value * b.value, (a, b),
               lambda grad: (unbroadcast(grad * b.value, a.shape),
                             unbroadcast(grad * a.value, b.shape)))


def matmul(a, b):
    """Returns the matrix product `a @ b` of two 2-D values, recorded.

    # Arguments
        a: a `Var` of shape `(n, k)`.
        b: a `Var` of shape `(k, m)`.

    # Returns
        A `Var` of shape `(n, m)`.
    """
    return _op(a.value @ b.value, (a, b), lambda grad: (grad @ b.value.T, a.value.T @ grad))


def tanh(x):
    """Returns `tanh(x)`, recorded.

    # Arguments
        x: a `Var`.

    # Returns
        A `Var`.
    """
    value = np.tanh(x.value)
    return _op(value, (x,), lambda grad: (grad * (1 - value ** 2),))


def total(x):
    """Returns the sum of all the elements of `x`, recorded.

    # Arguments
        x: a `Var`.

    # Returns
        A `Var` holding a scalar.
    """
    return _op(x.value.sum(), (x,), lambda grad: (np.broadcast_to(grad, x.shape).copy(),))


class Tape:
    """Records the ops run inside `with Tape() as tape:`, to compute gradients afterwards."""

    def __init__(self):
        self.records = []

    def __enter__(self):
        _active_tapes.append(self)
        return self

    def __exit__(self, *exc_info):
        _active_tapes.remove(self)
        return False

    def record(self, output, inputs, backward):
        """Remembers one op, in the order the ops run.

        # Arguments
            output: the op's output `Var`.
            inputs: the op's input `Var`s, a tuple.
            backward: the op's backward function.
        """
        self.records.append((output, inputs, backward))

    def gradient(self, target, sources):
        """Returns the gradient of `target` with respect to each of `sources`.

        # Arguments
            target: a `Var` computed inside the tape.
            sources: a list of `Var`s.

        # Returns
            A list of arrays, one per source, of the source's shape (zeros for a source
            the target does not depend on).
        """
        grads = {id(target): np.ones_like(target.value)}
        # The records are in the order the ops ran: reversed, each output comes before
        # the inputs it was computed from.
        for output, inputs, backward in reversed(self.records):
            grad_output = grads.get(id(output))
            if grad_output is None:
                continue
            for tensor, grad in zip(inputs, backward(grad_output)):
                if id(tensor) in grads:
                    grads[id(tensor)] = grads[id(tensor)] + grad
                else:
                    grads[id(tensor)] = grad
        return [grads.get(id(source), np.zeros_like(source.value)) for source in sources]


def topological_order(target):
    """Lists every `Var` that `target` depends on, each after all its parents.

    No recursion: a chain of a hundred thousand ops must not overflow Python's stack.

    # Arguments
        target: a `Var`.

    # Returns
        A list of `Var`s, each once, ending with `target`.
    """
    order, visited = [], set()
    stack = [(target, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for parent in node.parents:
            if id(parent) not in visited:
                stack.append((parent, False))
    return order


def backward(target):
    """Computes the gradient of `target` with respect to every value it depends on, by
    walking the graph (no tape) in reverse topological order.

    # Arguments
        target: a `Var`.

    # Returns
        A dict from `id(var)` to the gradient of `target` with respect to `var`.
    """
    grads = {id(target): np.ones_like(target.value)}
    for node in reversed(topological_order(target)):
        grad_output = grads.get(id(node))
        if node.backward is None or grad_output is None:
            continue
        for parent, grad in zip(node.parents, node.backward(grad_output)):
            grads[id(parent)] = grads[id(parent)] + grad if id(parent) in grads else grad
    return grads
