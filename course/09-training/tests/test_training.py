"""Public tests of exercise 9: run them with `minikeras course check 09-training`."""
import numpy as np

from minikeras import Sequential, losses, metrics, optimizers
from minikeras.grader.checks import points
from minikeras.layers import Dense


def small_model(seed_weights=0):
    """A tiny classifier with fixed weights: 3 inputs, 4 hidden units, 1 sigmoid output."""
    model = Sequential([Dense(4, activation="tanh", input_shape=(3,)),
                        Dense(1, activation="sigmoid")])
    rng = np.random.default_rng(seed_weights)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.weights])
    return model


def toy_data(n=10, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5]) > 0).astype("float32").reshape(-1, 1)
    return x, y


@points(1)
def test_batches_in_order(student, check):
    """Without shuffling: 10 samples in batches of 4 are [0..3], [4..7], [8, 9]."""
    batches = student.batch_indices(10, 4, False, np.random.default_rng(0))
    check.equal("the batches", [list(map(int, b)) for b in batches],
                [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])


@points(2)
def test_shuffled_batches_cover_every_sample_once(student, check):
    """Shuffled: every index exactly once, in a random order fixed by the generator's seed."""
    batches = student.batch_indices(50, 8, True, np.random.default_rng(3))
    flat = [int(i) for b in batches for i in b]
    check.equal("batch sizes", [len(b) for b in batches], [8, 8, 8, 8, 8, 8, 2])
    check.equal("the indices, sorted", sorted(flat), list(range(50)))
    check.true("the order is shuffled", flat != list(range(50)))
    again = student.batch_indices(50, 8, True, np.random.default_rng(3))
    check.equal("the same seed gives the same batches", [int(i) for b in again for i in b], flat)


@points(2)
def test_accuracy(student, check):
    """Binary accuracy (threshold 0.5) and categorical accuracy (argmax)."""
    y_true = np.array([[1.0], [0.0], [1.0], [0.0]])
    y_pred = np.array([[0.9], [0.2], [0.3], [0.6]])
    check.close("binary accuracy", student.accuracy(y_true, y_pred),
                float(np.mean(metrics.binary_accuracy(y_true, y_pred).numpy())))
    one_hot = np.eye(3)[[0, 2, 1, 1, 0]]
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.5, 0.4, 0.1],
                              [0.2, 0.5, 0.3], [0.3, 0.3, 0.4]])
    check.close("categorical accuracy, one-hot targets", student.accuracy(one_hot,
                probabilities), 0.6)
    check.close("categorical accuracy, integer targets", student.accuracy(
        np.array([0, 2, 1, 1, 0]), probabilities), 0.6)


@points(3)
def test_train_step_matches_train_on_batch(student, check):
    """One train_step moves the weights exactly as minikeras's train_on_batch does."""
    x, y = toy_data()
    mine, reference = small_model(), small_model()
    loss, _ = student.train_step(mine, optimizers.SGD(lr=0.5), losses.binary_crossentropy,
                                 x, y)
    reference.compile(optimizer=optimizers.SGD(lr=0.5), loss="binary_crossentropy")
    expected_loss = reference.train_on_batch(x, y)
    check.close("the batch's loss", loss, expected_loss, rtol=1e-5)
    for index, (got, expected) in enumerate(zip(mine.get_weights(), reference.get_weights())):
        check.close(f"weight {index} after the step", got, expected, rtol=1e-5, atol=1e-6)


@points(2)
def test_fit_history_matches_minikeras(student, check):
    """fit without shuffling: the loss of each epoch is that of minikeras's own fit."""
    x, y = toy_data(n=25)
    mine, reference = small_model(), small_model()
    history = student.fit(mine, optimizers.SGD(lr=0.2), losses.binary_crossentropy, x, y,
                          batch_size=8, epochs=3, shuffle=False)
    reference.compile(optimizer=optimizers.SGD(lr=0.2), loss="binary_crossentropy")
    expected = reference.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    check.close("loss of each epoch", history["loss"], expected.history["loss"], rtol=1e-5)
    check.close("weights after training", mine.get_weights()[0], reference.get_weights()[0],
                rtol=1e-4, atol=1e-6)
