"""More tests of `Model`: subclassed models, `compile`'s checks of losses and metrics per
output, Keras 2 spellings (`nb_epoch`, `*_generator`), and `reset_states`.
"""
import numpy as np
import pytest

from minikeras.engine.naming import reset_names
from minikeras.layers import LSTM, Dense, Input
from minikeras.models import Model, Sequential


@pytest.fixture(autouse=True)
def fresh_names():
    reset_names()
    yield


class TwoLayerNet(Model):
    """A subclassed model, as the Keras guide writes one."""

    def __init__(self):
        super().__init__(name="two_layer_net")
        self.hidden = Dense(4, activation="relu", kernel_initializer="ones")
        self.head = Dense(1, kernel_initializer="ones")

    def call(self, inputs):
        return self.head(self.hidden(inputs))


def two_outputs():
    inputs = Input(shape=(3,))
    first = Dense(1, name="first")(inputs)
    second = Dense(2, name="second")(inputs)
    return Model(inputs, [first, second])


def test_a_subclassed_model_trains_and_lists_its_layers():
    model = TwoLayerNet()
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Dense"]
    model.compile("sgd", "mse", metrics=["mae"])
    assert model.metrics_names == ["loss", "mae"]
    x = np.ones((8, 3), "float32")
    history = model.fit(x, np.zeros((8, 1)), epochs=2, verbose=0)
    assert sorted(history.history) == ["loss", "mae"]
    assert model.predict(x, verbose=0).shape == (8, 1)
    assert model.compute_output_shape((None, 3)) == (None, 1)
    assert model.get_config()["name"] == "two_layer_net"


def test_a_subclassed_model_without_call_says_how_to_build_one():
    with pytest.raises(NotImplementedError, match='Model "bare" has no graph'):
        Model(name="bare")(np.ones((1, 2), "float32"))


def test_a_model_needs_both_inputs_and_outputs():
    with pytest.raises(ValueError, match="needs both `inputs` and `outputs`"):
        Model(inputs=Input(shape=(2,)))


def test_compile_refuses_unknown_arguments_and_a_missing_loss():
    model = Sequential([Dense(1, input_shape=(2,))])
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['target_tensors'\]"):
        model.compile("sgd", "mse", target_tensors=[])
    with pytest.raises(ValueError, match="compile\\(\\) needs a `loss`"):
        model.compile("sgd")
    model.compile("sgd", "mse", run_eagerly=True, jit_compile=False)  # accepted, ignored


def test_per_output_losses_must_name_real_outputs_and_match_their_count():
    model = two_outputs()
    with pytest.raises(ValueError, match=r"Unknown entries in loss dictionary: \['third'\]"):
        model.compile("sgd", {"first": "mse", "third": "mse"})
    with pytest.raises(ValueError, match="The model has 2 outputs, but you passed "
                                         "loss_weights=\\[1.0\\]"):
        model.compile("sgd", "mse", loss_weights=[1.0])


def test_an_output_without_loss_is_not_trained():
    model = two_outputs()
    model.compile("sgd", {"first": "mse"}, metrics={"second": ["mae"]})
    x = np.ones((4, 3), "float32")
    second_before = model.get_layer("second").get_weights()
    history = model.fit(x, [np.zeros((4, 1)), np.zeros((4, 2))], epochs=1, verbose=0)
    assert {"loss", "first_loss", "second_mae"} <= set(history.history)
    assert history.history["loss"][0] == pytest.approx(history.history["first_loss"][0])
    for before, after in zip(second_before, model.get_layer("second").get_weights()):
        np.testing.assert_array_equal(before, after)


def test_an_output_without_loss_has_no_loss_in_metrics_names():
    model = two_outputs()
    model.compile("sgd", {"first": "mse"})
    assert model.metrics_names == ["loss", "first_loss"]
    x = np.ones((4, 3), "float32")
    history = model.fit(x, [np.zeros((4, 1)), np.zeros((4, 2))], verbose=0)
    assert sorted(history.history) == ["first_loss", "loss"]


def test_metrics_given_as_one_list_per_output_and_weighted_metrics():
    model = two_outputs()
    model.compile("sgd", "mse", metrics=[["mae"], []], weighted_metrics=["mse"])
    assert model.metrics_names == ["loss", "first_loss", "second_loss", "first_mae",
                                   "first_weighted_mse", "second_weighted_mse"]
    x = np.ones((4, 3), "float32")
    values = model.evaluate(x, [np.zeros((4, 1)), np.zeros((4, 2))], verbose=0)
    assert len(values) == 6
    # Unweighted, the weighted mse is the output's mse loss.
    assert values[4] == pytest.approx(values[1]) and values[5] == pytest.approx(values[2])


def test_fit_accepts_keras_1_nb_epoch_and_refuses_unknown_arguments():
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    history = model.fit(np.ones((4, 2)), np.ones((4, 1)), nb_epoch=3, verbose=0)
    assert len(history.history["loss"]) == 3
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['epoch'\]"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), epoch=3, verbose=0)


def test_keras_2_generator_methods():
    model = Sequential([Dense(1, input_shape=(2,), kernel_initializer="ones",
                              bias_initializer="zeros")])
    model.compile("sgd", "mse")

    def batches():
        while True:
            yield np.ones((2, 2), "float32"), np.full((2, 1), 2.0, "float32")

    assert model.evaluate_generator(batches(), steps=2) == pytest.approx(0.0)
    predictions = model.predict_generator((x for x, _ in batches()), steps=3)
    np.testing.assert_allclose(predictions, np.full((6, 1), 2.0))
    history = model.fit_generator(batches(), steps_per_epoch=2, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_reset_states_clears_a_stateful_lstm():
    model = Sequential([LSTM(3, stateful=True, batch_input_shape=(1, 2, 1))])
    x = np.ones((1, 2, 1), "float32")
    first = model.predict(x, verbose=0)
    second = model.predict(x, verbose=0)
    assert not np.allclose(first, second)  # the state carried over
    model.reset_states()
    np.testing.assert_allclose(model.predict(x, verbose=0), first, rtol=1e-6)
