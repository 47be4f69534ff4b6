"""Exercise 9: the training loop, by hand.

`model.fit` does all of this for you; here you write it: split the data into batches
(shuffled at every epoch), take a gradient step per batch with a `GradientTape`, and
keep the loss and accuracy of each epoch. The hidden test trains a small CNN on the
cars-vs-trucks images with your loop. Run the public tests with
`minikeras course check 09-training`.
"""
import numpy as np  # noqa: F401  (you will need it)

from minikeras import GradientTape, ops  # noqa: F401


def batch_indices(n_samples, batch_size, shuffle, rng):
    """Splits the sample indices into batches, for one epoch.

    # Arguments
        n_samples: how many samples.
        batch_size: the size of each batch; the last one may be smaller.
        shuffle: whether to visit the samples in a random order.
        rng: a `numpy.random.Generator`, used when shuffling.

    # Returns
        A list of int arrays that together hold every index exactly once.
    """
    # TODO: the indices in order, or shuffled with rng.permutation; then cut them into
    # slices of batch_size (keep the last, smaller one).
    raise NotImplementedError("TODO: write batch_indices")


def accuracy(y_true, y_pred):
    """The fraction of samples whose predicted class is the true one.

    One output column (or none) means binary classification: the class is 1 when the
    predicted probability is above 0.5. Several columns mean one probability per class:
    the class is the column of the largest, and `y_true` is one-hot or integer labels.

    # Arguments
        y_true: the targets, shape `(batch,)`, `(batch, 1)` or `(batch, classes)`.
        y_pred: the predicted probabilities, shape `(batch,)`, `(batch, 1)` or
            `(batch, classes)`.

    # Returns
        A float in [0, 1].
    """
    # TODO: the predicted classes (threshold 0.5, or argmax), compared with the labels.
    raise NotImplementedError("TODO: write accuracy")


def train_step(model, optimizer, loss_fn, x, y):
    """One gradient step on one batch.

    # Arguments
        model: a built minikeras model.
        optimizer: a minikeras optimizer.
        loss_fn: a function `(y_true, y_pred)` returning one loss per sample.
        x: the batch's inputs.
        y: the batch's targets.

    # Returns
        A pair `(loss, y_pred)`: the batch's mean loss (a float, before the step) and the
        predictions (an array).
    """
    # TODO: inside a GradientTape, run the model (training=True) and take the mean of
    # loss_fn over the batch; then the gradients of model.trainable_weights, and
    # optimizer.apply_gradients(zip(gradients, variables)).
    raise NotImplementedError("TODO: write train_step")


def fit(model, optimizer, loss_fn, x, y, batch_size=32, epochs=1, shuffle=True, seed=0):
    """Trains a model for some epochs, and returns the history of its loss and accuracy.

    # Arguments
        model: a built minikeras model.
        optimizer: a minikeras optimizer.
        loss_fn: a function `(y_true, y_pred)` returning one loss per sample.
        x: the training inputs.
        y: the training targets.
        batch_size: the batch size.
        epochs: how many passes over the data.
        shuffle: whether to shuffle the samples at every epoch.
        seed: seeds the shuffling.

    # Returns
        A dict with `"loss"` and `"accuracy"`: one value per epoch, each the mean over the
        epoch's samples (a batch of 10 counts ten times as much as a batch of 1).
    """
    # TODO: one rng for the whole run (so each epoch gets a new order); for every epoch,
    # every batch: train_step, and add up loss * batch size and accuracy * batch size.
    raise NotImplementedError("TODO: write fit")


def predict_classes(model, x, batch_size=256):
    """Predicts the class of every sample, batch by batch, with no tape.

    # Arguments
        model: a minikeras model.
        x: the inputs.
        batch_size: how many samples per forward pass.

    # Returns
        An int array of shape `(n_samples,)`.
    """
    # TODO: model(x[start:start + batch_size]) for each batch (no tape needed), then the
    # classes as in accuracy.
    raise NotImplementedError("TODO: write predict_classes")
