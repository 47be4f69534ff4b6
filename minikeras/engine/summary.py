"""`print_summary`: the table `model.summary()` prints, in Keras 2's format."""


def _format_shape(layer):
    try:
        shape = layer.output_shape
    except AttributeError:
        return "multiple"
    return str(shape).replace("[", "").replace("]", "") if isinstance(shape, list) else str(shape)


def _print_row(fields, positions, print_fn):
    line = ""
    for field, end in zip(fields, positions):
        line += str(field)
        # A field too long for its column is cut, leaving one space before the next.
        line = line[:end - 1] if len(line) >= end else line
        line += " " * (end - len(line))
    print_fn(line)


def _connections(layer, model):
    in_model = {id(node) for node in getattr(model, "_nodes_in_order", [])}
    sources = []
    for node in layer._inbound_nodes:
        if id(node) not in in_model:
            continue
        for tensor in node.input_tensors:
            source, node_index, tensor_index = tensor._keras_history
            sources.append(f"{source.name}[{node_index}][{tensor_index}]")
    return sources


def _is_sequential_like(model):
    if not getattr(model, "_is_graph_network", False):
        return True
    for layer in model.layers:
        nodes = [n for n in layer._inbound_nodes if n in model._nodes_in_order]
        if len(nodes) > 1 or any(len(n.input_tensors) > 1 for n in nodes):
            return False
    return True


def count_weights(weights):
    """Counts the scalars in a list of weights.

    # Arguments
        weights: a list of variables.

    # Returns
        An int.
    """
    return int(sum(int(w.size) for w in weights))


def print_summary(model, line_length=None, positions=None, print_fn=None):
    """Prints a summary of a model: one row per layer, then the parameter counts.

    Models that are a simple chain get three columns (Layer (type), Output Shape,
    Param #); graphs with merges get a fourth, Connected to.

    # Arguments
        model: a built model.
        line_length: the width of the table (65 for chains, 98 for graphs).
        positions: the right edge of each column, as fractions of the width (all <= 1) or
            in characters.
        print_fn: the function that prints a line, `print` by default.

    # Raises
        ValueError: if the model is not built yet.
    """
    print_fn = print_fn or print
    if not model.built:
        raise ValueError(
            f'Model "{model.name}" has not been built yet: call it on data, or give its first '
            "layer an `input_shape`, before calling summary()."
        )
    chain = _is_sequential_like(model)
    line_length = line_length or (65 if chain else 98)
    positions = positions or ([0.45, 0.85, 1.0] if chain else [0.33, 0.55, 0.67, 1.0])
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    headers = ["Layer (type)", "Output Shape", "Param #"] + ([] if chain else ["Connected to"])
    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    _print_row(headers, positions, print_fn)
    print_fn("=" * line_length)
    layers = model.layers
    for index, layer in enumerate(layers):
        params = layer.count_params() if layer.built else 0
        name = f"{layer.name} ({type(layer).__name__})"
        row = [name, _format_shape(layer), params]
        if chain:
            _print_row(row, positions, print_fn)
        else:
            sources = _connections(layer, model) or [""]
            _print_row(row + [sources[0]], positions, print_fn)
            for source in sources[1:]:
                _print_row(["", "", "", source], positions, print_fn)
        print_fn(("=" if index == len(layers) - 1 else "_") * line_length)
    trainable = count_weights(model.trainable_weights)
    non_trainable = count_weights(model.non_trainable_weights)
    print_fn(f"Total params: {trainable + non_trainable:,}")
    print_fn(f"Trainable params: {trainable:,}")
    print_fn(f"Non-trainable params: {non_trainable:,}")
    print_fn("_" * line_length)
