"""More tests of functional models: `get_layer`, inputs by name, nested models, and
configs that are malformed or cannot be connected (with the messages Keras gives).
"""
import numpy as np
import pytest

from minikeras.engine.naming import reset_names
from minikeras.layers import Add, Dense, Input
from minikeras.models import Model, model_from_config


@pytest.fixture(autouse=True)
def fresh_names():
    reset_names()
    yield


def two_inputs():
    left, right = Input(shape=(2,), name="left"), Input(shape=(2,), name="right")
    total = Add(name="total")([left, right])
    return Model([left, right], [Dense(1, name="a", kernel_initializer="ones")(total),
                                 Dense(1, name="b", kernel_initializer="ones")(total)])


def test_get_layer_by_index_or_name_with_keras_messages():
    model = two_inputs()
    assert model.get_layer(index=-1).name == "b"
    assert model.get_layer("total").name == "total"
    with pytest.raises(ValueError, match="retrieve layer at index 9 but model .* only has 5 "
                                         "layers"):
        model.get_layer(index=9)
    with pytest.raises(ValueError, match="Provide either a layer name or a layer index"):
        model.get_layer()
    with pytest.raises(ValueError, match=r"No such layer: c. Existing layers are: \['left', "
                                         r"'right', 'total', 'a', 'b'\]"):
        model.get_layer("c")


def test_inputs_outputs_and_their_names_for_several_of_each():
    model = two_inputs()
    assert model.input_names == ["left", "right"] and model.output_names == ["a", "b"]
    assert isinstance(model.input, list) and len(model.output) == 2
    assert model.input_shape == [(None, 2), (None, 2)]
    assert model.output_shape == [(None, 1), (None, 1)]


def test_a_model_takes_its_inputs_by_name():
    model = two_inputs()
    x = {"right": np.full((3, 2), 2.0, "float32"), "left": np.ones((3, 2), "float32")}
    first, second = model.predict(x, verbose=0)
    np.testing.assert_allclose(first, np.full((3, 1), 6.0))
    np.testing.assert_allclose(second, first)


def test_a_model_called_with_the_wrong_number_of_inputs_says_so():
    with pytest.raises(ValueError, match='expects 2 input\\(s\\), but it received 1'):
        two_inputs()(np.ones((1, 2), "float32"))


def test_model_inputs_and_outputs_must_be_symbolic():
    inputs = Input(shape=(2,))
    with pytest.raises(ValueError, match="Model outputs must be symbolic tensors"):
        Model(inputs, np.ones(2))


def test_a_model_given_inputs_as_a_dict_lists_them_in_order():
    a, b = Input(shape=(1,), name="a"), Input(shape=(1,), name="b")
    model = Model({"a": a, "b": b}, Add()([a, b]))
    assert model.input_names == ["a", "b"]
    np.testing.assert_allclose(model.predict([np.ones((2, 1)), np.ones((2, 1))], verbose=0),
                               np.full((2, 1), 2.0))


def test_a_model_with_a_list_of_one_output_called_symbolically_gives_a_list():
    inputs = Input(shape=(2,))
    inner = Model(inputs, [Dense(3)(inputs)])
    outer_inputs = Input(shape=(2,))
    outputs = inner(outer_inputs)
    assert isinstance(outputs, list) and outputs[0].shape == (None, 3)
    outer = Model(outer_inputs, outputs)
    assert outer.predict(np.ones((4, 2)), verbose=0).shape == (4, 3)


def test_a_nested_model_round_trips_through_its_config():
    inputs = Input(shape=(2,))
    inner = Model(inputs, Dense(3, name="inner_dense")(inputs), name="inner")
    outer_inputs = Input(shape=(2,))
    outer = Model(outer_inputs, Dense(1, name="head")(inner(outer_inputs)), name="outer")
    clone = Model.from_config(outer.get_config())
    assert [layer.name for layer in clone.layers] == [layer.name for layer in outer.layers]
    clone.set_weights(outer.get_weights())
    x = np.random.default_rng(0).normal(size=(5, 2)).astype("float32")
    np.testing.assert_allclose(clone.predict(x, verbose=0), outer.predict(x, verbose=0),
                               rtol=1e-6)


def test_a_config_without_its_entries_is_refused():
    config = two_inputs().get_config()
    del config["output_layers"]
    with pytest.raises(ValueError, match="no 'output_layers' entry"):
        Model.from_config(config)


def test_a_config_whose_layers_wait_for_missing_inputs_is_refused():
    config = two_inputs().get_config()
    config["layers"] = [layer for layer in config["layers"] if layer["name"] != "right"]
    with pytest.raises(ValueError, match=r"cannot be connected: layers \['a', 'b', 'total'\] "
                                         "wait for inputs"):
        Model.from_config(config)


def test_a_config_naming_an_unknown_endpoint_is_refused():
    config = two_inputs().get_config()
    config["output_layers"] = [["nowhere", 0, 0]]
    with pytest.raises(ValueError, match="unknown endpoint"):
        Model.from_config(config)


def test_keras_3_node_form_is_read():
    keras3 = {"class_name": "Functional", "config": {
        "name": "k3",
        "layers": [
            {"class_name": "InputLayer", "name": "x",
             "config": {"batch_shape": [None, 2], "dtype": "float32", "name": "x"},
             "inbound_nodes": []},
            {"class_name": "Dense", "name": "d",
             "config": {"name": "d", "units": 1, "kernel_initializer": "ones"},
             "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {
                 "shape": [None, 2], "dtype": "float32", "keras_history": ["x", 0, 0]}}],
                 "kwargs": {}}]},
        ],
        "input_layers": [["x", 0, 0]], "output_layers": [["d", 0, 0]]}}
    model = model_from_config(keras3)
    assert model.name == "k3" and model.output_shape == (None, 1)
    np.testing.assert_allclose(model.predict(np.ones((1, 2)), verbose=0), [[2.0]])
