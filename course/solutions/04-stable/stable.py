"""Exercise 4, reference solution: sigmoid, softmax and their cross-entropies, stable at 1000."""
import numpy as np


def sigmoid(x):
    """Computes `1 / (1 + exp(-x))` elementwise, for inputs of any magnitude.

    # Arguments
        x: an array.

    # Returns
        An array of the same shape, with values in [0, 1].
    """
    x = np.asarray(x, dtype=np.float64)
    # exp is only ever taken of -|x| <= 0, so it cannot overflow.
    exp_minus_abs = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, exp_minus_abs) / (1.0 + exp_minus_abs)


def log_softmax(logits, axis=-1):
    """Computes `log(softmax(logits))` along an axis, without overflow or log of zero.

    # Arguments
        logits: an array.
        axis: the axis of the classes.

    # Returns
        An array of the same shape.
    """
    logits = np.asarray(logits, dtype=np.float64)
    shifted = logits - np.max(logits, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax(logits, axis=-1):
    """Computes `exp(logits) / sum(exp(logits))` along an axis, without overflow.

    # Arguments
        logits: an array.
        axis: the axis of the classes.

    # Returns
        An array of the same shape, summing to 1 along `axis`.
    """
    logits = np.asarray(logits, dtype=np.float64)
    exps = np.exp(logits - np.max(logits, axis=axis, keepdims=True))
    return exps / np.sum(exps, axis=axis, keepdims=True)


def softmax_cross_entropy(logits, labels):
    """The mean cross-entropy of softmax(logits) against integer labels, and its gradient.

    # Arguments
        logits: an array of shape `(batch, classes)`.
        labels: an int array of shape `(batch,)`.

    # Returns
        A pair `(loss, grad)`: the mean loss, a float, and its gradient with respect to
        the logits, of shape `(batch, classes)`.
    """
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels)
    batch = logits.shape[0]
    log_probabilities = log_softmax(logits, axis=1)
    loss = -np.mean(log_probabilities[np.arange(batch), labels])
    one_hot = np.zeros_like(logits)
    one_hot[np.arange(batch), labels] = 1.0
    grad = (np.exp(log_probabilities) - one_hot) / batch
    return float(loss), grad


def sigmoid_binary_cross_entropy(logits, labels):
    """The mean binary cross-entropy of sigmoid(logits) against 0/1 labels, and its gradient.

    # Arguments
        logits: an array of shape `(batch,)`.
        labels: an array of 0s and 1s of the same shape.

    # Returns
        A pair `(loss, grad)`: the mean loss, a float, and its gradient with respect to
        the logits, of the logits' shape.
    """
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.float64)
    # -y log(s) - (1 - y) log(1 - s) = max(x, 0) - x y + log(1 + exp(-|x|))
    losses = np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))
    grad = (sigmoid(logits) - labels) / logits.size
    return float(np.mean(losses)), grad
