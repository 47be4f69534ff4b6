"""Tests of `Progbar` and of what `fit` and `evaluate` print: Keras 2.3's exact format.

Under pytest's `capsys` the output is not a terminal, so every redraw of the bar is a
line of its own. A fake clock makes the times (ETA, seconds, time per step) exact.
"""
import re

import numpy as np
import pytest

from minikeras import backend
from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.utils import progbar as progbar_module
from minikeras.utils.progbar import Progbar, format_duration, format_time_per_unit


@pytest.fixture(autouse=True)
def _seeded():
    backend.set_seed(1234)  # the same initial weights in every run


class FakeClock:
    """Stands in for the `time` module inside `progbar`; `now` is set by the test."""

    def __init__(self, now=1000.0):
        self.now = now

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(progbar_module, "time", fake)
    return fake


def printed_lines(capsys):
    return capsys.readouterr().out.splitlines()


# ---- the bar, verbose=1 -----------------------------------------------------------------

def test_bar_line_has_keras_format(capsys):
    bar = Progbar(100, interval=0)
    bar.update(32, [("loss", 0.6931), ("acc", 0.5)])
    assert printed_lines(capsys) == [
        " 32/100 [========>.....................] - ETA: 0s - loss: 0.6931 - acc: 0.5000"]


def test_eta_and_final_line_with_exact_times(capsys, clock):
    bar = Progbar(100, interval=0)
    clock.now += 25.0  # 1 s per step: 75 steps left
    bar.update(25, [("loss", 1.0)])
    clock.now += 75.0
    bar.update(100, [("loss", 1.0)])
    assert printed_lines(capsys) == [
        " 25/100 [======>.......................] - ETA: 1:15 - loss: 1.0000",
        "100/100 [==============================] - 100s 1s/step - loss: 1.0000",
    ]


def test_final_line_gives_seconds_and_time_per_step(capsys, clock):
    bar = Progbar(100, interval=0)
    clock.now += 0.0045  # 45 microseconds per step
    bar.update(100, [("loss", 0.6931), ("acc", 0.5)])
    assert printed_lines(capsys) == [
        "100/100 [==============================] - 0s 45us/step - loss: 0.6931 - acc: 0.5000"]


def test_final_line_pattern_at_real_speed(capsys):
    bar = Progbar(100, interval=0)
    bar.update(100, [("loss", 0.25)])
    line, = printed_lines(capsys)
    assert re.fullmatch(r"100/100 \[={30}\] - \d+s \d+(us|ms|s)/step - loss: 0\.2500", line)


@pytest.mark.parametrize("seconds, expected", [(0.5, " 500ms/step"), (2.4, " 2s/step"),
                                               (3e-5, " 30us/step")])
def test_time_per_unit_format(seconds, expected):
    assert format_time_per_unit(seconds) == expected


@pytest.mark.parametrize("seconds, expected", [(5.9, "5s"), (125, "2:05"), (3725, "1:02:05")])
def test_eta_format(seconds, expected):
    assert format_duration(seconds) == expected


def test_values_are_averaged_over_steps_unless_stateful(capsys):
    bar = Progbar(100, interval=0, stateful_metrics=["acc"])
    bar.update(50, [("loss", 1.0), ("acc", 0.2)])
    bar.update(100, [("loss", 0.0), ("acc", 0.8)])
    last = printed_lines(capsys)[-1]
    assert last.endswith(" - loss: 0.5000 - acc: 0.8000")  # loss averaged, acc as given


def test_tiny_values_use_scientific_notation(capsys):
    bar = Progbar(10, interval=0)
    bar.update(5, [("loss", 0.0001), ("mae", -0.00002), ("zero", 0.0)])
    assert printed_lines(capsys)[0].endswith(
        " - loss: 1.0000e-04 - mae: -2.0000e-05 - zero: 0.0000e+00")


def test_unknown_target_counts_up_with_time_per_step(capsys, clock):
    bar = Progbar(None, interval=0)
    clock.now += 3.0
    bar.update(3, [("loss", 0.5)])
    assert printed_lines(capsys) == ["      3/Unknown - 3s 1s/step - loss: 0.5000"]


