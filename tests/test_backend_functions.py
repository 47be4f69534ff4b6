"""Tests of Keras 2's backend functions, `from minikeras import backend as K`."""
import math

import numpy as np
import pytest

import minikeras
from minikeras import GradientTape, Tensor, Variable, backend as K, layers
from minikeras.autograd import check_gradients

X = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], dtype="float32")


def value(tensor):
    assert isinstance(tensor, Tensor)
    return tensor.numpy()


@pytest.mark.parametrize("name", ["mean", "sum", "max", "min", "prod", "std", "var"])
@pytest.mark.parametrize("axis,keepdims", [(None, False), (-1, False), (0, True), (1, True)])
def test_reductions_match_numpy(name, axis, keepdims):
    expected = getattr(np, name)(X, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(value(getattr(K, name)(X, axis=axis, keepdims=keepdims)),
                               expected, rtol=1e-6)


def test_elementwise_functions_match_numpy():
    positive = np.abs(X) + 0.5
    np.testing.assert_allclose(value(K.square(X)), X ** 2)
    np.testing.assert_allclose(value(K.sqrt(positive)), np.sqrt(positive), rtol=1e-6)
    np.testing.assert_array_equal(value(K.sqrt(np.array([-1.0, 4.0]))), [0.0, 2.0])  # Keras 2
    np.testing.assert_allclose(value(K.abs(X)), np.abs(X))
    np.testing.assert_allclose(value(K.exp(X)), np.exp(X), rtol=1e-6)
    np.testing.assert_allclose(value(K.log(positive)), np.log(positive), rtol=1e-6)
    np.testing.assert_allclose(value(K.pow(positive, 3)), positive ** 3, rtol=1e-6)
    np.testing.assert_allclose(value(K.sign(X)), np.sign(X))
    np.testing.assert_allclose(value(K.round(np.array([0.5, 1.5, -2.7]))), [0.0, 2.0, -3.0])
    np.testing.assert_allclose(value(K.maximum(X, 0.0)), np.maximum(X, 0))
    np.testing.assert_allclose(value(K.minimum(X, 1.0)), np.minimum(X, 1))
    np.testing.assert_allclose(value(K.clip(X, -1.0, 2.0)), np.clip(X, -1, 2))
    np.testing.assert_allclose(value(K.clip(X, 0.0, None)), np.maximum(X, 0))
    np.testing.assert_allclose(value(K.clip(X, 2.0, 1.0)), np.full_like(X, 2.0))  # as Keras 2
    np.testing.assert_array_equal(value(K.argmax(X)), [2, 1])
    np.testing.assert_array_equal(value(K.argmin(X, axis=0)), [1, 0, 1])
    np.testing.assert_array_equal(value(K.any(X > 3, axis=1)), [False, True])
    np.testing.assert_array_equal(value(K.all(X > -5)), True)
    np.testing.assert_array_equal(value(K.equal(X, 3.0)), X == 3)
    np.testing.assert_allclose(value(K.switch(X > 0, X, K.zeros_like(X))), np.maximum(X, 0))
    np.testing.assert_allclose(value(K.switch(X > 0, lambda: X, lambda: -X)), np.abs(X))
    # One condition per sample chooses whole rows, as in Keras 2.
    rows = value(K.switch(np.array([True, False]), X, K.zeros_like(X)))
    np.testing.assert_array_equal(rows, [X[0], [0, 0, 0]])
    with pytest.raises(ValueError, match="more axes"):
        K.switch(X > 0, np.array([1.0, 2.0]), np.array([0.0, 0.0]))


def test_logsumexp_and_l2_normalize():
    big = np.array([[1000.0, 1000.0], [0.0, 0.0]])
    np.testing.assert_allclose(value(K.logsumexp(big, axis=1)),
                               [1000 + math.log(2), math.log(2)])
    np.testing.assert_allclose(value(K.logsumexp(X)), np.log(np.sum(np.exp(X))), rtol=1e-6)
    assert K.logsumexp(X, keepdims=True).shape == (1, 1)
    normalized = value(K.l2_normalize(X, axis=-1))
    np.testing.assert_allclose(normalized, X / np.linalg.norm(X, axis=-1, keepdims=True),
                               rtol=1e-6)
    np.testing.assert_array_equal(value(K.l2_normalize(np.zeros(3))), [0, 0, 0])  # no NaN


def test_shape_functions():
    assert value(K.expand_dims(X)).shape == (2, 3, 1)  # the last axis by default
    assert value(K.squeeze(K.expand_dims(X, 0), 0)).shape == (2, 3)
    assert value(K.flatten(X)).shape == (6,)
    assert value(K.batch_flatten(np.zeros((2, 3, 4)))).shape == (2, 12)
    assert value(K.reshape(X, (3, 2))).shape == (3, 2)
    np.testing.assert_array_equal(value(K.transpose(X)), X.T)
    np.testing.assert_array_equal(value(K.permute_dimensions(np.zeros((2, 3, 4)), (2, 0, 1))),
                                  np.zeros((4, 2, 3)))
    np.testing.assert_array_equal(value(K.concatenate([X, X])), np.concatenate([X, X], -1))
    np.testing.assert_array_equal(value(K.stack([X, X], axis=1)), np.stack([X, X], 1))
    np.testing.assert_array_equal(value(K.tile(X, (2, 1))), np.tile(X, (2, 1)))
    np.testing.assert_array_equal(value(K.repeat_elements(X, 2, axis=1)), np.repeat(X, 2, 1))
    np.testing.assert_array_equal(value(K.repeat(X, 4)), np.repeat(X[:, None], 4, axis=1))
    np.testing.assert_array_equal(value(K.gather(X, [1, 1, 0])), X[[1, 1, 0]])
    np.testing.assert_array_equal(value(K.one_hot(np.array([0, 2]), 3)), np.eye(3)[[0, 2]])
    np.testing.assert_array_equal(value(K.shape(X)), [2, 3])
    with pytest.raises(ValueError, match="2-D"):
        K.repeat(np.zeros(3), 2)


def test_shapes_of_symbolic_tensors_and_arrays():
    inputs = minikeras.Input((10, 3))
    assert K.int_shape(inputs) == (None, 10, 3)
    assert K.ndim(inputs) == 3
    assert K.is_keras_tensor(inputs) and not K.is_keras_tensor(X)
    assert K.int_shape(X) == (2, 3) and K.dtype(X) == "float32"
    assert K.count_params(K.zeros((3, 4))) == 12


def test_batch_dot_matches_keras_2():
    # Keras 2's documented example: rows of x dotted with rows of y, kept as (batch, 1).
    x, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0, 6.0], [7.0, 8.0]])
    np.testing.assert_array_equal(value(K.batch_dot(x, y, axes=1)), [[17.0], [53.0]])
    rng = np.random.default_rng(0)
    a, b, v = rng.normal(size=(4, 2, 3)), rng.normal(size=(4, 3, 5)), rng.normal(size=(4, 3))
    np.testing.assert_allclose(value(K.batch_dot(a, b)), a @ b)
    np.testing.assert_allclose(value(K.batch_dot(a, v)), np.einsum("bij,bj->bi", a, v))
    np.testing.assert_allclose(value(K.batch_dot(v, b, axes=(1, 1))),
                               np.einsum("bj,bjk->bk", v, b))
    c = rng.normal(size=(4, 5, 3))
    np.testing.assert_allclose(value(K.batch_dot(a, c, axes=(2, 2))),
                               np.einsum("bij,bkj->bik", a, c))
    np.testing.assert_allclose(value(K.batch_dot(b, b, axes=1)),
                               np.einsum("bji,bjk->bik", b, b))
    with pytest.raises(ValueError, match="2 or 3 axes"):
        K.batch_dot(np.zeros((2, 2, 2, 2)), np.zeros((2, 2, 2, 2)))
    with pytest.raises(ValueError, match="cannot sum axis"):
        K.batch_dot(a, b, axes=(2, 2))


