"""Splitting a data set into a training part and a test part."""
import math

import numpy as np


def train_test_split(x, y, test_size=0.25, seed=None, stratify=None):
    """Splits arrays of samples and labels into random training and test sets.

    Works as scikit-learn's `train_test_split` for one pair of arrays and
    returns its four parts in the same order.

    ```python
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, seed=0)
    ```

    # Arguments
        x: array of samples, first axis the samples.
        y: array of labels (or targets), as many as there are samples.
        test_size: share of the samples that go to the test set, a float
            between 0 and 1 (the count is rounded up), or a number of
            test samples, a whole number between 1 and `len(x) - 1`.
        seed: integer seed of the shuffle; the same seed gives the same
            split. `None` gives a different split on each call.
        stratify: `None`, or an array of class labels (often `y` itself),
            one per sample: each class then keeps its share in both sets.
            Rows of a 2D array, such as one-hot labels, count as classes.

    # Returns
        A tuple `(x_train, x_test, y_train, y_test)` of arrays.

    # Raises
        ValueError: if `x`, `y` and `stratify` differ in length, if
            `test_size` leaves either set empty, or if stratifying is
            impossible (a class with a single sample, or fewer test or
            training samples than classes).
    """
    x, y = np.asarray(x), np.asarray(y)
    n_samples = _check_same_length(x, y)
    n_test = _count_test_samples(test_size, n_samples)
    rng = np.random.default_rng(seed)
    if stratify is None:
        order = rng.permutation(n_samples)
        test_indices, train_indices = order[:n_test], order[n_test:]
    else:
        train_indices, test_indices = _stratified_indices(stratify, n_samples, n_test, rng)
    return x[train_indices], x[test_indices], y[train_indices], y[test_indices]


def _check_same_length(x, y):
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError("train_test_split expected arrays of samples; received a single "
                         "value instead of an array.")
    if len(x) != len(y):
        raise ValueError(
            f"train_test_split expected as many labels as samples; received {len(x)} "
            f"samples in x and {len(y)} labels in y.")
    return len(x)


def _count_test_samples(test_size, n_samples):
    """Turns `test_size`, a share or a count, into a number of test samples."""
    if isinstance(test_size, bool) or not isinstance(test_size, (int, float, np.number)):
        raise ValueError(f"test_size must be a float between 0 and 1 or a whole number of "
                         f"samples; received {test_size!r}.")
    if isinstance(test_size, (float, np.floating)):
        if not 0 < test_size < 1:
            raise ValueError(f"test_size as a share must be between 0 and 1 (both "
                             f"excluded); received {test_size}.")
        n_test = math.ceil(test_size * n_samples)
    else:
        n_test = int(test_size)
    if not 1 <= n_test <= n_samples - 1:
        raise ValueError(
            f"test_size={test_size!r} gives {n_test} test samples out of {n_samples}; both "
            f"the training set and the test set need at least one sample.")
    return n_test


def _stratified_indices(stratify, n_samples, n_test, rng):
    """Training and test indices that keep every class's share."""
    labels = np.asarray(stratify)
    if len(labels) != n_samples:
        raise ValueError(
            f"train_test_split expected one stratify label per sample; received "
            f"{len(labels)} labels for {n_samples} samples.")
    classes, class_of_sample = np.unique(
        labels.reshape(n_samples, -1), axis=0, return_inverse=True)
    class_of_sample = class_of_sample.ravel()
    class_sizes = np.bincount(class_of_sample)
    _check_stratifiable(class_sizes, n_samples, n_test)
    test_per_class = _share_out(class_sizes, n_test, rng)
    train_indices, test_indices = [], []
    for class_index, n_class_test in enumerate(test_per_class):
        members = rng.permutation(np.flatnonzero(class_of_sample == class_index))
        test_indices.append(members[:n_class_test])
        train_indices.append(members[n_class_test:])
    train_indices = rng.permutation(np.concatenate(train_indices))
    test_indices = rng.permutation(np.concatenate(test_indices))
    return train_indices, test_indices


def _check_stratifiable(class_sizes, n_samples, n_test):
    n_classes = len(class_sizes)
    if class_sizes.min() < 2:
        raise ValueError(
            "train_test_split cannot stratify: the smallest class has only 1 sample, and "
            "each class needs at least 2, one for each set.")
    if n_test < n_classes or n_samples - n_test < n_classes:
        raise ValueError(
            f"train_test_split cannot stratify {n_classes} classes into a test set of "
            f"{n_test} and a training set of {n_samples - n_test} samples; each set needs "
            f"at least one sample per class.")


def _share_out(class_sizes, n_test, rng):
    """How many test samples each class gives, in proportion to its size.

    Each class gets the whole part of its exact share; the samples left over
    go to the classes with the largest remainders (ties broken at random).
    """
    exact_shares = class_sizes * n_test / class_sizes.sum()
    test_per_class = np.floor(exact_shares).astype(np.int64)
    n_left_over = n_test - test_per_class.sum()
    remainders = exact_shares - test_per_class
    tie_breakers = rng.random(len(class_sizes))
    largest_first = np.lexsort((tie_breakers, -remainders))
    test_per_class[largest_first[:n_left_over]] += 1
    return test_per_class
