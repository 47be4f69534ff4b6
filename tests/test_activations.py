"""Tests of the activation functions: values by hand, Keras 2's relu options, get/serialize."""
import math

import numpy as np
import pytest

from minikeras import Tensor, activations
from minikeras.autograd import check_gradients

X = np.array([[-3.0, -1.0, 0.0, 0.5, 2.0, 8.0]], dtype="float32")


def assert_activation(value, expected, rtol=1e-6):
    assert isinstance(value, Tensor)
    assert value.dtype == np.float32
    np.testing.assert_allclose(value.numpy(), expected, rtol=rtol, atol=1e-7)


def test_elementwise_activations_by_hand():
    x = X[0]
    assert_activation(activations.tanh(X), [np.tanh(x)])
    assert_activation(activations.sigmoid(X), [1 / (1 + np.exp(-x.astype(float)))])
    assert_activation(activations.softplus(X), [np.log1p(np.exp(x.astype(float)))], rtol=1e-5)
    assert_activation(activations.softsign(X), [x / (1 + np.abs(x))])
    assert_activation(activations.exponential(X), [np.exp(x)], rtol=1e-5)
    assert_activation(activations.linear(X), X)
    assert_activation(activations.elu(X, alpha=0.5), [np.where(x > 0, x, 0.5 * np.expm1(x))])
    assert_activation(activations.leaky_relu(X, alpha=0.1), [np.where(x > 0, x, 0.1 * x)])
    assert_activation(activations.swish(X), [x / (1 + np.exp(-x.astype(float)))], rtol=1e-5)


def test_selu_gelu_and_hard_sigmoid_constants():
    scale, alpha = 1.0507009873554805, 1.6732632423543772
    assert_activation(activations.selu([[-1.0, 2.0]]),
                      [[scale * alpha * (math.exp(-1) - 1), scale * 2.0]])
    assert_activation(activations.gelu([[1.0, -1.0]]), [[0.8413447, -0.1586553]], rtol=1e-5)
    assert_activation(activations.gelu([[1.0]], approximate=True), [[0.8411920]], rtol=1e-5)
    # Keras 2's hard sigmoid: clip(0.2 * x + 0.5, 0, 1).
    assert_activation(activations.hard_sigmoid([[-3.0, -2.5, 0.0, 1.0, 3.0]]),
                      [[0.0, 0.0, 0.5, 0.7, 1.0]])



@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus", "softsign", "elu", "selu",
                                  "leaky_relu", "gelu", "swish", "hard_sigmoid", "softmax"])
def test_integer_inputs_give_floatx_not_truncated_values(name):
    """An activation of integers is computed in floatx, as if the input were floats:
    in the integers' own dtype, sigmoid of -2, 0 and 3 would be 0, 0 and 0."""
    integers = np.array([[-2, 0, 3], [1, -1, 5]])
    activation = activations.get(name)
    assert_activation(activation(integers), activation(integers.astype("float32")).numpy())
    assert_activation(activation(integers.astype(bool)),
                      activation(integers.astype(bool).astype("float32")).numpy())


def test_relu_keeps_integers_and_its_leak_gives_floats():
    np.testing.assert_array_equal(activations.relu(np.array([-2, 0, 3])).numpy(), [0, 0, 3])
    assert activations.relu(np.array([-2, 0, 3])).dtype == np.int64
    assert_activation(activations.relu(np.array([[-2, 0, 3]]), alpha=0.5), [[-1, 0, 3]])


def test_relu_with_keras_2_options():
    assert_activation(activations.relu(X), [[0, 0, 0, 0.5, 2, 8]])
    assert_activation(activations.relu(X, alpha=0.1), [[-0.3, -0.1, 0, 0.5, 2, 8]])
    assert_activation(activations.relu(X, max_value=6.0), [[0, 0, 0, 0.5, 2, 6]])
    assert_activation(activations.relu(X, threshold=1.0), [[0, 0, 0, 0, 2, 8]])
    # x for threshold <= x < max_value, max_value above, alpha * (x - threshold) below.
    assert_activation(activations.relu(X, alpha=0.1, max_value=6.0, threshold=1.0),
                      [[-0.4, -0.2, -0.1, -0.05, 2, 6]])


def test_softmax_over_an_axis():
    x = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]], dtype="float32")
    expected = np.exp([1.0, 2.0, 3.0]) / np.sum(np.exp([1.0, 2.0, 3.0]))
    assert_activation(activations.softmax(x), [expected, [0.5, 0.5, 0.0]])
    columns = activations.softmax(x, axis=0).numpy()
    np.testing.assert_allclose(columns.sum(axis=0), [1.0, 1.0, 1.0], rtol=1e-6)
    with pytest.raises(ValueError, match="1-D"):
        activations.softmax(np.array([1.0, 2.0]))


def test_activations_are_differentiable():
    x = np.array([[-2.3, -0.7, 0.4, 1.9, 7.1]])
    check_gradients(lambda t: activations.relu(t, alpha=0.1, max_value=6.0, threshold=0.2), [x])
    check_gradients(lambda t: activations.softmax(t), [x])
    check_gradients(activations.elu, [x])
    check_gradients(activations.selu, [x])


def test_get_serialize_deserialize():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu

    def custom(x):
        return x

    assert activations.get(custom) is custom
    for name in ["softmax", "elu", "selu", "softplus", "softsign", "relu", "tanh", "sigmoid",
                 "hard_sigmoid", "exponential", "linear", "leaky_relu", "gelu", "swish"]:
        function = activations.get(name)
        assert activations.serialize(function) == name
        assert activations.deserialize(activations.serialize(function)) is function
    keras3 = {"module": "keras.activations", "class_name": "function", "config": "tanh",
              "registered_name": "tanh"}
    assert activations.get(keras3) is activations.tanh
    assert activations.deserialize("custom", custom_objects={"custom": custom}) is custom


def test_unknown_activation_is_a_clear_error():
    with pytest.raises(ValueError) as error:
        activations.get("relux")
    message = str(error.value)
    assert message.startswith("Unknown activation function: 'relux'.")
    assert "Did you mean 'relu'?" in message
    assert "Known: elu, exponential, gelu, hard_sigmoid" in message
    with pytest.raises(ValueError, match="Could not interpret"):
        activations.get(42)


def test_as_float_keeps_float_tensors_and_makes_integers_floatx():
    from minikeras import ops
    floats = Tensor(np.array([1.5], dtype="float64"))
    assert ops.as_float(floats) is floats
    for integers in (np.array([1, 2]), np.array([True, False]), [3, 4]):
        converted = ops.as_float(integers)
        assert converted.dtype == np.float32
        np.testing.assert_array_equal(converted.numpy(), np.asarray(integers, dtype="float32"))
