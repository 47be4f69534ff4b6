"""Tests of the callbacks, the hooks `fit`, `evaluate` and `predict` call, and `Sequence`.

Where a callback reacts to a monitored value, a `LambdaCallback` placed before it writes
a scripted value into the epoch's logs (`"score"`), so each test knows exactly which
epoch is the best one.
"""
import collections
import csv
import os

import h5py
import numpy as np
import pytest

from minikeras import backend, callbacks
from minikeras.callbacks import (Callback, CSVLogger, EarlyStopping, LambdaCallback,
                                 LearningRateScheduler, ModelCheckpoint, ReduceLROnPlateau,
                                 TerminateOnNaN)
from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.optimizers import SGD
from minikeras.utils.data_utils import Sequence


@pytest.fixture(autouse=True)
def _seeded():
    backend.set_seed(1234)  # the same initial weights in every run


def small_model(metrics=("acc",), lr=0.1):
    model = Sequential([Dense(3, activation="relu", input_shape=(2,)),
                        Dense(1, activation="sigmoid")])
    model.compile(SGD(lr=lr), "binary_crossentropy", metrics=list(metrics))
    return model


def small_data(n_samples=20):
    x = np.linspace(-1, 1, 2 * n_samples, dtype="float32").reshape(n_samples, 2)
    return x, (x[:, 0] > 0).astype("float32")


def scripted(values, name="score"):
    """A callback that writes `values[epoch]` into the epoch's logs under `name`."""
    return LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update({name: values[epoch]}))


def weights_recorder(record):
    """A callback that appends the model's weights to `record` after every epoch."""
    recorder = LambdaCallback()
    recorder.on_epoch_end = lambda epoch, logs: record.append(recorder.model.get_weights())
    return recorder


def same_weights(first, second):
    return all(np.array_equal(a, b) for a, b in zip(first, second))


# ---- History ----------------------------------------------------------------------------

@pytest.mark.parametrize("metric", ["acc", "accuracy"])
def test_history_keys_use_the_metric_name_given(metric):
    x, y = small_data()
    history = small_model([metric]).fit(x, y, epochs=2, verbose=0, validation_data=(x, y))
    assert set(history.history) == {"loss", metric, "val_loss", "val_" + metric}
    assert history.epoch == [0, 1]
    assert all(len(values) == 2 for values in history.history.values())


def test_history_records_epochs_from_initial_epoch():
    x, y = small_data()
    history = small_model().fit(x, y, epochs=3, initial_epoch=1, verbose=0)
    assert history.epoch == [1, 2]
    assert set(history.history) == {"loss", "acc"}


# ---- every hook, counted ----------------------------------------------------------------

class CountingCallback(Callback):
    """Counts the calls of every hook (the batch ones under both of their names)."""

    def __init__(self):
        super().__init__()
        self.calls = collections.Counter()


def _counting_hook(name, parent_hook):
    def hook(self, *args):
        self.calls[name] += 1
        if parent_hook is not None:  # on_train_batch_* also call on_batch_*, as in Keras
            parent_hook(self, *args)
    return hook


for _name in callbacks._HOOKS:
    _parent = getattr(Callback, _name) if _name.startswith("on_train_batch") else None
    setattr(CountingCallback, _name, _counting_hook(_name, _parent))


def only(calls, **expected):
    """Checks that `calls` holds exactly the expected counts (all other hooks: zero)."""
    assert dict(calls) == {f"on_{name}": count for name, count in expected.items()}


def test_fit_calls_each_hook_the_expected_number_of_times():
    x, y = small_data(30)
    counter = CountingCallback()
    small_model().fit(x, y, batch_size=10, epochs=2, verbose=0, callbacks=[counter])
    only(counter.calls, train_begin=1, train_end=1, epoch_begin=2, epoch_end=2,
         train_batch_begin=6, train_batch_end=6, batch_begin=6, batch_end=6)
    assert counter.params["epochs"] == 2
    assert counter.params["steps"] == 3
    assert counter.params["samples"] == 30
    assert counter.params["metrics"] == ["loss", "acc"]
    assert counter.model is not None


