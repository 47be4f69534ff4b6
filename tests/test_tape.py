"""Tests of GradientTape: watching, persistence, nesting, threads, long chains."""
import threading

import numpy as np
import pytest

from minikeras import GradientTape, Tensor, Variable, ops
from minikeras.autograd import stop_gradient


def test_gradient_of_a_trainable_variable_is_watched_automatically():
    w = Variable([[1.0], [2.0]])
    x = Tensor([[3.0, 4.0]])
    with GradientTape() as tape:
        y = ops.sum((x @ w) ** 2)
    np.testing.assert_allclose(tape.gradient(y, w), [[66.0], [88.0]])


def test_plain_tensor_needs_watch():
    x = Tensor([1.0, 2.0])
    with GradientTape() as tape:
        y = ops.sum(x * x)
    assert tape.gradient(y, x) is None
    with GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(x * x)
    np.testing.assert_allclose(tape.gradient(y, x), [2.0, 4.0])


def test_non_trainable_variable_is_not_watched():
    v = Variable([1.0, 2.0], trainable=False)
    with GradientTape() as tape:
        y = ops.sum(v * 3.0)
    assert tape.gradient(y, v) is None


def test_unconnected_sources_give_none_or_zero():
    a = Variable([1.0, 2.0])
    b = Variable([5.0])
    with GradientTape(persistent=True) as tape:
        y = ops.sum(a * 2)
    grads = tape.gradient(y, [a, b])
    assert grads[1] is None
    np.testing.assert_allclose(grads[0], [2.0, 2.0])
    zero = tape.gradient(y, {"b": b}, unconnected_gradients="zero")
    np.testing.assert_array_equal(zero["b"], [0.0])


def test_gradients_come_back_in_the_structure_of_sources():
    a, b, c = Variable(1.0), Variable(2.0), Variable(3.0)
    with GradientTape() as tape:
        y = a * b * c
    grads = tape.gradient(y, {"first": a, "rest": (b, [c])})
    assert float(grads["first"]) == 6.0
    assert isinstance(grads["rest"], tuple) and isinstance(grads["rest"][1], list)
    assert float(grads["rest"][0]) == 3.0 and float(grads["rest"][1][0]) == 2.0


def test_non_persistent_tape_refuses_a_second_call():
    w = Variable(2.0)
    with GradientTape() as tape:
        y = w * w
    tape.gradient(y, w)
    with pytest.raises(RuntimeError, match="persistent"):
        tape.gradient(y, w)


def test_persistent_tape_allows_several_calls():
    w = Variable(3.0)
    with GradientTape(persistent=True) as tape:
        y = w * w
        z = y * w
    assert float(tape.gradient(y, w)) == 6.0
    assert float(tape.gradient(z, w)) == 27.0


@pytest.mark.parametrize("function", [
    lambda w: w * w, lambda w: w @ w, lambda w: w ** 3, lambda w: 1 / w, lambda w: ops.square(w),
    lambda w: ops.log(w), lambda w: ops.abs(w), lambda w: ops.softplus(w), lambda w: ops.max(w),
    lambda w: ops.prod(w), lambda w: w[0],
])
def test_gradients_use_the_values_recorded_not_later_assignments(function):
    w = Variable(np.array([[1.0, 2.0], [3.0, 4.0]]))
    with GradientTape(persistent=True) as tape:
        y = ops.sum(function(w))
    before = tape.gradient(y, w)
    w.assign(w.numpy() * 10)  # an optimizer step after the forward pass
    np.testing.assert_array_equal(tape.gradient(y, w), before)


def test_integer_sources_have_no_gradient():
    x = Tensor(np.array([1, 2, 3]))
    with GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(ops.cast(x, "float32") * 2.0)
    with pytest.raises(ValueError, match="int64.*floating-point"):
        tape.gradient(y, x)


