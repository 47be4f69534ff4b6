"""Loss functions and `Loss` classes, with Keras 2's formulas.

A loss function takes the targets `y_true` and the predictions `y_pred` (tensors or
arrays) and returns one loss per sample, a `Tensor` with the last axis reduced:
`mean_squared_error(y_true, y_pred)` has shape `(batch,)` for inputs of shape
`(batch, units)`. All math goes through `minikeras.ops`, so losses are differentiable.

A `Loss` object (`MeanSquaredError()`, `BinaryCrossentropy(from_logits=True)`, ...)
wraps a function and, when called, reduces the per-sample losses to one scalar,
optionally weighting each sample, as `tf.keras` does.
"""
import math

import numpy as np

from minikeras import backend
from minikeras.autograd import as_tensor, ops
from minikeras.utils.generic_utils import deserialize_keras_object, serialize_keras_object


def _prepare(y_true, y_pred):
    """Converts both to tensors, `y_true` to the float dtype of `y_pred`."""
    y_pred = ops.as_float(y_pred)
    y_true = as_tensor(y_true)
    if y_true.dtype != y_pred.dtype:
        y_true = ops.cast(y_true, y_pred.dtype)
    return y_true, y_pred


def _clip_probabilities(probabilities):
    """Keeps probabilities in `[epsilon, 1 - epsilon]`, so that their logarithms are finite."""
    epsilon = backend.epsilon()
    return ops.clip(probabilities, epsilon, 1.0 - epsilon)


def mean_squared_error(y_true, y_pred):
    """Mean squared error: `mean(square(y_pred - y_true), axis=-1)`.

    # Arguments
        y_true: the targets, of shape `(batch, ..., units)`.
        y_pred: the predictions, of the same shape.

    # Returns
        A `Tensor` of shape `(batch, ...)`, one loss per sample.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.square(y_pred - y_true), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """Mean absolute error: `mean(abs(y_pred - y_true), axis=-1)`.

    # Arguments
        y_true: the targets, of shape `(batch, ..., units)`.
        y_pred: the predictions, of the same shape.

    # Returns
        A `Tensor` of shape `(batch, ...)`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.abs(y_pred - y_true), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """Mean absolute percentage error: `100 * mean(abs((y_true - y_pred) / y_true), axis=-1)`.

    `abs(y_true)` is floored at `epsilon` so that zero targets give a finite loss.

    # Arguments
        y_true: the targets, of shape `(batch, ..., units)`.
        y_pred: the predictions, of the same shape.

    # Returns
        A `Tensor` of shape `(batch, ...)`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    relative_error = ops.abs((y_true - y_pred) / ops.maximum(ops.abs(y_true), backend.epsilon()))
    return 100.0 * ops.mean(relative_error, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """Mean squared logarithmic error: `mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1)`.

    Both are floored at `epsilon` before the logarithm.

    # Arguments
        y_true: the targets, of shape `(batch, ..., units)`.
        y_pred: the predictions, of the same shape.

    # Returns
        A `Tensor` of shape `(batch, ...)`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    log_pred = ops.log(ops.maximum(y_pred, backend.epsilon()) + 1.0)
    log_true = ops.log(ops.maximum(y_true, backend.epsilon()) + 1.0)
    return ops.mean(ops.square(log_pred - log_true), axis=-1)


