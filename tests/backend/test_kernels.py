"""Tests of the convolution and pooling kernels, `reference.py` and `fast.py`.

- property tests (hypothesis): the fast kernels give the reference kernels' results;
- every backward kernel against central differences, in float64 on tiny shapes;
- results worked out by hand for a few tiny cases, TensorFlow's padding included;
- bad arguments raise ValueError naming the shapes;
- the compiled kernels are loaded from numba's disk cache by a new process.
"""
import glob
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from minikeras.kernels import fast, geometry, reference

pytestmark = pytest.mark.backend

JIT_DISABLED = os.environ.get("NUMBA_DISABLE_JIT") == "1"
EXAMPLES = 6 if JIT_DISABLED else 30
MODULES = [pytest.param(reference, id="reference"), pytest.param(fast, id="fast")]
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# Helpers ---------------------------------------------------------------------------------

def assert_same(fast_result, reference_result):
    """The fast result equals the reference one up to float32 rounding, in the same dtype."""
    assert fast_result.dtype == reference_result.dtype
    scale = max(1.0, float(np.abs(reference_result).max(initial=0.0)))
    np.testing.assert_allclose(fast_result, reference_result, rtol=1e-5, atol=1e-5 * scale)


def numeric_gradient(function, x, grad_output, epsilon=1e-5):
    """Central-difference gradient of `sum(grad_output * function(x))` with respect to `x`."""
    x = x.copy()
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + epsilon
        above = np.sum(grad_output * function(x))
        x[index] = saved - epsilon
        below = np.sum(grad_output * function(x))
        x[index] = saved
        gradient[index] = (above - below) / (2 * epsilon)
    return gradient


def assert_gradient(received, expected, what):
    worst = np.unravel_index(np.argmax(np.abs(received - expected)), expected.shape)
    assert np.allclose(received, expected, rtol=1e-6, atol=1e-7), (
        f"{what}: received derivative {received[worst]} at {worst} but expected "
        f"{expected[worst]} from central difference")


def random_array(rng, shape, dtype=np.float64):
    return rng.standard_normal(shape).astype(dtype)


def image(values):
    """A (1, height, width, 1) image from a nested list of rows."""
    return np.array(values, np.float32)[None, :, :, None]


