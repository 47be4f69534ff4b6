"""Tests of BatchNormalization (Keras's formulas in training and inference, the moving
statistics, weights, gradients through the batch statistics, argument errors) and of
LayerNormalization."""
import numpy as np
import pytest

from minikeras import GradientTape, Tensor
from minikeras.engine.input_layer import Input
from minikeras.engine.naming import reset_names
from minikeras.engine.sequential import Sequential
from minikeras.layers.core import Dense
from minikeras.layers.normalization import BatchNormalization, LayerNormalization
from minikeras.models import load_model
from tests.layer_testing import check_layer_gradients, layer_test


def uniform(shape, seed=0, low=-1.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, shape).astype("float32")


def assert_value_error(function, *words):
    with pytest.raises(ValueError) as info:
        function()
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def layer_with_random_weights(shape, **kwargs):
    """A built layer whose gamma, beta and moving statistics are not the defaults."""
    layer = BatchNormalization(**kwargs)
    layer.build(shape)
    dim = shape[layer.axis]
    layer.set_weights([uniform(dim, 1, 0.5, 2.0), uniform(dim, 2), uniform(dim, 3),
                       uniform(dim, 4, 0.5, 2.0)])
    return layer


def test_weights_in_keras_order_with_keras_names():
    reset_names()
    layer = BatchNormalization()
    layer.build((None, 5))
    assert [w.name for w in layer.weights] == [
        "batch_normalization/gamma", "batch_normalization/beta",
        "batch_normalization/moving_mean", "batch_normalization/moving_variance"]
    assert [w.name for w in layer.trainable_weights] == [
        "batch_normalization/gamma", "batch_normalization/beta"]
    assert all(w.shape == (5,) for w in layer.weights)
    assert layer.count_params() == 20
    np.testing.assert_array_equal(layer.get_weights()[0], np.ones(5))
    np.testing.assert_array_equal(layer.get_weights()[1], np.zeros(5))
    np.testing.assert_array_equal(layer.get_weights()[2], np.zeros(5))
    np.testing.assert_array_equal(layer.get_weights()[3], np.ones(5))


