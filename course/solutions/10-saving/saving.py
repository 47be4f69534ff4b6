"""Exercise 10, reference solution: weights in Keras 2's HDF5 layout, loaded by name."""
import os
import tempfile
import warnings

import h5py
import numpy as np


def weight_file_name(variable):
    """The name Keras 2 gives a weight in the file: the variable's name plus `:0`.

    # Arguments
        variable: a minikeras `Variable`, such as the kernel named `dense/kernel`.

    # Returns
        A string such as `"dense/kernel:0"`.
    """
    return variable.name if variable.name.endswith(":0") else f"{variable.name}:0"


def save_weights(model, filepath):
    """Writes a model's weights in Keras 2's layout, replacing the file only when complete.

    The file's attribute `layer_names` lists every layer; each layer has a group of its
    name whose attribute `weight_names` lists its weights, each stored as a dataset of
    that name. The file is written under a temporary name and renamed into place.

    # Arguments
        model: a built minikeras model.
        filepath: where to write.
    """
    folder = os.path.dirname(os.path.abspath(filepath))
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(handle)
    try:
        with h5py.File(temporary, "w") as file:
            file.attrs["layer_names"] = np.array([layer.name for layer in model.layers],
                                                 dtype="S")
            for layer in model.layers:
                group = file.create_group(layer.name)
                names = [weight_file_name(variable) for variable in layer.weights]
                group.attrs["weight_names"] = np.array(names, dtype="S")
                for name, variable in zip(names, layer.weights):
                    group.create_dataset(name, data=np.asarray(variable.numpy()))
        os.replace(temporary, filepath)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def read_weights(filepath):
    """Reads a Keras 2 weight file.

    # Arguments
        filepath: the file.

    # Returns
        A list of `(layer name, [arrays])`, in the file's order.
    """
    def strings(values):
        return [v.decode("utf8") if isinstance(v, bytes) else str(v) for v in values]

    saved = []
    with h5py.File(filepath, "r") as file:
        for layer_name in strings(file.attrs["layer_names"]):
            group = file[layer_name]
            names = strings(group.attrs["weight_names"])
            saved.append((layer_name, [np.asarray(group[name]) for name in names]))
    return saved


def mismatch(layer, arrays):
    """Says why saved arrays do not fit a layer, or returns `None` if they do.

    # Arguments
        layer: a minikeras layer.
        arrays: the saved arrays for it.

    # Returns
        A sentence, or `None`.
    """
    if len(arrays) != len(layer.weights):
        return (f'layer "{layer.name}" has {len(layer.weights)} weights, but the file has '
                f"{len(arrays)} for it")
    for variable, array in zip(layer.weights, arrays):
        if tuple(variable.shape) != array.shape:
            return (f'layer "{layer.name}": weight {variable.name} has shape '
                    f"{tuple(variable.shape)}, but the saved one has shape {array.shape}")
    return None


def load_weights(model, filepath, by_name=False, skip_mismatch=False):
    """Loads weights saved by `save_weights` (or by Keras 2) into a model.

    Everything is checked before anything is assigned: when an error is raised, the
    model keeps all its weights.

    # Arguments
        model: a built minikeras model.
        filepath: the file.
        by_name: match layers by name (layers missing from the file are left alone)
            instead of by order.
        skip_mismatch: with `by_name`, skip (with a warning) a layer whose weights do not
            fit, instead of raising.

    # Returns
        The names of the layers skipped, a list.

    # Raises
        ValueError: if `skip_mismatch` is set without `by_name`, if the number of layers
            differs (by order), or if a layer's weights do not fit (without `skip_mismatch`).
    """
    if skip_mismatch and not by_name:
        raise ValueError("skip_mismatch=True only makes sense with by_name=True.")
    saved = [(name, arrays) for name, arrays in read_weights(filepath) if arrays]
    layers = [layer for layer in model.layers if layer.weights]
    if by_name:
        saved_by_name = dict(saved)
        pairs = [(layer, saved_by_name[layer.name]) for layer in layers
                 if layer.name in saved_by_name]
    else:
        if len(saved) != len(layers):
            raise ValueError(f"The file has weights for {len(saved)} layers, the model has "
                             f"{len(layers)} layers with weights; use by_name=True.")
        pairs = [(layer, arrays) for layer, (_, arrays) in zip(layers, saved)]
    plan, skipped = [], []
    for layer, arrays in pairs:
        # First ask whether the weights fit; only then decide to skip or to raise.
        problem = mismatch(layer, arrays)
        if problem is not None:
            if skip_mismatch:
                warnings.warn(f"Skipping {problem}.", stacklevel=2)
                skipped.append(layer.name)
                continue
            raise ValueError(f"Cannot load {filepath}: {problem}.")
        plan += zip(layer.weights, arrays)
    for variable, array in plan:
        variable.assign(array)
    return skipped
