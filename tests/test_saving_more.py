"""More tests of saving and loading: Keras 3 weight files by name, damaged files, custom
losses and metrics in the training config, and files without optimizer state.
"""
import json
import os
import warnings

import h5py
import numpy as np
import pytest

from minikeras.engine.naming import reset_names
from minikeras.layers import Dense, Input
from minikeras.models import Model, Sequential, load_model

KERAS_FILES = os.path.join(os.path.dirname(__file__), "data", "keras")


@pytest.fixture(autouse=True)
def fresh_names():
    reset_names()


def seed_mlp(names=("dense_1", "dense_2", "dense_3", "out")):
    inputs = Input(shape=(10,), name="input_layer")
    x = inputs
    for units, name in zip((10, 20, 10), names):
        x = Dense(units, activation="relu", name=name)(x)
    return Model(inputs, Dense(1, activation="sigmoid", name=names[3])(x))


def small_model():
    return Sequential([Dense(3, input_shape=(2,), name="hidden"), Dense(1, name="out")])


def test_keras3_weights_by_name_load_only_the_matching_layers():
    sample = np.load(os.path.join(KERAS_FILES, "seed_mlp.npz"))
    model = seed_mlp(names=("dense_1", "renamed", "dense_3", "out"))
    before = model.get_layer("renamed").get_weights()
    model.load_weights(os.path.join(KERAS_FILES, "seed_mlp.weights.h5"), by_name=True)
    np.testing.assert_array_equal(model.get_layer("dense_1").get_weights()[0],
                                  sample["w__dense_1__kernel"])
    np.testing.assert_array_equal(model.get_layer("out").get_weights()[1], sample["w__out__bias"])
    for kept, old in zip(model.get_layer("renamed").get_weights(), before):
        np.testing.assert_array_equal(kept, old)


def test_keras3_weights_missing_a_layer_group_is_a_clear_error(tmp_path):
    path = tmp_path / "m.weights.h5"
    seed_mlp().save_weights(path)
    with h5py.File(path, "r+") as file:
        del file["layers"]["dense_1"]
    with pytest.raises(ValueError, match=r"m.weights.h5 has no weights for layer 'dense_2' "
                                         r"\(expected a group layers/dense_1\)"):
        seed_mlp().load_weights(path)


def test_a_weight_count_mismatch_is_an_error_or_with_skip_mismatch_a_warning(tmp_path):
    path = tmp_path / "w.h5"
    small_model().save_weights(path)
    no_bias = Sequential([Dense(3, input_shape=(2,), name="hidden", use_bias=False),
                          Dense(1, name="out")])
    with pytest.raises(ValueError, match='Layer "hidden" expects 1 weight\\(s\\), but the saved '
                                         "weights in .*w.h5 have 2 element\\(s\\)"):
        no_bias.load_weights(path)
    out_before = no_bias.get_layer("out").get_weights()
    with pytest.warns(UserWarning, match="Skipping loading of weights for layer 'hidden'"):
        no_bias.load_weights(path, by_name=True, skip_mismatch=True)
    saved_out = small_model()
    saved_out.load_weights(path)
    for loaded, saved in zip(no_bias.get_layer("out").get_weights(),
                             saved_out.get_layer("out").get_weights()):
        np.testing.assert_array_equal(loaded, saved)
    assert not all(np.array_equal(a, b) for a, b in zip(
        out_before, no_bias.get_layer("out").get_weights()))


def test_a_model_config_that_is_not_json_is_a_clear_error(tmp_path):
    path = tmp_path / "m.h5"
    small_model().save(path)
    with h5py.File(path, "r+") as file:
        file.attrs["model_config"] = b"{broken"
    with pytest.raises(ValueError, match="m.h5: the model_config attribute is not valid JSON"):
        load_model(path)


def test_a_model_config_stored_as_text_is_read(tmp_path):
    path = tmp_path / "m.h5"
    model = small_model()
    model.save(path)
    with h5py.File(path, "r+") as file:
        text = file.attrs["model_config"]
        file.attrs["model_config"] = text.decode() if isinstance(text, bytes) else text
    x = np.ones((2, 2), "float32")
    np.testing.assert_allclose(load_model(path).predict(x, verbose=0),
                               model.predict(x, verbose=0))


def test_a_model_file_without_its_weights_group_is_a_clear_error(tmp_path):
    path = tmp_path / "m.h5"
    small_model().save(path)
    with h5py.File(path, "r+") as file:
        del file["model_weights"]
    with pytest.raises(ValueError, match="m.h5 has a model config but no 'model_weights' group"):
        load_model(path)


def custom_loss(y_true, y_pred):
    """A user loss: the mean absolute error times two."""
    from minikeras.autograd import ops
    return ops.mean(ops.abs(y_pred - y_true), axis=-1) * 2.0


def test_custom_losses_and_metric_lists_round_trip_through_the_training_config(tmp_path):
    path = tmp_path / "m.h5"
    model = small_model()
    model.compile("adam", loss=custom_loss, metrics=["mae", custom_loss])
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    model.fit(x, y, epochs=1, verbose=0)
    model.save(path)
    with h5py.File(path, "r") as file:
        training = json.loads(file.attrs["training_config"])
    assert training["loss"] == "custom_loss"
    assert training["metrics"] == ["mae", "custom_loss"]
    loaded = load_model(path, custom_objects={"custom_loss": custom_loss})
    assert loaded.loss is custom_loss
    assert loaded.evaluate(x, y, verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0))


def test_a_model_saved_without_optimizer_loads_uncompiled(tmp_path):
    path = tmp_path / "m.h5"
    model = small_model()
    model.compile("sgd", "mse")
    model.save(path, include_optimizer=False)
    with h5py.File(path, "r") as file:
        assert "optimizer_weights" not in file and "training_config" not in file.attrs
    assert load_model(path).optimizer is None


def test_a_training_config_without_optimizer_state_compiles_with_a_fresh_optimizer(tmp_path):
    path = tmp_path / "m.h5"
    model = small_model()
    model.compile("adam", "mse")
    model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    model.save(path)
    with h5py.File(path, "r+") as file:
        del file["optimizer_weights"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = load_model(path)
    assert type(loaded.optimizer).__name__ == "Adam" and loaded.loss == "mse"
    assert int(np.asarray(loaded.optimizer.iterations.numpy())) == 0
