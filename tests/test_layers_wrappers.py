"""Tests of the wrappers: TimeDistributed and Bidirectional."""
import h5py
import numpy as np
import pytest

from minikeras import Tensor, backend
from minikeras.engine.base_layer import collect_losses
from minikeras.engine.input_layer import Input
from minikeras.layers import recurrent
from minikeras.layers.core import Dense, Dropout
from minikeras.layers.embeddings import Embedding
from minikeras.layers.recurrent import GRU, LSTM, RNN, SimpleRNN
from minikeras.layers.wrappers import Bidirectional, TimeDistributed
from minikeras.models import Model, Sequential, load_model
from tests.layer_testing import check_layer_gradients
from tests.test_layers_recurrent import MinimalRNNCell, random_weights, uniform


@pytest.fixture(params=["fused", "reference"])
def loop(request, monkeypatch):
    """Runs a test with the fused LSTM/GRU loops, then with the reference tape loop."""
    monkeypatch.setattr(recurrent, "_FUSED_LOOPS_ENABLED", request.param == "fused")
    return request.param


class TimeDistributedDense(TimeDistributed):
    """`TimeDistributed(Dense(units))` as a class of its own, for `check_layer_gradients`.

    # Arguments
        units: the Dense layer's units.
        **kwargs: the base `Layer` arguments.

    # Input shape
        `(batch, timesteps, features)`.

    # Output shape
        `(batch, timesteps, units)`.
    """

    def __init__(self, units=4, **kwargs):
        super().__init__(Dense(units, activation="tanh"), **kwargs)


class BidirectionalLSTM(Bidirectional):
    """`Bidirectional(LSTM(units))` as a class of its own, for `check_layer_gradients`.

    # Arguments
        units: the LSTM's units.
        merge_mode: as `Bidirectional`.
        return_sequences: the LSTM's.
        **kwargs: the base `Layer` arguments.

    # Input shape
        `(batch, timesteps, features)`.

    # Output shape
        As `Bidirectional`.
    """

    def __init__(self, units=3, merge_mode="concat", return_sequences=False, **kwargs):
        super().__init__(LSTM(units, return_sequences=return_sequences), merge_mode=merge_mode,
                         **kwargs)


# ---- TimeDistributed ----------------------------------------------------------------------

def test_time_distributed_applies_the_layer_at_every_step():
    x = uniform((2, 5, 3))
    layer = TimeDistributed(Dense(4))
    y = layer(x)
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(y.numpy(), x @ kernel + bias, rtol=1e-5, atol=1e-6)
    assert [w.name for w in layer.weights] == ["time_distributed/kernel",
                                               "time_distributed/bias"]
    assert layer.compute_output_shape((None, 5, 3)) == (None, 5, 4)
    assert TimeDistributed(Dense(4))(Input((None, 3))).shape == (None, None, 4)


def test_time_distributed_gradients_and_config():
    check_layer_gradients(TimeDistributedDense, {"units": 4}, uniform((2, 3, 5)))
    layer = TimeDistributed(Dense(2, activation="relu"), name="td")
    layer(uniform((1, 3, 4)))
    config = layer.get_config()
    assert config["layer"]["class_name"] == "Dense"
    assert config["layer"]["config"]["units"] == 2
    clone = TimeDistributed.from_config(config)
    assert clone.get_config() == config and clone.layer is not layer.layer


def test_time_distributed_in_a_model_with_dropout_and_masks(tmp_path):
    tokens = np.array([[1, 2, 3, 0], [4, 5, 0, 0]])
    model = Sequential([Embedding(6, 3, mask_zero=True, input_length=4),
                        TimeDistributed(Dropout(0.5)), LSTM(4, return_sequences=True),
                        TimeDistributed(Dense(2, activation="softmax"))])
    expected = model.predict(tokens)
    assert expected.shape == (2, 4, 2)
    np.testing.assert_allclose(expected[1, 2], expected[1, 1], rtol=1e-6)  # masked: repeated
    model.save(tmp_path / "model.h5")
    np.testing.assert_allclose(load_model(tmp_path / "model.h5").predict(tokens), expected,
                               rtol=1e-5)


def test_time_distributed_of_an_rnn_on_4d_input(loop):
    x = uniform((2, 3, 5, 4))
    layer = TimeDistributed(GRU(6))
    y = layer(x)
    assert y.shape == (2, 3, 6)
    np.testing.assert_allclose(y.numpy()[:, 1], layer.layer(x[:, 1]).numpy(), atol=1e-6)


