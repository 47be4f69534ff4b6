"""Tests of the merge layers and their functional forms."""
import numpy as np
import pytest

from minikeras import backend
from minikeras.autograd import check_gradients
from minikeras.engine.input_layer import Input
from minikeras.engine.training import Model
from minikeras.layers.merge import (
    Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, add, average,
    concatenate, dot, maximum, minimum, multiply, subtract,
)


def uniform(shape, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype("float32")


def merge_layer_test(layer_cls, kwargs, input_shapes, expected_output_shape=None):
    """`layer_test` for layers of several inputs: forward shape, symbolic call, config round
    trip and a float64 gradient check of every input."""
    arrays = [uniform(shape, seed) for seed, shape in enumerate(input_shapes)]
    layer = layer_cls(**kwargs)
    output = layer(arrays).numpy()
    symbolic_shapes = [(None,) + tuple(shape[1:]) for shape in input_shapes]
    computed = layer.compute_output_shape(symbolic_shapes)
    assert computed == (None,) + output.shape[1:], (computed, output.shape)
    if expected_output_shape is not None:
        assert computed == expected_output_shape
    clone = layer_cls.from_config(layer.get_config())
    symbolic = clone([Input(batch_shape=shape) for shape in symbolic_shapes])
    assert symbolic.shape == computed
    assert dict(clone.get_config(), name=None) == dict(layer.get_config(), name=None)
    backend.set_floatx("float64")  # restored by the conftest fixture
    layer64 = layer_cls(**kwargs)
    check_gradients(lambda *tensors: layer64(list(tensors)), arrays)
    return output


def assert_value_error(function, *words):
    with pytest.raises(ValueError) as info:
        function()
    for word in words:
        assert word in str(info.value), (word, str(info.value))


ELEMENTWISE = [
    (Add, lambda xs: xs[0] + xs[1] + xs[2]),
    (Multiply, lambda xs: xs[0] * xs[1] * xs[2]),
    (Average, lambda xs: (xs[0] + xs[1] + xs[2]) / 3),
    (Maximum, lambda xs: np.maximum(np.maximum(xs[0], xs[1]), xs[2])),
    (Minimum, lambda xs: np.minimum(np.minimum(xs[0], xs[1]), xs[2])),
]


@pytest.mark.parametrize("cls, formula", ELEMENTWISE)
def test_elementwise_merges(cls, formula):
    shapes = [(2, 3, 4)] * 3
    output = merge_layer_test(cls, {}, shapes, expected_output_shape=(None, 3, 4))
    expected = formula([uniform(shape, seed) for seed, shape in enumerate(shapes)])
    np.testing.assert_allclose(output, expected, rtol=1e-6)


def test_subtract():
    output = merge_layer_test(Subtract, {}, [(2, 5), (2, 5)])
    np.testing.assert_allclose(output, uniform((2, 5), 0) - uniform((2, 5), 1))
    assert_value_error(lambda: Subtract()([uniform((2, 3))] * 3),
                       "A `Subtract` layer should be called on exactly 2 inputs")


def test_merges_broadcast_lengths_of_one_and_missing_axes():
    output = merge_layer_test(Add, {}, [(2, 3, 4), (2, 1, 4)], expected_output_shape=(None, 3, 4))
    np.testing.assert_allclose(output, uniform((2, 3, 4), 0) + uniform((2, 1, 4), 1))
    # An input with fewer axes gets new axes after the batch axis, as in Keras 2.
    output = merge_layer_test(Multiply, {}, [(2, 4), (2, 3, 4)],
                              expected_output_shape=(None, 3, 4))
    np.testing.assert_allclose(output, uniform((2, 4), 0)[:, None, :] * uniform((2, 3, 4), 1))
    assert Add().compute_output_shape([(None, 3), (5, 3)]) == (5, 3)
    assert Add().compute_output_shape([(None, None, 3), (None, 4, 1)]) == (None, None, 3)


def test_merge_errors():
    assert_value_error(lambda: Add()(uniform((2, 3))),
                       "A merge layer should be called on a list of inputs.")
    assert_value_error(lambda: Add()([uniform((2, 3))]),
                       "A merge layer should be called on a list of at least 2 inputs")
    assert_value_error(lambda: Add()([uniform((2, 3)), uniform((3, 3))]),
                       "Can not merge tensors with different batch sizes")
    assert_value_error(lambda: Maximum()([uniform((2, 3)), uniform((2, 4))]),
                       "could not be broadcast", "(3,) (4,)")
    assert_value_error(lambda: Add()(Input(shape=(3,))),
                       "A merge layer should be called on a list of inputs.")


def test_concatenate():
    output = merge_layer_test(Concatenate, {"axis": -1}, [(2, 3, 4), (2, 3, 2)],
                              expected_output_shape=(None, 3, 6))
    np.testing.assert_array_equal(
        output, np.concatenate([uniform((2, 3, 4), 0), uniform((2, 3, 2), 1)], axis=-1))
    output = merge_layer_test(Concatenate, {"axis": 1}, [(2, 3, 4), (2, 1, 4), (2, 2, 4)],
                              expected_output_shape=(None, 6, 4))
    assert output.shape == (2, 6, 4)
    assert Concatenate().compute_output_shape([(None, 3), (None, None)]) == (None, None)
    assert Concatenate(axis=1).get_config()["axis"] == 1


def test_concatenate_errors():
    assert_value_error(lambda: Concatenate()([uniform((2, 3, 4)), uniform((2, 2, 2))]),
                       "A `Concatenate` layer requires inputs with matching shapes except for "
                       "the concat axis")
    assert_value_error(lambda: Concatenate()([uniform((2, 3))]),
                       "A `Concatenate` layer should be called on a list of at least 2 inputs")
    assert_value_error(lambda: Concatenate(axis="last"), "Concatenate", "`axis`")


def test_dot_of_vectors():
    output = merge_layer_test(Dot, {"axes": 1}, [(3, 4), (3, 4)],
                              expected_output_shape=(None, 1))
    expected = np.sum(uniform((3, 4), 0) * uniform((3, 4), 1), axis=1, keepdims=True)
    np.testing.assert_allclose(output, expected, rtol=1e-6)


def test_dot_normalize_gives_cosine_proximity():
    output = merge_layer_test(Dot, {"axes": -1, "normalize": True}, [(3, 4), (3, 4)])
    a, b = uniform((3, 4), 0), uniform((3, 4), 1)
    cosine = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    np.testing.assert_allclose(output, cosine[:, None], rtol=1e-5)


def test_dot_of_matrices_as_batch_dot():
    output = merge_layer_test(Dot, {"axes": (2, 1)}, [(2, 3, 4), (2, 4, 5)],
                              expected_output_shape=(None, 3, 5))
    np.testing.assert_allclose(output, uniform((2, 3, 4), 0) @ uniform((2, 4, 5), 1), rtol=1e-5)
    output = merge_layer_test(Dot, {"axes": [1, 2]}, [(2, 3, 4), (2, 5, 3)],
                              expected_output_shape=(None, 4, 5))
    expected = np.einsum("bij,bki->bjk", uniform((2, 3, 4), 0), uniform((2, 5, 3), 1))
    np.testing.assert_allclose(output, expected, rtol=1e-5)


def test_dot_errors():
    assert_value_error(lambda: Dot(axes=(1, 2, 3)), "Dot", "`axes`")
    assert_value_error(lambda: Dot(axes="1"), "Dot", "`axes`")
    assert_value_error(lambda: Dot(axes=1, normalize="yes"), "Dot", "`normalize`")
    assert_value_error(lambda: Dot(axes=1)([uniform((2, 3)), uniform((2, 4))]),
                       "Dimension incompatibility 3 != 4")
    assert_value_error(lambda: Dot(axes=1)([uniform((2, 3))] * 3),
                       "A `Dot` layer should be called on a list of 2 inputs")
    assert_value_error(lambda: Dot(axes=0)([uniform((2, 3))] * 2), "batch axis")


def test_functional_forms_build_models():
    a, b = Input(shape=(4,)), Input(shape=(4,))
    outputs = [add([a, b]), subtract([a, b]), multiply([a, b]), average([a, b]),
               maximum([a, b]), minimum([a, b]), concatenate([a, b]),
               dot([a, b], axes=1, normalize=True, name="cosine")]
    model = Model([a, b], outputs)
    assert model.output_shape == [(None, 4)] * 6 + [(None, 8), (None, 1)]
    assert model.layers[-1].name == "cosine"
    x, y = uniform((3, 4), 0), uniform((3, 4), 1)
    results = model([x, y])
    expected = [x + y, x - y, x * y, (x + y) / 2, np.maximum(x, y), np.minimum(x, y),
                np.concatenate([x, y], axis=-1)]
    for result, value in zip(results, expected):
        np.testing.assert_allclose(result.numpy(), value, rtol=1e-6)
