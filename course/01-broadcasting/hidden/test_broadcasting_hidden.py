"""Hidden tests of exercise 1: the grader adds them to the public ones."""
import numpy as np

from minikeras.autograd import unbroadcast
from minikeras.grader.checks import points


@points(2)
def test_unbroadcast_both_kinds_at_once(student, check):
    """New leading axes and stretched axes together, and down to a scalar."""
    grad = np.arange(60.0).reshape(5, 4, 3)
    check.close("gradient of a (4, 1) input broadcast to (5, 4, 3)",
                student.unbroadcast(grad, (4, 1)), grad.sum(axis=(0, 2)).reshape(4, 1))
    check.close("gradient of a (1, 1, 1) input broadcast to (5, 4, 3)",
                student.unbroadcast(grad, (1, 1, 1)), grad.sum().reshape(1, 1, 1))
    check.close("gradient of a scalar input broadcast to (5, 4, 3)",
                student.unbroadcast(grad, ()), grad.sum())


@points(1)
def test_add_backward(student, check):
    """a + b with a of shape (2, 1, 3) and b of shape (4, 1): both gradients unbroadcast."""
    grad = np.random.default_rng(1).normal(size=(2, 4, 3))
    grad_a, grad_b = student.add_backward(grad, (2, 1, 3), (4, 1))
    check.close("gradient of a", grad_a, grad.sum(axis=1, keepdims=True),
                broadcast=((2, 1, 3), (2, 4, 3)))
    check.close("gradient of b", grad_b, grad.sum(axis=(0, 2)).reshape(4, 1),
                broadcast=((4, 1), (2, 4, 3)))


@points(2)
def test_multiply_backward(student, check):
    """a * b with a of shape (3, 4) and b of shape (4,): the product rule, then unbroadcast."""
    rng = np.random.default_rng(2)
    a, b, grad = rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(3, 4))
    grad_a, grad_b = student.multiply_backward(grad, a, b)
    check.close("gradient of a", grad_a, grad * b)
    check.close("gradient of b", grad_b, (grad * a).sum(axis=0), broadcast=((4,), (3, 4)))


@points(2)
def test_unbroadcast_random_shapes(student, check):
    """Twenty random broadcasts agree with minikeras's own unbroadcast."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        output_shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 5)))
        kept = int(rng.integers(0, len(output_shape) + 1))
        input_shape = tuple(n if rng.random() < 0.5 else 1 for n in output_shape[kept:])
        grad = rng.normal(size=output_shape)
        check.close(f"gradient of a {input_shape} input broadcast to {output_shape}",
                    student.unbroadcast(grad, input_shape), unbroadcast(grad, input_shape))
