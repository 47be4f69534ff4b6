"""Recurrent layers: the `RNN` layer, its cells, and SimpleRNN, LSTM and GRU.

A recurrent layer reads a sequence `(batch, timesteps, features)` one timestep at a time.
The work of one step is done by a *cell*: from the input at time `t` and the states left
by step `t - 1`, it computes the output and the new states. The `RNN` layer runs a cell
along the time axis, in a plain Python loop over ops:

    states = initial states (zeros)
    for t in range(timesteps):
        output, states = cell.call(inputs[:, t], states)

Every op of every step is recorded on the tape, so *backpropagation through time* is
nothing more than the tape walking this loop backwards: the gradient of a state flows
from step `t` to step `t - 1` through the ops that computed it. `_run_cell` below is that
loop, the readable reference of this file.

That is about 25 recorded ops per LSTM step. For speed, `LSTM` and `GRU` (with Keras's
usual activations) run their whole loop as *one* op instead, whose forward and backward
passes are the array kernels of `minikeras.kernels.recurrent`; the tests keep the two
ways equal. `RNN` with any cell, and `SimpleRNN`, always use the reference loop.

`SimpleRNN`, `LSTM` and `GRU` are `RNN`s with a built-in cell; their weights have
Keras 2's layout, order and names (`lstm/kernel`, `lstm/recurrent_kernel`, `lstm/bias`,
with the gates side by side: i, f, c, o for the LSTM, z, r, h for the GRU), so weight
files move between Keras and minikeras.
"""
import numpy as np

from minikeras import activations, backend, constraints, initializers, regularizers
from minikeras.autograd import ops
from minikeras.autograd.tape import record
from minikeras.autograd.tensor import Tensor, as_tensor
from minikeras.engine.base_layer import Layer, _call_parameters, _is_shape_list
from minikeras.engine.input_spec import InputSpec, check_input_spec
from minikeras.engine.node import is_symbolic
from minikeras.engine.registry import layer_from_config
from minikeras.layers.core import check_identifier, check_positive_int, check_rate

# Keys of a cell's config that belong to the cell object, not to the layer around it.
_CELL_ONLY_KEYS = ("name", "trainable", "dtype")


# Helpers ------------------------------------------------------------------------------------

def _state_sizes(cell):
    """The cell's `state_size` as a list (one int per state)."""
    size = cell.state_size
    return [int(n) for n in size] if isinstance(size, (list, tuple)) else [int(size)]


def _output_size(cell):
    """The length of the cell's output: `output_size`, or else the first state's size."""
    size = getattr(cell, "output_size", None)
    return int(size) if size is not None else _state_sizes(cell)[0]


def _check_bool(layer_name, argument, value):
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{layer_name}: `{argument}` must be True or False; received {value!r}.")
    return bool(value)


def _dropout_masks(rate, shape, count, dtype):
    """Draws `count` dropout masks of `shape`: 0 with probability `rate`, else `1 / (1 - rate)`.

    Returns None when `rate` is 0 (no dropout).
    """
    if rate == 0:
        return None
    keep = backend.rng().random((count,) + tuple(shape)) >= rate
    return list((keep / (1 - rate)).astype(dtype))


def _project(values, weights, masks, n_gates, bias=None):
    """Computes `values @ weights + bias`, split into the `n_gates` gates along the last axis.

    With dropout, each gate sees `values` under its own mask, as in Keras 2, so the gates
    are then computed one by one.
    """
    if masks is None:
        projected = ops.matmul(values, weights)
        if bias is not None:
            projected = projected + bias
        return ops.split(projected, n_gates, axis=-1) if n_gates > 1 else [projected]
    weight_parts = ops.split(weights, n_gates, axis=-1) if n_gates > 1 else [weights]
    projected = [ops.matmul(values * mask, part) for mask, part in zip(masks, weight_parts)]
    if bias is not None:
        bias_parts = ops.split(bias, n_gates, axis=-1) if n_gates > 1 else [bias]
        projected = [part + part_bias for part, part_bias in zip(projected, bias_parts)]
    return projected


# The loop over time: backpropagation through time happens here ---------------------------

def _run_cell(step, inputs, initial_states, mask=None, go_backwards=False, output_size=None):
    """Runs a step function along the time axis of `inputs`, recording every step on the tape.

    A masked timestep changes nothing: the states stay those of the previous step, and
    the output repeats the previous step's output (zeros before the first unmasked step),
    as Keras 2 does.

    # Arguments
        step: a function `(input at t, states) -> (output, new states)`.
        inputs: a tensor `(batch, timesteps, features)`.
        initial_states: a list of tensors `(batch, state size)`.
        mask: an optional boolean array `(batch, timesteps)`; False marks a step to skip.
        go_backwards: whether to read the timesteps from the last to the first.
        output_size: the length of the step's output (for the zeros before a masked start).

    # Returns
        `(outputs, last_output, final_states)`: the list of the outputs in the order the
        steps ran, the last one, and the list of the final states.
    """
    timesteps = range(inputs.shape[1])
    if go_backwards:
        timesteps = reversed(timesteps)
    states = list(initial_states)
    previous_output = None
    if mask is not None:
        previous_output = Tensor(np.zeros((inputs.shape[0], output_size), inputs.dtype))
    outputs = []
    for t in timesteps:
        output, new_states = step(inputs[:, t], states)
        new_states = list(new_states) if isinstance(new_states, (list, tuple)) else [new_states]
        if mask is not None:
            keep = mask[:, t:t + 1]
            output = ops.where(keep, output, previous_output)
            new_states = [ops.where(keep, new, old) for new, old in zip(new_states, states)]
            previous_output = output
        outputs.append(output)
        states = new_states
    return outputs, outputs[-1], states


# The fast path: the LSTM's and GRU's loop over time as one op -----------------------------

# Tests switch this off to compare the fused loops with the reference, `_run_cell`.
_FUSED_LOOPS_ENABLED = True


def _can_fuse(cell, dtype):
    """Whether the fused loop of `minikeras.kernels.recurrent` can replace `_run_cell`.

    It can for an `LSTMCell` or a `GRUCell` computing in float32 or float64 with Keras's
    usual activations: `tanh`, and `hard_sigmoid` or `sigmoid` for the gates.
    """
    return (_FUSED_LOOPS_ENABLED and isinstance(cell, (LSTMCell, GRUCell))
            and np.dtype(dtype) in (np.float32, np.float64)
            and cell.activation is activations.tanh
            and cell.recurrent_activation in (activations.hard_sigmoid, activations.sigmoid))


def _time_major(array):
    return np.ascontiguousarray(np.swapaxes(array, 0, 1))


