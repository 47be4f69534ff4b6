"""Tests of compile / fit / evaluate / predict, input checks, and custom training loops."""
import threading

import numpy as np
import pytest

from minikeras import GradientTape, backend, ops
from minikeras.engine.naming import reset_names
from minikeras.layers import Dense, Input
from minikeras.models import Model, Sequential
from minikeras.optimizers import SGD, Adam


@pytest.fixture(autouse=True)
def fresh_names():
    reset_names()


def case_study_mlp():
    inputs = Input(shape=(10,))
    x = Dense(10, activation="relu")(inputs)
    x = Dense(20, activation="relu")(x)
    x = Dense(10, activation="relu")(x)
    outputs = Dense(1, activation="sigmoid")(x)
    return Model(inputs=inputs, outputs=outputs)


def xor_like_data(n=400, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 10)).astype("float32")
    y = ((x[:, 0] > 0) ^ (x[:, 1] > 0)).astype("float32")
    return x, y


def test_the_case_study_mlp_learns_xor_like_data_to_full_accuracy():
    backend.set_seed(1)
    x, y = xor_like_data()
    model = case_study_mlp()
    model.compile(optimizer=Adam(lr=0.01), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=60, batch_size=32, verbose=0)
    assert history.history["accuracy"][-1] == 1.0
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy == 1.0 and loss < 0.1


def test_history_uses_the_names_the_user_gave_and_val_prefix():
    x, y = xor_like_data(100)
    model = case_study_mlp()
    model.compile("sgd", "binary_crossentropy", metrics=["acc", "mae"])
    history = model.fit(x, y, epochs=2, verbose=0, validation_split=0.25)
    assert sorted(history.history) == ["acc", "loss", "mae", "val_acc", "val_loss", "val_mae"]
    assert len(history.history["loss"]) == 2 and history.epoch == [0, 1]
    assert model.metrics_names == ["loss", "acc", "mae"]


def test_epoch_values_are_the_sample_weighted_mean_over_batches():
    model = Sequential([Dense(1, input_shape=(2,), kernel_initializer="ones")])
    model.compile(SGD(lr=0.0), "mse")
    x = np.array([[1, 0], [0, 1], [1, 1]], dtype="float32")
    y = np.zeros((3, 1), dtype="float32")
    history = model.fit(x, y, batch_size=2, epochs=1, verbose=0, shuffle=False)
    # Batch losses: mean(1, 1) = 1 over 2 samples, then 4 over 1 sample.
    assert history.history["loss"][0] == pytest.approx((1 * 2 + 4 * 1) / 3)


def test_same_seed_same_data_gives_identical_weights():
    def train():
        reset_names()
        backend.set_seed(42)
        x, y = xor_like_data(128)
        model = case_study_mlp()
        model.compile("adam", "binary_crossentropy")
        model.fit(x, y, epochs=2, batch_size=16, verbose=0)
        return model.get_weights()

    for first, second in zip(train(), train()):
        np.testing.assert_array_equal(first, second)


def test_eight_threads_predicting_at_once_give_the_serial_results():
    model = case_study_mlp()
    rng = np.random.default_rng(5)
    inputs = [rng.normal(size=(7, 10)).astype("float32") for _ in range(8)]
    expected = [model.predict(x, batch_size=3) for x in inputs]
    results = {index: [] for index in range(8)}
    barrier = threading.Barrier(8)

    def worker(index):
        barrier.wait()
        for _ in range(50):
            results[index].append(model.predict(inputs[index], batch_size=3))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for index in range(8):
        assert len(results[index]) == 50
        for result in results[index]:
            np.testing.assert_array_equal(result, expected[index])


def test_custom_training_loop_with_gradient_tape():
    backend.set_seed(0)
    x, y = xor_like_data(200)
    model = case_study_mlp()
    optimizer = Adam(learning_rate=0.01)
    from minikeras.losses import binary_crossentropy
    first_loss = None
    for _ in range(150):
        with GradientTape() as tape:
            predictions = model(x, training=True)
            loss = ops.mean(binary_crossentropy(y.reshape(-1, 1), predictions))
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        first_loss = first_loss if first_loss is not None else float(loss.numpy())
    assert float(loss.numpy()) < first_loss / 2


def test_train_test_and_predict_on_batch():
    x, y = xor_like_data(16)
    model = case_study_mlp()
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    loss, accuracy = model.train_on_batch(x, y)
    assert np.isfinite(loss) and 0 <= accuracy <= 1
    assert isinstance(model.test_on_batch(x, y), list)
    assert model.predict_on_batch(x).shape == (16, 1)


def test_multi_output_losses_weights_and_history_names():
    inputs = Input(shape=(4,))
    hidden = Dense(8, activation="relu")(inputs)
    first = Dense(1, activation="sigmoid", name="first")(hidden)
    second = Dense(3, activation="softmax", name="second")(hidden)
    model = Model(inputs, [first, second])
    model.compile("adam", loss={"first": "binary_crossentropy",
                                "second": "categorical_crossentropy"},
                  loss_weights=[1.0, 0.5], metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4))
    y1 = rng.integers(0, 2, size=(32, 1))
    y2 = np.eye(3)[rng.integers(0, 3, size=32)]
    history = model.fit(x, [y1, y2], epochs=1, verbose=0)
    assert sorted(history.history) == ["first_accuracy", "first_loss", "loss",
                                       "second_accuracy", "second_loss"]
    loss, first_loss, second_loss = model.evaluate(x, [y1, y2], verbose=0)[:3]
    assert loss == pytest.approx(first_loss + 0.5 * second_loss, rel=1e-5)


