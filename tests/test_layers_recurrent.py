"""Tests of the recurrent layers: RNN and the cells, SimpleRNN, LSTM and GRU.

Most tests run twice, through the fixture `loop`: once with the fused loops of
`minikeras.kernels.recurrent` (the default for LSTM and GRU) and once with the reference,
the tape running the cell step by step. The formulas are checked against Keras 2's,
written out in NumPy below.
"""
import time

import h5py
import numpy as np
import pytest

from minikeras import GradientTape, Tensor, backend
from minikeras.autograd import check_gradients, ops
from minikeras.engine.base_layer import Layer, collect_losses
from minikeras.engine.input_layer import Input
from minikeras.layers import recurrent
from minikeras.layers.core import Dense, Masking
from minikeras.layers.embeddings import Embedding
from minikeras.layers.recurrent import (
    GRU, LSTM, RNN, GRUCell, LSTMCell, SimpleRNN, SimpleRNNCell,
)
from minikeras.models import Model, Sequential, load_model
from minikeras.optimizers import RMSprop
from tests.layer_testing import check_layer_gradients, layer_test

LAYERS = [SimpleRNN, LSTM, GRU]


@pytest.fixture(params=["fused", "reference"])
def loop(request, monkeypatch):
    """Runs a test with the fused LSTM/GRU loops, then with the reference tape loop."""
    monkeypatch.setattr(recurrent, "_FUSED_LOOPS_ENABLED", request.param == "fused")
    return request.param


def uniform(shape, seed=0, scale=1.0):
    return np.random.default_rng(seed).uniform(-scale, scale, shape).astype("float32")


def random_weights(layer, seed=1, scale=0.5):
    """Gives a built layer random weights (not zeros, so that every path is exercised)."""
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.uniform(-scale, scale, w.shape) for w in layer.get_weights()])


# ---- Keras 2's formulas, in NumPy -------------------------------------------------------

def hard_sigmoid(x):
    return np.clip(0.2 * x + 0.5, 0, 1)


def keras_simple_rnn(x, kernel, recurrent_kernel, bias, h):
    outputs = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)
        outputs.append(h)
    return np.stack(outputs, axis=1)


def keras_lstm(x, kernel, recurrent_kernel, bias, h, c):
    u = h.shape[1]
    outputs = []
    for t in range(x.shape[1]):
        z = x[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f = hard_sigmoid(z[:, :u]), hard_sigmoid(z[:, u:2 * u])
        c = f * c + i * np.tanh(z[:, 2 * u:3 * u])
        h = hard_sigmoid(z[:, 3 * u:]) * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1), c


def keras_gru(x, kernel, recurrent_kernel, bias, h, reset_after):
    u = h.shape[1]
    outputs = []
    for t in range(x.shape[1]):
        if reset_after:
            x_part = x[:, t] @ kernel + bias[0]
            h_part = h @ recurrent_kernel + bias[1]
            z = hard_sigmoid(x_part[:, :u] + h_part[:, :u])
            r = hard_sigmoid(x_part[:, u:2 * u] + h_part[:, u:2 * u])
            candidate = np.tanh(x_part[:, 2 * u:] + r * h_part[:, 2 * u:])
        else:
            x_part = x[:, t] @ kernel + bias
            z = hard_sigmoid(x_part[:, :u] + h @ recurrent_kernel[:, :u])
            r = hard_sigmoid(x_part[:, u:2 * u] + h @ recurrent_kernel[:, u:2 * u])
            candidate = np.tanh(x_part[:, 2 * u:] + (r * h) @ recurrent_kernel[:, 2 * u:])
        h = z * h + (1 - z) * candidate
        outputs.append(h)
    return np.stack(outputs, axis=1)