def _lstm_loop(projected, h0, c0, recurrent_kernel, recurrent_masks, step_mask, hard):
    """The LSTM's whole loop over time as one differentiable op.

    # Arguments
        projected: a tensor `(batch, timesteps, 4 * units)`, the input part of the gates.
        h0: a tensor `(batch, units)`, the initial output state.
        c0: a tensor `(batch, units)`, the initial cell state.
        recurrent_kernel: the tensor `(units, 4 * units)`.
        recurrent_masks: None, or the list of the 4 gates' recurrent dropout masks.
        step_mask: None, or a boolean array `(batch, timesteps)`.
        hard: whether the gates use the hard sigmoid.

    # Returns
        A tensor `(batch, timesteps + 1, units)`: the state `h` after each step, then the
        final state `c` (the only `c` the layer outputs) as one more step.
    """
    from minikeras.kernels import recurrent as kernels
    step_mask = None if step_mask is None else _time_major(step_mask)
    kernel_value = recurrent_kernel.value  # saved for backward (a Variable may be reassigned)
    h_all, c_all, gates = kernels.lstm_forward(_time_major(projected.value), h0.value,
                                               c0.value, kernel_value,
                                               recurrent_masks, step_mask, hard)

    def backward(grad):
        grad = _time_major(grad)
        grad_projected, grad_h0, grad_c0, grad_kernel = kernels.lstm_backward(
            grad[:-1], grad[-1], h_all, c_all, gates, kernel_value, recurrent_masks,
            step_mask, hard)
        return np.swapaxes(grad_projected, 0, 1), grad_h0, grad_c0, grad_kernel

    packed = np.swapaxes(np.concatenate([h_all[1:], c_all[-1:]]), 0, 1)
    return record(packed, (projected, h0, c0, recurrent_kernel), backward)


def _gru_loop(projected, h0, recurrent_kernel, recurrent_bias, recurrent_masks, step_mask, hard,
              reset_after):
    """The GRU's whole loop over time as one differentiable op.

    # Arguments
        projected: a tensor `(batch, timesteps, 3 * units)`, the input part of the gates.
        h0: a tensor `(batch, units)`, the initial state.
        recurrent_kernel: the tensor `(units, 3 * units)`.
        recurrent_bias: None, or a tensor `(3 * units,)`, the recurrent bias of
            `reset_after`.
        recurrent_masks: None, or the list of the 3 gates' recurrent dropout masks.
        step_mask: None, or a boolean array `(batch, timesteps)`.
        hard: whether the gates use the hard sigmoid.
        reset_after: whether the reset gate is applied after the recurrent product.

    # Returns
        A tensor `(batch, timesteps, units)`: the state after each step.
    """
    from minikeras.kernels import recurrent as kernels
    step_mask = None if step_mask is None else _time_major(step_mask)
    kernel_value = recurrent_kernel.value  # saved for backward (a Variable may be reassigned)
    inputs = (projected, h0, recurrent_kernel)
    if recurrent_bias is not None:
        inputs += (recurrent_bias,)
    h_all, gates, recurrent_h = kernels.gru_forward(
        _time_major(projected.value), h0.value, kernel_value,
        None if recurrent_bias is None else recurrent_bias.value,
        recurrent_masks, step_mask, hard, reset_after)

    def backward(grad):
        grad_projected, grad_h0, grad_kernel, grad_bias = kernels.gru_backward(
            _time_major(grad), h_all, gates, recurrent_h, kernel_value,
            recurrent_bias is not None, recurrent_masks, step_mask, hard, reset_after)
        grads = (np.swapaxes(grad_projected, 0, 1), grad_h0, grad_kernel)
        return grads if grad_bias is None else grads + (grad_bias,)

    packed = np.swapaxes(h_all[1:], 0, 1)
    return record(packed, inputs, backward)


def _fused_recurrence(layer, inputs, states, mask, training):
    """Runs an LSTM or GRU layer with its fused loop; returns what `_run_cell` returns."""
    cell = layer.cell
    input_masks, recurrent_masks = cell.get_dropout_masks(inputs[:, 0], training)
    step_mask = mask
    if layer.go_backwards:
        inputs = inputs[:, ::-1]
        step_mask = None if mask is None else mask[:, ::-1]
    states = [ops.cast(state, inputs.dtype) for state in states]
    run = _fused_lstm if isinstance(cell, LSTMCell) else _fused_gru
    h_sequence, final_states = run(cell, inputs, states, input_masks, recurrent_masks,
                                   step_mask)
    outputs = h_sequence
    if mask is not None:
        # Before its first unmasked step a sample's output is zeros (its state is the initial
        # state): the output is the state once a step has been seen.
        seen = np.maximum.accumulate(step_mask, axis=1)[:, :, None]
        outputs = h_sequence * seen.astype(inputs.dtype)
    return outputs, outputs[:, -1], final_states


def _fused_lstm(cell, inputs, states, input_masks, recurrent_masks, step_mask):
    """The LSTM's fused loop: returns the sequence of `h` and the final states `[h, c]`."""
    hard = cell.recurrent_activation is activations.hard_sigmoid
    projected = _project_sequence(inputs, cell.kernel, input_masks, 4, cell.bias)
    packed = _lstm_loop(projected, states[0], states[1], cell.recurrent_kernel,
                        recurrent_masks, step_mask, hard)
    h_sequence, c_last = packed[:, :-1], packed[:, -1]
    return h_sequence, [h_sequence[:, -1], c_last]


def _fused_gru(cell, inputs, states, input_masks, recurrent_masks, step_mask):
    """The GRU's fused loop: returns the sequence of `h` and the final states `[h]`."""
    hard = cell.recurrent_activation is activations.hard_sigmoid
    input_bias, recurrent_bias = cell.bias, None
    if cell.use_bias and cell.reset_after:
        input_bias, recurrent_bias = cell.bias[0], cell.bias[1]
    projected = _project_sequence(inputs, cell.kernel, input_masks, 3, input_bias)
    h_sequence = _gru_loop(projected, states[0], cell.recurrent_kernel, recurrent_bias,
                           recurrent_masks, step_mask, hard, cell.reset_after)
    return h_sequence, [h_sequence[:, -1]]


def _project_sequence(sequence, kernel, input_masks, n_gates, bias):
    """`sequence @ kernel + bias` for every timestep at once, with the gates' dropout masks."""
    if input_masks is None:
        projected = ops.matmul(sequence, kernel)
        return projected + bias if bias is not None else projected
    masks = [mask[:, None, :] for mask in input_masks]  # the same mask at every step
    return ops.concatenate(_project(sequence, kernel, masks, n_gates, bias), axis=-1)


# The RNN layer --------------------------------------------------------------------------

