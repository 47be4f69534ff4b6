"""Saving and loading models and weights in Keras's HDF5 formats.

Every save writes a temporary file and renames it into place, so a crash never leaves a
half-written file where a good one was. Every load is planned in full before any weight
changes: if anything does not fit, the model keeps all its values.
"""
import json
import os
import warnings

import numpy as np

from minikeras.engine import hdf5_format as h5

KERAS_VERSION = "2.3.1"  # the file format minikeras writes is Keras 2.3's
BACKEND_NAME = "minikeras"


def save_weights(model, filepath, overwrite=True):
    """Writes a model's weights (see `Model.save_weights`).

    # Arguments
        model: the model.
        filepath: the file's path; `.weights.h5` selects Keras 3's layout.
        overwrite: whether to replace an existing file.
    """
    with h5.atomic_h5_file(filepath, overwrite) as file:
        if os.fspath(filepath).endswith(".weights.h5"):
            h5.write_keras3_weights(file, model)
            return
        file.attrs["backend"] = BACKEND_NAME.encode("utf8")
        file.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
        h5.write_layer_weights(file, model.layers)


def load_weights(model, filepath, by_name=False, skip_mismatch=False, reshape=False):
    """Loads weights into a model (see `Model.load_weights`).

    # Arguments
        model: the model.
        filepath: the file's path.
        by_name: match layers by name instead of by order.
        skip_mismatch: with `by_name`, skip what does not fit, with a warning.
        reshape: reshape weights of equal size but different shape.

    # Raises
        OSError: if the file cannot be read.
        ValueError: if the weights do not fit the model (nothing is changed then).
    """
    if skip_mismatch and not by_name:
        raise ValueError("When calling model.load_weights, skip_mismatch can only be set to "
                         "True when by_name is True.")
    with h5.open_h5_for_reading(filepath) as file:
        assignments = plan_weight_loading(model, file, os.fspath(filepath), by_name,
                                          skip_mismatch, reshape)
    apply_assignments(assignments)


def plan_weight_loading(model, file, filepath, by_name, skip_mismatch, reshape):
    """Works out which array goes into which variable, checking everything first.

    # Arguments
        model: the model.
        file: the open HDF5 file.
        filepath: its path, for messages.
        by_name: match by layer name.
        skip_mismatch: skip what does not fit, with warnings.
        reshape: reshape arrays of equal size.

    # Returns
        A list of `(variable, array)`.

    # Raises
        ValueError: when the file's layout or weights do not fit the model.
    """
    if "layers" in file and not h5.has_attribute(file, "layer_names"):
        return _plan_keras3(model, file, filepath, by_name, skip_mismatch, reshape)
    group = file["model_weights"] if "model_weights" in file else file
    if not h5.has_attribute(group, "layer_names"):
        raise ValueError(f"{filepath} holds no Keras weights: it has neither a 'layer_names' "
                         f"attribute nor a 'layers' group (top-level keys: {list(file.keys())}).")
    entries = h5.read_layer_weights(group, filepath)
    return _plan(model, entries, filepath, by_name, skip_mismatch, reshape)


def _plan(model, entries, filepath, by_name, skip_mismatch, reshape):
    layers = [layer for layer in model.layers if layer.weights]
    saved = [(name, weights) for name, weights in entries if weights]
    assignments = []
    if by_name:
        saved_by_name = dict(saved)
        for layer in layers:
            if layer.name in saved_by_name:
                assignments += _match_layer(layer, [a for _, a in saved_by_name[layer.name]],
                                            filepath, skip_mismatch, reshape)
        return assignments
    if len(saved) != len(layers):
        raise ValueError(
            f"You are trying to load a weight file containing {len(saved)} layers into a model "
            f"with {len(layers)} layers. File layers with weights: {[n for n, _ in saved]}; "
            f"model layers with weights: {[layer.name for layer in layers]}. Use "
            "by_name=True to load only the layers whose names match."
        )
    for layer, (_, weights) in zip(layers, saved):
        assignments += _match_layer(layer, [a for _, a in weights], filepath, False, reshape)
    return assignments


