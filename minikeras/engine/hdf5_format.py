"""Reading and writing Keras's HDF5 weight layouts, and saving files without losing them.

Two layouts exist. Keras 2 (and Keras 3's legacy `.h5`) writes a group per layer, named
after the layer, with an attribute `weight_names` and one dataset per weight at that
name; the file (or its `model_weights` group) lists the layers in `layer_names`. Keras 3's
`.weights.h5` writes `layers/<key>/vars/<i>`, where `<key>` is the snake-case class name
with a per-class counter and `vars` carries the layer's real name in an attribute.
"""
import contextlib
import os

import numpy as np

from minikeras.engine import io_utils

# HDF5 cannot store an attribute larger than this in an object header.
HDF5_OBJECT_HEADER_LIMIT = 64512


def save_attribute(group, name, values):
    """Stores a list of strings as an attribute, split into `name0`, `name1`, ... when large.

    # Arguments
        group: an h5py group.
        name: the attribute's name.
        values: a list of `str`.
    """
    data = np.array([v.encode("utf8") for v in values], dtype=bytes) if values else \
        np.zeros((0,), dtype="S1")
    chunks = 1
    while data.nbytes / chunks >= HDF5_OBJECT_HEADER_LIMIT and chunks < len(data):
        chunks += 1
    if chunks == 1:
        group.attrs[name] = data
        return
    for index, chunk in enumerate(np.array_split(data, chunks)):
        group.attrs[f"{name}{index}"] = chunk


def load_attribute(group, name):
    """Reads a list of strings stored by `save_attribute` (split or not, bytes or str).

    # Arguments
        group: an h5py group.
        name: the attribute's name.

    # Returns
        A list of `str` (empty when the attribute is an empty array, as Keras 3 writes it).
    """
    if name in group.attrs:
        chunks = [group.attrs[name]]
    else:
        chunks, index = [], 0
        while f"{name}{index}" in group.attrs:
            chunks.append(group.attrs[f"{name}{index}"])
            index += 1
    values = []
    for chunk in chunks:
        for value in np.atleast_1d(chunk):
            if isinstance(value, bytes):
                values.append(value.decode("utf8"))
            elif isinstance(value, str):
                values.append(value)
    return values


def has_attribute(group, name):
    """Tells whether an attribute (or its split form `name0`) exists.

    # Arguments
        group: an h5py group.
        name: the attribute's name.

    # Returns
        A bool.
    """
    return name in group.attrs or f"{name}0" in group.attrs


@contextlib.contextmanager
def atomic_h5_file(filepath, overwrite=True):
    """Opens a temporary HDF5 file beside `filepath` and renames it into place on success.

    If the process dies or an error is raised while writing, the previous file at
    `filepath` is untouched and the temporary file is removed.

    # Arguments
        filepath: where the file should end up.
        overwrite: if False and the file exists, raise instead of replacing it.

    # Yields
        An `h5py.File` open for writing.

    # Raises
        FileExistsError: if the file exists and `overwrite` is False.
        OSError: if the folder does not exist or is not writable.
    """
    import h5py
    filepath = os.fspath(filepath)
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath} already exists and overwrite=False.")
    folder = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(folder):
        raise OSError(f"Cannot save to {filepath}: the folder {folder} does not exist.")
    with io_utils.write_atomically(filepath) as temporary:
        with h5py.File(temporary, "w") as file:
            yield file


def open_h5_for_reading(filepath):
    """Opens an HDF5 file, turning h5py's errors into clear ones.

    # Arguments
        filepath: the file's path.

    # Returns
        An `h5py.File` open for reading.

    # Raises
        OSError: if the file is missing, not HDF5, or unreadable (for example truncated).
    """
    import h5py
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise OSError(f"No file or directory found at {filepath}")
    if os.path.isdir(filepath):
        raise OSError(f"{filepath} is a directory, not an HDF5 file.")
    try:
        is_hdf5 = h5py.is_hdf5(filepath)
    except OSError:
        is_hdf5 = False
    if not is_hdf5:
        raise OSError(f"{filepath} is not an HDF5 file (it may be of another format, or "
                      "truncated).")
    try:
        return h5py.File(filepath, "r")
    except OSError as error:
        raise OSError(f"Cannot read the HDF5 file {filepath}: {error}") from None


