"""Tests of saving and loading: Keras's HDF5 layouts, load_weights options, faults."""
import os
import subprocess
import sys
import textwrap

import h5py
import numpy as np
import pytest

from minikeras import backend
from minikeras.engine.naming import reset_names
from minikeras.layers import Dense, Input
from minikeras.models import Model, Sequential, load_model

KERAS_FILES = os.path.join(os.path.dirname(__file__), "data", "keras")


@pytest.fixture(autouse=True)
def fresh_names():
    reset_names()


def seed_mlp():
    """The case study's MLP with the layer names of the Keras-written sample files."""
    inputs = Input(shape=(10,), name="input_layer")
    x = Dense(10, activation="relu", name="dense_1")(inputs)
    x = Dense(20, activation="relu", name="dense_2")(x)
    x = Dense(10, activation="relu", name="dense_3")(x)
    outputs = Dense(1, activation="sigmoid", name="out")(x)
    return Model(inputs, outputs, name="seed_mlp")


def keras_sample():
    return np.load(os.path.join(KERAS_FILES, "seed_mlp.npz"))


# ---- files written by Keras 3.15 -------------------------------------------------------


def test_load_model_of_a_keras3_legacy_h5_predicts_as_keras_did():
    sample = keras_sample()
    with pytest.warns(UserWarning, match="optimizer"):
        model = load_model(os.path.join(KERAS_FILES, "seed_mlp.h5"))
    assert [layer.name for layer in model.layers] == list(sample["layer_names"])
    assert [type(layer).__name__ for layer in model.layers] == list(sample["layer_classes"])
    np.testing.assert_allclose(model.predict(sample["x"]), sample["y"], atol=1e-5)
    for layer in model.layers[1:]:
        np.testing.assert_array_equal(layer.get_weights()[0],
                                      sample[f"w__{layer.name}__kernel"])
        np.testing.assert_array_equal(layer.get_weights()[1], sample[f"w__{layer.name}__bias"])
    assert model.optimizer is not None and model.loss == "binary_crossentropy"


@pytest.mark.parametrize("filename", ["seed_mlp.weights.h5", "seed_mlp.h5"])
def test_load_weights_of_keras3_files_predicts_as_keras_did(filename):
    sample = keras_sample()
    model = seed_mlp()
    model.load_weights(os.path.join(KERAS_FILES, filename))
    np.testing.assert_allclose(model.predict(sample["x"]), sample["y"], atol=1e-5)
    hidden = Model(model.inputs, model.get_layer("dense_2").output)
    np.testing.assert_allclose(hidden.predict(sample["x"]), sample["act__dense_2"], atol=1e-5)


def test_keras3_weights_file_is_matched_by_class_position_not_name():
    sample = keras_sample()
    inputs = Input(shape=(10,))
    x = inputs
    for units in (10, 20, 10):
        x = Dense(units, activation="relu")(x)
    model = Model(inputs, Dense(1, activation="sigmoid")(x))
    model.load_weights(os.path.join(KERAS_FILES, "seed_mlp.weights.h5"))
    np.testing.assert_allclose(model.predict(sample["x"]), sample["y"], atol=1e-5)


# ---- the layouts minikeras writes ------------------------------------------------------


def test_save_weights_writes_keras2_layout(tmp_path):
    model = seed_mlp()
    path = tmp_path / "w.h5"
    model.save_weights(path)
    with h5py.File(path, "r") as file:
        names = [n.decode() for n in file.attrs["layer_names"]]
        assert names == ["input_layer", "dense_1", "dense_2", "dense_3", "out"]
        assert file.attrs["keras_version"] and file.attrs["backend"]
        weight_names = [n.decode() for n in file["dense_1"].attrs["weight_names"]]
        assert weight_names == ["dense_1/kernel:0", "dense_1/bias:0"]
        assert file["dense_1"]["dense_1"]["kernel:0"].shape == (10, 10)


