"""Tests of the losses: values by hand, extreme inputs, gradients, Loss classes, get/serialize."""
import math

import numpy as np
import pytest

from minikeras import GradientTape, Tensor, losses
from minikeras.autograd import check_gradients, ops

EPSILON = 1e-7
Y_TRUE = np.array([[0.0, 1.0, 2.0], [1.0, -1.0, 0.5]], dtype="float32")
Y_PRED = np.array([[0.5, 1.0, 1.0], [2.0, 1.0, 0.5]], dtype="float32")


def assert_loss(value, expected, rtol=1e-6, atol=1e-7):
    assert isinstance(value, Tensor)
    assert value.dtype == np.float32
    np.testing.assert_allclose(value.numpy(), expected, rtol=rtol, atol=atol)


def test_regression_losses_by_hand():
    # Errors y_pred - y_true: [[0.5, 0, -1], [1, 2, 0]].
    assert_loss(losses.mean_squared_error(Y_TRUE, Y_PRED), [1.25 / 3, 5 / 3])
    assert_loss(losses.mean_absolute_error(Y_TRUE, Y_PRED), [1.5 / 3, 3 / 3])
    # |y_true - y_pred| / max(|y_true|, eps): [[0.5 / eps, 0, 0.5], [1, 2, 0]].
    assert_loss(losses.mean_absolute_percentage_error(Y_TRUE, Y_PRED),
                [100 * (0.5 / EPSILON + 0.5) / 3, 100.0], rtol=1e-5)
    log_pred = np.log(np.maximum(Y_PRED, EPSILON) + 1)
    log_true = np.log(np.maximum(Y_TRUE, EPSILON) + 1)
    assert_loss(losses.mean_squared_logarithmic_error(Y_TRUE, Y_PRED),
                np.mean((log_pred - log_true) ** 2, axis=-1), rtol=1e-5)
    errors = Y_PRED - Y_TRUE
    assert_loss(losses.logcosh(Y_TRUE, Y_PRED), np.mean(np.log(np.cosh(errors)), -1), rtol=1e-5)
    # poisson: mean(y_pred - y_true * log(y_pred + eps)).
    assert_loss(losses.poisson([[1.0, 2.0]], [[1.0, 4.0]]),
                [(1 - 0 + 4 - 2 * math.log(4)) / 2], rtol=1e-5)


def test_hinge_losses_by_hand():
    y_true = [[1.0, -1.0, 1.0]]
    y_pred = [[0.3, 0.5, 2.0]]
    # 1 - y_true * y_pred = [0.7, 1.5, -1] -> max(., 0) = [0.7, 1.5, 0].
    assert_loss(losses.hinge(y_true, y_pred), [2.2 / 3])
    assert_loss(losses.squared_hinge(y_true, y_pred), [(0.49 + 2.25) / 3])
    # positive = 0.5 (the true class), negative = max(0.1, 0.0, 0.7) = 0.7.
    assert_loss(losses.categorical_hinge([[0.0, 1.0, 0.0]], [[0.1, 0.5, 0.7]]), [1.2])
    assert_loss(losses.categorical_hinge([[0.0, 1.0, 0.0]], [[0.1, 3.0, 0.7]]), [0.0])


def test_kld_and_cosine_by_hand():
    p, q = [[0.25, 0.75]], [[0.5, 0.5]]
    assert_loss(losses.kullback_leibler_divergence(p, q),
                [0.25 * math.log(0.5) + 0.75 * math.log(1.5)], rtol=1e-5)
    # Zeros are clipped to eps: 0 * log(eps / q) = eps * log(eps / q), nearly 0.
    assert_loss(losses.kld([[0.0, 1.0]], [[0.5, 0.5]]), [math.log(2)], rtol=1e-5)
    assert_loss(losses.cosine_proximity([[3.0, 4.0]], [[4.0, 3.0]]), [-24 / 25])
    assert_loss(losses.cosine_proximity([[1.0, 0.0]], [[-2.0, 0.0]]), [1.0])
    assert_loss(losses.cosine_proximity([[0.0, 0.0]], [[1.0, 0.0]]), [0.0])


def test_categorical_crossentropy_on_probabilities():
    y_true = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    y_pred = [[0.2, 0.5, 0.3], [1.0, 1.0, 2.0]]  # the second row is rescaled to sum to 1
    assert_loss(losses.categorical_crossentropy(y_true, y_pred),
                [-math.log(0.5), -math.log(0.25)], rtol=1e-6)