class RNN(Layer):
    """Base class of recurrent layers: runs a cell along the time axis of a sequence.

    A cell is any object with
    - a `call(inputs, states)` method computing one timestep: from the input
      `(batch, input_dim)` and the list of states, it returns `(output, new_states)`;
      it may also accept a `training` argument;
    - a `state_size` attribute: an int (one state, of the size of the output), or a
      list or tuple of ints (one per state, such as `[units, units]` for an LSTM);
    - optionally an `output_size` attribute (by default, the first state's size).
    A cell that is a `Layer` is built by the RNN, and its weights are the RNN's.

    Backpropagation through time is the tape walking back through the steps: see
    `_run_cell` in this file.

    # Arguments
        cell: an RNN cell instance, as described above.
        return_sequences: whether to return the output of every timestep
            `(batch, timesteps, units)`, or only the last one `(batch, units)`.
        return_state: whether to return the final states too, after the output.
        go_backwards: whether to read the sequence from its end; the returned sequence
            is then in reverse order too.
        stateful: whether the final states of a batch are the initial states of the next
            call: the layer keeps them (its `states`) until `reset_states()`. The sample
            at index `i` of one batch then continues the sample `i` of the previous batch,
            so keep the batch size fixed and do not shuffle. These kept states are model
            state, as in Keras: a stateful layer must not serve two threads at once.
        unroll: accepted for compatibility with Keras; minikeras always loops.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...); Keras 2's
            `input_dim` and `input_length` give the input shape `(input_length, input_dim)`.

    # Input shape
        3-D tensor `(batch_size, timesteps, input_dim)`.

    # Output shape
        - with `return_sequences`: 3-D tensor `(batch_size, timesteps, units)`;
        - else: 2-D tensor `(batch_size, units)`;
        - with `return_state`: a list, the output followed by the final states, each
          `(batch_size, state_size)`.

    # Masking
        With a timestep mask (from `Embedding(mask_zero=True)` or `Masking`), a masked
        timestep leaves the states unchanged and repeats the previous output.

    # Initial states
        Call the layer with `initial_state=[...]` (tensors, arrays or symbolic tensors),
        or with the list `[inputs, state_1, ...]`.

    # Example
    ```python
    class MinimalRNNCell(Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight("kernel", (input_shape[-1], self.units))
            self.recurrent_kernel = self.add_weight("recurrent_kernel",
                                                    (self.units, self.units))

        def call(self, inputs, states):
            output = ops.tanh(inputs @ self.kernel + states[0] @ self.recurrent_kernel)
            return output, [output]

    layer = RNN(MinimalRNNCell(32))
    y = layer(Input((None, 5)))   # y.shape == (None, 32)
    ```
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, **kwargs):
        layer_name = type(self).__name__
        if not callable(getattr(cell, "call", None)) or not hasattr(cell, "state_size"):
            raise ValueError(f"{layer_name}: `cell` must have a `call(inputs, states)` method "
                             f"and a `state_size` attribute; received {cell!r}.")
        _legacy_input_shape(kwargs)
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = _check_bool(layer_name, "return_sequences", return_sequences)
        self.return_state = _check_bool(layer_name, "return_state", return_state)
        self.go_backwards = _check_bool(layer_name, "go_backwards", go_backwards)
        self.stateful = _check_bool(layer_name, "stateful", stateful)
        self.unroll = _check_bool(layer_name, "unroll", unroll)
        self.supports_masking = True
        self._states = None
        self._input_dim = None
        # The inputs may be a list (the sequence, then initial states): `_check_sequence`
        # checks the sequence itself, so the base class's check is off.
        self.input_spec = None

    @property
    def states(self):
        """The states a stateful layer kept from its last call (arrays), or Nones."""
        if self._states is None:
            return [None] * len(_state_sizes(self.cell))
        return list(self._states)

    def build(self, input_shape):
        """Builds the cell for inputs of `(batch, input_dim)`; its weights become the layer's.

        # Arguments
            input_shape: the input's shape (a list when initial states are inputs too).

        # Raises
            ValueError: if the input is not 3-D or its last axis is unknown.
        """
        sequence_shape = _sequence_shape(input_shape)
        self._check_sequence(sequence_shape)
        if sequence_shape[-1] is None:
            raise ValueError(f'Layer "{self.name}": the last axis of the input (the features) '
                             f"must be known; received input shape {sequence_shape}.")
        self._input_dim = int(sequence_shape[-1])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build((sequence_shape[0], self._input_dim))
            self.cell.built = True
            self._claim_cell_weights()
        self.built = True

    def _claim_cell_weights(self):
        """Names the cell's weights after this layer (`lstm/kernel`), as Keras 2 does."""
        prefix = f"{self.cell.name}/"
        for variable in self.cell.weights:
            local_name = variable.name[len(prefix):] if variable.name.startswith(prefix) \
                else variable.name
            variable.name = f"{self.name}/{local_name}"

    def _check_sequence(self, shape):
        axes = {} if self._input_dim is None else {-1: self._input_dim}
        check_input_spec(self, InputSpec(ndim=3, axes=axes), [tuple(shape)])

    def __call__(self, inputs, initial_state=None, **kwargs):
        """Runs the layer; symbolic initial states become extra inputs of the graph node.

        # Arguments
            inputs: a sequence tensor, or a list `[sequence, state_1, ...]`.
            initial_state: optional initial states, a tensor or a list (one per state).
            **kwargs: further arguments of `call`, such as `training` or `mask`.

        # Returns
            The output, or a list `[output, state_1, ...]` with `return_state`.
        """
        return _call_with_initial_state(super().__call__, inputs, initial_state, kwargs)

    def call(self, inputs, mask=None, training=None, initial_state=None):
        """Runs the cell over the timesteps.

        # Arguments
            inputs: a tensor `(batch, timesteps, input_dim)`, or a list with the sequence
                followed by its initial states.
            mask: an optional boolean array `(batch, timesteps)`.
            training: whether the call is part of training (for dropout in the cell).
            initial_state: an optional list of initial states, `(batch, state_size)` each.

        # Returns
            The output, or `[output] + final states` with `return_state`.

        # Raises
            ValueError: if the input or the initial states do not fit the layer.
        """
        inputs, mask, initial_state = _split_sequence_inputs(inputs, mask, initial_state)
        self._check_sequence(inputs.shape)
        if inputs.shape[1] == 0:
            raise ValueError(f'Layer "{self.name}" received sequences of 0 timesteps; it needs '
                             "at least one.")
        states = self._initial_states(inputs, initial_state)
        outputs, last_output, final_states = self._recurrence(inputs, states, _as_mask(mask),
                                                              training)
        return self._finish(outputs, last_output, final_states)

    def _recurrence(self, inputs, states, mask, training):
        """Runs the cell over the timesteps with `_run_cell`, the readable reference."""
        step = self._step_function(inputs, states, training)
        return _run_cell(step, inputs, states, mask, self.go_backwards, _output_size(self.cell))

    def _step_function(self, inputs, states, training):
        """The cell's `call` for one step, with `training` and one set of dropout masks."""
        step_kwargs = {}
        parameters = _call_parameters(type(self.cell))
        if "training" in parameters:
            step_kwargs["training"] = training
        if "dropout_masks" in parameters and hasattr(self.cell, "get_dropout_masks"):
            # Drawn once: the same units are dropped at every step of the sequence.
            step_kwargs["dropout_masks"] = self.cell.get_dropout_masks(inputs[:, 0], training)
        return lambda step_inputs, step_states: self.cell.call(step_inputs, step_states,
                                                               **step_kwargs)

    def _finish(self, outputs, last_output, final_states):
        """Keeps the final states of a stateful layer and packs the outputs."""
        if self.stateful:
            self._states = [np.array(state.numpy()) for state in final_states]
        output = last_output
        if self.return_sequences:
            output = ops.stack(outputs, axis=1) if isinstance(outputs, list) else outputs
        if self.return_state:
            return [output] + list(final_states)
        return output

    def get_initial_state(self, inputs):
        """Returns zero states for a batch of sequences.

        # Arguments
            inputs: a tensor `(batch, timesteps, input_dim)`.

        # Returns
            A list of zero tensors, `(batch, state_size)` for each state.
        """
        return [Tensor(np.zeros((inputs.shape[0], size), dtype=self.dtype))
                for size in _state_sizes(self.cell)]

    def _initial_states(self, inputs, initial_state):
        """The states the first step starts from: given, kept (stateful) or zeros."""
        if initial_state is not None:
            states = [self._to_tensor(as_tensor(state)) for state in initial_state]
            self._check_states(states, "initial_state", inputs.shape[0])
            return states
        if self.stateful and self._states is not None:
            states = [Tensor(state) for state in self._states]
            self._check_states(states, "kept state", inputs.shape[0])
            return states
        return self.get_initial_state(inputs)

    def _check_states(self, states, what, batch_size):
        sizes = _state_sizes(self.cell)
        if len(states) != len(sizes):
            raise ValueError(f'Layer "{self.name}" has {len(sizes)} state(s) but was passed '
                             f"{len(states)} {what} value(s).")
        for index, (state, size) in enumerate(zip(states, sizes)):
            if tuple(state.shape) != (batch_size, size):
                hint = (" A stateful layer needs the same batch size at every call: call "
                        "reset_states() before changing it." if what == "kept state" else "")
                raise ValueError(f'Layer "{self.name}": {what} {index} must have shape '
                                 f"{(batch_size, size)} for a batch of {batch_size}; received "
                                 f"{tuple(state.shape)}.{hint}")

    def reset_states(self, states=None):
        """Resets the states of a stateful layer: to zeros, or to given values.

        # Arguments
            states: None for zeros (made at the next call, for its batch size), or a list
                of arrays `(batch_size, state_size)`, one per state.

        # Raises
            AttributeError: if the layer is not stateful.
            ValueError: if the given states do not fit the cell.
        """
        if not self.stateful:
            raise AttributeError(f'Layer "{self.name}" must be stateful (stateful=True) to '
                                 "reset its states.")
        if states is None:
            self._states = None
            return
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        arrays = [np.array(state, dtype=self.dtype) for state in states]
        self._check_states(arrays, "state", arrays[0].shape[0] if arrays[0].ndim else None)
        self._states = arrays

    def compute_output_shape(self, input_shape):
        """Returns the output shape, and the states' shapes with `return_state`.

        # Arguments
            input_shape: the input's shape (or a list, with the initial states' shapes).

        # Returns
            A shape, or a list of shapes with `return_state`.
        """
        sequence_shape = _sequence_shape(input_shape)
        self._check_sequence(sequence_shape)
        batch, timesteps = sequence_shape[0], sequence_shape[1]
        units = _output_size(self.cell)
        output_shape = (batch, timesteps, units) if self.return_sequences else (batch, units)
        if self.return_state:
            return [output_shape] + [(batch, size) for size in _state_sizes(self.cell)]
        return output_shape

    def compute_mask(self, inputs, mask=None):
        """Passes the timestep mask on with `return_sequences`; states have no mask.

        # Arguments
            inputs: the layer's inputs.
            mask: the inputs' mask, or None.

        # Returns
            The output's mask (a list with `return_state`).
        """
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(_state_sizes(self.cell))
        return output_mask

    def get_config(self):
        """Returns the arguments of the layer, with the cell's config.

        # Returns
            A dict.
        """
        config = {
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "cell": {"class_name": type(self.cell).__name__, "config": self.cell.get_config()},
        }
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates the layer from its config, rebuilding the cell first.

        # Arguments
            config: a dict from `get_config`.
            custom_objects: an optional dict of user classes (such as cells) by name.

        # Returns
            A new layer.
        """
        config = dict(config)
        cell = layer_from_config(config.pop("cell"), custom_objects)
        return cls(cell=cell, **config)


def _legacy_input_shape(kwargs):
    """Turns Keras 2's `input_dim` and `input_length` into `input_shape` (in place)."""
    input_dim = kwargs.pop("input_dim", None)
    input_length = kwargs.pop("input_length", None)
    if (input_dim is not None or input_length is not None) and "input_shape" not in kwargs \
            and "batch_input_shape" not in kwargs:
        kwargs["input_shape"] = (input_length, input_dim)


