"""Hidden tests of exercise 8."""
import numpy as np

from minikeras.grader.checks import points, time_interleaved
from minikeras.kernels import reference


@points(3, time_limit=120)
def test_faster_than_numpy(student, check):
    """Forward and backward together beat minikeras's NumPy reference (median of 7 runs)."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(16, 32, 32, 8)).astype(np.float32)
    grad = rng.normal(size=(16, 16, 16, 8)).astype(np.float32)

    def student_pass():
        _, argmax = student.max_pool2d(x, (2, 2), (2, 2))
        student.max_pool2d_backward(grad, argmax, x.shape)

    def reference_pass():
        _, argmax = reference.max_pool2d(x, (2, 2), (2, 2))
        reference.max_pool2d_backward(grad, argmax, x.shape)

    student_times, reference_times = time_interleaved(student_pass, reference_pass, repeats=7)
    check.speedup("forward and backward on (16, 32, 32, 8)", student_times, reference_times,
                  minimum=1.0)


@points(2)
def test_larger_random_input(student, check):
    """3x3 pools with stride 2 on random float32 images, forward and backward."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 11, 9, 5)).astype(np.float32)
    y, argmax = student.max_pool2d(x, (3, 3), (2, 2))
    expected_y, expected_argmax = reference.max_pool2d(x, (3, 3), (2, 2))
    check.close("maxima", y, expected_y)
    check.equal("argmax", argmax, expected_argmax)
    grad = rng.normal(size=expected_y.shape).astype(np.float32)
    check.close("gradient of the input", student.max_pool2d_backward(grad, argmax, x.shape),
                reference.max_pool2d_backward(grad, expected_argmax, x.shape), rtol=1e-5)


@points(1)
def test_dtype_is_kept(student, check):
    """float32 in, float32 out."""
    y, argmax = student.max_pool2d(np.zeros((1, 4, 4, 1), np.float32), (2, 2), (2, 2))
    check.equal("dtype of y", str(np.asarray(y).dtype), "float32")
    check.equal("dtype of argmax", str(np.asarray(argmax).dtype), "int64")


@points(1)
def test_rectangular_pool(student, check):
    """A 1x3 pool with strides (1, 2)."""
    x = np.random.default_rng(4).normal(size=(2, 3, 7, 2))
    y, argmax = student.max_pool2d(x, (1, 3), (1, 2))
    expected_y, expected_argmax = reference.max_pool2d(x, (1, 3), (1, 2))
    check.close("maxima", y, expected_y)
    check.equal("argmax", argmax, expected_argmax)
