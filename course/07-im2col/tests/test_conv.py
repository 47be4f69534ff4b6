"""Public tests of exercise 7: run them with `minikeras course check 07-im2col`."""
import numpy as np

from minikeras.grader.checks import points
from minikeras.kernels import reference
from minikeras.kernels.geometry import padding_amounts


def data(x_shape, kernel_shape, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=x_shape), rng.normal(size=kernel_shape)


@points(2)
def test_padding_amounts(student, check):
    """'same' pads as TensorFlow: just enough, the odd zero after; 'valid' pads nothing."""
    for size, kernel_size, stride, padding in [(5, 3, 1, "same"), (5, 3, 2, "same"),
                                               (6, 3, 2, "same"), (7, 4, 1, "same"),
                                               (8, 1, 3, "same"), (7, 3, 2, "valid")]:
        check.equal(f"padding_amounts({size}, {kernel_size}, {stride}, {padding!r})",
                    student.padding_amounts(size, kernel_size, stride, padding),
                    padding_amounts(size, kernel_size, stride, padding))


@points(2)
def test_im2col_cuts_every_window(student, check):
    """im2col of a 4x5 image, 3x2 kernel, stride 1: patch (i, j) is x[i:i+3, j:j+2]."""
    x = np.arange(2 * 4 * 5 * 2, dtype=np.float64).reshape(2, 4, 5, 2)
    expected = np.empty((2, 2, 4, 3, 2, 2))
    for i in range(2):
        for j in range(4):
            expected[:, i, j] = x[:, i:i + 3, j:j + 2, :]
    check.close("patches", student.im2col(x, (3, 2), (1, 1), "valid"), expected)


@points(2)
def test_conv2d_valid(student, check):
    """conv2d with 'valid' padding and stride 1 matches minikeras's reference kernel."""
    x, kernel = data((2, 6, 5, 3), (3, 3, 3, 4))
    check.close("output", student.conv2d(x, kernel, (1, 1), "valid"),
                reference.conv2d(x, kernel, (1, 1), "valid"))


@points(2)
def test_conv2d_same_with_stride(student, check):
    """conv2d with 'same' padding and stride 2 on a 7x8 image (uneven padding)."""
    x, kernel = data((2, 7, 8, 2), (3, 3, 2, 3), seed=1)
    check.close("output", student.conv2d(x, kernel, (2, 2), "same"),
                reference.conv2d(x, kernel, (2, 2), "same"))


@points(3)
def test_conv2d_backward_valid(student, check):
    """The gradients of the input and of the kernel, 'valid' padding, stride 1."""
    x, kernel = data((2, 6, 5, 3), (3, 3, 3, 4), seed=2)
    grad = np.random.default_rng(3).normal(size=(2, 4, 3, 4))
    grad_x, grad_kernel = student.conv2d_backward(grad, x, kernel, (1, 1), "valid")
    check.close("gradient of the input", grad_x,
                reference.conv2d_backward_input(grad, kernel, x.shape, (1, 1), "valid"))
    check.close("gradient of the kernel", grad_kernel,
                reference.conv2d_backward_kernel(grad, x, kernel.shape, (1, 1), "valid"))
