"""`Input` and `InputLayer`: where a functional model's data comes in."""
import numpy as np

from minikeras import backend
from minikeras.engine.base_layer import Layer
from minikeras.engine.node import KerasTensor, Node


class InputLayer(Layer):
    """The layer behind `Input`: it holds a placeholder and computes nothing.

    # Arguments
        input_shape: the shape of one sample, without the batch axis.
        batch_size: an optional fixed batch size.
        dtype: the dtype of the data, `backend.floatx()` by default.
        name: the layer's name.
        batch_input_shape: the full shape with the batch axis (instead of `input_shape`).
        **kwargs: `batch_shape`, Keras 3's name for `batch_input_shape`; `sparse` and
            `ragged` (only False is supported).

    # Input shape
        `batch_input_shape`.

    # Output shape
        The same.
    """

    def __init__(self, input_shape=None, batch_size=None, dtype=None, name=None,
                 batch_input_shape=None, **kwargs):
        batch_input_shape = batch_input_shape or kwargs.pop("batch_shape", None)
        for flag in ("sparse", "ragged"):
            if kwargs.pop(flag, False):
                raise ValueError(f"InputLayer: {flag} inputs are not supported by minikeras.")
        kwargs.pop("input_tensor", None)
        super().__init__(name=name, dtype=dtype, **kwargs)
        if batch_input_shape is None:
            if input_shape is None:
                raise ValueError(
                    f'InputLayer "{self.name}" needs `input_shape` (or `batch_input_shape`); '
                    "received neither."
                )
            batch_input_shape = (batch_size,) + tuple(input_shape)
        self._batch_input_shape = tuple(None if d is None else int(d)
                                        for d in batch_input_shape)
        self.built = True
        output = KerasTensor(self._batch_input_shape, self.dtype, name=self.name)
        Node(self, [], output)

    @classmethod
    def _default_name_prefix(cls):
        return "input"

    def get_config(self):
        """Returns the input layer's config (`batch_input_shape`, `dtype`, `name`).

        # Returns
            A dict.
        """
        return {"batch_input_shape": list(self._batch_input_shape), "dtype": self.dtype,
                "sparse": False, "name": self.name}


def Input(shape=None, batch_size=None, name=None, dtype=None, batch_shape=None, **kwargs):
    """Creates a symbolic input for a functional model.

    # Arguments
        shape: the shape of one sample, without the batch axis, such as `(64, 64, 3)`;
            `None` for an axis of unknown length.
        batch_size: an optional fixed batch size.
        name: an optional name for the input layer.
        dtype: the dtype of the data, `backend.floatx()` by default (use `"int32"` for
            token indices).
        batch_shape: the full shape with the batch axis, instead of `shape`.
        **kwargs: `batch_input_shape`, Keras 2's name for `batch_shape`.

    # Returns
        A `KerasTensor` of shape `(batch_size, *shape)`.

    # Raises
        ValueError: if no shape is given.

    # Example
    ```python
    inputs = Input(shape=(10,))
    outputs = Dense(1, activation="sigmoid")(inputs)
    model = Model(inputs, outputs)
    ```
    """
    batch_shape = batch_shape or kwargs.pop("batch_input_shape", None)
    if shape is None and batch_shape is None:
        raise ValueError("Input() needs a `shape` (such as shape=(10,)) or a `batch_shape`.")
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    layer = InputLayer(input_shape=shape, batch_size=batch_size, name=name,
                       dtype=dtype or backend.floatx(), batch_input_shape=batch_shape, **kwargs)
    return layer._inbound_nodes[0].outputs
