"""`InputSpec`: what a layer accepts, and the Keras-worded errors when an input does not fit."""


class InputSpec:
    """Describes the rank, dtype and shape a layer expects of an input.

    # Arguments
        dtype: the expected dtype, or None.
        shape: the full expected shape (None for any length), or None.
        ndim: the exact number of axes, or None.
        max_ndim: the largest number of axes, or None.
        min_ndim: the smallest number of axes, or None.
        axes: a dict from axis to the length it must have, such as `{-1: 10}`.
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None):
        self.dtype = dtype
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = dict(axes or {})

    def __repr__(self):
        parts = [f"{key}={value}" for key, value in vars(self).items() if value]
        return f"InputSpec({', '.join(parts)})"


def check_input_spec(layer, specs, shapes):
    """Checks input shapes against a layer's input specs, raising Keras's messages.

    # Arguments
        layer: the layer (for its name in messages).
        specs: an `InputSpec`, a list of them, or None.
        shapes: the input shapes, one per spec.

    # Raises
        ValueError: when an input does not fit, saying what was expected and received.
    """
    if specs is None:
        return
    if not isinstance(specs, (list, tuple)):
        specs = [specs]
    if len(shapes) != len(specs):
        raise ValueError(
            f'Layer "{layer.name}" expects {len(specs)} input(s), but it received '
            f"{len(shapes)} input tensors."
        )
    for index, (spec, shape) in enumerate(zip(specs, shapes)):
        if spec is None:
            continue
        prefix = f'Input {index} of layer "{layer.name}" is incompatible with the layer: '
        _check_rank(spec, shape, prefix)
        _check_axes(spec, shape, prefix)


def _check_rank(spec, shape, prefix):
    ndim = len(shape)
    if spec.ndim is not None and ndim != spec.ndim:
        raise ValueError(f"{prefix}expected ndim={spec.ndim}, found ndim={ndim}. "
                         f"Full shape received: {_format(shape)}")
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(f"{prefix}expected max_ndim={spec.max_ndim}, found ndim={ndim}. "
                         f"Full shape received: {_format(shape)}")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(f"{prefix}expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                         f"Full shape received: {_format(shape)}")


def _check_axes(spec, shape, prefix):
    for axis, value in spec.axes.items():
        if value is None or -len(shape) > axis or axis >= len(shape):
            continue
        if shape[axis] not in (value, None):
            raise ValueError(
                f"{prefix}expected axis {axis} of input shape to have value {value}, "
                f"but received input with shape {_format(shape)}"
            )
    if spec.shape is not None:
        for expected, received in zip(spec.shape, shape):
            if expected is not None and received is not None and expected != received:
                raise ValueError(f"{prefix}expected shape={_format(spec.shape)}, "
                                 f"found shape={_format(shape)}")


def _format(shape):
    return str(tuple(shape))
