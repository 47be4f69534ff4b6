"""Tests of the metrics: accuracy functions by hand, resolve_accuracy, and the stateful metrics."""
import numpy as np
import pytest

from minikeras import Tensor, losses, metrics

PROBABILITIES = np.array([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3], [0.2, 0.3, 0.5], [0.4, 0.4, 0.2]],
                         dtype="float32")
ONE_HOT = np.array([[0, 1, 0], [0, 0, 1], [0, 1, 0], [0, 1, 0]], dtype="float32")
LABELS = np.array([1, 2, 1, 1])


def assert_metric(value, expected):
    assert isinstance(value, Tensor)
    assert value.dtype == np.float32
    np.testing.assert_allclose(value.numpy(), expected, rtol=1e-6)


def test_binary_accuracy_by_hand():
    y_true = [[1.0, 0.0], [0.0, 1.0]]
    y_pred = [[0.6, 0.4], [0.55, 0.51]]
    assert_metric(metrics.binary_accuracy(y_true, y_pred), [1.0, 0.5])
    assert_metric(metrics.binary_accuracy(y_true, y_pred, threshold=0.52), [1.0, 0.0])
    # Exactly at the threshold counts as 0, as Keras's `y_pred > threshold`.
    assert_metric(metrics.binary_accuracy([[0.0]], [[0.5]]), [1.0])


def test_categorical_and_sparse_accuracy_by_hand():
    # Argmaxes of PROBABILITIES: 1, 0, 2, 0 (ties go to the first).
    assert_metric(metrics.categorical_accuracy(ONE_HOT, PROBABILITIES), [1, 0, 0, 0])
    for labels in (LABELS, LABELS[:, None], LABELS.astype("float32")):
        assert_metric(metrics.sparse_categorical_accuracy(labels, PROBABILITIES), [1, 0, 0, 0])


def test_top_k_accuracy_by_hand():
    # Ranks of the target: 1st, 2nd, 2nd, tied 1st (a tie counts as in, as TensorFlow's in_top_k,
    # while categorical_accuracy's argmax picks the first of the tied classes).
    assert_metric(metrics.top_k_categorical_accuracy(ONE_HOT, PROBABILITIES, k=1), [1, 0, 0, 1])
    assert_metric(metrics.top_k_categorical_accuracy(ONE_HOT, PROBABILITIES, k=2), [1, 1, 1, 1])
    assert_metric(metrics.sparse_top_k_categorical_accuracy(LABELS[:, None], PROBABILITIES, k=1),
                  [1, 0, 0, 1])
    assert_metric(metrics.top_k_categorical_accuracy(ONE_HOT, PROBABILITIES), [1, 1, 1, 1])


def test_every_loss_is_a_metric():
    assert metrics.get("mse") is losses.mean_squared_error
    assert metrics.get("binary_crossentropy") is losses.binary_crossentropy
    assert metrics.get("KLD") is losses.kullback_leibler_divergence
    assert metrics.get("categorical_accuracy") is metrics.categorical_accuracy
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    value = metrics.get("mae")([[1.0, 2.0]], [[2.0, 2.0]])
    np.testing.assert_allclose(value.numpy(), [0.5])


@pytest.mark.parametrize("name, loss, output_shape, expected", [
    ("accuracy", "binary_crossentropy", (None, 3), metrics.binary_accuracy),
    ("acc", "categorical_crossentropy", (None, 1), metrics.binary_accuracy),
    ("accuracy", losses.BinaryCrossentropy(from_logits=True), (None, 4), metrics.binary_accuracy),
    ("accuracy", "sparse_categorical_crossentropy", (None, 10),
     metrics.sparse_categorical_accuracy),
    ("acc", losses.SparseCategoricalCrossentropy(), (None, 10),
     metrics.sparse_categorical_accuracy),
    ("accuracy", "categorical_crossentropy", (None, 10), metrics.categorical_accuracy),
    ("accuracy", "mse", (None, 10), metrics.categorical_accuracy),
    ("crossentropy", "binary_crossentropy", (None, 3), losses.binary_crossentropy),
    ("ce", losses.sparse_categorical_crossentropy, (None, 5),
     losses.sparse_categorical_crossentropy),
    ("ce", "mse", (None, 5), losses.categorical_crossentropy),
    ("mae", "mse", (None, 5), losses.mean_absolute_error),
])
def test_resolve_accuracy_as_keras_2(name, loss, output_shape, expected):
    assert metrics.resolve_accuracy(name, loss, output_shape) is expected