@pytest.mark.parametrize("reset_after", [False, True])
def test_steps_equal_keras_formulas(loop, reset_after):
    backend.set_floatx("float64")
    x = uniform((3, 5, 4)).astype("float64")
    h0, c0 = uniform((3, 2), seed=7).astype("float64"), uniform((3, 2), seed=8).astype("float64")
    simple = SimpleRNN(2, return_sequences=True)
    simple(x)
    random_weights(simple)
    np.testing.assert_allclose(simple(x, initial_state=[h0]).numpy(),
                               keras_simple_rnn(x, *simple.get_weights(), h0), atol=1e-12)
    lstm = LSTM(2, return_sequences=True, return_state=True)
    lstm(x)
    random_weights(lstm)
    sequence, h, c = lstm(x, initial_state=[h0, c0])
    expected_sequence, expected_c = keras_lstm(x, *lstm.get_weights(), h0, c0)
    np.testing.assert_allclose(sequence.numpy(), expected_sequence, atol=1e-12)
    np.testing.assert_allclose(h.numpy(), expected_sequence[:, -1], atol=1e-12)
    np.testing.assert_allclose(c.numpy(), expected_c, atol=1e-12)
    gru = GRU(2, return_sequences=True, reset_after=reset_after)
    gru(x)
    random_weights(gru)
    np.testing.assert_allclose(gru(x, initial_state=h0).numpy(),
                               keras_gru(x, *gru.get_weights(), h0, reset_after), atol=1e-12)


# ---- the layer checks: shapes, configs, gradients -------------------------------------------

@pytest.mark.parametrize("layer_cls", LAYERS)
@pytest.mark.parametrize("kwargs", [
    {},
    {"return_sequences": True, "go_backwards": True},
    {"recurrent_activation": "sigmoid", "use_bias": False},
])
def test_layer_test(loop, layer_cls, kwargs):
    if layer_cls is SimpleRNN:
        kwargs = {k: v for k, v in kwargs.items() if k != "recurrent_activation"}
    expected = (None, 4, 3) if kwargs.get("return_sequences") else (None, 3)
    layer_test(layer_cls, dict(units=3, **kwargs), input_shape=(2, 4, 5),
               expected_output_shape=expected)


def test_gru_reset_after_layer_test(loop):
    layer_test(GRU, {"units": 3, "reset_after": True, "return_sequences": True},
               input_shape=(2, 4, 5), expected_output_shape=(None, 4, 3))


class MinimalRNNCell(Layer):
    """The cell of Keras's `RNN` docstring: `h = x @ kernel + h @ recurrent_kernel`.

    # Arguments
        units: the size of the state.
        **kwargs: the base `Layer` arguments.

    # Input shape
        `(batch, input_dim)`.

    # Output shape
        `(batch, units)`.
    """

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", (input_shape[-1], self.units),
                                      initializer="uniform")
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (self.units, self.units),
                                                initializer="uniform")
        self.built = True

    def call(self, inputs, states):
        output = inputs @ self.kernel + states[0] @ self.recurrent_kernel
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class MinimalRNN(RNN):
    """An `RNN` of a `MinimalRNNCell`, so that `layer_test` can create fresh ones.

    # Arguments
        units: the size of the state.
        cell: the cell (made from `units` by default).
        **kwargs: the `RNN` arguments.

    # Input shape
        `(batch, timesteps, input_dim)`.

    # Output shape
        As `RNN`.
    """

    def __init__(self, units=3, cell=None, **kwargs):
        super().__init__(cell or MinimalRNNCell(units), **kwargs)


def test_rnn_with_a_user_cell():
    layer_test(MinimalRNN, {"return_sequences": True}, input_shape=(2, 4, 5),
               expected_output_shape=(None, 4, 3))
    layer = RNN(MinimalRNNCell(3))
    x = uniform((2, 4, 5))
    y = layer(x)
    kernel, recurrent_kernel = layer.get_weights()
    h = np.zeros((2, 3), "float32")
    for t in range(4):
        h = x[:, t] @ kernel + h @ recurrent_kernel
    np.testing.assert_allclose(y.numpy(), h, rtol=1e-5)
    assert [w.name for w in layer.weights] == ["rnn/kernel", "rnn/recurrent_kernel"]
    clone = RNN.from_config(layer.get_config())
    assert isinstance(clone.cell, MinimalRNNCell) and clone.cell.units == 3


