"""Hidden tests of exercise 4."""
import warnings

import numpy as np

from minikeras.grader.checks import points


def expected_log_softmax(logits, axis=-1):
    return logits - np.logaddexp.reduce(logits, axis=axis, keepdims=True)


@points(2)
def test_cross_entropy_at_magnitude_1000(student, check):
    """Softmax cross-entropy of logits of magnitude 1000: finite loss, exact gradient."""
    logits = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]])
    labels = np.array([1, 2])
    loss, grad = student.softmax_cross_entropy(logits, labels)
    log_probabilities = expected_log_softmax(logits)
    check.close("loss", loss, -np.mean(log_probabilities[np.arange(2), labels]))
    check.close("gradient of the logits", grad,
                (np.exp(log_probabilities) - np.eye(3)[labels]) / 2, atol=1e-12)


@points(2)
def test_binary_cross_entropy_at_magnitude_1000(student, check):
    """Binary cross-entropy of logits of magnitude 1000: finite loss, exact gradient."""
    logits = np.array([1000.0, -1000.0, 1000.0, -1000.0, 0.0])
    labels = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    loss, grad = student.sigmoid_binary_cross_entropy(logits, labels)
    check.close("loss", loss, np.mean(np.logaddexp(0.0, logits) - logits * labels))
    check.close("gradient of the logits", grad,
                (np.exp(-np.logaddexp(0.0, -logits)) - labels) / 5, atol=1e-12)


@points(1)
def test_no_overflow_warnings(student, check):
    """Nothing overflows: no overflow, division or invalid-value warning at magnitude 1000."""
    logits = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]])
    # Underflow (exp(-2000) becoming 0) is harmless; overflow, 0 / 0 and log(0) are not.
    errors = np.errstate(over="warn", divide="warn", invalid="warn", under="ignore")
    with warnings.catch_warnings(record=True) as caught, errors:
        warnings.simplefilter("always")
        student.sigmoid(logits)
        student.softmax(logits)
        student.log_softmax(logits)
        student.softmax_cross_entropy(logits, np.array([0, 1]))
        student.sigmoid_binary_cross_entropy(logits[0], np.array([1.0, 0.0, 1.0]))
    check.equal("NumPy's warnings", sorted({str(w.message) for w in caught
                                             if issubclass(w.category, RuntimeWarning)}), [])


@points(1)
def test_softmax_along_another_axis(student, check):
    """softmax(x, axis=0) normalizes the columns."""
    logits = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 0.0]])
    check.close("softmax(x, axis=0)", student.softmax(logits, axis=0),
                np.exp(expected_log_softmax(logits, axis=0)))


@points(1)
def test_cross_entropy_batch_of_one(student, check):
    """A batch of one: the gradient is softmax - one_hot, undivided."""
    logits, labels = np.array([[0.3, -0.2, 1.1, 0.0]]), np.array([3])
    _, grad = student.softmax_cross_entropy(logits, labels)
    check.close("gradient of the logits", grad,
                np.exp(expected_log_softmax(logits)) - np.eye(4)[labels])
