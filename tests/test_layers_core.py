"""Tests of the core layers: Dense, Activation, Dropout and the spatial dropouts, Flatten,
Reshape, Permute, RepeatVector, Lambda, ActivityRegularization, Masking."""
import numpy as np
import pytest

from minikeras import GradientTape, Tensor, backend
from minikeras.engine.base_layer import collect_losses
from minikeras.engine.input_layer import Input
from minikeras.engine.naming import reset_names
from minikeras.layers.core import (
    Activation, ActivityRegularization, Dense, Dropout, Flatten, Lambda, Masking, Permute,
    RepeatVector, Reshape, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, check_identifier,
    check_number, check_positive_int, check_rate,
)
from tests.layer_testing import layer_test


@pytest.fixture
def fixed_rng(monkeypatch):
    """Makes every draw from backend.rng() the same, so that a training-mode gradient check
    sees the same mask at every call."""
    monkeypatch.setattr(backend, "rng", lambda: np.random.default_rng(1234))


def uniform(shape, seed=0, low=-1.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, shape).astype("float32")


def assert_value_error(function, *words):
    with pytest.raises(ValueError) as info:
        function()
    for word in words:
        assert word in str(info.value), (word, str(info.value))


# ---- argument helpers ---------------------------------------------------------------

def test_check_helpers_accept_good_values():
    assert check_positive_int("Layer", "units", np.int64(3)) == 3
    assert check_number("Layer", "alpha", 2) == 2.0
    assert check_number("Layer", "alpha", None, allow_none=True) is None
    assert check_rate("Layer", "rate", 0) == 0.0


@pytest.mark.parametrize("function", [
    lambda: check_positive_int("MyLayer", "units", 0),
    lambda: check_positive_int("MyLayer", "units", True),
    lambda: check_number("MyLayer", "units", "1"),
    lambda: check_number("MyLayer", "units", -1, minimum=0),
    lambda: check_rate("MyLayer", "units", 1.0),
    lambda: check_identifier("MyLayer", "units", lambda _: int("x"), "x"),
])
def test_check_helpers_name_the_layer_and_argument(function):
    assert_value_error(function, "MyLayer", "`units`")


# ---- Dense --------------------------------------------------------------------------

def test_dense_layer_test_and_values():
    layer = Dense(3, activation="relu", kernel_initializer="ones", bias_initializer="ones")
    x = uniform((2, 4))
    expected = np.maximum(x @ np.ones((4, 3)) + 1, 0)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6)
    layer_test(Dense, {"units": 3}, input_shape=(2, 4))
    layer_test(Dense, {"units": 2, "activation": "tanh"}, input_shape=(2, 3, 4),
               expected_output_shape=(None, 3, 2))


def test_dense_weight_names_shapes_and_count():
    reset_names()
    layer = Dense(5)
    layer.build((None, 3))
    assert [w.name for w in layer.weights] == ["dense/kernel", "dense/bias"]
    assert [w.shape for w in layer.weights] == [(3, 5), (5,)]
    assert layer.count_params() == 3 * 5 + 5


def test_dense_bad_units():
    assert_value_error(lambda: Dense(0), "Dense", "`units`")
    assert_value_error(lambda: Dense(2.5), "Dense", "`units`")


# ---- Activation ---------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "softmax", "linear", "elu"])
def test_activation_layer_test(activation):
    layer_test(Activation, {"activation": activation}, input_shape=(3, 4))


def test_activation_values():
    x = uniform((2, 5))
    np.testing.assert_allclose(Activation("relu")(x).numpy(), np.maximum(x, 0))
    np.testing.assert_allclose(Activation(np.tanh)(x), np.tanh(x), rtol=1e-6)
    assert Activation("relu").get_config()["activation"] == "relu"


def test_activation_unknown_name():
    assert_value_error(lambda: Activation("relux"), "Activation", "`activation`", "relux")


# ---- Dropout ------------------------------------------------------------------------

