"""The time loops of the LSTM and the GRU, forward and backward, as array kernels.

The readable reference of these layers is in `minikeras.layers.recurrent`: a cell runs
step by step with ops, and the tape walks the steps backwards (backpropagation through
time). Each LSTM step there records about 25 small ops, and each is replayed backwards.
Here the same loop over time is one function, and its backward another, so the whole
recurrence is *one* op on the tape. The tests keep the two equal.

These kernels are plain NumPy, vectorized over the batch and the units; only the loop
over time is a Python loop. A numba version (loops over batch and units, `np.dot` for
the products) was measured on the sizes of the demos, (timesteps, batch, units) from
(10, 32, 32) to (100, 32, 128), with one BLAS thread: it was no faster than this (from
about equal to twice as slow), and it costs tens of seconds of compilation on first use.
What pays is removing the tape's per-op work, which this module does.

What the kernels receive is prepared by the layer:

- `projected` `(timesteps, batch, n_gates * units)`: the input's part of every gate at
  every step, `inputs @ kernel + bias`, computed before the loop in one matrix product
  (it does not depend on the states). Time-major, in the order the steps run (already
  reversed for `go_backwards`).
- `recurrent_kernel` `(units, n_gates * units)`, the gates side by side as Keras stores
  them (LSTM: i, f, c, o; GRU: z, r, h).
- `recurrent_masks`: None, or the recurrent dropout mask of each gate `(n_gates, batch,
  units)`.
- `step_mask`: None (no masking), or `(timesteps, batch)` booleans: False leaves the
  states of that sample unchanged at that step (Keras's masking).
- `hard`: True for Keras 2's `hard_sigmoid` gates, `clip(0.2 * x + 0.5, 0, 1)`; False for
  the logistic sigmoid. The other activation is `tanh`.
"""
import numpy as np


def _gate(x, hard):
    """The recurrent activation: hard sigmoid, or the logistic sigmoid (written with tanh,
    which cannot overflow)."""
    if hard:
        return np.clip(0.2 * x + 0.5, 0, 1)
    return 0.5 * (1 + np.tanh(0.5 * x))


def _gate_slope(value, hard):
    """The derivative of the recurrent activation, from its output `value`."""
    if hard:
        return np.multiply((value > 0) & (value < 1), 0.2, dtype=value.dtype)
    return value * (1 - value)


def _blocks(n_gates, units):
    """The column slices of the gates in a kernel `(..., n_gates * units)`."""
    return [slice(g * units, (g + 1) * units) for g in range(n_gates)]