def test_crossentropies_stay_finite_for_probabilities_of_exactly_0_and_1():
    # Probabilities are clipped to [eps, 1 - eps]; in float32, 1 - 1e-7 rounds to 1 - 2 ** -23.
    below_one = float(np.float32(1 - EPSILON))
    wrong, right = -math.log(EPSILON), -math.log(below_one)
    cce = losses.categorical_crossentropy([[0.0, 1.0], [1.0, 0.0]], [[1.0, 0.0], [1.0, 0.0]])
    assert_loss(cce, [wrong, right], rtol=1e-4)
    sparse = losses.sparse_categorical_crossentropy([1, 0], [[1.0, 0.0], [1.0, 0.0]])
    assert_loss(sparse, [wrong, right], rtol=1e-4, atol=1e-6)
    # A 1 predicted for a 0 costs -log(1 - below_one); a 0 predicted for a 1 costs -log(eps).
    bce = losses.binary_crossentropy([[1.0, 0.0], [1.0, 0.0]], [[0.0, 1.0], [1.0, 0.0]])
    assert_loss(bce, [(wrong - math.log(1 - below_one)) / 2, right], rtol=1e-4, atol=1e-6)
    assert np.all(np.isfinite(bce.numpy()))


def test_binary_crossentropy_on_probabilities_by_hand():
    y_true = [[1.0, 0.0, 1.0]]
    y_pred = [[0.9, 0.2, 0.5]]
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.5)) / 3
    assert_loss(losses.binary_crossentropy(y_true, y_pred), [expected], rtol=1e-6)


def test_from_logits_is_stable_for_logits_of_magnitude_1000():
    logits = [[1000.0, -1000.0, 0.0]]
    assert_loss(losses.categorical_crossentropy([[0.0, 1.0, 0.0]], logits, from_logits=True),
                [2000.0])
    assert_loss(losses.categorical_crossentropy([[1.0, 0.0, 0.0]], logits, from_logits=True),
                [0.0])
    assert_loss(losses.sparse_categorical_crossentropy([1], logits, from_logits=True), [2000.0])
    assert_loss(losses.sparse_categorical_crossentropy([2], logits, from_logits=True), [1000.0])
    bce = losses.binary_crossentropy([[1.0, 0.0, 1.0, 0.0]], [[1000.0, 1000.0, -1000.0, 0.0]],
                                     from_logits=True)
    assert_loss(bce, [(0.0 + 1000.0 + 1000.0 + math.log(2)) / 4])


def test_label_smoothing():
    smoothing = 0.2
    bce = losses.binary_crossentropy([[1.0, 0.0]], [[0.9, 0.3]], label_smoothing=smoothing)
    targets = np.array([0.9, 0.1])  # y * 0.8 + 0.1
    probabilities = np.array([0.9, 0.3])
    expected = -np.mean(targets * np.log(probabilities) + (1 - targets) * np.log(1 - probabilities))
    assert_loss(bce, [expected], rtol=1e-5)
    cce = losses.categorical_crossentropy([[0.0, 1.0]], [[0.4, 0.6]], label_smoothing=smoothing)
    targets = np.array([0.1, 0.9])  # y * 0.8 + 0.2 / 2
    assert_loss(cce, [-np.sum(targets * np.log([0.4, 0.6]))], rtol=1e-5)


def test_sparse_labels_of_shape_n_and_n_1_agree():
    probabilities = np.array([[0.1, 0.7, 0.2], [0.5, 0.25, 0.25]], dtype="float32")
    expected = [-math.log(0.7), -math.log(0.5)]
    for labels in ([1, 0], [[1], [0]], np.array([1.0, 0.0]), np.array([[1], [0]], "int32")):
        assert_loss(losses.sparse_categorical_crossentropy(labels, probabilities), expected,
                    rtol=1e-6)
    one_hot = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    np.testing.assert_allclose(losses.categorical_crossentropy(one_hot, probabilities).numpy(),
                               expected, rtol=1e-6)


