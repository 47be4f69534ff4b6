"""Convolution layers and the spatial layers around them: the standard layer checks, values
worked out by hand, Keras's weight layouts and parameter counts, and argument errors."""
import re

import numpy as np
import pytest

from minikeras import Tensor
from minikeras.engine.input_layer import Input
from minikeras.engine.training import Model
from minikeras.kernels import reference
from minikeras.layers.convolutional import (
    Conv1D, Conv2D, Conv2DTranspose, Convolution1D, Convolution2D, Cropping1D, Cropping2D,
    Deconvolution2D, DepthwiseConv2D, SeparableConv2D, SeparableConvolution2D, UpSampling1D,
    UpSampling2D, ZeroPadding1D, ZeroPadding2D,
)
from minikeras.layers.core import Dense, Flatten
from minikeras.layers.pooling import MaxPooling2D
from tests.layer_testing import layer_test

# (layer class, constructor arguments, input shape, expected output shape). The first case
# of each layer also runs the float64 gradient check of its input and weights; the others
# vary the geometry, whose gradients tests/backend/test_conv_ops.py checks op by op.
GRADIENT_CASES = [
    (Conv1D, {"filters": 2, "kernel_size": 2, "padding": "causal", "dilation_rate": 2},
     (1, 5, 2), (None, 5, 2)),
    (Conv2D, {"filters": 2, "kernel_size": (2, 3), "strides": 2, "padding": "same"},
     (1, 4, 5, 1), (None, 2, 3, 2)),
    (Conv2DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
     (1, 2, 3, 1), (None, 4, 6, 2)),
    (DepthwiseConv2D, {"kernel_size": 2, "depth_multiplier": 2}, (1, 3, 3, 2), (None, 2, 2, 4)),
    (SeparableConv2D, {"filters": 2, "kernel_size": 2, "padding": "same"},
     (1, 3, 3, 2), (None, 3, 3, 2)),
    (UpSampling1D, {"size": 3}, (2, 3, 2), (None, 9, 2)),
    (UpSampling2D, {"size": (2, 3)}, (1, 2, 3, 2), (None, 4, 9, 2)),
    (UpSampling2D, {"size": 2, "interpolation": "bilinear"}, (1, 3, 2, 2), (None, 6, 4, 2)),
    (ZeroPadding1D, {"padding": (1, 2)}, (2, 3, 2), (None, 6, 2)),
    (ZeroPadding2D, {"padding": ((1, 0), (2, 1))}, (1, 3, 2, 2), (None, 4, 5, 2)),
    (Cropping1D, {"cropping": (1, 2)}, (2, 5, 2), (None, 2, 2)),
    (Cropping2D, {"cropping": ((1, 0), (0, 2))}, (1, 3, 4, 2), (None, 2, 2, 2)),
]

SHAPE_CASES = [
    (Conv1D, {"filters": 3, "kernel_size": 3}, (2, 7, 2), (None, 5, 3)),
    (Conv1D, {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
     (2, 7, 2), (None, 4, 3)),
    (Conv1D, {"filters": 3, "kernel_size": 2, "data_format": "channels_first"},
     (2, 2, 7), (None, 3, 6)),
    (Conv2D, {"filters": 3, "kernel_size": 3}, (2, 6, 5, 2), (None, 4, 3, 3)),
    (Conv2D, {"filters": 3, "kernel_size": 2, "dilation_rate": 2, "activation": "relu"},
     (2, 6, 5, 2), (None, 4, 3, 3)),
    (Conv2D, {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same",
              "data_format": "channels_first", "use_bias": False},
     (2, 2, 6, 5), (None, 3, 3, 3)),
    (Conv2DTranspose, {"filters": 3, "kernel_size": 3, "strides": 2}, (2, 3, 4, 2),
     (None, 7, 9, 3)),
    (Conv2DTranspose, {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same",
                       "output_padding": 0}, (2, 3, 4, 2), (None, 5, 7, 3)),
    (Conv2DTranspose, {"filters": 3, "kernel_size": 2, "strides": 3,
                       "data_format": "channels_first"}, (2, 2, 3, 4), (None, 3, 9, 12)),
    (DepthwiseConv2D, {"kernel_size": 3, "strides": 2, "padding": "same",
                       "data_format": "channels_first"}, (2, 3, 5, 4), (None, 3, 3, 2)),
    (SeparableConv2D, {"filters": 4, "kernel_size": 3, "depth_multiplier": 2,
                       "dilation_rate": 2}, (2, 6, 6, 3), (None, 2, 2, 4)),
    (UpSampling2D, {"data_format": "channels_first", "interpolation": "bilinear"},
     (2, 3, 2, 4), (None, 3, 4, 8)),
    (ZeroPadding2D, {"padding": 1, "data_format": "channels_first"}, (2, 3, 2, 4),
     (None, 3, 4, 6)),
    (Cropping2D, {"cropping": (1, 2), "data_format": "channels_first"}, (2, 3, 4, 6),
     (None, 3, 2, 2)),
]


def _case_id(case):
    return f"{case[0].__name__}-{case[2]}"


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,expected", GRADIENT_CASES,
                         ids=[_case_id(case) for case in GRADIENT_CASES])