def write_layer_weights(group, layers):
    """Writes layers' weights in Keras 2's layout into a group.

    # Arguments
        group: an h5py file or group.
        layers: the layers, in order (layers without weights are listed too, as Keras does).
    """
    save_attribute(group, "layer_names", [layer.name for layer in layers])
    for layer in layers:
        layer_group = group.create_group(layer.name)
        names = [keras2_weight_name(variable.name) for variable in layer.weights]
        save_attribute(layer_group, "weight_names", names)
        for name, variable in zip(names, layer.weights):
            layer_group.create_dataset(name, data=np.asarray(variable.numpy()))


def keras2_weight_name(name):
    """Adds Keras 2's `:0` suffix to a variable name (`dense/kernel` -> `dense/kernel:0`).

    # Arguments
        name: the variable's name.

    # Returns
        The name as Keras 2 stores it.
    """
    return name if name.endswith(":0") else f"{name}:0"


def read_layer_weights(group, filepath):
    """Reads Keras 2's layout: the layers of the file, with their weights, in order.

    # Arguments
        group: the file or its `model_weights` group.
        filepath: the file's path, for messages.

    # Returns
        A list of `(layer name, [(weight name, array), ...])`.

    # Raises
        ValueError: if a listed layer or weight is missing from the file.
    """
    entries = []
    for layer_name in load_attribute(group, "layer_names"):
        if layer_name not in group:
            raise ValueError(f"{filepath}: the file lists layer {layer_name!r} in layer_names, "
                             "but has no group for it.")
        layer_group = group[layer_name]
        weights = []
        for weight_name in load_attribute(layer_group, "weight_names"):
            if weight_name not in layer_group:
                raise ValueError(f"{filepath}: layer {layer_name!r} lists weight "
                                 f"{weight_name!r}, but the file has no dataset for it.")
            weights.append((weight_name, np.asarray(layer_group[weight_name])))
        entries.append((layer_name, weights))
    return entries


def keras3_layer_keys(layers):
    """Gives each layer Keras 3's `.weights.h5` key.

    The key is the layer's snake-case class name with a per-class counter, in layer
    order (`dense`, `dense_1`, ...).

    # Arguments
        layers: the model's layers, input layers included.

    # Returns
        A list of keys, one per layer.
    """
    from minikeras.engine.naming import snake_case
    counts, keys = {}, []
    for layer in layers:
        base = snake_case(type(layer).__name__)
        count = counts.get(base, 0)
        counts[base] = count + 1
        keys.append(base if count == 0 else f"{base}_{count}")
    return keys


def write_keras3_weights(file, model):
    """Writes Keras 3's `.weights.h5` layout.

    # Arguments
        file: an h5py file open for writing.
        model: the model.
    """
    layers_group = file.create_group("layers")
    for key, layer in zip(keras3_layer_keys(_layers_with_inputs(model)),
                          _layers_with_inputs(model)):
        variables = layers_group.create_group(key).create_group("vars")
        variables.attrs["name"] = layer.name
        for index, variable in enumerate(layer.weights):
            variables.create_dataset(str(index), data=np.asarray(variable.numpy()))
    file.create_group("vars").attrs["name"] = model.name


def read_keras3_weights(file, filepath):
    """Reads Keras 3's `.weights.h5` layout.

    # Arguments
        file: an h5py file.
        filepath: the file's path, for messages.

    # Returns
        A dict from key to `(layer name, [arrays in order])`.

    # Raises
        ValueError: if the `layers` group is malformed.
    """
    entries = {}
    for key, group in file["layers"].items():
        if "vars" not in group:
            raise ValueError(f"{filepath}: group layers/{key} has no 'vars' group.")
        variables = group["vars"]
        name = variables.attrs.get("name", key)
        name = name.decode("utf8") if isinstance(name, bytes) else str(name)
        count = len([k for k in variables.keys() if k.isdigit()])
        entries[key] = (name, [np.asarray(variables[str(i)]) for i in range(count)])
    return entries


def _layers_with_inputs(model):
    """The model's layers with its input layer first, as Keras 3 counts them."""
    layers = list(model.layers)
    if getattr(model, "_is_graph_network", False):
        for tensor in reversed(model.inputs):
            input_layer = tensor._keras_history[0]
            if all(input_layer is not layer for layer in layers):
                layers.insert(0, input_layer)
    return layers