def test_dropout_inference_is_identity():
    x = uniform((4, 6))
    layer = Dropout(0.5)
    for training in (None, False):
        np.testing.assert_array_equal(layer(x, training=training).numpy(), x)
    np.testing.assert_array_equal(Dropout(0.0)(x, training=True).numpy(), x)


def test_dropout_training_scales_kept_values():
    backend.set_seed(0)
    x = uniform((100, 100), low=0.5, high=1.5)
    output = Dropout(0.3)(x, training=True).numpy()
    kept = output != 0
    np.testing.assert_allclose(output[kept], x[kept] / 0.7, rtol=1e-6)
    assert abs(1 - kept.mean() - 0.3) < 0.02


def test_dropout_gradient_is_the_mask(fixed_rng):
    x = Tensor(uniform((5, 7), low=0.5, high=1.5))
    with GradientTape() as tape:
        tape.watch(x)
        output = Dropout(0.4)(x, training=True)
    grad = tape.gradient(output, x)
    np.testing.assert_allclose(grad, output.numpy() / x.numpy(), rtol=1e-6)
    layer_test(Dropout, {"rate": 0.4}, input_shape=(3, 4), call_kwargs={"training": True})


def test_dropout_layer_test_in_inference():
    layer_test(Dropout, {"rate": 0.5, "noise_shape": (None, 1), "seed": 3}, input_shape=(3, 4))


def test_dropout_noise_shape_shares_the_mask():
    x = uniform((4, 5, 6), low=0.5, high=1.5)
    output = Dropout(0.5, noise_shape=(None, 1, 6), seed=1)(x, training=True).numpy()
    kept = output != 0
    assert (kept == kept[:, :1, :]).all()
    assert 0 < kept.mean() < 1


def test_dropout_seed_gives_a_reproducible_sequence():
    x = np.ones((8, 8), dtype="float32")
    first, second = Dropout(0.5, seed=7), Dropout(0.5, seed=7)
    a1, a2 = first(x, training=True).numpy(), first(x, training=True).numpy()
    b1, b2 = second(x, training=True).numpy(), second(x, training=True).numpy()
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a2, b2)
    assert not np.array_equal(a1, a2)


@pytest.mark.parametrize("kwargs, argument", [
    ({"rate": -0.1}, "rate"), ({"rate": 1.0}, "rate"), ({"rate": "half"}, "rate"),
    ({"rate": 0.5, "noise_shape": 3}, "noise_shape"),
    ({"rate": 0.5, "noise_shape": (None, 0)}, "noise_shape"),
    ({"rate": 0.5, "seed": 1.5}, "seed"),
])
def test_dropout_bad_arguments(kwargs, argument):
    assert_value_error(lambda: Dropout(**kwargs), "Dropout", f"`{argument}`")


def test_dropout_config():
    config = Dropout(0.25, noise_shape=(None, 1, 3), seed=2).get_config()
    assert (config["rate"], config["noise_shape"], config["seed"]) == (0.25, (None, 1, 3), 2)


# ---- spatial dropouts -----------------------------------------------------------------

def _channel_kept(output, channel_axis):
    """For each (sample, channel): whether every value is kept, or every value dropped."""
    moved = np.moveaxis(output != 0, channel_axis, 1).reshape(output.shape[0],
                                                               output.shape[channel_axis], -1)
    assert (moved.all(axis=-1) | ~moved.any(axis=-1)).all()
    return moved.all(axis=-1)


@pytest.mark.parametrize("cls, kwargs, shape, channel_axis", [
    (SpatialDropout1D, {}, (6, 5, 8), 2),
    (SpatialDropout2D, {}, (6, 3, 4, 8), 3),
    (SpatialDropout2D, {"data_format": "channels_first"}, (6, 8, 3, 4), 1),
    (SpatialDropout3D, {}, (6, 2, 3, 2, 8), 4),
    (SpatialDropout3D, {"data_format": "channels_first"}, (6, 8, 2, 3, 2), 1),
])
def test_spatial_dropout_drops_whole_channels(cls, kwargs, shape, channel_axis):
    backend.set_seed(3)
    x = uniform(shape, low=0.5, high=1.5)
    output = cls(0.5, **kwargs)(x, training=True).numpy()
    kept = _channel_kept(output, channel_axis)
    assert 0 < kept.mean() < 1
    np.testing.assert_allclose(output[output != 0], x[output != 0] * 2, rtol=1e-6)
    np.testing.assert_array_equal(cls(0.5, **kwargs)(x).numpy(), x)
    layer_test(cls, dict(kwargs, rate=0.5), input_shape=shape)


