"""Every op's gradient against central differences in float64, and numerical stability."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minikeras import GradientTape, Tensor, ops
from minikeras.autograd import check_gradients

pytestmark = pytest.mark.backend


def away_from_zero(shape, seed=0, low=0.2, high=2.0):
    """Values of either sign at least `low` from zero, so kinks and poles stay far away."""
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, shape) * rng.choice([-1, 1], shape)


def positive(shape, seed=0):
    return np.random.default_rng(seed).uniform(0.5, 2.0, shape)


def normal(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape)


def distinct(shape, seed=0):
    """Values with no ties, for max / min / sort-like ops."""
    values = np.random.default_rng(seed).permutation(int(np.prod(shape))).reshape(shape)
    return values / 3.0 + 0.1


# (name, function, inputs): broadcasting cases are included on purpose.
GRADIENT_CASES = [
    ("add", ops.add, [normal((3, 4)), normal((4,), 1)]),
    ("add_column", ops.add, [normal((3, 1)), normal((3, 4), 1)]),
    ("subtract", ops.subtract, [normal((2, 3, 4)), normal((3, 1), 1)]),
    ("multiply", ops.multiply, [normal((3, 4)), normal((1, 4), 1)]),
    ("divide", ops.divide, [normal((3, 4)), away_from_zero((4,), 1)]),
    ("negative", ops.negative, [normal((3,))]),
    ("power", ops.power, [positive((3, 4)), normal((4,), 1)]),
    ("power_constant", lambda a: ops.power(a, 3.0), [normal((5,))]),
    ("exp", ops.exp, [normal((3, 4))]),
    ("log", ops.log, [positive((3, 4))]),
    ("sqrt", ops.sqrt, [positive((3, 4))]),
    ("square", ops.square, [normal((3, 4))]),
    ("abs", ops.abs, [away_from_zero((3, 4))]),
    ("sign", lambda a: ops.sign(a) * a, [away_from_zero((3, 4))]),
    ("maximum", ops.maximum, [normal((3, 4)), normal((4,), 1) + 0.05]),
    ("minimum", ops.minimum, [normal((3, 4)), normal((3, 1), 1) + 0.05]),
    ("where", lambda a, b: ops.where(np.arange(4) % 2 == 0, a, b),
     [normal((3, 4)), normal((4,), 1)]),
    ("clip", lambda a: ops.clip(a, -0.5, 0.7), [away_from_zero((4, 5)) * 0.9]),
    ("matmul", ops.matmul, [normal((3, 4)), normal((4, 2), 1)]),
    ("matmul_batched", ops.matmul, [normal((2, 3, 4)), normal((4, 5), 1)]),
    ("matmul_broadcast_batch", ops.matmul, [normal((2, 1, 3, 4)), normal((3, 4, 2), 1)]),
    ("matmul_vector", ops.matmul, [normal((4,)), normal((4, 3), 1)]),
    ("matrix_vector", ops.matmul, [normal((3, 4)), normal((4,), 1)]),
    ("dot", ops.dot, [normal((2, 3, 4)), normal((4, 5), 1)]),
    ("dot_nd", ops.dot, [normal((2, 3)), normal((4, 3, 2), 1)]),
    ("tensordot", lambda a, b: ops.tensordot(a, b, ([1, 2], [0, 1])),
     [normal((2, 3, 4)), normal((3, 4, 2), 1)]),
    ("sum_all", ops.sum, [normal((3, 4))]),
    ("sum_axis", lambda a: ops.sum(a, axis=1), [normal((3, 4, 2))]),
    ("sum_keepdims", lambda a: ops.sum(a, axis=(0, 2), keepdims=True), [normal((3, 4, 2))]),
    ("mean", lambda a: ops.mean(a, axis=-1), [normal((3, 4))]),
    ("max", lambda a: ops.max(a, axis=0), [distinct((3, 4))]),
    ("max_keepdims", lambda a: ops.max(a, axis=(1, 2), keepdims=True), [distinct((2, 3, 4))]),
    ("min", lambda a: ops.min(a), [distinct((3, 4))]),
    ("prod", lambda a: ops.prod(a, axis=1), [normal((3, 4))]),
    ("prod_with_zero", lambda a: ops.prod(a * [1.0, 0.0, 1.0], axis=-1),
     [normal((2, 3))]),
    ("var", lambda a: ops.var(a, axis=0), [normal((5, 3))]),
    ("std", lambda a: ops.std(a, axis=1), [normal((3, 5))]),
    ("reshape", lambda a: ops.reshape(a, (6, -1)) * [0.0, 1.0, 2.0, 3.0], [normal((2, 3, 4))]),
    ("transpose", lambda a: ops.transpose(a, (2, 0, 1)), [normal((2, 3, 4))]),
    ("expand_dims", lambda a: ops.expand_dims(a, 1), [normal((2, 3))]),
    ("squeeze", lambda a: ops.squeeze(a, 1), [normal((2, 1, 3))]),
    ("concatenate", lambda a, b: ops.concatenate([a, b, a], axis=1),
     [normal((2, 3)), normal((2, 2), 1)]),
    ("stack", lambda a, b: ops.stack([a, b], axis=1), [normal((2, 3)), normal((2, 3), 1)]),
    ("split", lambda a: ops.split(a, [1, 3], axis=1)[1] * 2.0, [normal((2, 4))]),
    ("getitem_slice", lambda a: a[1:, ::2], [normal((3, 5))]),
    ("getitem_fancy_repeated", lambda a: a[[0, 2, 0]], [normal((3, 4))]),
    ("getitem_mask", lambda a: a[np.array([True, False, True])], [normal((3, 2))]),
    ("pad", lambda a: ops.pad(a, ((1, 0), (2, 1))), [normal((2, 3))]),
    ("broadcast_to", lambda a: ops.broadcast_to(a, (3, 2, 4)), [normal((2, 1))]),
    ("tile", lambda a: ops.tile(a, (2, 3)), [normal((2, 3))]),
    ("repeat", lambda a: ops.repeat(a, 3, axis=1), [normal((2, 3))]),
    ("cast", lambda a: ops.cast(a, "float64") * 2.0, [normal((3,))]),
    ("sigmoid", ops.sigmoid, [normal((3, 4)) * 3]),
    ("tanh", ops.tanh, [normal((3, 4))]),
    ("relu", ops.relu, [away_from_zero((3, 4))]),
    ("elu", ops.elu, [away_from_zero((3, 4))]),
    ("selu", ops.selu, [away_from_zero((3, 4))]),
    ("softplus", ops.softplus, [normal((3, 4)) * 3]),
    ("softsign", ops.softsign, [normal((3, 4))]),
    ("leaky_relu", lambda a: ops.leaky_relu(a, 0.1), [away_from_zero((3, 4))]),
    ("hard_sigmoid", ops.hard_sigmoid, [away_from_zero((3, 4)) * 1.5]),
    ("swish", ops.swish, [normal((3, 4))]),
    ("gelu", ops.gelu, [normal((3, 4))]),
    ("gelu_tanh", lambda a: ops.gelu(a, approximate=True), [normal((3, 4))]),
    ("softmax", ops.softmax, [normal((3, 4))]),
    ("softmax_axis0", lambda a: ops.softmax(a, axis=0), [normal((3, 4))]),
    ("log_softmax", ops.log_softmax, [normal((3, 4))]),
    ("logsumexp", lambda a: ops.logsumexp(a, axis=1), [normal((3, 4))]),
]
CASE_NAMES = [case[0] for case in GRADIENT_CASES]


@pytest.mark.parametrize("name, function, inputs", GRADIENT_CASES, ids=CASE_NAMES)
def test_gradient_agrees_with_central_differences(name, function, inputs):
    errors = check_gradients(function, inputs, tolerance=1e-6)
    assert max(errors) < 1e-6


@pytest.mark.parametrize("name, function, inputs", GRADIENT_CASES, ids=CASE_NAMES)
def test_forward_keeps_float32(name, function, inputs):
    if name in ("cast",):
        pytest.skip("cast sets its own dtype")
    result = function(*[Tensor(np.asarray(x, dtype=np.float32)) for x in inputs])
    assert result.dtype == np.float32, f"{name} returned {result.dtype}"


shapes = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)


@st.composite
def broadcastable_pair(draw):
    """A shape and a second shape that broadcasts against it (fewer axes or ones)."""
    shape = draw(shapes)
    kept = draw(st.integers(0, len(shape)))
    other = tuple(1 if draw(st.booleans()) else n for n in shape[len(shape) - kept:])
    return shape, other


@settings(max_examples=40, deadline=None)
@given(broadcastable_pair(), st.sampled_from(["add", "subtract", "multiply", "divide", "maximum"]),
       st.booleans(), st.integers(0, 1000))
def test_broadcasting_gradients_on_random_shapes(pair, op_name, swap, seed):
    first, second = pair
    if swap:
        first, second = second, first
    inputs = [normal(first, seed) + 0.05, away_from_zero(second, seed + 1)]
    check_gradients(getattr(ops, op_name), inputs, tolerance=1e-6)


@settings(max_examples=25, deadline=None)
@given(shapes, st.sampled_from(["sum", "mean", "max", "prod"]), st.booleans(), st.data())
def test_reductions_on_random_shapes_and_axes(shape, op_name, keepdims, data):
    axis = data.draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
    fn = lambda a: getattr(ops, op_name)(a, axis=axis, keepdims=keepdims)
    check_gradients(fn, [distinct(shape)], tolerance=1e-6)


@pytest.mark.parametrize("function", [ops.sigmoid, ops.tanh, ops.softplus, ops.softmax,
                                      ops.log_softmax, ops.logsumexp, ops.elu, ops.selu,
                                      ops.softsign, ops.gelu, ops.swish])
def test_no_overflow_for_inputs_of_magnitude_1000(function):
    x = Tensor(np.array([[-1000.0, 0.0, 1000.0], [1000.0, 999.0, -1000.0]], dtype=np.float32))
    with GradientTape() as tape:
        tape.watch(x)
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            y = function(x)
    assert np.all(np.isfinite(y.numpy()))
    grad = tape.gradient(y, x)
    assert np.all(np.isfinite(grad))


def test_stable_values_at_the_extremes():
    x = Tensor(np.array([-1000.0, 1000.0]))
    np.testing.assert_allclose(ops.sigmoid(x).numpy(), [0.0, 1.0])
    np.testing.assert_allclose(ops.softplus(x).numpy(), [0.0, 1000.0])
    np.testing.assert_allclose(ops.log_softmax(x).numpy(), [-2000.0, 0.0])
    np.testing.assert_allclose(ops.logsumexp(x).numpy(), 1000.0)


def test_argmax_one_hot_and_comparisons_have_no_gradient_path():
    x = Tensor(np.array([[0.1, 0.9], [0.8, 0.2]]))
    np.testing.assert_array_equal(ops.argmax(x).numpy(), [1, 0])
    np.testing.assert_array_equal(ops.one_hot(np.array([1, 0]), 3).numpy(),
                                  [[0, 1, 0], [1, 0, 0]])


def test_check_gradients_reports_a_wrong_gradient_in_a_sentence():
    from minikeras.autograd import record

    def wrong_square(x):
        return record(x.value ** 2, (x,), lambda grad: (grad * x.value,))  # missing factor 2

    with pytest.raises(AssertionError, match="received derivative .* expected .* central"):
        check_gradients(wrong_square, [np.array([1.0, 2.0])])


def test_split_into_equal_parts_and_errors():
    x = Tensor(np.arange(6.0))
    parts = ops.split(x, 3)
    assert [p.numpy().tolist() for p in parts] == [[0, 1], [2, 3], [4, 5]]
    with pytest.raises(ValueError, match="length 6 into 4"):
        ops.split(x, 4)