class TwoStateCell:
    """A cell that is not a Layer, with two states and an output of another size."""

    state_size = (2, 3)
    output_size = 1

    def call(self, inputs, states):
        first = states[0] + ops.sum(inputs, axis=-1, keepdims=True)
        second = states[1] * 0.5 + 1.0
        return ops.sum(second, axis=-1, keepdims=True) + first[:, :1], [first, second]


def test_rnn_with_plain_cell_and_several_states():
    layer = RNN(TwoStateCell(), return_sequences=True, return_state=True)
    output, first, second = layer(np.ones((2, 4, 3), "float32"))
    assert output.shape == (2, 4, 1) and first.shape == (2, 2) and second.shape == (2, 3)
    np.testing.assert_allclose(first.numpy(), 12.0)
    assert layer.compute_output_shape((None, 4, 3)) == [(None, 4, 1), (None, 2), (None, 3)]
    assert layer.weights == []


def test_rnn_of_builtin_cell_equals_the_layer(loop):
    x = uniform((2, 5, 3))
    layer = LSTM(4, return_sequences=True)
    layer(x)
    random_weights(layer)
    wrapped = RNN(LSTMCell(4), return_sequences=True)
    wrapped(x)
    wrapped.set_weights(layer.get_weights())
    np.testing.assert_allclose(wrapped(x).numpy(), layer(x).numpy(), atol=1e-6)


