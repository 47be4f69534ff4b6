"""Keras 2's `keras.models`: `Model`, `Sequential`, and building models from configs and files."""
import json

from minikeras.engine.input_layer import Input
from minikeras.engine.registry import layer_from_config
from minikeras.engine.sequential import Sequential
from minikeras.engine.training import Model


def model_from_config(config, custom_objects=None):
    """Creates a model (or layer) from `{"class_name": ..., "config": ...}`.

    # Arguments
        config: the dict, as `get_config` wrapped with the class name writes it.
        custom_objects: an optional dict of user layers and functions by name.

    # Returns
        A model.

    # Raises
        ValueError: if the config is malformed or names an unknown class.
    """
    if isinstance(config, list):
        raise ValueError("`model_from_config` expects a dict, not a list; use "
                         "Sequential.from_config(config) for Keras 2.0's list form.")
    return layer_from_config(config, custom_objects)


def model_from_json(json_string, custom_objects=None):
    """Creates a model from the JSON string `model.to_json()` wrote.

    # Arguments
        json_string: the JSON text.
        custom_objects: an optional dict of user layers and functions by name.

    # Returns
        A model.

    # Raises
        ValueError: if the text is not valid JSON or not a model config.
    """
    try:
        config = json.loads(json_string)
    except json.JSONDecodeError as error:
        raise ValueError(f"model_from_json: the text is not valid JSON ({error}).") from None
    return model_from_config(config, custom_objects)


def load_model(filepath, custom_objects=None, compile=True):
    """Loads a model saved with `model.save` (by minikeras, Keras 2 or Keras 3's `.h5`).

    # Arguments
        filepath: the HDF5 file's path.
        custom_objects: an optional dict of user layers and functions by name.
        compile: whether to compile the model with the saved training config and
            restore the optimizer's state.

    # Returns
        The model.
    """
    from minikeras.engine import saving
    return saving.load_model(filepath, custom_objects=custom_objects, compile=compile)


__all__ = ["Input", "Model", "Sequential", "load_model", "model_from_config",
           "model_from_json"]