def squared_hinge(y_true, y_pred):
    """Squared hinge loss: `mean(square(max(1 - y_true * y_pred, 0)), axis=-1)`.

    # Arguments
        y_true: the targets, -1 or 1, of shape `(batch, ..., units)`.
        y_pred: the predictions, of the same shape.

    # Returns
        A `Tensor` of shape `(batch, ...)`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.square(ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def hinge(y_true, y_pred):
    """Hinge loss: `mean(max(1 - y_true * y_pred, 0), axis=-1)`.

    # Arguments
        y_true: the targets, -1 or 1, of shape `(batch, ..., units)`.
        y_pred: the predictions, of the same shape.

    # Returns
        A `Tensor` of shape `(batch, ...)`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def categorical_hinge(y_true, y_pred):
    """Categorical hinge loss: `max(0, max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1)`.

    # Arguments
        y_true: one-hot targets, of shape `(batch, ..., classes)`.
        y_pred: the predictions, of the same shape.

    # Returns
        A `Tensor` of shape `(batch, ...)`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    positive = ops.sum(y_true * y_pred, axis=-1)
    negative = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(0.0, negative - positive + 1.0)


def logcosh(y_true, y_pred):
    """Logarithm of the hyperbolic cosine of the error: `mean(log(cosh(y_pred - y_true)), axis=-1)`.

    Computed as `x + softplus(-2 x) - log(2)`, which does not overflow for large errors.

    # Arguments
        y_true: the targets, of shape `(batch, ..., units)`.
        y_pred: the predictions, of the same shape.

    # Returns
        A `Tensor` of shape `(batch, ...)`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    error = y_pred - y_true
    return ops.mean(error + ops.softplus(-2.0 * error) - math.log(2.0), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    """Huber loss: quadratic for small errors, linear for large ones, as `tf.keras`'s.

    For each error `x = y_pred - y_true`, `0.5 * x ** 2` where `|x| <= delta` and
    `delta * |x| - 0.5 * delta ** 2` elsewhere; then the mean over the last axis. Outliers
    pull on the model with a gradient of at most `delta`, not one that grows with them.

    # Arguments
        y_true: the targets, of shape `(batch, ..., units)`.
        y_pred: the predictions, of the same shape.
        delta: the error at which the loss turns from quadratic to linear.

    # Returns
        A `Tensor` of shape `(batch, ...)`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    error = y_pred - y_true
    absolute_error = ops.abs(error)
    quadratic = 0.5 * ops.square(error)
    linear = delta * absolute_error - 0.5 * delta ** 2
    return ops.mean(ops.where(absolute_error <= delta, quadratic, linear), axis=-1)


def _cross_entropy(target, log_probabilities, axis=-1):
    """`-sum(target * log_probabilities)`: the cross-entropy of two distributions."""
    return -ops.sum(target * log_probabilities, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0, axis=-1):
    """Categorical cross-entropy between one-hot (or soft) targets and predictions.

    On probabilities, as Keras 2 does: they are rescaled to sum to 1, clipped to
    `[epsilon, 1 - epsilon]`, and the loss is `-sum(y_true * log(p))`. On logits it is
    `-sum(y_true * log_softmax(y_pred))`, stable for logits of any size.

    # Arguments
        y_true: the targets, of shape `(batch, ..., classes)`.
        y_pred: the predicted probabilities (or logits), of the same shape.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: a float in [0, 1]; the targets become
            `y_true * (1 - label_smoothing) + label_smoothing / classes`.
        axis: the class axis.

    # Returns
        A `Tensor` with the class axis reduced.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    if label_smoothing:
        n_classes = y_pred.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / n_classes
    if from_logits:
        return _cross_entropy(y_true, ops.log_softmax(y_pred, axis=axis), axis)
    probabilities = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)
    return _cross_entropy(y_true, ops.log(_clip_probabilities(probabilities)), axis)


def to_sparse_labels(y_true, y_pred_shape):
    """Turns sparse class labels into an int64 array with one label per prediction.

    # Arguments
        y_true: integer labels (possibly stored as floats), of shape `y_pred_shape[:-1]`
            or with a trailing axis of length 1 (such as `(batch,)` or `(batch, 1)`).
        y_pred_shape: the shape of the predictions, classes last.

    # Returns
        An int64 array of shape `y_pred_shape[:-1]`.

    # Raises
        ValueError: if the number of labels does not match the predictions, or a label
            is not a valid class index.
    """
    labels = np.asarray(y_true)
    wanted_shape = tuple(y_pred_shape[:-1])
    n_classes = y_pred_shape[-1]
    if labels.size != int(np.prod(wanted_shape)):
        raise ValueError(
            f"Sparse labels must hold one integer class per sample: expected labels of shape "
            f"{wanted_shape} (or {wanted_shape + (1,)}) for predictions of shape "
            f"{tuple(y_pred_shape)}; received labels of shape {labels.shape}."
        )
    labels = labels.reshape(wanted_shape).astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"Sparse labels must be class indices in [0, {n_classes}) for predictions of "
            f"{n_classes} classes; received labels from {labels.min()} to {labels.max()}."
        )
    return labels


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1):
    """Categorical cross-entropy with integer labels instead of one-hot targets.

    On probabilities, as Keras 2 does: they are clipped to `[epsilon, 1 - epsilon]` and
    their logarithms used as logits. On logits the loss is `-log_softmax(y_pred)[label]`,
    stable for logits of any size.

    # Arguments
        y_true: integer labels, of shape `(batch, ...)` or `(batch, ..., 1)`.
        y_pred: the predicted probabilities (or logits), of shape `(batch, ..., classes)`.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        axis: the class axis of `y_pred`.

    # Returns
        A `Tensor` of shape `(batch, ...)`.

    # Raises
        ValueError: if the labels do not fit the predictions.
    """
    y_pred = ops.as_float(y_pred)
    class_axis = axis % y_pred.ndim
    if class_axis != y_pred.ndim - 1:
        other_axes = [a for a in range(y_pred.ndim) if a != class_axis]
        y_pred = ops.transpose(y_pred, other_axes + [class_axis])
    labels = to_sparse_labels(y_true, y_pred.shape)
    logits = y_pred if from_logits else ops.log(_clip_probabilities(y_pred))
    one_hot = ops.one_hot(labels, y_pred.shape[-1], dtype=y_pred.dtype)
    return _cross_entropy(one_hot, ops.log_softmax(logits, axis=-1))