def test_sparse_crossentropy_with_a_class_axis_in_the_middle():
    logits = np.random.default_rng(0).normal(size=(2, 4, 3)).astype("float32")
    labels = np.array([[0, 3, 1], [2, 2, 0]])  # class axis 1, then 3 time steps
    channels_last = np.transpose(logits, (0, 2, 1))
    np.testing.assert_allclose(
        losses.sparse_categorical_crossentropy(labels, logits, from_logits=True, axis=1).numpy(),
        losses.sparse_categorical_crossentropy(labels, channels_last, from_logits=True).numpy(),
        rtol=1e-6)


def test_bad_sparse_labels_are_clear_errors():
    with pytest.raises(ValueError, match="one integer class per sample"):
        losses.sparse_categorical_crossentropy([0, 1, 1], [[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match=r"class indices in \[0, 2\)"):
        losses.sparse_categorical_crossentropy([0, 2], [[0.5, 0.5], [0.5, 0.5]])


GRADIENT_CASES = {
    "mse": lambda t, p: losses.mean_squared_error(t, p),
    "mae": lambda t, p: losses.mean_absolute_error(t, p),
    "logcosh": lambda t, p: losses.logcosh(t, p),
    "categorical_crossentropy": lambda t, p: losses.categorical_crossentropy(t, p),
    "categorical_from_logits": lambda t, p: losses.categorical_crossentropy(t, p, from_logits=True),
    "binary_crossentropy": lambda t, p: losses.binary_crossentropy(t, p),
    "binary_from_logits": lambda t, p: losses.binary_crossentropy(t, p, from_logits=True),
    "binary_label_smoothing": lambda t, p: losses.binary_crossentropy(t, p, label_smoothing=0.1),
    "kld": lambda t, p: losses.kullback_leibler_divergence(t, p),
    "poisson": lambda t, p: losses.poisson(t, p),
    "cosine_proximity": lambda t, p: losses.cosine_proximity(t, p),
    # delta 0.3: some errors of the uniform predictions fall on each side of it.
    "huber": lambda t, p: losses.huber(t, p, delta=0.3),
}


@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients_match_central_differences(name):
    rng = np.random.default_rng(1)
    y_true = rng.dirichlet(np.ones(4), size=3)  # soft targets in (0, 1), rows sum to 1
    y_pred = rng.uniform(0.1, 0.9, size=(3, 4))  # probabilities away from the clip
    loss = GRADIENT_CASES[name]
    check_gradients(lambda p: loss(y_true, p), [y_pred], tolerance=1e-6)
    check_gradients(lambda t: loss(t, y_pred), [y_true], tolerance=1e-6)


def test_sparse_crossentropy_gradients():
    labels = np.array([2, 0, 1])
    probabilities = np.random.default_rng(2).uniform(0.1, 0.9, size=(3, 4))
    for from_logits in (False, True):
        check_gradients(lambda p, fl=from_logits: losses.sparse_categorical_crossentropy(
            labels, p, from_logits=fl), [probabilities], tolerance=1e-6)


def test_sigmoid_cross_entropy_op_is_the_textbook_formula_without_overflow():
    logits = np.array([[-3.0, -0.5, 0.0, 0.5, 3.0]])
    labels = np.array([[0.0, 1.0, 1.0, 0.25, 1.0]])
    probabilities = 1 / (1 + np.exp(-logits))
    textbook = -(labels * np.log(probabilities) + (1 - labels) * np.log(1 - probabilities))
    value = ops.sigmoid_cross_entropy_with_logits(labels, Tensor(logits))
    np.testing.assert_allclose(value.numpy(), textbook, rtol=1e-12)
    # Far from zero, the right side costs nothing and the wrong side costs |z|.
    extreme = ops.sigmoid_cross_entropy_with_logits(
        [[1.0, 0.0, 0.0, 1.0]], Tensor(np.array([[1000.0, -1000.0, 1000.0, -1000.0]], "f4")))
    assert extreme.dtype == np.float32
    np.testing.assert_array_equal(extreme.numpy(), [[0.0, 0.0, 1000.0, 1000.0]])
    from_integers = ops.sigmoid_cross_entropy_with_logits([[1]], np.array([[2]]))
    assert from_integers.dtype == np.float32  # floatx, not the integers' dtype
    np.testing.assert_allclose(from_integers.numpy(), [[math.log1p(math.exp(-2))]], rtol=1e-6)


def test_sigmoid_cross_entropy_op_gradients_with_broadcast_labels():
    rng = np.random.default_rng(5)
    logits = rng.normal(scale=2.0, size=(3, 4))
    labels = rng.uniform(size=(3, 1))  # one label per row, broadcast along the row
    check_gradients(lambda z: ops.sigmoid_cross_entropy_with_logits(labels, z), [logits])
    check_gradients(lambda y: ops.sigmoid_cross_entropy_with_logits(y, logits), [labels])


def test_binary_crossentropy_gradient_at_zero_logit_is_exact():
    logits = Tensor(np.zeros((1, 2)))
    with GradientTape() as tape:
        tape.watch(logits)
        loss = losses.binary_crossentropy([[1.0, 0.0]], logits, from_logits=True)
    # d/dz of mean(softplus(z) - z * y) = (sigmoid(z) - y) / 2 = (0.5 - y) / 2.
    np.testing.assert_allclose(tape.gradient(loss, logits), [[-0.25, 0.25]])


def test_loss_classes_reduce_with_sample_weights():
    y_true = [[0.0, 1.0], [0.0, 0.0]]
    y_pred = [[1.0, 1.0], [1.0, 0.0]]
    mse = losses.MeanSquaredError()
    assert_loss(mse(y_true, y_pred), 0.5)
    assert_loss(mse(y_true, y_pred, sample_weight=[0.7, 0.3]), 0.25)
    assert_loss(mse(y_true, y_pred, sample_weight=[[0.7], [0.3]]), 0.25)
    assert_loss(mse(y_true, y_pred, sample_weight=2.0), 1.0)
    assert_loss(losses.MeanSquaredError(reduction="sum")(y_true, y_pred), 1.0)
    assert_loss(losses.MeanSquaredError(reduction="none")(y_true, y_pred), [0.5, 0.5])
    with pytest.raises(ValueError, match="sample_weight of shape"):
        mse(y_true, y_pred, sample_weight=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Unknown loss reduction"):
        losses.MeanSquaredError(reduction="mean")


def test_loss_classes_pass_their_arguments():
    y_true, logits = [[1.0], [0.0]], [[2.0], [-1.0]]
    expected = np.mean([math.log1p(math.exp(-2.0)), math.log1p(math.exp(-1.0))])
    assert_loss(losses.BinaryCrossentropy(from_logits=True)(y_true, logits), expected, rtol=1e-6)
    sparse = losses.SparseCategoricalCrossentropy(from_logits=True)
    assert_loss(sparse([1], [[0.0, 0.0]]), math.log(2), rtol=1e-6)
    cce = losses.CategoricalCrossentropy(label_smoothing=0.5)
    assert_loss(cce([[0.0, 1.0]], [[0.5, 0.5]]), math.log(2), rtol=1e-6)


def test_loss_classes_give_one_loss_per_sample_for_targets_without_the_unit_axis():
    # Targets (2,) against predictions (2, 1) must not broadcast to (2, 2).
    assert_loss(losses.MeanSquaredError()([0.0, 2.0], [[0.0], [2.0]]), 0.0)
    assert_loss(losses.MeanAbsoluteError(reduction="none")([[0.0], [2.0]], [1.0, 2.0]),
                [1.0, 0.0])


def test_every_loss_class_computes_its_function():
    y_true = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], dtype="float32")
    y_pred = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]], dtype="float32")
    pairs = [(losses.MeanSquaredError, losses.mse), (losses.MeanAbsoluteError, losses.mae),
             (losses.MeanAbsolutePercentageError, losses.mape),
             (losses.MeanSquaredLogarithmicError, losses.msle), (losses.Hinge, losses.hinge),
             (losses.SquaredHinge, losses.squared_hinge),
             (losses.CategoricalHinge, losses.categorical_hinge), (losses.Poisson, losses.poisson),
             (losses.LogCosh, losses.logcosh), (losses.KLDivergence, losses.kld),
             (losses.Huber, losses.huber),
             (losses.CosineSimilarity, losses.cosine_proximity),
             (losses.BinaryCrossentropy, losses.binary_crossentropy),
             (losses.CategoricalCrossentropy, losses.categorical_crossentropy)]
    for loss_class, function in pairs:
        np.testing.assert_allclose(loss_class()(y_true, y_pred).numpy(),
                                   np.mean(function(y_true, y_pred).numpy()), rtol=1e-6)


