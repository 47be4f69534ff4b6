"""Tests of the advanced activation layers, the noise layers and Embedding."""
import numpy as np
import pytest

from minikeras import GradientTape, Tensor, backend
from minikeras.autograd.ops.nn import SELU_ALPHA, SELU_SCALE
from minikeras.engine.input_layer import Input
from minikeras.engine.naming import reset_names
from minikeras.engine.sequential import Sequential
from minikeras.layers.advanced_activations import (
    ELU, PReLU, ReLU, LeakyReLU, Softmax, ThresholdedReLU,
)
from minikeras.layers.core import Flatten
from minikeras.layers.embeddings import Embedding
from minikeras.layers.noise import AlphaDropout, GaussianDropout, GaussianNoise
from tests.layer_testing import layer_test


@pytest.fixture
def fixed_rng(monkeypatch):
    """Makes every draw from backend.rng() the same, so that a training-mode gradient check
    sees the same noise at every call."""
    monkeypatch.setattr(backend, "rng", lambda: np.random.default_rng(1234))


def away_from(points, shape, seed=0, gap=0.1):
    """Values in [-2, 2] at least `gap` from every point of `points` (the kinks)."""
    values = np.random.default_rng(seed).uniform(-2, 2, size=int(np.prod(shape)) * 4)
    for point in points:
        values = values[np.abs(values - point) > gap]
    return values[:int(np.prod(shape))].reshape(shape).astype("float32")


def assert_value_error(function, *words):
    with pytest.raises(ValueError) as info:
        function()
    for word in words:
        assert word in str(info.value), (word, str(info.value))


# ---- advanced activations ---------------------------------------------------------------

ACTIVATION_CASES = [
    (LeakyReLU, {}, [0], lambda x: np.where(x > 0, x, 0.3 * x)),
    (LeakyReLU, {"alpha": 0.1}, [0], lambda x: np.where(x > 0, x, 0.1 * x)),
    (ELU, {}, [0], lambda x: np.where(x > 0, x, np.expm1(x))),
    (ELU, {"alpha": 0.5}, [0], lambda x: np.where(x > 0, x, 0.5 * np.expm1(x))),
    (ThresholdedReLU, {}, [1], lambda x: np.where(x > 1, x, 0)),
    (ThresholdedReLU, {"theta": 0.5}, [0.5], lambda x: np.where(x > 0.5, x, 0)),
    (Softmax, {}, [], lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True)),
    (Softmax, {"axis": 1}, [], lambda x: np.exp(x) / np.exp(x).sum(1, keepdims=True)),
    (ReLU, {}, [0], lambda x: np.maximum(x, 0)),
    (ReLU, {"max_value": 1.0}, [0, 1], lambda x: np.clip(x, 0, 1)),
    (ReLU, {"negative_slope": 0.2}, [0], lambda x: np.where(x > 0, x, 0.2 * x)),
    (ReLU, {"max_value": 1.5, "negative_slope": 0.1, "threshold": 0.5}, [0.5, 1.5],
     lambda x: np.where(x >= 1.5, 1.5, np.where(x > 0.5, x, 0.1 * (x - 0.5)))),
    # As Keras 2: x itself (even negative) above a negative threshold.
    (ReLU, {"threshold": -0.5}, [-0.5], lambda x: np.where(x > -0.5, x, 0)),
]


@pytest.mark.parametrize("cls, kwargs, kinks, formula", ACTIVATION_CASES)
def test_activation_layers(cls, kwargs, kinks, formula):
    x = away_from(kinks, (3, 4, 5))
    output = layer_test(cls, kwargs, input_data=x)
    np.testing.assert_allclose(output, formula(x.astype(np.float64)), rtol=1e-5, atol=1e-7)


def test_prelu_learns_slopes_per_value():
    x = away_from([0], (2, 3, 4))
    alpha = np.random.default_rng(1).uniform(0.1, 0.5, (3, 4)).astype("float32")
    layer = PReLU()
    layer(x)
    layer.set_weights([alpha])
    np.testing.assert_allclose(layer(x).numpy(), np.where(x > 0, x, alpha * x), rtol=1e-6)
    layer_test(PReLU, {"alpha_initializer": "glorot_uniform"}, input_data=x)


def test_prelu_weights_and_shared_axes():
    reset_names()
    layer = PReLU(shared_axes=[1, 2])
    layer.build((None, 4, 5, 3))
    assert [(w.name, w.shape) for w in layer.weights] == [("p_re_lu/alpha", (1, 1, 3))]
    assert layer.count_params() == 3
    np.testing.assert_array_equal(layer.get_weights()[0], 0)
    assert PReLU(shared_axes=1).shared_axes == [1]
    layer_test(PReLU, {"shared_axes": [1], "alpha_initializer": "ones"},
               input_data=away_from([0], (2, 3, 4)))
    # The non-shared lengths are fixed by the first call.
    assert_value_error(lambda: layer(np.ones((2, 4, 5, 2), "float32")), "expected axis 3")
    # Unknown lengths must be shared.
    assert PReLU(shared_axes=1)(Input(shape=(None, 3))).shape == (None, None, 3)
    assert_value_error(lambda: PReLU()(Input(shape=(None, 3))), "PReLU", "shared_axes")


