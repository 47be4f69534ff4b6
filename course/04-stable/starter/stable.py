"""Exercise 4: sigmoid, softmax and their cross-entropies, stable for inputs of magnitude 1000.

Write the five functions with NumPy. Each must give finite, exact results for logits such
as 1000 and -1000, and raise no overflow warning. Run the public tests with
`minikeras course check 04-stable`.
"""
import numpy as np  # noqa: F401  (you will need it)


def sigmoid(x):
    """Computes `1 / (1 + exp(-x))` elementwise, for inputs of any magnitude.

    # Arguments
        x: an array.

    # Returns
        An array of the same shape, with values in [0, 1].
    """
    # TODO: 1 / (1 + exp(-x)) overflows for x = -1000. Take exp only of -|x|, and pick the
    # formula by the sign of x (np.where).
    raise NotImplementedError("TODO: write sigmoid")


def log_softmax(logits, axis=-1):
    """Computes `log(softmax(logits))` along an axis, without overflow or log of zero.

    # Arguments
        logits: an array.
        axis: the axis of the classes.

    # Returns
        An array of the same shape.
    """
    # TODO: subtract the maximum along the axis first (it changes nothing mathematically),
    # then log-sum-exp.
    raise NotImplementedError("TODO: write log_softmax")


def softmax(logits, axis=-1):
    """Computes `exp(logits) / sum(exp(logits))` along an axis, without overflow.

    # Arguments
        logits: an array.
        axis: the axis of the classes.

    # Returns
        An array of the same shape, summing to 1 along `axis`.
    """
    # TODO: the same shift by the maximum as log_softmax.
    raise NotImplementedError("TODO: write softmax")


def softmax_cross_entropy(logits, labels):
    """The mean cross-entropy of softmax(logits) against integer labels, and its gradient.

    # Arguments
        logits: an array of shape `(batch, classes)`.
        labels: an int array of shape `(batch,)`.

    # Returns
        A pair `(loss, grad)`: the mean loss, a float, and its gradient with respect to
        the logits, of shape `(batch, classes)`.
    """
    # TODO: the loss is the mean of -log_softmax at each row's label; the gradient of the
    # mean loss is (softmax - one_hot(labels)) / batch.
    raise NotImplementedError("TODO: write softmax_cross_entropy")


def sigmoid_binary_cross_entropy(logits, labels):
    """The mean binary cross-entropy of sigmoid(logits) against 0/1 labels, and its gradient.

    # Arguments
        logits: an array of shape `(batch,)`.
        labels: an array of 0s and 1s of the same shape.

    # Returns
        A pair `(loss, grad)`: the mean loss, a float, and its gradient with respect to
        the logits, of the logits' shape.
    """
    # TODO: never take log(sigmoid(x)): sigmoid(-1000) is 0. Rewrite the loss with
    # max(x, 0) and log1p(exp(-|x|)). The gradient of the mean is (sigmoid(x) - y) / batch.
    raise NotImplementedError("TODO: write sigmoid_binary_cross_entropy")