def test_fit_validation_calls_the_test_hooks():
    x, y = small_data(30)
    counter = CountingCallback()
    small_model().fit(x, y, batch_size=10, epochs=2, verbose=0, validation_data=(x, y),
                      callbacks=[counter])
    assert counter.calls["on_test_begin"] == 2
    assert counter.calls["on_test_batch_end"] == 6
    assert counter.calls["on_test_end"] == 2


def test_evaluate_calls_the_test_hooks():
    x, y = small_data(30)
    counter = CountingCallback()
    small_model().evaluate(x, y, batch_size=10, verbose=0, callbacks=[counter])
    only(counter.calls, test_begin=1, test_end=1, test_batch_begin=3, test_batch_end=3)


def test_predict_calls_the_predict_hooks():
    x, _ = small_data(30)
    counter = CountingCallback()
    small_model().predict(x, batch_size=10, callbacks=[counter])
    only(counter.calls, predict_begin=1, predict_end=1, predict_batch_begin=3,
         predict_batch_end=3)


def test_batch_logs_hold_batch_size_and_running_averages():
    x, y = small_data(25)
    seen = []
    logger = LambdaCallback(on_batch_end=lambda batch, logs: seen.append(dict(logs)))
    history = small_model().fit(x, y, batch_size=10, epochs=1, verbose=0, shuffle=False,
                                callbacks=[logger])
    assert [(logs["batch"], logs["size"]) for logs in seen] == [(0, 10), (1, 10), (2, 5)]
    assert seen[-1]["loss"] == pytest.approx(history.history["loss"][0])


# ---- LambdaCallback ---------------------------------------------------------------------

def test_lambda_callback_hooks_are_called_in_order():
    x, y = small_data()
    events = []
    tracer = LambdaCallback(
        on_train_begin=lambda logs: events.append("train_begin"),
        on_epoch_begin=lambda epoch, logs: events.append(f"epoch_begin {epoch}"),
        on_batch_begin=lambda batch, logs: events.append(f"batch_begin {batch}"),
        on_batch_end=lambda batch, logs: events.append(f"batch_end {batch}"),
        on_epoch_end=lambda epoch, logs: events.append(f"epoch_end {epoch}"),
        on_train_end=lambda logs: events.append("train_end"))
    small_model().fit(x, y, batch_size=10, epochs=2, verbose=0, callbacks=[tracer])
    one_epoch = ["batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1"]
    assert events == (["train_begin", "epoch_begin 0", *one_epoch, "epoch_end 0",
                       "epoch_begin 1", *one_epoch, "epoch_end 1", "train_end"])


def test_lambda_callback_takes_other_hooks_as_keyword_arguments():
    x, y = small_data()
    events = []
    tracer = LambdaCallback(on_test_begin=lambda logs: events.append("test_begin"))
    small_model().evaluate(x, y, verbose=0, callbacks=[tracer])
    assert events == ["test_begin"]


# ---- TerminateOnNaN ---------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
def test_terminate_on_nan_stops_training_with_a_message(capsys):
    x, y = small_data()
    x[12, 0] = np.nan  # in the second batch
    batches = []
    counter = LambdaCallback(on_batch_end=lambda batch, logs: batches.append(batch))
    history = small_model().fit(x, y, batch_size=5, epochs=5, verbose=0, shuffle=False,
                                callbacks=[TerminateOnNaN(), counter])
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out
    assert batches == [0, 1, 2]
    assert history.epoch == [0]
    assert np.isnan(history.history["loss"][0])


def test_terminate_on_nan_also_stops_on_infinity(capsys):
    stopper = TerminateOnNaN()
    stopper.set_model(small_model())
    stopper.on_batch_end(4, {"loss": np.inf})
    assert stopper.model.stop_training
    assert capsys.readouterr().out == "Batch 4: Invalid loss, terminating training\n"