def _call_with_initial_state(call, inputs, initial_state, kwargs):
    """Calls `call` (a layer's `Layer.__call__`) with the initial states, if any.

    Symbolic initial states are appended to the inputs, so that they become inputs of the
    graph node; other initial states are passed to `call` as `initial_state`.
    """
    if initial_state is not None:
        initial_state = list(initial_state) if isinstance(initial_state, (list, tuple)) \
            else [initial_state]
        if is_symbolic(initial_state):
            return call([inputs] + initial_state, **kwargs)
        kwargs["initial_state"] = initial_state
    return call(inputs, **kwargs)


def _split_sequence_inputs(inputs, mask, initial_state):
    """Splits a list `[sequence, state_1, ...]` of inputs (and its list of masks).

    Returns `(sequence, mask of the sequence, initial states)`.
    """
    if isinstance(inputs, (list, tuple)):
        inputs, initial_state = inputs[0], list(inputs[1:]) or initial_state
    if isinstance(mask, (list, tuple)):
        mask = mask[0]
    return inputs, mask, initial_state


def _sequence_shape(input_shape):
    """The shape of the sequence, when the shapes of initial states follow it in a list."""
    if _is_shape_list(input_shape):
        return tuple(input_shape[0])
    return tuple(input_shape)


def _as_mask(mask):
    if mask is None:
        return None
    return np.asarray(mask.numpy() if isinstance(mask, Tensor) else mask, dtype=bool)


# The cells ------------------------------------------------------------------------------