def test_activation_layer_arguments():
    assert_value_error(lambda: LeakyReLU(alpha=None), "LeakyReLU", "`alpha`")
    assert_value_error(lambda: LeakyReLU(alpha=-0.1), "LeakyReLU", "`alpha`")
    assert_value_error(lambda: ELU(alpha="one"), "ELU", "`alpha`")
    assert_value_error(lambda: ThresholdedReLU(theta=-1), "ThresholdedReLU", "`theta`")
    assert_value_error(lambda: Softmax(axis="last"), "Softmax", "`axis`")
    assert_value_error(lambda: ReLU(max_value=-1), "ReLU", "`max_value`")
    assert_value_error(lambda: ReLU(negative_slope=-0.1), "ReLU", "`negative_slope`")
    assert_value_error(lambda: ReLU(threshold="t"), "ReLU", "`threshold`")
    assert_value_error(lambda: PReLU(shared_axes=[0]), "PReLU", "`shared_axes`")
    assert_value_error(lambda: PReLU(alpha_initializer="nope"), "PReLU", "`alpha_initializer`")
    assert ReLU(max_value=6).get_config()["max_value"] == 6.0


# ---- noise layers -------------------------------------------------------------------------

NOISE_LAYERS = [(GaussianNoise, {"stddev": 0.5}), (GaussianDropout, {"rate": 0.3}),
                (AlphaDropout, {"rate": 0.3})]


@pytest.mark.parametrize("cls, kwargs", NOISE_LAYERS)
def test_noise_layers_are_identity_outside_training(cls, kwargs):
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    layer = cls(**kwargs)
    for training in (None, False):
        np.testing.assert_array_equal(layer(x, training=training).numpy(), x)
    layer_test(cls, kwargs, input_shape=(3, 4))


@pytest.mark.parametrize("cls, kwargs", NOISE_LAYERS)
def test_noise_layers_gradient_in_training(cls, kwargs, fixed_rng):
    output = layer_test(cls, kwargs, input_shape=(3, 4), call_kwargs={"training": True})
    assert output.shape == (3, 4)


@pytest.mark.parametrize("cls, kwargs", NOISE_LAYERS)
def test_noise_is_reproducible_with_set_seed(cls, kwargs):
    x = np.ones((3, 4), "float32")
    backend.set_seed(5)
    first = cls(**kwargs)(x, training=True).numpy()
    backend.set_seed(5)
    np.testing.assert_array_equal(cls(**kwargs)(x, training=True).numpy(), first)
    assert not np.array_equal(first, x)


def test_gaussian_noise_statistics():
    backend.set_seed(0)
    x = np.full((200, 200), 3.0, "float32")
    noise = GaussianNoise(0.5)(x, training=True).numpy() - x
    assert abs(noise.mean()) < 0.01 and abs(noise.std() - 0.5) < 0.01


def test_gaussian_dropout_statistics():
    backend.set_seed(0)
    x = np.full((200, 200), 2.0, "float32")
    factor = GaussianDropout(0.2)(x, training=True).numpy() / x
    assert abs(factor.mean() - 1) < 0.01 and abs(factor.std() - np.sqrt(0.2 / 0.8)) < 0.01