def test_batch_dot_is_differentiable():
    rng = np.random.default_rng(1)
    check_gradients(lambda p, q: K.batch_dot(p, q, axes=(1, 2)),
                    [rng.normal(size=(2, 3, 2)), rng.normal(size=(2, 4, 3))])


def test_variables_constants_and_values():
    v = K.variable([[1, 2]], name="v")
    assert isinstance(v, Variable) and v.dtype == np.float32 and v.trainable
    assert K.get_value(v).tolist() == [[1.0, 2.0]]
    K.set_value(v, [[3.0, 4.0]])
    K.batch_set_value([(v, [[5.0, 6.0]])])
    assert K.batch_get_value([v])[0].tolist() == [[5.0, 6.0]] == K.eval(v).tolist()
    copy = K.get_value(v)
    copy[0, 0] = 99
    assert K.eval(v)[0, 0] == 5.0  # get_value gives a copy
    assert value(K.constant(2.0, shape=(2, 2))).tolist() == [[2.0, 2.0], [2.0, 2.0]]
    assert K.constant(1).dtype == np.float32 and K.constant(1, dtype="int32").dtype == np.int32
    for made in (K.zeros((2, 3)), K.ones((2, 3)), K.eye(3)):
        assert isinstance(made, Variable) and made.dtype == np.float32
    np.testing.assert_array_equal(K.eval(K.eye(2)), np.eye(2))
    assert K.ones_like(X).dtype == np.float32 and K.zeros_like(X, dtype="int64").dtype == np.int64
    assert K.cast_to_floatx([1, 2]).dtype == np.float32
    assert K.cast(X, "int32").dtype == np.int32