# ---- EarlyStopping ----------------------------------------------------------------------

def test_early_stopping_restores_the_best_epochs_weights(capsys):
    x, y = small_data()
    model = small_model(lr=0.5)
    weights_after_epoch = []
    stopper = EarlyStopping(monitor="score", patience=2, verbose=1,
                            restore_best_weights=True)
    history = model.fit(x, y, epochs=10, verbose=0, callbacks=[
        scripted([3.0, 1.0, 2.0, 2.5, 0.1]), weights_recorder(weights_after_epoch), stopper])
    assert history.epoch == [0, 1, 2, 3]  # epochs 2 and 3 did not improve on epoch 1
    assert stopper.stopped_epoch == 3
    assert stopper.best == 1.0
    assert not same_weights(weights_after_epoch[1], weights_after_epoch[3])
    assert same_weights(model.get_weights(), weights_after_epoch[1])
    out = capsys.readouterr().out
    assert "Restoring model weights from the end of the best epoch" in out
    assert "Epoch 00004: early stopping" in out


def test_early_stopping_keeps_last_weights_by_default():
    x, y = small_data()
    model = small_model(lr=0.5)
    weights_after_epoch = []
    model.fit(x, y, epochs=10, verbose=0, callbacks=[
        scripted([3.0, 1.0, 2.0, 2.5]), weights_recorder(weights_after_epoch),
        EarlyStopping(monitor="score", patience=2)])
    assert same_weights(model.get_weights(), weights_after_epoch[3])


def test_early_stopping_on_real_validation_loss():
    x, y = small_data()
    stopper = EarlyStopping(patience=1, min_delta=10.0)  # no change is that large
    history = small_model().fit(x, y, epochs=10, verbose=0, validation_data=(x, y),
                                callbacks=[stopper])
    assert history.epoch == [0, 1]


def test_early_stopping_max_mode_and_min_delta():
    x, y = small_data()
    stopper = EarlyStopping(monitor="val_acc", min_delta=0.1, patience=1)
    assert stopper.monitor_op is np.greater
    history = small_model().fit(x, y, epochs=10, verbose=0, callbacks=[
        scripted([0.5, 0.55, 0.7], name="val_acc"), stopper])
    assert history.epoch == [0, 1]  # 0.55 is not 0.1 better than 0.5
    assert stopper.best == 0.5


def test_early_stopping_baseline_must_be_beaten():
    x, y = small_data()
    history = small_model().fit(x, y, epochs=10, verbose=0, callbacks=[
        scripted([0.9, 0.8, 0.7, 0.1]), EarlyStopping(monitor="score", baseline=0.5,
                                                      patience=3)])
    assert history.epoch == [0, 1, 2]


@pytest.mark.parametrize("monitor, mode, op", [
    ("val_loss", "auto", np.less), ("acc", "auto", np.greater),
    ("val_accuracy", "auto", np.greater), ("loss", "max", np.greater),
    ("val_acc", "min", np.less)])
def test_monitor_direction(monitor, mode, op):
    assert EarlyStopping(monitor=monitor, mode=mode).monitor_op is op
    assert ModelCheckpoint("unused.h5", monitor=monitor, mode=mode).monitor_op is op


def test_unknown_mode_warns_and_falls_back_to_auto():
    with pytest.warns(RuntimeWarning, match="EarlyStopping mode bigger is unknown"):
        stopper = EarlyStopping(monitor="val_acc", mode="bigger")
    assert stopper.monitor_op is np.greater


def test_early_stopping_warns_when_the_monitored_value_is_missing():
    x, y = small_data()
    with pytest.warns(RuntimeWarning, match="Early stopping conditioned on metric `val_loss` "
                                            "which is not available. Available metrics are: "
                                            "loss,acc"):
        history = small_model().fit(x, y, epochs=2, verbose=0, callbacks=[EarlyStopping()])
    assert history.epoch == [0, 1]