def test_save_weights_with_keras3_suffix_writes_keras3_layout(tmp_path):
    model = seed_mlp()
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "r") as file:
        assert file["layers"]["dense"]["vars"].attrs["name"] == "dense_1"
        assert file["layers"]["dense_3"]["vars"]["0"].shape == (10, 1)
    clone = seed_mlp()
    clone.load_weights(path)
    for a, b in zip(clone.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_save_writes_config_training_config_and_optimizer_weights(tmp_path):
    import json
    model = seed_mlp()
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as file:
        config = json.loads(file.attrs["model_config"])
        training = json.loads(file.attrs["training_config"])
        assert config["class_name"] == "Model" and config["config"]["name"] == "seed_mlp"
        assert training["loss"] == "binary_crossentropy"
        assert training["optimizer_config"]["class_name"] == "Adam"
        assert "model_weights" in file and "optimizer_weights" in file


def test_long_layer_name_lists_are_split_into_chunks_and_read_back(tmp_path):
    model = Sequential([Dense(1, input_shape=(1,), name="d" + "x" * 250 + "0")])
    for index in range(1, 300):
        model.add(Dense(1, name="d" + "x" * 250 + str(index)))
    path = tmp_path / "many.h5"
    model.save_weights(path)
    with h5py.File(path, "r") as file:
        assert "layer_names" not in file.attrs and "layer_names0" in file.attrs
    before = model.get_weights()
    model.set_weights([w + 1 for w in before])
    model.load_weights(path)
    np.testing.assert_array_equal(model.get_weights()[0], before[0])


def test_fit_after_load_continues_exactly_as_an_uninterrupted_fit(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 10)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    backend.set_seed(3)
    model = seed_mlp()
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    model.save(tmp_path / "half.h5")
    model.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    restored = load_model(tmp_path / "half.h5")
    assert int(restored.optimizer.iterations) == 8
    restored.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    for a, b in zip(restored.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


# ---- load_weights options --------------------------------------------------------------


def test_loading_by_order_into_a_model_with_other_layer_counts_names_both(tmp_path):
    small = Sequential([Dense(4, input_shape=(3,)), Dense(1)])
    small.save_weights(tmp_path / "small.h5")
    big = Sequential([Dense(4, input_shape=(3,)), Dense(4), Dense(1)])
    with pytest.raises(ValueError, match="containing 2 layers into a model with 3 layers"):
        big.load_weights(tmp_path / "small.h5")


def test_by_name_loads_only_matching_layers(tmp_path):
    source = Sequential([Dense(4, input_shape=(3,), name="shared"), Dense(1, name="head_a")])
    source.save_weights(tmp_path / "w.h5")
    target = Sequential([Dense(4, input_shape=(3,), name="shared"), Dense(2, name="head_b")])
    head_before = target.get_layer("head_b").get_weights()
    target.load_weights(tmp_path / "w.h5", by_name=True)
    np.testing.assert_array_equal(target.get_layer("shared").get_weights()[0],
                                  source.get_layer("shared").get_weights()[0])
    np.testing.assert_array_equal(target.get_layer("head_b").get_weights()[0], head_before[0])


def test_skip_mismatch_skips_a_kernel_while_its_bias_of_the_same_shape_loads(tmp_path):
    source = Sequential([Dense(4, input_shape=(3,), name="layer")])
    source.save_weights(tmp_path / "w.h5")
    target = Sequential([Dense(4, input_shape=(5,), name="layer")])
    kernel_before = target.get_layer("layer").get_weights()[0]
    with pytest.raises(ValueError, match=r"\(5, 4\).*\(3, 4\)"):
        target.load_weights(tmp_path / "w.h5", by_name=True)
    with pytest.warns(UserWarning, match=r"layer/kernel.*'layer'.*\(5, 4\).*\(3, 4\)"):
        target.load_weights(tmp_path / "w.h5", by_name=True, skip_mismatch=True)
    kernel, bias = target.get_layer("layer").get_weights()
    np.testing.assert_array_equal(kernel, kernel_before)
    np.testing.assert_array_equal(bias, source.get_layer("layer").get_weights()[1])


def test_skip_mismatch_without_by_name_is_refused(tmp_path):
    model = seed_mlp()
    model.save_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match="by_name"):
        model.load_weights(tmp_path / "w.h5", skip_mismatch=True)


def test_reshape_loads_weights_of_equal_size(tmp_path):
    from minikeras.layers.convolutional import Conv2D
    source = Sequential([Conv2D(2, 1, input_shape=(4, 4, 3), name="conv")])
    source.save_weights(tmp_path / "w.h5")
    target = Sequential([Dense(2, input_shape=(3,), name="conv")])
    with pytest.raises(ValueError, match="shape"):
        target.load_weights(tmp_path / "w.h5", by_name=True)
    target.load_weights(tmp_path / "w.h5", by_name=True, reshape=True)
    np.testing.assert_array_equal(target.get_weights()[0],
                                  source.get_weights()[0].reshape(3, 2))


def test_a_failed_load_changes_no_weight(tmp_path):
    source = Sequential([Dense(4, input_shape=(3,)), Dense(2)])
    source.save_weights(tmp_path / "w.h5")
    target = Sequential([Dense(4, input_shape=(3,)), Dense(3)])
    before = target.get_weights()
    with pytest.raises(ValueError):
        target.load_weights(tmp_path / "w.h5")
    for a, b in zip(target.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def autoencoder(depth):
    """Dense autoencoders in the case study's spirit: the deeper one adds an encoder layer,
    so its decoder reads a narrower code."""
    inputs = Input(shape=(16,))
    x = Dense(8, activation="elu", name="encoder_1")(inputs)
    if depth > 1:
        x = Dense(4, activation="elu", name="encoder_2")(x)
    outputs = Dense(16, activation="tanh", name="decoder_1")(x)
    return Model(inputs, outputs)


def test_the_case_study_autoencoder_shallow_weights_into_a_deeper_model(tmp_path):
    shallow = autoencoder(depth=1)
    shallow.save_weights(tmp_path / "shallow.h5")
    deep = autoencoder(depth=2)
    encoder_2 = deep.get_layer("encoder_2").get_weights()
    decoder_kernel = deep.get_layer("decoder_1").get_weights()[0]
    # Keras 2 raised "Weights must be of equal size to apply a reshape operation" here.
    with pytest.warns(UserWarning, match=r"decoder_1/kernel.*\(4, 16\).*\(8, 16\)") as warned:
        deep.load_weights(tmp_path / "shallow.h5", by_name=True, reshape=True,
                          skip_mismatch=True)
    assert len(warned.list) == 1
    np.testing.assert_array_equal(deep.get_layer("encoder_1").get_weights()[0],
                                  shallow.get_layer("encoder_1").get_weights()[0])
    np.testing.assert_array_equal(deep.get_layer("decoder_1").get_weights()[0], decoder_kernel)
    np.testing.assert_array_equal(deep.get_layer("decoder_1").get_weights()[1],
                                  shallow.get_layer("decoder_1").get_weights()[1])
    np.testing.assert_array_equal(deep.get_layer("encoder_2").get_weights()[0], encoder_2[0])


def test_mismatched_layers_are_skipped_and_named_in_warnings(tmp_path):
    source = Sequential([Dense(8, input_shape=(16,), name="encoder_1"),
                         Dense(16, name="decoder_1")])
    source.save_weights(tmp_path / "w.h5")
    target = Sequential([Dense(8, input_shape=(16,), name="encoder_1"),
                         Dense(4, name="decoder_1")])
    with pytest.warns(UserWarning, match=r"decoder_1.*\(8, 4\).*\(8, 16\)"):
        target.load_weights(tmp_path / "w.h5", by_name=True, reshape=True, skip_mismatch=True)
    np.testing.assert_array_equal(target.get_weights()[0], source.get_weights()[0])


# ---- faults and bad files ---------------------------------------------------------------


def test_a_save_killed_midway_leaves_the_previous_file_intact(tmp_path):
    path = tmp_path / "model.h5"
    model = seed_mlp()
    model.save_weights(path)
    before = path.read_bytes()
    script = textwrap.dedent(f"""
        import os, signal
        from minikeras.engine import hdf5_format
        from minikeras.layers import Dense
        from minikeras.models import Sequential
        original = hdf5_format.save_attribute
        def dying(group, name, values):
            original(group, name, values)
            os.kill(os.getpid(), signal.SIGKILL)
        hdf5_format.save_attribute = dying
        model = Sequential([Dense(3, input_shape=(2,))])
        model.save_weights({str(path)!r})
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert result.returncode != 0
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == ["model.h5"]
    model.load_weights(path)


def test_overwrite_false_refuses_to_replace(tmp_path):
    model = seed_mlp()
    model.save_weights(tmp_path / "w.h5")
    with pytest.raises(FileExistsError):
        model.save_weights(tmp_path / "w.h5", overwrite=False)


def test_bad_files_give_clear_errors_naming_the_file(tmp_path):
    model = seed_mlp()
    missing = tmp_path / "missing.h5"
    with pytest.raises(OSError, match="No file or directory found at .*missing.h5"):
        model.load_weights(missing)
    text = tmp_path / "notes.h5"
    text.write_text("not an hdf5 file")
    with pytest.raises(OSError, match="notes.h5 is not an HDF5 file"):
        load_model(text)
    good = tmp_path / "good.h5"
    model.save_weights(good)
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(OSError, match="truncated.h5"):
        model.load_weights(truncated)
    empty = tmp_path / "empty.h5"
    with h5py.File(empty, "w") as file:
        file.attrs["something"] = 1
    with pytest.raises(ValueError, match="empty.h5 holds no Keras weights"):
        model.load_weights(empty)
    with pytest.raises(ValueError, match="No model config found"):
        load_model(good)


def test_a_config_naming_an_unknown_layer_class_is_a_clear_error(tmp_path):
    path = tmp_path / "m.h5"
    seed_mlp().save(path)
    with h5py.File(path, "r+") as file:
        config = file.attrs["model_config"]
        config = config.decode() if isinstance(config, bytes) else config
        file.attrs["model_config"] = config.replace('"Dense"', '"FancyDense"')
    with pytest.raises(ValueError, match="m.h5.*Unknown layer class 'FancyDense'"):
        load_model(path)


def test_missing_weight_group_is_a_clear_error(tmp_path):
    path = tmp_path / "w.h5"
    seed_mlp().save_weights(path)
    with h5py.File(path, "r+") as file:
        del file["dense_2"]
    with pytest.raises(ValueError, match="w.h5.*dense_2"):
        seed_mlp().load_weights(path)
