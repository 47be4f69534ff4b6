"""Hidden tests of exercise 7."""
import numpy as np

from minikeras.grader.checks import points
from minikeras.kernels import reference


def data(x_shape, kernel_shape, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=x_shape), rng.normal(size=kernel_shape)


@points(3)
def test_conv2d_backward_same_with_stride(student, check):
    """The gradients with 'same' padding and stride 2 on a 7x6 image (the odd zero after)."""
    x, kernel = data((2, 7, 6, 2), (3, 3, 2, 3), seed=4)
    grad = np.random.default_rng(5).normal(size=(2, 4, 3, 3))
    grad_x, grad_kernel = student.conv2d_backward(grad, x, kernel, (2, 2), "same")
    check.close("gradient of the input", grad_x,
                reference.conv2d_backward_input(grad, kernel, x.shape, (2, 2), "same"))
    check.close("gradient of the kernel", grad_kernel,
                reference.conv2d_backward_kernel(grad, x, kernel.shape, (2, 2), "same"))


@points(1)
def test_col2im_counts_overlapping_windows(student, check):
    """col2im of all-ones patches counts how many windows cover each pixel."""
    ones = np.ones((1, 3, 3, 2, 2, 1))
    counts = np.array([[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]], float)
    check.close("window counts", student.col2im(ones, (1, 4, 4, 1), (1, 1), "valid"),
                counts.reshape(1, 4, 4, 1))


@points(2)
def test_rectangular_kernel_and_strides(student, check):
    """A 2x4 kernel with strides (2, 1) and 'same' padding, forward and backward."""
    x, kernel = data((1, 5, 7, 2), (2, 4, 2, 2), seed=6)
    check.close("output", student.conv2d(x, kernel, (2, 1), "same"),
                reference.conv2d(x, kernel, (2, 1), "same"))
    grad = np.random.default_rng(7).normal(size=(1, 3, 7, 2))
    grad_x, _ = student.conv2d_backward(grad, x, kernel, (2, 1), "same")
    check.close("gradient of the input", grad_x,
                reference.conv2d_backward_input(grad, kernel, x.shape, (2, 1), "same"))


@points(1)
def test_one_by_one_kernel(student, check):
    """A 1x1 convolution is a matrix product over the channels."""
    x, kernel = data((2, 3, 3, 4), (1, 1, 4, 2), seed=8)
    check.close("output", student.conv2d(x, kernel, (1, 1), "valid"),
                np.einsum("nhwc,co->nhwo", x, kernel[0, 0]))
