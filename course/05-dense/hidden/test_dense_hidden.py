"""Hidden tests of exercise 5."""
import numpy as np

from minikeras import GradientTape, Sequential
from minikeras.grader.checks import points


@points(1)
def test_glorot_uniform_for_a_conv_kernel(student, check):
    """Glorot for a (3, 3, 8, 16) kernel counts the receptive field in both fans."""
    kernel = student.glorot_uniform((3, 3, 8, 16), np.random.default_rng(1))
    fan_in, fan_out = 9 * 8, 9 * 16
    check.close("variance of the weights", np.var(kernel), 2 / (fan_in + fan_out), rtol=0.1)
    check.true("every weight lies within the limit",
               np.max(np.abs(kernel)) <= np.sqrt(6 / (fan_in + fan_out)))


@points(1)
def test_glorot_uniform_is_seeded(student, check):
    """The same generator seed gives the same kernel."""
    first = student.glorot_uniform((5, 7), np.random.default_rng(42))
    second = student.glorot_uniform((5, 7), np.random.default_rng(42))
    check.close("the kernel drawn again with the same seed", second, first)


@points(2)
def test_layer_gradients_through_the_tape(student, check):
    """Gradients through the layer (on minikeras's tape) match dense_backward's formulas."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(6, 4)).astype("float32")
    layer = student.Dense(3, seed=1)
    layer(x)
    kernel = np.array(layer.kernel.numpy(), dtype=np.float64)
    weights = rng.normal(size=(6, 3))
    with GradientTape() as tape:
        outputs = layer(x)
    grad_kernel, grad_bias = tape.gradient(outputs, [layer.kernel, layer.bias],
                                           output_gradients=weights.astype("float32"))
    check.close("gradient of the kernel", grad_kernel, x.T.astype(np.float64) @ weights,
                rtol=1e-4, atol=1e-5)
    check.close("gradient of the bias", grad_bias, weights.sum(axis=0), rtol=1e-4, atol=1e-5)
    check.equal("kernel unchanged by the gradient computation", kernel.shape, (4, 3))


@points(1)
def test_layer_without_bias_in_a_model(student, check):
    """use_bias=False: one weight; the layer works inside a Sequential model."""
    layer = student.Dense(2, use_bias=False, input_shape=(3,))
    model = Sequential([layer])
    outputs = model.predict(np.ones((4, 3), "float32"))
    check.equal("number of weights", len(layer.weights), 1)
    check.equal("output shape", np.shape(outputs), (4, 2))
    check.equal("compute_output_shape((None, 3))", layer.compute_output_shape((None, 3)),
                (None, 2))


@points(1)
def test_get_config_round_trip(student, check):
    """get_config holds the arguments; from_config rebuilds an equal layer."""
    layer = student.Dense(7, activation="relu", use_bias=False, seed=3, name="hidden")
    config = layer.get_config()
    rebuilt = type(layer).from_config(config)
    check.equal("units", config.get("units"), 7)
    check.equal("activation", config.get("activation"), "relu")
    check.equal("use_bias of the rebuilt layer", rebuilt.use_bias, False)
    check.equal("name of the rebuilt layer", rebuilt.name, "hidden")


@points(1)
def test_initial_kernel_is_glorot(student, check):
    """The layer's kernel starts Glorot-uniform: within the limit, variance about right."""
    layer = student.Dense(300, seed=5)
    layer(np.zeros((1, 200), "float32"))
    kernel = layer.kernel.numpy()
    check.true("every weight lies within the limit", np.max(np.abs(kernel)) <= np.sqrt(6 / 500)
               + 1e-6)
    check.close("variance of the weights", np.var(kernel), 2 / 500, rtol=0.05)
    check.close("initial bias", layer.bias.numpy(), np.zeros(300))
