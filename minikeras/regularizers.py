"""Regularizers: penalties on a layer's weights, added to the loss during training.

A regularizer is called with a weight and returns a scalar `Tensor`, computed with
`minikeras.ops` so that its gradient reaches the weight:
`Dense(64, kernel_regularizer=regularizers.l2(0.01))`.
"""
from minikeras.autograd import Tensor, ops
from minikeras.utils.generic_utils import deserialize_keras_object, serialize_keras_object


class Regularizer:
    """Base class of the regularizers: a callable mapping a weight to a scalar penalty."""

    def __call__(self, weight):
        """Returns the penalty for a weight.

        # Arguments
            weight: a `Variable` or tensor.

        # Returns
            A scalar `Tensor`.
        """
        return Tensor(0.0)

    def get_config(self):
        """Returns the regularizer's arguments, as a dictionary.

        # Returns
            A dictionary that `from_config` turns back into the same regularizer.
        """
        return {}

    @classmethod
    def from_config(cls, config):
        """Builds a regularizer from its config.

        # Arguments
            config: a dictionary, as returned by `get_config`.

        # Returns
            A regularizer.
        """
        return cls(**config)


class L1L2(Regularizer):
    """Regularizer for L1 and L2 penalties: `l1 * sum(abs(w)) + l2 * sum(w ** 2)`.

    # Arguments
        l1: the L1 factor, a float.
        l2: the L2 factor, a float.
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = float(l1)
        self.l2 = float(l2)

    def __call__(self, weight):
        penalty = Tensor(0.0)
        if self.l1:
            penalty = penalty + self.l1 * ops.sum(ops.abs(weight))
        if self.l2:
            penalty = penalty + self.l2 * ops.sum(ops.square(weight))
        return penalty

    def get_config(self):
        """Returns the regularizer's configuration: its `l1` and `l2` factors.

        # Returns
            A dictionary that `from_config` turns back into the same regularizer.
        """
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    """Regularizer for an L1 penalty, `l1 * sum(abs(w))` (Keras 3 writes it in configs).

    # Arguments
        l1: the L1 factor, a float.
    """

    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        """Returns the regularizer's configuration: its `l1` factor.

        # Returns
            A dictionary that `from_config` turns back into the same regularizer.
        """
        return {"l1": self.l1}


class L2(L1L2):
    """Regularizer for an L2 penalty, `l2 * sum(w ** 2)` (Keras 3 writes it in configs).

    # Arguments
        l2: the L2 factor, a float.
    """

    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        """Returns the regularizer's configuration: its `l2` factor.

        # Returns
            A dictionary that `from_config` turns back into the same regularizer.
        """
        return {"l2": self.l2}


def l1(l=0.01):  # noqa: E741 (Keras 2's argument name)
    """Returns an L1 regularizer, as Keras 2's `regularizers.l1`.

    # Arguments
        l: the L1 factor.

    # Returns
        An `L1L2` regularizer.
    """
    return L1L2(l1=l)


def l2(l=0.01):  # noqa: E741 (Keras 2's argument name)
    """Returns an L2 regularizer, as Keras 2's `regularizers.l2`.

    # Arguments
        l: the L2 factor.

    # Returns
        An `L1L2` regularizer.
    """
    return L1L2(l2=l)


def l1_l2(l1=0.01, l2=0.01):
    """Returns a regularizer with both penalties, as Keras 2's `regularizers.l1_l2`.

    # Arguments
        l1: the L1 factor.
        l2: the L2 factor.

    # Returns
        An `L1L2` regularizer.
    """
    return L1L2(l1=l1, l2=l2)


_REGULARIZERS = {
    "Regularizer": Regularizer, "L1L2": L1L2, "L1": L1, "L2": L2,
    "l1": l1, "l2": l2, "l1_l2": l1_l2,
}


def serialize(regularizer):
    """Returns the config Keras stores for a regularizer.

    # Arguments
        regularizer: a `Regularizer`.

    # Returns
        `{"class_name": ..., "config": ...}`.
    """
    return serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    """Builds a regularizer from its config.

    # Arguments
        config: a Keras 2 config `{"class_name": ..., "config": ...}`, a Keras 3 config,
            or a name.
        custom_objects: an optional dictionary of user regularizers, by name.

    # Returns
        A regularizer.

    # Raises
        ValueError: if the name is unknown.
    """
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    return deserialize_keras_object(config, _REGULARIZERS, custom_objects,
                                    printable_module_name="regularizer")


def get(identifier):
    """Returns a regularizer from a name, a config, a callable or `None`.

    # Arguments
        identifier: a name such as `"l2"`, a config dictionary, a callable (returned
            unchanged) or `None` (returned unchanged).

    # Returns
        A regularizer, or `None`.

    # Raises
        ValueError: if the identifier is an unknown name or cannot be interpreted.
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}.")
