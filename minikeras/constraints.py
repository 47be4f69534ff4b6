"""Constraints: projections applied to a weight's values after each optimizer update.

A constraint is called with the weight's values (a NumPy array) and returns the
projected values. Optimizers apply it outside the tape, after every step:
`Dense(64, kernel_constraint=constraints.max_norm(2.0))`.
"""
import numpy as np

from minikeras import backend
from minikeras.utils.generic_utils import deserialize_keras_object, serialize_keras_object


def _norms(values, axis):
    """The L2 norms of `values` along `axis`, keeping the axis for broadcasting."""
    return np.sqrt(np.sum(np.square(values), axis=axis, keepdims=True))


class Constraint:
    """Base class of the constraints: a callable mapping weight values to projected values."""

    def __call__(self, values):
        """Returns the projected values of a weight.

        # Arguments
            values: the weight's values, an array (or a tensor).

        # Returns
            A NumPy array of the same shape.
        """
        return np.asarray(values)

    def get_config(self):
        """Returns the constraint's arguments, as a dictionary.

        # Returns
            A dictionary that `from_config` turns back into the same constraint.
        """
        return {}

    @classmethod
    def from_config(cls, config):
        """Builds a constraint from its config.

        # Arguments
            config: a dictionary, as returned by `get_config`.

        # Returns
            A constraint.
        """
        return cls(**config)


class MaxNorm(Constraint):
    """Constrains the weights incident to each hidden unit to a norm of at most `max_value`.

    Computes `w * clip(norm, 0, max_value) / (epsilon + norm)` with `norm` the L2 norm
    along `axis`. For a `Dense` kernel `(in, out)`, `axis=0` constrains each unit's
    incoming weights; for a `Conv2D` kernel `(rows, cols, in, out)` use `axis=[0, 1, 2]`.

    # Arguments
        max_value: the largest norm allowed.
        axis: the axis (or list of axes) along which norms are computed.
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, values):
        values = np.asarray(values)
        norms = _norms(values, _axis(self.axis))
        desired = np.clip(norms, 0, self.max_value)
        return values * (desired / (backend.epsilon() + norms))

    def get_config(self):
        """Returns the constraint's configuration: its `max_value` and `axis`.

        # Returns
            A dictionary that `from_config` turns back into the same constraint.
        """
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Constrains the weights to be non-negative: negative values become zero."""

    def __call__(self, values):
        values = np.asarray(values)
        return values * (values >= 0.0)


class UnitNorm(Constraint):
    """Constrains the weights incident to each hidden unit to unit norm: `w / (epsilon + norm)`.

    # Arguments
        axis: the axis (or list of axes) along which norms are computed.
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, values):
        values = np.asarray(values)
        return values / (backend.epsilon() + _norms(values, _axis(self.axis)))

    def get_config(self):
        """Returns the constraint's configuration: its `axis`.

        # Returns
            A dictionary that `from_config` turns back into the same constraint.
        """
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Constrains the norm of the weights incident to each hidden unit to `[min_value, max_value]`.

    Computes `w * desired / (epsilon + norm)` with
    `desired = rate * clip(norm, min_value, max_value) + (1 - rate) * norm`.

    # Arguments
        min_value: the smallest norm allowed.
        max_value: the largest norm allowed.
        rate: how far to move towards the allowed interval at each step (1.0 goes all the way).
        axis: the axis (or list of axes) along which norms are computed.
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, values):
        values = np.asarray(values)
        norms = _norms(values, _axis(self.axis))
        desired = (self.rate * np.clip(norms, self.min_value, self.max_value)
                   + (1 - self.rate) * norms)
        return values * (desired / (backend.epsilon() + norms))

    def get_config(self):
        """Returns the constraint's configuration: `min_value`, `max_value`, `rate` and `axis`.

        # Returns
            A dictionary that `from_config` turns back into the same constraint.
        """
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


def _axis(axis):
    """Configs store a list of axes; NumPy wants a tuple."""
    return tuple(axis) if isinstance(axis, list) else axis


# Keras's lowercase aliases, and Keras 1's spellings.
max_norm = maxnorm = MaxNorm
non_neg = nonneg = NonNeg
unit_norm = unitnorm = UnitNorm
min_max_norm = MinMaxNorm

_CONSTRAINTS = {
    "Constraint": Constraint, "MaxNorm": MaxNorm, "NonNeg": NonNeg, "UnitNorm": UnitNorm,
    "MinMaxNorm": MinMaxNorm, "max_norm": max_norm, "maxnorm": maxnorm, "non_neg": non_neg,
    "nonneg": nonneg, "unit_norm": unit_norm, "unitnorm": unitnorm, "min_max_norm": min_max_norm,
}


def serialize(constraint):
    """Returns the config Keras stores for a constraint.

    # Arguments
        constraint: a `Constraint`.

    # Returns
        `{"class_name": ..., "config": ...}`.
    """
    return serialize_keras_object(constraint)


def deserialize(config, custom_objects=None):
    """Builds a constraint from its config.

    # Arguments
        config: a Keras 2 config `{"class_name": ..., "config": ...}`, a Keras 3 config,
            or a name.
        custom_objects: an optional dictionary of user constraints, by name.

    # Returns
        A constraint.

    # Raises
        ValueError: if the name is unknown.
    """
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    return deserialize_keras_object(config, _CONSTRAINTS, custom_objects,
                                    printable_module_name="constraint")


def get(identifier):
    """Returns a constraint from a name, a config, a callable or `None`.

    # Arguments
        identifier: a name such as `"max_norm"`, a config dictionary, a callable
            (returned unchanged) or `None` (returned unchanged).

    # Returns
        A constraint, or `None`.

    # Raises
        ValueError: if the identifier is an unknown name or cannot be interpreted.
    """
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret constraint identifier: {identifier!r}.")