def test_center_and_scale_false_create_fewer_weights():
    layer = BatchNormalization(center=False, scale=False, name="bn")
    layer.build((None, 3))
    assert [w.name for w in layer.weights] == ["bn/moving_mean", "bn/moving_variance"]
    assert layer.trainable_weights == []
    x = uniform((6, 3))
    expected = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3)
    np.testing.assert_allclose(layer(x, training=True).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_training_output_uses_batch_statistics():
    layer = layer_with_random_weights((None, 4))
    gamma, beta = layer.get_weights()[:2]
    x = uniform((8, 4), 5, 0.0, 3.0)
    expected = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3) * gamma + beta
    np.testing.assert_allclose(layer(x, training=True).numpy(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("training", [None, False])
def test_inference_output_uses_moving_statistics(training):
    layer = layer_with_random_weights((None, 4))
    gamma, beta, moving_mean, moving_variance = layer.get_weights()
    x = uniform((8, 4), 5)
    expected = (x - moving_mean) / np.sqrt(moving_variance + 1e-3) * gamma + beta
    np.testing.assert_allclose(layer(x, training=training).numpy(), expected, rtol=1e-5)
    np.testing.assert_array_equal(layer.get_weights()[2], moving_mean)  # no update


def test_moving_statistics_update_after_one_training_call():
    layer = layer_with_random_weights((None, 3), momentum=0.9, epsilon=0.01)
    _, _, moving_mean, moving_variance = layer.get_weights()
    x = uniform((5, 3), 6, -2.0, 4.0)
    layer(x, training=True)
    n = 5
    # Keras 2: the biased batch variance normalizes; the moving variance gets the
    # variance times n / (n - (1 + epsilon)).
    unbiased = x.var(0) * n / (n - (1 + 0.01))
    np.testing.assert_allclose(layer.get_weights()[2], moving_mean * 0.9 + x.mean(0) * 0.1,
                               rtol=1e-5)
    np.testing.assert_allclose(layer.get_weights()[3], moving_variance * 0.9 + unbiased * 0.1,
                               rtol=1e-5)


def test_channels_first_axis_reduces_over_batch_and_space():
    layer = layer_with_random_weights((None, 3, 4, 2), axis=1, momentum=0.5)
    gamma, beta, moving_mean, moving_variance = layer.get_weights()
    x = uniform((2, 3, 4, 2), 7, 0.0, 2.0)
    mean, var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
    column = (1, 3, 1, 1)
    expected = ((x - mean.reshape(column)) / np.sqrt(var.reshape(column) + 1e-3)
                * gamma.reshape(column) + beta.reshape(column))
    np.testing.assert_allclose(layer(x, training=True).numpy(), expected, rtol=1e-5, atol=1e-6)
    n = 2 * 4 * 2
    np.testing.assert_allclose(layer.get_weights()[3],
                               0.5 * moving_variance + 0.5 * var * n / (n - 1.001), rtol=1e-5)


def test_layer_test_in_training_and_inference():
    layer_test(BatchNormalization, {}, input_shape=(5, 3), call_kwargs={"training": True})
    layer_test(BatchNormalization, {"axis": 1, "momentum": 0.8}, input_shape=(3, 2, 4),
               call_kwargs={"training": True})
    layer_test(BatchNormalization, {"axis": -1, "center": False}, input_shape=(4, 2, 3),
               call_kwargs={"training": True})
    layer_test(BatchNormalization, {"epsilon": 0.1}, input_shape=(4, 3))


def test_gradient_of_input_through_batch_statistics():
    """d(sum(w * y))/dx for y = (x - mean) / sqrt(var + eps), written out by hand."""
    layer = BatchNormalization(epsilon=0.01)
    x = np.random.default_rng(0).normal(size=(6, 2))
    weights = np.random.default_rng(1).uniform(0.5, 1.5, size=(6, 2))
    tensor = Tensor(x.astype("float32"))
    with GradientTape() as tape:
        tape.watch(tensor)
        output = layer(tensor, training=True)
    grad = tape.gradient(output, tensor, output_gradients=weights)
    inverse_std = 1 / np.sqrt(x.var(0) + 0.01)
    normalized = (x - x.mean(0)) * inverse_std
    expected = inverse_std * (weights - weights.mean(0)
                              - normalized * (weights * normalized).mean(0))
    np.testing.assert_allclose(grad, expected, rtol=1e-4, atol=1e-5)


def test_moving_statistics_stay_off_the_tape():
    layer = BatchNormalization()
    x = Tensor(uniform((4, 3)))
    with GradientTape() as tape:
        output = layer(x, training=True)
    watched = {v.name for v in tape.watched_variables()}
    assert watched == {layer.gamma.name, layer.beta.name}
    grads = tape.gradient(output, [layer.gamma, layer.beta])
    assert all(g is not None for g in grads)


def test_regularizers_and_constraints():
    layer = BatchNormalization(gamma_regularizer="l2", beta_regularizer="l1",
                               gamma_constraint="non_neg")
    layer.build((None, 3))
    assert len(layer.losses) == 2
    assert layer.gamma.constraint is not None and layer.beta.constraint is None
    config = layer.get_config()
    assert config["gamma_regularizer"] == {"class_name": "L1L2",
                                           "config": {"l1": 0.0, "l2": 0.01}}
    assert config["gamma_constraint"]["class_name"] == "NonNeg"
    assert config["moving_variance_initializer"]["class_name"] == "Ones"


def test_input_checks():
    layer = BatchNormalization()
    layer(uniform((2, 3)))
    assert_value_error(lambda: layer(uniform((2, 4))), "expected axis -1", "value 3")
    assert_value_error(lambda: layer(uniform((2, 3, 3))), "expected ndim=2")
    assert_value_error(lambda: BatchNormalization()(Input(shape=(None,))),
                       "should have a defined dimension")
    assert_value_error(lambda: BatchNormalization(axis=3)(uniform((2, 3))), "axis 3")


@pytest.mark.parametrize("kwargs, argument", [
    ({"axis": "channels"}, "axis"), ({"axis": 1.0}, "axis"), ({"momentum": 1.5}, "momentum"),
    ({"momentum": "fast"}, "momentum"), ({"epsilon": -1e-3}, "epsilon"),
    ({"center": "yes"}, "center"), ({"scale": None}, "scale"),
    ({"gamma_initializer": "unknown_init"}, "gamma_initializer"),
    ({"beta_regularizer": "l3"}, "beta_regularizer"),
    ({"gamma_constraint": "positive"}, "gamma_constraint"),
])
def test_bad_arguments(kwargs, argument):
    assert_value_error(lambda: BatchNormalization(**kwargs), "BatchNormalization",
                       f"`{argument}`")


def test_fit_updates_the_moving_statistics_and_predict_uses_them():
    model = Sequential([Dense(3, input_shape=(4,)), BatchNormalization(momentum=0.5)])
    model.compile(optimizer="sgd", loss="mse")
    x = uniform((16, 4), 8, 1.0, 3.0)
    before = model.layers[1].get_weights()
    model.fit(x, uniform((16, 3), 9), epochs=1, batch_size=16, verbose=0)
    after = model.layers[1].get_weights()
    assert not np.allclose(before[2], after[2]) and not np.allclose(before[3], after[3])
    gamma, beta, moving_mean, moving_variance = after
    hidden = model.layers[0](x).numpy()
    expected = (hidden - moving_mean) / np.sqrt(moving_variance + 1e-3) * gamma + beta
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-5)



# LayerNormalization ----------------------------------------------------------------------

def by_hand(x, axes, gamma, beta, epsilon=1e-3):
    mean = x.mean(axis=axes, keepdims=True)
    variance = x.var(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(variance + epsilon) * gamma + beta


@pytest.mark.parametrize("axis,shape,axes", [
    (-1, (4, 6), (1,)), (-1, (2, 3, 5), (2,)), ([1, 2], (2, 3, 5), (1, 2)), (1, (2, 3, 5), (1,)),
])
def test_layer_normalization_normalizes_each_sample_over_its_axes(axis, shape, axes):
    reset_names()
    x = uniform(shape, 5, -3.0, 4.0)
    layer = LayerNormalization(axis=axis)
    layer.build(shape)
    weight_shape = tuple(shape[a] for a in axes)
    assert [w.name for w in layer.weights] == ["layer_normalization/gamma",
                                               "layer_normalization/beta"]
    assert layer.gamma.shape == layer.beta.shape == weight_shape
    gamma, beta = uniform(weight_shape, 6, 0.5, 2.0), uniform(weight_shape, 7)
    layer.set_weights([gamma, beta])
    broadcast = [shape[a] if a in axes else 1 for a in range(len(shape))]
    expected = by_hand(x, axes, gamma.reshape(broadcast), beta.reshape(broadcast))
    # Training or not, the same: no batch statistics.
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(layer(x, training=True).numpy(), expected, rtol=1e-5, atol=1e-5)


def test_layer_normalization_gradients_and_options():
    check_layer_gradients(LayerNormalization, {}, uniform((3, 4), 8))
    check_layer_gradients(LayerNormalization, {"axis": [1, 2]}, uniform((2, 3, 4), 9))
    layer = LayerNormalization(center=False, scale=False, epsilon=0.1)
    x = uniform((3, 4), 10)
    np.testing.assert_allclose(layer(x).numpy(), by_hand(x, (1,), 1.0, 0.0, 0.1), rtol=1e-5)
    assert layer.weights == []
    layer_test(LayerNormalization, kwargs={"axis": -1}, input_shape=(3, 2, 4))


def test_layer_normalization_saves_and_loads(tmp_path):
    model = Sequential([Input((3, 4)), LayerNormalization(axis=[1, 2], epsilon=1e-5), Dense(2)])
    model.layers[0].set_weights([uniform((3, 4), 11, 0.5, 2.0), uniform((3, 4), 12)])
    path = str(tmp_path / "ln.h5")
    model.save(path)
    loaded = load_model(path)
    assert loaded.layers[0].get_config()["axis"] == [1, 2]
    assert loaded.layers[0].get_config()["epsilon"] == 1e-5
    x = uniform((5, 3, 4), 13)
    np.testing.assert_allclose(loaded.predict(x), model.predict(x), rtol=1e-6)


@pytest.mark.parametrize("kwargs,shape,words", [
    ({"axis": 0}, (None, 3), ["batch axis"]),
    ({"axis": 3}, (None, 3), ["axis 3"]),
    ({"axis": [1, -1]}, (None, 3), ["twice"]),
    ({"axis": -1}, (None, None), ["defined lengths"]),
])
def test_layer_normalization_bad_axes(kwargs, shape, words):
    assert_value_error(lambda: LayerNormalization(**kwargs).build(shape), *words)


def test_layer_normalization_bad_arguments():
    assert_value_error(lambda: LayerNormalization(axis="last"), "axis")
    assert_value_error(lambda: LayerNormalization(center=1), "center")
    assert_value_error(lambda: LayerNormalization(epsilon=-1), "epsilon")