def test_spatial_dropout_gradient(fixed_rng):
    layer_test(SpatialDropout2D, {"rate": 0.5}, input_shape=(2, 3, 3, 4),
               call_kwargs={"training": True})


def test_spatial_dropout_checks_rank_and_arguments():
    assert_value_error(lambda: SpatialDropout1D(0.5)(uniform((2, 3))), "expected ndim=3")
    assert_value_error(lambda: SpatialDropout2D(0.5, data_format="nhwc"), "SpatialDropout2D",
                       "data_format")
    assert_value_error(lambda: SpatialDropout1D(2.0), "SpatialDropout1D", "`rate`")
    assert SpatialDropout2D(0.1, data_format="channels_first").get_config()["data_format"] == \
        "channels_first"


# ---- Flatten --------------------------------------------------------------------------

def test_flatten_values_and_shapes():
    x = uniform((2, 3, 4, 5))
    np.testing.assert_array_equal(Flatten()(x).numpy(), x.reshape(2, -1))
    layer_test(Flatten, {}, input_shape=(2, 3, 4), expected_output_shape=(None, 12))


def test_flatten_channels_first_orders_as_channels_last():
    x = uniform((2, 3, 4, 5))  # (batch, channels, rows, cols)
    expected = np.transpose(x, (0, 2, 3, 1)).reshape(2, -1)
    np.testing.assert_array_equal(Flatten(data_format="channels_first")(x).numpy(), expected)
    layer_test(Flatten, {"data_format": "channels_first"}, input_shape=(2, 3, 4, 5))


def test_flatten_errors():
    assert_value_error(lambda: Flatten().compute_output_shape((None, None, 3)),
                       'The shape of the input to "Flatten" is not fully defined')
    assert_value_error(lambda: Flatten()(uniform((2, 3))), "expected min_ndim=3")
    assert_value_error(lambda: Flatten(data_format="channels_middle"), "Flatten", "data_format")


# ---- Reshape --------------------------------------------------------------------------

def test_reshape_values_and_unknown_dimension():
    x = uniform((2, 12))
    np.testing.assert_array_equal(Reshape((3, 4))(x).numpy(), x.reshape(2, 3, 4))
    np.testing.assert_array_equal(Reshape((-1, 2))(x).numpy(), x.reshape(2, 6, 2))
    layer_test(Reshape, {"target_shape": (-1, 2, 2)}, input_shape=(2, 3, 4),
               expected_output_shape=(None, 3, 2, 2))
    assert Reshape((-1, 2)).compute_output_shape((None, None, 4)) == (None, None, 2)
    assert Reshape(6).target_shape == (6,)


def test_reshape_errors():
    assert_value_error(lambda: Reshape((5,))(uniform((2, 12))), "total size of the new array")
    assert_value_error(lambda: Reshape((5, -1)).compute_output_shape((None, 12)),
                       "total size of the new array")
    assert_value_error(lambda: Reshape((-1, -1)), "Reshape", "`target_shape`", "one unknown")
    assert_value_error(lambda: Reshape((0, 2)), "Reshape", "`target_shape`")
    assert_value_error(lambda: Reshape("3x4"), "Reshape", "`target_shape`")


# ---- Permute --------------------------------------------------------------------------

def test_permute_values_and_shapes():
    x = uniform((2, 3, 4, 5))
    np.testing.assert_array_equal(Permute((3, 1, 2))(x).numpy(), np.transpose(x, (0, 3, 1, 2)))
    layer_test(Permute, {"dims": (2, 1)}, input_shape=(2, 3, 4),
               expected_output_shape=(None, 4, 3))
    assert Permute((2, 1)).compute_output_shape((None, None, 4)) == (None, 4, None)


