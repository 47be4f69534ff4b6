"""`ops.bias_add`, the bias and activation in one op: gradients, and agreement with the
unfused ops (`activation(x + bias)`) it stands for. Also the other fused elementwise
kernel, Adam's update."""
import numpy as np
import pytest

from minikeras import GradientTape, Tensor, Variable, ops
from minikeras.autograd import check_gradients
from minikeras.kernels import fast, reference

pytestmark = pytest.mark.backend

ACTIVATIONS = {"linear": lambda z: z, "relu": ops.relu, "sigmoid": ops.sigmoid,
               "tanh": ops.tanh}


def away_from_zero(shape, seed=0):
    """Values at least 0.2 from zero (relu's kink stays far from the central differences)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.2, 2.0, shape) * rng.choice([-1, 1], shape)


@pytest.fixture(params=["numpy-sized", "parallel"])
def parallel_threshold(request, monkeypatch):
    """Runs a test twice: as it comes (small arrays go to NumPy) and with fast.py's
    parallel loops for every size."""
    if request.param == "parallel":
        monkeypatch.setattr(fast, "PARALLEL_MIN_SIZE", 0)
    return request.param


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("shape", [(5, 3), (2, 4, 4, 3)])
def test_bias_add_gradient_agrees_with_central_differences(activation, shape,
                                                           parallel_threshold):
    x = away_from_zero(shape)
    bias = np.zeros(shape[-1])  # relu's inputs stay away from zero
    function = lambda x, bias: ops.bias_add(x, bias, activation)  # noqa: E731
    check_gradients(function, [x, bias], tolerance=1e-6)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_bias_add_matches_the_unfused_ops_in_float32(activation):
    rng = np.random.default_rng(1)
    x = Variable(rng.normal(size=(4, 6, 6, 3)).astype(np.float32))
    bias = Variable(rng.normal(size=(3,)).astype(np.float32))
    weights = rng.normal(size=(4, 6, 6, 3)).astype(np.float32)
    with GradientTape(persistent=True) as tape:
        fused = ops.bias_add(x, bias, activation)
        unfused = ACTIVATIONS[activation](x + bias)
        fused_loss = ops.sum(fused * weights)
        unfused_loss = ops.sum(unfused * weights)
    assert fused.dtype == np.float32
    np.testing.assert_array_equal(fused.numpy(), unfused.numpy())
    for fused_grad, unfused_grad in zip(tape.gradient(fused_loss, [x, bias]),
                                        tape.gradient(unfused_loss, [x, bias])):
        assert fused_grad.dtype == np.float32
        np.testing.assert_allclose(fused_grad, unfused_grad, rtol=1e-5, atol=1e-5)


def test_bias_add_leaves_its_input_unchanged():
    x = Tensor(np.array([[-1.0, 2.0]], np.float32))
    ops.bias_add(x, np.zeros(2, np.float32), "relu")
    np.testing.assert_array_equal(x.numpy(), [[-1.0, 2.0]])


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_bias_add_in_place_reuses_the_array_and_keeps_the_gradients(activation,
                                                                  parallel_threshold):
    rng = np.random.default_rng(2)
    bias = Variable(rng.normal(size=(3,)).astype(np.float32))
    weights = rng.normal(size=(2, 5, 5, 3)).astype(np.float32)
    x_value = rng.normal(size=(2, 5, 5, 3)).astype(np.float32)
    results = []
    for in_place in (False, True):
        x = Variable(x_value)
        with GradientTape() as tape:
            product = x * 1.0  # a fresh array, as a layer's convolution gives
            output = ops.bias_add(product, bias, activation, in_place=in_place)
            loss = ops.sum(output * weights)
        # (sigmoid adds the bias in place, but its stable formula makes new arrays)
        reused = in_place and activation != "sigmoid"
        assert np.shares_memory(output.value, product.value) == reused
        results.append([output.numpy()] + tape.gradient(loss, [x, bias]))
    for separate, reused in zip(*results):
        np.testing.assert_array_equal(reused, separate)


def test_bias_add_in_place_leaves_a_read_only_or_other_dtype_input_alone():
    read_only = np.ones((2, 3), np.float32)
    read_only.flags.writeable = False
    output = ops.bias_add(read_only, np.ones(3, np.float32), "relu", in_place=True)
    assert not np.shares_memory(output.value, read_only)
    integers = Tensor(np.ones((2, 3), np.int64))
    output = ops.bias_add(integers, np.full(3, 0.5), "linear", in_place=True)
    np.testing.assert_array_equal(output.numpy(), np.full((2, 3), 1.5))


def test_fast_bias_relu_writes_into_out_or_says_what_it_needs(monkeypatch):
    monkeypatch.setattr(fast, "PARALLEL_MIN_SIZE", 0)
    x = np.array([[-2.0, 1.0], [3.0, -4.0]], np.float32)
    assert fast.bias_relu(x, np.ones(2, np.float32), out=x) is x
    np.testing.assert_array_equal(x, [[0, 2], [4, 0]])
    with pytest.raises(ValueError, match=r"C-contiguous array of shape \(2, 2\)"):
        fast.bias_relu(x, np.ones(2, np.float32), out=np.empty((2, 2), np.float32).T[::1, ::-1])


def test_bias_add_errors_name_what_was_expected():
    with pytest.raises(ValueError, match="must be one of"):
        ops.bias_add(np.ones((2, 3)), np.ones(3), "softmax")
    with pytest.raises(ValueError, match=r"must have shape \(3,\)"):
        ops.bias_add(np.ones((2, 3)), np.ones(4), "relu")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("relu", [True, False])
@pytest.mark.parametrize("shape", [(1, 1), (7, 5), (3, 9, 11, 8), (2, 70, 70, 16)])
def test_fast_bias_relu_equals_reference(monkeypatch, shape, relu, dtype):
    monkeypatch.setattr(fast, "PARALLEL_MIN_SIZE", 0)  # the compiled loops, at every size
    rng = np.random.default_rng(sum(shape))
    x = rng.normal(size=shape).astype(dtype)
    x.flat[0] = np.nan  # stays NaN through relu, as np.maximum keeps it
    bias = rng.normal(size=shape[-1:]).astype(dtype)
    output = fast.bias_relu(x, bias, relu)
    expected = reference.bias_relu(x, bias, relu)
    assert output.dtype == dtype
    np.testing.assert_array_equal(output, expected)
    grad_output = rng.normal(size=shape).astype(dtype)
    grad_x, grad_bias = fast.bias_relu_backward(grad_output, output, relu)
    expected_x, expected_bias = reference.bias_relu_backward(grad_output, expected, relu)
    np.testing.assert_array_equal(grad_x, expected_x)
    # Both sum in the array's dtype, in another order: equal up to rounding of the sum.
    scale = np.abs(expected_x).reshape(-1, shape[-1]).sum(axis=0).max()
    np.testing.assert_allclose(grad_bias, expected_bias, rtol=0,
                               atol=scale * np.finfo(dtype).eps * 8)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("shape", [(3, 4), (300, 257)])  # NumPy-sized and parallel
def test_fast_adam_update_equals_reference(shape, amsgrad, dtype):
    rng = np.random.default_rng(3)
    arrays = {name: rng.normal(size=shape).astype(dtype) for name in ("value", "grad", "m")}
    arrays["v"] = rng.uniform(0, 2, shape).astype(dtype)
    arrays["vhat"] = rng.uniform(0, 2, shape).astype(dtype) if amsgrad else None
    updated = []
    for module in (reference, fast):
        copies = {name: None if array is None else array.copy()
                  for name, array in arrays.items()}
        for step in (1, 2):  # the second step starts from the first one's m and v
            module.adam_update(copies["value"], copies["grad"], copies["m"], copies["v"],
                               lr_t=0.01 * step, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                               vhat=copies["vhat"])
        updated.append(copies)
    for name in ("value", "m", "v") + (("vhat",) if amsgrad else ()):
        assert updated[1][name].dtype == dtype
        # Same operations in the same dtype and order: the same numbers.
        np.testing.assert_array_equal(updated[1][name], updated[0][name], err_msg=name)
    assert not np.array_equal(updated[1]["value"], arrays["value"])


def test_fast_adam_update_takes_non_contiguous_gradients():
    rng = np.random.default_rng(4)
    value, m, v = (np.zeros((400, 300), np.float32) for _ in range(3))
    grad = rng.normal(size=(300, 400)).astype(np.float32).T  # a transposed view
    expected = [array.copy() for array in (value, m, v)]
    reference.adam_update(*expected[:1], grad, *expected[1:], 0.1, 0.9, 0.999, 1e-7)
    fast.adam_update(value, grad, m, v, 0.1, 0.9, 0.999, 1e-7)
    for array, wanted in zip((value, m, v), expected):
        np.testing.assert_array_equal(array, wanted)
