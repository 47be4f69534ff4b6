"""Public tests of exercise 4: run them with `minikeras course check 04-stable`."""
import numpy as np

from minikeras.grader.checks import points

LOGITS = np.array([[2.0, -1.0, 0.5], [0.0, 0.0, 0.0], [-3.0, 4.0, 1.0], [1.5, 1.5, -2.0]])
LABELS = np.array([0, 2, 1, 1])


def expected_log_softmax(logits, axis=-1):
    return logits - np.logaddexp.reduce(logits, axis=axis, keepdims=True)


@points(2)
def test_sigmoid(student, check):
    """sigmoid on ordinary inputs, and 0 and 1 (not NaN) at -1000 and 1000."""
    x = np.array([-1000.0, -30.0, -2.0, 0.0, 0.5, 30.0, 1000.0])
    check.close("sigmoid(x)", student.sigmoid(x), np.exp(-np.logaddexp(0.0, -x)), rtol=1e-9,
                atol=1e-300)


@points(2)
def test_softmax(student, check):
    """softmax rows sum to 1, and logits of 1000 give exact probabilities, not NaN."""
    check.close("softmax of ordinary logits", student.softmax(LOGITS),
                np.exp(expected_log_softmax(LOGITS)))
    huge = np.array([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 990.0]])
    check.close("softmax of logits of magnitude 1000", student.softmax(huge),
                np.exp(expected_log_softmax(huge)), atol=1e-12)


@points(1)
def test_log_softmax(student, check):
    """log_softmax stays finite where softmax underflows to 0."""
    huge = np.array([[1000.0, 0.0, -1000.0]])
    check.close("log_softmax of [1000, 0, -1000]", student.log_softmax(huge),
                expected_log_softmax(huge))


@points(2)
def test_softmax_cross_entropy(student, check):
    """The mean cross-entropy and its gradient (softmax - one_hot) / batch."""
    loss, grad = student.softmax_cross_entropy(LOGITS, LABELS)
    log_probabilities = expected_log_softmax(LOGITS)
    one_hot = np.eye(3)[LABELS]
    check.close("loss", loss, -np.mean(log_probabilities[np.arange(4), LABELS]))
    check.close("gradient of the logits", grad, (np.exp(log_probabilities) - one_hot) / 4)


@points(2)
def test_sigmoid_binary_cross_entropy(student, check):
    """The mean binary cross-entropy and its gradient (sigmoid - y) / batch."""
    logits, labels = np.array([2.0, -1.0, 0.0, 3.5, -0.5]), np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    loss, grad = student.sigmoid_binary_cross_entropy(logits, labels)
    check.close("loss", loss, np.mean(np.logaddexp(0.0, logits) - logits * labels))
    check.close("gradient of the logits", grad,
                (np.exp(-np.logaddexp(0.0, -logits)) - labels) / 5)
