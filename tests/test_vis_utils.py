"""Tests of `minikeras.utils.vis_utils`: `plot_model` (drawn with Pillow) and `plot_history`."""
import os

import numpy as np
import pytest
from PIL import Image

from minikeras.engine.naming import reset_names
from minikeras.layers import Concatenate, Dense, Input
from minikeras.models import Model, Sequential
from minikeras.utils import plot_history, plot_model
from minikeras.utils.vis_utils import _graph, _layer_label, _levels


@pytest.fixture(autouse=True)
def fresh_names():
    reset_names()
    yield


def two_branch_model():
    inputs = Input(shape=(4,), name="features")
    left = Dense(3, name="left")(inputs)
    right = Dense(5, name="right")(inputs)
    merged = Concatenate(name="merged")([left, right])
    return Model(inputs, Dense(1, name="out")(merged))


def test_graph_of_a_functional_model_has_one_edge_per_connection():
    model = two_branch_model()
    layers, edges = _graph(model)
    names = {id(layer): layer.name for layer in layers}
    assert names[id(layers[0])] == "features"
    assert sorted((names[a], names[b]) for a, b in edges) == [
        ("features", "left"), ("features", "right"), ("left", "merged"), ("merged", "out"),
        ("right", "merged")]
    level = {names[key]: value for key, value in _levels(layers, edges).items()}
    assert level == {"features": 0, "left": 1, "right": 1, "merged": 2, "out": 3}


def test_graph_of_an_unbuilt_sequential_model_is_a_chain():
    model = Sequential([Dense(2, name="a"), Dense(2, name="b"), Dense(2, name="c")])
    layers, edges = _graph(model)
    assert [layer.name for layer in layers] == ["a", "b", "c"]
    assert edges == [(id(layers[0]), id(layers[1])), (id(layers[1]), id(layers[2]))]


def test_labels_name_the_layer_and_its_shapes():
    model = two_branch_model()
    layers, _ = _graph(model)
    assert _layer_label(layers[0], True, True) == [
        "features: InputLayer", "input: (None, 4)", "output: (None, 4)"]
    merged = model.get_layer("merged")
    assert _layer_label(merged, True, False) == [
        "Concatenate", "input: [(None, 3), (None, 5)]", "output: (None, 8)"]
    assert _layer_label(Dense(1, name="unused"), True, True) == [
        "unused: Dense", "input: multiple", "output: multiple"]


def test_plot_model_writes_a_png_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "model.png"
    image = plot_model(two_branch_model(), to_file=str(path), show_shapes=True)
    assert isinstance(image, Image.Image)
    assert sorted(os.listdir(tmp_path)) == ["model.png"]
    with Image.open(path) as saved:
        assert saved.format == "PNG" and saved.size == image.size
    # Four levels of boxes: taller than wide, and boxes drawn in a non-white colour.
    width, height = image.size
    assert height > width > 0
    pixels = np.asarray(image)
    assert (pixels != 255).any() and (pixels == 255).all(axis=-1).mean() > 0.3


def test_plot_model_stores_its_dpi_in_the_file(tmp_path):
    path = tmp_path / "model.png"
    plot_model(two_branch_model(), to_file=str(path), dpi=120)
    with Image.open(path) as saved:
        assert round(saved.info["dpi"][0]) == 120


def test_showing_shapes_makes_the_boxes_taller():
    model = two_branch_model()
    plain = plot_model(model, to_file=None)
    with_shapes = plot_model(model, to_file=None, show_shapes=True)
    assert with_shapes.size[1] > plain.size[1]


def test_plot_history_draws_each_metric_with_its_validation_curve(tmp_path):
    history = {"loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.5, 0.7, 0.9]}
    path = tmp_path / "history.png"
    figure = plot_history(history, to_file=str(path))
    assert [axis.get_title() for axis in figure.axes] == ["loss", "accuracy"]
    loss_axis, accuracy_axis = figure.axes
    assert [line.get_label() for line in loss_axis.get_lines()] == [
        "training loss", "validation loss"]
    np.testing.assert_allclose(loss_axis.get_lines()[1].get_ydata(), [1.1, 0.7, 0.6])
    np.testing.assert_allclose(loss_axis.get_lines()[0].get_xdata(), [1, 2, 3])
    assert len(accuracy_axis.get_lines()) == 1
    assert sorted(os.listdir(tmp_path)) == ["history.png"]
    with Image.open(path) as saved:
        assert saved.format == "PNG"


def test_plot_history_takes_a_history_object_and_chosen_metrics():
    class History:
        history = {"loss": [0.3, 0.2], "mae": [2.0, 1.0]}

    figure = plot_history(History(), metrics=["mae"])
    assert [axis.get_title() for axis in figure.axes] == ["mae"]
    np.testing.assert_allclose(figure.axes[0].get_lines()[0].get_ydata(), [2.0, 1.0])