def test_layer_with_gradients(layer_cls, kwargs, input_shape, expected):
    layer_test(layer_cls, kwargs, input_shape=input_shape, expected_output_shape=expected)


@pytest.mark.parametrize("layer_cls,kwargs,input_shape,expected", SHAPE_CASES,
                         ids=[_case_id(case) for case in SHAPE_CASES])
def test_layer_shapes_and_configs(layer_cls, kwargs, input_shape, expected):
    layer_test(layer_cls, kwargs, input_shape=input_shape, expected_output_shape=expected,
               check_gradients=False)


# Values worked out by hand ---------------------------------------------------------------------

def image(rows):
    """A one-channel image of a batch of one, from a list of rows."""
    return np.array(rows, dtype=np.float32)[None, :, :, None]


def test_conv2d_by_hand():
    layer = Conv2D(1, 2, bias_initializer="ones")
    x = image([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    layer(x)
    layer.set_weights([np.array([[1, 2], [3, 4]], np.float32)[:, :, None, None],
                       np.array([0.5], np.float32)])
    # Top left: 1*1 + 2*2 + 4*3 + 5*4 = 37, then + 0.5.
    expected = np.array([[37, 47], [67, 77]]) + 0.5
    np.testing.assert_allclose(layer(x).numpy()[0, :, :, 0], expected)


def test_conv2d_transpose_by_hand():
    kernel = np.array([[1, 2], [3, 4]], np.float32)[:, :, None, None]
    x = image([[1, 2]])
    # Each input pixel stamps the kernel, scaled by its value, `strides` apart.
    stride_1 = Conv2DTranspose(1, 2, use_bias=False, weights=[kernel])
    np.testing.assert_allclose(stride_1(x).numpy()[0, :, :, 0], [[1, 4, 4], [3, 10, 8]])
    stride_2 = Conv2DTranspose(1, 2, strides=2, use_bias=False, weights=[kernel])
    np.testing.assert_allclose(stride_2(x).numpy()[0, :, :, 0], [[1, 2, 2, 4], [3, 4, 6, 8]])


def test_same_padding_with_stride_2_on_even_sizes_pads_only_after():
    x = np.random.default_rng(0).normal(size=(2, 6, 6, 2)).astype(np.float32)
    same = Conv2D(3, 3, strides=2, padding="same")
    output = same(x).numpy()
    # ceil(6 / 2) = 3 outputs need (3 - 1) * 2 + 3 = 7 rows: one row of padding, after.
    valid = Conv2D(3, 3, strides=2, padding="valid", weights=same.get_weights())
    padded = np.pad(x, ((0, 0), (0, 1), (0, 1), (0, 0)))
    assert output.shape == (2, 3, 3, 3)
    np.testing.assert_allclose(output, valid(padded).numpy(), rtol=1e-5, atol=1e-6)


def test_conv1d_is_a_conv2d_of_height_one():
    x = np.random.default_rng(0).normal(size=(2, 7, 3)).astype(np.float32)
    layer = Conv1D(4, 3, strides=2, padding="same")
    output = layer(x).numpy()
    kernel, bias = layer.get_weights()
    expected = reference.conv2d(x[:, None], kernel[None], (1, 2), "same")[:, 0] + bias
    np.testing.assert_allclose(output, expected, rtol=1e-5, atol=1e-6)


def test_depthwise_then_pointwise_is_a_separable_convolution():
    x = np.random.default_rng(0).normal(size=(2, 5, 5, 3)).astype(np.float32)
    layer = SeparableConv2D(4, 3, depth_multiplier=2, bias_initializer="ones")
    output = layer(x).numpy()
    depthwise, pointwise, bias = layer.get_weights()
    expected = reference.conv2d(reference.depthwise_conv2d(x, depthwise), pointwise) + bias
    np.testing.assert_allclose(output, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("make_layer", [
    lambda data_format: Conv2D(3, 3, strides=2, padding="same", data_format=data_format),
    lambda data_format: Conv2DTranspose(3, 3, strides=2, data_format=data_format),
    lambda data_format: DepthwiseConv2D(2, depth_multiplier=2, data_format=data_format),
    lambda data_format: UpSampling2D(2, data_format=data_format, interpolation="bilinear"),
    lambda data_format: Cropping2D(((1, 0), (0, 1)), data_format=data_format),
])
def test_channels_first_is_channels_last_transposed(make_layer):
    x = np.random.default_rng(0).normal(size=(2, 5, 4, 2)).astype(np.float32)
    last = make_layer("channels_last")
    first = make_layer("channels_first")
    expected = last(x).numpy()
    first(x.transpose(0, 3, 1, 2))
    first.set_weights(last.get_weights())
    output = first(x.transpose(0, 3, 1, 2)).numpy()
    np.testing.assert_allclose(output.transpose(0, 2, 3, 1), expected, rtol=1e-5, atol=1e-6)


def test_bilinear_upsampling_interpolates_between_pixel_centers():
    output = UpSampling2D((1, 2), interpolation="bilinear")(image([[0, 4, 8]])).numpy()
    # Output column j reads input column (j + 0.5) / 2 - 0.5, clamped to [0, 2].
    np.testing.assert_allclose(output[0, 0, :, 0], [0, 1, 3, 5, 7, 8])


def test_nearest_upsampling_padding_and_cropping_by_hand():
    x = image([[1, 2], [3, 4]])
    np.testing.assert_array_equal(UpSampling2D((1, 2))(x).numpy()[0, :, :, 0],
                                  [[1, 1, 2, 2], [3, 3, 4, 4]])
    padded = ZeroPadding2D(((1, 0), (0, 1)))(x).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(padded, [[0, 0, 0], [1, 2, 0], [3, 4, 0]])
    np.testing.assert_array_equal(Cropping2D(((1, 0), (0, 1)))(x).numpy()[0, :, :, 0], [[3]])


# Keras's layouts, names and parameter counts -----------------------------------------------------

def test_weights_are_named_and_laid_out_as_keras_stores_them():
    def weights_of(layer, input_shape):
        layer(Input(input_shape))
        return [(re.sub(r"_\d+/", "/", w.name), w.shape) for w in layer.weights]

    assert weights_of(Conv2D(8, (3, 2), name="conv2d"), (9, 9, 4)) == [
        ("conv2d/kernel", (3, 2, 4, 8)), ("conv2d/bias", (8,))]
    assert weights_of(Conv1D(8, 3), (9, 4)) == [("conv1d/kernel", (3, 4, 8)),
                                                ("conv1d/bias", (8,))]
    assert weights_of(Conv2DTranspose(8, 3), (9, 9, 4)) == [
        ("conv2d_transpose/kernel", (3, 3, 8, 4)), ("conv2d_transpose/bias", (8,))]
    assert weights_of(DepthwiseConv2D(3, depth_multiplier=2), (9, 9, 4)) == [
        ("depthwise_conv2d/depthwise_kernel", (3, 3, 4, 2)), ("depthwise_conv2d/bias", (8,))]
    assert weights_of(SeparableConv2D(8, 3, depth_multiplier=2), (9, 9, 4)) == [
        ("separable_conv2d/depthwise_kernel", (3, 3, 4, 2)),
        ("separable_conv2d/pointwise_kernel", (1, 1, 8, 8)), ("separable_conv2d/bias", (8,))]


def test_keras_2_aliases():
    assert Convolution1D is Conv1D and Convolution2D is Conv2D
    assert Deconvolution2D is Conv2DTranspose and SeparableConvolution2D is SeparableConv2D


def test_case_study_cnn_has_keras_parameter_counts():
    inputs = Input((64, 64, 1))
    x = Conv2D(32, 4, activation="relu")(inputs)      # 61 x 61 x 32
    x = MaxPooling2D(2)(x)                            # 30 x 30 x 32
    x = Conv2D(16, 4, activation="relu")(x)           # 27 x 27 x 16
    x = MaxPooling2D(2)(x)                            # 13 x 13 x 16
    x = Flatten()(x)                                  # 2704
    x = Dense(10, activation="relu")(x)
    outputs = Dense(1, activation="sigmoid")(x)
    model = Model(inputs, outputs)
    counts = [layer.count_params() for layer in model.layers if layer.weights]
    # Conv2D: kh * kw * in * filters + filters; Dense: in * units + units.
    assert counts == [4 * 4 * 1 * 32 + 32, 4 * 4 * 32 * 16 + 16, 13 * 13 * 16 * 10 + 10,
                      10 * 1 + 1]
    assert counts == [544, 8208, 27050, 11]
    assert model.output_shape == (None, 1)
    assert model.predict(np.zeros((2, 64, 64, 1), np.float32)).shape == (2, 1)


def test_case_study_convolutional_autoencoder_builds():
    inputs = Input((64, 64, 1))
    x = Conv2D(32, 3, strides=2, padding="same", activation="elu")(inputs)
    x = Conv2D(16, 3, strides=2, padding="same", activation="elu")(x)
    x = Conv2D(16, 3, strides=1, padding="same", activation="elu")(x)
    encoded_shape = x.shape
    x = Conv2DTranspose(16, 3, strides=2, padding="same", activation="elu")(x)
    x = Conv2DTranspose(32, 3, strides=2, padding="same", activation="elu")(x)
    outputs = Conv2D(1, 3, strides=1, padding="same", activation="tanh")(x)
    model = Model(inputs, outputs)
    assert encoded_shape == (None, 16, 16, 16)
    assert [layer.output_shape for layer in model.layers[-3:]] == [
        (None, 32, 32, 16), (None, 64, 64, 32), (None, 64, 64, 1)]
    assert [layer.count_params() for layer in model.layers if layer.weights] == [
        3 * 3 * 1 * 32 + 32, 3 * 3 * 32 * 16 + 16, 3 * 3 * 16 * 16 + 16,
        3 * 3 * 16 * 16 + 16, 3 * 3 * 16 * 32 + 32, 3 * 3 * 32 * 1 + 1]
    reconstruction = model.predict(np.random.default_rng(0).uniform(
        -1, 1, (2, 64, 64, 1)).astype(np.float32))
    assert reconstruction.shape == (2, 64, 64, 1)
    assert np.all(np.abs(reconstruction) < 1)


def test_a_layer_keeps_nothing_from_a_call():
    layer = Conv2D(2, 2, padding="same")
    layer(np.ones((1, 3, 3, 1), np.float32))
    attributes = dict(vars(layer))
    layer(Tensor(np.ones((2, 4, 4, 1), np.float32)))
    assert vars(layer).keys() == attributes.keys()
    assert all(vars(layer)[key] is value for key, value in attributes.items())


# Argument errors ---------------------------------------------------------------------------------

@pytest.mark.parametrize("make_layer,message", [
    (lambda: Conv2D(0, 3), r"Conv2D: `filters` must be a positive integer; received 0"),
    (lambda: Conv2D(-4, 3), r"Conv2D: `filters`"),
    (lambda: Conv1D(2.5, 3), r"Conv1D: `filters`"),
    (lambda: Conv2D(4, 0), r"Conv2D: `kernel_size`.*received 0"),
    (lambda: Conv2D(4, (3, -1)), r"Conv2D: `kernel_size`"),
    (lambda: Conv2D(4, (3, 3, 3)), r"Conv2D: `kernel_size`"),
    (lambda: Conv2D(4, 3, padding="full"), r"Conv2D: `padding`.*'full'"),
    (lambda: Conv1D(4, 3, padding="full"), r"Conv1D: `padding` must be one of.*'causal'"),
    (lambda: Conv2D(4, 3, padding="causal"), r"Conv2D: `padding`"),
    (lambda: Conv2D(4, 3, strides=2, dilation_rate=2), r"Conv2D: `strides` > 1.*dilation"),
    (lambda: Conv2D(4, 3, strides=0), r"Conv2D: `strides`"),
    (lambda: Conv2D(4, 3, activation="relux"), r"Conv2D: invalid `activation`"),
    (lambda: Conv2D(4, 3, kernel_initializer="nope"), r"Conv2D: invalid `kernel_initializer`"),
    (lambda: Conv2D(4, 3, data_format="channels_middle"), r"Conv2D: .*data_format"),
    (lambda: Conv2DTranspose(4, 3, strides=2, output_padding=2), r"output_padding"),
    (lambda: DepthwiseConv2D(3, depth_multiplier=0), r"DepthwiseConv2D: `depth_multiplier`"),
    (lambda: SeparableConv2D(0, 3), r"SeparableConv2D: `filters`"),
    (lambda: UpSampling2D(interpolation="cubic"), r"UpSampling2D: `interpolation`"),
    (lambda: UpSampling1D(size=0), r"UpSampling1D: `size`"),
    (lambda: ZeroPadding2D(-1), r"ZeroPadding2D: `padding`"),
    (lambda: ZeroPadding2D(((1, 2), (3,))), r"ZeroPadding2D: `padding`"),
    (lambda: Cropping1D((1, 2, 3)), r"Cropping1D: `cropping`"),
])
def test_bad_arguments_raise_value_errors_naming_the_layer(make_layer, message):
    with pytest.raises(ValueError, match=message):
        make_layer()


def test_a_kernel_larger_than_a_valid_input_is_refused_with_the_shapes():
    layer = Conv2D(2, 5, name="too_big")
    with pytest.raises(ValueError, match=r'"too_big".*\(1, 3, 4, 1\).*\(-1, 0\)'):
        layer(np.zeros((1, 3, 4, 1), np.float32))
    with pytest.raises(ValueError, match=r'"too_big_1".*\(None, 3, 4, 1\)'):
        Conv2D(2, 5, name="too_big_1")(Input((3, 4, 1)))
    with pytest.raises(ValueError, match=r"dilation rate \(2,\)"):
        Conv1D(2, 3, dilation_rate=2)(Input((4, 1)))


def test_an_output_padding_without_a_matching_convolution_is_refused():
    layer = Conv2DTranspose(2, 4, strides=2, padding="same", output_padding=0, name="up")
    with pytest.raises(ValueError, match=r'"up".*length 4 .*length 6.*output_padding'):
        layer(Input((4, 5, 1)))


def test_cropping_everything_is_refused():
    with pytest.raises(ValueError, match=r"\(None, 3, 4, 1\).*removes the whole input"):
        Cropping2D(((2, 1), (0, 0)))(Input((3, 4, 1)))


def test_a_wrong_number_of_channels_is_refused():
    layer = Conv2D(2, 3)
    layer(np.zeros((1, 5, 5, 3), np.float32))
    with pytest.raises(ValueError, match=r"expected axis -1 of input shape to have value 3"):
        layer(np.zeros((1, 5, 5, 2), np.float32))