def test_alpha_dropout_values_and_statistics():
    backend.set_seed(0)
    rate = 0.2
    x = np.random.default_rng(1).normal(size=(300, 300)).astype("float32")
    output = AlphaDropout(rate)(x, training=True).numpy()
    alpha_p = -SELU_ALPHA * SELU_SCALE
    a = ((1 - rate) * (1 + rate * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * rate
    kept = np.isclose(output, a * x + b, rtol=1e-5, atol=1e-6)
    dropped = np.isclose(output, a * alpha_p + b, rtol=1e-5)
    assert (kept | dropped).all()
    assert abs(dropped.mean() - rate) < 0.01
    # Self-normalizing: zero mean and unit variance are kept.
    assert abs(output.mean()) < 0.02 and abs(output.std() - 1) < 0.02


def test_noise_layer_arguments():
    assert_value_error(lambda: GaussianNoise(-0.1), "GaussianNoise", "`stddev`")
    assert_value_error(lambda: GaussianNoise("big"), "GaussianNoise", "`stddev`")
    assert_value_error(lambda: GaussianDropout(1.0), "GaussianDropout", "`rate`")
    assert_value_error(lambda: AlphaDropout(-0.5), "AlphaDropout", "`rate`")
    assert AlphaDropout(0.1, seed=3).get_config()["seed"] == 3


# ---- Embedding ----------------------------------------------------------------------------

def test_embedding_lookup():
    layer = Embedding(10, 3)
    indices = np.array([[1, 4, 4], [9, 0, 2]])
    output = layer(indices).numpy()
    np.testing.assert_array_equal(output, layer.get_weights()[0][indices])
    assert output.shape == (2, 3, 3)
    # Float indices are truncated to ints, as Keras casts them.
    np.testing.assert_array_equal(layer(indices.astype("float32")).numpy(), output)


def test_embedding_layer_test():
    layer_test(Embedding, {"input_dim": 10, "output_dim": 4}, input_shape=(3, 5),
               input_dtype="int32", expected_output_shape=(None, 5, 4))
    layer_test(Embedding, {"input_dim": 12, "output_dim": 2, "input_length": 5,
                           "embeddings_regularizer": "l2", "mask_zero": True},
               input_shape=(3, 5), input_dtype="int64")


def test_embedding_weights_and_default_initializer():
    reset_names()
    layer = Embedding(1000, 64)
    layer.build((None, 10))
    assert [(w.name, w.shape) for w in layer.weights] == [("embedding/embeddings", (1000, 64))]
    assert layer.count_params() == 64000
    values = layer.get_weights()[0]
    assert values.min() >= -0.05 and values.max() <= 0.05 and values.std() > 0.02
    assert layer.get_config()["embeddings_initializer"] == {
        "class_name": "RandomUniform", "config": {"minval": -0.05, "maxval": 0.05, "seed": None}}


def test_embedding_gradient_accumulates_repeated_indices():
    layer = Embedding(5, 2)
    indices = np.array([[1, 3, 1], [1, 0, 3]])
    with GradientTape() as tape:
        output = layer(indices)
    grad = tape.gradient(output, layer.embeddings)
    counts = np.bincount(indices.ravel(), minlength=5).astype("float32")
    np.testing.assert_array_equal(grad, np.repeat(counts[:, None], 2, axis=1))


def test_embedding_out_of_range_indices():
    layer = Embedding(5, 2, name="words")
    assert_value_error(lambda: layer(np.array([[1, 5]])), '"words"', "[0, 5)", "5")
    assert_value_error(lambda: layer(np.array([[-1, 2]])), '"words"', "-1")


def test_embedding_input_length_and_output_shape():
    model = Sequential([Embedding(1000, 64, input_length=10), Flatten()])
    assert model.output_shape == (None, 640)
    layer = Embedding(10, 3, input_length=4)
    assert layer.compute_output_shape((None, None)) == (None, 4, 3)
    assert_value_error(lambda: layer.compute_output_shape((None, 5)), '"input_length" is 4')
    assert Embedding(10, 3, input_length=(2, None)).compute_output_shape((None, 2, 7)) == \
        (None, 2, 7, 3)
    assert Embedding(10, 3).get_config()["batch_input_shape"] == [None, None]


def test_embedding_mask_zero():
    layer = Embedding(10, 3, mask_zero=True)
    indices = np.array([[0, 1, 2], [3, 0, 0]])
    np.testing.assert_array_equal(layer.compute_mask(Tensor(indices)), indices != 0)
    assert Embedding(10, 3).compute_mask(Tensor(indices)) is None


@pytest.mark.parametrize("kwargs, argument", [
    ({"input_dim": 0, "output_dim": 3}, "input_dim"),
    ({"input_dim": 10, "output_dim": "3"}, "output_dim"),
    ({"input_dim": 10, "output_dim": 3, "mask_zero": "yes"}, "mask_zero"),
    ({"input_dim": 10, "output_dim": 3, "input_length": 0}, "input_length"),
    ({"input_dim": 10, "output_dim": 3, "embeddings_initializer": "unifrom"},
     "embeddings_initializer"),
    ({"input_dim": 10, "output_dim": 3, "activity_regularizer": "l5"}, "activity_regularizer"),
])
def test_embedding_bad_arguments(kwargs, argument):
    assert_value_error(lambda: Embedding(**kwargs), "Embedding", f"`{argument}`")


def test_keras_3_spellings():
    assert LeakyReLU(negative_slope=0.1).alpha == 0.1
    layer = GaussianNoise(0.5, seed=3)
    x = np.zeros((3, 4), "float32")
    same_seed = GaussianNoise.from_config(layer.get_config())
    np.testing.assert_array_equal(layer(x, training=True).numpy(),
                                  same_seed(x, training=True).numpy())
    assert layer.get_config()["seed"] == 3 and "seed" not in GaussianNoise(0.5).get_config()
    assert_value_error(lambda: GaussianDropout(0.1, seed="s"), "GaussianDropout", "`seed`")