# ---- ModelCheckpoint --------------------------------------------------------------------

def test_checkpoint_writes_the_files_its_template_names(tmp_path):
    x, y = small_data()
    template = str(tmp_path / "w.{epoch:02d}-{val_loss:.2f}.h5")
    history = small_model().fit(x, y, epochs=3, verbose=0, validation_data=(x, y),
                                callbacks=[ModelCheckpoint(template)])
    expected = {f"w.{epoch + 1:02d}-{val_loss:.2f}.h5"
                for epoch, val_loss in enumerate(history.history["val_loss"])}
    assert set(os.listdir(tmp_path)) == expected
    with h5py.File(tmp_path / sorted(expected)[-1], "r") as saved:
        assert "model_weights" in saved and "model_config" in saved.attrs


def test_checkpoint_save_best_only_saves_improvements(tmp_path, capsys):
    x, y = small_data()
    weights_after_epoch = []
    checkpoint = ModelCheckpoint(tmp_path / "best.{epoch:02d}.h5", monitor="score",
                                 save_best_only=True, save_weights_only=True, verbose=1)
    small_model().fit(x, y, epochs=4, verbose=0, callbacks=[
        scripted([3.0, 1.0, 2.0, 0.5]), weights_recorder(weights_after_epoch), checkpoint])
    assert sorted(os.listdir(tmp_path)) == ["best.01.h5", "best.02.h5", "best.04.h5"]
    restored = small_model()
    restored.load_weights(str(tmp_path / "best.02.h5"))
    assert same_weights(restored.get_weights(), weights_after_epoch[1])
    out = capsys.readouterr().out
    assert "Epoch 00002: score improved from 3.00000 to 1.00000, saving model to" in out
    assert "Epoch 00003: score did not improve from 1.00000" in out


def test_checkpoint_one_file_keeps_the_best_weights(tmp_path):
    x, y = small_data()
    weights_after_epoch = []
    path = tmp_path / "best.h5"
    small_model().fit(x, y, epochs=4, verbose=0, callbacks=[
        scripted([0.5, 0.9, 0.7, 0.6], name="val_acc"), weights_recorder(weights_after_epoch),
        ModelCheckpoint(path, monitor="val_acc", save_best_only=True, save_weights_only=True)])
    assert os.listdir(tmp_path) == ["best.h5"]
    restored = small_model()
    restored.load_weights(str(path))
    assert same_weights(restored.get_weights(), weights_after_epoch[1])


def test_checkpoint_period(tmp_path):
    x, y = small_data()
    small_model().fit(x, y, epochs=5, verbose=0, callbacks=[
        ModelCheckpoint(str(tmp_path / "e{epoch}.h5"), save_weights_only=True, period=2)])
    assert sorted(os.listdir(tmp_path)) == ["e2.h5", "e4.h5"]


def test_checkpoint_warns_and_skips_without_the_monitored_value(tmp_path):
    x, y = small_data()
    with pytest.warns(RuntimeWarning, match="Can save best model only with val_loss "
                                            "available, skipping."):
        small_model().fit(x, y, epochs=1, verbose=0, callbacks=[
            ModelCheckpoint(str(tmp_path / "m.h5"), save_best_only=True)])
    assert os.listdir(tmp_path) == []


def test_checkpoint_template_naming_a_missing_value_says_so(tmp_path):
    x, y = small_data()
    with pytest.raises(KeyError, match="the logs of epoch 1 have no 'val_loss'"):
        small_model().fit(x, y, epochs=1, verbose=0, callbacks=[
            ModelCheckpoint(str(tmp_path / "w.{val_loss:.2f}.h5"))])


# ---- ReduceLROnPlateau ------------------------------------------------------------------