class _Cell(Layer):
    """What the built-in cells share: their arguments, weights, dropout masks and config.

    A cell with `n_gates` gates has a `kernel` `(input_dim, n_gates * units)`, a
    `recurrent_kernel` `(units, n_gates * units)` and a `bias` `(n_gates * units,)`, the
    gates side by side as Keras stores them.

    # Arguments
        units: the size of the output and of each state, a positive int.
        activation: the activation of the output, `tanh` by default (`None`: linear).
        use_bias: whether the cell has a bias.
        kernel_initializer: initializer of `kernel`.
        recurrent_initializer: initializer of `recurrent_kernel`.
        bias_initializer: initializer of `bias`.
        kernel_regularizer: optional regularizer of `kernel`.
        recurrent_regularizer: optional regularizer of `recurrent_kernel`.
        bias_regularizer: optional regularizer of `bias`.
        kernel_constraint: optional constraint on `kernel`.
        recurrent_constraint: optional constraint on `recurrent_kernel`.
        bias_constraint: optional constraint on `bias`.
        dropout: the fraction of the input units to drop, in training.
        recurrent_dropout: the fraction of the state units to drop, in training.
        **kwargs: the base `Layer` arguments.

    # Input shape
        2-D tensor `(batch_size, input_dim)`, and the list of states.

    # Output shape
        2-D tensor `(batch_size, units)`, and the list of new states.
    """

    n_gates = 1

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        self.units = check_positive_int(name, "units", units)
        self.activation = check_identifier(name, "activation", activations.get, activation)
        self.use_bias = _check_bool(name, "use_bias", use_bias)
        for argument, value, get in (
                ("kernel_initializer", kernel_initializer, initializers.get),
                ("recurrent_initializer", recurrent_initializer, initializers.get),
                ("bias_initializer", bias_initializer, initializers.get),
                ("kernel_regularizer", kernel_regularizer, regularizers.get),
                ("recurrent_regularizer", recurrent_regularizer, regularizers.get),
                ("bias_regularizer", bias_regularizer, regularizers.get),
                ("kernel_constraint", kernel_constraint, constraints.get),
                ("recurrent_constraint", recurrent_constraint, constraints.get),
                ("bias_constraint", bias_constraint, constraints.get)):
            setattr(self, argument, check_identifier(name, argument, get, value))
        self.dropout = check_rate(name, "dropout", dropout)
        self.recurrent_dropout = check_rate(name, "recurrent_dropout", recurrent_dropout)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        """Creates `kernel`, `recurrent_kernel` and `bias`, the gates side by side.

        # Arguments
            input_shape: the shape of one step's input, `(batch, input_dim)`.
        """
        width = self.n_gates * self.units
        self.kernel = self.add_weight("kernel", (input_shape[-1], width),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (self.units, width),
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", self._bias_shape(), initializer=self._bias_init(),
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def _bias_shape(self):
        return (self.n_gates * self.units,)

    def _bias_init(self):
        return self.bias_initializer

    def get_dropout_masks(self, inputs, training=None):
        """Draws the dropout masks of one sequence (the RNN reuses them at every step).

        # Arguments
            inputs: the input of one step, `(batch, input_dim)`.
            training: whether the call is part of training; there is no dropout otherwise.

        # Returns
            `(input_masks, recurrent_masks)`, each a list with one mask per gate, or None
            where that dropout is off.
        """
        if not training:
            return None, None
        batch = inputs.shape[0]
        return (_dropout_masks(self.dropout, (batch, inputs.shape[-1]), self.n_gates,
                               self.dtype),
                _dropout_masks(self.recurrent_dropout, (batch, self.units), self.n_gates,
                               self.dtype))

    def _masks(self, inputs, training, dropout_masks):
        return dropout_masks if dropout_masks is not None else \
            self.get_dropout_masks(inputs, training)

    def get_config(self):
        """Returns the arguments of the cell.

        # Returns
            A dict.
        """
        config = {"units": self.units, "activation": activations.serialize(self.activation),
                  "use_bias": self.use_bias}
        for argument, serialize in (("kernel_initializer", initializers.serialize),
                                    ("recurrent_initializer", initializers.serialize),
                                    ("bias_initializer", initializers.serialize),
                                    ("kernel_regularizer", regularizers.serialize),
                                    ("recurrent_regularizer", regularizers.serialize),
                                    ("bias_regularizer", regularizers.serialize),
                                    ("kernel_constraint", constraints.serialize),
                                    ("recurrent_constraint", constraints.serialize),
                                    ("bias_constraint", constraints.serialize)):
            config[argument] = serialize(getattr(self, argument))
        config.update(dropout=self.dropout, recurrent_dropout=self.recurrent_dropout)
        return {**super().get_config(), **config}


class SimpleRNNCell(_Cell):
    """Cell class for `SimpleRNN`.

    One step computes `h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)`.

    # Arguments
        units: the size of the output and of the state, a positive int.
        activation: the activation, `tanh` by default (`None`: linear).
        use_bias: whether the cell has a bias.
        kernel_initializer: initializer of `kernel` `(input_dim, units)`.
        recurrent_initializer: initializer of `recurrent_kernel` `(units, units)`.
        bias_initializer: initializer of `bias` `(units,)`.
        kernel_regularizer: optional regularizer of `kernel`.
        recurrent_regularizer: optional regularizer of `recurrent_kernel`.
        bias_regularizer: optional regularizer of `bias`.
        kernel_constraint: optional constraint on `kernel`.
        recurrent_constraint: optional constraint on `recurrent_kernel`.
        bias_constraint: optional constraint on `bias`.
        dropout: the fraction of the input units to drop, in training.
        recurrent_dropout: the fraction of the state units to drop, in training.
        **kwargs: the base `Layer` arguments.

    # Input shape
        2-D tensor `(batch_size, input_dim)`, and the list `[h]` of states.

    # Output shape
        2-D tensor `(batch_size, units)`, and the list `[h]` of new states.
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint,
                         bias_constraint=bias_constraint, dropout=dropout,
                         recurrent_dropout=recurrent_dropout, **kwargs)

    def call(self, inputs, states, training=None, dropout_masks=None):
        """Computes one step.

        # Arguments
            inputs: the input at time t, `(batch, input_dim)`.
            states: the list `[h]` left by step t - 1.
            training: whether the call is part of training (for dropout).
            dropout_masks: the masks from `get_dropout_masks`, which the RNN draws once per
                sequence; by default they are drawn for this step.

        # Returns
            `(h, [h])`.
        """
        input_masks, recurrent_masks = self._masks(inputs, training, dropout_masks)
        [x] = _project(inputs, self.kernel, input_masks, 1, self.bias)
        [recurrent] = _project(states[0], self.recurrent_kernel, recurrent_masks, 1)
        h = self.activation(x + recurrent)
        return h, [h]


class LSTMCell(_Cell):
    """Cell class for `LSTM`, the long short-term memory of Hochreiter and Schmidhuber (1997).

    With `a` the activation and `s` the recurrent activation, one step computes

        i = s(x @ W_i + h @ U_i + b_i)        input gate
        f = s(x @ W_f + h @ U_f + b_f)        forget gate
        c = f * c + i * a(x @ W_c + h @ U_c + b_c)
        o = s(x @ W_o + h @ U_o + b_o)        output gate
        h = o * a(c)

    where `W`, `U` and `b` are the parts of `kernel`, `recurrent_kernel` and `bias`, the
    four gates side by side in the order i, f, c, o.

    # Arguments
        units: the size of the output and of each state, a positive int.
        activation: the activation `a`, `tanh` by default (`None`: linear).
        recurrent_activation: the activation `s` of the gates, Keras 2's `hard_sigmoid`
            (`clip(0.2 * x + 0.5, 0, 1)`) by default; `sigmoid` is the other usual choice.
        use_bias: whether the cell has a bias.
        kernel_initializer: initializer of `kernel` `(input_dim, 4 * units)`.
        recurrent_initializer: initializer of `recurrent_kernel` `(units, 4 * units)`.
        bias_initializer: initializer of `bias` `(4 * units,)`.
        unit_forget_bias: whether to set the forget gate's bias to 1 at initialization
            (and the rest with `bias_initializer`), as Jozefowicz et al. (2015) advise.
        kernel_regularizer: optional regularizer of `kernel`.
        recurrent_regularizer: optional regularizer of `recurrent_kernel`.
        bias_regularizer: optional regularizer of `bias`.
        kernel_constraint: optional constraint on `kernel`.
        recurrent_constraint: optional constraint on `recurrent_kernel`.
        bias_constraint: optional constraint on `bias`.
        dropout: the fraction of the input units to drop, in training.
        recurrent_dropout: the fraction of the state units to drop, in training.
        implementation: Keras 2's choice of computation (1 or 2); accepted and kept in the
            config, with the same results either way.
        **kwargs: the base `Layer` arguments.

    # Input shape
        2-D tensor `(batch_size, input_dim)`, and the list `[h, c]` of states.

    # Output shape
        2-D tensor `(batch_size, units)`, and the list `[h, c]` of new states.
    """

    n_gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, implementation=1,
                 **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint,
                         bias_constraint=bias_constraint, dropout=dropout,
                         recurrent_dropout=recurrent_dropout, **kwargs)
        self.recurrent_activation = check_identifier(
            "LSTMCell", "recurrent_activation", activations.get, recurrent_activation)
        self.unit_forget_bias = _check_bool("LSTMCell", "unit_forget_bias", unit_forget_bias)
        self.implementation = _check_implementation("LSTMCell", implementation)
        self.state_size = (self.units, self.units)

    def _bias_init(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, initializer = self.units, self.bias_initializer

        def forget_gate_ones(shape, dtype=None):
            return np.concatenate([initializer((units,), dtype), np.ones(units, dtype),
                                   initializer((2 * units,), dtype)])

        return forget_gate_ones

    def call(self, inputs, states, training=None, dropout_masks=None):
        """Computes one step.

        # Arguments
            inputs: the input at time t, `(batch, input_dim)`.
            states: the list `[h, c]` left by step t - 1.
            training: whether the call is part of training (for dropout).
            dropout_masks: the masks from `get_dropout_masks`, which the RNN draws once per
                sequence; by default they are drawn for this step.

        # Returns
            `(h, [h, c])`.
        """
        h_previous, c_previous = states[0], states[1]
        input_masks, recurrent_masks = self._masks(inputs, training, dropout_masks)
        x_i, x_f, x_c, x_o = _project(inputs, self.kernel, input_masks, 4, self.bias)
        h_i, h_f, h_c, h_o = _project(h_previous, self.recurrent_kernel, recurrent_masks, 4)
        i = self.recurrent_activation(x_i + h_i)
        f = self.recurrent_activation(x_f + h_f)
        c = f * c_previous + i * self.activation(x_c + h_c)
        o = self.recurrent_activation(x_o + h_o)
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self):
        """Returns the arguments of the cell.

        # Returns
            A dict.
        """
        config = super().get_config()
        config.update(recurrent_activation=activations.serialize(self.recurrent_activation),
                      unit_forget_bias=self.unit_forget_bias, implementation=self.implementation)
        return config


class GRUCell(_Cell):
    """Cell class for `GRU`, the gated recurrent unit of Cho et al. (2014).

    With `a` the activation and `s` the recurrent activation, one step computes

        z = s(x @ W_z + h @ U_z + b_z)        update gate
        r = s(x @ W_r + h @ U_r + b_r)        reset gate
        hh = a(x @ W_h + (r * h) @ U_h + b_h)
        h = z * h + (1 - z) * hh

    where `W`, `U` and `b` are the parts of `kernel`, `recurrent_kernel` and `bias`, the
    three gates side by side in the order z, r, h. With `reset_after=True` (the CuDNN
    form) the reset gate is applied after the product, `hh = a(x @ W_h + b_h + r * (h @ U_h
    + b'_h))`, and `bias` has two rows: the input biases `b`, then the recurrent ones `b'`.

    # Arguments
        units: the size of the output and of the state, a positive int.
        activation: the activation `a`, `tanh` by default (`None`: linear).
        recurrent_activation: the activation `s` of the gates, Keras 2's `hard_sigmoid`
            by default; `sigmoid` is the other usual choice.
        use_bias: whether the cell has a bias.
        kernel_initializer: initializer of `kernel` `(input_dim, 3 * units)`.
        recurrent_initializer: initializer of `recurrent_kernel` `(units, 3 * units)`.
        bias_initializer: initializer of `bias`, `(3 * units,)`, or `(2, 3 * units)` with
            `reset_after`.
        kernel_regularizer: optional regularizer of `kernel`.
        recurrent_regularizer: optional regularizer of `recurrent_kernel`.
        bias_regularizer: optional regularizer of `bias`.
        kernel_constraint: optional constraint on `kernel`.
        recurrent_constraint: optional constraint on `recurrent_kernel`.
        bias_constraint: optional constraint on `bias`.
        dropout: the fraction of the input units to drop, in training.
        recurrent_dropout: the fraction of the state units to drop, in training.
        implementation: Keras 2's choice of computation (1 or 2); accepted and kept in the
            config, with the same results either way.
        reset_after: whether the reset gate is applied after the recurrent product (True,
            the CuDNN-compatible form) or before it (False, Keras 2's default).
        **kwargs: the base `Layer` arguments.

    # Input shape
        2-D tensor `(batch_size, input_dim)`, and the list `[h]` of states.

    # Output shape
        2-D tensor `(batch_size, units)`, and the list `[h]` of new states.
    """

    n_gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, implementation=1, reset_after=False,
                 **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint,
                         bias_constraint=bias_constraint, dropout=dropout,
                         recurrent_dropout=recurrent_dropout, **kwargs)
        self.recurrent_activation = check_identifier(
            "GRUCell", "recurrent_activation", activations.get, recurrent_activation)
        self.implementation = _check_implementation("GRUCell", implementation)
        self.reset_after = _check_bool("GRUCell", "reset_after", reset_after)

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def call(self, inputs, states, training=None, dropout_masks=None):
        """Computes one step.

        # Arguments
            inputs: the input at time t, `(batch, input_dim)`.
            states: the list `[h]` left by step t - 1.
            training: whether the call is part of training (for dropout).
            dropout_masks: the masks from `get_dropout_masks`, which the RNN draws once per
                sequence; by default they are drawn for this step.

        # Returns
            `(h, [h])`.
        """
        h_previous = states[0]
        input_masks, recurrent_masks = self._masks(inputs, training, dropout_masks)
        input_bias, recurrent_bias = self.bias, None
        if self.use_bias and self.reset_after:
            input_bias, recurrent_bias = self.bias[0], self.bias[1]
        x_z, x_r, x_h = _project(inputs, self.kernel, input_masks, 3, input_bias)
        h_masks = recurrent_masks or [None] * 3
        if self.reset_after:
            h_z, h_r, h_h = _project(h_previous, self.recurrent_kernel, recurrent_masks, 3,
                                     recurrent_bias)
            z = self.recurrent_activation(x_z + h_z)
            r = self.recurrent_activation(x_r + h_r)
            candidate = self.activation(x_h + r * h_h)
        else:
            kernel_zr, kernel_h = ops.split(self.recurrent_kernel, [2 * self.units, self.units],
                                            axis=-1)
            h_z, h_r = _project(h_previous, kernel_zr, recurrent_masks and recurrent_masks[:2],
                                2)
            z = self.recurrent_activation(x_z + h_z)
            r = self.recurrent_activation(x_r + h_r)
            h_for_candidate = r * h_previous if h_masks[2] is None \
                else r * (h_previous * h_masks[2])
            candidate = self.activation(x_h + ops.matmul(h_for_candidate, kernel_h))
        h = z * h_previous + (1 - z) * candidate
        return h, [h]

    def get_config(self):
        """Returns the arguments of the cell.

        # Returns
            A dict.
        """
        config = super().get_config()
        config.update(recurrent_activation=activations.serialize(self.recurrent_activation),
                      implementation=self.implementation, reset_after=self.reset_after)
        return config


def _check_implementation(layer_name, implementation):
    if implementation not in (0, 1, 2) or isinstance(implementation, bool):
        raise ValueError(f"{layer_name}: `implementation` must be 0, 1 or 2; received "
                         f"{implementation!r}.")
    return int(implementation)


# The layers with a built-in cell ------------------------------------------------------------

class _BuiltInRNN(RNN):
    """An RNN whose cell it makes itself: its config is the cell's arguments, flat, as in Keras.

    # Arguments
        cell: the cell the subclass made.
        activity_regularizer: optional regularizer of the output.
        **kwargs: the `RNN` arguments.

    # Input shape
        3-D tensor `(batch_size, timesteps, input_dim)`.

    # Output shape
        As for `RNN`.
    """

    def __init__(self, cell, activity_regularizer=None, **kwargs):
        super().__init__(cell, activity_regularizer=check_identifier(
            type(self).__name__, "activity_regularizer", regularizers.get,
            activity_regularizer), **kwargs)

    def _recurrence(self, inputs, states, mask, training):
        """Runs the fused loop when it can (see `_can_fuse`), else the reference loop."""
        if _can_fuse(self.cell, inputs.dtype):
            return _fused_recurrence(self, inputs, states, mask, training)
        return super()._recurrence(inputs, states, mask, training)

    def __getattr__(self, name):
        # `lstm.units`, `lstm.dropout`, ...: the cell's arguments, read through the layer.
        cell = self.__dict__.get("cell")
        if cell is not None and not name.startswith("_") and hasattr(cell, name):
            return getattr(cell, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def get_config(self):
        """Returns the arguments of the layer: the cell's and the RNN's, in one flat dict.

        # Returns
            A dict.
        """
        config = super().get_config()
        cell_config = config.pop("cell")["config"]
        for key in _CELL_ONLY_KEYS:
            cell_config.pop(key, None)
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return {**config, **cell_config}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates the layer from its flat config.

        # Arguments
            config: a dict from `get_config`.
            custom_objects: accepted for symmetry with `RNN.from_config`; unused.

        # Returns
            A new layer.
        """
        return cls(**config)


def _cell_kwargs(kwargs):
    """The base `Layer` arguments the built-in cell shares with its layer (its dtype)."""
    return {"dtype": kwargs.get("dtype")}


class SimpleRNN(_BuiltInRNN):
    """Fully-connected RNN where the output is fed back as input.

    Each step computes `h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)`.

    # Arguments
        units: the size of the output, a positive int.
        activation: the activation, `tanh` by default (`None`: linear).
        use_bias: whether the layer has a bias.
        kernel_initializer: initializer of `kernel` `(input_dim, units)`.
        recurrent_initializer: initializer of `recurrent_kernel` `(units, units)`.
        bias_initializer: initializer of `bias` `(units,)`.
        kernel_regularizer: optional regularizer of `kernel`.
        recurrent_regularizer: optional regularizer of `recurrent_kernel`.
        bias_regularizer: optional regularizer of `bias`.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint on `kernel`.
        recurrent_constraint: optional constraint on `recurrent_kernel`.
        bias_constraint: optional constraint on `bias`.
        dropout: the fraction of the input units to drop, in training (the same units at
            every timestep of a sequence).
        recurrent_dropout: the fraction of the state units to drop, in training.
        return_sequences: whether to return every timestep's output, or only the last.
        return_state: whether to return the final state after the output.
        go_backwards: whether to read the sequence from its end (and return it reversed).
        stateful: whether each batch continues the states of the previous call (see `RNN`).
        unroll: accepted for compatibility with Keras; minikeras always loops.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(batch_size, timesteps, input_dim)`.

    # Output shape
        `(batch_size, timesteps, units)` with `return_sequences`, else `(batch_size, units)`;
        with `return_state`, a list `[output, h]`.

    # Example
    ```python
    model = Sequential()
    model.add(Embedding(1000, 32, mask_zero=True))
    model.add(SimpleRNN(16))      # (None, 16)
    model.add(Dense(1, activation="sigmoid"))
    ```
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, **kwargs):
        kwargs.pop("implementation", None)  # Keras 2 accepted and ignored it too
        cell = SimpleRNNCell(units, activation=activation, use_bias=use_bias,
                             kernel_initializer=kernel_initializer,
                             recurrent_initializer=recurrent_initializer,
                             bias_initializer=bias_initializer,
                             kernel_regularizer=kernel_regularizer,
                             recurrent_regularizer=recurrent_regularizer,
                             bias_regularizer=bias_regularizer,
                             kernel_constraint=kernel_constraint,
                             recurrent_constraint=recurrent_constraint,
                             bias_constraint=bias_constraint, dropout=dropout,
                             recurrent_dropout=recurrent_dropout, **_cell_kwargs(kwargs))
        super().__init__(cell, activity_regularizer=activity_regularizer,
                         return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll, **kwargs)


class LSTM(_BuiltInRNN):
    """Long short-term memory layer (Hochreiter and Schmidhuber, 1997); see `LSTMCell`.

    Weights, as Keras 2 stores them: `kernel` `(input_dim, 4 * units)`,
    `recurrent_kernel` `(units, 4 * units)` and `bias` `(4 * units,)`, the gates side by
    side in the order i (input), f (forget), c (cell), o (output).

    # Arguments
        units: the size of the output, a positive int.
        activation: the activation, `tanh` by default (`None`: linear).
        recurrent_activation: the activation of the gates, `hard_sigmoid` by default (Keras
            2); `sigmoid` is the other usual choice.
        use_bias: whether the layer has a bias.
        kernel_initializer: initializer of `kernel`.
        recurrent_initializer: initializer of `recurrent_kernel`.
        bias_initializer: initializer of `bias`.
        unit_forget_bias: whether the forget gate's bias starts at 1.
        kernel_regularizer: optional regularizer of `kernel`.
        recurrent_regularizer: optional regularizer of `recurrent_kernel`.
        bias_regularizer: optional regularizer of `bias`.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint on `kernel`.
        recurrent_constraint: optional constraint on `recurrent_kernel`.
        bias_constraint: optional constraint on `bias`.
        dropout: the fraction of the input units to drop, in training (the same units at
            every timestep of a sequence, a mask per gate).
        recurrent_dropout: the fraction of the state units to drop, in training.
        implementation: accepted and kept in the config (Keras 2's choice of computation).
        return_sequences: whether to return every timestep's output, or only the last.
        return_state: whether to return the final states `h` and `c` after the output.
        go_backwards: whether to read the sequence from its end (and return it reversed).
        stateful: whether each batch continues the states of the previous call (see `RNN`).
        unroll: accepted for compatibility with Keras; minikeras always loops.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(batch_size, timesteps, input_dim)`.

    # Output shape
        `(batch_size, timesteps, units)` with `return_sequences`, else `(batch_size, units)`;
        with `return_state`, a list `[output, h, c]`.

    # Example
    ```python
    inputs = Input((None, 8))
    outputs, h, c = LSTM(32, return_state=True)(inputs)
    ```
    """

    def __init__(self, units, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, implementation=1, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 **kwargs):
        cell = LSTMCell(units, activation=activation, recurrent_activation=recurrent_activation,
                        use_bias=use_bias, kernel_initializer=kernel_initializer,
                        recurrent_initializer=recurrent_initializer,
                        bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
                        kernel_regularizer=kernel_regularizer,
                        recurrent_regularizer=recurrent_regularizer,
                        bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                        recurrent_constraint=recurrent_constraint,
                        bias_constraint=bias_constraint, dropout=dropout,
                        recurrent_dropout=recurrent_dropout, implementation=implementation,
                        **_cell_kwargs(kwargs))
        super().__init__(cell, activity_regularizer=activity_regularizer,
                         return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll, **kwargs)


class GRU(_BuiltInRNN):
    """Gated recurrent unit layer (Cho et al., 2014); see `GRUCell`.

    Weights, as Keras 2 stores them: `kernel` `(input_dim, 3 * units)`,
    `recurrent_kernel` `(units, 3 * units)` and `bias` `(3 * units,)` (or `(2, 3 * units)`
    with `reset_after`), the gates side by side in the order z (update), r (reset), h.

    # Arguments
        units: the size of the output, a positive int.
        activation: the activation, `tanh` by default (`None`: linear).
        recurrent_activation: the activation of the gates, `hard_sigmoid` by default (Keras
            2); `sigmoid` is the other usual choice.
        use_bias: whether the layer has a bias.
        kernel_initializer: initializer of `kernel`.
        recurrent_initializer: initializer of `recurrent_kernel`.
        bias_initializer: initializer of `bias`.
        kernel_regularizer: optional regularizer of `kernel`.
        recurrent_regularizer: optional regularizer of `recurrent_kernel`.
        bias_regularizer: optional regularizer of `bias`.
        activity_regularizer: optional regularizer of the output.
        kernel_constraint: optional constraint on `kernel`.
        recurrent_constraint: optional constraint on `recurrent_kernel`.
        bias_constraint: optional constraint on `bias`.
        dropout: the fraction of the input units to drop, in training (the same units at
            every timestep of a sequence, a mask per gate).
        recurrent_dropout: the fraction of the state units to drop, in training.
        implementation: accepted and kept in the config (Keras 2's choice of computation).
        return_sequences: whether to return every timestep's output, or only the last.
        return_state: whether to return the final state `h` after the output.
        go_backwards: whether to read the sequence from its end (and return it reversed).
        stateful: whether each batch continues the states of the previous call (see `RNN`).
        unroll: accepted for compatibility with Keras; minikeras always loops.
        reset_after: whether the reset gate is applied after the recurrent product (the
            CuDNN-compatible form, with a bias of two rows); False by default, as in Keras 2.
        **kwargs: the base `Layer` arguments (`name`, `input_shape`, ...).

    # Input shape
        3-D tensor `(batch_size, timesteps, input_dim)`.

    # Output shape
        `(batch_size, timesteps, units)` with `return_sequences`, else `(batch_size, units)`;
        with `return_state`, a list `[output, h]`.

    # Example
    ```python
    model = Sequential()
    model.add(GRU(16, return_sequences=True, input_shape=(None, 4)))   # (None, None, 16)
    model.add(GRU(8))                                                   # (None, 8)
    ```
    """

    def __init__(self, units, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, implementation=1,
                 return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 unroll=False, reset_after=False, **kwargs):
        cell = GRUCell(units, activation=activation, recurrent_activation=recurrent_activation,
                       use_bias=use_bias, kernel_initializer=kernel_initializer,
                       recurrent_initializer=recurrent_initializer,
                       bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                       recurrent_regularizer=recurrent_regularizer,
                       bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                       recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                       dropout=dropout, recurrent_dropout=recurrent_dropout,
                       implementation=implementation, reset_after=reset_after,
                       **_cell_kwargs(kwargs))
        super().__init__(cell, activity_regularizer=activity_regularizer,
                         return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll, **kwargs)


__all__ = ["RNN", "SimpleRNNCell", "LSTMCell", "GRUCell", "SimpleRNN", "LSTM", "GRU"]