def _plan_keras3(model, file, filepath, by_name, skip_mismatch, reshape):
    entries = h5.read_keras3_weights(file, filepath)
    layers = h5._layers_with_inputs(model)
    assignments = []
    if by_name:
        by_layer_name = {name: arrays for name, arrays in entries.values()}
        for layer in layers:
            if layer.weights and layer.name in by_layer_name:
                assignments += _match_layer(layer, by_layer_name[layer.name], filepath,
                                            skip_mismatch, reshape)
        return assignments
    for key, layer in zip(h5.keras3_layer_keys(layers), layers):
        if not layer.weights:
            continue
        if key not in entries:
            raise ValueError(f"{filepath} has no weights for layer {layer.name!r} (expected a "
                             f"group layers/{key}); groups found: {sorted(entries)}.")
        assignments += _match_layer(layer, entries[key][1], filepath, False, reshape)
    return assignments


def _match_layer(layer, arrays, filepath, skip_mismatch, reshape):
    """Pairs a layer's variables with saved arrays, checking count and shapes."""
    variables = layer.weights
    if len(arrays) != len(variables):
        message = (f'Layer "{layer.name}" expects {len(variables)} weight(s), but the saved '
                   f"weights in {filepath} have {len(arrays)} element(s).")
        if skip_mismatch:
            warnings.warn(f"Skipping loading of weights for layer {layer.name!r}: {message}",
                          stacklevel=4)
            return []
        raise ValueError(message)
    pairs = []
    for variable, array in zip(variables, arrays):
        if array.shape == variable.shape:
            pairs.append((variable, array))
        elif reshape and array.size == int(np.prod(variable.shape)):
            pairs.append((variable, array.reshape(variable.shape)))
        elif skip_mismatch:
            warnings.warn(
                f"Skipping loading of weight {variable.name!r} of layer {layer.name!r} due to "
                f"mismatch in shape: the model expects {variable.shape}, the file "
                f"{filepath} has {array.shape}.", stacklevel=4)
        else:
            raise ValueError(
                f'Layer "{layer.name}" weight "{variable.name}" has shape {variable.shape}, but '
                f"the saved weight in {filepath} has shape {array.shape}"
                + (" (and a different size, so reshape cannot apply)." if reshape else ".")
            )
    return pairs


def apply_assignments(assignments):
    """Writes planned values into variables (only after every check has passed).

    # Arguments
        assignments: a list of `(variable, array)`.
    """
    for variable, array in assignments:
        variable.assign(array)


# ---- whole models --------------------------------------------------------------------


def model_config(model):
    """Returns `{"class_name", "config"}` for a model, as Keras 2 writes `model_config`.

    # Arguments
        model: the model.

    # Returns
        A dict.
    """
    return {"class_name": type(model).__name__, "config": model.get_config()}