def test_time_distributed_activity_regularizer_and_errors():
    layer = TimeDistributed(Dense(2, activity_regularizer="l2"))
    with collect_losses() as added:
        layer(uniform((2, 3, 4)))
    assert len(added) == 1
    with pytest.raises(ValueError, match="min_ndim=3"):
        TimeDistributed(Dense(2))(uniform((2, 3)))
    with pytest.raises(ValueError, match="Layer instance"):
        TimeDistributed("dense")


# ---- Bidirectional --------------------------------------------------------------------------

def forward_and_backward(layer, x):
    """The outputs of a Bidirectional layer's two directions, in time order."""
    forward = layer.forward_layer(x)
    backward = layer.backward_layer(x)
    if layer.return_sequences:
        backward = backward.numpy()[:, ::-1]
    return np.asarray(forward), np.asarray(backward)


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional_merge_modes(loop, merge_mode, return_sequences):
    x = uniform((2, 5, 3))
    layer = Bidirectional(LSTM(4, return_sequences=return_sequences), merge_mode=merge_mode)
    output = layer(x)
    random_weights(layer)
    output = layer(x)
    forward, backward = forward_and_backward(layer, x)
    expected = {"concat": lambda: np.concatenate([forward, backward], axis=-1),
                "sum": lambda: forward + backward, "mul": lambda: forward * backward,
                "ave": lambda: (forward + backward) / 2,
                None: lambda: [forward, backward]}[merge_mode]()
    outputs = output if merge_mode is None else [output]
    expected = expected if merge_mode is None else [expected]
    for value, wanted in zip(outputs, expected):
        np.testing.assert_allclose(value.numpy(), wanted, rtol=1e-5, atol=1e-6)
    shape = layer.compute_output_shape((None, 5, 3))
    symbolic = Bidirectional(LSTM(4, return_sequences=return_sequences),
                             merge_mode=merge_mode)(Input((5, 3)))
    if merge_mode is None:
        assert [t.shape for t in symbolic] == shape == [(None,) + tuple(value.shape[1:])
                                                        for value in outputs]
    else:
        assert symbolic.shape == shape == (None,) + tuple(output.shape[1:])


def test_bidirectional_backward_layer_reads_backwards(loop):
    x = uniform((2, 5, 3))
    layer = Bidirectional(GRU(4, return_sequences=True), merge_mode=None)
    layer(x)
    random_weights(layer)
    forward, backward = layer(x)
    twin = GRU(4, return_sequences=True)
    twin(x)
    twin.set_weights(layer.backward_layer.get_weights())
    np.testing.assert_allclose(backward.numpy(), twin(x[:, ::-1]).numpy()[:, ::-1], atol=1e-6)


def test_bidirectional_weights_order_and_names(tmp_path):
    layer = Bidirectional(LSTM(3), name="bidirectional")
    layer(uniform((1, 2, 5)))
    assert [w.name for w in layer.weights] == [
        f"bidirectional/{direction}_{layer.layer.name}/{name}"
        for direction in ("forward", "backward") for name in ("kernel", "recurrent_kernel",
                                                              "bias")]
    assert len(layer.get_weights()) == 6 and layer.count_params() == 2 * (5 * 12 + 3 * 12 + 12)
    weights = [np.full(w.shape, k, "float32") for k, w in enumerate(layer.weights)]
    preset = Bidirectional(LSTM(3), weights=weights)
    preset(uniform((1, 2, 5)))
    for value, wanted in zip(preset.forward_layer.get_weights() +
                             preset.backward_layer.get_weights(), weights):
        np.testing.assert_array_equal(value, wanted)
    model = Sequential([Bidirectional(LSTM(3), input_shape=(4, 5)), Dense(1)])
    model.save_weights(tmp_path / "weights.h5")
    with h5py.File(tmp_path / "weights.h5", "r") as file:
        group = file[model.layers[0].name]
        names = [n.decode() for n in group.attrs["weight_names"]]
    assert names[0].endswith("/kernel:0") and names[0].startswith(
        f"{model.layers[0].name}/forward_")
    copy = Sequential([Bidirectional(LSTM(3), input_shape=(4, 5)), Dense(1)])
    copy.load_weights(tmp_path / "weights.h5")
    x = uniform((3, 4, 5))
    np.testing.assert_allclose(copy.predict(x), model.predict(x), atol=1e-6)


def test_bidirectional_gradients(loop):
    x = uniform((2, 4, 3))
    check_layer_gradients(BidirectionalLSTM, {"units": 3}, x)
    check_layer_gradients(BidirectionalLSTM, {"units": 2, "merge_mode": "mul",
                                              "return_sequences": True}, x,
                          call_kwargs={"mask": np.array([[1, 1, 1, 0], [1, 1, 0, 0]], bool)})


