"""Tests of the fused LSTM and GRU loops of `minikeras.kernels.recurrent`, on the arrays.

What the kernels skip must change nothing, to the last bit: no mask (None) gives what an
all-true mask gives, and the GRU without a recurrent bias (None) gives what a zero bias
gives. The layers' tests (`test_layers_recurrent.py`) check the kernels' results against
Keras's formulas, the reference loop and central differences.
"""
import numpy as np
import pytest

from minikeras.kernels import recurrent as kernels

TIMESTEPS, BATCH, UNITS = 5, 3, 4


def uniform(shape, seed):
    return np.random.default_rng(seed).uniform(-1, 1, shape)


def dropout_masks(n_gates, with_dropout):
    """None, or recurrent dropout masks `(n_gates, batch, units)` of 0 and 2."""
    if not with_dropout:
        return None
    return 2.0 * (np.random.default_rng(9).random((n_gates, BATCH, UNITS)) < 0.5)


def all_steps():
    return np.ones((TIMESTEPS, BATCH), bool)


def assert_all_equal(results, expected):
    for result, expected_value in zip(results, expected, strict=True):
        np.testing.assert_array_equal(result, expected_value)


def lstm_results(step_mask, hard, with_dropout):
    """The outputs of `lstm_forward`, then those of `lstm_backward`."""
    masks = dropout_masks(4, with_dropout)
    kernel = uniform((UNITS, 4 * UNITS), 3)
    forward = kernels.lstm_forward(uniform((TIMESTEPS, BATCH, 4 * UNITS), 0),
                                   uniform((BATCH, UNITS), 1), uniform((BATCH, UNITS), 2),
                                   kernel, masks, step_mask, hard)
    backward = kernels.lstm_backward(uniform((TIMESTEPS, BATCH, UNITS), 4),
                                     uniform((BATCH, UNITS), 5), *forward, kernel, masks,
                                     step_mask, hard)
    return list(forward) + list(backward)


def gru_results(step_mask, recurrent_bias, hard, reset_after, with_dropout):
    """The outputs of `gru_forward`, then those of `gru_backward`."""
    masks = dropout_masks(3, with_dropout)
    kernel = uniform((UNITS, 3 * UNITS), 3)
    forward = kernels.gru_forward(uniform((TIMESTEPS, BATCH, 3 * UNITS), 0),
                                  uniform((BATCH, UNITS), 1), kernel, recurrent_bias, masks,
                                  step_mask, hard, reset_after)
    backward = kernels.gru_backward(uniform((TIMESTEPS, BATCH, UNITS), 4), *forward, kernel,
                                    recurrent_bias is not None, masks, step_mask, hard,
                                    reset_after)
    return list(forward) + list(backward)


@pytest.mark.parametrize("hard", [True, False])
@pytest.mark.parametrize("with_dropout", [False, True])
def test_lstm_without_a_mask_equals_an_all_true_mask(hard, with_dropout):
    assert_all_equal(lstm_results(None, hard, with_dropout),
                     lstm_results(all_steps(), hard, with_dropout))


@pytest.mark.parametrize("reset_after", [False, True])
@pytest.mark.parametrize("hard", [True, False])
@pytest.mark.parametrize("with_dropout", [False, True])
def test_gru_without_a_mask_equals_an_all_true_mask(reset_after, hard, with_dropout):
    bias = uniform(3 * UNITS, 6) if reset_after else None
    assert_all_equal(gru_results(None, bias, hard, reset_after, with_dropout),
                     gru_results(all_steps(), bias, hard, reset_after, with_dropout))


@pytest.mark.parametrize("masked", [False, True])
def test_gru_without_a_recurrent_bias_equals_a_zero_bias(masked):
    # Only `reset_after` has a recurrent bias (and then only with `use_bias`).
    step_mask = uniform((TIMESTEPS, BATCH), 7) > -0.5 if masked else None
    without_bias = gru_results(step_mask, None, True, True, True)
    with_zero_bias = gru_results(step_mask, np.zeros(3 * UNITS), True, True, True)
    assert without_bias[-1] is None  # no gradient for a bias that is not there
    assert_all_equal(without_bias[:-1], with_zero_bias[:-1])


def test_lstm_backward_reads_every_cell_state():
    # The layer outputs only the last c, but the backward pass needs every step's c:
    # changing an earlier one changes the gradients.
    step_mask = all_steps()
    forward = kernels.lstm_forward(uniform((TIMESTEPS, BATCH, 4 * UNITS), 0),
                                   uniform((BATCH, UNITS), 1), uniform((BATCH, UNITS), 2),
                                   uniform((UNITS, 4 * UNITS), 3), None, step_mask, True)
    h_all, c_all, gates = forward
    grads = (uniform((TIMESTEPS, BATCH, UNITS), 4), uniform((BATCH, UNITS), 5))
    kernel = uniform((UNITS, 4 * UNITS), 3)
    expected = kernels.lstm_backward(*grads, h_all, c_all, gates, kernel, None, step_mask, True)
    changed_c = c_all.copy()
    changed_c[1] += 0.5
    changed = kernels.lstm_backward(*grads, h_all, changed_c, gates, kernel, None, step_mask,
                                    True)
    assert not np.allclose(changed[0], expected[0])
