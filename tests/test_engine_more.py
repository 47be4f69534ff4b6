"""More engine tests: Sequential's stack, InputLayer, InputSpec and `minikeras.models`.

Each test checks behaviour Keras 2 documents: the messages of a misused `Sequential`,
`pop`, lazy building from the first data, and the errors `InputSpec` raises.
"""
import numpy as np
import pytest

from minikeras.engine.input_spec import InputSpec, check_input_spec
from minikeras.engine.naming import reset_names
from minikeras.layers import Dense, Input, InputLayer, Layer
from minikeras.models import Sequential, model_from_config, model_from_json


@pytest.fixture(autouse=True)
def fresh_names():
    reset_names()
    yield


class TwoOutputs(Layer):
    """A layer with two outputs, which a Sequential model must refuse."""

    def call(self, inputs):
        return [inputs, inputs]

    def compute_output_shape(self, input_shape):
        return [input_shape, input_shape]


# ---- Sequential -------------------------------------------------------------------------

def test_sequential_refuses_what_is_not_a_layer():
    with pytest.raises(TypeError, match="must be an instance of class Layer"):
        Sequential().add("dense")


def test_sequential_refuses_two_layers_with_one_name():
    model = Sequential([Dense(2, input_shape=(3,), name="hidden")])
    with pytest.raises(ValueError, match='Name "hidden" is already the name'):
        model.add(Dense(2, name="hidden"))


def test_an_input_layer_is_only_accepted_first():
    model = Sequential([Dense(2, input_shape=(3,))])
    with pytest.raises(ValueError, match="InputLayer can only be the first layer"):
        model.add(InputLayer(input_shape=(3,)))


def test_an_input_tensor_first_builds_the_graph():
    model = Sequential()
    model.add(Input(shape=(4,)))
    model.add(Dense(3))
    assert model.built and model.output_shape == (None, 3)
    assert [type(layer).__name__ for layer in model.layers] == ["Dense"]


def test_a_layer_with_two_outputs_is_refused_and_not_kept():
    model = Sequential([Dense(2, input_shape=(3,))])
    with pytest.raises(ValueError, match="single output tensor"):
        model.add(TwoOutputs(name="split"))
    assert len(model.layers) == 1 and model.output_shape == (None, 2)


def test_a_layer_with_two_outputs_is_refused_when_the_graph_is_built_later():
    model = Sequential([TwoOutputs(name="split")])
    with pytest.raises(ValueError, match='layer "split" has 2'):
        model.build((None, 3))


def test_pop_removes_the_last_layer_and_rewires_the_output():
    model = Sequential([Dense(4, input_shape=(3,)), Dense(2)])
    model.pop()
    assert len(model.layers) == 1 and model.output_shape == (None, 4)
    assert model.predict(np.ones((5, 3), "float32"), verbose=0).shape == (5, 4)
    model.pop()
    assert model.layers == [] and not model.built
    with pytest.raises(TypeError, match="no layers"):
        model.pop()


def test_pop_of_an_unbuilt_stack():
    model = Sequential([Dense(4), Dense(2)])
    model.pop()
    assert len(model.layers) == 1 and not model.built


def test_build_needs_a_shape_and_is_idempotent():
    model = Sequential([Dense(2)])
    with pytest.raises(ValueError, match="input_shape"):
        model.build()
    model.build((None, 7))
    weights = model.layers[0].kernel
    model.build((None, 9))  # already built: nothing changes
    assert model.input_shape == (None, 7) and model.layers[0].kernel is weights


def test_calling_an_unbuilt_stack_on_data_builds_it():
    model = Sequential([Dense(3, kernel_initializer="ones", bias_initializer="zeros")])
    output = model(np.ones((2, 4), "float32"))
    assert model.input_shape == (None, 4)
    np.testing.assert_allclose(np.asarray(output.numpy() if hasattr(output, "numpy")
                                          else output), np.full((2, 3), 4.0))


def test_calling_an_unbuilt_stack_on_a_placeholder_builds_it():
    model = Sequential([Dense(3)])
    output = model(Input(shape=(6,)))
    assert model.input_shape == (None, 6) and output.shape == (None, 3)


def test_config_of_a_stack_built_later_starts_with_its_input_layer():
    model = Sequential([Dense(2)], name="later")
    model.build((None, 5))
    config = model.get_config()
    assert config["name"] == "later"
    assert [layer["class_name"] for layer in config["layers"]] == ["InputLayer", "Dense"]
    assert config["layers"][0]["config"]["batch_input_shape"] == [None, 5]
    clone = Sequential.from_config(config)
    assert clone.input_shape == (None, 5) and clone.output_shape == (None, 2)


def test_from_config_accepts_keras_2_0_list_and_build_input_shape():
    layers = [{"class_name": "Dense", "config": {"name": "d", "units": 3}}]
    assert not Sequential.from_config(layers).built
    model = Sequential.from_config({"layers": layers, "build_input_shape": [None, 4]})
    assert model.input_shape == (None, 4) and model.output_shape == (None, 3)


