"""Public tests of exercise 5: run them with `minikeras course check 05-dense`."""
import numpy as np

from minikeras.grader.checks import points
from minikeras.initializers import compute_fans


@points(1)
def test_compute_fans(student, check):
    """Fans of a Dense kernel and of a Conv2D kernel, as Keras 2 counts them."""
    for shape in [(784, 128), (3, 3, 16, 32), (5, 5, 3, 8)]:
        check.equal(f"compute_fans({shape})", student.compute_fans(shape),
                    tuple(int(f) for f in compute_fans(shape)))


@points(2)
def test_glorot_uniform_limit_and_variance(student, check):
    """Glorot uniform: within +-sqrt(6 / (in + out)), with variance 2 / (in + out)."""
    kernel = student.glorot_uniform((400, 200), np.random.default_rng(0))
    check.equal("shape", np.shape(kernel), (400, 200))
    limit = np.sqrt(6 / 600)
    check.true("every weight lies within the limit sqrt(6 / (fan_in + fan_out))",
               np.max(np.abs(kernel)) <= limit)
    check.close("variance of the weights", np.var(kernel), 2 / 600, rtol=0.03)


@points(1)
def test_dense_forward(student, check):
    """dense_forward is x @ kernel + bias."""
    rng = np.random.default_rng(1)
    x, kernel, bias = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)
    check.close("outputs", student.dense_forward(x, kernel, bias), x @ kernel + bias)


@points(3)
def test_dense_backward(student, check):
    """dense_backward gives the gradients of x, of the kernel and of the bias."""
    rng = np.random.default_rng(2)
    x, kernel, grad = rng.normal(size=(6, 3)), rng.normal(size=(3, 4)), rng.normal(size=(6, 4))
    grad_x, grad_kernel, grad_bias = student.dense_backward(grad, x, kernel)
    check.close("gradient of x", grad_x, grad @ kernel.T)
    check.close("gradient of the kernel", grad_kernel, x.T @ grad)
    check.close("gradient of the bias", grad_bias, grad.sum(axis=0),
                broadcast=((4,), (6, 4)))


@points(2)
def test_dense_layer_matches_minikeras(student, check):
    """The Dense layer computes what minikeras's Dense computes, with the same weights."""
    from minikeras.layers import Dense
    rng = np.random.default_rng(3)
    x = rng.normal(size=(5, 4)).astype("float32")
    layer = student.Dense(3, activation="tanh", seed=0)
    outputs = layer(x)
    check.equal("weight shapes", [tuple(w.shape) for w in layer.weights], [(4, 3), (3,)])
    reference = Dense(3, activation="tanh")
    reference.build((None, 4))
    reference.set_weights(layer.get_weights())
    check.close("outputs", outputs, reference(x), rtol=1e-5)
