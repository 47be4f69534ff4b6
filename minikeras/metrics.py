"""Metrics: functions judging predictions, and the stateful objects that average them.

A metric function takes `y_true` and `y_pred` and returns one value per sample, like a
loss; every loss function is also a metric (`get("mse")` works). Metrics are not
differentiated, so the accuracy functions compute with NumPy and wrap the result in a
`Tensor`.

The training loop keeps one stateful metric per reported value: `Mean` averages
values over the batches of an epoch, `MeanMetricWrapper` does the same for a metric
function. Each has `update_state`, `result` and `reset_states`.
"""
import numbers

import numpy as np

from minikeras import backend, losses
from minikeras.autograd import Tensor
from minikeras.utils.generic_utils import deserialize_keras_object, serialize_keras_object


def _as_floats(boolean_array):
    return Tensor(boolean_array.astype(backend.floatx()))


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Binary accuracy: how often the thresholded predictions equal the targets.

    # Arguments
        y_true: the targets, 0 or 1, of shape `(batch, ..., units)`.
        y_pred: the predicted probabilities, of the same shape.
        threshold: predictions above it count as 1.

    # Returns
        A `Tensor` of shape `(batch, ...)`: the mean over the last axis of the matches.
    """
    predicted_labels = np.asarray(y_pred) > threshold
    matches = np.asarray(y_true) == predicted_labels
    return Tensor(np.mean(matches, axis=-1).astype(backend.floatx()))


def categorical_accuracy(y_true, y_pred):
    """Categorical accuracy: whether the most probable class is the target's.

    # Arguments
        y_true: one-hot targets, of shape `(batch, ..., classes)`.
        y_pred: the predictions, of the same shape.

    # Returns
        A `Tensor` of shape `(batch, ...)` of 1s (right) and 0s (wrong).
    """
    return _as_floats(np.argmax(np.asarray(y_true), -1) == np.argmax(np.asarray(y_pred), -1))


def sparse_categorical_accuracy(y_true, y_pred):
    """Categorical accuracy for integer labels.

    # Arguments
        y_true: integer labels, of shape `(batch, ...)` or `(batch, ..., 1)`.
        y_pred: the predictions, of shape `(batch, ..., classes)`.

    # Returns
        A `Tensor` of shape `(batch, ...)` of 1s and 0s.

    # Raises
        ValueError: if the labels do not fit the predictions.
    """
    predictions = np.asarray(y_pred)
    labels = losses.to_sparse_labels(y_true, predictions.shape)
    return _as_floats(labels == np.argmax(predictions, -1))


def _in_top_k(predictions, labels, k):
    """Whether each label is among the `k` highest predictions (ties count in, as in TensorFlow)."""
    label_scores = np.take_along_axis(predictions, labels[..., np.newaxis], axis=-1)
    n_higher = np.sum(predictions > label_scores, axis=-1)
    return n_higher < k


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Top-k accuracy: whether the target class is among the `k` most probable.

    # Arguments
        y_true: one-hot targets, of shape `(batch, classes)`.
        y_pred: the predictions, of the same shape.
        k: how many of the top classes count.

    # Returns
        A `Tensor` of shape `(batch,)` of 1s and 0s.
    """
    labels = np.argmax(np.asarray(y_true), -1)
    return _as_floats(_in_top_k(np.asarray(y_pred), labels, k))


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Top-k accuracy for integer labels.

    # Arguments
        y_true: integer labels, of shape `(batch,)` or `(batch, 1)`.
        y_pred: the predictions, of shape `(batch, classes)`.
        k: how many of the top classes count.

    # Returns
        A `Tensor` of shape `(batch,)` of 1s and 0s.

    # Raises
        ValueError: if the labels do not fit the predictions.
    """
    predictions = np.asarray(y_pred)
    labels = losses.to_sparse_labels(y_true, predictions.shape)
    return _as_floats(_in_top_k(predictions, labels, k))


def accuracy(y_true, y_pred):
    """Elementwise accuracy, as `tf.keras.metrics.accuracy`: 1 where `y_true == y_pred`.

    `compile(metrics=["accuracy"])` does not use it: the training loop picks binary,
    categorical or sparse accuracy with `resolve_accuracy`.

    # Arguments
        y_true: the targets.
        y_pred: the predictions, already as labels, of the same shape.

    # Returns
        A `Tensor` of 1s and 0s.
    """
    return _as_floats(np.asarray(y_true) == np.asarray(y_pred))


def _is_loss(loss, function, loss_class):
    """Whether `loss` is `function`, an instance of `loss_class`, or a wrapper of `function`."""
    return (loss is function or isinstance(loss, loss_class)
            or getattr(loss, "fn", None) is function)


def resolve_accuracy(name, loss, output_shape):
    """Finds the metric function a name stands for, choosing the accuracy as Keras 2 does.

    `"accuracy"` and `"acc"` become `binary_accuracy` when the loss is binary
    cross-entropy or the output has one unit, `sparse_categorical_accuracy` when the
    loss is sparse categorical cross-entropy, and `categorical_accuracy` otherwise.
    `"crossentropy"` and `"ce"` become the matching cross-entropy. Any other name is
    looked up with `get`.

    # Arguments
        name: the metric's name as given to `compile`, or a metric function.
        loss: the model's loss for this output: a name, a function or a `Loss`.
        output_shape: the shape of the output, such as `(None, 10)`.

    # Returns
        A metric function.

    # Raises
        ValueError: if the name is unknown.
    """
    if name not in ("accuracy", "acc", "crossentropy", "ce"):
        return get(name)
    loss = losses.get(loss)
    if (_is_loss(loss, losses.binary_crossentropy, losses.BinaryCrossentropy)
            or (output_shape is not None and output_shape[-1] == 1)):
        kind = "binary"
    elif _is_loss(loss, losses.sparse_categorical_crossentropy,
                  losses.SparseCategoricalCrossentropy):
        kind = "sparse"
    else:
        kind = "categorical"
    accuracy_function, crossentropy_function = _ACCURACY_AND_CROSSENTROPY[kind]
    return accuracy_function if name in ("accuracy", "acc") else crossentropy_function


_ACCURACY_AND_CROSSENTROPY = {
    "binary": (binary_accuracy, losses.binary_crossentropy),
    "sparse": (sparse_categorical_accuracy, losses.sparse_categorical_crossentropy),
    "categorical": (categorical_accuracy, losses.categorical_crossentropy),
}


class Metric:
    """Base class of the stateful metrics: values accumulated over batches.

    Subclasses implement `update_state`, `result` and `reset_states`. Calling a metric
    updates it and returns the new result.

    # Arguments
        name: the metric's name, as shown in the training logs.
        dtype: the dtype of the values, `backend.floatx()` by default.
    """

    def __init__(self, name=None, dtype=None):
        self.name = name or _snake_case(type(self).__name__)
        self.dtype = dtype or backend.floatx()

    def __call__(self, *args, **kwargs):
        """Updates the state with a batch and returns the new result.

        # Arguments
            *args: the arguments of `update_state`.
            **kwargs: the keyword arguments of `update_state`.

        # Returns
            The result, a float.
        """
        self.update_state(*args, **kwargs)
        return self.result()

    def update_state(self, *args, **kwargs):
        """Accumulates a batch of values.

        # Arguments
            *args: the batch's data.
            **kwargs: options such as `sample_weight`.

        # Raises
            NotImplementedError: always, in the base class; subclasses override it.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement update_state().")

    def result(self):
        """Returns the metric's value for everything accumulated since the last reset.

        # Returns
            A float.

        # Raises
            NotImplementedError: always, in the base class; subclasses override it.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def reset_states(self):
        """Forgets everything accumulated (called at the start of each epoch).

        # Raises
            NotImplementedError: always, in the base class; subclasses override it.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement reset_states().")

    def reset_state(self):
        """Forgets everything accumulated (the newer `tf.keras` name of `reset_states`)."""
        self.reset_states()

    def get_config(self):
        """Returns the metric's arguments, as a dictionary.

        # Returns
            A dictionary that `from_config` turns back into the same metric.
        """
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        """Builds a metric from its config.

        # Arguments
            config: a dictionary, as returned by `get_config`.

        # Returns
            A `Metric`.
        """
        return cls(**config)


