"""The convolution and pooling ops: gradients against central differences, values against
the reference kernels, skipped gradients, and input errors."""
import numpy as np
import pytest

from minikeras import GradientTape, Tensor, Variable, backend, ops
from minikeras.autograd import check_gradients
from minikeras.autograd.ops import conv as conv_ops
from minikeras.kernels import fast, reference

pytestmark = pytest.mark.backend


def normal(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape)


def distinct(shape, seed=0):
    """Values with no ties and gaps far above the finite-difference step, for max pooling."""
    values = np.random.default_rng(seed).permutation(int(np.prod(shape))).reshape(shape)
    return values / 10.0


# (name, function, inputs): small shapes, with strides, both paddings and dilation.
GRADIENT_CASES = [
    ("conv2d_valid", lambda x, k: ops.conv2d(x, k), [normal((2, 4, 5, 2)), normal((2, 3, 2, 3))]),
    ("conv2d_same_stride2", lambda x, k: ops.conv2d(x, k, 2, "same"),
     [normal((1, 5, 6, 2)), normal((3, 3, 2, 2))]),
    ("conv2d_valid_stride_2_1", lambda x, k: ops.conv2d(x, k, (2, 1), "valid"),
     [normal((1, 5, 5, 2)), normal((2, 2, 2, 2))]),
    ("conv2d_same_dilated", lambda x, k: ops.conv2d(x, k, 1, "same", 2),
     [normal((1, 5, 5, 1)), normal((2, 3, 1, 2))]),
    ("conv2d_valid_dilated", lambda x, k: ops.conv2d(x, k, 1, "valid", (2, 1)),
     [normal((1, 5, 4, 2)), normal((2, 2, 2, 1))]),
    ("conv2d_same_fewer_filters_than_channels", lambda x, k: ops.conv2d(x, k, 1, "same"),
     [normal((2, 4, 5, 3)), normal((3, 2, 3, 2))]),
    ("conv2d_transpose_valid", lambda x, k: ops.conv2d_transpose(x, k),
     [normal((1, 3, 2, 2)), normal((2, 3, 3, 2))]),
    ("conv2d_transpose_same_stride2", lambda x, k: ops.conv2d_transpose(x, k, 2, "same"),
     [normal((2, 2, 3, 2)), normal((3, 3, 2, 2))]),
    ("conv2d_transpose_valid_stride2", lambda x, k: ops.conv2d_transpose(x, k, 2, "valid"),
     [normal((1, 2, 3, 1)), normal((3, 2, 2, 1))]),
    ("conv2d_transpose_output_padding",
     lambda x, k: ops.conv2d_transpose(x, k, 2, "same", output_padding=1),
     [normal((1, 2, 2, 2)), normal((3, 3, 1, 2))]),
    ("conv2d_transpose_dilated", lambda x, k: ops.conv2d_transpose(x, k, 1, "same", None, 2),
     [normal((1, 3, 3, 1)), normal((2, 2, 2, 1))]),
    ("depthwise_valid", lambda x, k: ops.depthwise_conv2d(x, k),
     [normal((2, 4, 4, 2)), normal((2, 3, 2, 2))]),
    ("depthwise_same_stride2", lambda x, k: ops.depthwise_conv2d(x, k, 2, "same"),
     [normal((1, 5, 4, 3)), normal((3, 3, 3, 1))]),
    ("depthwise_dilated", lambda x, k: ops.depthwise_conv2d(x, k, 1, "same", 2),
     [normal((1, 4, 4, 1)), normal((2, 2, 1, 2))]),
    ("max_pool2d_valid", lambda x: ops.max_pool2d(x, 2), [distinct((2, 4, 5, 2))]),
    ("max_pool2d_same_overlapping", lambda x: ops.max_pool2d(x, 3, 2, "same"),
     [distinct((1, 5, 4, 2))]),
    ("avg_pool2d_valid", lambda x: ops.avg_pool2d(x, (2, 3), 1), [normal((2, 4, 5, 2))]),
    ("avg_pool2d_same_stride2", lambda x: ops.avg_pool2d(x, 3, 2, "same"),
     [normal((1, 5, 4, 2))]),
    ("global_avg_pool2d", ops.global_avg_pool2d, [normal((2, 3, 4, 2))]),
    ("global_max_pool2d", ops.global_max_pool2d, [distinct((2, 3, 4, 2))]),
    ("conv1d_valid", lambda x, k: ops.conv1d(x, k), [normal((2, 6, 2)), normal((3, 2, 3))]),
    ("conv1d_same_stride2", lambda x, k: ops.conv1d(x, k, 2, "same"),
     [normal((1, 7, 2)), normal((3, 2, 2))]),
    ("conv1d_causal_dilated", lambda x, k: ops.conv1d(x, k, 1, "causal", 2),
     [normal((2, 6, 2)), normal((2, 2, 2))]),
    ("max_pool1d", lambda x: ops.max_pool1d(x, 3, 2, "same"), [distinct((2, 7, 2))]),
    ("avg_pool1d", lambda x: ops.avg_pool1d(x, 2), [normal((2, 6, 2))]),
    ("global_avg_pool1d", ops.global_avg_pool1d, [normal((2, 5, 3))]),
    ("global_max_pool1d", ops.global_max_pool1d, [distinct((2, 5, 3))]),
]