@st.composite
def window_configs(draw):
    """A random convolution or pooling configuration, small and odd-sized."""
    return {
        "batch": draw(st.sampled_from([1, 5])),
        "size": (draw(st.integers(1, 9)), draw(st.integers(1, 9))),
        "channels": draw(st.sampled_from([1, 3, 8])),
        "filters": draw(st.sampled_from([1, 8])),
        "window": (draw(st.integers(1, 5)), draw(st.integers(1, 5))),
        "strides": (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        "padding": draw(st.sampled_from(["valid", "same"])),
        "dilation_rate": draw(st.sampled_from([(1, 1), (2, 2), (1, 2), (2, 1)])),
        "seed": draw(st.integers(0, 2**31)),
    }


def input_shape(config):
    return (config["batch"],) + config["size"] + (config["channels"],)


def output_is_empty(config, dilation_rate=None):
    """True when a 'valid' window does not fit the input (the kernels raise then)."""
    dilation_rate = dilation_rate or config["dilation_rate"]
    return config["padding"] == "valid" and any(
        geometry.dilated_size(k, d) > n
        for k, d, n in zip(config["window"], dilation_rate, config["size"]))


hypothesis_settings = settings(max_examples=EXAMPLES, deadline=None)


# Fast equals reference --------------------------------------------------------------------

@hypothesis_settings
@given(window_configs())
def test_conv2d_fast_equals_reference(config):
    assume(not output_is_empty(config))
    rng = np.random.default_rng(config["seed"])
    x = random_array(rng, input_shape(config), np.float32)
    kernel = random_array(rng, config["window"] + (config["channels"], config["filters"]),
                          np.float32)
    geometry_args = (config["strides"], config["padding"], config["dilation_rate"])
    output = reference.conv2d(x, kernel, *geometry_args)
    assert_same(fast.conv2d(x, kernel, *geometry_args), output)
    grad_output = random_array(rng, output.shape, np.float32)
    assert_same(fast.conv2d_backward_input(grad_output, kernel, x.shape, *geometry_args),
                reference.conv2d_backward_input(grad_output, kernel, x.shape, *geometry_args))
    assert_same(fast.conv2d_backward_kernel(grad_output, x, kernel.shape, *geometry_args),
                reference.conv2d_backward_kernel(grad_output, x, kernel.shape,
                                                 *geometry_args))
    for module in (fast, reference):  # both gradients together, and from kept patches
        grad_x, grad_kernel = module.conv2d_backward(grad_output, x, kernel, *geometry_args)
        assert_same(grad_x, reference.conv2d_backward_input(grad_output, kernel, x.shape,
                                                            *geometry_args))
        assert_same(grad_kernel, reference.conv2d_backward_kernel(grad_output, x, kernel.shape,
                                                                  *geometry_args))
        kept_output, patches = module.conv2d_keeping_patches(x, kernel, *geometry_args)
        assert_same(kept_output, output)
        assert_same(module.conv2d_backward_kernel_from_patches(grad_output, patches,
                                                               kernel.shape),
                    reference.conv2d_backward_kernel(grad_output, x, kernel.shape,
                                                     *geometry_args))


@pytest.mark.parametrize("channels", [1, 3, 8])
def test_conv2d_in_chunks_of_the_batch_equals_reference(monkeypatch, channels):
    # Chunks of two batch items (6 x 6 windows of 9 taps each): 7 items make 4 chunks,
    # the last one shorter.
    monkeypatch.setattr(fast, "PATCH_CHUNK_BYTES", 2 * 6 * 6 * 9 * channels * 4)
    rng = np.random.default_rng(channels)
    x = random_array(rng, (7, 8, 8, channels), np.float32)
    kernel = random_array(rng, (3, 3, channels, 4), np.float32)
    output = reference.conv2d(x, kernel, 1, "valid")
    assert_same(fast.conv2d(x, kernel, 1, "valid"), output)
    grad_output = random_array(rng, output.shape, np.float32)
    assert_same(fast.conv2d_backward_input(grad_output, kernel, x.shape, 1, "valid"),
                reference.conv2d_backward_input(grad_output, kernel, x.shape, 1, "valid"))
    assert_same(fast.conv2d_backward_kernel(grad_output, x, kernel.shape, 1, "valid"),
                reference.conv2d_backward_kernel(grad_output, x, kernel.shape, 1, "valid"))
    # With 8 channels, the input gradient is a convolution, and the kernel gradient sums
    # its patches' products over the chunks.
    assert fast.input_gradient_is_a_convolution(kernel.shape) == (channels == 8)
    grad_x, grad_kernel = fast.conv2d_backward(grad_output, x, kernel, 1, "valid")
    assert_same(grad_x, reference.conv2d_backward_input(grad_output, kernel, x.shape))
    assert_same(grad_kernel, reference.conv2d_backward_kernel(grad_output, x, kernel.shape))
    kept_output, patches = fast.conv2d_keeping_patches(x, kernel, 1, "valid")
    assert len(patches) == 4  # each chunk kept in a buffer of its own
    assert_same(kept_output, output)
    assert_same(fast.conv2d_backward_kernel_from_patches(grad_output, patches, kernel.shape),
                reference.conv2d_backward_kernel(grad_output, x, kernel.shape, 1, "valid"))



def test_row_taps_serve_convolutions_with_fewer_output_than_input_channels():
    # The case study's second convolution and a 5x5 one: row taps; as many output as
    # input channels with a 3x3 kernel, one row, one channel: im2col.
    assert fast._row_taps_are_smaller((4, 4, 32, 16))
    assert fast._row_taps_are_smaller((5, 5, 32, 32))
    assert not fast._row_taps_are_smaller((3, 3, 32, 64))
    assert not fast._row_taps_are_smaller((1, 5, 32, 1))
    assert not fast._row_taps_are_smaller((4, 4, 1, 32))


@pytest.mark.parametrize("strides,padding,dilation_rate", [
    ((1, 1), "valid", (1, 1)), ((2, 3), "same", (1, 1)), ((1, 2), "same", (2, 2)),
    ((3, 1), "valid", (2, 1)),
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_conv2d_by_row_taps_equals_reference(monkeypatch, strides, padding, dilation_rate,
                                             dtype):
    # Chunks of at most 3 items (9 rows x 6 windows x 3 taps x 8 channels each; wider
    # outputs make smaller chunks), the last one shorter.
    monkeypatch.setattr(fast, "PATCH_CHUNK_BYTES", 3 * 9 * 6 * 3 * 8 * np.dtype(dtype).itemsize)
    rng = np.random.default_rng(7)
    x = random_array(rng, (7, 9, 11, 8), dtype)
    kernel = random_array(rng, (3, 3, 8, 2), dtype)
    assert fast._row_taps_are_smaller(kernel.shape)
    output = fast.conv2d(x, kernel, strides, padding, dilation_rate)
    assert output.dtype == dtype
    assert_same(output, reference.conv2d(x, kernel, strides, padding, dilation_rate))

@hypothesis_settings
@given(window_configs(), st.one_of(st.none(), st.tuples(st.integers(0, 2),
                                                          st.integers(0, 2))))
def test_conv2d_transpose_fast_equals_reference(config, output_padding):
    rng = np.random.default_rng(config["seed"])
    x = random_array(rng, input_shape(config), np.float32)
    kernel = random_array(rng, config["window"] + (config["filters"], config["channels"]),
                          np.float32)
    strides, padding, dilation_rate = (config["strides"], config["padding"],
                                       config["dilation_rate"])
    try:
        geometry.transpose_output_shape(x.shape, kernel.shape, strides, padding,
                                        output_padding, dilation_rate)
    except ValueError:
        assume(False)
    output = reference.conv2d_transpose(x, kernel, strides, padding, output_padding,
                                        dilation_rate)
    assert_same(fast.conv2d_transpose(x, kernel, strides, padding, output_padding,
                                      dilation_rate), output)
    grad_output = random_array(rng, output.shape, np.float32)
    geometry_args = (strides, padding, dilation_rate)
    assert_same(fast.conv2d_transpose_backward_input(grad_output, kernel, *geometry_args),
                reference.conv2d_transpose_backward_input(grad_output, kernel, *geometry_args))
    assert_same(
        fast.conv2d_transpose_backward_kernel(grad_output, x, kernel.shape, *geometry_args),
        reference.conv2d_transpose_backward_kernel(grad_output, x, kernel.shape,
                                                   *geometry_args))


@hypothesis_settings
@given(window_configs(), st.integers(1, 3))
def test_depthwise_conv2d_fast_equals_reference(config, depth_multiplier):
    assume(not output_is_empty(config))
    rng = np.random.default_rng(config["seed"])
    x = random_array(rng, input_shape(config), np.float32)
    kernel = random_array(rng, config["window"] + (config["channels"], depth_multiplier),
                          np.float32)
    geometry_args = (config["strides"], config["padding"], config["dilation_rate"])
    output = reference.depthwise_conv2d(x, kernel, *geometry_args)
    assert_same(fast.depthwise_conv2d(x, kernel, *geometry_args), output)
    grad_output = random_array(rng, output.shape, np.float32)
    assert_same(
        fast.depthwise_conv2d_backward_input(grad_output, kernel, x.shape, *geometry_args),
        reference.depthwise_conv2d_backward_input(grad_output, kernel, x.shape,
                                                  *geometry_args))
    assert_same(
        fast.depthwise_conv2d_backward_kernel(grad_output, x, kernel.shape, *geometry_args),
        reference.depthwise_conv2d_backward_kernel(grad_output, x, kernel.shape,
                                                   *geometry_args))


@hypothesis_settings
@given(window_configs(), st.booleans())
def test_pooling_fast_equals_reference(config, default_strides):
    assume(not output_is_empty(config, dilation_rate=(1, 1)))
    rng = np.random.default_rng(config["seed"])
    x = random_array(rng, input_shape(config), np.float32)
    pool_args = (config["window"], None if default_strides else config["strides"],
                 config["padding"])
    output, argmax = reference.max_pool2d(x, *pool_args)
    fast_output, fast_argmax = fast.max_pool2d(x, *pool_args)
    assert_same(fast_output, output)
    np.testing.assert_array_equal(fast_argmax, argmax)
    assert fast_argmax.dtype == argmax.dtype == np.int64
    for module in (reference, fast):  # inference's way: the maxima alone, no positions
        values_only, no_argmax = module.max_pool2d(x, *pool_args, return_argmax=False)
        assert_same(values_only, output)
        assert no_argmax is None
    grad_output = random_array(rng, output.shape, np.float32)
    assert_same(fast.max_pool2d_backward(grad_output, argmax, x.shape),
                reference.max_pool2d_backward(grad_output, argmax, x.shape))
    assert_same(fast.avg_pool2d(x, *pool_args), reference.avg_pool2d(x, *pool_args))
    assert_same(fast.avg_pool2d_backward(grad_output, x.shape, *pool_args),
                reference.avg_pool2d_backward(grad_output, x.shape, *pool_args))


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_output_dtype_is_input_dtype(module, dtype):
    rng = np.random.default_rng(0)
    x = random_array(rng, (2, 6, 5, 3), dtype)
    kernel = random_array(rng, (3, 3, 3, 4), dtype)
    output = module.conv2d(x, kernel, padding="same")
    results = [
        output,
        module.conv2d_backward_input(output, kernel, x.shape, 1, "same"),
        module.conv2d_backward_kernel(output, x, kernel.shape, 1, "same"),
        module.conv2d_transpose(output, kernel, 1, "same"),
        module.depthwise_conv2d(x, kernel[..., :2], 1, "same"),
        module.max_pool2d(x, 2)[0],
        module.max_pool2d_backward(*module.max_pool2d(x, 2), x.shape),
        module.avg_pool2d(x, 2),
        module.avg_pool2d_backward(module.avg_pool2d(x, 2), x.shape, 2),
    ]
    assert [result.dtype for result in results] == [np.dtype(dtype)] * len(results)


# Gradients against central differences ----------------------------------------------------

CONV_CASES = [
    ((1, 1), "valid", (1, 1)),
    ((2, 2), "same", (1, 1)),
    ((2, 1), "same", (2, 1)),
    ((1, 2), "valid", (1, 2)),
    ((3, 2), "same", (1, 1)),
]


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("strides, padding, dilation_rate", CONV_CASES)
def test_conv2d_gradients(module, strides, padding, dilation_rate):
    rng = np.random.default_rng(1)
    x, kernel = random_array(rng, (2, 5, 6, 2)), random_array(rng, (3, 2, 2, 3))
    args = (strides, padding, dilation_rate)
    grad_output = random_array(rng, module.conv2d(x, kernel, *args).shape)
    assert_gradient(module.conv2d_backward_input(grad_output, kernel, x.shape, *args),
                    numeric_gradient(lambda v: module.conv2d(v, kernel, *args), x,
                                     grad_output), "conv2d_backward_input")
    assert_gradient(module.conv2d_backward_kernel(grad_output, x, kernel.shape, *args),
                    numeric_gradient(lambda v: module.conv2d(x, v, *args), kernel,
                                     grad_output), "conv2d_backward_kernel")


TRANSPOSE_CASES = [
    ((2, 2), "same", None, (1, 1)),
    ((2, 2), "same", (0, 1), (1, 1)),
    ((2, 3), "valid", (1, 2), (1, 1)),
    ((1, 1), "same", None, (2, 2)),
    ((3, 1), "valid", None, (1, 1)),
]


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("strides, padding, output_padding, dilation_rate", TRANSPOSE_CASES)
def test_conv2d_transpose_gradients(module, strides, padding, output_padding, dilation_rate):
    rng = np.random.default_rng(2)
    x, kernel = random_array(rng, (2, 3, 4, 2)), random_array(rng, (3, 2, 3, 2))

    def transpose(v, w):
        return module.conv2d_transpose(v, w, strides, padding, output_padding, dilation_rate)

    grad_output = random_array(rng, transpose(x, kernel).shape)
    args = (strides, padding, dilation_rate)
    assert_gradient(module.conv2d_transpose_backward_input(grad_output, kernel, *args),
                    numeric_gradient(lambda v: transpose(v, kernel), x, grad_output),
                    "conv2d_transpose_backward_input")
    assert_gradient(module.conv2d_transpose_backward_kernel(grad_output, x, kernel.shape,
                                                            *args),
                    numeric_gradient(lambda w: transpose(x, w), kernel, grad_output),
                    "conv2d_transpose_backward_kernel")


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("strides, padding, dilation_rate", CONV_CASES)
def test_depthwise_conv2d_gradients(module, strides, padding, dilation_rate):
    rng = np.random.default_rng(3)
    x, kernel = random_array(rng, (1, 4, 5, 2)), random_array(rng, (3, 2, 2, 3))
    args = (strides, padding, dilation_rate)
    grad_output = random_array(rng, module.depthwise_conv2d(x, kernel, *args).shape)
    assert_gradient(
        module.depthwise_conv2d_backward_input(grad_output, kernel, x.shape, *args),
        numeric_gradient(lambda v: module.depthwise_conv2d(v, kernel, *args), x, grad_output),
        "depthwise_conv2d_backward_input")
    assert_gradient(
        module.depthwise_conv2d_backward_kernel(grad_output, x, kernel.shape, *args),
        numeric_gradient(lambda v: module.depthwise_conv2d(x, v, *args), kernel,
                         grad_output),
        "depthwise_conv2d_backward_kernel")


POOL_CASES = [((2, 2), None, "valid"), ((3, 3), (1, 2), "same"), ((2, 3), (2, 1), "same"),
              ((3, 2), (2, 2), "valid")]


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("pool_size, strides, padding", POOL_CASES)
def test_pooling_gradients(module, pool_size, strides, padding):
    rng = np.random.default_rng(4)
    x = random_array(rng, (1, 4, 6, 2))
    output, argmax = module.max_pool2d(x, pool_size, strides, padding)
    grad_output = random_array(rng, output.shape)
    assert_gradient(module.max_pool2d_backward(grad_output, argmax, x.shape),
                    numeric_gradient(lambda v: module.max_pool2d(v, pool_size, strides,
                                                                 padding)[0],
                                     x, grad_output), "max_pool2d_backward")
    assert_gradient(module.avg_pool2d_backward(grad_output, x.shape, pool_size, strides,
                                               padding),
                    numeric_gradient(lambda v: module.avg_pool2d(v, pool_size, strides,
                                                                 padding),
                                     x, grad_output), "avg_pool2d_backward")


# Known values, worked out by hand ---------------------------------------------------------

ONE_TO_NINE = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]


@pytest.mark.parametrize("module", MODULES)
def test_conv2d_same_stride_2_pads_only_after(module):
    # ceil(3 / 2) = 2 outputs; total padding (2 - 1) * 2 + 2 - 3 = 1 goes after.
    output = module.conv2d(image(ONE_TO_NINE), np.ones((2, 2, 1, 1), np.float32),
                           (2, 2), "same")
    np.testing.assert_array_equal(output[0, :, :, 0], [[1 + 2 + 4 + 5, 3 + 6],
                                                       [7 + 8, 9]])


@pytest.mark.parametrize("module", MODULES)
def test_conv2d_valid(module):
    kernel = np.array([[1, 2], [3, 4]], np.float32)[:, :, None, None]
    output = module.conv2d(image(ONE_TO_NINE), kernel)
    # top left: 1*1 + 2*2 + 3*4 + 4*5
    np.testing.assert_array_equal(output[0, :, :, 0], [[37, 47], [67, 77]])


@pytest.mark.parametrize("module", MODULES)
def test_max_pool_same_ignores_padding(module):
    x = -image(ONE_TO_NINE)  # all negative: a zero-padded cell would win
    output, argmax = module.max_pool2d(x, 2, padding="same")
    np.testing.assert_array_equal(output[0, :, :, 0], [[-1, -3], [-7, -9]])
    np.testing.assert_array_equal(argmax[0, :, :, 0], [[0, 2], [6, 8]])
    values_only, _ = module.max_pool2d(x, 2, padding="same", return_argmax=False)
    np.testing.assert_array_equal(values_only, output)


@pytest.mark.parametrize("module", MODULES)
def test_max_pool_picks_first_maximum(module):
    x = image([[1, 5, 5], [5, 2, 5], [0, 0, 0]])
    output, argmax = module.max_pool2d(x, 2, strides=1)
    np.testing.assert_array_equal(output[0, :, :, 0], [[5, 5], [5, 5]])
    np.testing.assert_array_equal(argmax[0, :, :, 0], [[1, 1], [3, 5]])
    grad = module.max_pool2d_backward(np.ones_like(output), argmax, x.shape)
    np.testing.assert_array_equal(grad[0, :, :, 0], [[0, 2, 0], [1, 0, 1], [0, 0, 0]])



@pytest.mark.parametrize("pool_size,strides,padding", [(2, 2, "valid"), (3, 2, "same")])
def test_fast_max_pool_picks_the_first_of_many_ties_in_every_channel(pool_size, strides,
                                                                     padding):
    # Values 0, 1 and 2 only (as relu makes many zeros): most windows hold ties, in 19
    # channels, more than one vector register holds.
    x = np.random.default_rng(5).integers(0, 3, size=(2, 7, 9, 19)).astype(np.float32)
    output, argmax = reference.max_pool2d(x, pool_size, strides, padding)
    fast_output, fast_argmax = fast.max_pool2d(x, pool_size, strides, padding)
    assert_same(fast_output, output)
    np.testing.assert_array_equal(fast_argmax, argmax)


def test_fast_max_pool_positions_stay_inside_the_input_with_nan():
    # NaN is not supported (documented), but must not send a gradient outside the input.
    x = np.random.default_rng(6).normal(size=(1, 4, 4, 3)).astype(np.float32)
    x[0, 1, 1, 0] = np.nan
    _, argmax = fast.max_pool2d(x, 2)
    assert argmax.min() >= 0 and argmax.max() < 16

@pytest.mark.parametrize("module", MODULES)
def test_avg_pool_same_divides_by_real_cells(module):
    output = module.avg_pool2d(image(ONE_TO_NINE), 2, padding="same")
    np.testing.assert_array_equal(output[0, :, :, 0], [[(1 + 2 + 4 + 5) / 4, (3 + 6) / 2],
                                                       [(7 + 8) / 2, 9]])
    grad = module.avg_pool2d_backward(np.ones_like(output), (1, 3, 3, 1), 2, padding="same")
    np.testing.assert_array_equal(grad[0, :, :, 0], [[0.25, 0.25, 0.5], [0.25, 0.25, 0.5],
                                                     [0.5, 0.5, 1.0]])


# Each input cell stamps a 3x3 block of ones scaled by its value, every 2 cells.
STAMPED = [[1, 1, 3, 2, 2],
           [1, 1, 3, 2, 2],
           [4, 4, 10, 6, 6],
           [3, 3, 7, 4, 4],
           [3, 3, 7, 4, 4]]


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("padding, output_padding, rows", [
    ("valid", None, slice(0, 5)),  # 2 * 2 + (3 - 2) = 5
    ("same", None, slice(0, 4)),   # 2 * 2 = 4; forward 'same' from 4 pads 0 before, 1 after
    ("same", 1, slice(0, 4)),      # (2 - 1) * 2 + 3 - 2 * 1 + 1 = 4
    ("same", 0, slice(1, 4)),      # 3; forward 'same' from 3 pads 1 before, 1 after
])
def test_conv2d_transpose_small(module, padding, output_padding, rows):
    output = module.conv2d_transpose(image([[1, 2], [3, 4]]), np.ones((3, 3, 1, 1),
                                     np.float32), (2, 2), padding, output_padding)
    np.testing.assert_array_equal(output[0, :, :, 0], np.array(STAMPED)[rows, rows])


def test_geometry_follows_tensorflow_and_keras():
    assert geometry.same_padding(3, 2, 2) == (0, 1)
    assert geometry.same_padding(7, 4, 1) == (1, 2)
    assert geometry.same_padding(5, 3, 1, dilation=2) == (2, 2)
    assert geometry.same_padding(5, 1, 3) == (0, 0)
    assert geometry.conv_output_length(9, 3, 2, "valid") == 4
    assert geometry.conv_output_length(9, 3, 2, "same") == 5
    assert geometry.conv_output_length(9, 3, 1, "valid", dilation=3) == 3
    assert geometry.deconv_output_length(4, 3, 2, "valid") == 9
    assert geometry.deconv_output_length(4, 1, 3, "valid") == 12
    assert geometry.deconv_output_length(4, 3, 2, "same") == 8
    assert geometry.deconv_output_length(4, 3, 2, "same", output_padding=0) == 7
    assert geometry.deconv_output_length(4, 3, 2, "valid", output_padding=1, dilation=2) == 12
    assert geometry.normalize_tuple(3, "strides") == (3, 3)
    assert geometry.normalize_padding("SAME") == "same"


# Bad arguments ----------------------------------------------------------------------------

@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("call, message", [
    (lambda m: m.conv2d(np.zeros((1, 3, 3, 1)), np.zeros((4, 4, 1, 1))),
     r"larger than the input of shape \(1, 3, 3, 1\)"),
    (lambda m: m.conv2d(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), dilation_rate=3),
     r"spans 7x7 cells.*\(1, 5, 5, 1\)"),
    (lambda m: m.conv2d(np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 2, 4))),
     r"\(1, 5, 5, 3\) has 3 channels but the kernel of shape \(3, 3, 2, 4\) expects 2"),
    (lambda m: m.conv2d(np.zeros((5, 5, 3)), np.zeros((3, 3, 3, 4))),
     r"rank 4.*received shape \(5, 5, 3\)"),
    (lambda m: m.conv2d(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), strides=(0, 1)),
     r"`strides` must be.*\(0, 1\)"),
    (lambda m: m.conv2d(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), strides=-2),
     r"`strides` must be.*-2"),
    (lambda m: m.conv2d(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), padding="full"),
     r"`padding` must be one of \['valid', 'same'\]; received 'full'"),
    (lambda m: m.conv2d_backward_input(np.zeros((1, 2, 2, 1)), np.zeros((3, 3, 1, 1)),
                                       (1, 5, 5, 1)),
     r"grad_output of shape \(1, 3, 3, 1\); received shape \(1, 2, 2, 1\)"),
    (lambda m: m.conv2d_transpose(np.zeros((1, 4, 4, 2)), np.zeros((3, 3, 1, 2)), 2,
                                  output_padding=2),
     r"`output_padding` must be.*strides \(2, 2\); received 2"),
    (lambda m: m.conv2d_transpose(np.zeros((1, 4, 4, 2)), np.zeros((3, 3, 2, 1))),
     r"\(1, 4, 4, 2\) has 2 channels but the kernel of shape \(3, 3, 2, 1\) expects 1"),
    (lambda m: m.conv2d_transpose(np.zeros((1, 4, 4, 1)), np.zeros((4, 4, 1, 1)), 2, "same",
                                  output_padding=0),
     r"\(1, 4, 4, 1\).*output of size \(6, 6\)"),
    (lambda m: m.max_pool2d(np.zeros((1, 2, 5, 1)), 3),
     r"pool spans 3x3 cells, larger than the input of shape \(1, 2, 5, 1\)"),
    (lambda m: m.avg_pool2d(np.zeros((1, 5, 5, 1)), (2, 0)), r"`pool_size` must be"),
    (lambda m: m.max_pool2d_backward(np.zeros((1, 2, 2, 1)), np.zeros((1, 2, 2, 2), int),
                                     (1, 4, 4, 1)),
     r"argmax of shape \(1, 2, 2, 1\); received shape \(1, 2, 2, 2\)"),
    (lambda m: m.depthwise_conv2d(np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 2, 1))),
     r"has 3 channels but the kernel of shape \(3, 3, 2, 1\) expects 2"),
])
def test_bad_arguments_raise_value_error(module, call, message):
    with pytest.raises(ValueError, match=message):
        call(module)