def test_random_tensors_are_repeatable_with_a_seed():
    first, second = K.random_normal((3, 4), seed=7), K.random_normal((3, 4), seed=7)
    np.testing.assert_array_equal(value(first), value(second))
    assert first.dtype == np.float32
    uniform = value(K.random_uniform((1000,), minval=2.0, maxval=3.0, seed=1))
    assert 2.0 <= uniform.min() and uniform.max() < 3.0


def test_crossentropies():
    target = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], dtype="float32")
    output = np.array([[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]], dtype="float32")
    np.testing.assert_allclose(value(K.categorical_crossentropy(target, output)),
                               -np.log([0.7, 0.6]), rtol=1e-6)
    np.testing.assert_allclose(value(K.sparse_categorical_crossentropy([1, 0], output)),
                               -np.log([0.7, 0.6]), rtol=1e-6)
    elementwise = value(K.binary_crossentropy(target, output))  # not averaged
    assert elementwise.shape == (2, 3)
    np.testing.assert_allclose(
        elementwise, -(target * np.log(output) + (1 - target) * np.log(1 - output)), rtol=1e-5)
    np.testing.assert_allclose(value(K.binary_crossentropy(target, output, from_logits=True)),
                               np.logaddexp(0, output) - target * output, rtol=1e-6)


def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))


def test_a_custom_loss_written_with_K_is_differentiable_and_trains(tmp_path):
    rng = np.random.default_rng(2)
    check_gradients(lambda p: rmse(np.ones((3, 2)), p), [rng.normal(size=(3, 2))])
    x = rng.normal(size=(64, 4)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5], [3.0]], dtype="float32")
    model = minikeras.Sequential([layers.Dense(1, input_shape=(4,))])
    model.compile(optimizer="adam", loss=rmse)
    history = model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    path = str(tmp_path / "model.h5")
    model.save(path)
    loaded = minikeras.models.load_model(path, custom_objects={"rmse": rmse})
    np.testing.assert_allclose(loaded.predict(x), model.predict(x), rtol=1e-6)


def test_a_lambda_layer_written_with_K():
    inputs = minikeras.Input((3,))
    outputs = layers.Lambda(lambda t: K.l2_normalize(K.square(t), axis=-1))(inputs)
    model = minikeras.Model(inputs, outputs)
    squared = X ** 2
    np.testing.assert_allclose(model.predict(X),
                               squared / np.linalg.norm(squared, axis=-1, keepdims=True),
                               rtol=1e-6)
    x = Variable(X)
    with GradientTape() as tape:
        loss = K.sum(model(x))
    assert tape.gradient(loss, x).shape == X.shape


def test_clear_session_restarts_layer_names():
    layers.Dense(1)
    K.clear_session()
    assert layers.Dense(1).name == "dense"


def test_the_backend_hands_out_the_functions_and_explains_graph_mode():
    from minikeras.backend import mean
    assert mean is minikeras.ops.mean
    assert {"mean", "square", "floatx", "epsilon"} <= set(dir(K))
    assert K.epsilon() == 1e-7 and K.floatx() == "float32"
    with pytest.raises(AttributeError, match="runs eagerly.*GradientTape"):
        K.gradients  # noqa: B018 (the attribute access is what is tested)
    with pytest.raises(AttributeError, match="no attribute 'no_such_function'"):
        K.no_such_function  # noqa: B018


def test_softmax_and_relu_take_keras_arguments():
    np.testing.assert_allclose(value(K.softmax(np.array([0.0, 0.0]))), [0.5, 0.5])
    np.testing.assert_allclose(value(K.relu(X, alpha=0.5, max_value=2.0)),
                               np.where(X > 0, np.minimum(X, 2.0), 0.5 * X))
