"""Wrappers: layers that take another layer and change how it is applied.

`TimeDistributed` applies a layer to every timestep of a sequence; `Bidirectional` runs a
recurrent layer over a sequence both ways and merges the two results. Their configs hold
the wrapped layer's `{"class_name", "config"}`, as Keras 2 writes them.
"""
from minikeras.autograd import ops
from minikeras.engine.base_layer import Layer
from minikeras.engine.input_spec import InputSpec, check_input_spec
from minikeras.engine.registry import layer_from_config
from minikeras.layers.recurrent import _call_with_initial_state, _split_sequence_inputs

_MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def _check_layer(wrapper_name, layer):
    if not isinstance(layer, Layer):
        raise ValueError(f"{wrapper_name}: `layer` must be a Layer instance; received "
                         f"{layer!r}.")
    return layer


def _layer_config(layer):
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def _rename_weights(layer, old_prefix, new_prefix):
    """Renames the weights `old_prefix/...` of a layer to `new_prefix/...`."""
    for variable in layer.weights:
        if variable.name.startswith(old_prefix + "/"):
            variable.name = new_prefix + variable.name[len(old_prefix):]


class Wrapper(Layer):
    """Abstract base class of the wrappers: a layer that holds another layer.

    # Arguments
        layer: the layer to wrap.
        **kwargs: the base `Layer` arguments.

    # Input shape
        Set by each wrapper.

    # Output shape
        Set by each wrapper.
    """

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        self.layer = _check_layer(type(self).__name__, layer)

    def get_config(self):
        """Returns the wrapper's arguments, with the wrapped layer's class name and config.

        # Returns
            A dict.
        """
        return {**super().get_config(), "layer": _layer_config(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates the wrapper from its config, rebuilding the wrapped layer first.

        # Arguments
            config: a dict from `get_config`.
            custom_objects: an optional dict of user classes by name.

        # Returns
            A new wrapper.
        """
        config = dict(config)
        layer = layer_from_config(config.pop("layer"), custom_objects)
        return cls(layer, **config)


class TimeDistributed(Wrapper):
    """Applies a layer to every temporal slice of an input.

    The input's second axis is time: a `Dense` layer wrapped in `TimeDistributed` and
    given `(batch, 10, 16)` is applied to each of the 10 timesteps, with the same weights,
    and gives `(batch, 10, units)`. The timesteps are folded into the batch axis, so the
    wrapped layer runs once on `(batch * 10, 16)`. The weights are named after the wrapper
    (`time_distributed/kernel`), as Keras 2 names them.

    # Arguments
        layer: a layer instance.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        N-D tensor `(batch_size, timesteps, ...)`, at least 3-D.

    # Output shape
        `(batch_size, timesteps) + ` the wrapped layer's output shape without its batch axis.

    # Example
    ```python
    model = Sequential()
    model.add(TimeDistributed(Dense(8), input_shape=(10, 16)))
    # model.output_shape == (None, 10, 8)
    ```
    """

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)

    def build(self, input_shape):
        """Builds the wrapped layer for one timestep's shape `(batch,) + input_shape[2:]`.

        # Arguments
            input_shape: the input's shape, at least 3-D.
        """
        check_input_spec(self, self.input_spec, [tuple(input_shape)])
        if not self.layer.built:
            self.layer._maybe_build((None,) + tuple(input_shape[2:]))
            _rename_weights(self.layer, self.layer.name, self.name)
        self.input_spec = InputSpec(min_ndim=3, axes={
            axis: length for axis, length in enumerate(input_shape) if axis > 1})
        self.built = True

    def call(self, inputs, training=None):
        """Applies the wrapped layer to the timesteps folded into the batch axis.

        # Arguments
            inputs: a tensor `(batch, timesteps, ...)`.
            training: passed to the wrapped layer if its `call` accepts it.

        # Returns
            A tensor `(batch, timesteps, ...)`.
        """
        batch, timesteps = inputs.shape[0], inputs.shape[1]
        kwargs = self.layer._training_kwargs(training)
        folded = ops.reshape(inputs, (batch * timesteps,) + tuple(inputs.shape[2:]))
        outputs = self.layer.call(folded, **kwargs)
        outputs = ops.reshape(outputs, (batch, timesteps) + tuple(outputs.shape[1:]))
        if self.layer.activity_regularizer is not None:
            self.add_loss(self.layer.activity_regularizer(outputs))
        return outputs

    def compute_output_shape(self, input_shape):
        """Returns `(batch, timesteps) +` the wrapped layer's output shape for one timestep.

        # Arguments
            input_shape: the input's shape.

        # Returns
            The output's shape.
        """
        step_shape = self.layer.compute_output_shape((None,) + tuple(input_shape[2:]))
        return tuple(input_shape[:2]) + tuple(step_shape[1:])


class Bidirectional(Wrapper):
    """Bidirectional wrapper for recurrent layers: reads the sequence forwards and backwards.

    The wrapper holds two copies of the layer: `forward_layer` (named `forward_<name>`)
    reads the sequence as it comes, and `backward_layer` (`backward_<name>`, with the
    opposite `go_backwards`) reads it from its end. Their outputs are merged; with
    `return_sequences`, the backward layer's sequence is put back in time order first,
    so that both outputs at index `t` belong to timestep `t`. The weights are the forward
    layer's then the backward layer's, named as in Keras 2
    (`bidirectional/forward_lstm/kernel`, ...).

    # Arguments
        layer: a recurrent layer instance (`LSTM`, `GRU`, `SimpleRNN` or `RNN`).
        merge_mode: how the two outputs are merged: `"concat"` (the default), `"sum"`,
            `"mul"`, `"ave"`, or `None` to return the two outputs as a list.
        weights: optional initial weights, the forward layer's then the backward layer's.
        backward_layer: an optional recurrent layer to use for the backward direction,
            instead of a copy of `layer`; its `go_backwards` must be the opposite of
            `layer`'s, and its `return_sequences`, `return_state` and `stateful` equal.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(batch_size, timesteps, input_dim)`.

    # Output shape
        The wrapped layer's output shape, with twice the units for `"concat"`; with
        `merge_mode=None`, a list of the two outputs; with `return_state`, the states of
        the forward layer then those of the backward layer follow the output(s).

    # Raises
        ValueError: for an unknown `merge_mode`, or a `backward_layer` that does not fit.

    # Example
    ```python
    model = Sequential()
    model.add(Bidirectional(LSTM(10, return_sequences=True), input_shape=(5, 10)))
    model.add(Bidirectional(LSTM(10)))      # (None, 20)
    model.add(Dense(5, activation="softmax"))
    ```
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if merge_mode not in _MERGE_MODES:
            raise ValueError(f'Bidirectional: invalid merge_mode {merge_mode!r}; merge_mode '
                             f'should be one of {{"sum", "mul", "ave", "concat", None}}.')
        _check_recurrent("Bidirectional", "layer", layer)
        super().__init__(layer, weights=weights, **kwargs)
        self.merge_mode = merge_mode
        self.forward_layer = _copy_layer(layer, "forward_" + layer.name)
        self._backward_layer_config = None
        if backward_layer is None:
            self.backward_layer = _copy_layer(layer, "backward_" + layer.name,
                                              go_backwards=not layer.go_backwards)
        else:
            _check_backward_layer(layer, backward_layer)
            self._backward_layer_config = _layer_config(backward_layer)
            backward_layer.name = "backward_" + backward_layer.name
            self.backward_layer = backward_layer
        # The weights are the two copies' (the layer given is only a template).
        self._sublayers = [self.forward_layer, self.backward_layer]
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = layer.stateful
        self.supports_masking = True
        self.input_spec = None  # initial states may follow the sequence in a list

    def build(self, input_shape):
        """Builds both layers; their weights are named under the wrapper's name.

        # Arguments
            input_shape: the input's shape.
        """
        for layer in (self.forward_layer, self.backward_layer):
            if not layer.built:
                layer._maybe_build(input_shape)
                _rename_weights(layer, layer.name, f"{self.name}/{layer.name}")
        self.built = True

    def __call__(self, inputs, initial_state=None, **kwargs):
        """Runs the wrapper; symbolic initial states become extra inputs of the graph node.

        # Arguments
            inputs: a sequence tensor, or a list `[sequence, state_1, ...]`.
            initial_state: optional initial states: the forward layer's, then the backward
                layer's.
            **kwargs: further arguments of `call`, such as `training` or `mask`.

        # Returns
            The merged output, or a list (see the class docstring).
        """
        return _call_with_initial_state(super().__call__, inputs, initial_state, kwargs)

    def call(self, inputs, mask=None, training=None, initial_state=None):
        """Runs both layers and merges their outputs.

        # Arguments
            inputs: a tensor `(batch, timesteps, input_dim)`, or a list with the sequence
                followed by the initial states.
            mask: an optional timestep mask `(batch, timesteps)`.
            training: whether the call is part of training.
            initial_state: an optional list of initial states, the forward layer's then the
                backward layer's.

        # Returns
            The merged output, or a list (see the class docstring).

        # Raises
            ValueError: if the initial states cannot be split in two halves.
        """
        inputs, mask, initial_state = _split_sequence_inputs(inputs, mask, initial_state)
        forward_kwargs = {"mask": mask, "training": training}
        backward_kwargs = dict(forward_kwargs)
        if initial_state is not None:
            if len(initial_state) % 2:
                raise ValueError(f'Layer "{self.name}": initial_state must hold the forward '
                                 "layer's states then the backward layer's (an even number); "
                                 f"received {len(initial_state)}.")
            half = len(initial_state) // 2
            forward_kwargs["initial_state"] = initial_state[:half]
            backward_kwargs["initial_state"] = initial_state[half:]
        forward = self.forward_layer.call(inputs, **forward_kwargs)
        backward = self.backward_layer.call(inputs, **backward_kwargs)
        states = []
        if self.return_state:
            states = list(forward[1:]) + list(backward[1:])
            forward, backward = forward[0], backward[0]
        if self.return_sequences:
            backward = backward[:, ::-1]  # back in time order
        output = self._merge(forward, backward)
        if self.return_state:
            return (output if isinstance(output, list) else [output]) + states
        return output

    def _merge(self, forward, backward):
        if self.merge_mode == "concat":
            return ops.concatenate([forward, backward], axis=-1)
        if self.merge_mode == "sum":
            return forward + backward
        if self.merge_mode == "ave":
            return (forward + backward) / 2
        if self.merge_mode == "mul":
            return forward * backward
        return [forward, backward]

    def compute_output_shape(self, input_shape):
        """Returns the merged output shape (and the states' shapes with `return_state`).

        # Arguments
            input_shape: the input's shape (or a list, with the initial states' shapes).

        # Returns
            A shape, or a list of shapes.
        """
        output_shape = self.forward_layer.compute_output_shape(input_shape)
        state_shapes = []
        if self.return_state:
            output_shape, state_shapes = output_shape[0], list(output_shape[1:])
        if self.merge_mode == "concat":
            output_shape = tuple(output_shape[:-1]) + (2 * output_shape[-1],)
        outputs = [output_shape, output_shape] if self.merge_mode is None else [output_shape]
        if self.return_state:
            return outputs + state_shapes + state_shapes
        return outputs if self.merge_mode is None else output_shape

    def compute_mask(self, inputs, mask=None):
        """Passes the timestep mask on with `return_sequences`; states have no mask.

        # Arguments
            inputs: the layer's inputs.
            mask: the inputs' mask, or None.

        # Returns
            The output's mask (a list for several outputs).
        """
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        masks = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            n_states = len(self.forward_layer.states)
            return masks + [None] * (2 * n_states)
        return masks if self.merge_mode is None else output_mask

    def reset_states(self, states=None):
        """Resets the states of both layers (which must be stateful).

        # Arguments
            states: None for zeros, or the forward layer's states then the backward
                layer's.
        """
        if states is None:
            self.forward_layer.reset_states()
            self.backward_layer.reset_states()
            return
        half = len(states) // 2
        self.forward_layer.reset_states(states[:half])
        self.backward_layer.reset_states(states[half:])

    def get_config(self):
        """Returns the wrapper's arguments, with the wrapped layers' class names and configs.

        # Returns
            A dict.
        """
        config = {**super().get_config(), "merge_mode": self.merge_mode}
        if self._backward_layer_config is not None:
            config["backward_layer"] = self._backward_layer_config
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates the wrapper from its config, rebuilding the wrapped layers first.

        # Arguments
            config: a dict from `get_config`.
            custom_objects: an optional dict of user classes by name.

        # Returns
            A new wrapper.
        """
        config = dict(config)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = layer_from_config(config["backward_layer"],
                                                         custom_objects)
        return super().from_config(config, custom_objects)


def _check_recurrent(wrapper_name, argument, layer):
    _check_layer(wrapper_name, layer)
    for attribute in ("go_backwards", "return_sequences", "return_state", "stateful"):
        if not hasattr(layer, attribute):
            raise ValueError(f"{wrapper_name}: `{argument}` must be a recurrent layer (RNN, "
                             f"LSTM, GRU, SimpleRNN); received {type(layer).__name__}, which "
                             f"has no `{attribute}`.")


def _check_backward_layer(layer, backward_layer):
    _check_recurrent("Bidirectional", "backward_layer", backward_layer)
    if backward_layer.go_backwards == layer.go_backwards:
        raise ValueError("Bidirectional: `backward_layer.go_backwards` must be the opposite "
                         f"of `layer.go_backwards`; both are {layer.go_backwards}.")
    for attribute in ("return_sequences", "return_state", "stateful"):
        if getattr(backward_layer, attribute) != getattr(layer, attribute):
            raise ValueError(f"Bidirectional: `backward_layer.{attribute}` must equal "
                             f"`layer.{attribute}`; received {getattr(backward_layer, attribute)}"
                             f" and {getattr(layer, attribute)}.")


def _copy_layer(layer, name, **changes):
    """A new, unbuilt layer with the config of `layer`, renamed, with some arguments changed.

    The copy is made of the same classes as the original (its own, and its cell's), not of
    classes looked up by name.
    """
    config = {**layer.get_config(), "name": name, **changes}
    classes = {type(layer).__name__: type(layer)}
    cell = getattr(layer, "cell", None)
    if cell is not None:
        classes[type(cell).__name__] = type(cell)
    return layer_from_config({"class_name": type(layer).__name__, "config": config}, classes)


__all__ = ["Wrapper", "TimeDistributed", "Bidirectional"]