def test_huber_is_quadratic_then_linear_as_tf_keras_documents():
    # tf.keras's documented example: 0.155, 0.09 with sample weights [1, 0], 0.31 summed,
    # [0.18, 0.13] per sample.
    y_true, y_pred = [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]
    assert_loss(losses.Huber()(y_true, y_pred), 0.155, rtol=1e-6)
    assert_loss(losses.Huber()(y_true, y_pred, sample_weight=[1, 0]), 0.09, rtol=1e-6)
    assert_loss(losses.Huber(reduction="sum")(y_true, y_pred), 0.31, rtol=1e-6)
    assert_loss(losses.Huber(reduction="none")(y_true, y_pred), [0.18, 0.13], rtol=1e-6)
    # Errors of 0.5, 2 and -3 with delta 1: 0.125, then 2 - 0.5 and 3 - 0.5 (linear).
    assert_loss(losses.huber([[0.0, 0.0, 0.0]], [[0.5, 2.0, -3.0]]), [(0.125 + 1.5 + 2.5) / 3])
    assert_loss(losses.huber([[0.0]], [[2.0]], delta=3.0), [2.0])  # still quadratic
    loss = losses.deserialize(losses.serialize(losses.Huber(delta=0.5)))
    assert isinstance(loss, losses.Huber)
    assert loss.get_config() == {"reduction": "auto", "name": "huber_loss", "delta": 0.5}
    assert losses.get("huber") is losses.huber

