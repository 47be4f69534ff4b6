"""Symbolic tensors and nodes: how the functional API records a graph without computing.

Calling a layer on `KerasTensor`s (placeholders made by `Input`) builds the layer, infers
the output shape and records a `Node`: which layer ran, on which tensors, giving which
tensors. A `Model` later walks these nodes from its inputs to its outputs.
"""
from minikeras.autograd.tape import _flatten, _pack_like


class KerasTensor:
    """A placeholder for a tensor in a functional model: a shape, a dtype, and its history.

    # Arguments
        shape: the shape, with `None` for the batch axis (and any unknown axis).
        dtype: the dtype as a string.
        name: an optional name.
        history: `(layer, node_index, tensor_index)`, the layer call that produces it.
    """

    def __init__(self, shape, dtype="float32", name=None, history=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = str(dtype)
        self.name = name
        self._keras_history = history

    @property
    def ndim(self):
        """The number of axes."""
        return len(self.shape)

    @property
    def node(self):
        """The node that produced this tensor."""
        layer, node_index, _ = self._keras_history
        return layer._inbound_nodes[node_index]

    def __repr__(self):
        layer = self._keras_history[0].name if self._keras_history else None
        return f"<KerasTensor shape={self.shape} dtype={self.dtype} created by layer '{layer}'>"

    __hash__ = object.__hash__


class Node:
    """One call of a layer on symbolic tensors.

    # Arguments
        layer: the layer that was called.
        inputs: the input structure (a KerasTensor, or a list of them).
        outputs: the output structure.
        call_kwargs: other keyword arguments of the call (such as `training`).
    """

    def __init__(self, layer, inputs, outputs, call_kwargs=None):
        self.layer = layer
        self.inputs = inputs
        self.outputs = outputs
        self.call_kwargs = dict(call_kwargs or {})
        self.input_tensors = flatten(inputs)
        self.output_tensors = flatten(outputs)
        self.index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for position, tensor in enumerate(self.output_tensors):
            tensor._keras_history = (layer, self.index, position)

    @property
    def parent_nodes(self):
        """The nodes that produced this node's inputs (none for an input layer)."""
        return [t.node for t in self.input_tensors if t._keras_history is not None]

    @property
    def is_input(self):
        """Whether this node is the one node of an `InputLayer`."""
        return not self.input_tensors


def flatten(structure):
    """Flattens nested lists, tuples and dicts into a list of leaves.

    # Arguments
        structure: a value or a nested structure of values.

    # Returns
        A list.
    """
    return _flatten(structure)


def pack_like(structure, flat):
    """Refills `structure` with the values of `flat`, in order.

    # Arguments
        structure: a nested structure.
        flat: a list with one value per leaf.

    # Returns
        A structure like `structure`.
    """
    return _pack_like(structure, flat)


def map_structure(function, structure):
    """Applies `function` to every leaf of a nested structure.

    # Arguments
        function: a function of one leaf.
        structure: a value or nested lists, tuples and dicts of values.

    # Returns
        The structure of the results.
    """
    return pack_like(structure, [function(leaf) for leaf in flatten(structure)])


def is_symbolic(structure):
    """Tells whether a structure holds symbolic tensors.

    # Arguments
        structure: a value or a nested structure.

    # Returns
        True if any leaf is a `KerasTensor`.
    """
    return any(isinstance(leaf, KerasTensor) for leaf in flatten(structure))
