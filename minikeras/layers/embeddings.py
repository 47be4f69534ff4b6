"""Embedding layer: turns integer indices into dense vectors of a learned table."""
import numbers

import numpy as np

from minikeras import constraints, initializers, regularizers
from minikeras.autograd import ops
from minikeras.engine.base_layer import Layer
from minikeras.layers.core import check_identifier, check_positive_int


class Embedding(Layer):
    """Turns positive integers (indices) into dense vectors of fixed size.

    Row `i` of the weight `embeddings`, of shape `(input_dim, output_dim)`, is the vector
    of index `i`: `[[4], [20]]` becomes `[[embeddings[4]], [embeddings[20]]]`. Only the
    rows that were looked up receive a gradient; a row looked up twice receives the sum.
    This layer can only be used as the first layer in a model (its input holds indices,
    not activations).

    # Arguments
        input_dim: the size of the vocabulary, a positive int: the indices must lie in
            `[0, input_dim)`.
        output_dim: the length of each vector, a positive int.
        embeddings_initializer: initializer of the `embeddings` matrix; `"uniform"`
            (`RandomUniform(-0.05, 0.05)`) by default.
        embeddings_regularizer: optional regularizer of the `embeddings` matrix.
        activity_regularizer: optional regularizer of the output.
        embeddings_constraint: optional constraint on the `embeddings` matrix.
        mask_zero: whether the index 0 is a padding value to be masked out (see
            `compute_mask`); then index 0 cannot be used in the vocabulary, and
            `input_dim` should be the vocabulary size + 1.
        input_length: the length of the input sequences, when it is constant (an int,
            or a tuple for inputs of more than two axes). It is required to connect
            `Flatten` then `Dense` layers downstream, since the output shape of `Dense`
            cannot be computed otherwise.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        2-D tensor `(batch_size, sequence_length)` of integers.

    # Output shape
        3-D tensor `(batch_size, sequence_length, output_dim)`.

    # Example
    ```python
    model = Sequential()
    model.add(Embedding(1000, 64, input_length=10))
    # the model takes an integer matrix of shape (batch, 10), with indices < 1000,
    # and gives model.output_shape == (None, 10, 64).
    ```
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, activity_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, input_length=None, **kwargs):
        if not any(key in kwargs for key in ("input_shape", "batch_input_shape",
                                             "batch_shape")):
            kwargs["input_shape"] = _input_length_tuple(input_length) or (None,)
        super().__init__(activity_regularizer=check_identifier(
            "Embedding", "activity_regularizer", regularizers.get, activity_regularizer),
            **kwargs)
        self.input_dim = check_positive_int("Embedding", "input_dim", input_dim)
        self.output_dim = check_positive_int("Embedding", "output_dim", output_dim)
        self.embeddings_initializer = check_identifier(
            "Embedding", "embeddings_initializer", initializers.get, embeddings_initializer)
        self.embeddings_regularizer = check_identifier(
            "Embedding", "embeddings_regularizer", regularizers.get, embeddings_regularizer)
        self.embeddings_constraint = check_identifier(
            "Embedding", "embeddings_constraint", constraints.get, embeddings_constraint)
        if not isinstance(mask_zero, bool):
            raise ValueError(f"Embedding: `mask_zero` must be True or False; "
                             f"received {mask_zero!r}.")
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        _input_length_tuple(input_length)  # checks it
        self.input_length = list(input_length) if isinstance(input_length, tuple) else \
            input_length

    def build(self, input_shape):
        """Creates `embeddings`, of shape `(input_dim, output_dim)`.

        # Arguments
            input_shape: the input's shape.
        """
        self.embeddings = self.add_weight("embeddings", (self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)
        self.built = True

    def compute_mask(self, inputs, mask=None):
        """Returns where the inputs are not 0, if `mask_zero`.

        # Arguments
            inputs: the integer inputs.
            mask: the previous mask (ignored).

        # Returns
            A boolean array of the input's shape, or `None` when `mask_zero` is False.
        """
        if not self.mask_zero:
            return None
        return np.asarray(ops.not_equal(inputs, 0).numpy())

    def call(self, inputs):
        """Looks up the vectors of the indices.

        # Arguments
            inputs: a tensor of indices (floats are truncated to ints, as Keras casts them).

        # Returns
            A tensor of shape `inputs.shape + (output_dim,)`.

        # Raises
            ValueError: if an index is outside `[0, input_dim)`.
        """
        indices = np.asarray(inputs.numpy()).astype(np.int64)
        if indices.size and (indices.min() < 0 or indices.max() >= self.input_dim):
            raise ValueError(
                f'Layer "{self.name}" (Embedding): every index must lie in [0, {self.input_dim}) '
                f"(input_dim={self.input_dim}); received indices from {indices.min()} to "
                f"{indices.max()}. Make input_dim the vocabulary size (+1 with mask_zero=True)."
            )
        return ops.getitem(self.embeddings, indices)

    def compute_output_shape(self, input_shape):
        """Returns `input_shape + (output_dim,)`, with the lengths of `input_length`.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.

        # Raises
            ValueError: if `input_length` does not fit the input shape.
        """
        input_shape = tuple(input_shape)
        if self.input_length is None:
            return input_shape + (self.output_dim,)
        lengths = list(_input_length_tuple(self.input_length))
        if len(lengths) != len(input_shape) - 1:
            raise ValueError(f'Layer "{self.name}" (Embedding): "input_length" is '
                             f"{self.input_length}, but received input has shape {input_shape}.")
        for i, (expected, received) in enumerate(zip(lengths, input_shape[1:])):
            if expected is not None and received is not None and expected != received:
                raise ValueError(f'Layer "{self.name}" (Embedding): "input_length" is '
                                 f"{self.input_length}, but received input has shape "
                                 f"{input_shape}.")
            if expected is None:
                lengths[i] = received
        return (input_shape[0],) + tuple(lengths) + (self.output_dim,)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        config = {
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "input_length": self.input_length,
        }
        return {**super().get_config(), **config}


def _input_length_tuple(input_length):
    """Checks `input_length` and returns it as a tuple (or None)."""
    if input_length is None:
        return None
    lengths = input_length if isinstance(input_length, (list, tuple)) else (input_length,)
    if not all(n is None or (isinstance(n, numbers.Integral) and not isinstance(n, bool)
                             and n > 0) for n in lengths):
        raise ValueError("Embedding: `input_length` must be None, a positive int or a tuple of "
                         f"them; received {input_length!r}.")
    return tuple(None if n is None else int(n) for n in lengths)
