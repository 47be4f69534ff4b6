"""Tests of `minikeras.utils.generic_utils`: serializing objects and reading them back.

The forms are the ones Keras 2 and Keras 3 write in model files: a plain name for a
function, `{"class_name": ..., "config": ...}` for an object, and Keras 3's
`{"class_name": "function", "config": name}` and `registered_name`.
"""
import pytest

from minikeras import activations, initializers, losses
from minikeras.utils import (
    CustomObjectScope, custom_object_scope, deserialize_keras_object, get_custom_objects,
    serialize_keras_object,
)
from minikeras.utils.generic_utils import unknown_name_message


def my_activation(x):
    """A user activation, known only through custom objects."""
    return x


class Scaled:
    """A user class with a config, known only through custom objects."""

    def __init__(self, factor=1.0):
        self.factor = factor

    def get_config(self):
        return {"factor": self.factor}


def make_pair(first=0, second=0):
    """A user function deserialized from a config by calling it with the config."""
    return (first, second)


TABLE = {"linear": activations.linear, "Scaled": Scaled, "make_pair": make_pair}


def test_serialize_writes_names_for_functions_and_configs_for_objects():
    assert serialize_keras_object(None) is None
    assert serialize_keras_object(activations.relu) == "relu"
    assert serialize_keras_object(Scaled) == "Scaled"  # a class: its name, not a config
    assert serialize_keras_object(Scaled(2.5)) == {"class_name": "Scaled",
                                                   "config": {"factor": 2.5}}


def test_serialize_refuses_an_object_with_neither_config_nor_name():
    with pytest.raises(ValueError, match="no get_config\\(\\) method and no __name__"):
        serialize_keras_object(3)


def test_a_string_names_a_function_or_a_class_built_with_no_arguments():
    assert deserialize_keras_object("linear", TABLE) is activations.linear
    built = deserialize_keras_object("Scaled", TABLE)
    assert isinstance(built, Scaled) and built.factor == 1.0


def test_a_config_dict_builds_the_class_or_calls_the_function():
    scaled = deserialize_keras_object({"class_name": "Scaled", "config": {"factor": 3}}, TABLE)
    assert isinstance(scaled, Scaled) and scaled.factor == 3
    assert deserialize_keras_object({"class_name": "make_pair",
                                     "config": {"first": 1, "second": 2}}, TABLE) == (1, 2)
    assert deserialize_keras_object({"class_name": "make_pair", "config": None}, TABLE) == (0, 0)


def test_keras_3_forms_are_read():
    assert deserialize_keras_object({"module": "builtins", "class_name": "function",
                                     "config": "linear", "registered_name": "function"},
                                    TABLE) is activations.linear
    found = deserialize_keras_object({"module": "x", "class_name": "Renamed",
                                      "config": {"factor": 4},
                                      "registered_name": "Scaled"}, TABLE)
    assert isinstance(found, Scaled) and found.factor == 4


def test_a_config_without_class_name_or_of_another_type_is_refused():
    with pytest.raises(ValueError, match="needs a 'class_name' key"):
        deserialize_keras_object({"config": {}}, TABLE, printable_module_name="loss")
    with pytest.raises(ValueError, match="Could not interpret loss identifier: 3"):
        deserialize_keras_object(3, TABLE, printable_module_name="loss")


def test_an_unknown_name_suggests_a_close_one_and_lists_the_known():
    message = unknown_name_message("lineer", TABLE, "activation function")
    assert "Unknown activation function: 'lineer'." in message
    assert "Did you mean 'linear'?" in message
    assert "Known: Scaled, linear, make_pair." in message
    assert "Did you mean" not in unknown_name_message("zzzzzz", TABLE, "thing")
    with pytest.raises(ValueError, match="custom_objects"):
        deserialize_keras_object("my_activation", TABLE)


def test_custom_objects_are_looked_up_after_the_module():
    found = deserialize_keras_object("my_activation", TABLE,
                                     custom_objects={"my_activation": my_activation})
    assert found is my_activation
    # The module's own name wins over a custom object of the same name.
    assert deserialize_keras_object("linear", TABLE,
                                    custom_objects={"linear": my_activation}) is \
        activations.linear


def test_custom_object_scope_registers_for_every_get_and_restores_on_exit():
    with pytest.raises(ValueError):
        activations.get("my_activation")
    with custom_object_scope({"my_activation": my_activation}) as scope:
        assert isinstance(scope, CustomObjectScope)
        assert activations.get("my_activation") is my_activation
        assert get_custom_objects()["my_activation"] is my_activation
    assert "my_activation" not in get_custom_objects()
    with pytest.raises(ValueError):
        activations.get("my_activation")


def test_custom_object_scope_restores_even_after_an_error():
    with pytest.raises(RuntimeError):
        with CustomObjectScope({"a": my_activation}, {"b": make_pair}):
            assert get_custom_objects()["b"] is make_pair
            raise RuntimeError("inside")
    assert "a" not in get_custom_objects() and "b" not in get_custom_objects()


def test_global_custom_objects_reach_losses_and_initializers():
    def my_loss(y_true, y_pred):
        return y_pred

    objects = get_custom_objects()
    objects["my_loss"] = my_loss
    try:
        assert losses.get("my_loss") is my_loss
    finally:
        del objects["my_loss"]
    with pytest.raises(ValueError, match="Unknown"):
        initializers.get("my_loss")
