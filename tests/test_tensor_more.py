"""More tests of `Tensor`, `Variable` and `GradientTape`: conversions, comparisons,
reflected arithmetic, and the errors `tape.gradient` raises for misused arguments.

The gradients are checked against values worked out by hand.
"""
import numpy as np
import pytest

from minikeras import GradientTape, Tensor, Variable, backend, ops
from minikeras.autograd.tape import is_recording


# ---- Tensor ----------------------------------------------------------------------------

def test_python_floats_become_floatx_and_arrays_keep_their_dtype():
    assert Tensor(1.5).dtype == np.float32
    assert Tensor(np.float64(1.5) * np.ones(2)).dtype == np.float64
    assert Tensor([1, 2]).dtype.kind == "i"
    backend.set_floatx("float64")
    assert Tensor([0.5]).dtype == np.float64


def test_conversions_to_python_and_numpy():
    t = Tensor([[1.0, 2.0, 3.0]])
    assert t.shape == (1, 3) and t.ndim == 2 and t.size == 3 and len(t) == 1
    assert float(Tensor(2.5)) == 2.5 and int(Tensor(7.0)) == 7
    assert bool(Tensor(1.0)) and not bool(Tensor(0.0))
    assert np.asarray(t, dtype=np.float64).dtype == np.float64
    assert np.asarray(t) is t.numpy()
    assert t.T.shape == (3, 1)
    assert "shape=(1, 3) dtype=float32" in repr(t)


def test_comparisons_give_boolean_arrays():
    a, b = Tensor([1.0, 2.0, 3.0]), Tensor([2.0, 2.0, 2.0])
    for result, expected in ((a == b, [False, True, False]), (a != b, [True, False, True]),
                             (a < b, [True, False, False]), (a <= b, [True, True, False]),
                             (a > b, [False, False, True]), (a >= b, [False, True, True])):
        np.testing.assert_array_equal(np.asarray(result), expected)


def test_tensors_hash_by_identity():
    a, b = Tensor([1.0]), Tensor([1.0])
    assert len({a, b}) == 2 and {a: 1}[a] == 1


def test_reflected_and_unary_arithmetic_with_gradients():
    x = Tensor([1.0, 2.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = ops.sum((3.0 - x) + (8.0 / x) + (2.0 ** x) + (-x) + (+x) + abs(-x))
    # d/dx: -1 - 8/x^2 + 2^x ln 2 - 1 + 1 + sign(x), and x > 0
    expected = -8 / np.array([1.0, 4.0]) + 2.0 ** np.array([1.0, 2.0]) * np.log(2)
    np.testing.assert_allclose(tape.gradient(y, x), expected, rtol=1e-6)


def test_matrix_product_with_an_array_on_the_left():
    x = Tensor([[1.0], [2.0]])
    with GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(np.array([[1.0, 3.0]], "float32") @ x)
    np.testing.assert_allclose(tape.gradient(y, x), [[1.0], [3.0]])


def test_indexing_is_differentiable():
    x = Tensor([1.0, 2.0, 3.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(x[1:] * 2.0)
    np.testing.assert_allclose(tape.gradient(y, x), [0.0, 2.0, 2.0])


# ---- Variable --------------------------------------------------------------------------

def test_variables_copy_their_initial_value_and_update_in_place():
    initial = np.zeros(3, "float32")
    v = Variable(initial, name="bias")
    initial[0] = 5
    assert v.numpy()[0] == 0
    assert v.assign_add([1.0, 2.0, 3.0]) is v
    v.assign_sub(1.0)
    np.testing.assert_array_equal(v.numpy(), [0.0, 1.0, 2.0])
    v.assign(7.0)  # broadcast to the shape
    np.testing.assert_array_equal(v.numpy(), [7.0, 7.0, 7.0])
    assert v.dtype == np.float32 and v.name == "bias"
    assert repr(v) == "<Variable 'bias' shape=(3,) dtype=float32 trainable=True>"
    assert Variable(1.0).name == "Variable"


def test_a_value_of_another_shape_cannot_be_assigned():
    v = Variable(np.zeros((2, 3)), name="kernel")
    with pytest.raises(ValueError, match=r"Cannot assign a value of shape \(3, 2\) to variable "
                                         r"'kernel' of shape \(2, 3\)"):
        v.assign(np.zeros((3, 2)))


# ---- GradientTape's arguments ------------------------------------------------------------

def test_is_recording_only_inside_a_tape():
    assert not is_recording()
    with GradientTape() as tape:
        assert is_recording()
        with tape.stop_recording():
            assert not is_recording()
    assert not is_recording()


def test_unconnected_gradients_must_be_none_or_zero():
    w = Variable([1.0])
    with GradientTape() as tape:
        y = ops.sum(w * 2.0)
    with pytest.raises(ValueError, match="unconnected_gradients must be 'none' or 'zero'; "
                                         "received 'nan'"):
        tape.gradient(y, w, unconnected_gradients="nan")


def test_sources_must_be_tensors_and_targets_too():
    w = Variable([1.0])
    with GradientTape(persistent=True) as tape:
        y = ops.sum(w * 2.0)
    with pytest.raises(TypeError, match="Source 1 of tape.gradient must be a Tensor or "
                                        "Variable; received ndarray"):
        tape.gradient(y, [w, np.ones(1)])
    with pytest.raises(TypeError, match="The target must be a Tensor; received float"):
        tape.gradient([y, 1.0], w)


def test_output_gradients_for_several_targets():
    w = Variable([1.0, 2.0])
    with GradientTape(persistent=True) as tape:
        first, second = w * 3.0, w * w
    grads = tape.gradient([first, second], w, output_gradients=[np.ones(2), np.array([1.0, 0.0])])
    np.testing.assert_allclose(grads, [3.0 + 2.0, 3.0])
    with pytest.raises(ValueError, match="output_gradients has 1 entries but target has 2"):
        tape.gradient([first, second], w, output_gradients=[np.ones(2)])
    with pytest.raises(ValueError, match=r"output_gradients has shape \(3,\) but the target "
                                         r"has shape \(2,\)"):
        tape.gradient(first, w, output_gradients=np.ones(3))


def test_reset_forgets_what_was_recorded():
    w = Variable([2.0])
    with GradientTape(persistent=True) as tape:
        before = ops.sum(w * w)
        tape.reset()
        after = ops.sum(w * 5.0)
    assert tape.gradient(before, w) is None
    np.testing.assert_allclose(tape.gradient(after, w), [5.0])


def test_a_broadcast_gradient_seed_reaches_every_element():
    w = Variable(np.ones((2, 2)))
    with GradientTape() as tape:
        y = w * 1.0
    np.testing.assert_allclose(tape.gradient(y, w, output_gradients=np.full((2, 2), 0.5)),
                               np.full((2, 2), 0.5))
