"""Turning what users pass to `fit` into batches: arrays, lists, dicts, generators, Sequences.

Checks are made once, before training, with Keras's wording: a wrong input shape, inputs
and targets of different lengths, non-numeric or empty data.
"""
import numpy as np


def to_array_list(data, names, role):
    """Converts one array, a list of arrays or a dict by name into a list of arrays.

    # Arguments
        data: an array, a list of arrays, or a dict from input (or output) name to array.
        names: the model's input (or output) names, in order.
        role: `"input"` or `"target"`, for messages.

    # Returns
        A list of NumPy arrays, one per name (None entries stay None).

    # Raises
        ValueError: for a missing dict key, a wrong count, non-numeric or empty data.
    """
    if data is None:
        return None
    if isinstance(data, dict):
        missing = [name for name in names if name not in data]
        if missing:
            raise ValueError(f"No data provided for {missing}. Need data for each key in: "
                             f"{names}")
        data = [data[name] for name in names]
    elif not isinstance(data, (list, tuple)) or _is_nested_numbers(data):
        data = [data]
    if len(data) != len(names):
        raise ValueError(
            f"Error when checking model {role}: the list of NumPy arrays that you are passing "
            f"to your model is not the size the model expected. Expected to see {len(names)} "
            f"array(s), but instead got {len(data)} array(s)."
        )
    return [_as_numeric_array(array, name, role) for array, name in zip(data, names)]


def _is_nested_numbers(data):
    return bool(data) and not isinstance(data[0], (np.ndarray, list, tuple, dict)) or (
        bool(data) and isinstance(data[0], (list, tuple)) and data[0]
        and not isinstance(data[0][0], (np.ndarray, list, tuple)))


def _as_numeric_array(value, name, role):
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise ValueError(
            f"Error when checking {role}: {name} must hold numbers, but received an array of "
            f"dtype {array.dtype}. Convert the data to a numeric array first."
        )
    if array.ndim == 0 or len(array) == 0:
        raise ValueError(f"Error when checking {role}: expected {name} to be non-empty, but "
                         f"received an array of shape {array.shape}.")
    return array


def check_shapes(arrays, expected_shapes, names, role):
    """Checks each array against the model's expected shape (batch axis free).

    # Arguments
        arrays: the list of arrays.
        expected_shapes: the expected shapes, with None for the batch and free axes.
        names: the names, for messages.
        role: `"input"` or `"target"`.

    # Raises
        ValueError: with Keras's message when a rank or a length differs.
    """
    for array, shape, name in zip(arrays, expected_shapes, names):
        if array.ndim != len(shape):
            raise ValueError(
                f"Error when checking {role}: expected {name} to have {len(shape)} dimensions, "
                f"but got array with shape {array.shape}"
            )
        for expected, received in zip(shape[1:], array.shape[1:]):
            if expected is not None and expected != received:
                raise ValueError(
                    f"Error when checking {role}: expected {name} to have shape "
                    f"{tuple(shape[1:])} but got array with shape {tuple(array.shape[1:])}"
                )


def check_lengths(x_arrays, y_arrays, sample_weights=None):
    """Checks that inputs, targets and sample weights all have the same number of samples.

    # Arguments
        x_arrays: the input arrays.
        y_arrays: the target arrays (or None).
        sample_weights: the sample weight arrays (or None).

    # Raises
        ValueError: with Keras's message when the counts differ.
    """
    x_lengths = {len(a) for a in x_arrays}
    if len(x_lengths) > 1:
        raise ValueError("All input arrays (x) should have the same number of samples. "
                         f"Got array shapes: {[a.shape for a in x_arrays]}")
    if y_arrays:
        y_lengths = {len(a) for a in y_arrays}
        if len(y_lengths) > 1:
            raise ValueError("All target arrays (y) should have the same number of samples. "
                             f"Got array shapes: {[a.shape for a in y_arrays]}")
        if x_lengths != y_lengths:
            raise ValueError(
                "Input arrays should have the same number of samples as target arrays. "
                f"Found {x_lengths.pop()} input samples and {y_lengths.pop()} target samples."
            )
    for weights in sample_weights or []:
        if weights is not None and len(weights) != len(x_arrays[0]):
            raise ValueError(
                f"Found a sample_weight array with shape {np.shape(weights)} for an input with "
                f"shape {x_arrays[0].shape}. sample_weight cannot be broadcast."
            )


def batch_indices(n_samples, batch_size, shuffle, rng):
    """Splits sample indices into batches, shuffled if asked.

    # Arguments
        n_samples: the number of samples.
        batch_size: the samples per batch (the last batch may be smaller).
        shuffle: True to shuffle samples, `"batch"` to shuffle batch order only, False.
        rng: a `numpy.random.Generator`.

    # Returns
        A list of index arrays.
    """
    order = np.arange(n_samples)
    if shuffle is True:
        order = rng.permutation(n_samples)
    batches = [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]
    if shuffle == "batch":
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


