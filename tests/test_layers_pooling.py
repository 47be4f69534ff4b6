"""Pooling layers: the standard layer checks, values worked out by hand, data formats and
argument errors."""
import numpy as np
import pytest

from minikeras.engine.input_layer import Input
from minikeras.layers.pooling import (
    AveragePooling1D, AveragePooling2D, AvgPool1D, AvgPool2D, GlobalAveragePooling1D,
    GlobalAveragePooling2D, GlobalAvgPool1D, GlobalAvgPool2D, GlobalMaxPool1D, GlobalMaxPool2D,
    GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPool1D, MaxPool2D, MaxPooling1D, MaxPooling2D,
)
from tests.layer_testing import layer_test


def distinct(shape, seed=0):
    """Values with no ties and gaps far above the finite-difference step, for max pooling."""
    values = np.random.default_rng(seed).permutation(int(np.prod(shape))).reshape(shape)
    return (values / 10.0).astype(np.float32)


# (layer class, constructor arguments, input data, expected output shape); every case runs
# the float64 gradient check, on inputs without ties.
CASES = [
    (MaxPooling1D, {}, distinct((2, 5, 2)), (None, 2, 2)),
    (MaxPooling1D, {"pool_size": 3, "strides": 1, "padding": "same"}, distinct((2, 4, 2)),
     (None, 4, 2)),
    (AveragePooling1D, {"pool_size": 3, "strides": 2}, distinct((2, 7, 2)), (None, 3, 2)),
    (AveragePooling1D, {"padding": "same", "data_format": "channels_first"},
     distinct((2, 2, 5)), (None, 2, 3)),
    (MaxPooling2D, {}, distinct((1, 4, 5, 2)), (None, 2, 2, 2)),
    (MaxPooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, distinct((1, 5, 4, 2)),
     (None, 3, 2, 2)),
    (MaxPooling2D, {"pool_size": (2, 1), "data_format": "channels_first"},
     distinct((1, 2, 4, 3)), (None, 2, 2, 3)),
    (AveragePooling2D, {"pool_size": (2, 3), "strides": 1}, distinct((1, 3, 4, 2)),
     (None, 2, 2, 2)),
    (AveragePooling2D, {"padding": "same"}, distinct((1, 3, 3, 2)), (None, 2, 2, 2)),
    (GlobalMaxPooling1D, {}, distinct((2, 4, 3)), (None, 3)),
    (GlobalMaxPooling1D, {"data_format": "channels_first"}, distinct((2, 3, 4)), (None, 3)),
    (GlobalAveragePooling1D, {}, distinct((2, 4, 3)), (None, 3)),
    (GlobalMaxPooling2D, {}, distinct((2, 3, 2, 3)), (None, 3)),
    (GlobalAveragePooling2D, {}, distinct((2, 3, 2, 3)), (None, 3)),
    (GlobalAveragePooling2D, {"data_format": "channels_first"}, distinct((2, 3, 2, 4)),
     (None, 3)),
]


@pytest.mark.parametrize("layer_cls,kwargs,data,expected", CASES,
                         ids=[f"{case[0].__name__}-{case[2].shape}" for case in CASES])
def test_layer(layer_cls, kwargs, data, expected):
    layer_test(layer_cls, kwargs, input_data=data, expected_output_shape=expected)


def image(rows):
    """A one-channel image of a batch of one, from a list of rows."""
    return np.array(rows, dtype=np.float32)[None, :, :, None]