def test_regularization_losses_are_added_to_the_loss():
    from minikeras.regularizers import l2
    model = Sequential([Dense(1, input_shape=(2,), kernel_initializer="ones",
                              kernel_regularizer=l2(0.5))])
    model.compile(SGD(lr=0.0), "mse")
    x, y = np.zeros((4, 2)), np.zeros((4, 1))
    assert model.evaluate(x, y, verbose=0) == pytest.approx(0.5 * 2)


def test_activity_regularizer_adds_its_penalty_during_fit():
    from minikeras.regularizers import l1
    model = Sequential([Dense(1, input_shape=(1,), kernel_initializer="ones",
                              activity_regularizer=l1(0.1))])
    model.compile(SGD(lr=0.0), "mae")
    x = np.array([[2.0], [4.0]])
    loss = model.evaluate(x, x, verbose=0)
    assert loss == pytest.approx(0.1 * (2 + 4))


def test_class_weight_and_sample_weight_scale_the_loss():
    model = Sequential([Dense(1, input_shape=(1,), kernel_initializer="zeros",
                              bias_initializer="zeros")])
    model.compile(SGD(lr=0.0), "mse")
    x, y = np.ones((2, 1)), np.array([[1.0], [0.0]])
    plain = model.fit(x, y, epochs=1, verbose=0, shuffle=False).history["loss"][0]
    weighted = model.fit(x, y, epochs=1, verbose=0, class_weight={1: 3.0, 0: 1.0},
                         shuffle=False).history["loss"][0]
    assert plain == pytest.approx(0.5) and weighted == pytest.approx(1.5)
    sample = model.fit(x, y, epochs=1, verbose=0, sample_weight=np.array([2.0, 0.0]),
                       shuffle=False).history["loss"][0]
    assert sample == pytest.approx(1.0)


def test_generator_and_sequence_inputs():
    x, y = xor_like_data(64)

    def batches():
        while True:
            for start in range(0, 64, 16):
                yield x[start:start + 16], y[start:start + 16]

    model = case_study_mlp()
    model.compile("adam", "binary_crossentropy")
    history = model.fit(batches(), steps_per_epoch=4, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    history = model.fit_generator(batches(), steps_per_epoch=4, epochs=1, verbose=0,
                                  validation_data=batches(), validation_steps=2)
    assert "val_loss" in history.history
    assert np.isfinite(model.evaluate_generator(batches(), steps=2))
    predictions = model.predict_generator((x[i:i + 16] for i in range(0, 64, 16)), steps=4)
    assert predictions.shape == (64, 1)
    with pytest.raises(ValueError, match="steps_per_epoch"):
        model.fit(batches(), epochs=1, verbose=0)


@pytest.mark.parametrize("x, y, message", [
    (np.zeros((4, 12)), np.zeros(4), "expected input_1 to have shape \\(10,\\) but got array "
                                     "with shape \\(12,\\)"),
    (np.zeros((4, 10, 1)), np.zeros(4), "expected input_1 to have 2 dimensions"),
    (np.zeros((4, 10)), np.zeros(3), "Found 4 input samples and 3 target samples"),
    (np.array([["a"] * 10] * 4), np.zeros(4), "must hold numbers"),
    (np.zeros((0, 10)), np.zeros(0), "non-empty"),
])
def test_bad_data_gives_keras_worded_errors(x, y, message):
    model = case_study_mlp()
    model.compile("adam", "binary_crossentropy")
    with pytest.raises(ValueError, match=message):
        model.fit(x, y, verbose=0)


def test_integer_labels_with_categorical_crossentropy_suggest_the_fix():
    inputs = Input(shape=(4,))
    model = Model(inputs, Dense(3, activation="softmax")(inputs))
    model.compile("adam", "categorical_crossentropy")
    with pytest.raises(ValueError, match="(?s)to_categorical.*sparse_categorical_crossentropy"):
        model.fit(np.zeros((5, 4)), np.array([0, 1, 2, 1, 0]), verbose=0)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(np.zeros((5, 4)), np.array([0, 1, 2, 1, 0]), verbose=0)
    with pytest.raises(ValueError, match="integer class indices"):
        model.fit(np.zeros((5, 4)), np.eye(3)[[0, 1, 2, 1, 0]], verbose=0)


def test_fit_before_compile_is_a_clear_error():
    with pytest.raises(RuntimeError, match="compile"):
        case_study_mlp().fit(np.zeros((2, 10)), np.zeros(2), verbose=0)


def test_progress_bar_output_of_fit(capsys):
    x, y = xor_like_data(64)
    model = case_study_mlp()
    model.compile("adam", "binary_crossentropy", metrics=["acc"])
    model.fit(x, y, epochs=1, batch_size=32, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/1" in out
    assert "64/64 [==============================]" in out
    assert " - loss: " in out and " - acc: " in out
    model.fit(x, y, epochs=2, verbose=2)
    lines = [line for line in capsys.readouterr().out.splitlines() if line]
    assert len(lines) == 4 and lines[1].startswith(" - ") and " - loss: " in lines[1]
    model.fit(x, y, epochs=1, verbose=0)
    assert capsys.readouterr().out == ""