def test_permute_errors():
    assert_value_error(lambda: Permute((0, 1)), "Permute", "`dims`", "start from 1")
    assert_value_error(lambda: Permute((1, 1)), "Permute", "`dims`")
    assert_value_error(lambda: Permute(2), "Permute", "`dims`")
    assert_value_error(lambda: Permute((2, 1))(uniform((2, 3))), "expected ndim=3")


# ---- RepeatVector ---------------------------------------------------------------------

def test_repeat_vector():
    x = uniform((2, 4))
    output = RepeatVector(3)(x).numpy()
    np.testing.assert_array_equal(output, np.repeat(x[:, None, :], 3, axis=1))
    layer_test(RepeatVector, {"n": 3}, input_shape=(2, 4), expected_output_shape=(None, 3, 4))
    assert_value_error(lambda: RepeatVector(0), "RepeatVector", "`n`")
    assert_value_error(lambda: RepeatVector(2)(uniform((2, 3, 4))), "expected ndim=2")


# ---- Lambda ---------------------------------------------------------------------------

def cube_plus(x, offset=0.0):
    return x * x * x + offset


def halve_last(input_shape):
    return tuple(input_shape[:-1]) + (input_shape[-1] // 2,)


def first_half(x):
    return x[:, :x.shape[1] // 2]


def test_lambda_layer_test_and_values():
    x = uniform((3, 4))
    np.testing.assert_allclose(Lambda(cube_plus, arguments={"offset": 1.0})(x).numpy(),
                               x ** 3 + 1, rtol=1e-6)
    layer_test(Lambda, {"function": cube_plus, "arguments": {"offset": 2.0}}, input_shape=(3, 4))
    layer_test(Lambda, {"function": first_half, "output_shape": halve_last}, input_shape=(3, 4),
               expected_output_shape=(None, 2))
    layer_test(Lambda, {"function": first_half, "output_shape": (2,)}, input_shape=(3, 4),
               expected_output_shape=(None, 2))


def test_lambda_on_a_list_of_inputs():
    layer = Lambda(lambda inputs: inputs[0] - inputs[1])
    a, b = uniform((2, 3)), uniform((2, 3), seed=1)
    np.testing.assert_allclose(layer([a, b]).numpy(), a - b)
    assert layer([Input(shape=(3,)), Input(shape=(3,))]).shape == (None, 3)


def test_lambda_config_stores_functions_by_name():
    config = Lambda(cube_plus, output_shape=halve_last).get_config()
    assert config["function"] == "cube_plus"
    assert config["function_type"] == "function"
    assert config["module"] == __name__
    assert (config["output_shape"], config["output_shape_type"]) == ("halve_last", "function")
    assert Lambda(cube_plus, output_shape=(3,)).get_config()["output_shape_type"] == "raw"


def test_lambda_from_config_with_custom_objects():
    config = Lambda(cube_plus).get_config()
    config["module"] = "not_imported_module"
    assert_value_error(lambda: Lambda.from_config(dict(config)), "cube_plus", "custom_objects")
    layer = Lambda.from_config(dict(config), custom_objects={"cube_plus": cube_plus})
    assert layer.function is cube_plus


def test_lambda_anonymous_function_needs_custom_objects():
    layer = Lambda(lambda x: x * 2, name="doubler")
    config = layer.get_config()
    assert config["function_type"] == "lambda"
    assert_value_error(lambda: Lambda.from_config(dict(config)), "doubler", "lambda",
                       "custom_objects")
    rebuilt = Lambda.from_config(dict(config), custom_objects={"doubler": lambda x: x * 2})
    np.testing.assert_allclose(rebuilt(np.ones((1, 2), "float32")).numpy(), [[2, 2]])


def test_lambda_mask_and_bad_arguments():
    assert Lambda(cube_plus, mask=lambda inputs, mask: "m").compute_mask(None) == "m"
    assert Lambda(cube_plus).compute_mask(None) is None
    assert_value_error(lambda: Lambda(3), "Lambda", "`function`")
    assert_value_error(lambda: Lambda(cube_plus, output_shape="2"), "Lambda", "`output_shape`")
    assert_value_error(lambda: Lambda(cube_plus, arguments=[1]), "Lambda", "`arguments`")


# ---- ActivityRegularization -----------------------------------------------------------

def test_activity_regularization_adds_its_penalty():
    x = uniform((3, 4))
    layer = ActivityRegularization(l1=0.1, l2=0.01)
    with collect_losses() as losses:
        output = layer(x)
    np.testing.assert_array_equal(output.numpy(), x)
    expected = 0.1 * np.abs(x).sum() + 0.01 * np.square(x).sum()
    assert len(losses) == 1
    np.testing.assert_allclose(float(losses[0].numpy()), expected, rtol=1e-5)
    layer_test(ActivityRegularization, {"l1": 0.1, "l2": 0.2}, input_shape=(2, 3))


def test_activity_regularization_config_and_errors():
    config = ActivityRegularization(l1=0.5).get_config()
    assert (config["l1"], config["l2"]) == (0.5, 0.0)
    assert "activity_regularizer" not in config
    assert ActivityRegularization.from_config(config).activity_regularizer.l1 == 0.5
    assert_value_error(lambda: ActivityRegularization(l1=-1), "ActivityRegularization", "`l1`")
    assert_value_error(lambda: ActivityRegularization(l2="x"), "ActivityRegularization", "`l2`")


# ---- Masking --------------------------------------------------------------------------

def test_masking_zeroes_masked_timesteps():
    x = uniform((2, 4, 3), low=0.5, high=1.5)
    x[0, 1] = 5.0
    x[1, 3] = 5.0
    x[1, 0, 0] = 5.0  # one feature only: kept
    output = Masking(mask_value=5.0)(x).numpy()
    expected = x.copy()
    expected[0, 1] = 0
    expected[1, 3] = 0
    np.testing.assert_array_equal(output, expected)
    np.testing.assert_array_equal(Masking(5.0).compute_mask(Tensor(x)),
                                  [[True, False, True, True], [True, True, True, False]])


def test_masking_layer_test_and_errors():
    x = uniform((2, 3, 4))
    layer_test(Masking, {"mask_value": 0.0}, input_data=x)
    # A masked timestep sits on the mask's discontinuity: compare with the mask instead.
    x[0, 2] = 0.0
    output = layer_test(Masking, {"mask_value": 0.0}, input_data=x, check_gradients=False)
    np.testing.assert_array_equal(output, x)
    x[1, 1] = 0.0
    tensor = Tensor(x)
    with GradientTape() as tape:
        tape.watch(tensor)
        result = Masking()(tensor)
    expected = np.ones_like(x)
    expected[0, 2] = expected[1, 1] = 0
    np.testing.assert_array_equal(tape.gradient(result, tensor), expected)
    assert_value_error(lambda: Masking(mask_value="zero"), "Masking", "`mask_value`")


def test_layers_keep_no_tensors_from_a_call():
    """Saved values live on the tape: a call must not add attributes holding tensors."""
    x = uniform((2, 3, 4), low=0.5, high=1.5)
    for layer in (Dropout(0.5), Flatten(), Reshape((12,)), Permute((2, 1)), Masking(),
                  Lambda(cube_plus), SpatialDropout1D(0.5)):
        layer(x)
        before = set(vars(layer))
        layer(x, training=True)
        assert set(vars(layer)) == before
        assert not any(isinstance(value, Tensor) for value in vars(layer).values())


def test_lambda_reads_keras_3_function_configs():
    config = {"name": "cube", "function": {"module": __name__, "class_name": "function",
                                           "config": "cube_plus", "registered_name": "cube_plus"},
              "arguments": {}, "output_shape": {"module": __name__, "class_name": "function",
                                                "config": "halve_last"}}
    layer = Lambda.from_config(config)
    assert layer.function is cube_plus and layer.compute_output_shape((None, 4)) == (None, 2)