# ---- InputLayer and Input ---------------------------------------------------------------

def test_input_layer_needs_a_shape():
    with pytest.raises(ValueError, match="needs `input_shape`"):
        InputLayer()
    with pytest.raises(ValueError, match="needs a `shape`"):
        Input()


@pytest.mark.parametrize("flag", ["sparse", "ragged"])
def test_input_layer_refuses_sparse_and_ragged(flag):
    with pytest.raises(ValueError, match=f"{flag} inputs are not supported"):
        InputLayer(input_shape=(3,), **{flag: True})


def test_input_accepts_an_int_shape_and_keras_2_batch_input_shape():
    assert Input(shape=5).shape == (None, 5)
    assert Input(batch_input_shape=(4, 2)).shape == (4, 2)
    assert InputLayer(batch_shape=(None, 3))._batch_input_shape == (None, 3)


# ---- InputSpec --------------------------------------------------------------------------

def test_input_spec_repr_lists_what_is_set():
    text = repr(InputSpec(ndim=2, axes={-1: 4}))
    assert text.startswith("InputSpec(") and "ndim=2" in text and "axes={-1: 4}" in text
    assert "dtype" not in text
    assert InputSpec(shape=(None, 3)).ndim == 2


def test_input_spec_counts_inputs():
    layer = Dense(1, name="d")
    with pytest.raises(ValueError, match='"d" expects 2 input\\(s\\), but it received 1'):
        check_input_spec(layer, [InputSpec(), InputSpec()], [(None, 3)])
    check_input_spec(layer, None, [(None, 3)])
    check_input_spec(layer, [None], [(None, 3)])


@pytest.mark.parametrize("spec, shape, words", [
    (InputSpec(ndim=2), (None, 3, 4), "expected ndim=2, found ndim=3"),
    (InputSpec(max_ndim=2), (None, 3, 4), "expected max_ndim=2, found ndim=3"),
    (InputSpec(min_ndim=3), (None, 3), "expected min_ndim=3, found ndim=2"),
    (InputSpec(axes={-1: 4}), (None, 3), "expected axis -1 of input shape to have value 4"),
    (InputSpec(shape=(None, 4)), (None, 3), r"expected shape=\(None, 4\), found shape"),
])
def test_input_spec_errors_say_what_was_expected_and_received(spec, shape, words):
    with pytest.raises(ValueError, match=words) as error:
        check_input_spec(Dense(1, name="d"), spec, [shape])
    assert 'Input 0 of layer "d"' in str(error.value) and str(shape) in str(error.value)


def test_input_spec_accepts_unknown_lengths_and_axes_out_of_range():
    spec = InputSpec(shape=(None, 4), axes={-1: 4, 5: 2, 0: None})
    check_input_spec(Dense(1), spec, [(None, None)])
    check_input_spec(Dense(1), spec, [(7, 4)])


# ---- minikeras.models -------------------------------------------------------------------

def test_model_from_config_refuses_a_list():
    with pytest.raises(ValueError, match="expects a dict, not a list"):
        model_from_config([{"class_name": "Dense", "config": {"units": 1}}])


def test_model_from_json_refuses_text_that_is_not_json():
    with pytest.raises(ValueError, match="not valid JSON"):
        model_from_json("{not json")


def test_model_from_json_round_trips_a_sequential_model():
    model = Sequential([Dense(3, input_shape=(2,), activation="relu"), Dense(1)])
    clone = model_from_json(model.to_json())
    assert isinstance(clone, Sequential)
    assert [layer.get_config()["units"] for layer in clone.layers] == [3, 1]
    assert clone.layers[0].get_config()["activation"] == "relu"


def test_sequential_predict_classes_and_proba_as_keras_2():
    x = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 3.0]], dtype="float32")
    softmax = Sequential([Dense(3, input_shape=(2,), activation="softmax")])
    softmax.set_weights([np.array([[2.0, 0.0, 1.0], [0.0, 2.0, 1.5]]), np.zeros(3)])
    # Logits [2, 0, 1], [0, 2, 1.5] and [4, 6, 6.5]: classes 0, 1 and 2.
    np.testing.assert_array_equal(softmax.predict_classes(x), [0, 1, 2])
    np.testing.assert_allclose(softmax.predict_proba(x), softmax.predict(x))
    sigmoid = Sequential([Dense(1, input_shape=(2,), activation="sigmoid")])
    sigmoid.set_weights([np.array([[1.0], [-1.0]]), np.zeros(1)])
    classes = sigmoid.predict_classes(x)  # logits 1, -1 and -1
    assert classes.dtype == np.int32
    np.testing.assert_array_equal(classes, [[1], [0], [0]])
    linear = Sequential([Dense(1, input_shape=(2,))])
    linear.set_weights([np.array([[5.0], [5.0]]), np.zeros(1)])
    with pytest.warns(UserWarning, match="outside \\[0, 1\\]"):
        linear.predict_proba(x)