@pytest.mark.parametrize("name,function,inputs", GRADIENT_CASES,
                         ids=[case[0] for case in GRADIENT_CASES])
def test_gradients_match_central_differences(name, function, inputs):
    check_gradients(function, inputs, tolerance=1e-6)


def _tape_gradients(function, arrays, output_weights):
    tensors = [Tensor(a) for a in arrays]
    with GradientTape() as tape:
        tape.watch(tensors)
        output = function(*tensors)
    return output.numpy(), tape.gradient(output, tensors, output_gradients=output_weights)


GEOMETRIES = [(1, "valid", 1), (2, "same", 1), (1, "same", 2), ((1, 2), "valid", 1)]


@pytest.mark.parametrize("filters", [4, 2])  # 2, fewer than the 3 channels: see conv2d
@pytest.mark.parametrize("strides,padding,dilation", GEOMETRIES)
def test_conv2d_matches_the_reference_kernels(strides, padding, dilation, filters):
    x, kernel = normal((3, 7, 6, 3)), normal((3, 2, 3, filters), 1)
    expected = reference.conv2d(x, kernel, strides, padding, dilation)
    grad_output = normal(expected.shape, 2)
    value, (grad_x, grad_kernel) = _tape_gradients(
        lambda a, b: ops.conv2d(a, b, strides, padding, dilation), [x, kernel], grad_output)
    geometry = (strides, padding, dilation)
    np.testing.assert_allclose(value, expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(
        grad_x, reference.conv2d_backward_input(grad_output, kernel, x.shape, *geometry),
        rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(
        grad_kernel, reference.conv2d_backward_kernel(grad_output, x, kernel.shape, *geometry),
        rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("strides,padding,output_padding", [
    (1, "valid", None), (2, "same", None), (2, "valid", None), (2, "same", 1), (3, "valid", 2),
])
def test_conv2d_transpose_matches_the_reference_kernels(strides, padding, output_padding):
    x, kernel = normal((2, 3, 4, 3)), normal((3, 3, 2, 3), 1)
    expected = reference.conv2d_transpose(x, kernel, strides, padding, output_padding)
    grad_output = normal(expected.shape, 2)
    value, (grad_x, grad_kernel) = _tape_gradients(
        lambda a, b: ops.conv2d_transpose(a, b, strides, padding, output_padding),
        [x, kernel], grad_output)
    geometry = (strides, padding, (1, 1))
    np.testing.assert_allclose(value, expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(
        grad_x, reference.conv2d_transpose_backward_input(grad_output, kernel, *geometry),
        rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(
        grad_kernel,
        reference.conv2d_transpose_backward_kernel(grad_output, x, kernel.shape, *geometry),
        rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("strides,padding,dilation", GEOMETRIES)
def test_depthwise_conv2d_matches_the_reference_kernels(strides, padding, dilation):
    x, kernel = normal((2, 6, 7, 3)), normal((3, 2, 3, 2), 1)
    expected = reference.depthwise_conv2d(x, kernel, strides, padding, dilation)
    grad_output = normal(expected.shape, 2)
    value, (grad_x, grad_kernel) = _tape_gradients(
        lambda a, b: ops.depthwise_conv2d(a, b, strides, padding, dilation), [x, kernel],
        grad_output)
    geometry = (strides, padding, dilation)
    np.testing.assert_allclose(value, expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(
        grad_x, reference.depthwise_conv2d_backward_input(grad_output, kernel, x.shape,
                                                          *geometry),
        rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(
        grad_kernel, reference.depthwise_conv2d_backward_kernel(grad_output, x, kernel.shape,
                                                                *geometry),
        rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("pool_size,strides,padding", [
    (2, None, "valid"), (3, 2, "same"), ((2, 3), 1, "valid"), (3, 1, "same"),
])
def test_pooling_matches_the_reference_kernels(pool_size, strides, padding):
    x = distinct((2, 7, 6, 3))
    expected_max, argmax = reference.max_pool2d(x, pool_size, strides, padding)
    grad_output = normal(expected_max.shape, 2)
    value, (grad_x,) = _tape_gradients(lambda a: ops.max_pool2d(a, pool_size, strides, padding),
                                       [x], grad_output)
    np.testing.assert_allclose(value, expected_max)
    np.testing.assert_allclose(grad_x,
                               reference.max_pool2d_backward(grad_output, argmax, x.shape))

    expected_avg = reference.avg_pool2d(x, pool_size, strides, padding)
    value, (grad_x,) = _tape_gradients(lambda a: ops.avg_pool2d(a, pool_size, strides, padding),
                                       [x], grad_output)
    np.testing.assert_allclose(value, expected_avg, rtol=1e-10)
    np.testing.assert_allclose(
        grad_x, reference.avg_pool2d_backward(grad_output, x.shape, pool_size, strides, padding),
        rtol=1e-10)


def test_float32_inputs_give_float32_values_and_gradients():
    x = Tensor(normal((1, 4, 4, 2)).astype(np.float32))
    kernel = Tensor(normal((2, 2, 2, 3), 1).astype(np.float32))
    with GradientTape() as tape:
        tape.watch([x, kernel])
        output = ops.conv2d(x, kernel, padding="same")
    grad_x, grad_kernel = tape.gradient(output, [x, kernel])
    assert output.dtype == grad_x.dtype == grad_kernel.dtype == np.float32


def test_conv1d_is_conv2d_on_images_of_height_one():
    x, kernel = normal((2, 9, 3)), normal((3, 3, 4), 1)
    for padding in ("valid", "same"):
        expected = reference.conv2d(x[:, None], kernel[None], (1, 2), padding, 1)[:, 0]
        np.testing.assert_allclose(ops.conv1d(x, kernel, 2, padding).numpy(), expected,
                                   rtol=1e-10, atol=1e-10)


def test_causal_conv1d_sees_only_the_past():
    x, kernel = normal((1, 8, 1)), normal((3, 1, 1), 1)
    changed = x.copy()
    changed[0, 5:] += 10.0
    before = ops.conv1d(x, kernel, padding="causal", dilation_rate=2).numpy()
    after = ops.conv1d(changed, kernel, padding="causal", dilation_rate=2).numpy()
    assert before.shape == (1, 8, 1)
    np.testing.assert_allclose(before[0, :5], after[0, :5])
    assert not np.allclose(before[0, 5:], after[0, 5:])


def test_pool1d_is_pool2d_on_images_of_height_one():
    x = distinct((2, 9, 3))
    np.testing.assert_allclose(ops.max_pool1d(x, 3, 2, "same").numpy(),
                               reference.max_pool2d(x[:, None], (1, 3), (1, 2), "same")[0][:, 0])
    np.testing.assert_allclose(ops.avg_pool1d(x, 2).numpy(),
                               reference.avg_pool2d(x[:, None], (1, 2))[:, 0])


class _CountingKernels:
    """Wraps a kernel module and counts the calls of each function."""

    def __init__(self, module):
        self.module = module
        self.calls = []

    def __getattr__(self, name):
        function = getattr(self.module, name)

        def counted(*args, **kwargs):
            self.calls.append(name)
            return function(*args, **kwargs)

        return counted


def test_an_input_no_tape_watches_gets_no_gradient_computed(monkeypatch):
    spy = _CountingKernels(backend.kernels())
    monkeypatch.setattr(backend, "_kernel_module", spy)
    x = Tensor(normal((1, 5, 5, 2)))
    kernel = Tensor(normal((3, 3, 2, 2), 1))
    with GradientTape() as tape:
        tape.watch(kernel)
        output = ops.conv2d(x, kernel)
    tape.gradient(output, kernel)
    # The kernel gradient reuses the forward pass's patches.
    assert spy.calls == ["conv2d_keeping_patches", "conv2d_backward_kernel_from_patches"]


def test_patches_too_large_to_keep_are_cut_again(monkeypatch):
    spy = _CountingKernels(backend.kernels())
    monkeypatch.setattr(backend, "_kernel_module", spy)
    monkeypatch.setattr(conv_ops, "KEPT_PATCHES_BYTES", 100)
    x = Variable(normal((1, 5, 5, 2)))
    kernel = Variable(normal((3, 3, 2, 2), 1))
    with GradientTape() as tape:
        output = ops.conv2d(x, kernel)
        loss = ops.sum(output * output)
    grads = tape.gradient(loss, [x, kernel])
    assert spy.calls == ["input_gradient_is_a_convolution", "conv2d", "conv2d_backward_input",
                         "conv2d_backward_kernel"]
    monkeypatch.setattr(conv_ops, "KEPT_PATCHES_BYTES", 2**30)
    with GradientTape() as tape:
        output = ops.conv2d(x, kernel)
        loss = ops.sum(output * output)
    for kept, cut_again in zip(tape.gradient(loss, [x, kernel]), grads):
        np.testing.assert_allclose(kept, cut_again, rtol=1e-6)


def test_both_gradients_from_one_set_of_patches_keep_none_from_the_forward_pass(monkeypatch):
    # Fewer filters than channels, stride 1: the fast kernels compute the input gradient
    # as a convolution and take the kernel gradient from its patches, in one call.
    spy = _CountingKernels(fast)
    monkeypatch.setattr(backend, "_kernel_module", spy)
    x, kernel = Variable(normal((2, 6, 5, 3))), Variable(normal((3, 3, 3, 2), 1))
    with GradientTape() as tape:
        output = ops.conv2d(x, kernel, 1, "same")
        loss = ops.sum(output * output)
    grad_x, grad_kernel = tape.gradient(loss, [x, kernel])
    assert spy.calls == ["input_gradient_is_a_convolution", "conv2d", "conv2d_backward"]
    grad_output = 2 * output.numpy()
    np.testing.assert_allclose(grad_x, reference.conv2d_backward_input(
        grad_output, kernel.numpy(), x.shape, 1, "same"), rtol=1e-6)
    np.testing.assert_allclose(grad_kernel, reference.conv2d_backward_kernel(
        grad_output, x.numpy(), kernel.shape, 1, "same"), rtol=1e-6)

def test_no_backward_work_without_a_tape(monkeypatch):
    spy = _CountingKernels(backend.kernels())
    monkeypatch.setattr(backend, "_kernel_module", spy)
    ops.max_pool2d(normal((1, 4, 4, 1)), 2)
    assert spy.calls == ["max_pool2d"]


def test_max_pool_finds_positions_only_for_a_tape(monkeypatch):
    asked = []
    kernels = backend.kernels()
    max_pool2d = kernels.max_pool2d

    def spying_max_pool2d(*args, return_argmax=True):
        asked.append(return_argmax)
        return max_pool2d(*args, return_argmax=return_argmax)

    monkeypatch.setattr(kernels, "max_pool2d", spying_max_pool2d)
    x = Tensor(normal((2, 4, 4, 3)))
    inferred = ops.max_pool2d(x, 2)
    with GradientTape() as tape:
        tape.watch(x)
        trained = ops.max_pool2d(x, 2)
        total = ops.sum(trained)
    grad = tape.gradient(total, x)
    assert asked == [False, True]
    np.testing.assert_array_equal(inferred.value, trained.value)
    assert grad.sum() == trained.size  # one winner per window got each gradient


@pytest.mark.parametrize("call,message", [
    (lambda: ops.conv2d(normal((4, 4, 2)), normal((2, 2, 2, 1))), r"rank 4.*\(4, 4, 2\)"),
    (lambda: ops.conv2d(normal((1, 4, 4, 2)), normal((2, 2, 2))), r"kernel of rank 4"),
    (lambda: ops.conv2d(normal((1, 4, 4, 2)), normal((2, 2, 3, 1))), r"channels"),
    (lambda: ops.conv2d(normal((1, 2, 2, 1)), normal((3, 3, 1, 1))), r"larger than the input"),
    (lambda: ops.conv2d(normal((1, 4, 4, 1)), normal((2, 2, 1, 1)), padding="full"), "padding"),
    (lambda: ops.max_pool2d(normal((1, 4, 4)), 2), r"rank 4.*\(1, 4, 4\)"),
    (lambda: ops.conv1d(normal((1, 4, 4, 1)), normal((2, 1, 1))), r"rank 3.*\(1, 4, 4, 1\)"),
    (lambda: ops.conv1d(normal((1, 4, 1)), normal((2, 1, 1)), padding="full"), "causal"),
    (lambda: ops.conv1d(normal((1, 4, 1)), normal((2, 1, 1)), strides=0), "strides"),
    (lambda: ops.max_pool1d(normal((1, 4, 1)), pool_size=(2, 2)), "pool_size"),
    (lambda: ops.global_avg_pool2d(normal((2, 3))), r"rank 4"),
])
def test_bad_inputs_raise_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