def test_aliases():
    assert losses.mse is losses.MSE is losses.mean_squared_error
    assert losses.mae is losses.MAE is losses.mean_absolute_error
    assert losses.mape is losses.MAPE is losses.mean_absolute_percentage_error
    assert losses.msle is losses.MSLE is losses.mean_squared_logarithmic_error
    assert losses.kld is losses.KLD is losses.kullback_leibler_divergence
    assert losses.cosine is losses.cosine_proximity
    for alias in ["mse", "MSE", "mae", "mape", "msle", "kld", "KLD", "cosine", "logcosh"]:
        assert losses.get(alias) is getattr(losses, alias)


def test_get_serialize_deserialize():
    assert losses.get("categorical_crossentropy") is losses.categorical_crossentropy
    assert losses.get(None) is None
    assert losses.get(losses.hinge) is losses.hinge
    assert losses.serialize(losses.mse) == "mean_squared_error"
    assert losses.deserialize("mean_squared_error") is losses.mean_squared_error
    assert isinstance(losses.get("MeanSquaredError"), losses.MeanSquaredError)
    loss = losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)
    config = losses.serialize(loss)
    assert config == {"class_name": "BinaryCrossentropy", "config": {
        "reduction": "auto", "name": "binary_crossentropy", "from_logits": True,
        "label_smoothing": 0.1, "axis": -1}}
    clone = losses.deserialize(config)
    assert isinstance(clone, losses.BinaryCrossentropy) and clone.get_config() == config["config"]


def test_keras_3_forms_are_accepted():
    keras3_class = {"module": "keras.losses", "class_name": "SparseCategoricalCrossentropy",
                    "config": {"name": "sparse_categorical_crossentropy",
                               "reduction": "sum_over_batch_size", "from_logits": True,
                               "ignore_class": None, "axis": -1, "dtype": None},
                    "registered_name": None}
    loss = losses.deserialize(keras3_class)
    assert isinstance(loss, losses.SparseCategoricalCrossentropy)
    assert loss.fn_kwargs["from_logits"] is True
    keras3_function = {"module": "keras.losses", "class_name": "function",
                       "config": "mean_squared_error", "registered_name": "mean_squared_error"}
    assert losses.deserialize(keras3_function) is losses.mean_squared_error


def test_unknown_loss_is_a_clear_error():
    expected = (r"Unknown loss function: 'mean_sqared_error'\. Did you mean "
                r"'mean_squared_error'\? Known: .*binary_crossentropy")
    with pytest.raises(ValueError, match=expected):
        losses.get("mean_sqared_error")
    with pytest.raises(ValueError, match="Could not interpret"):
        losses.get(5)


def test_custom_objects():
    def my_loss(y_true, y_pred):
        return losses.mse(y_true, y_pred) * 2

    assert losses.deserialize("my_loss", custom_objects={"my_loss": my_loss}) is my_loss
    assert losses.serialize(my_loss) == "my_loss"