def test_bidirectional_config_round_trip_and_model_file(tmp_path):
    layer = Bidirectional(SimpleRNN(3, return_sequences=True), merge_mode="sum", name="bi")
    config = layer.get_config()
    assert config["layer"]["class_name"] == "SimpleRNN" and config["merge_mode"] == "sum"
    clone = Bidirectional.from_config(config)
    assert clone.get_config() == config
    assert clone.forward_layer.name.startswith("forward_")
    custom = Bidirectional(RNN(MinimalRNNCell(2)))
    clone = Bidirectional.from_config(custom.get_config(),
                                      custom_objects={"MinimalRNNCell": MinimalRNNCell})
    assert isinstance(clone.backward_layer.cell, MinimalRNNCell)
    assert clone.backward_layer.go_backwards
    tokens = np.array([[1, 2, 3, 0], [3, 1, 0, 0]])
    model = Sequential([Embedding(5, 3, mask_zero=True, input_length=4),
                        Bidirectional(LSTM(2, return_sequences=True)), Bidirectional(GRU(2)),
                        Dense(1)])
    expected = model.predict(tokens)
    model.save(tmp_path / "model.h5")
    np.testing.assert_allclose(load_model(tmp_path / "model.h5").predict(tokens), expected,
                               atol=1e-6)


def test_bidirectional_with_a_given_backward_layer():
    forward, backward = LSTM(3), GRU(2, go_backwards=True)
    layer = Bidirectional(forward, backward_layer=backward)
    assert layer(uniform((2, 4, 5))).shape == (2, 5)
    assert layer.backward_layer is backward and backward.name.startswith("backward_")
    config = layer.get_config()
    assert config["backward_layer"]["class_name"] == "GRU"
    clone = Bidirectional.from_config(config)
    assert isinstance(clone.backward_layer, GRU) and clone.backward_layer.go_backwards
    with pytest.raises(ValueError, match="go_backwards"):
        Bidirectional(LSTM(3), backward_layer=LSTM(3))
    with pytest.raises(ValueError, match="return_sequences"):
        Bidirectional(LSTM(3), backward_layer=LSTM(3, go_backwards=True,
                                                     return_sequences=True))
    with pytest.raises(ValueError, match="merge_mode"):
        Bidirectional(LSTM(3), merge_mode="max")
    with pytest.raises(ValueError, match="recurrent layer"):
        Bidirectional(Dense(3))


def test_bidirectional_states_and_masks(loop):
    x = uniform((2, 5, 3))
    layer = Bidirectional(LSTM(4, return_state=True, return_sequences=True))
    output, *states = layer(x)
    assert output.shape == (2, 5, 8) and [s.shape for s in states] == [(2, 4)] * 4
    assert layer.compute_output_shape((None, 5, 3)) == [(None, 5, 8)] + [(None, 4)] * 4
    initial = [uniform((2, 4), k) for k in range(4)]
    with_states = layer(x, initial_state=initial)[0].numpy()
    forward = layer.forward_layer(x, initial_state=initial[:2])[0].numpy()
    np.testing.assert_allclose(with_states[..., :4], forward, atol=1e-6)
    inputs, state_inputs = Input((5, 3)), [Input((4,)) for _ in range(4)]
    model = Model([inputs] + state_inputs, layer(inputs, initial_state=state_inputs)[0])
    np.testing.assert_allclose(model.predict([x] + initial), with_states, atol=1e-6)
    mask = np.array([[1, 1, 1, 1, 0], [1, 1, 0, 0, 0]], bool)
    masked = Bidirectional(LSTM(4, return_sequences=True))
    assert masked.compute_mask(x, mask) is mask
    assert Bidirectional(LSTM(4)).compute_mask(x, mask) is None
    assert Bidirectional(LSTM(4, return_sequences=True), merge_mode=None).compute_mask(
        x, mask) == [mask, mask]


def test_bidirectional_stateful_reset(loop):
    x = uniform((2, 6, 3))
    layer = Bidirectional(LSTM(3, stateful=True))
    layer(x)
    assert layer.forward_layer.states[0] is not None
    layer.reset_states()
    assert layer.forward_layer.states[0] is None and layer.backward_layer.states[0] is None


def test_bidirectional_trains(loop):
    backend.set_seed(0)
    rng = np.random.default_rng(0)
    x = rng.integers(1, 5, (256, 6))
    y = (x[:, -1] == x[:, 0]).astype("float32")
    model = Sequential([Embedding(5, 8, input_length=6), Bidirectional(GRU(8)),
                        Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    history = model.fit(x, y, epochs=3, batch_size=32, verbose=0).history["loss"]
    assert history[-1] < history[0]
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert isinstance(model.layers[1].forward_layer(Tensor(np.zeros((1, 6, 8), "float32"))),
                      Tensor)