def _probabilities_to_logits(probabilities):
    """Keras 2's inverse sigmoid, `log(p / (1 - p))`, on probabilities clipped away from 0 and 1."""
    probabilities = _clip_probabilities(probabilities)
    return ops.log(probabilities / (1.0 - probabilities))


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0, axis=-1):
    """Binary cross-entropy, averaged over the last axis.

    On probabilities, as Keras 2 does: they are clipped to `[epsilon, 1 - epsilon]`,
    turned back into logits with `log(p / (1 - p))`, and the sigmoid cross-entropy of
    those logits is taken. With `from_logits=True` the logits are used directly; the
    formula is stable for logits of any size.

    # Arguments
        y_true: the targets, 0 or 1 (or in between), of shape `(batch, ..., units)`.
        y_pred: the predicted probabilities (or logits), of the same shape.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: a float in [0, 1]; the targets become
            `y_true * (1 - label_smoothing) + 0.5 * label_smoothing`.
        axis: the axis to average over.

    # Returns
        A `Tensor` with that axis reduced.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    logits = y_pred if from_logits else _probabilities_to_logits(y_pred)
    return ops.mean(ops.sigmoid_cross_entropy_with_logits(y_true, logits), axis=axis)


def kullback_leibler_divergence(y_true, y_pred):
    """Kullback-Leibler divergence: `sum(y_true * log(y_true / y_pred), axis=-1)`.

    Both are clipped to `[epsilon, 1]` first.

    # Arguments
        y_true: the target distribution, of shape `(batch, ..., classes)`.
        y_pred: the predicted distribution, of the same shape.

    # Returns
        A `Tensor` of shape `(batch, ...)`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true = ops.clip(y_true, backend.epsilon(), 1.0)
    y_pred = ops.clip(y_pred, backend.epsilon(), 1.0)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """Poisson loss: `mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`.

    # Arguments
        y_true: the targets (counts), of shape `(batch, ..., units)`.
        y_pred: the predicted rates, of the same shape.

    # Returns
        A `Tensor` of shape `(batch, ...)`.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(y_pred - y_true * ops.log(y_pred + backend.epsilon()), axis=-1)


def cosine_proximity(y_true, y_pred, axis=-1):
    """Negative cosine similarity, Keras 2's loss.

    Computes `-sum(l2_normalize(y_true) * l2_normalize(y_pred))` along `axis`.

    # Arguments
        y_true: the targets, of shape `(batch, ..., units)`.
        y_pred: the predictions, of the same shape.
        axis: the axis along which the similarity is computed.

    # Returns
        A `Tensor` with that axis reduced, from -1 (same direction) to 1 (opposite).
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return -ops.sum(ops.l2_normalize(y_true, axis) * ops.l2_normalize(y_pred, axis), axis=axis)


# Keras's short names.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence = kullback_leibler_divergence
log_cosh = logcosh
cosine = cosine_proximity


class Reduction:
    """The ways a `Loss` reduces per-sample losses to what it returns, as in `tf.keras`.

    - `AUTO` and `SUM_OVER_BATCH_SIZE`: the sum of the weighted losses divided by their
      number (the weighted mean over the batch).
    - `SUM`: the sum of the weighted losses.
    - `NONE`: the weighted losses themselves, one per sample.
    """

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        """Returns every reduction.

        # Returns
            A tuple of strings.
        """
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)


def _check_reduction(reduction):
    if reduction not in Reduction.all():
        raise ValueError(
            f"Unknown loss reduction {reduction!r}: expected one of {Reduction.all()}."
        )


