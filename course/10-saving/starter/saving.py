"""Exercise 10: weights in Keras 2's HDF5 layout, loaded by name, skipping what does not fit.

`weight_file_name` and `read_weights` are given. Write `save_weights`, `mismatch` and
`load_weights`. Read the README's case study first: Keras 2 raised "Weights must be of
equal size to apply a reshape operation" before it ever looked at `skip_mismatch`.
Run the public tests with `minikeras course check 10-saving`.
"""
import os  # noqa: F401
import tempfile  # noqa: F401
import warnings  # noqa: F401

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
    # TODO: write into a temporary file beside filepath (tempfile.mkstemp(dir=...)), with
    # h5py: file.attrs["layer_names"] = np.array([...], dtype="S"); one group per layer
    # with attrs["weight_names"] and one dataset per weight (weight_file_name); then
    # os.replace the temporary file onto filepath, and never leave the temporary behind.
    raise NotImplementedError("TODO: write save_weights")


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
    # TODO: compare the number of weights, then each shape; say which layer, and what
    # was expected and found.
    raise NotImplementedError("TODO: write mismatch")


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
    # TODO: read the file (read_weights); pair the layers that have weights with the
    # saved ones, by name or by order; for each pair, ask mismatch() FIRST, then skip
    # (warnings.warn) or raise; assign the weights only once every pair is checked.
    raise NotImplementedError("TODO: write load_weights")
