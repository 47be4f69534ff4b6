"""Pictures of models and training: `plot_model` (Pillow, no Graphviz) and `plot_history`."""
import sys

from minikeras.engine import io_utils

BOX_PADDING = 8
LEVEL_GAP = 36
COLUMN_GAP = 24


def _layer_label(layer, show_shapes, show_layer_names):
    from minikeras.engine.input_layer import InputLayer
    lines = [f"{layer.name}: {type(layer).__name__}" if show_layer_names
             else type(layer).__name__]
    if show_shapes:
        for title, attribute in (("input", "input_shape"), ("output", "output_shape")):
            try:
                shape = getattr(layer, attribute)
            except AttributeError:
                shape = "multiple"
            if attribute == "input_shape" and isinstance(layer, InputLayer):
                shape = layer._batch_input_shape
            lines.append(f"{title}: {shape}")
    return lines


def _graph(model):
    """Returns the layers and the (source, target) edges between them."""
    layers = list(model.layers)
    nodes = getattr(model, "_nodes_in_order", None)
    if nodes and hasattr(model, "inputs"):
        for tensor in model.inputs:
            input_layer = tensor._keras_history[0]
            if all(input_layer is not layer for layer in layers):
                layers.insert(0, input_layer)
        edges = []
        for node in nodes:
            for tensor in node.input_tensors:
                source = tensor._keras_history[0]
                edges.append((id(source), id(node.layer)))
        return layers, edges
    return layers, [(id(a), id(b)) for a, b in zip(layers, layers[1:])]


def _levels(layers, edges):
    """Places each layer one level below the deepest layer feeding it."""
    level = {id(layer): 0 for layer in layers}
    for layer in layers:  # layers come in an order where sources precede targets
        for source, target in edges:
            if target == id(layer) and source in level:
                level[target] = max(level[target], level[source] + 1)
    return level


def model_to_image(model, show_shapes=False, show_layer_names=True, dpi=96):
    """Draws a model's layer graph with Pillow.

    # Arguments
        model: a built model.
        show_shapes: whether to write each layer's input and output shapes.
        show_layer_names: whether to write the layer names.
        dpi: the resolution stored with the image.

    # Returns
        A `PIL.Image.Image`.
    """
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.load_default()
    layers, edges = _graph(model)
    level = _levels(layers, edges)
    labels = {id(layer): _layer_label(layer, show_shapes, show_layer_names) for layer in layers}
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))

    def box_size(lines):
        widths = [measure.textlength(line, font=font) for line in lines]
        return int(max(widths)) + 2 * BOX_PADDING, 14 * len(lines) + 2 * BOX_PADDING

    sizes = {key: box_size(lines) for key, lines in labels.items()}
    rows = {}
    for layer in layers:
        rows.setdefault(level[id(layer)], []).append(id(layer))
    row_heights = {r: max(sizes[k][1] for k in keys) for r, keys in rows.items()}
    row_widths = {r: sum(sizes[k][0] for k in keys) + COLUMN_GAP * (len(keys) - 1)
                  for r, keys in rows.items()}
    width = max(row_widths.values()) + 2 * COLUMN_GAP
    height = sum(row_heights.values()) + LEVEL_GAP * (len(rows) + 1)
    image = Image.new("RGB", (int(width), int(height)), "white")
    draw = ImageDraw.Draw(image)
    boxes, top = {}, LEVEL_GAP
    for row in sorted(rows):
        left = (width - row_widths[row]) / 2
        for key in rows[row]:
            box_width, box_height = sizes[key]
            boxes[key] = (left, top, left + box_width, top + box_height)
            left += box_width + COLUMN_GAP
        top += row_heights[row] + LEVEL_GAP
    for source, target in edges:
        if source in boxes and target in boxes:
            _arrow(draw, boxes[source], boxes[target])
    for key, (x0, y0, x1, y1) in boxes.items():
        draw.rectangle((x0, y0, x1, y1), outline="black", fill="#e8f0fe")
        for index, line in enumerate(labels[key]):
            draw.text((x0 + BOX_PADDING, y0 + BOX_PADDING + 14 * index), line, fill="black",
                      font=font)
    image.info["dpi"] = (dpi, dpi)
    return image


def _arrow(draw, source_box, target_box):
    start = ((source_box[0] + source_box[2]) / 2, source_box[3])
    end = ((target_box[0] + target_box[2]) / 2, target_box[1])
    draw.line((start, end), fill="black", width=1)
    draw.polygon([end, (end[0] - 4, end[1] - 8), (end[0] + 4, end[1] - 8)], fill="black")


def plot_model(model, to_file="model.png", show_shapes=False, show_layer_names=True,
               rankdir="TB", expand_nested=False, dpi=96):
    """Draws a model's layer graph to a PNG file, as Keras's `plot_model`, without Graphviz.

    # Arguments
        model: a built model.
        to_file: the PNG file to write; `None` writes nothing.
        show_shapes: whether to write each layer's input and output shapes.
        show_layer_names: whether to write the layer names.
        rankdir: `"TB"` (top to bottom; the only layout drawn).
        expand_nested: accepted for Keras compatibility (nested models are one box).
        dpi: the resolution stored in the file.

    # Returns
        The image: in a Jupyter notebook an `IPython.display.Image` that the cell shows,
        elsewhere a `PIL.Image.Image`.
    """
    image = model_to_image(model, show_shapes, show_layer_names, dpi)
    if to_file is not None:
        _save_atomically(image, to_file)
    return _display_form(image)


def _save_atomically(image, path):
    with io_utils.write_atomically(path) as temporary:
        # Pillow writes a PNG's resolution only when asked; `model_to_image` keeps it in
        # `info`.
        image.save(temporary, format="PNG", dpi=image.info.get("dpi", (96, 96)))


def _display_form(image):
    if "ipykernel" in sys.modules:
        import io

        from IPython.display import Image as NotebookImage
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return NotebookImage(data=buffer.getvalue())
    return image


def plot_history(history, to_file=None, metrics=None):
    """Plots the loss and metrics of each epoch (training and validation) with matplotlib.

    # Arguments
        history: a `History` object returned by `fit`, or its `history` dict.
        to_file: an optional PNG file to write.
        metrics: the names to plot (without `val_`); by default every one recorded.

    # Returns
        The matplotlib `Figure` (shown inline in a notebook).

    # Raises
        ImportError: if matplotlib is not installed (`pip install minikeras[plot]`).
    """
    try:
        import matplotlib
        if "ipykernel" not in sys.modules:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError("plot_history needs matplotlib: pip install 'minikeras[plot]'.") \
            from error
    records = getattr(history, "history", history)
    names = metrics or [name for name in records if not name.startswith("val_")]
    figure, axes = plt.subplots(1, len(names), figsize=(4.5 * len(names), 3.5), squeeze=False)
    for axis, name in zip(axes[0], names):
        epochs = range(1, len(records[name]) + 1)
        axis.plot(epochs, records[name], marker="o", label=f"training {name}")
        if f"val_{name}" in records:
            axis.plot(epochs, records[f"val_{name}"], marker="o", label=f"validation {name}")
        axis.set_xlabel("epoch")
        axis.set_title(name)
        axis.legend()
    figure.tight_layout()
    if to_file is not None:
        with io_utils.write_atomically(to_file) as temporary:
            figure.savefig(temporary, format="png")
    if "ipykernel" in sys.modules:  # the notebook shows the returned figure; pyplot must not
        plt.close(figure)
    return figure
