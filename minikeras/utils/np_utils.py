"""NumPy helpers for labels and vectors: one-hot encoding and normalization."""
import numpy as np


def to_categorical(y, num_classes=None, dtype="float32"):
    """Converts a class vector (integers) to a binary class matrix (one-hot).

    E.g. for use with `categorical_crossentropy`:

    ```python
    to_categorical([0, 2, 1])
    # array([[1., 0., 0.],
    #        [0., 0., 1.],
    #        [0., 1., 0.]], dtype=float32)
    ```

    # Arguments
        y: array-like of class indices, whole numbers from 0 to
            `num_classes - 1`. A last axis of size 1, as in shape `(n, 1)`,
            is replaced by the classes axis.
        num_classes: total number of classes; `None` to take the largest
            index plus one.
        dtype: data type of the returned matrix, as a string (`'float32'`,
            `'int64'`, ...).

    # Returns
        A one-hot array of shape `y.shape + (num_classes,)` (with a last
        axis of size 1 dropped first).

    # Raises
        ValueError: if `y` holds values that are not whole numbers, are
            negative or reach `num_classes`, or is empty with no
            `num_classes`.
    """
    labels = _class_indices(y)
    shape = labels.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    labels = labels.ravel()
    num_classes = _check_num_classes(labels, num_classes)
    categorical = np.zeros((labels.shape[0], num_classes), dtype=dtype)
    categorical[np.arange(labels.shape[0]), labels] = 1
    return categorical.reshape(shape + (num_classes,))


def _class_indices(y):
    values = np.asarray(y)
    if values.dtype.kind == "b":
        return values.astype(np.int64)
    if values.dtype.kind not in "iuf" and values.size:
        raise ValueError(
            f"to_categorical expected class indices (whole numbers); received an "
            f"array of {values.dtype}.")
    if values.dtype.kind == "f" and not np.all(np.mod(values, 1) == 0):
        examples = values[np.mod(values, 1) != 0].ravel()[:3].tolist()
        raise ValueError(
            f"to_categorical expected class indices (whole numbers); received values "
            f"such as {examples}.")
    return values.astype(np.int64)


def _check_num_classes(labels, num_classes):
    if labels.size == 0:
        if num_classes is None:
            raise ValueError("to_categorical received no labels; pass num_classes to "
                             "encode an empty array.")
        return int(num_classes)
    if labels.min() < 0:
        raise ValueError(
            f"to_categorical expected class indices from 0 up; received {labels.min()}.")
    if num_classes is None:
        return int(labels.max()) + 1
    if labels.max() >= num_classes:
        raise ValueError(
            f"to_categorical received the class index {labels.max()}, but num_classes is "
            f"{num_classes}, so indices must be below {num_classes}.")
    return int(num_classes)


def normalize(x, axis=-1, order=2):
    """Normalizes an array to unit norm along one axis.

    Vectors of norm zero are left as they are.

    # Arguments
        x: NumPy array to normalize.
        axis: axis along which to normalize.
        order: normalization order, as for `numpy.linalg.norm`
            (e.g. 2 for the L2 norm, 1 for the L1 norm).

    # Returns
        A normalized copy of the array.
    """
    norms = np.atleast_1d(np.linalg.norm(x, order, axis))
    norms[norms == 0] = 1
    return x / np.expand_dims(norms, axis)
