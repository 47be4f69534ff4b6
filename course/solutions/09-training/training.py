"""Exercise 9, reference solution: the training loop, by hand."""
import numpy as np

from minikeras import GradientTape, ops


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
    order = rng.permutation(n_samples) if shuffle else np.arange(n_samples)
    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]


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
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_pred.ndim == 2 and y_pred.shape[1] > 1:
        predicted = np.argmax(y_pred, axis=1)
        labels = np.argmax(y_true, axis=1) if y_true.ndim == 2 else y_true
    else:
        predicted = (y_pred.reshape(-1) > 0.5).astype(int)
        labels = y_true.reshape(-1)
    return float(np.mean(predicted == labels))


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
    with GradientTape() as tape:
        y_pred = model(x, training=True)
        loss = ops.mean(loss_fn(y, y_pred))
    variables = model.trainable_weights
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return float(loss.numpy()), np.asarray(y_pred.numpy())


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
    rng = np.random.default_rng(seed)
    history = {"loss": [], "accuracy": []}
    for _ in range(epochs):
        total_loss, total_correct = 0.0, 0.0
        for indices in batch_indices(len(x), batch_size, shuffle, rng):
            loss, y_pred = train_step(model, optimizer, loss_fn, x[indices], y[indices])
            total_loss += loss * len(indices)
            total_correct += accuracy(y[indices], y_pred) * len(indices)
        history["loss"].append(total_loss / len(x))
        history["accuracy"].append(total_correct / len(x))
    return history


def predict_classes(model, x, batch_size=256):
    """Predicts the class of every sample, batch by batch, with no tape.

    # Arguments
        model: a minikeras model.
        x: the inputs.
        batch_size: how many samples per forward pass.

    # Returns
        An int array of shape `(n_samples,)`.
    """
    classes = []
    for start in range(0, len(x), batch_size):
        y_pred = np.asarray(model(x[start:start + batch_size]).numpy())
        if y_pred.ndim == 2 and y_pred.shape[1] > 1:
            classes.append(np.argmax(y_pred, axis=1))
        else:
            classes.append((y_pred.reshape(-1) > 0.5).astype(int))
    return np.concatenate(classes)
