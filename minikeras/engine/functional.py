"""`Functional`: a model defined as a graph of layer calls from inputs to outputs.

`Model(inputs, outputs)` walks back from the outputs through the nodes that layer calls
recorded, puts the nodes in an order where every node comes after the ones it needs,
and runs them in that order when called. The order and the layer list follow Keras's
rules (by depth from the outputs, then by the order the walk first met each layer), so
`model.layers` and weight files line up with Keras's.
"""
from minikeras.engine.base_layer import Layer
from minikeras.engine.input_layer import InputLayer
from minikeras.engine.input_spec import InputSpec
from minikeras.engine.node import KerasTensor, flatten, pack_like
from minikeras.engine.registry import layer_from_config


class Functional(Layer):
    """A graph of layers; the base of `Model` when built from inputs and outputs.

    # Arguments
        inputs: a `KerasTensor` from `Input`, or a list or dict of them.
        outputs: the `KerasTensor`(s) computed from them.
        name: the model's name.
        trainable: whether its weights are trained.

    # Input shape
        The shapes of `inputs`.

    # Output shape
        The shapes of `outputs`.
    """

    def __init__(self, inputs, outputs, name=None, trainable=True):
        super().__init__(name=name, trainable=trainable)
        self._init_graph(inputs, outputs)

    def _init_graph(self, inputs, outputs):
        if isinstance(inputs, dict):
            inputs = [inputs[key] for key in inputs]
        self._nested_inputs = inputs
        self._nested_outputs = outputs
        self.inputs = flatten(inputs)
        self.outputs = flatten(outputs)
        for role, tensors in (("inputs", self.inputs), ("outputs", self.outputs)):
            for tensor in tensors:
                if not isinstance(tensor, KerasTensor):
                    raise ValueError(
                        f"Model {role} must be symbolic tensors (from Input(...) and layer "
                        f"calls on them); received {type(tensor).__name__}: {tensor!r}."
                    )
        self._nodes_in_order, self._layers = _order_graph(self.outputs)
        _check_connected(self.inputs, self._nodes_in_order)
        self._steps = [_Step(node) for node in self._nodes_in_order if not node.is_input]
        self._sublayers = [layer for layer in self._layers if not isinstance(layer, InputLayer)]
        self.input_spec = [InputSpec(ndim=len(t.shape), axes=_known_axes(t.shape))
                           for t in self.inputs]
        self.built = True

    # ---- introspection ----------------------------------------------------------------

    @property
    def layers(self):
        """The model's layers, input layers included, in Keras's order."""
        return list(self._layers)

    def get_layer(self, name=None, index=None):
        """Finds a layer by name or by index in `layers`.

        # Arguments
            name: the layer's name.
            index: the layer's position in `layers`.

        # Returns
            The layer.

        # Raises
            ValueError: if no layer matches, or neither argument is given.
        """
        if index is not None:
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model "
                    f'"{self.name}" only has {len(self.layers)} layers.'
                )
            return self.layers[index]
        if name is None:
            raise ValueError("Provide either a layer name or a layer index to get_layer.")
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"No such layer: {name}. Existing layers are: {[layer.name for layer in self.layers]}."
        )

    @property
    def input(self):
        """The model's symbolic input (a `KerasTensor`, or a list for several)."""
        return self.inputs[0] if len(self.inputs) == 1 else list(self.inputs)

    @property
    def output(self):
        """The model's symbolic output (a `KerasTensor`, or a list for several)."""
        return self.outputs[0] if len(self.outputs) == 1 else list(self.outputs)

    @property
    def input_shape(self):
        """The model's input shape (a tuple, or a list of tuples)."""
        shapes = [t.shape for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        """The model's output shape (a tuple, or a list of tuples)."""
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def input_names(self):
        """The names of the model's input layers."""
        return [t._keras_history[0].name for t in self.inputs]

    @property
    def output_names(self):
        """The names of the layers that produce the model's outputs."""
        return [t._keras_history[0].name for t in self.outputs]

    # ---- running ---------------------------------------------------------------------

    def call(self, inputs, training=None):
        """Runs the graph on tensors.

        # Arguments
            inputs: a tensor, or a list (or dict by input name) with one per model input.
            training: passed to every layer that behaves differently in training.

        # Returns
            The outputs, in the structure the model was built with.

        # Raises
            ValueError: if the number of inputs is wrong.
        """
        if isinstance(inputs, dict):
            inputs = [inputs[name] for name in self.input_names]
        values = flatten(inputs)
        if len(values) != len(self.inputs):
            raise ValueError(
                f'Model "{self.name}" expects {len(self.inputs)} input(s), but it received '
                f"{len(values)} input tensors."
            )
        computed = {id(tensor): value for tensor, value in zip(self.inputs, values)}
        for step in self._steps:
            arguments = [computed[key] for key in step.input_ids]
            arguments = arguments[0] if step.single_input else pack_like(step.inputs, arguments)
            kwargs = step.kwargs if step.sets_training else dict(step.kwargs, training=training)
            outputs = step.layer(arguments, *step.args, **kwargs)
            if step.single_output and not isinstance(outputs, (list, tuple, dict)):
                computed[step.output_ids[0]] = outputs
            else:
                for key, value in zip(step.output_ids, flatten(outputs)):
                    computed[key] = value
        return pack_like(self._nested_outputs, [computed[id(t)] for t in self.outputs])

    def compute_output_shape(self, input_shape):
        """Returns the output shapes of the graph.

        # Arguments
            input_shape: the input shapes (checked by the input spec).

        # Returns
            A shape tuple, or a list of them for several outputs.
        """
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def _call_symbolic(self, inputs, args, kwargs):
        outputs = super()._call_symbolic(inputs, args, kwargs)
        if isinstance(self._nested_outputs, (list, tuple)) and not isinstance(outputs, list):
            return [outputs]
        return outputs

    # ---- configuration -----------------------------------------------------------------

    def get_config(self):
        """Returns the graph as Keras 2 writes it: layers, their inbound nodes, inputs, outputs.

        # Returns
            A JSON-serializable dict.
        """
        node_keys = self._node_keys()
        layer_configs = []
        for layer in self.layers:
            inbound = []
            for node in layer._inbound_nodes:
                if id(node) not in node_keys or node.is_input:
                    continue
                kwargs = {k: v for k, v in node.call_kwargs.items() if k != "_args"}
                inbound.append([
                    [t._keras_history[0].name, node_keys[id(t.node)], t._keras_history[2], kwargs]
                    for t in node.input_tensors
                ])
            layer_configs.append({"name": layer.name, "class_name": type(layer).__name__,
                                  "config": layer.get_config(), "inbound_nodes": inbound})

        def endpoints(tensors):
            return [[t._keras_history[0].name, node_keys[id(t.node)], t._keras_history[2]]
                    for t in tensors]

        return {"name": self.name, "layers": layer_configs,
                "input_layers": endpoints(self.inputs), "output_layers": endpoints(self.outputs)}

    def _node_keys(self):
        """Numbers each layer's nodes that belong to this model 0, 1, ... as Keras does."""
        in_model = {id(node) for node in self._nodes_in_order}
        keys = {}
        for layer in self.layers:
            position = 0
            for node in layer._inbound_nodes:
                if id(node) in in_model:
                    keys[id(node)] = position
                    position += 1
        return keys

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds a functional model from its config (Keras 2's or Keras 3's form).

        # Arguments
            config: a dict from `get_config`, or the `config` of a Keras 3 `Functional`.
            custom_objects: an optional dict of user layers and functions by name.

        # Returns
            A new model.

        # Raises
            ValueError: if the config is malformed or names an unknown layer class.
        """
        inputs, outputs, name = graph_from_config(config, custom_objects)
        return cls(inputs, outputs, name=name)


class _Step:
    """One layer call of `Functional.call`, with what it needs worked out in advance.

    # Arguments
        node: the `Node` to run.
    """

    def __init__(self, node):
        self.layer = node.layer
        self.inputs = node.inputs
        self.input_ids = [id(t) for t in node.input_tensors]
        self.output_ids = [id(t) for t in node.output_tensors]
        self.single_input = not isinstance(node.inputs, (list, tuple, dict))
        self.single_output = not isinstance(node.outputs, (list, tuple, dict))
        self.kwargs = {key: value for key, value in node.call_kwargs.items() if key != "_args"}
        self.args = node.call_kwargs.get("_args", ())
        self.sets_training = "training" in self.kwargs  # the call's own `training` wins


def graph_from_config(config, custom_objects=None):
    """Creates the layers of a functional config and calls them as the config says.

    # Arguments
        config: the dict with `layers`, `input_layers` and `output_layers`.
        custom_objects: an optional dict of user classes and functions by name.

    # Returns
        `(inputs, outputs, name)`.

    # Raises
        ValueError: if the config is malformed or a node cannot be connected.
    """
    for key in ("layers", "input_layers", "output_layers"):
        if key not in config:
            raise ValueError(f"The model config has no {key!r} entry; keys found: "
                             f"{sorted(config)}.")
    layers = {}
    pending = []
    for layer_data in config["layers"]:
        layer = layer_from_config(layer_data, custom_objects)
        layers[layer_data.get("name", layer.name)] = layer
        for node_data in layer_data.get("inbound_nodes", []):
            pending.append((layer, node_data))
    produced = {}  # (layer name, node index, tensor index) -> KerasTensor
    for layer_name, layer in layers.items():
        if isinstance(layer, InputLayer):
            produced[(layer_name, 0, 0)] = layer._inbound_nodes[0].outputs
    while pending:
        progress = False
        for item in list(pending):
            layer, node_data = item
            if next(entry for entry in pending if entry[0] is layer) is not item:
                continue  # a layer's nodes are made in the order the config lists them
            arguments, kwargs = _node_arguments(node_data)
            try:
                resolved = _resolve(arguments, produced)
            except KeyError:
                continue
            outputs = layer(resolved, **kwargs)
            node_index = len([k for k in produced if k[0] == layer.name and k[2] == 0])
            for tensor_index, tensor in enumerate(flatten(outputs)):
                produced[(layer.name, node_index, tensor_index)] = tensor
            pending.remove(item)
            progress = True
        if not progress:
            names = sorted({layer.name for layer, _ in pending})
            raise ValueError(f"The model config cannot be connected: layers {names} wait for "
                             "inputs that no layer produces.")

    def endpoints(entries):
        if entries and not isinstance(entries[0], (list, tuple)):
            entries = [entries]
        try:
            return [produced[(name, node, tensor)] for name, node, tensor in entries]
        except KeyError as error:
            raise ValueError(f"The model config names an unknown endpoint {error}.") from None

    inputs, outputs = endpoints(config["input_layers"]), endpoints(config["output_layers"])
    single_output = (config["output_layers"] and not isinstance(config["output_layers"][0], list)
                     or len(outputs) == 1)
    return (inputs[0] if len(inputs) == 1 else inputs,
            outputs[0] if single_output else outputs,
            config.get("name"))


def _node_arguments(node_data):
    """Reads one inbound node, in Keras 2's list form or Keras 3's `args`/`kwargs` form."""
    if isinstance(node_data, dict):
        args = node_data.get("args", [])
        kwargs = dict(node_data.get("kwargs", {}))
        return (args[0] if len(args) == 1 else list(args)), kwargs
    references = [tuple(entry[:3]) for entry in node_data]
    kwargs = dict(node_data[0][3]) if node_data and len(node_data[0]) > 3 else {}
    return (references[0] if len(references) == 1 else references), kwargs


def _resolve(arguments, produced):
    """Replaces tensor references in node arguments by the tensors; KeyError if not yet made."""
    if isinstance(arguments, dict) and arguments.get("class_name") == "__keras_tensor__":
        return produced[tuple(arguments["config"]["keras_history"])]
    if isinstance(arguments, tuple) and len(arguments) == 3 and isinstance(arguments[0], str):
        return produced[arguments]
    if isinstance(arguments, (list, tuple)):
        return [_resolve(item, produced) for item in arguments]
    return arguments


def _known_axes(shape):
    return {axis: length for axis, length in enumerate(shape) if axis > 0 and length is not None}


def _order_graph(outputs):
    """Orders the nodes that lead to `outputs` and lists their layers, as Keras does.

    A depth-first walk from the outputs finds every node (iteratively: no recursion
    limit). Each node's depth is its longest distance to an output; nodes run from the
    deepest to depth 0, and layers are listed by decreasing depth, ties broken by the
    order in which the walk first met them.

    # Returns
        `(nodes in execution order, layers)`.
    """
    finished, in_progress = set(), set()
    nodes_post_order, layer_order = [], {}
    for output in outputs:
        stack = [(output.node, False)]
        while stack:
            node, expanded = stack.pop()
            if id(node) in finished:
                continue
            if expanded:
                in_progress.discard(id(node))
                finished.add(id(node))
                nodes_post_order.append(node)
                continue
            if id(node) in in_progress:
                raise ValueError(f'The graph has a cycle through layer "{node.layer.name}".')
            in_progress.add(id(node))
            layer_order.setdefault(id(node.layer), (len(layer_order), node.layer))
            stack.append((node, True))
            for tensor in reversed(node.input_tensors):
                if tensor._keras_history is None:
                    raise ValueError(f"Tensor {tensor!r} was not produced by a layer call.")
                stack.append((tensor.node, False))
    node_depths, layer_depths = {}, {}
    for node in reversed(nodes_post_order):
        depth = max(node_depths.get(id(node), 0), layer_depths.get(id(node.layer), 0))
        node_depths[id(node)] = depth
        layer_depths[id(node.layer)] = depth
        for parent in node.parent_nodes:
            node_depths[id(parent)] = max(node_depths.get(id(parent), 0), depth + 1)
    nodes = sorted(nodes_post_order, key=lambda n: -node_depths[id(n)])
    layers = sorted((entry for entry in layer_order.values()),
                    key=lambda entry: (-layer_depths[id(entry[1])], entry[0]))
    return nodes, [layer for _, layer in layers]


def _check_connected(inputs, nodes):
    """Raises a clear error when some node needs a tensor that no model input leads to."""
    available = {id(t) for t in inputs}
    seen_layers = []
    for node in nodes:
        for tensor in node.input_tensors:
            if id(tensor) not in available:
                raise ValueError(
                    f"Graph disconnected: cannot obtain value for tensor {tensor!r} at layer "
                    f'"{node.layer.name}". The following previous layers were accessed without '
                    f"issue: {seen_layers}"
                )
        if node.is_input and not any(t in inputs for t in node.output_tensors):
            continue
        available.update(id(t) for t in node.output_tensors)
        seen_layers.append(node.layer.name)