def take(arrays, indices):
    """Selects the same samples from every array of a list.

    # Arguments
        arrays: a list of arrays (None entries stay None).
        indices: the sample indices (an array or a slice).

    # Returns
        A list of arrays.
    """
    if arrays is None:
        return None
    return [None if a is None else a[indices] for a in arrays]


def unpack_batch(batch):
    """Splits a generator's item into `(x, y, sample_weight)`.

    # Arguments
        batch: `(x, y)`, `(x, y, sample_weight)`, or `x` alone.

    # Returns
        A triple, with None for what was missing.

    # Raises
        ValueError: if the item is a tuple of the wrong length.
    """
    if isinstance(batch, tuple):
        if len(batch) == 2:
            return batch[0], batch[1], None
        if len(batch) == 3:
            return batch
        raise ValueError("A generator should yield a tuple (x, y) or (x, y, sample_weight); "
                         f"received a tuple of length {len(batch)}.")
    return batch, None, None


def is_generator_like(data):
    """Tells whether data is a generator, an iterator or a `Sequence` rather than arrays.

    # Arguments
        data: what the user passed as `x`.

    # Returns
        True for generators, iterators and objects with `__getitem__` and `__len__` that are
        not arrays, lists, tuples or dicts.
    """
    if isinstance(data, (np.ndarray, list, tuple, dict)) or data is None:
        return False
    return hasattr(data, "__next__") or hasattr(data, "__iter__") or (
        hasattr(data, "__getitem__") and hasattr(data, "__len__"))


_SAME_SHAPE_LOSSES = {
    "mean_squared_error", "mse", "mean_absolute_error", "mae", "binary_crossentropy",
    "categorical_crossentropy", "mean_absolute_percentage_error", "mape",
    "mean_squared_logarithmic_error", "msle", "hinge", "squared_hinge", "categorical_hinge",
    "kullback_leibler_divergence", "kld", "poisson", "logcosh", "log_cosh",
}


def loss_name(loss):
    """Returns the name of a loss given as a string, a function or a Loss object.

    # Arguments
        loss: the loss as passed to `compile`.

    # Returns
        A string such as `"categorical_crossentropy"`.
    """
    if isinstance(loss, str):
        return loss
    function = getattr(loss, "fn", loss)
    return getattr(function, "__name__", type(loss).__name__)


def check_loss_and_target(loss, target, output_shape):
    """Checks that a target array fits the loss and the output, as Keras 2 did.

    A 1-D target for a 2-D output becomes a column, as Keras 2 did.

    # Arguments
        loss: the output's loss (name, function or object).
        target: the target array.
        output_shape: the output's shape.

    # Returns
        The target array, possibly reshaped.

    # Raises
        ValueError: with Keras's advice when integer labels meet a one-hot loss, one-hot
            labels meet a sparse loss, or the shapes differ.
    """
    name = loss_name(loss)
    if target.ndim == 1 and len(output_shape) == 2 and "sparse" not in name:
        target = target.reshape(-1, 1)
    classes = output_shape[-1]
    if name == "categorical_crossentropy" and target.shape[-1] == 1 and classes not in (1, None):
        raise ValueError(
            f"You are passing a target array of shape {target.shape} while using as loss "
            "`categorical_crossentropy`. `categorical_crossentropy` expects targets to be binary "
            "matrices (1s and 0s) of shape (samples, classes). If your targets are integer "
            "classes, you can convert them to the expected format via:\n"
            "```\nfrom minikeras.utils import to_categorical\n"
            "y_binary = to_categorical(y_int)\n```\n"
            "Alternatively, you can use the loss function `sparse_categorical_crossentropy` "
            "instead, which does expect integer targets."
        )
    if "sparse_categorical" in name and target.ndim == len(output_shape) \
            and target.shape[-1] not in (1,) and target.shape[-1] == classes:
        raise ValueError(
            f"You are passing a target array of shape {target.shape} while using as loss "
            f"`{name}`. It expects integer class indices of shape (samples,) or (samples, 1), "
            "not one-hot vectors: use `categorical_crossentropy` for one-hot targets, or pass "
            "`np.argmax(y, axis=-1)`."
        )
    if name in _SAME_SHAPE_LOSSES:
        expected = tuple(output_shape[1:])
        received = tuple(target.shape[1:])
        if len(expected) != len(received) or any(
                e is not None and e != r for e, r in zip(expected, received)):
            raise ValueError(
                f"A target array with shape {target.shape} was passed for an output of shape "
                f"{tuple(output_shape)} while using as loss `{name}`. This loss expects targets "
                "to have the same shape as the output."
            )
    return target
