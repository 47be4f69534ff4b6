"""Hidden tests of exercise 11."""
import threading

import numpy as np

from minikeras import GradientTape, Tensor
from minikeras.grader.checks import points

# Layer.__call__ itself resets this list on every call; it is not the student's state.
BASE_CALL_ATTRIBUTES = {"_eager_losses"}


def inputs(seed, batch=4, features=3):
    return np.random.default_rng(seed).normal(size=(batch, features))


@points(1)
def test_call_leaves_no_state(student, check):
    """A call adds or replaces no attribute of the layer."""
    layer = student.ScaledTanh()
    layer(np.zeros((2, 3)))
    before = {k: id(v) for k, v in vars(layer).items() if k not in BASE_CALL_ATTRIBUTES}
    layer(inputs(5))
    after = {k: id(v) for k, v in vars(layer).items() if k not in BASE_CALL_ATTRIBUTES}
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    check.equal("attributes set by the call", changed, [])


@points(3)
def test_two_threads_meet_inside_call(student, check):
    """Two threads inside call at the same moment each get their own result.

    The meeting is forced: after setting any attribute of the layer, each thread waits
    for the other, so a layer that keeps its inputs on itself reads the other's.
    """
    cls = student.ScaledTanh
    layer = cls()
    layer(np.zeros((1, 3)))
    barrier = threading.Barrier(2, timeout=2)
    original = cls.__dict__.get("__setattr__")
    inherited = cls.__setattr__

    def meeting_setattr(self, name, value):
        inherited(self, name, value)
        if name not in BASE_CALL_ATTRIBUTES and threading.current_thread().name.startswith(
                "caller"):
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass

    batches = [inputs(6), inputs(7) * 4]
    results = [None, None]

    def work(index):
        results[index] = np.asarray(layer(batches[index]).numpy())

    cls.__setattr__ = meeting_setattr
    try:
        threads = [threading.Thread(target=work, args=(i,), name=f"caller-{i}") for i in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    finally:
        if original is None:
            del cls.__setattr__
        else:
            cls.__setattr__ = original
    for index in (0, 1):
        check.close(f"result of thread {index}", results[index], np.tanh(batches[index]),
                    rtol=1e-4, atol=1e-6)


@points(2)
def test_backward_uses_the_forward_values(student, check):
    """The backward uses the scale of the forward pass, even if it changes before gradient.

    The scale is reassigned between the forward pass and tape.gradient: the gradient of
    x must use the values saved with the op, not read them again.
    """
    layer = student.ScaledTanh()
    layer(np.zeros((1, 3)))
    layer.scale.assign(np.array([0.5, 2.0, -1.0]))
    x = Tensor(inputs(8))
    with GradientTape() as tape:
        tape.watch(x)
        output = layer(x)
    layer.scale.assign(np.array([9.0, 9.0, 9.0]))
    (grad_x,) = tape.gradient(output, [x], output_gradients=np.ones((4, 3)))
    check.close("gradient of x", grad_x,
                np.array([0.5, 2.0, -1.0]) * (1 - np.tanh(x.numpy()) ** 2), rtol=1e-4, atol=1e-6)


@points(1)
def test_many_threads_predict(student, check):
    """Eight threads predicting twenty batches through one model all get their own."""
    from minikeras import Sequential
    model = Sequential([student.ScaledTanh(input_shape=(3,))])
    batches = [inputs(seed, batch=1 + seed % 5) for seed in range(20)]
    outputs = student.predict_in_threads(model, batches, n_threads=8)
    for index, (batch, output) in enumerate(zip(batches, outputs)):
        check.close(f"predictions for batch {index}", output, np.tanh(batch), rtol=1e-4, atol=1e-6)