def training_config(model):
    """Returns the compile arguments and the optimizer's config, as Keras 2 saves them.

    # Arguments
        model: a compiled model.

    # Returns
        A dict with `optimizer_config`, `loss`, `metrics`, `weighted_metrics`,
        `sample_weight_mode`, `loss_weights`.
    """
    from minikeras import losses, metrics

    def serializable(value):
        if isinstance(value, dict):
            return {k: serializable(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [serializable(v) for v in value]
        if callable(value):
            try:
                return losses.serialize(value)
            except (ValueError, TypeError, AttributeError):
                return metrics.serialize(value)
        return value

    config = dict(model._compile_config)
    return {"optimizer_config": {"class_name": type(model.optimizer).__name__,
                                 "config": model.optimizer.get_config()},
            **{key: serializable(value) for key, value in config.items()}}


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    """Saves a whole model to Keras 2's HDF5 format (see `Model.save`).

    # Arguments
        model: the model.
        filepath: the file's path.
        overwrite: whether to replace an existing file.
        include_optimizer: whether to save the optimizer's config and state.
    """
    from minikeras.engine.training import _json_default
    with h5.atomic_h5_file(filepath, overwrite) as file:
        file.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
        file.attrs["backend"] = BACKEND_NAME.encode("utf8")
        file.attrs["model_config"] = json.dumps(model_config(model),
                                                default=_json_default).encode("utf8")
        weights_group = file.create_group("model_weights")
        weights_group.attrs["keras_version"] = KERAS_VERSION.encode("utf8")
        weights_group.attrs["backend"] = BACKEND_NAME.encode("utf8")
        h5.write_layer_weights(weights_group, model.layers)
        if include_optimizer and model.optimizer is not None:
            file.attrs["training_config"] = json.dumps(training_config(model),
                                                       default=_json_default).encode("utf8")
            optimizer_group = file.create_group("optimizer_weights")
            # Slots are made lazily; making them now gives a file whose state always fits.
            model.optimizer.build(model.trainable_weights)
            variables = model.optimizer.weights
            names = [h5.keras2_weight_name(v.name) for v in variables]
            h5.save_attribute(optimizer_group, "weight_names", names)
            for name, variable in zip(names, variables):
                optimizer_group.create_dataset(name, data=np.asarray(variable.numpy()))


def _read_json_attribute(file, name, filepath):
    value = file.attrs.get(name)
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf8")
    try:
        return json.loads(str(value))
    except json.JSONDecodeError as error:
        raise ValueError(f"{filepath}: the {name} attribute is not valid JSON ({error}).") from None


def load_model(filepath, custom_objects=None, compile=True):
    """Loads a model saved by `save_model` or by Keras (see `minikeras.models.load_model`).

    # Arguments
        filepath: the file's path.
        custom_objects: an optional dict of user layers and functions by name.
        compile: whether to compile it and restore the optimizer's state.

    # Returns
        The model.

    # Raises
        OSError: if the file cannot be read.
        ValueError: if it holds no model config, or the config or weights do not fit.
    """
    from minikeras.models import model_from_config
    filepath = os.fspath(filepath)
    with h5.open_h5_for_reading(filepath) as file:
        config = _read_json_attribute(file, "model_config", filepath)
        if config is None:
            raise ValueError(f"No model config found in the file at {filepath}: it holds only "
                             "weights? Build the model and use model.load_weights instead.")
        try:
            model = model_from_config(config, custom_objects)
        except ValueError as error:
            raise ValueError(f"Cannot rebuild the model saved in {filepath}: {error}") from None
        if "model_weights" not in file:
            raise ValueError(f"{filepath} has a model config but no 'model_weights' group.")
        assignments = plan_weight_loading(model, file, filepath, False, False, False)
        apply_assignments(assignments)
        training = _read_json_attribute(file, "training_config", filepath)
        if compile and training:
            _compile_from_config(model, training, custom_objects)
            _restore_optimizer_state(model, file, filepath)
    return model


def _compile_from_config(model, training, custom_objects):
    from minikeras import optimizers
    optimizer = optimizers.deserialize(training["optimizer_config"],
                                       custom_objects=custom_objects)

    def resolve(value):
        if isinstance(value, str) and custom_objects and value in custom_objects:
            return custom_objects[value]
        if isinstance(value, dict) and "class_name" in value and "config" in value:
            from minikeras import losses
            return losses.deserialize(value, custom_objects=custom_objects)
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return value

    model.compile(optimizer=optimizer, loss=resolve(training.get("loss")),
                  metrics=resolve(training.get("metrics")),
                  loss_weights=training.get("loss_weights"),
                  weighted_metrics=resolve(training.get("weighted_metrics")))


def _restore_optimizer_state(model, file, filepath):
    if "optimizer_weights" not in file:
        return
    group = file["optimizer_weights"]
    names = h5.load_attribute(group, "weight_names")
    values = [np.asarray(group[name]) for name in names]
    optimizer = model.optimizer
    optimizer.build(model.trainable_weights)
    expected = optimizer.weights
    if len(values) != len(expected) or any(
            v.shape != tuple(w.shape) for v, w in zip(values, expected)):
        warnings.warn(
            f"{filepath}: the saved optimizer state ({len(values)} arrays: {names[:4]}...) does "
            f"not fit this optimizer ({len(expected)} arrays); the optimizer starts afresh.",
            stacklevel=3)
        return
    optimizer.set_weights(values)