def test_cells_compute_one_step():
    x, h, c = uniform((2, 3)), uniform((2, 4), 1), uniform((2, 4), 2)
    cell = LSTMCell(4)
    output, (new_h, new_c) = cell(x, [Tensor(h), Tensor(c)])
    kernel, recurrent_kernel, bias = cell.get_weights()
    expected_sequence, expected_c = keras_lstm(x[:, None], kernel, recurrent_kernel, bias, h, c)
    np.testing.assert_allclose(output.numpy(), expected_sequence[:, 0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(new_c.numpy(), expected_c, rtol=1e-5, atol=1e-6)
    for cell in (SimpleRNNCell(4), GRUCell(4)):
        output, states = cell(x, [Tensor(h)])
        assert output.shape == (2, 4) and len(states) == 1
    assert LSTMCell(4).state_size == (4, 4) and GRUCell(4).state_size == 4


# ---- outputs: sequences, states, direction ----------------------------------------------------

@pytest.mark.parametrize("layer_cls", LAYERS)
def test_return_sequences_and_state_shapes(loop, layer_cls):
    n_states = 2 if layer_cls is LSTM else 1
    x = uniform((2, 5, 3))
    layer = layer_cls(4, return_sequences=True, return_state=True)
    outputs = layer(x)
    assert [tuple(t.shape) for t in outputs] == [(2, 5, 4)] + [(2, 4)] * n_states
    np.testing.assert_allclose(outputs[0].numpy()[:, -1], outputs[1].numpy())
    symbolic = layer_cls(4, return_state=True)(Input((None, 3)))
    assert [t.shape for t in symbolic] == [(None, 4)] + [(None, 4)] * n_states
    assert layer_cls(4).compute_output_shape((None, 7, 3)) == (None, 4)
    assert layer_cls(4, return_sequences=True).compute_output_shape((None, 7, 3)) == \
        (None, 7, 4)


@pytest.mark.parametrize("layer_cls", LAYERS)
def test_go_backwards_reads_the_reversed_sequence(loop, layer_cls):
    x = uniform((2, 5, 3))
    forward = layer_cls(4, return_sequences=True)
    forward(x)
    random_weights(forward)
    backward = layer_cls(4, return_sequences=True, go_backwards=True)
    backward(x)
    backward.set_weights(forward.get_weights())
    # Keras returns the backward sequence in the order it was read.
    np.testing.assert_allclose(backward(x).numpy(), forward(x[:, ::-1]).numpy(), atol=1e-6)


# ---- statefulness --------------------------------------------------------------------------

@pytest.mark.parametrize("layer_cls", LAYERS)
def test_stateful_continues_and_resets(loop, layer_cls):
    x = uniform((3, 6, 2))
    layer = layer_cls(4, stateful=True)
    full = layer_cls(4)
    full(x)
    random_weights(full)
    layer(x[:, :3])
    layer.set_weights(full.get_weights())
    layer.reset_states()
    assert layer.states[0] is None
    layer(x[:, :3])
    continued = layer(x[:, 3:])
    np.testing.assert_allclose(continued.numpy(), full(x).numpy(), atol=1e-6)
    assert layer.states[0].shape == (3, 4)
    layer.reset_states()
    np.testing.assert_allclose(layer(x).numpy(), full(x).numpy(), atol=1e-6)
    with pytest.raises(ValueError, match="batch"):
        layer(x[:2])  # the kept states are for a batch of 3
    states = [np.full((2, 4), 0.5, "float32") for _ in layer.states]
    layer.reset_states(states)
    np.testing.assert_allclose(layer(x[:2]).numpy(), full(x[:2], initial_state=states).numpy(),
                               atol=1e-6)
    with pytest.raises(AttributeError, match="stateful"):
        full.reset_states()


def test_stateful_model_predicts_in_chunks(loop):
    x = uniform((4, 8, 3))
    model = Sequential([LSTM(5, stateful=True, batch_input_shape=(4, None, 3)), Dense(1)])
    reference = Sequential([LSTM(5, input_shape=(None, 3)), Dense(1)])
    reference.set_weights(model.get_weights())
    model.predict(x[:, :4], batch_size=4)
    np.testing.assert_allclose(model.predict(x[:, 4:], batch_size=4), reference.predict(x),
                               atol=1e-5)
    model.layers[0].reset_states()
    np.testing.assert_allclose(model.predict(x, batch_size=4), reference.predict(x), atol=1e-5)


# ---- dropout -----------------------------------------------------------------------------

@pytest.mark.parametrize("layer_cls", LAYERS)
def test_dropout_only_in_training(loop, layer_cls):
    x = uniform((4, 5, 3))
    layer = layer_cls(6, dropout=0.5, recurrent_dropout=0.5)
    plain = layer_cls(6)
    layer(x)
    plain(x)
    plain.set_weights(layer.get_weights())
    expected = plain(x).numpy()
    for training in (None, False):
        np.testing.assert_allclose(layer(x, training=training).numpy(), expected, atol=1e-6)
    assert not np.allclose(layer(x, training=True).numpy(), expected, atol=1e-3)


def test_dropout_drops_the_same_units_at_every_step(loop):
    # A linear SimpleRNN without recurrence gives x_t * mask @ kernel at each step: with a
    # constant input, every step gives the same output, since the mask is per sequence.
    layer = SimpleRNN(8, activation=None, recurrent_initializer="zeros", dropout=0.5,
                      return_sequences=True)
    x = np.ones((6, 5, 10), "float32")
    outputs = layer(x, training=True).numpy()
    np.testing.assert_allclose(outputs, np.repeat(outputs[:, :1], 5, axis=1), rtol=1e-6)
    assert not np.allclose(outputs[0], outputs[1])  # but a mask per sample


def test_dropout_masks_are_drawn_once_per_sequence(loop, monkeypatch):
    def counting(calls, draw):
        return lambda *args, **kwargs: calls.append(1) or draw(*args, **kwargs)

    for layer in (LSTM(3, dropout=0.2, recurrent_dropout=0.2), GRU(3, recurrent_dropout=0.3)):
        calls = []
        monkeypatch.setattr(layer.cell, "get_dropout_masks",
                            counting(calls, layer.cell.get_dropout_masks))
        layer(uniform((2, 6, 4)), training=True)
        assert len(calls) == 1


# ---- masking -----------------------------------------------------------------------------

@pytest.mark.parametrize("layer_cls", LAYERS)
def test_masking_equals_running_the_unmasked_prefix(loop, layer_cls):
    lengths = [5, 2, 4]
    tokens = np.zeros((3, 5), "int64")
    for row, length in enumerate(lengths):
        tokens[row, :length] = np.arange(1, length + 1) + row
    model = Sequential([Embedding(10, 4, mask_zero=True, input_length=None),
                        layer_cls(3, return_sequences=True)])
    sequences = model.predict(tokens)
    last = Sequential([Embedding(10, 4, mask_zero=True), layer_cls(3)])
    last.predict(tokens[:1])
    last.set_weights(model.get_weights())
    lasts = last.predict(tokens)
    for row, length in enumerate(lengths):
        prefix = model.predict(tokens[row:row + 1, :length])[0]
        np.testing.assert_allclose(sequences[row, :length], prefix, atol=1e-6)
        # Masked steps repeat the last output, as in Keras 2.
        np.testing.assert_array_equal(sequences[row, length:],
                                      np.repeat(sequences[row, length - 1:length], 5 - length,
                                                axis=0))
        np.testing.assert_allclose(lasts[row], prefix[-1], atol=1e-6)


def test_masking_layer_and_left_padding(loop):
    x = uniform((2, 5, 3))
    x[0, :2] = 0.0  # left padding
    inputs = Input((5, 3))
    lstm = LSTM(4, return_sequences=True, return_state=True)
    model = Model(inputs, lstm(Masking(0.0)(inputs)))
    sequence, h, c = model.predict(x)
    np.testing.assert_allclose(sequence[0, :2], 0.0)  # no step seen yet: zeros
    unpadded_sequence, _, unpadded_c = lstm(x[:1, 2:])
    np.testing.assert_allclose(sequence[0, 2:], unpadded_sequence.numpy()[0], atol=1e-6)
    np.testing.assert_allclose(h[0], unpadded_sequence.numpy()[0, -1], atol=1e-6)
    np.testing.assert_allclose(c[0], unpadded_c.numpy()[0], atol=1e-6)


@pytest.mark.parametrize("layer_cls", LAYERS)
def test_gradients_with_a_mask(loop, layer_cls):
    mask = np.array([[True, True, False, True], [False, True, True, False]])
    x = uniform((2, 4, 2), 3)
    check_layer_gradients(layer_cls, {"units": 3, "return_sequences": True}, x,
                          call_kwargs={"mask": mask})
    backend.set_floatx("float64")
    layer = layer_cls(3, return_sequences=True)
    layer(x.astype("float64"))
    random_weights(layer)
    n_states = 2 if layer_cls is LSTM else 1
    check_gradients(lambda x, h0: layer(x, mask=mask, initial_state=[h0] * n_states),
                    [x, uniform((2, 3), 4)])


# ---- initial states --------------------------------------------------------------------------

def test_initial_state_eager_symbolic_and_gradient(loop):
    x, h0, c0 = uniform((2, 5, 3)), uniform((2, 4), 1), uniform((2, 4), 2)
    sequence_input, h_input, c_input = Input((5, 3)), Input((4,)), Input((4,))
    layer = LSTM(4)
    output = layer(sequence_input, initial_state=[h_input, c_input])
    model = Model([sequence_input, h_input, c_input], output)
    eager = layer(x, initial_state=[h0, c0]).numpy()
    np.testing.assert_allclose(model.predict([x, h0, c0]), eager, atol=1e-6)
    np.testing.assert_allclose(layer([x, h0, c0]).numpy(), eager, atol=1e-6)
    clone = Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict([x, h0, c0]), eager, atol=1e-6)
    h = Tensor(h0)
    with GradientTape() as tape:
        tape.watch(h)
        loss = ops.sum(layer(x, initial_state=[h, Tensor(c0)]))
    assert np.abs(tape.gradient(loss, h)).sum() > 0
    with pytest.raises(ValueError, match="2 state"):
        layer(x, initial_state=[h0])
    with pytest.raises(ValueError, match="shape"):
        layer(x, initial_state=[h0[:, :3], c0])


def test_encoder_decoder_with_states(loop):
    encoder_inputs, decoder_inputs = Input((None, 3)), Input((None, 2))
    _, h, c = LSTM(6, return_state=True)(encoder_inputs)
    decoded = LSTM(6, return_sequences=True)(decoder_inputs, initial_state=[h, c])
    model = Model([encoder_inputs, decoder_inputs], Dense(2, activation="softmax")(decoded))
    model.compile("adam", "categorical_crossentropy")
    x, y = [uniform((8, 4, 3)), uniform((8, 5, 2), 1)], np.eye(2)[np.arange(40) % 2].reshape(
        8, 5, 2)
    losses = model.fit(x, y, epochs=3, verbose=0).history["loss"]
    assert model.predict(x).shape == (8, 5, 2) and losses[-1] < losses[0]


# ---- weights, configs, files ---------------------------------------------------------------

def test_keras_weight_layout_and_names():
    lstm = LSTM(3, name="lstm")
    lstm(uniform((1, 2, 5)))
    assert [w.name for w in lstm.weights] == ["lstm/kernel", "lstm/recurrent_kernel",
                                              "lstm/bias"]
    assert [w.shape for w in lstm.weights] == [(5, 12), (3, 12), (12,)]
    np.testing.assert_array_equal(lstm.get_weights()[2], [0] * 3 + [1] * 3 + [0] * 6)
    gru = GRU(3, reset_after=True, name="gru")
    gru(uniform((1, 2, 5)))
    assert [w.shape for w in gru.weights] == [(5, 9), (3, 9), (2, 9)]
    simple = SimpleRNN(3, use_bias=False)
    simple(uniform((1, 2, 5)))
    assert [w.shape for w in simple.weights] == [(5, 3), (3, 3)]
    recurrent_kernel = lstm.get_weights()[1]  # orthogonal by default
    np.testing.assert_allclose(recurrent_kernel @ recurrent_kernel.T, np.eye(3), atol=1e-5)


@pytest.mark.parametrize("layer_cls", LAYERS)
def test_config_has_keras_keys_and_round_trips(layer_cls):
    layer = layer_cls(4, dropout=0.25, return_sequences=True, stateful=False, name="rec")
    config = layer.get_config()
    for key in ("units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                "bias_initializer", "kernel_regularizer", "recurrent_regularizer",
                "bias_regularizer", "activity_regularizer", "kernel_constraint",
                "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
                "return_sequences", "return_state", "go_backwards", "stateful", "unroll"):
        assert key in config, key
    assert "cell" not in config
    assert layer_cls.from_config(config).get_config() == config
    if layer_cls is LSTM:
        assert config["recurrent_activation"] == "hard_sigmoid"
        assert config["unit_forget_bias"] is True and config["implementation"] == 1
    if layer_cls is GRU:
        assert config["reset_after"] is False


def test_save_and_load_weights_and_model(tmp_path, loop):
    tokens = np.random.default_rng(0).integers(0, 10, (4, 6))
    model = Sequential([Embedding(10, 4, mask_zero=True, input_length=6),
                        LSTM(5, return_sequences=True), GRU(3, reset_after=True),
                        Dense(1, activation="sigmoid")])
    expected = model.predict(tokens)
    model.save_weights(tmp_path / "weights.h5")
    with h5py.File(tmp_path / "weights.h5", "r") as file:
        names = [n.decode() for n in file[model.layers[1].name].attrs["weight_names"]]
    assert names == [f"{model.layers[1].name}/{name}:0"
                     for name in ("kernel", "recurrent_kernel", "bias")]
    copy = Sequential([Embedding(10, 4, mask_zero=True, input_length=6),
                       LSTM(5, return_sequences=True), GRU(3, reset_after=True),
                       Dense(1, activation="sigmoid")])
    copy.load_weights(tmp_path / "weights.h5")
    np.testing.assert_allclose(copy.predict(tokens), expected, atol=1e-6)
    model.save(tmp_path / "model.h5")
    np.testing.assert_allclose(load_model(tmp_path / "model.h5").predict(tokens), expected,
                               atol=1e-6)


def test_legacy_input_dim_and_length():
    model = Sequential([SimpleRNN(2, input_dim=3, input_length=5)])
    assert model.input_shape == (None, 5, 3) and model.output_shape == (None, 2)


def test_regularizers_and_constraints():
    layer = LSTM(3, kernel_regularizer="l2", recurrent_regularizer="l1", bias_regularizer="l2",
                 activity_regularizer="l2", kernel_constraint="non_neg")
    x = uniform((2, 4, 3))
    with collect_losses() as added:
        layer(x)
    assert len(added) == 1  # the activity penalty
    assert len(layer.losses) == 3  # the weight penalties
    assert layer.cell.kernel.constraint is not None


@pytest.mark.parametrize("make", [
    lambda: LSTM(0), lambda: GRU(2, dropout=1.5), lambda: SimpleRNN(2, return_sequences="yes"),
    lambda: LSTM(2, recurrent_activation="nope"), lambda: RNN(object()),
])
def test_bad_arguments(make):
    with pytest.raises(ValueError):
        make()


def test_input_rank_is_checked():
    with pytest.raises(ValueError, match="ndim=3"):
        LSTM(2)(np.zeros((2, 3), "float32"))
    layer = GRU(2)
    layer(np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="axis -1"):
        layer(np.zeros((2, 3, 5), "float32"))


# ---- the fused loops against the reference ----------------------------------------------------

@pytest.mark.parametrize("masked", [True, False], ids=["mask", "no_mask"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kwargs", [
    {"layer": LSTM},
    {"layer": LSTM, "recurrent_activation": "sigmoid", "go_backwards": True},
    {"layer": LSTM, "dropout": 0.3, "recurrent_dropout": 0.4},
    {"layer": GRU},
    {"layer": GRU, "reset_after": True, "recurrent_activation": "sigmoid"},
    {"layer": GRU, "reset_after": True, "use_bias": False, "go_backwards": True},
    {"layer": GRU, "reset_after": True, "dropout": 0.3, "recurrent_dropout": 0.4},
    {"layer": GRU, "dropout": 0.3, "recurrent_dropout": 0.4, "go_backwards": True},
])
def test_fused_loops_equal_the_reference(monkeypatch, dtype, kwargs, masked):
    kwargs = dict(kwargs)
    layer_cls = kwargs.pop("layer")
    backend.set_floatx(dtype)
    mask = None
    if masked:
        mask = np.ones((3, 6), bool)
        mask[0, 4:] = mask[1, :2] = mask[2, 3] = False
    x = uniform((3, 6, 4)).astype(dtype)
    results = []
    for fused in (True, False):
        monkeypatch.setattr(recurrent, "_FUSED_LOOPS_ENABLED", fused)
        backend.set_seed(5)
        layer = layer_cls(5, return_sequences=True, return_state=True, **kwargs)
        layer(x)
        random_weights(layer)
        h0 = Tensor(uniform((3, 5), 9).astype(dtype))
        inputs = Tensor(x)
        backend.set_seed(6)
        with GradientTape() as tape:
            tape.watch([inputs, h0])
            outputs = layer(inputs, mask=mask, training=True,
                            initial_state=[h0] * len(layer.states))
            loss = sum(ops.sum(output * output * (k + 1.0)) for k, output in enumerate(outputs))
        gradients = tape.gradient(loss, [inputs, h0] + layer.trainable_weights)
        results.append([o.numpy() for o in outputs] + gradients)
    tolerance = 1e-5 if dtype == "float32" else 1e-12
    for fused_value, reference_value in zip(*results):
        assert fused_value.dtype == np.dtype(dtype)
        np.testing.assert_allclose(fused_value, reference_value, rtol=tolerance,
                                   atol=tolerance)


@pytest.mark.parametrize("masked", [True, False], ids=["mask", "no_mask"])
def test_lstm_final_cell_state_and_its_gradient(loop, masked):
    # The fused LSTM outputs only the last c: check it, and the gradient that enters the
    # loop through it alone, against Keras's formulas and central differences.
    backend.set_floatx("float64")
    x = uniform((3, 5, 4)).astype("float64")
    h0, c0 = uniform((3, 2), seed=7).astype("float64"), uniform((3, 2), seed=8).astype("float64")
    lengths = [5, 3, 1] if masked else [5, 5, 5]
    mask = np.arange(5) < np.array(lengths)[:, None] if masked else None
    layer = LSTM(2, return_state=True)
    layer(x)
    random_weights(layer)
    _, _, c = layer(x, mask=mask, initial_state=[h0, c0])
    for row, length in enumerate(lengths):
        _, expected_c = keras_lstm(x[row:row + 1, :length], *layer.get_weights(),
                                   h0[row:row + 1], c0[row:row + 1])
        np.testing.assert_allclose(c.numpy()[row], expected_c[0], atol=1e-12)
    check_gradients(lambda x, h0, c0: layer(x, mask=mask, initial_state=[h0, c0])[2],
                    [x, h0, c0])


def test_fused_loops_are_used_for_keras_activations_only(monkeypatch):
    used = []
    original = recurrent._fused_recurrence
    monkeypatch.setattr(recurrent, "_fused_recurrence",
                        lambda *args: used.append(1) or original(*args))
    x = uniform((2, 3, 4))
    LSTM(3)(x)
    GRU(3, recurrent_activation="sigmoid")(x)
    assert len(used) == 2
    LSTM(3, activation="relu")(x)
    SimpleRNN(3)(x)
    RNN(LSTMCell(3))(x)
    assert len(used) == 2


# ---- a task that needs memory ------------------------------------------------------------------

def first_token_task(n_samples, length, rng, n_symbols=8, n_distractors=12):
    """Sequences of a symbol (tokens 1 to `n_symbols`) followed by distractors (the next
    `n_distractors` tokens); the label is the symbol, read `length - 1` steps earlier."""
    x = rng.integers(n_symbols + 1, n_symbols + n_distractors + 1, size=(n_samples, length))
    y = rng.integers(0, n_symbols, size=n_samples)
    x[:, 0] = y + 1
    return x, y


@pytest.mark.integration
@pytest.mark.parametrize("layer_cls", [LSTM, GRU])
def test_learns_a_task_that_needs_memory(layer_cls):
    backend.set_seed(0)
    rng = np.random.default_rng(0)
    x, y = first_token_task(4000, 12, rng)
    x_test, y_test = first_token_task(1000, 12, rng)
    model = Sequential([Embedding(21, 16, input_length=12), layer_cls(32),
                        Dense(8, activation="softmax")])
    model.compile(RMSprop(lr=0.005), "sparse_categorical_crossentropy", metrics=["accuracy"])
    started = time.perf_counter()
    accuracy = 0.0
    for _ in range(10):
        model.fit(x, y, batch_size=32, epochs=1, verbose=0)
        accuracy = np.mean(np.argmax(model.predict(x_test), axis=-1) == y_test)
        if accuracy >= 0.99:
            break
    elapsed = time.perf_counter() - started
    print(f"{layer_cls.__name__} recalls the first of 12 tokens: test accuracy {accuracy:.3f} "
          f"in {elapsed:.1f} s")
    assert accuracy >= 0.95
    assert elapsed < 60
