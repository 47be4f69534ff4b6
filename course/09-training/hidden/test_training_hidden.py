"""Hidden tests of exercise 9."""
import numpy as np

from minikeras import Sequential, losses, optimizers
from minikeras.grader.checks import points
from minikeras.layers import Conv2D, Dense, Flatten, MaxPooling2D


@points(1)
def test_each_epoch_gets_a_new_order(student, check):
    """Calling batch_indices twice with one generator gives two different orders."""
    rng = np.random.default_rng(5)
    first = [int(i) for b in student.batch_indices(30, 7, True, rng) for i in b]
    second = [int(i) for b in student.batch_indices(30, 7, True, rng) for i in b]
    check.true("the second epoch's order differs from the first's", first != second)


@points(1)
def test_batch_larger_than_the_data(student, check):
    """A batch size larger than the data gives one batch of everything."""
    batches = student.batch_indices(5, 32, False, np.random.default_rng(0))
    check.equal("the batches", [list(map(int, b)) for b in batches], [[0, 1, 2, 3, 4]])


class ConstantModel:
    """A model that predicts 0.9 for every sample, remembers what it saw, trains nothing."""

    trainable_weights = []

    def __init__(self):
        self.seen = []

    def __call__(self, x, training=False):
        from minikeras import Tensor
        self.seen.append([int(v) for v in np.asarray(x)[:, 0]])
        return Tensor(np.full((len(x), 1), 0.9, "float32"))


class NoOptimizer:
    """An optimizer for a model with nothing to train."""

    def apply_gradients(self, pairs):
        list(pairs)


@points(1)
def test_fit_weighs_batches_by_size(student, check):
    """With batches of 4, 4 and 1, the epoch's accuracy weighs each sample equally."""
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1], "float32").reshape(-1, 1)
    history = student.fit(ConstantModel(), NoOptimizer(), losses.binary_crossentropy,
                          np.zeros((9, 2), "float32"), y, batch_size=4, epochs=1,
                          shuffle=False)
    check.close("accuracy of the epoch", history["accuracy"], [5 / 9], rtol=1e-6)


@points(1)
def test_fit_shuffles_each_epoch_anew(student, check):
    """fit visits every sample once per epoch, in a new order at every epoch."""
    model = ConstantModel()
    x = np.arange(12, dtype="float32").reshape(-1, 1)
    student.fit(model, NoOptimizer(), losses.binary_crossentropy, x,
                np.zeros((12, 1), "float32"), batch_size=4, epochs=2, shuffle=True, seed=0)
    first = [i for batch in model.seen[:3] for i in batch]
    second = [i for batch in model.seen[3:] for i in batch]
    check.equal("the samples of the first epoch, sorted", sorted(first), list(range(12)))
    check.equal("the samples of the second epoch, sorted", sorted(second), list(range(12)))
    check.true("the second epoch's order differs from the first's", first != second,
               hint="Create the random generator once, before the loop over the epochs.")


@points(1)
def test_predict_classes(student, check):
    """predict_classes: threshold 0.5 for one column, argmax for several, in batches."""
    model = Sequential([Dense(3, activation="softmax", input_shape=(2,))])
    x = np.random.default_rng(6).normal(size=(300, 2)).astype("float32")
    check.equal("classes", student.predict_classes(model, x, batch_size=128),
                np.argmax(model.predict(x), axis=1))


@points(5, time_limit=300)
def test_trains_the_cars_vs_trucks_cnn(student, check):
    """Your fit trains a small CNN to at least 85% test accuracy on cars vs trucks."""
    from minikeras.datasets.cars_vs_trucks import load_data
    (x_train, y_train), (x_test, y_test) = load_data(n_samples=2000, seed=0, image_size=24)
    x_train, x_test = x_train.astype("float32") / 255, x_test.astype("float32") / 255
    model = Sequential([
        Conv2D(16, 3, padding="same", activation="relu", input_shape=(24, 24, 3)),
        MaxPooling2D(2),
        Conv2D(32, 3, padding="same", activation="relu"),
        MaxPooling2D(2),
        Conv2D(32, 3, padding="same", activation="relu"),
        MaxPooling2D(2),
        Flatten(),
        Dense(32, activation="relu"),
        Dense(1, activation="sigmoid"),
    ])
    student.fit(model, optimizers.Adam(lr=0.003), losses.binary_crossentropy, x_train,
                y_train.reshape(-1, 1).astype("float32"), batch_size=32, epochs=7, seed=0)
    predictions = (model.predict(x_test, batch_size=200).reshape(-1) > 0.5).astype(int)
    check.accuracy("test accuracy", predictions, y_test, minimum=0.85)