def test_reduce_lr_on_plateau_lowers_the_learning_rate(capsys):
    x, y = small_data()
    model = small_model(lr=0.1)
    history = model.fit(x, y, epochs=4, verbose=0, callbacks=[
        scripted([1.0, 1.0, 1.0, 1.0]),
        ReduceLROnPlateau(monitor="score", factor=0.5, patience=1, verbose=1)])
    assert history.history["lr"] == pytest.approx([0.1, 0.1, 0.05, 0.025])
    assert model.optimizer.lr == pytest.approx(0.0125)
    assert "Epoch 00002: ReduceLROnPlateau reducing learning rate to 0.05." in \
        capsys.readouterr().out


def test_reduce_lr_on_plateau_respects_min_lr_and_cooldown():
    x, y = small_data()
    model = small_model(lr=0.1)
    history = model.fit(x, y, epochs=6, verbose=0, callbacks=[
        scripted([1.0] * 6),
        ReduceLROnPlateau(monitor="score", factor=0.1, patience=1, cooldown=2,
                          min_lr=0.005)])
    # Reduced at the end of epoch 1. The cooldown counter is counted down at the start of
    # each later check (epochs 2 and 3), so epoch 3 already counts as a waiting epoch and
    # the lr is reduced again there: to min_lr, where it stays.
    assert history.history["lr"] == pytest.approx([0.1, 0.1, 0.01, 0.01, 0.005, 0.005])
    assert model.optimizer.lr == pytest.approx(0.005)


def test_reduce_lr_on_plateau_waits_while_improving():
    x, y = small_data()
    model = small_model(lr=0.1)
    model.fit(x, y, epochs=4, verbose=0, callbacks=[
        scripted([4.0, 3.0, 2.0, 1.0]), ReduceLROnPlateau(monitor="score", patience=1)])
    assert model.optimizer.lr == pytest.approx(0.1)


def test_reduce_lr_on_plateau_arguments():
    with pytest.warns(UserWarning, match="`epsilon` argument is deprecated"):
        reducer = ReduceLROnPlateau(epsilon=0.5)
    assert reducer.min_delta == 0.5
    with pytest.raises(ValueError, match="factor >= 1.0"):
        ReduceLROnPlateau(factor=1.5)
    with pytest.raises(TypeError, match="patiense"):
        ReduceLROnPlateau(patiense=3)


# ---- LearningRateScheduler --------------------------------------------------------------

def test_scheduler_sets_the_learning_rate_each_epoch(capsys):
    x, y = small_data()
    model = small_model(lr=0.1)
    rates_used = []
    spy = LambdaCallback(on_epoch_begin=lambda epoch, logs: rates_used.append(
        model.optimizer.lr))
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[
        LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1), verbose=1), spy])
    assert rates_used == pytest.approx([0.1, 0.05, 0.1 / 3])
    assert history.history["lr"] == pytest.approx([0.1, 0.05, 0.1 / 3])
    assert "Epoch 00002: LearningRateScheduler setting learning rate to 0.05." in \
        capsys.readouterr().out


def test_scheduler_with_epoch_and_lr():
    x, y = small_data()
    model = small_model(lr=0.1)
    model.fit(x, y, epochs=3, verbose=0,
              callbacks=[LearningRateScheduler(lambda epoch, lr: lr * 0.5)])
    assert model.optimizer.lr == pytest.approx(0.0125)


def test_scheduler_must_return_a_float():
    x, y = small_data()
    with pytest.raises(ValueError, match="should be float"):
        small_model().fit(x, y, epochs=1, verbose=0,
                          callbacks=[LearningRateScheduler(lambda epoch: "fast")])


# ---- CSVLogger --------------------------------------------------------------------------

def read_csv(path, separator=","):
    with open(path, newline="") as file:
        return list(csv.reader(file, delimiter=separator))