# Numba's disk cache ------------------------------------------------------------------------

CACHE_PROBE = (
    "import time; t = time.perf_counter(); import numpy as np; "
    "from minikeras.kernels import fast; "
    "fast.conv2d(np.ones((2, 9, 9, 3), np.float32), np.ones((3, 3, 3, 4), np.float32)); "
    "print(time.perf_counter() - t)"
)


def run_cache_probe():
    environment = dict(os.environ, NUMBA_DEBUG_CACHE="1")
    environment["PYTHONPATH"] = os.pathsep.join(
        [REPO_ROOT] + [p for p in [os.environ.get("PYTHONPATH")] if p])
    result = subprocess.run([sys.executable, "-c", CACHE_PROBE], env=environment,
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def cache_index_files():
    cache_dir = os.environ.get("NUMBA_CACHE_DIR")
    if cache_dir:
        return glob.glob(os.path.join(cache_dir, "**", "fast.*.nbi"), recursive=True)
    return glob.glob(os.path.join(os.path.dirname(fast.__file__), "__pycache__",
                                  "fast.*.nbi"))


@pytest.mark.skipif(JIT_DISABLED, reason="numba's JIT is disabled: nothing is compiled")
def test_compiled_kernels_are_loaded_from_cache_by_a_new_process():
    run_cache_probe()
    assert cache_index_files(), "numba wrote no cache index (.nbi) for fast.py"
    second_run = run_cache_probe()
    assert "data loaded from" in second_run, second_run
    assert "data saved to" not in second_run, f"the second process recompiled:\n{second_run}"