def _snake_case(name):
    """`"BinaryAccuracy"` becomes `"binary_accuracy"`."""
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))


class Mean(Metric):
    """The (sample-weighted) mean of every value given to `update_state` since the last reset.

    # Arguments
        name: the metric's name.
        dtype: the dtype of the values.

    # Example
    ```python
    mean = Mean("loss")
    mean.update_state([1.0, 2.0])
    mean.update_state([6.0])
    mean.result()  # 3.0
    ```
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values, sample_weight=None):
        """Adds values (a scalar or an array of them) to the mean.

        # Arguments
            values: a number, an array or a tensor.
            sample_weight: `None`, a scalar, or one weight per value (or per sample,
                broadcast along the value's other axes).
        """
        if isinstance(values, numbers.Real) and isinstance(sample_weight,
                                                          (numbers.Real, type(None))):
            # One number (NumPy scalars included), as the training loop gives each batch's
            # loss: no arrays needed.
            weight = 1.0 if sample_weight is None else float(sample_weight)
            self.total += values * weight
            self.count += weight
            return
        values = np.asarray(values, dtype=np.float64)
        if sample_weight is None:
            weights = np.ones_like(values)
        else:
            weights = np.broadcast_to(losses.expand_sample_weight(sample_weight, values),
                                      values.shape)
        self.total += float(np.sum(values * weights))
        self.count += float(np.sum(weights))

    def result(self):
        """Returns the weighted mean so far (0.0 before any value).

        # Returns
            A float.
        """
        return self.total / self.count if self.count else 0.0

    def reset_states(self):
        """Forgets every value seen."""
        self.total = 0.0
        self.count = 0.0


class MeanMetricWrapper(Mean):
    """The mean, over every sample seen, of a metric function.

    # Arguments
        fn: a metric function `fn(y_true, y_pred, **kwargs)` returning values per sample.
        name: the metric's name.
        dtype: the dtype of the values.
        **kwargs: keyword arguments passed to `fn`.
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or fn.__name__, dtype=dtype)
        self.fn = fn
        self.fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Computes the metric for a batch and adds it to the mean.

        # Arguments
            y_true: the batch's targets.
            y_pred: the batch's predictions.
            sample_weight: `None` or one weight per sample.
        """
        y_true, y_pred = losses.match_label_rank(y_true, y_pred)
        super().update_state(self.fn(y_true, y_pred, **self.fn_kwargs), sample_weight)

    def get_config(self):
        """Returns the metric's configuration: `name`, `dtype` and the keyword arguments of `fn`.

        # Returns
            A dictionary that `from_config` turns back into the same metric.
        """
        return {**super().get_config(), **self.fn_kwargs}


class Accuracy(MeanMetricWrapper):
    """The mean of `accuracy`: how often predictions equal the targets exactly.

    # Arguments
        name: the metric's name.
        dtype: the dtype of the values.
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """The mean of `binary_accuracy`.

    # Arguments
        name: the metric's name.
        dtype: the dtype of the values.
        threshold: predictions above it count as 1.
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """The mean of `categorical_accuracy`.

    # Arguments
        name: the metric's name.
        dtype: the dtype of the values.
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """The mean of `sparse_categorical_accuracy`.

    # Arguments
        name: the metric's name.
        dtype: the dtype of the values.
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """The mean of `top_k_categorical_accuracy`.

    # Arguments
        k: how many of the top classes count.
        name: the metric's name.
        dtype: the dtype of the values.
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """The mean of `sparse_top_k_categorical_accuracy`.

    # Arguments
        k: how many of the top classes count.
        name: the metric's name.
        dtype: the dtype of the values.
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


# Keras's short name.
acc = accuracy

_METRIC_FUNCTIONS = {function.__name__: function for function in (
    binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, accuracy,
)}
_METRIC_FUNCTIONS["acc"] = acc
_METRIC_CLASSES = {cls.__name__: cls for cls in (
    Mean, Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
)}


def _known_metrics():
    """Every loss function is also a metric; metric names win over loss names."""
    return {**losses.LOSS_FUNCTIONS, **_METRIC_FUNCTIONS, **_METRIC_CLASSES}


def serialize(metric):
    """Returns what Keras stores for a metric: a function's name or a `Metric`'s config.

    # Arguments
        metric: a metric function or a `Metric`.

    # Returns
        A string, or `{"class_name": ..., "config": ...}`.
    """
    return serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """Returns the metric function or `Metric` described by a name or a config.

    # Arguments
        config: a function name such as `"mae"`, a class name (an instance with the
            default arguments is built), or a config dictionary.
        custom_objects: an optional dictionary of user metrics, by name.

    # Returns
        A metric function or a `Metric`.

    # Raises
        ValueError: if the name is unknown.
    """
    return deserialize_keras_object(config, _known_metrics(), custom_objects,
                                    printable_module_name="metric function")


def get(identifier):
    """Returns a metric from a name, a config or a callable.

    # Arguments
        identifier: a name such as `"categorical_accuracy"` or `"mse"`, a config
            dictionary, or a callable (returned unchanged).

    # Returns
        A metric function or a `Metric`.

    # Raises
        ValueError: if the identifier is an unknown name or cannot be interpreted.
    """
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret metric function identifier: {identifier!r}.")
