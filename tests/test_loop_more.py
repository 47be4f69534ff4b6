"""More tests of the training loop: validation arguments, `steps` on arrays, generators
without targets, and predicting with callbacks (Keras 2's `on_predict_*` hooks).
"""

import numpy as np
import pytest

from minikeras.callbacks import Callback
from minikeras.engine.naming import reset_names
from minikeras.layers import Dense
from minikeras.models import Sequential


@pytest.fixture(autouse=True)
def fresh_names():
    reset_names()
    yield


def linear_model():
    model = Sequential([Dense(1, input_shape=(2,), kernel_initializer="ones",
                              bias_initializer="zeros")])
    model.compile("sgd", "mse")
    return model


X = np.arange(20, dtype="float32").reshape(10, 2)
Y = X.sum(axis=1, keepdims=True)


class Recorder(Callback):
    """Records the hooks called, with their batch numbers."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append(("train", batch))

    def on_test_batch_end(self, batch, logs=None):
        self.calls.append(("test", batch))

    def on_predict_batch_end(self, batch, logs=None):
        self.calls.append(("predict", batch, logs["outputs"][0].shape[0]))

    def on_predict_end(self, logs=None):
        self.calls.append(("predict_end",))


def test_fit_needs_targets():
    with pytest.raises(ValueError, match="Targets `y` are required"):
        linear_model().fit(X, verbose=0)


def test_a_generator_without_targets_cannot_train():
    def inputs_only():
        while True:
            yield X[:2]

    with pytest.raises(ValueError, match="yielded inputs without targets"):
        linear_model().fit(inputs_only(), steps_per_epoch=1, verbose=0)


@pytest.mark.parametrize("validation_data", [X, (X,), (X, Y, None, None)])
def test_validation_data_must_be_a_pair_or_triple(validation_data):
    with pytest.raises(ValueError, match="validation_data must be a tuple"):
        linear_model().fit(X, Y, validation_data=validation_data, verbose=0)


def test_validation_data_may_be_a_generator():
    def batches():
        while True:
            yield X[:5], Y[:5]

    history = linear_model().fit(X, Y, epochs=1, validation_data=batches(), validation_steps=2,
                                 verbose=0)
    assert history.history["val_loss"] == [pytest.approx(0.0)]


@pytest.mark.parametrize("split, words", [
    (1.5, "validation_split must be between 0 and 1; received 1.5"),
    (1e-17, "leaves no samples for validation out of"),  # 1 - 1e-17 == 1.0
    (0.99, "leaves no samples for training out of"),
])
def test_validation_split_must_leave_samples_on_both_sides(split, words):
    with pytest.raises(ValueError, match=words):
        linear_model().fit(X, Y, validation_split=split, verbose=0)


def test_validation_split_is_for_arrays_only():
    def batches():
        while True:
            yield X, Y

    with pytest.raises(ValueError, match="validation_split is only supported for array data"):
        linear_model().fit(batches(), steps_per_epoch=1, validation_split=0.5, verbose=0)


def test_validation_split_takes_the_last_samples_as_keras_does():
    model = linear_model()
    history = model.fit(X, Y, epochs=1, batch_size=10, validation_split=0.2, verbose=0,
                        shuffle=False)
    assert model.evaluate(X[8:], Y[8:], verbose=0) == pytest.approx(
        history.history["val_loss"][0], rel=1e-5)


def test_steps_limit_the_batches_taken_from_arrays():
    model, recorder = linear_model(), Recorder()
    model.fit(X, Y, batch_size=2, epochs=1, steps_per_epoch=2, callbacks=[recorder], verbose=0)
    assert recorder.calls == [("train", 0), ("train", 1)]
    recorder.calls.clear()
    model.evaluate(X, Y, batch_size=2, steps=3, callbacks=[recorder], verbose=0)
    assert recorder.calls == [("test", 0), ("test", 1), ("test", 2)]
    assert model.predict(X, batch_size=2, steps=2, verbose=0).shape == (4, 1)


def test_predict_calls_the_predict_hooks_with_each_batch_output():
    recorder = Recorder()
    predictions = linear_model().predict(X, batch_size=4, callbacks=[recorder], verbose=0)
    np.testing.assert_allclose(predictions, Y)
    assert recorder.calls == [("predict", 0, 4), ("predict", 1, 4), ("predict", 2, 2),
                              ("predict_end",)]


def test_predict_on_a_generator_with_a_progress_bar(capsys):
    def batches():
        for start in range(0, 10, 5):
            yield X[start:start + 5]

    predictions = linear_model().predict(batches(), steps=2, verbose=1)
    np.testing.assert_allclose(predictions, Y)
    assert "2/2" in capsys.readouterr().out


def test_a_generator_that_runs_out_early_ends_training_with_a_warning():
    model = linear_model()
    batches = iter([(X[:2], Y[:2])])
    with pytest.warns(UserWarning, match="ran out of data after 1 of 3 batches"):
        history = model.fit(batches, steps_per_epoch=3, epochs=4, verbose=0)
    assert len(history.history["loss"]) == 1  # training stopped after the first epoch


def test_a_generator_that_runs_out_early_predicts_what_it_gave():
    model = linear_model()
    with pytest.warns(UserWarning, match="ran out of data after 2 of 3 batches"):
        predictions = model.predict((X[i:i + 2] for i in (0, 2)), steps=3, verbose=0)
    np.testing.assert_allclose(predictions, model.predict(X[:4], verbose=0), rtol=1e-6)


def test_predict_of_an_empty_sequence_is_an_error():
    from minikeras.utils import Sequence

    class Empty(Sequence):
        def __len__(self):
            return 0

        def __getitem__(self, index):
            raise IndexError(index)

    with pytest.raises(ValueError, match="predict\\(\\) received no batches"):
        linear_model().predict(Empty(), verbose=0)
