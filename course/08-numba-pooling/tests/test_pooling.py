"""Public tests of exercise 8: run them with `minikeras course check 08-numba-pooling`."""
import numpy as np

from minikeras.grader.checks import points
from minikeras.kernels import reference


@points(2)
def test_forward_small_example(student, check):
    """2x2 pooling, stride 2, on a 4x4 image: the maxima and where they are."""
    x = np.array([[1, 5, 2, 0], [3, 4, 8, 1], [0, 2, 7, 7], [9, 1, 6, 3]], float)
    x = np.stack([x, -x], axis=-1)[None]  # (1, 4, 4, 2)
    y, argmax = student.max_pool2d(x, (2, 2), (2, 2))
    expected_y, expected_argmax = reference.max_pool2d(x, (2, 2), (2, 2))
    check.close("maxima", y, expected_y)
    check.equal("argmax", argmax, expected_argmax)


@points(1)
def test_ties_go_to_the_first_maximum(student, check):
    """In a window of equal values, the first one (row by row) is the maximum."""
    x = np.ones((1, 4, 4, 1))
    _, argmax = student.max_pool2d(x, (2, 2), (2, 2))
    check.equal("argmax", argmax, np.array([[[[0], [2]], [[8], [10]]]]))


@points(2)
def test_backward(student, check):
    """Each output's gradient goes to the cell that won its window; the others get 0."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 6, 6, 3))
    y, argmax = student.max_pool2d(x, (2, 2), (2, 2))
    grad = rng.normal(size=np.shape(y))
    _, expected_argmax = reference.max_pool2d(x, (2, 2), (2, 2))
    check.close("gradient of the input", student.max_pool2d_backward(grad, argmax, x.shape),
                reference.max_pool2d_backward(grad, expected_argmax, x.shape))


@points(2)
def test_overlapping_windows(student, check):
    """3x3 windows with stride 1 overlap: a cell that wins several windows sums them."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1, 5, 5, 2))
    y, argmax = student.max_pool2d(x, (3, 3), (1, 1))
    expected_y, expected_argmax = reference.max_pool2d(x, (3, 3), (1, 1))
    check.close("maxima", y, expected_y)
    grad = np.ones(expected_y.shape)
    check.close("gradient of the input", student.max_pool2d_backward(grad, argmax, x.shape),
                reference.max_pool2d_backward(grad, expected_argmax, x.shape))