def expand_sample_weight(sample_weight, values):
    """Gives sample weights the axes they need to broadcast against per-sample values.

    Weights of shape `(batch, 1)` lose their last axis; weights of shape `(batch,)` get
    trailing axes for values of shape `(batch, steps, ...)`.

    # Arguments
        sample_weight: a scalar, or one weight per sample (or per value).
        values: the per-sample values (losses or metric values), a tensor or array.

    # Returns
        The weights, an array of the values' dtype that broadcasts against them.

    # Raises
        ValueError: if the weights cannot broadcast against the values.
    """
    weights = np.asarray(sample_weight, dtype=values.dtype)
    if weights.ndim == values.ndim + 1 and weights.shape[-1] == 1:
        weights = weights[..., 0]
    while 0 < weights.ndim < values.ndim:
        weights = weights[..., np.newaxis]
    try:
        np.broadcast_shapes(weights.shape, values.shape)
    except ValueError:
        raise ValueError(
            f"sample_weight of shape {np.shape(sample_weight)} does not fit the per-sample "
            f"values of shape {values.shape}: expected one weight per sample."
        ) from None
    return weights


def compute_weighted_loss(losses, sample_weight=None, reduction=Reduction.SUM_OVER_BATCH_SIZE):
    """Weights per-sample losses and reduces them, as `tf.keras` does.

    # Arguments
        losses: the per-sample losses, a tensor of shape `(batch, ...)`.
        sample_weight: `None`, a scalar, or one weight per sample (shape `(batch,)`,
            `(batch, 1)` or the shape of `losses`).
        reduction: one of `Reduction.all()`.

    # Returns
        A scalar `Tensor`, or the weighted losses for `Reduction.NONE`.

    # Raises
        ValueError: for an unknown reduction or sample weights of the wrong shape.
    """
    _check_reduction(reduction)
    losses = as_tensor(losses)
    if sample_weight is not None:
        losses = losses * expand_sample_weight(sample_weight, losses)
    if reduction == Reduction.NONE:
        return losses
    total = ops.sum(losses)
    if reduction == Reduction.SUM:
        return total
    return total / max(losses.size, 1)


def match_label_rank(y_true, y_pred):
    """Adds a trailing axis of length 1 to whichever of `y_true` and `y_pred` lacks it.

    So that targets of shape `(batch,)` and predictions of shape `(batch, 1)` give one
    loss per sample instead of broadcasting to `(batch, batch)`.

    # Arguments
        y_true: the targets.
        y_pred: the predictions.

    # Returns
        The pair `(y_true, y_pred)` as tensors.
    """
    y_true, y_pred = as_tensor(y_true), as_tensor(y_pred)
    if y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_true = ops.expand_dims(y_true, -1)
    elif y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_pred = ops.expand_dims(y_pred, -1)
    return y_true, y_pred


class Loss:
    """Base class of the loss objects: per-sample losses reduced to a scalar.

    Subclasses implement `call(y_true, y_pred)`, returning one loss per sample.

    # Arguments
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.

    # Raises
        ValueError: for an unknown reduction.
    """

    def __init__(self, reduction=Reduction.AUTO, name=None):
        _check_reduction(reduction)
        self.reduction = reduction
        self.name = name

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Computes the (weighted) loss.

        # Arguments
            y_true: the targets.
            y_pred: the predictions.
            sample_weight: `None`, a scalar, or one weight per sample.

        # Returns
            A scalar `Tensor` (per-sample losses for `Reduction.NONE`).
        """
        reduction = self.reduction
        if reduction == Reduction.AUTO:
            reduction = Reduction.SUM_OVER_BATCH_SIZE
        return compute_weighted_loss(self.call(y_true, y_pred), sample_weight, reduction)

    def call(self, y_true, y_pred):
        """Computes one loss per sample.

        # Arguments
            y_true: the targets.
            y_pred: the predictions.

        # Returns
            A `Tensor` of per-sample losses.

        # Raises
            NotImplementedError: always, in the base class; subclasses override `call`.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement call().")

    def get_config(self):
        """Returns the loss's arguments, as a dictionary.

        # Returns
            A dictionary that `from_config` turns back into the same loss.
        """
        return {"reduction": self.reduction, "name": self.name}

    @classmethod
    def from_config(cls, config):
        """Builds a loss from its config.

        Keras 3 writes a `dtype` (ignored: minikeras computes in floatx) and, for sparse
        losses, `ignore_class` (accepted when `None`).

        # Arguments
            config: a dictionary, as returned by `get_config`.

        # Returns
            A `Loss`.

        # Raises
            ValueError: if the config sets `ignore_class`, which minikeras does not support.
        """
        config = dict(config)
        config.pop("dtype", None)
        if config.pop("ignore_class", None) is not None:
            raise ValueError(f"minikeras's {cls.__name__} does not support ignore_class.")
        return cls(**config)