def test_csv_logger_writes_header_and_one_row_per_epoch(tmp_path):
    x, y = small_data()
    path = tmp_path / "log.csv"
    history = small_model().fit(x, y, epochs=2, verbose=0, validation_data=(x, y),
                                callbacks=[CSVLogger(str(path))])
    rows = read_csv(path)
    assert rows[0] == ["epoch", "acc", "loss", "val_acc", "val_loss"]
    assert [row[0] for row in rows[1:]] == ["0", "1"]
    for epoch, row in enumerate(rows[1:]):
        for name, text in zip(rows[0][1:], row[1:]):
            assert float(text) == history.history[name][epoch]


def test_csv_logger_append_and_overwrite(tmp_path):
    x, y = small_data()
    path = tmp_path / "log.csv"
    model = small_model()
    model.fit(x, y, epochs=2, verbose=0, callbacks=[CSVLogger(path)])
    model.fit(x, y, epochs=4, initial_epoch=2, verbose=0, callbacks=[CSVLogger(path,
                                                                               append=True)])
    rows = read_csv(path)
    assert rows[0] == ["epoch", "acc", "loss"]
    assert [row[0] for row in rows[1:]] == ["0", "1", "2", "3"]
    model.fit(x, y, epochs=1, verbose=0, callbacks=[CSVLogger(path)])
    assert [row[0] for row in read_csv(path)] == ["epoch", "0"]


def test_csv_logger_append_to_a_new_file_writes_the_header(tmp_path):
    x, y = small_data()
    path = tmp_path / "new.csv"
    small_model().fit(x, y, epochs=1, verbose=0, callbacks=[CSVLogger(path, append=True)])
    assert read_csv(path)[0] == ["epoch", "acc", "loss"]


def test_csv_logger_separator_and_lr_column(tmp_path):
    x, y = small_data()
    path = tmp_path / "log.tsv"
    small_model().fit(x, y, epochs=2, verbose=0, callbacks=[
        LearningRateScheduler(lambda epoch: 0.2), CSVLogger(path, separator="\t")])
    rows = read_csv(path, "\t")
    assert rows[0] == ["epoch", "acc", "loss", "lr"]
    assert [row[3] for row in rows[1:]] == ["0.2", "0.2"]


# ---- Sequence ---------------------------------------------------------------------------

class ArraySequence(Sequence):
    """Batches of two arrays; counts the batches served and the epochs ended."""

    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size
        self.served = []
        self.epochs_ended = 0

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, index):
        self.served.append(index)
        batch = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[batch], self.y[batch]

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_fit_on_a_sequence_sees_every_batch_once_per_epoch():
    x, y = small_data(25)
    sequence = ArraySequence(x, y, batch_size=10)
    counter = CountingCallback()
    history = small_model().fit(sequence, epochs=2, verbose=0, callbacks=[counter])
    assert sorted(sequence.served) == [0, 0, 1, 1, 2, 2]
    assert sequence.epochs_ended == 2
    assert counter.params["steps"] == 3
    assert counter.calls["on_train_batch_end"] == 6
    assert history.epoch == [0, 1]


def test_sequence_iterates_over_its_batches_in_order():
    x, y = small_data(25)
    batches = list(ArraySequence(x, y, batch_size=10))
    assert [len(batch_x) for batch_x, _ in batches] == [10, 10, 5]
    np.testing.assert_array_equal(batches[1][0], x[10:20])


def test_predict_and_evaluate_on_a_sequence():
    x, y = small_data(25)
    model = small_model()
    predictions = model.predict(ArraySequence(x, y, batch_size=10))
    np.testing.assert_allclose(predictions, model.predict(x), rtol=1e-6)
    assert model.evaluate(ArraySequence(x, y, 10), verbose=0) == pytest.approx(
        model.evaluate(x, y, verbose=0), rel=1e-5)


def test_sequence_base_class_requires_getitem_and_len():
    sequence = Sequence()
    with pytest.raises(NotImplementedError, match="__len__"):
        len(sequence)
    with pytest.raises(NotImplementedError, match="__getitem__"):
        sequence[0]
    sequence.on_epoch_end()  # does nothing