def test_interval_limits_redraws_but_not_the_final_line(capsys, clock):
    bar = Progbar(100, interval=10.0)
    for step in (10, 20, 30):
        clock.now += 1.0
        bar.update(step)
    clock.now += 1.0
    bar.update(100)
    lines = printed_lines(capsys)
    assert [line[:7] for line in lines] == [" 10/100", "100/100"]


def test_add_advances_the_bar(capsys):
    bar = Progbar(4, interval=0)
    bar.add(1)
    bar.add(3)
    assert [line[:3] for line in printed_lines(capsys)] == ["1/4", "4/4"]


# ---- verbose=2 and verbose=0 ------------------------------------------------------------

def test_verbose_2_prints_one_line_at_the_end(capsys, clock):
    bar = Progbar(100, verbose=2)
    bar.update(50, [("loss", 0.7)])
    assert capsys.readouterr().out == ""
    clock.now += 3.2
    bar.update(100, [("loss", 0.7), ("acc", 0.75)])
    assert printed_lines(capsys) == [" - 3s - loss: 0.7000 - acc: 0.7500"]


def test_verbose_0_prints_nothing(capsys):
    bar = Progbar(100, verbose=0)
    bar.update(50, [("loss", 0.7)])
    bar.update(100, [("loss", 0.7)])
    assert capsys.readouterr().out == ""


# ---- what fit and evaluate print --------------------------------------------------------

def small_model():
    model = Sequential([Dense(3, activation="relu", input_shape=(2,)),
                        Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=["acc"])
    return model


def small_data():
    x = np.linspace(-1, 1, 40, dtype="float32").reshape(20, 2)
    return x, (x[:, 0] > 0).astype("float32")


NUMBER = r"\d\.\d{4}(e[+-]\d+)?"  # such as 0.6931, or 0.0000e+00 for a zero accuracy
FINAL = r" - \d+s \d+(us|ms|s)/step"


def test_fit_verbose_1_prints_epochs_and_bars(capsys):
    x, y = small_data()
    small_model().fit(x, y, batch_size=8, epochs=2, verbose=1, shuffle=False)
    lines = printed_lines(capsys)
    assert lines[0] == "Epoch 1/2"
    assert "Epoch 2/2" in lines
    assert re.fullmatch(rf" 8/20 \[===========>\.{{18}}\] - ETA: \d+s - loss: {NUMBER} "
                        rf"- acc: {NUMBER}", lines[1])
    assert re.fullmatch(rf"20/20 \[={{30}}\]{FINAL} - loss: {NUMBER} - acc: {NUMBER}",
                        lines[-1])


def test_fit_verbose_1_final_line_shows_validation(capsys):
    x, y = small_data()
    small_model().fit(x, y, batch_size=8, epochs=1, verbose=1, validation_data=(x, y))
    last = printed_lines(capsys)[-1]
    assert re.fullmatch(rf"20/20 \[={{30}}\]{FINAL} - loss: {NUMBER} - acc: {NUMBER} "
                        rf"- val_loss: {NUMBER} - val_acc: {NUMBER}", last)


def test_fit_verbose_2_prints_one_line_per_epoch(capsys):
    x, y = small_data()
    small_model().fit(x, y, batch_size=8, epochs=2, verbose=2)
    lines = printed_lines(capsys)
    assert len(lines) == 4
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    for line in (lines[1], lines[3]):
        assert re.fullmatch(rf" - \d+s - loss: {NUMBER} - acc: {NUMBER}", line)


def test_fit_verbose_0_prints_nothing(capsys):
    x, y = small_data()
    small_model().fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""


def test_evaluate_verbose_1_prints_a_bar_without_values(capsys):
    x, y = small_data()
    small_model().evaluate(x, y, batch_size=8, verbose=1)
    assert re.fullmatch(rf"20/20 \[={{30}}\]{FINAL}", printed_lines(capsys)[-1])