class LossFunctionWrapper(Loss):
    """A `Loss` made of a loss function and its keyword arguments.

    # Arguments
        fn: a loss function `fn(y_true, y_pred, **kwargs)` returning per-sample losses.
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
        **kwargs: keyword arguments passed to `fn`.
    """

    def __init__(self, fn, reduction=Reduction.AUTO, name=None, **kwargs):
        super().__init__(reduction=reduction, name=name)
        self.fn = fn
        self.fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        """Computes one loss per sample with `fn` and its keyword arguments.

        A target or prediction lacking a trailing axis of length 1 gets one first (see
        `match_label_rank`), so that `(batch,)` targets match `(batch, 1)` predictions.

        # Arguments
            y_true: the targets.
            y_pred: the predictions.

        # Returns
            A `Tensor` of per-sample losses.
        """
        y_true, y_pred = match_label_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self.fn_kwargs)

    def get_config(self):
        """Returns the loss's configuration: `reduction`, `name` and the keyword arguments of `fn`.

        # Returns
            A dictionary that `from_config` turns back into the same loss.
        """
        return {**super().get_config(), **self.fn_kwargs}


class MeanSquaredError(LossFunctionWrapper):
    """Computes the mean of squares of errors, `mean_squared_error`, reduced over the batch.

    # Arguments
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
    """

    def __init__(self, reduction=Reduction.AUTO, name="mean_squared_error"):
        super().__init__(mean_squared_error, reduction=reduction, name=name)


class MeanAbsoluteError(LossFunctionWrapper):
    """Computes the mean of absolute errors, `mean_absolute_error`, reduced over the batch.

    # Arguments
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
    """

    def __init__(self, reduction=Reduction.AUTO, name="mean_absolute_error"):
        super().__init__(mean_absolute_error, reduction=reduction, name=name)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Computes `mean_absolute_percentage_error`, reduced over the batch.

    # Arguments
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
    """

    def __init__(self, reduction=Reduction.AUTO, name="mean_absolute_percentage_error"):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Computes `mean_squared_logarithmic_error`, reduced over the batch.

    # Arguments
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
    """

    def __init__(self, reduction=Reduction.AUTO, name="mean_squared_logarithmic_error"):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name)


