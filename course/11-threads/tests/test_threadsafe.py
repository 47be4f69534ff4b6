"""Public tests of exercise 11: run them with `minikeras course check 11-threads`."""
import numpy as np

from minikeras import GradientTape, Sequential, Tensor
from minikeras.grader.checks import points


def inputs(seed, batch=4, features=3):
    return np.random.default_rng(seed).normal(size=(batch, features))


def expected_gradients(x, scale, weights):
    """The gradients of sum(weights * scale * tanh(x)), by hand."""
    tanh = np.tanh(x)
    return weights * scale * (1 - tanh ** 2), (weights * tanh).sum(axis=0)


@points(1)
def test_forward(student, check):
    """scaled_tanh computes scale * tanh(x)."""
    x, scale = inputs(0), np.array([0.5, 2.0, -1.0])
    check.close("scale * tanh(x)", student.scaled_tanh(Tensor(x), Tensor(scale)),
                scale * np.tanh(x))


@points(2)
def test_gradients(student, check):
    """The tape's gradients of x and of the scale."""
    x, scale = Tensor(inputs(1)), Tensor(np.array([0.5, 2.0, -1.0]))
    weights = np.random.default_rng(2).uniform(0.5, 1.5, size=(4, 3))
    with GradientTape() as tape:
        tape.watch([x, scale])
        output = student.scaled_tanh(x, scale)
    grad_x, grad_scale = tape.gradient(output, [x, scale], output_gradients=weights)
    expected_x, expected_scale = expected_gradients(x.numpy(), scale.numpy(), weights)
    check.close("gradient of x", grad_x, expected_x)
    check.close("gradient of the scale", grad_scale, expected_scale,
                broadcast=((3,), (4, 3)))


@points(3)
def test_two_calls_in_flight(student, check):
    """Forward A, forward B, then A's gradients: they must be A's, not B's."""
    layer = student.ScaledTanh()
    layer(np.zeros((1, 3)))
    layer.scale.assign(np.array([0.5, 2.0, -1.0]))
    x_a, x_b = Tensor(inputs(3)), Tensor(inputs(4) * 3)
    with GradientTape() as tape_a:
        tape_a.watch(x_a)
        output_a = layer(x_a)
    with GradientTape() as tape_b:
        tape_b.watch(x_b)
        output_b = layer(x_b)
    ones = np.ones((4, 3))
    grad_a = tape_a.gradient(output_a, [x_a, layer.scale], output_gradients=ones)
    grad_b = tape_b.gradient(output_b, [x_b, layer.scale], output_gradients=ones)
    scale = np.array([0.5, 2.0, -1.0])
    for name, grads, x in (("A", grad_a, x_a.numpy()), ("B", grad_b, x_b.numpy())):
        expected_x, expected_scale = expected_gradients(x, scale, ones)
        check.close(f"gradient of x for call {name}", grads[0], expected_x, rtol=1e-4, atol=1e-6)
        check.close(f"gradient of the scale for call {name}", grads[1], expected_scale,
                    rtol=1e-4, atol=1e-6)


@points(1)
def test_predict_in_threads_keeps_the_order(student, check):
    """predict_in_threads returns each batch's predictions in the order of the batches."""
    model = Sequential([student.ScaledTanh(input_shape=(3,))])
    batches = [inputs(seed, batch=2 + seed) for seed in range(6)]
    outputs = student.predict_in_threads(model, batches, n_threads=3)
    check.equal("number of results", len(outputs), 6)
    for index, (batch, output) in enumerate(zip(batches, outputs)):
        check.close(f"predictions for batch {index}", output, np.tanh(batch), rtol=1e-4, atol=1e-6)