def test_integer_input_mixed_with_float_gets_no_gradient_but_float_does():
    w = Variable([1.0, 1.0, 1.0])
    labels = Tensor(np.array([0, 1, 2]))
    with GradientTape() as tape:
        y = ops.sum(w * labels)
    np.testing.assert_allclose(tape.gradient(y, w), [0.0, 1.0, 2.0])


def test_stop_gradient_blocks_the_path():
    w = Variable(2.0)
    with GradientTape() as tape:
        y = w * stop_gradient(w * w)
    assert float(tape.gradient(y, w)) == 4.0


def test_stop_recording_pauses_the_tape():
    w = Variable(2.0)
    with GradientTape() as tape:
        with tape.stop_recording():
            frozen = w * w
        y = w * frozen
    assert float(tape.gradient(y, w)) == 4.0


def test_nested_tapes_each_get_their_own_gradients():
    x = Variable(3.0)
    y = Variable(4.0)
    with GradientTape() as outer:
        a = x * x
        with GradientTape() as inner:
            b = a * y
        inner_grads = inner.gradient(b, [x, y])
        c = b + x
    outer_grads = outer.gradient(c, [x, y])
    # The inner tape started after `a = x * x`: it sees a as a constant, x unconnected.
    assert inner_grads[0] is None
    assert float(inner_grads[1]) == 9.0
    assert float(outer_grads[0]) == 2 * 3.0 * 4.0 + 1
    assert float(outer_grads[1]) == 9.0


def test_gradients_accumulate_when_a_tensor_is_used_twice():
    x = Variable(3.0)
    with GradientTape() as tape:
        y = x * x + x
    assert float(tape.gradient(y, x)) == 7.0


def test_intermediate_tensor_as_source():
    x = Variable([1.0, 2.0])
    with GradientTape() as tape:
        hidden = x * 3.0
        y = ops.sum(hidden * hidden)
    grad_hidden, grad_x = tape.gradient(y, [hidden, x])
    np.testing.assert_allclose(grad_hidden, [6.0, 12.0])
    np.testing.assert_allclose(grad_x, [18.0, 36.0])


def test_output_gradients_weight_the_target():
    x = Variable([1.0, 2.0])
    with GradientTape() as tape:
        y = x * x
    np.testing.assert_allclose(tape.gradient(y, x, output_gradients=[1.0, 10.0]), [2.0, 40.0])


def test_a_chain_of_ten_thousand_ops_has_no_recursion_limit():
    x = Variable(1.0, dtype="float64")
    with GradientTape() as tape:
        y = x
        for _ in range(10_000):
            y = y * 1.0001
    expected = 1.0001 ** 10_000
    assert float(tape.gradient(y, x)) == pytest.approx(expected, rel=1e-9)


def test_two_threads_recording_at_once_get_exactly_their_own_gradients():
    barrier = threading.Barrier(2)
    results = {}

    def work(name, factor):
        w = Variable(np.full(4, 1.0, dtype="float64"))
        with GradientTape() as tape:
            y = w
            for step in range(300):
                y = y * factor
                if step == 10:
                    barrier.wait()
            loss = ops.sum(y)
        record_count = len(tape._records)
        results[name] = (tape.gradient(loss, w), record_count)

    threads = [threading.Thread(target=work, args=("a", 1.001)),
               threading.Thread(target=work, args=("b", 0.999))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    np.testing.assert_allclose(results["a"][0], np.full(4, 1.001 ** 300))
    np.testing.assert_allclose(results["b"][0], np.full(4, 0.999 ** 300))
    assert results["a"][1] == results["b"][1] == 301


def test_watch_rejects_arrays():
    with GradientTape() as tape:
        with pytest.raises(TypeError, match="Tensor"):
            tape.watch(np.zeros(3))


def test_ops_outside_a_tape_record_nothing():
    x = Variable([1.0])
    y = x * 2.0
    assert isinstance(y, Tensor)
    with GradientTape() as tape:
        pass
    assert tape._records == []