class BinaryCrossentropy(LossFunctionWrapper):
    """Computes `binary_crossentropy`, reduced over the batch.

    # Arguments
        from_logits: whether the predictions are logits rather than probabilities.
        label_smoothing: a float in [0, 1] that moves the targets towards 0.5.
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
        axis: the axis to average over.
    """

    def __init__(self, from_logits=False, label_smoothing=0, reduction=Reduction.AUTO,
                 name="binary_crossentropy", axis=-1):
        super().__init__(binary_crossentropy, reduction=reduction, name=name,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(LossFunctionWrapper):
    """Computes `categorical_crossentropy` for one-hot targets, reduced over the batch.

    # Arguments
        from_logits: whether the predictions are logits rather than probabilities.
        label_smoothing: a float in [0, 1] that moves the targets towards uniform.
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
        axis: the class axis.
    """

    def __init__(self, from_logits=False, label_smoothing=0, reduction=Reduction.AUTO,
                 name="categorical_crossentropy", axis=-1):
        super().__init__(categorical_crossentropy, reduction=reduction, name=name,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Computes `sparse_categorical_crossentropy` for integer labels, reduced over the batch.

    # Arguments
        from_logits: whether the predictions are logits rather than probabilities.
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
        axis: the class axis of the predictions.
    """

    def __init__(self, from_logits=False, reduction=Reduction.AUTO,
                 name="sparse_categorical_crossentropy", axis=-1):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name,
                         from_logits=from_logits, axis=axis)


class Hinge(LossFunctionWrapper):
    """Computes the `hinge` loss, reduced over the batch.

    # Arguments
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
    """

    def __init__(self, reduction=Reduction.AUTO, name="hinge"):
        super().__init__(hinge, reduction=reduction, name=name)


class SquaredHinge(LossFunctionWrapper):
    """Computes the `squared_hinge` loss, reduced over the batch.

    # Arguments
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
    """

    def __init__(self, reduction=Reduction.AUTO, name="squared_hinge"):
        super().__init__(squared_hinge, reduction=reduction, name=name)


class CategoricalHinge(LossFunctionWrapper):
    """Computes the `categorical_hinge` loss, reduced over the batch.

    # Arguments
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
    """

    def __init__(self, reduction=Reduction.AUTO, name="categorical_hinge"):
        super().__init__(categorical_hinge, reduction=reduction, name=name)


class Poisson(LossFunctionWrapper):
    """Computes the `poisson` loss, reduced over the batch.

    # Arguments
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
    """

    def __init__(self, reduction=Reduction.AUTO, name="poisson"):
        super().__init__(poisson, reduction=reduction, name=name)


class LogCosh(LossFunctionWrapper):
    """Computes the `logcosh` loss, reduced over the batch.

    # Arguments
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
    """

    def __init__(self, reduction=Reduction.AUTO, name="log_cosh"):
        super().__init__(logcosh, reduction=reduction, name=name)


class Huber(LossFunctionWrapper):
    """Computes the `huber` loss, reduced over the batch.

    # Arguments
        delta: the error at which the loss turns from quadratic to linear.
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
    """

    def __init__(self, delta=1.0, reduction=Reduction.AUTO, name="huber_loss"):
        super().__init__(huber, reduction=reduction, name=name, delta=delta)


class KLDivergence(LossFunctionWrapper):
    """Computes the `kullback_leibler_divergence`, reduced over the batch.

    # Arguments
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
    """

    def __init__(self, reduction=Reduction.AUTO, name="kl_divergence"):
        super().__init__(kullback_leibler_divergence, reduction=reduction, name=name)


class CosineSimilarity(LossFunctionWrapper):
    """Computes `cosine_proximity` (the negative cosine similarity), reduced over the batch.

    # Arguments
        axis: the axis along which the similarity is computed.
        reduction: how the per-sample losses are reduced, one of `Reduction.all()`.
        name: the loss's name.
    """

    def __init__(self, axis=-1, reduction=Reduction.AUTO, name="cosine_similarity"):
        super().__init__(cosine_proximity, reduction=reduction, name=name, axis=axis)


# Every loss function by name; `metrics` uses the table too, since every loss is a metric.
LOSS_FUNCTIONS = {function.__name__: function for function in (
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
    mean_squared_logarithmic_error, squared_hinge, hinge, categorical_hinge, logcosh, huber,
    categorical_crossentropy, sparse_categorical_crossentropy, binary_crossentropy,
    kullback_leibler_divergence, poisson, cosine_proximity,
)}
LOSS_FUNCTIONS.update({
    "mse": mse, "MSE": MSE, "mae": mae, "MAE": MAE, "mape": mape, "MAPE": MAPE, "msle": msle,
    "MSLE": MSLE, "kld": kld, "KLD": KLD, "kl_divergence": kl_divergence, "log_cosh": log_cosh,
    "cosine": cosine,
})
_LOSS_CLASSES = {cls.__name__: cls for cls in (
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy, Hinge, SquaredHinge, CategoricalHinge, Poisson, LogCosh,
    Huber, KLDivergence, CosineSimilarity,
)}
_LOSSES = {**LOSS_FUNCTIONS, **_LOSS_CLASSES}


def serialize(loss):
    """Returns what Keras stores for a loss: a function's name or a `Loss`'s config.

    # Arguments
        loss: a loss function or a `Loss`.

    # Returns
        A string, or `{"class_name": ..., "config": ...}`.
    """
    return serialize_keras_object(loss)


def deserialize(name, custom_objects=None):
    """Returns the loss function or `Loss` described by a name or a config.

    # Arguments
        name: a function name such as `"mse"`, a class name (an instance with the default
            arguments is built), or a config dictionary.
        custom_objects: an optional dictionary of user losses, by name.

    # Returns
        A loss function or a `Loss`.

    # Raises
        ValueError: if the name is unknown.
    """
    return deserialize_keras_object(name, _LOSSES, custom_objects,
                                    printable_module_name="loss function")


def get(identifier):
    """Returns a loss from a name, a config, a callable or `None`.

    # Arguments
        identifier: a name such as `"categorical_crossentropy"`, a config dictionary, a
            callable (a function or `Loss`, returned unchanged) or `None` (returned unchanged).

    # Returns
        A loss function or a `Loss`, or `None`.

    # Raises
        ValueError: if the identifier is an unknown name or cannot be interpreted.
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret loss function identifier: {identifier!r}.")
