"""Tests of the engine: layers, symbolic tensors, functional and Sequential models."""
import threading

import numpy as np
import pytest

from minikeras import Tensor, backend
from minikeras.engine.naming import reset_names
from minikeras.layers import Dense, Input, Layer
from minikeras.models import Model, Sequential, model_from_json


@pytest.fixture(autouse=True)
def fresh_names():
    reset_names()
    yield


def mlp(name=None):
    inputs = Input(shape=(10,))
    x = Dense(10, activation="relu")(inputs)
    x = Dense(20, activation="relu")(x)
    x = Dense(10, activation="relu")(x)
    outputs = Dense(1, activation="sigmoid")(x)
    return Model(inputs=inputs, outputs=outputs, name=name)


def test_default_names_are_unique_per_class_as_keras_makes_them():
    first, second, third = Dense(1), Dense(1), Dense(1, name="out")
    assert (first.name, second.name, third.name) == ("dense", "dense_1", "out")
    assert Input(shape=(3,))._keras_history[0].name == "input_1"


def test_input_gives_a_placeholder_with_a_batch_axis():
    x = Input(shape=(64, 64, 1))
    assert x.shape == (None, 64, 64, 1)
    assert Input(shape=(3,), batch_size=8).shape == (8, 3)


def test_calling_a_layer_on_placeholders_infers_shapes_without_computing():
    x = Input(shape=(10,))
    layer = Dense(4)
    y = layer(x)
    assert y.shape == (None, 4)
    assert layer.kernel.shape == (10, 4)
    assert layer.input is x and layer.output is y
    assert layer.input_shape == (None, 10) and layer.output_shape == (None, 4)


def test_weight_names_shapes_and_counts_match_keras():
    model = mlp()
    assert [w.name for w in model.layers[1].weights] == ["dense/kernel", "dense/bias"]
    assert [layer.count_params() for layer in model.layers] == [0, 110, 220, 210, 11]
    assert model.count_params() == 551


def test_functional_model_runs_eagerly_on_arrays_and_tensors():
    model = mlp()
    x = np.random.default_rng(0).normal(size=(5, 10)).astype("float32")
    y_array = model(x).numpy()
    y_tensor = model(Tensor(x)).numpy()
    assert y_array.shape == (5, 1)
    np.testing.assert_array_equal(y_array, y_tensor)
    np.testing.assert_allclose(model.predict(x), y_array, rtol=1e-6)


def test_input_spec_error_is_worded_as_keras():
    inputs = Input(shape=(10,))
    dense = Dense(3, name="dense_2")
    dense(inputs)
    with pytest.raises(ValueError) as error:
        dense(Input(shape=(12,)))
    assert str(error.value) == (
        'Input 0 of layer "dense_2" is incompatible with the layer: expected axis -1 of input '
        "shape to have value 10, but received input with shape (None, 12)")


def test_multiple_inputs_outputs_and_a_shared_layer():
    from minikeras.layers.merge import concatenate
    left, right = Input(shape=(4,), name="left"), Input(shape=(4,), name="right")
    shared = Dense(3, name="shared")
    merged = concatenate([shared(left), shared(right)])
    out_a = Dense(1, name="a")(merged)
    out_b = Dense(2, name="b")(merged)
    model = Model([left, right], [out_a, out_b])
    assert len(shared._inbound_nodes) == 2
    assert [layer.name for layer in model.layers][:3] == ["left", "right", "shared"]
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    result_a, result_b = model.predict([a, b])
    assert result_a.shape == (2, 1) and result_b.shape == (2, 2)
    by_name = model.predict({"left": a, "right": b})
    np.testing.assert_allclose(by_name[0], result_a, rtol=1e-6)
    kernel, bias = shared.get_weights()
    expected_hidden = np.concatenate([a @ kernel + bias, b @ kernel + bias], axis=1)
    kernel_a, bias_a = model.get_layer("a").get_weights()
    np.testing.assert_allclose(result_a, expected_hidden @ kernel_a + bias_a, rtol=1e-5)


def test_feature_extractor_shares_weights():
    inputs = Input(shape=(6,))
    hidden = Dense(5, name="hidden")(inputs)
    outputs = Dense(1)(hidden)
    model = Model(inputs, outputs)
    extractor = Model(model.inputs, model.get_layer("hidden").output)
    x = np.ones((2, 6), dtype="float32")
    kernel, bias = model.get_layer("hidden").get_weights()
    np.testing.assert_allclose(extractor.predict(x), x @ kernel + bias, rtol=1e-6)
    model.get_layer("hidden").set_weights([kernel * 2, bias])
    np.testing.assert_allclose(extractor.predict(x), x @ (kernel * 2) + bias, rtol=1e-6)


def test_a_model_used_as_a_layer_inside_another():
    inner = mlp(name="inner")
    inputs = Input(shape=(10,))
    outer = Model(inputs, Dense(2)(inner(inputs)))
    x = np.random.default_rng(2).normal(size=(3, 10))
    np.testing.assert_allclose(outer.predict(x),
                               outer.layers[-1](inner.predict(x)).numpy(), rtol=1e-5)
    assert outer.count_params() == 551 + 4


def test_disconnected_graph_is_a_clear_error():
    a, b = Input(shape=(3,)), Input(shape=(3,))
    from minikeras.layers.merge import add
    out = Dense(1)(add([a, b]))
    with pytest.raises(ValueError, match="Graph disconnected: cannot obtain value for tensor"):
        Model(a, out)


