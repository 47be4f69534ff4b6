"""Public tests of exercise 1: run them with `minikeras course check 01-broadcasting`."""
import numpy as np

from minikeras.grader.checks import points


@points(1)
def test_broadcast_shape_examples(student, check):
    """broadcast_shape follows NumPy: align on the right, stretch the 1s."""
    for shape_a, shape_b in [((2, 3), (3,)), ((4, 1, 5), (3, 1)), ((), (2,)), ((1,), (6, 1))]:
        check.equal(f"broadcast_shape({shape_a}, {shape_b})",
                    student.broadcast_shape(shape_a, shape_b),
                    np.broadcast_shapes(shape_a, shape_b))


@points(1)
def test_broadcast_shape_rejects_mismatch(student, check):
    """broadcast_shape raises ValueError when two lengths differ and neither is 1."""
    check.raises("broadcast_shape((2, 3), (4,))", ValueError, student.broadcast_shape,
                 (2, 3), (4,))


@points(1)
def test_unbroadcast_same_shape(student, check):
    """An input that was not broadcast gets the output's gradient unchanged."""
    grad = np.arange(6.0).reshape(2, 3)
    check.close("unbroadcast to the same shape", student.unbroadcast(grad, (2, 3)), grad)


@points(2)
def test_unbroadcast_leading_axes(student, check):
    """A (3,) input added to a (2, 3) one: its gradient sums over the new first axis."""
    grad = np.arange(6.0).reshape(2, 3)
    check.close("gradient of a (3,) input broadcast to (2, 3)",
                student.unbroadcast(grad, (3,)), grad.sum(axis=0))
    grad = np.arange(24.0).reshape(4, 2, 3)
    check.close("gradient of a (2, 3) input broadcast to (4, 2, 3)",
                student.unbroadcast(grad, (2, 3)), grad.sum(axis=0))


@points(2)
def test_unbroadcast_stretched_axes(student, check):
    """An axis of length 1 stretched to n: the gradient sums over it and keeps it."""
    grad = np.arange(6.0).reshape(2, 3)
    check.close("gradient of a (2, 1) input broadcast to (2, 3)",
                student.unbroadcast(grad, (2, 1)), grad.sum(axis=1, keepdims=True))
    grad = np.arange(12.0).reshape(4, 3)
    check.close("gradient of a (1, 3) input broadcast to (4, 3)",
                student.unbroadcast(grad, (1, 3)), grad.sum(axis=0, keepdims=True))
