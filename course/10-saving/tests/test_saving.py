"""Public tests of exercise 10: run them with `minikeras course check 10-saving`."""
import os
import tempfile
import warnings

import numpy as np

from minikeras import Sequential
from minikeras.grader.checks import points
from minikeras.layers import Dense, Dropout


def make_model(seed, head_units=3, order=("hidden", "dropout", "head")):
    """A small model with named layers, its weights drawn from `seed`."""
    factories = {"hidden": lambda: Dense(8, activation="relu", name="hidden"),
                 "dropout": lambda: Dropout(0.1, name="dropout"),
                 "head": lambda: Dense(head_units, name="head")}
    model = Sequential([factories[name]() for name in order])
    model.build((None, 4) if order[0] == "hidden" else (None, 8))
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.weights])
    return model


def weights_file():
    return os.path.join(tempfile.mkdtemp(dir="."), "weights.h5")


@points(2)
def test_round_trip(student, check):
    """save_weights then load_weights (by order) restores every weight."""
    source, target, path = make_model(0), make_model(1), weights_file()
    student.save_weights(source, path)
    student.load_weights(target, path)
    for index, (got, expected) in enumerate(zip(target.get_weights(), source.get_weights())):
        check.close(f"weight {index}", got, expected)


@points(2)
def test_file_has_keras_layout(student, check):
    """The file is in Keras 2's layout: minikeras's own load_weights reads it."""
    import h5py
    source, target, path = make_model(0), make_model(1), weights_file()
    student.save_weights(source, path)
    with h5py.File(path, "r") as file:
        def strings(values):
            return [v.decode() if isinstance(v, bytes) else str(v) for v in values]

        layer_names = strings(file.attrs["layer_names"])
        weight_names = strings(file["hidden"].attrs["weight_names"])
    check.equal("layer_names", layer_names, ["hidden", "dropout", "head"])
    check.equal("weight_names of the layer 'hidden'", weight_names,
                ["hidden/kernel:0", "hidden/bias:0"])
    target.load_weights(path)
    for index, (got, expected) in enumerate(zip(target.get_weights(), source.get_weights())):
        check.close(f"weight {index} as minikeras loads it", got, expected)


@points(2)
def test_reads_files_written_by_minikeras(student, check):
    """load_weights reads a file written by minikeras's save_weights."""
    source, target, path = make_model(0), make_model(1), weights_file()
    source.save_weights(path)
    student.load_weights(target, path)
    for index, (got, expected) in enumerate(zip(target.get_weights(), source.get_weights())):
        check.close(f"weight {index}", got, expected)


@points(2)
def test_by_name_ignores_the_order(student, check):
    """by_name=True matches layers by name, whatever their order in the file."""
    source, path = make_model(0), weights_file()
    student.save_weights(source, path)
    head_only = Sequential([Dense(3, name="head")])
    head_only.build((None, 8))
    student.load_weights(head_only, path, by_name=True)
    check.close("kernel of head", head_only.get_weights()[0], source.get_weights()[2])


@points(3)
def test_skip_mismatch_skips_only_the_layer_that_does_not_fit(student, check):
    """The case study: a new head of 5 units is skipped; the hidden layer still loads."""
    source, path = make_model(0, head_units=3), weights_file()
    student.save_weights(source, path)
    target = make_model(1, head_units=5)
    original_head = target.get_weights()[2:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        skipped = student.load_weights(target, path, by_name=True, skip_mismatch=True)
    check.equal("the layers skipped", list(skipped), ["head"])
    check.close("kernel of hidden (loaded)", target.get_weights()[0], source.get_weights()[0])
    check.close("kernel of head (unchanged)", target.get_weights()[2], original_head[0])