def test_wrong_number_of_inputs_is_a_clear_error():
    model = mlp()
    with pytest.raises(ValueError, match="expects 1 input"):
        model([np.zeros((1, 10)), np.zeros((1, 10))])


def test_get_layer_by_name_and_index():
    model = mlp()
    assert model.get_layer(index=1) is model.layers[1]
    assert model.get_layer("dense_1") is model.layers[2]
    with pytest.raises(ValueError, match="No such layer: nope"):
        model.get_layer("nope")


def test_set_weights_checks_count_and_shapes_naming_the_weight():
    layer = Dense(2)
    layer.build((None, 3))
    with pytest.raises(ValueError, match='expects 2 weight'):
        layer.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r'"dense/kernel" has shape \(3, 2\).*\(2, 3\)'):
        layer.set_weights([np.zeros((2, 3)), np.zeros(2)])
    np.testing.assert_array_equal(layer.get_weights()[1], np.zeros(2))


def test_sequential_built_from_input_shape_from_input_or_deferred():
    with_shape = Sequential([Dense(4, input_shape=(3,)), Dense(1)])
    assert with_shape.built and with_shape.output_shape == (None, 1)
    with_input = Sequential()
    with_input.add(Input(shape=(3,)))
    with_input.add(Dense(4))
    assert with_input.output_shape == (None, 4)
    deferred = Sequential([Dense(4), Dense(2)])
    assert not deferred.built
    out = deferred.predict(np.ones((2, 5)))
    assert out.shape == (2, 2) and deferred.built
    assert deferred.layers[0].kernel.shape == (5, 4)


def test_sequential_pop_and_layers():
    model = Sequential([Dense(4, input_dim=3), Dense(2), Dense(1)])
    assert len(model.layers) == 3
    model.pop()
    assert len(model.layers) == 2 and model.output_shape == (None, 2)
    with pytest.raises(TypeError, match="instance of class Layer"):
        model.add("dense")


def test_summary_prints_keras_table():
    lines = []
    model = Sequential([Dense(32, input_shape=(16,), name="d1"), Dense(1, name="d2")],
                       name="seq")
    model.summary(print_fn=lines.append)
    assert lines[0] == 'Model: "seq"'
    assert lines[2].startswith("Layer (type)") and "Output Shape" in lines[2]
    assert lines[4].startswith("d1 (Dense)") and "(None, 32)" in lines[4] and "544" in lines[4]
    assert "Total params: 577" in lines and "Trainable params: 577" in lines
    assert "Non-trainable params: 0" in lines
    assert all(len(line) <= 65 for line in lines)


def test_summary_of_a_graph_has_connected_to():
    from minikeras.layers.merge import add
    a, b = Input(shape=(3,), name="a"), Input(shape=(3,), name="b")
    model = Model([a, b], Dense(1, name="out")(add([a, b], name="sum")))
    lines = []
    model.summary(print_fn=lines.append)
    assert "Connected to" in lines[2]
    text = "\n".join(lines)
    assert "a[0][0]" in text and "b[0][0]" in text and "sum[0][0]" in text


def test_config_and_json_round_trip_gives_the_same_model():
    model = mlp(name="round")
    clone = model_from_json(model.to_json())
    assert [type(x).__name__ for x in clone.layers] == [type(x).__name__ for x in model.layers]
    assert [x.name for x in clone.layers] == [x.name for x in model.layers]
    clone.set_weights(model.get_weights())
    x = np.random.default_rng(3).normal(size=(4, 10))
    np.testing.assert_allclose(clone.predict(x), model.predict(x), rtol=1e-6)
    sequential = Sequential([Dense(3, input_shape=(2,)), Dense(1)])
    copy = model_from_json(sequential.to_json())
    assert isinstance(copy, Sequential) and copy.output_shape == (None, 1)


def test_custom_layer_needs_custom_objects():
    class Double(Layer):
        def call(self, inputs):
            return inputs * 2.0

    inputs = Input(shape=(2,))
    model = Model(inputs, Double(name="double")(inputs))
    with pytest.raises(ValueError, match="Unknown layer class 'Double'|custom_objects"):
        model_from_json(model.to_json().replace('"Double"', '"NotAClass"'))
    clone = model_from_json(model.to_json(), custom_objects={"Double": Double})
    np.testing.assert_allclose(clone.predict(np.ones((1, 2))), [[2.0, 2.0]])


def test_subclassed_model_tracks_its_layers():
    class TwoLayers(Model):
        def __init__(self):
            super().__init__()
            self.hidden = Dense(4, activation="relu")
            self.out = Dense(1)

        def call(self, inputs, training=None):
            return self.out(self.hidden(inputs))

    model = TwoLayers()
    assert model.predict(np.ones((3, 2))).shape == (3, 1)
    assert len(model.trainable_weights) == 4


def test_building_is_guarded_when_threads_call_an_unbuilt_layer():
    layer = Dense(3)
    barrier = threading.Barrier(4)
    kernels = []

    def call():
        barrier.wait()
        layer(np.ones((1, 2), dtype="float32"))
        kernels.append(layer.kernel)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(layer.weights) == 2
    assert all(kernel is kernels[0] for kernel in kernels)


def test_frozen_layer_weights_are_not_trainable():
    model = mlp()
    model.layers[1].trainable = False
    assert len(model.trainable_weights) == 6 and len(model.non_trainable_weights) == 2


def test_float64_models_when_floatx_is_float64():
    backend.set_floatx("float64")
    layer = Dense(2)
    out = layer(np.ones((1, 3)))
    assert layer.kernel.dtype == np.float64 and out.dtype == np.float64
