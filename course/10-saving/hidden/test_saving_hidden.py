"""Hidden tests of exercise 10."""
import os
import tempfile
import warnings

import numpy as np

from minikeras import Sequential
from minikeras.grader.checks import points
from minikeras.layers import Dense, Dropout


def make_model(seed, head_units=3):
    """A small model with named layers, its weights drawn from `seed`."""
    model = Sequential([Dense(8, activation="relu", name="hidden"),
                        Dropout(0.1, name="dropout"), Dense(head_units, name="head")])
    model.build((None, 4))
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.weights])
    return model


def weights_file():
    return os.path.join(tempfile.mkdtemp(dir="."), "weights.h5")


@points(2)
def test_mismatch_raises_and_changes_nothing(student, check):
    """Without skip_mismatch, a head that does not fit raises ValueError; nothing is loaded."""
    source, path = make_model(0, head_units=3), weights_file()
    student.save_weights(source, path)
    target = make_model(1, head_units=5)
    before = target.get_weights()
    check.raises("load_weights with a mismatched head", ValueError, student.load_weights,
                 target, path, by_name=True)
    check.close("kernel of hidden (still the old one)", target.get_weights()[0], before[0])


@points(1)
def test_mismatch_message_names_the_layer(student, check):
    """The error says which layer does not fit."""
    source, path = make_model(0, head_units=3), weights_file()
    student.save_weights(source, path)
    try:
        student.load_weights(make_model(1, head_units=5), path, by_name=True)
        message = ""
    except ValueError as error:
        message = str(error)
    check.true("the message names the layer 'head'", "head" in message)


@points(1)
def test_skip_mismatch_needs_by_name(student, check):
    """skip_mismatch without by_name is refused, as Keras does."""
    source, path = make_model(0), weights_file()
    student.save_weights(source, path)
    check.raises("load_weights(skip_mismatch=True, by_name=False)", ValueError,
                 student.load_weights, make_model(1), path, skip_mismatch=True)


@points(1)
def test_by_order_with_other_layer_count_raises(student, check):
    """Loading by order into a model with another number of layers raises ValueError."""
    source, path = make_model(0), weights_file()
    student.save_weights(source, path)
    small = Sequential([Dense(8, name="hidden")])
    small.build((None, 4))
    check.raises("load_weights by order into a one-layer model", ValueError,
                 student.load_weights, small, path)


@points(1)
def test_skip_mismatch_warns(student, check):
    """Skipping a layer is not silent: a warning says so."""
    source, path = make_model(0, head_units=3), weights_file()
    student.save_weights(source, path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        student.load_weights(make_model(1, head_units=5), path, by_name=True,
                             skip_mismatch=True)
    check.true("a warning mentions the layer 'head'",
               any("head" in str(w.message) for w in caught))


@points(1)
def test_save_leaves_no_temporary_file(student, check):
    """Saving twice over the same file leaves exactly that one file in the folder."""
    path = weights_file()
    student.save_weights(make_model(0), path)
    student.save_weights(make_model(2), path)
    check.equal("files in the folder", sorted(os.listdir(os.path.dirname(path))),
                ["weights.h5"])
    target = make_model(1)
    target.load_weights(path)
    check.close("kernel of hidden (from the second save)", target.get_weights()[0],
                make_model(2).get_weights()[0])