def test_mean_is_a_sample_weighted_mean():
    mean = metrics.Mean("loss")
    assert mean.name == "loss" and mean.result() == 0.0
    mean.update_state([1.0, 2.0])
    mean.update_state(6.0)
    assert mean.result() == pytest.approx(3.0)
    mean.update_state([10.0, 0.0], sample_weight=[0.0, 3.0])
    assert mean.result() == pytest.approx(9.0 / 6.0)
    mean.reset_states()
    assert mean.result() == 0.0
    mean.update_state(Tensor([[1.0, 3.0], [5.0, 7.0]]), sample_weight=[1.0, 0.0])
    assert mean.result() == pytest.approx(2.0)
    mean.reset_state()
    assert mean(4.0) == pytest.approx(4.0)


def test_mean_metric_wrapper_over_batches():
    accuracy = metrics.MeanMetricWrapper(metrics.sparse_categorical_accuracy)
    assert accuracy.name == "sparse_categorical_accuracy"
    accuracy.update_state(LABELS[:2], PROBABILITIES[:2])  # right, wrong
    accuracy.update_state(LABELS[2:], PROBABILITIES[2:], sample_weight=[3.0, 1.0])  # wrong, wrong
    assert accuracy.result() == pytest.approx(1.0 / 6.0)
    accuracy.reset_states()
    assert accuracy(LABELS, PROBABILITIES) == pytest.approx(0.25)


def test_wrapper_handles_targets_without_the_unit_axis():
    accuracy = metrics.BinaryAccuracy()
    accuracy.update_state([1.0, 0.0, 1.0], [[0.9], [0.2], [0.4]])
    assert accuracy.result() == pytest.approx(2.0 / 3.0)
    mse = metrics.MeanMetricWrapper(losses.mean_squared_error, name="mse")
    mse.update_state([0.0, 2.0], [[1.0], [2.0]])
    assert mse.result() == pytest.approx(0.5)


def test_metric_classes_and_their_configs():
    assert metrics.BinaryAccuracy(threshold=0.7)([[1.0], [1.0]], [[0.8], [0.6]]) == 0.5
    assert metrics.TopKCategoricalAccuracy(k=1)(ONE_HOT, PROBABILITIES) == 0.5
    assert metrics.CategoricalAccuracy().name == "categorical_accuracy"
    for metric in [metrics.BinaryAccuracy(threshold=0.3), metrics.CategoricalAccuracy(),
                   metrics.SparseCategoricalAccuracy(name="acc"), metrics.Mean("loss"),
                   metrics.TopKCategoricalAccuracy(k=3), metrics.SparseTopKCategoricalAccuracy(),
                   metrics.Accuracy()]:
        clone = metrics.deserialize(metrics.serialize(metric))
        assert type(clone) is type(metric) and clone.get_config() == metric.get_config()
    assert isinstance(metrics.get("CategoricalAccuracy"), metrics.CategoricalAccuracy)
    assert metrics.serialize(metrics.binary_accuracy) == "binary_accuracy"


def test_unknown_metric_is_a_clear_error():
    with pytest.raises(ValueError, match=r"Unknown metric function: 'acuracy'\. Did you mean"):
        metrics.get("acuracy")
    with pytest.raises(ValueError, match="Could not interpret"):
        metrics.get(None)