def _split(values, n_gates):
    """Splits `(batch, n_gates * units)` into the gates' `(batch, units)` views."""
    return [values[:, block] for block in _blocks(n_gates, values.shape[1] // n_gates)]


def _skip_masked(step_mask, t, new, old):
    """`new`, except `old` for the samples whose step `t` is masked."""
    if step_mask is None:
        return new
    return np.where(step_mask[t][:, None], new, old)


def _zero_masked(step_mask, t, values):
    """`values`, except zeros for the samples whose step `t` is masked."""
    if step_mask is None:
        return values
    return step_mask[t][:, None] * values


def _recurrent_product(h, kernel, masks):
    """`h @ kernel`; with dropout, each gate's block is computed from `h` under its mask."""
    if masks is None:
        return h @ kernel
    blocks = _blocks(len(masks), h.shape[1])
    return np.concatenate([(h * mask) @ kernel[:, block] for mask, block in zip(masks, blocks)],
                          axis=1)


def _plus_bias(values, bias):
    """`values + bias`, or `values` itself when there is no bias (None)."""
    return values if bias is None else values + bias


def _recurrent_product_backward(grad, h, kernel, masks):
    """The gradients `(grad_h, grad_kernel)` of `_recurrent_product`."""
    if masks is None:
        return grad @ kernel.T, h.T @ grad
    grad_h = np.zeros_like(h)
    grad_kernel = np.empty_like(kernel)
    for mask, block in zip(masks, _blocks(len(masks), h.shape[1])):
        grad_h += (grad[:, block] @ kernel[:, block].T) * mask
        grad_kernel[:, block] = (h * mask).T @ grad[:, block]
    return grad_h, grad_kernel


# LSTM ---------------------------------------------------------------------------------------

def lstm_forward(projected, h0, c0, recurrent_kernel, recurrent_masks, step_mask, hard):
    """Runs the LSTM over every timestep.

    # Arguments
        projected: `(timesteps, batch, 4 * units)`, the input part of the gates i, f, c, o.
        h0: the initial output state, `(batch, units)`.
        c0: the initial cell state, `(batch, units)`.
        recurrent_kernel: `(units, 4 * units)`.
        recurrent_masks: None, or the recurrent dropout masks `(4, batch, units)`.
        step_mask: None, or `(timesteps, batch)` booleans; False keeps the previous states.
        hard: whether the gates use the hard sigmoid (else the sigmoid).

    # Returns
        `(h_all, c_all, gates)`: the states before and after every step, `(timesteps + 1,
        batch, units)` each (index 0 holds the initial states), and the activated gates
        `(timesteps, batch, 4 * units)`, which the backward pass needs.
    """
    timesteps = projected.shape[0]
    h_all = np.empty((timesteps + 1,) + h0.shape, projected.dtype)
    c_all = np.empty_like(h_all)
    gates = np.empty_like(projected)
    h_all[0], c_all[0] = h0, c0
    for t in range(timesteps):
        summed = projected[t] + _recurrent_product(h_all[t], recurrent_kernel, recurrent_masks)
        i, f, candidate, o = _split(summed, 4)
        i, f, candidate, o = _gate(i, hard), _gate(f, hard), np.tanh(candidate), _gate(o, hard)
        c = f * c_all[t] + i * candidate
        h = o * np.tanh(c)
        c_all[t + 1] = _skip_masked(step_mask, t, c, c_all[t])
        h_all[t + 1] = _skip_masked(step_mask, t, h, h_all[t])
        gates[t] = np.concatenate([i, f, candidate, o], axis=1)
    return h_all, c_all, gates


def lstm_backward(grad_h, grad_c_last, h_all, c_all, gates, recurrent_kernel, recurrent_masks,
                  step_mask, hard):
    """Backpropagates through the LSTM's timesteps, from the last to the first.

    # Arguments
        grad_h: `(timesteps, batch, units)`, the gradient reaching each step's `h` from
            outside the loop (from the output sequence and the final state).
        grad_c_last: `(batch, units)`, the gradient reaching the final `c` (the layer
            outputs no other `c`).
        h_all: from `lstm_forward`.
        c_all: from `lstm_forward`; every step's `c` is read here.
        gates: from `lstm_forward`.
        recurrent_kernel: `(units, 4 * units)`.
        recurrent_masks: None, or `(4, batch, units)`.
        step_mask: None, or `(timesteps, batch)` booleans.
        hard: whether the gates use the hard sigmoid.

    # Returns
        `(grad_projected, grad_h0, grad_c0, grad_recurrent_kernel)`.
    """
    grad_projected = np.empty_like(gates)
    grad_kernel = np.zeros_like(recurrent_kernel)
    grad_h_next = np.zeros_like(h_all[0])  # what step t + 1 sends back to h_t
    grad_c = grad_c_last  # the whole gradient of the c that step t outputs
    for t in reversed(range(gates.shape[0])):
        grad_h_t = grad_h[t] + grad_h_next
        i, f, candidate, o = _split(gates[t], 4)
        tanh_c = np.tanh(c_all[t + 1])
        grad_c_inside = grad_c + grad_h_t * o * (1 - tanh_c * tanh_c)
        grad_summed = _zero_masked(step_mask, t, np.concatenate([
            grad_c_inside * candidate * _gate_slope(i, hard),
            grad_c_inside * c_all[t] * _gate_slope(f, hard),
            grad_c_inside * i * (1 - candidate * candidate),
            grad_h_t * tanh_c * _gate_slope(o, hard)], axis=1))
        grad_h_previous, grad_kernel_t = _recurrent_product_backward(
            grad_summed, h_all[t], recurrent_kernel, recurrent_masks)
        grad_kernel += grad_kernel_t
        grad_projected[t] = grad_summed
        # A masked step passed its states through unchanged: so do their gradients.
        grad_h_next = _skip_masked(step_mask, t, grad_h_previous, grad_h_t)
        grad_c = _skip_masked(step_mask, t, grad_c_inside * f, grad_c)
    return grad_projected, grad_h_next, grad_c, grad_kernel


# GRU ----------------------------------------------------------------------------------------

def gru_forward(projected, h0, recurrent_kernel, recurrent_bias, recurrent_masks, step_mask,
                hard, reset_after):
    """Runs the GRU over every timestep.

    # Arguments
        projected: `(timesteps, batch, 3 * units)`, the input part of the gates z, r, h
            (with the input bias).
        h0: the initial state, `(batch, units)`.
        recurrent_kernel: `(units, 3 * units)`.
        recurrent_bias: None, or `(3 * units,)`, the recurrent bias (only `reset_after`
            has one).
        recurrent_masks: None, or the recurrent dropout masks `(3, batch, units)`.
        step_mask: None, or `(timesteps, batch)` booleans; False keeps the previous state.
        hard: whether the gates use the hard sigmoid (else the sigmoid).
        reset_after: whether the reset gate multiplies the recurrent product (True) or
            the state before the product (False).

    # Returns
        `(h_all, gates, recurrent_h)`: the states `(timesteps + 1, batch, units)`; the
        gates z and r and the candidate, `(timesteps, batch, 3 * units)`; and what the
        backward pass needs of the candidate's recurrent part, `(timesteps, batch, units)`:
        the recurrent product with its bias (`reset_after`), or the reset state `r * h`
        that entered the product.
    """
    timesteps, units = projected.shape[0], h0.shape[1]
    kernel_zr, kernel_h = recurrent_kernel[:, :2 * units], recurrent_kernel[:, 2 * units:]
    masks_zr, masks_h = (None, None) if recurrent_masks is None else \
        (recurrent_masks[:2], recurrent_masks[2:])
    bias_zr, bias_h = (None, None) if recurrent_bias is None else \
        (recurrent_bias[:2 * units], recurrent_bias[2 * units:])
    h_all = np.empty((timesteps + 1,) + h0.shape, projected.dtype)
    gates = np.empty_like(projected)
    recurrent_h = np.empty((timesteps,) + h0.shape, projected.dtype)
    h_all[0] = h0
    for t in range(timesteps):
        h = h_all[t]
        x_z, x_r, x_h = _split(projected[t], 3)
        recurrent_zr = _plus_bias(_recurrent_product(h, kernel_zr, masks_zr), bias_zr)
        z = _gate(x_z + recurrent_zr[:, :units], hard)
        r = _gate(x_r + recurrent_zr[:, units:], hard)
        if reset_after:
            recurrent_h[t] = _plus_bias(_recurrent_product(h, kernel_h, masks_h), bias_h)
            candidate = np.tanh(x_h + r * recurrent_h[t])
        else:
            recurrent_h[t] = r * (h if masks_h is None else h * masks_h[0])
            candidate = np.tanh(x_h + recurrent_h[t] @ kernel_h)
        h_all[t + 1] = _skip_masked(step_mask, t, z * h + (1 - z) * candidate, h)
        gates[t] = np.concatenate([z, r, candidate], axis=1)
    return h_all, gates, recurrent_h


def gru_backward(grad_h, h_all, gates, recurrent_h, recurrent_kernel, has_recurrent_bias,
                 recurrent_masks, step_mask, hard, reset_after):
    """Backpropagates through the GRU's timesteps, from the last to the first.

    # Arguments
        grad_h: `(timesteps, batch, units)`, the gradient reaching each step's `h` from
            outside the loop.
        h_all: from `gru_forward`.
        gates: from `gru_forward`.
        recurrent_h: from `gru_forward`.
        recurrent_kernel: `(units, 3 * units)`.
        has_recurrent_bias: whether `gru_forward` was given a recurrent bias.
        recurrent_masks: None, or `(3, batch, units)`.
        step_mask: None, or `(timesteps, batch)` booleans.
        hard: whether the gates use the hard sigmoid.
        reset_after: as in `gru_forward`.

    # Returns
        `(grad_projected, grad_h0, grad_recurrent_kernel, grad_recurrent_bias)`, the last
        None without a recurrent bias.
    """
    units = h_all.shape[2]
    kernel_zr, kernel_h = recurrent_kernel[:, :2 * units], recurrent_kernel[:, 2 * units:]
    masks_zr, masks_h = (None, None) if recurrent_masks is None else \
        (recurrent_masks[:2], recurrent_masks[2:])
    grad_projected = np.empty_like(gates)
    grad_kernel = np.zeros_like(recurrent_kernel)
    grad_bias = np.zeros(3 * units, gates.dtype) if has_recurrent_bias else None
    grad_h_next = np.zeros_like(h_all[0])
    for t in reversed(range(gates.shape[0])):
        h = h_all[t]
        grad_total = grad_h[t] + grad_h_next
        grad_step = _zero_masked(step_mask, t, grad_total)  # a masked step computed nothing
        z, r, candidate = _split(gates[t], 3)
        # h_new = z * h + (1 - z) * candidate
        grad_z = grad_step * (h - candidate) * _gate_slope(z, hard)
        grad_candidate = grad_step * (1 - z) * (1 - candidate * candidate)
        grad_h_previous = grad_total * z
        # The candidate's recurrent part, and through it the reset gate.
        if reset_after:
            grad_r = grad_candidate * recurrent_h[t] * _gate_slope(r, hard)
            grad_product = grad_candidate * r
            grad_h_part, grad_kernel_h = _recurrent_product_backward(grad_product, h, kernel_h,
                                                                     masks_h)
        else:
            grad_reset_h = grad_candidate @ kernel_h.T
            grad_kernel_h = recurrent_h[t].T @ grad_candidate
            masked_h, grad_h_part = h, grad_reset_h * r
            if masks_h is not None:
                masked_h, grad_h_part = h * masks_h[0], grad_h_part * masks_h[0]
            grad_r = grad_reset_h * masked_h * _gate_slope(r, hard)
        # The gates z and r.
        grad_zr = np.concatenate([grad_z, grad_r], axis=1)
        grad_h_gates, grad_kernel_zr = _recurrent_product_backward(grad_zr, h, kernel_zr,
                                                                   masks_zr)
        if grad_bias is not None:  # only with reset_after
            grad_bias[:2 * units] += grad_zr.sum(axis=0)
            grad_bias[2 * units:] += grad_product.sum(axis=0)
        grad_kernel[:, :2 * units] += grad_kernel_zr
        grad_kernel[:, 2 * units:] += grad_kernel_h
        grad_projected[t] = np.concatenate([grad_z, grad_r, grad_candidate], axis=1)
        grad_h_next = _skip_masked(step_mask, t, grad_h_previous + grad_h_part + grad_h_gates,
                                   grad_total)
    return grad_projected, grad_h_next, grad_kernel, grad_bias