def test_pooling_by_hand():
    x = image([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
    np.testing.assert_array_equal(MaxPooling2D()(x).numpy()[0, :, :, 0], [[6, 8]])
    np.testing.assert_array_equal(AveragePooling2D()(x).numpy()[0, :, :, 0], [[3.5, 5.5]])
    # 'same' pads the odd row after; the padded windows average their real cells only.
    np.testing.assert_array_equal(AveragePooling2D(padding="same")(x).numpy()[0, :, :, 0],
                                  [[3.5, 5.5], [9.5, 11.5]])
    np.testing.assert_array_equal(MaxPooling2D(padding="same")(-x).numpy()[0, :, :, 0],
                                  [[-1, -3], [-9, -11]])
    np.testing.assert_array_equal(GlobalMaxPooling2D()(x).numpy(), [[12]])
    np.testing.assert_array_equal(GlobalAveragePooling2D()(x).numpy(), [[6.5]])


def test_1d_pooling_by_hand():
    x = np.array([1, 5, 2, 8, 3], np.float32)[None, :, None]
    np.testing.assert_array_equal(MaxPooling1D()(x).numpy()[0, :, 0], [5, 8])
    np.testing.assert_array_equal(MaxPooling1D(padding="same")(x).numpy()[0, :, 0], [5, 8, 3])
    np.testing.assert_allclose(AveragePooling1D(3, 1)(x).numpy()[0, :, 0],
                               [8 / 3, 5, 13 / 3], rtol=1e-6)
    np.testing.assert_array_equal(GlobalMaxPooling1D()(x).numpy(), [[8]])
    np.testing.assert_allclose(GlobalAveragePooling1D()(x).numpy(), [[3.8]])


@pytest.mark.parametrize("layer_cls", [MaxPooling2D, AveragePooling2D, GlobalMaxPooling2D,
                                       GlobalAveragePooling2D])
def test_channels_first_is_channels_last_transposed(layer_cls):
    x = distinct((2, 5, 4, 3))
    expected = layer_cls(data_format="channels_last")(x).numpy()
    output = layer_cls(data_format="channels_first")(x.transpose(0, 3, 1, 2)).numpy()
    if output.ndim == 4:
        output = output.transpose(0, 2, 3, 1)
    np.testing.assert_allclose(output, expected)


def test_strides_default_to_the_pool_size_and_are_stored_in_the_config():
    config = MaxPooling2D((3, 2)).get_config()
    assert config["pool_size"] == (3, 2) and config["strides"] == (3, 2)
    assert MaxPooling1D(4).get_config()["strides"] == (4,)


def test_keras_2_aliases():
    assert MaxPool1D is MaxPooling1D and MaxPool2D is MaxPooling2D
    assert AvgPool1D is AveragePooling1D and AvgPool2D is AveragePooling2D
    assert GlobalMaxPool1D is GlobalMaxPooling1D and GlobalMaxPool2D is GlobalMaxPooling2D
    assert GlobalAvgPool1D is GlobalAveragePooling1D
    assert GlobalAvgPool2D is GlobalAveragePooling2D


@pytest.mark.parametrize("make_layer,message", [
    (lambda: MaxPooling2D(0), r"MaxPooling2D: `pool_size`"),
    (lambda: MaxPooling2D((2, 2, 2)), r"MaxPooling2D: `pool_size`"),
    (lambda: AveragePooling1D(2, strides=-1), r"AveragePooling1D: `strides`"),
    (lambda: MaxPooling2D(padding="full"), r"MaxPooling2D: `padding`.*'full'"),
    (lambda: MaxPooling1D(padding="causal"), r"MaxPooling1D: `padding`"),
    (lambda: GlobalAveragePooling2D(data_format="nhwc"), r"GlobalAveragePooling2D: .*nhwc"),
])
def test_bad_arguments_raise_value_errors_naming_the_layer(make_layer, message):
    with pytest.raises(ValueError, match=message):
        make_layer()


def test_a_pool_larger_than_a_valid_input_is_refused_with_the_shapes():
    with pytest.raises(ValueError, match=r'"small".*\(1, 2, 5, 1\).*\(0, 1\)'):
        MaxPooling2D(3, name="small")(np.zeros((1, 2, 5, 1), np.float32))
    with pytest.raises(ValueError, match=r"\(None, 2, 5, 1\).*pool of size \(3, 3\)"):
        AveragePooling2D(3)(Input((2, 5, 1)))
    with pytest.raises(ValueError, match=r"pool of size \(4,\)"):
        MaxPooling1D(4)(Input((3, 2)))


def test_wrong_rank_is_refused():
    with pytest.raises(ValueError, match=r"expected ndim=4, found ndim=3"):
        MaxPooling2D()(np.zeros((1, 4, 4), np.float32))
