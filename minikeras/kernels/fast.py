"""Convolution and pooling kernels compiled with numba: `reference.py`, made fast.

Same functions, signatures and results as `minikeras.kernels.reference`; read that
module first. What changes here is how the work is done:

- Convolutions still use im2col, but the patches are cut by a compiled loop, a chunk of
  the batch at a time so the patch matrix never takes more than `PATCH_CHUNK_BYTES`.
  With few input channels (an image's first layer), the patch matrix is built
  transposed, one row per kernel tap (see `_im2col_by_tap` and `_col2im_by_tap`).
  The products run in NumPy's BLAS (`np.dot` on 2-D arrays), which is several times
  faster than any loop numba compiles, and already uses every core. The input gradient
  adds the patch gradients back with a compiled col2im, or, for a stride-1 convolution
  with fewer output than input channels, is itself computed as a convolution, whose
  patches then also give the kernel gradient (`conv2d_backward`).
- Pooling and depthwise convolution are direct loops over each window, in parallel over
  the batch (`prange`). So are the bias and relu after a convolution: one pass over the
  array, where NumPy makes two (`x + bias`, then relu); and Adam's update, one pass where
  NumPy makes about ten. Inference's max pooling finds no positions of the maxima.

The im2col and col2im loops run on one thread on purpose: measured on two cores, numba's
threads and BLAS's threads, taking turns every few milliseconds, slowed convolutions
down several times, while the serial loops cost little next to the products.

The compiled functions are cached on disk (`cache=True`): the first call ever compiles
them for float32 or float64, later processes load them from `__pycache__`. With
`NUMBA_DISABLE_JIT=1` everything runs as plain (slow) Python.
"""
import os

import numba
import numpy as np
from numba import njit, prange

from minikeras.kernels import reference
from minikeras.kernels.geometry import (
    check_argmax, check_shape, conv_geometry, float_dtype, normalize_tuple, pool_geometry,
    transpose_output_shape)

# numba's OpenMP threads spin for a while after each parallel loop, on the cores that the
# BLAS threads of the next matrix product need: measured on two cores, a product right
# after a pooling ran 2 to 20 times slower. Passive threads sleep at once. (Unless the user
# set it; it must be set before numba starts its threads, and holds for the whole process.)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# The patch matrix of one chunk of the batch stays below this many bytes (unless a single
# batch item needs more). Small chunks are still in the cache when BLAS reads them; large
# chunks mean fewer BLAS calls. Measured with scripts/bench.py, alternating runs: 2 MiB
# predicted the case study's CNN 1.25 to 1.4 times as fast as 16 MiB, and trained it and
# the cars-vs-trucks CNN no slower; 1 and 4 MiB were within the noise of 2.
PATCH_CHUNK_BYTES = 2 * 2**20

# Below this many input channels, patches are cut tap by tap (`_im2col_by_tap`): with one
# channel, `_im2col` copies runs of `kernel_w` values and took 10 ms on the case study's
# first layer, `_im2col_by_tap` copies rows of the output's width and took 2.2 ms
# (one thread each). From 8 channels on, `_im2col`'s runs of channels win.
FEW_CHANNELS = 4


def _window_spec(window, strides, dilation_rate, pads):
    """Packs a window's geometry into one tuple of 8 ints for the compiled loops."""
    (top, _), (left, _) = pads
    return (window[0], window[1], strides[0], strides[1], dilation_rate[0],
            dilation_rate[1], top, left)


def _chunk_buffers(batch, values_per_item, dtype, fresh_buffers=False):
    """Yields `(start, stop, buffer)` for chunks of `range(batch)` whose patch matrices
    take at most `PATCH_CHUNK_BYTES`; `buffer` is a flat array of `values_per_item` values
    per batch item of the chunk. The chunks share one buffer, unless `fresh_buffers`."""
    item_bytes = values_per_item * np.dtype(dtype).itemsize
    size = max(1, min(batch, PATCH_CHUNK_BYTES // max(item_bytes, 1)))
    buffer = np.empty(size * values_per_item, dtype)
    for start in range(0, batch, size):
        stop = min(start + size, batch)
        if fresh_buffers and start > 0:  # the first chunk has the first buffer
            buffer = np.empty((stop - start) * values_per_item, dtype)
        yield start, stop, buffer[:(stop - start) * values_per_item]


# Compiled loops ---------------------------------------------------------------------------

@njit(cache=True)
def _im2col(x, spec, patches):
    """Fills `patches[n, i, j, (a * kw + b) * C + c]` with the padded input under tap (a, b)."""
    window_h, window_w, stride_h, stride_w, dilation_h, dilation_w, top, left = spec
    batch, height, width, channels = x.shape
    _, out_h, out_w, _ = patches.shape
    for n in range(batch):
        for i in range(out_h):
            for j in range(out_w):
                for a in range(window_h):
                    row = i * stride_h + a * dilation_h - top
                    for b in range(window_w):
                        col = j * stride_w + b * dilation_w - left
                        first = (a * window_w + b) * channels
                        inside = 0 <= row < height and 0 <= col < width
                        for c in range(channels):
                            patches[n, i, j, first + c] = x[n, row, col, c] if inside else 0
    return patches


@njit(cache=True)
def _im2col_by_tap(x, spec, patches):
    """Fills `patches[a, b, c, n, i, j]` with the padded input under tap (a, b) of window
    (i, j): the transposed patch matrix, whose innermost loop runs along a row of `x`."""
    window_h, window_w, stride_h, stride_w, dilation_h, dilation_w, top, left = spec
    batch, height, width, channels = x.shape
    out_h, out_w = patches.shape[4], patches.shape[5]
    for a in range(window_h):
        for b in range(window_w):
            offset = b * dilation_w - left  # window j reads column j * stride_w + offset
            j_start, j_stop = _inside_positions(offset, stride_w, width, out_w)
            for c in range(channels):
                for n in range(batch):
                    for i in range(out_h):
                        target = patches[a, b, c, n, i]
                        row = i * stride_h + a * dilation_h - top
                        if row < 0 or row >= height:
                            target[:] = 0
                            continue
                        target[:j_start] = 0
                        target[j_stop:] = 0
                        source = x[n, row, :, c]
                        if stride_w == 1:  # one slice: about 30% faster than the loop
                            target[j_start:j_stop] = source[j_start + offset:j_stop + offset]
                            continue
                        for j in range(j_start, j_stop):
                            target[j] = source[j * stride_w + offset]
    return patches


@njit(cache=True, parallel=True)
def _sum_row_taps(contributions, stride_h, dilation_h, top, output):
    """Fills `output[n, i, j]` with the sum over kernel rows `a` of
    `contributions[n, i * stride_h + a * dilation_h - top, j, a]` (rows of padding add
    nothing)."""
    batch, out_h, out_w, _ = output.shape
    height, window_h = contributions.shape[1], contributions.shape[3]
    for task in prange(batch * out_h):
        n, i = task // out_h, task % out_h
        for j in range(out_w):
            total = output[n, i, j]
            total[:] = 0
            for a in range(window_h):
                row = i * stride_h + a * dilation_h - top
                if 0 <= row < height:
                    total += contributions[n, row, j, a]
    return output


@njit(cache=True)
def _inside_positions(offset, stride, length, count):
    """The range `[start, stop)` of positions `p < count` for which `p * stride + offset`
    falls inside `[0, length)`."""
    start = 0 if offset >= 0 else (stride - 1 - offset) // stride
    last = length - 1 - offset  # the largest p * stride that stays inside
    stop = 0 if last < 0 else min(count, last // stride + 1)
    return start, max(start, stop)


@njit(cache=True)
def _col2im(grad_patches, spec, grad_x):
    """Adds each window of `grad_patches` back onto `grad_x` (zeroed first)."""
    window_h, window_w, stride_h, stride_w, dilation_h, dilation_w, top, left = spec
    batch, height, width, channels = grad_x.shape
    _, out_h, out_w, _ = grad_patches.shape
    for n in range(batch):
        grad_x[n] = 0
        for i in range(out_h):
            for j in range(out_w):
                for a in range(window_h):
                    row = i * stride_h + a * dilation_h - top
                    if row < 0 or row >= height:
                        continue
                    for b in range(window_w):
                        col = j * stride_w + b * dilation_w - left
                        if col < 0 or col >= width:
                            continue
                        first = (a * window_w + b) * channels
                        for c in range(channels):
                            grad_x[n, row, col, c] += grad_patches[n, i, j, first + c]
    return grad_x


@njit(cache=True)
def _col2im_by_tap(grad_patches, spec, grad_x):
    """Adds `grad_patches[a, b, c, n, i, j]` (`_im2col_by_tap`'s layout) back onto
    `grad_x` (zeroed first), along rows of `grad_x`."""
    window_h, window_w, stride_h, stride_w, dilation_h, dilation_w, top, left = spec
    batch, height, width, channels = grad_x.shape
    out_h, out_w = grad_patches.shape[4], grad_patches.shape[5]
    grad_x[:] = 0
    for a in range(window_h):
        for b in range(window_w):
            offset = b * dilation_w - left
            j_start, j_stop = _inside_positions(offset, stride_w, width, out_w)
            for c in range(channels):
                for n in range(batch):
                    for i in range(out_h):
                        row = i * stride_h + a * dilation_h - top
                        if row < 0 or row >= height:
                            continue
                        source = grad_patches[a, b, c, n, i]
                        for j in range(j_start, j_stop):
                            grad_x[n, row, j * stride_w + offset, c] += source[j]
    return grad_x


@njit(cache=True)
def _clipped_window(position, stride, pad, window, length):
    """The real (unpadded) input range `[start, stop)` of the window at `position`."""
    start = position * stride - pad
    return max(start, 0), min(start + window, length)


@njit(cache=True, parallel=True)
def _max_pool(x, spec, y, argmax):
    """Fills `y` with each window's maximum and `argmax` with its first position.

    Two passes over each window: the maxima, as `_max_pool_values` finds them, then the
    positions, visiting the cells from the last to the first so that the first of equal
    maxima is written last. Neither pass branches, so both compile into vector
    instructions: 1.5 times as fast as one pass that compared each cell and updated both
    (3.3 -> 2.2 ms on the case study's first pooling, 7.5 -> 4.9 ms on the
    cars-vs-trucks CNN's).
    """
    pool_h, pool_w, stride_h, stride_w, _, _, top, left = spec
    batch, height, width, channels = x.shape
    _, out_h, out_w, _ = y.shape
    for task in prange(batch * out_h):
        n, i = task // out_h, task % out_h
        row_start, row_stop = _clipped_window(i, stride_h, top, pool_h, height)
        for j in range(out_w):
            col_start, col_stop = _clipped_window(j, stride_w, left, pool_w, width)
            maxima = y[n, i, j]
            maxima[:] = x[n, row_start, col_start]
            for row in range(row_start, row_stop):
                for col in range(col_start, col_stop):
                    np.maximum(maxima, x[n, row, col], maxima)
            positions = argmax[n, i, j]
            positions[:] = row_start * width + col_start  # also where none equals (NaN)
            for row in range(row_stop - 1, row_start - 1, -1):
                for col in range(col_stop - 1, col_start - 1, -1):
                    cell, values = row * width + col, x[n, row, col]
                    for c in range(channels):
                        positions[c] = cell if values[c] == maxima[c] else positions[c]
    return y, argmax


@njit(cache=True, parallel=True)
def _max_pool_values(x, spec, y):
    """Fills `y` with each window's maximum: `_max_pool` without the positions, which
    inference does not need (measured 25 to 40% faster)."""
    pool_h, pool_w, stride_h, stride_w, _, _, top, left = spec
    batch, height, width, _ = x.shape
    _, out_h, out_w, _ = y.shape
    for task in prange(batch * out_h):
        n, i = task // out_h, task % out_h
        row_start, row_stop = _clipped_window(i, stride_h, top, pool_h, height)
        for j in range(out_w):
            col_start, col_stop = _clipped_window(j, stride_w, left, pool_w, width)
            maxima = y[n, i, j]
            maxima[:] = x[n, row_start, col_start]
            for row in range(row_start, row_stop):
                for col in range(col_start, col_stop):
                    # numba compiles this into vector instructions, and a loop over the
                    # channels with `max` into scalar ones: 2.3 times as fast here.
                    np.maximum(maxima, x[n, row, col], maxima)
    return y


@njit(cache=True, parallel=True)
def _max_pool_backward(grad_output, argmax, grad_x):
    """Adds each output gradient onto the input cell its window's maximum came from."""
    batch, out_h, out_w, channels = grad_output.shape
    # The same memory, its rows and columns as one axis: `argmax` numbers the cells
    # `row * width + col`, so no division is needed to find a cell.
    cells = grad_x.reshape((batch, grad_x.shape[1] * grad_x.shape[2], channels))
    for n in prange(batch):
        cells[n] = 0
        for i in range(out_h):
            for j in range(out_w):
                for c in range(channels):
                    cells[n, argmax[n, i, j, c], c] += grad_output[n, i, j, c]
    return grad_x


@njit(cache=True, parallel=True)
def _avg_pool(x, spec, y):
    """Fills `y` with the mean of the real cells of each window."""
    pool_h, pool_w, stride_h, stride_w, _, _, top, left = spec
    batch, height, width, channels = x.shape
    _, out_h, out_w, _ = y.shape
    for task in prange(batch * out_h):
        n, i = task // out_h, task % out_h
        row_start, row_stop = _clipped_window(i, stride_h, top, pool_h, height)
        for j in range(out_w):
            col_start, col_stop = _clipped_window(j, stride_w, left, pool_w, width)
            count = (row_stop - row_start) * (col_stop - col_start)
            for c in range(channels):
                total = x.dtype.type(0)
                for row in range(row_start, row_stop):
                    for col in range(col_start, col_stop):
                        total += x[n, row, col, c]
                y[n, i, j, c] = total / count
    return y


@njit(cache=True, parallel=True)
def _avg_pool_backward(grad_output, spec, grad_x):
    """Shares each output gradient equally among the real cells of its window."""
    pool_h, pool_w, stride_h, stride_w, _, _, top, left = spec
    batch, height, width, channels = grad_x.shape
    _, out_h, out_w, _ = grad_output.shape
    for n in prange(batch):
        grad_x[n] = 0
        for i in range(out_h):
            row_start, row_stop = _clipped_window(i, stride_h, top, pool_h, height)
            for j in range(out_w):
                col_start, col_stop = _clipped_window(j, stride_w, left, pool_w, width)
                count = (row_stop - row_start) * (col_stop - col_start)
                for c in range(channels):
                    share = grad_output[n, i, j, c] / count
                    for row in range(row_start, row_stop):
                        for col in range(col_start, col_stop):
                            grad_x[n, row, col, c] += share
    return grad_x


@njit(cache=True, parallel=True)
def _depthwise(x, kernel, spec, y):
    """`y[n, i, j, c, m]` += input under tap (a, b) times `kernel[a, b, c, m]`."""
    window_h, window_w, stride_h, stride_w, dilation_h, dilation_w, top, left = spec
    batch, height, width, channels = x.shape
    _, out_h, out_w, _, multiplier = y.shape
    for task in prange(batch * out_h):
        n, i = task // out_h, task % out_h
        y[n, i] = 0
        for j in range(out_w):
            for a in range(window_h):
                row = i * stride_h + a * dilation_h - top
                for b in range(window_w):
                    col = j * stride_w + b * dilation_w - left
                    if row < 0 or row >= height or col < 0 or col >= width:
                        continue
                    for c in range(channels):
                        for m in range(multiplier):
                            y[n, i, j, c, m] += x[n, row, col, c] * kernel[a, b, c, m]
    return y


@njit(cache=True, parallel=True)
def _depthwise_backward_input(grad_output, kernel, spec, grad_x):
    """Sends `grad_output[n, i, j, c, m] * kernel[a, b, c, m]` back to the cell tap (a, b) read."""
    window_h, window_w, stride_h, stride_w, dilation_h, dilation_w, top, left = spec
    batch, height, width, channels = grad_x.shape
    _, out_h, out_w, _, multiplier = grad_output.shape
    for n in prange(batch):
        grad_x[n] = 0
        for i in range(out_h):
            for j in range(out_w):
                for a in range(window_h):
                    row = i * stride_h + a * dilation_h - top
                    for b in range(window_w):
                        col = j * stride_w + b * dilation_w - left
                        if row < 0 or row >= height or col < 0 or col >= width:
                            continue
                        for c in range(channels):
                            for m in range(multiplier):
                                grad_x[n, row, col, c] += (grad_output[n, i, j, c, m]
                                                           * kernel[a, b, c, m])
    return grad_x


@njit(cache=True, parallel=True)
def _depthwise_backward_kernel(grad_output, x, spec, grad_kernel):
    """Sums input times output gradient per tap; taps are independent, so run in parallel."""
    window_h, window_w, stride_h, stride_w, dilation_h, dilation_w, top, left = spec
    batch, height, width, channels = x.shape
    _, out_h, out_w, _, multiplier = grad_output.shape
    for tap in prange(window_h * window_w):
        a, b = tap // window_w, tap % window_w
        grad_kernel[a, b] = 0
        for n in range(batch):
            for i in range(out_h):
                row = i * stride_h + a * dilation_h - top
                if row < 0 or row >= height:
                    continue
                for j in range(out_w):
                    col = j * stride_w + b * dilation_w - left
                    if col < 0 or col >= width:
                        continue
                    for c in range(channels):
                        for m in range(multiplier):
                            grad_kernel[a, b, c, m] += (x[n, row, col, c]
                                                        * grad_output[n, i, j, c, m])
    return grad_kernel


# Convolution -------------------------------------------------------------------------------

def conv2d(x, kernel, strides=(1, 1), padding="valid", dilation_rate=(1, 1)):
    """2-D convolution (cross-correlation, as in every deep-learning library), no bias.

    `y[n, i, j, o] = sum over (a, b, c) of
    x_padded[n, i * sh + a * dh, j * sw + b * dw, c] * kernel[a, b, c, o]`.

    # Arguments
        x: input, shape `(batch, height, width, in_channels)`.
        kernel: weights, shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        strides: an int or a pair of ints, the step between windows.
        padding: `"valid"` (no padding) or `"same"` (output `ceil(size / stride)`,
            padded as TensorFlow pads).
        dilation_rate: an int or a pair of ints, the spacing between kernel taps.

    # Returns
        The output, shape `(batch, out_h, out_w, out_channels)`, float32 for float32
        inputs and float64 otherwise.

    # Raises
        ValueError: for bad ranks, mismatched channels, non-positive strides or dilation,
            an unknown padding, or a kernel larger than a `'valid'` input.
    """
    return _convolve(x, kernel, strides, padding, dilation_rate, keep_patches=False)[0]


def conv2d_keeping_patches(x, kernel, strides=(1, 1), padding="valid",
                           dilation_rate=(1, 1)):
    """`conv2d`, also returning its patches for `conv2d_backward_kernel_from_patches`.

    The kernel gradient is made of the same patches as the forward pass: kept, they
    need not be cut a second time, at the cost of their memory until the backward pass.

    # Arguments
        x: input, shape `(batch, height, width, in_channels)`.
        kernel: weights, shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        strides: an int or a pair of ints, the step between windows.
        padding: `"valid"` or `"same"`.
        dilation_rate: an int or a pair of ints, the spacing between kernel taps.

    # Returns
        A pair: the output of `conv2d`, and the patches, a list of `(start, stop,
        matrix)` for consecutive chunks of the batch, one matrix row per output cell and
        one column per kernel tap.

    # Raises
        ValueError: as `conv2d`.
    """
    return _convolve(x, kernel, strides, padding, dilation_rate, keep_patches=True)


def _convolve(x, kernel, strides, padding, dilation_rate, keep_patches):
    """`conv2d`'s work: returns the output and, if asked, the list of patch chunks."""
    dtype = float_dtype(x, kernel)
    x, kernel = np.ascontiguousarray(x, dtype), np.ascontiguousarray(kernel, dtype)
    strides, dilation_rate, output_size, pads = conv_geometry(
        "conv2d", x.shape, kernel.shape, strides, padding, dilation_rate)
    if not keep_patches and _row_taps_are_smaller(kernel.shape):
        return _convolve_by_row_taps(x, kernel, strides, dilation_rate, output_size, pads), None
    spec = _window_spec(kernel.shape, strides, dilation_rate, pads)
    out_channels = kernel.shape[3]
    weights = kernel.reshape(-1, out_channels)
    output = np.empty(x.shape[:1] + output_size + (out_channels,), dtype)
    kept = [] if keep_patches else None
    for chunk in _patch_chunks(x, output_size, kernel.shape[:3], spec, keep_patches):
        start, stop, patches = chunk
        np.dot(patches, weights, out=output[start:stop].reshape(-1, out_channels))
        if keep_patches:
            kept.append(chunk)
    return output, kept


def _row_taps_are_smaller(kernel_shape):
    """Whether `_convolve_by_row_taps` moves less memory than im2col's patches do.

    Per output cell, im2col writes and reads `kernel_h * kernel_w * in_channels` values;
    row taps `kernel_w * in_channels` and then `kernel_h * out_channels`. Measured one
    process, alternating: 1.34 times as fast with 192 values against 512 (the case
    study's second convolution), 1.55 with 320 against 800 (5x5, 32 to 32 channels),
    1.11 with 384 against 576 (3x3, 64 to 64), but 0.88 with 288 against 288: so row
    taps are used below three quarters of im2col's values.
    """
    window_h, window_w, in_channels, out_channels = kernel_shape
    row_tap_values = window_w * in_channels + window_h * out_channels
    return 4 * row_tap_values < 3 * window_h * window_w * in_channels


def _convolve_by_row_taps(x, kernel, strides, dilation_rate, output_size, pads):
    """A convolution whose patches are cut along the width only; the kernel's rows are
    summed afterwards.

    im2col copies each input value once per kernel tap. Here each input row is cut into
    windows along the width only, `kernel_w` taps (`_im2col` with a window one row
    high, over every input row). One product then gives, for each input row, what it
    adds to the output under each kernel row: the kernel's rows side by side,
    `(kernel_w * in_channels, kernel_h * out_channels)`. Output row `i` sums, over
    kernel rows `a`, what input row `i * stride + a * dilation - top` adds under `a`
    (`_sum_row_taps`). The matrices are smaller than the patches when the output has
    fewer channels than the input, and the product is better shaped.
    """
    window_h, window_w, in_channels, out_channels = kernel.shape
    batch, height = x.shape[:2]
    (top, _), (left, _) = pads
    row_spec = (1, window_w, 1, strides[1], 1, dilation_rate[1], 0, left)
    out_w = output_size[1]
    # weights[(b, c), (a, o)] = kernel[a, b, c, o]
    weights = np.ascontiguousarray(kernel.transpose(1, 2, 0, 3)).reshape(
        window_w * in_channels, window_h * out_channels)
    output = np.empty((batch,) + output_size + (out_channels,), x.dtype)
    contributions = None
    for start, stop, used in _chunk_buffers(batch, height * out_w * window_w * in_channels,
                                            x.dtype):
        count = stop - start
        row_patches = used.reshape(count, height, out_w, window_w * in_channels)
        _im2col(x[start:stop], row_spec, row_patches)
        if contributions is None:  # the first chunk is the largest
            contributions = np.empty((count * height * out_w, weights.shape[1]), x.dtype)
        chunk_contributions = contributions[:count * height * out_w]
        np.dot(row_patches.reshape(-1, weights.shape[0]), weights, out=chunk_contributions)
        _sum_row_taps(chunk_contributions.reshape(count, height, out_w, window_h, out_channels),
                      strides[0], dilation_rate[0], top, output[start:stop])
    return output


def _patch_chunks(x, output_size, window_shape, spec, fresh_buffers=False):
    """Yields `(start, stop, patches)` for chunks of the batch.

    `patches` is the chunk's patch matrix, one row per output cell `(n, i, j)` and one
    column per tap `(a, b, c)`; with few channels, a transposed view of what
    `_im2col_by_tap` made (BLAS reads either layout). The chunks share one buffer,
    unless `fresh_buffers` (for patches that are kept).
    """
    patch_length = int(np.prod(window_shape))
    values_per_item = output_size[0] * output_size[1] * patch_length
    for start, stop, used in _chunk_buffers(x.shape[0], values_per_item, x.dtype,
                                            fresh_buffers):
        count = stop - start
        if x.shape[3] < FEW_CHANNELS:
            by_tap = used.reshape(tuple(window_shape) + (count,) + tuple(output_size))
            _im2col_by_tap(x[start:stop], spec, by_tap)
            yield start, stop, by_tap.reshape(patch_length, -1).T
        else:
            patches = used.reshape((count,) + tuple(output_size) + (patch_length,))
            _im2col(x[start:stop], spec, patches)
            yield start, stop, patches.reshape(-1, patch_length)


def conv2d_backward_input(grad_output, kernel, input_shape, strides=(1, 1), padding="valid",
                          dilation_rate=(1, 1)):
    """Gradient of `conv2d` with respect to its input.

    Each output cell sends `grad_output[n, i, j, :] @ kernel[a, b].T` back to the
    input cell that tap `(a, b)` read; cells read by several windows sum their parts,
    and cells that only padding or no window reached get nothing.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        kernel: the forward kernel, shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        input_shape: the forward input's shape `(batch, height, width, in_channels)`.
        strides: the forward strides.
        padding: the forward padding, `"valid"` or `"same"`.
        dilation_rate: the forward dilation rate.

    # Returns
        The gradient of the input, shape `input_shape`.

    # Raises
        ValueError: for the forward pass's argument errors, or if `grad_output` does not
            have the forward output's shape.
    """
    dtype = float_dtype(grad_output, kernel)
    grad_output = np.ascontiguousarray(grad_output, dtype)
    kernel = np.ascontiguousarray(kernel, dtype)
    input_shape = tuple(input_shape)
    strides, dilation_rate, output_size, pads = conv_geometry(
        "conv2d_backward_input", input_shape, kernel.shape, strides, padding, dilation_rate)
    out_channels = kernel.shape[3]
    check_shape("conv2d_backward_input", "grad_output", grad_output.shape,
                input_shape[:1] + output_size + (out_channels,))
    if input_gradient_is_a_convolution(kernel.shape, strides):
        return _input_gradient_by_convolution(grad_output, kernel, input_shape,
                                              dilation_rate, pads)[0]
    spec = _window_spec(kernel.shape, strides, dilation_rate, pads)
    weights = kernel.reshape(-1, out_channels)
    patch_length = weights.shape[0]
    grad_x = np.empty(input_shape, dtype)
    values_per_item = output_size[0] * output_size[1] * patch_length
    by_tap = input_shape[3] < FEW_CHANNELS  # as in `_patch_chunks`
    for start, stop, used in _chunk_buffers(input_shape[0], values_per_item, dtype):
        count = stop - start
        grad_rows = grad_output[start:stop].reshape(-1, out_channels)
        if by_tap:  # the transposed patch gradients, one row per tap
            np.dot(weights, grad_rows.T, out=used.reshape(patch_length, -1))
            _col2im_by_tap(used.reshape(kernel.shape[:3] + (count,) + output_size), spec,
                           grad_x[start:stop])
        else:
            grad_patches = used.reshape((count,) + output_size + (patch_length,))
            np.dot(grad_rows, weights.T, out=grad_patches.reshape(-1, patch_length))
            _col2im(grad_patches, spec, grad_x[start:stop])
    return grad_x


def input_gradient_is_a_convolution(kernel_shape, strides=(1, 1)):
    """Whether this convolution's input gradient is computed as a convolution.

    It is for stride 1 and fewer output than input channels (see
    `_input_gradient_by_convolution`). Then `conv2d_backward` also takes the kernel
    gradient from that convolution's patches, and the forward pass need keep none.

    # Arguments
        kernel_shape: the kernel's shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        strides: the forward strides, an int or a pair of ints.

    # Returns
        A bool.
    """
    return (normalize_tuple(strides, "strides") == (1, 1)
            and kernel_shape[3] < kernel_shape[2])


def _input_gradient_by_convolution(grad_output, kernel, input_shape, dilation_rate, pads,
                                   x=None):
    """The input gradient of a stride-1 convolution, computed as a convolution; with the
    forward input `x`, also the kernel gradient. Returns `(grad_x, grad_kernel or None)`.

    Input cell `r` gets `grad_output[r + top - a * d]` times tap `a`, for every tap: a
    convolution of `grad_output` (padded by `(k - 1) * d - top` before) with the kernel
    flipped and its two channel axes swapped. Its patches have `out_channels` per tap
    instead of `in_channels`: with fewer output channels, a smaller patch matrix and a
    better-shaped product than the col2im way. Measured on the case study's second
    convolution (32 to 16 channels, 4x4), one thread: 15.3 instead of 23.8 ms; with
    more output channels than input channels it was slower (72 instead of 64 ms).

    The row of patch `r` holds, under flipped tap `a`, the output gradient of the window
    that read input cell `r` with tap `a` of the kernel. So `x`'s rows times these
    patches sum `x[window cell] * grad_output[window]` over all windows: the kernel
    gradient, flipped and with its channel axes swapped as the flipped kernel is. Taken
    from patches that are already cut, the forward pass need keep none of its own.
    """
    window_h, window_w, in_channels, out_channels = kernel.shape
    dilation_h, dilation_w = dilation_rate
    (top, _), (left, _) = pads
    spec = (window_h, window_w, 1, 1, dilation_h, dilation_w,
            (window_h - 1) * dilation_h - top, (window_w - 1) * dilation_w - left)
    flipped = np.ascontiguousarray(kernel[::-1, ::-1].transpose(0, 1, 3, 2))
    weights = flipped.reshape(-1, in_channels)
    grad_x = np.empty(input_shape, grad_output.dtype)
    grad_flipped = None if x is None else np.zeros(weights.shape, grad_output.dtype)
    for start, stop, patches in _patch_chunks(grad_output, input_shape[1:3],
                                              flipped.shape[:3], spec):
        np.dot(patches, weights, out=grad_x[start:stop].reshape(-1, in_channels))
        if x is not None:
            grad_flipped += _long_inner_product(patches,
                                                x[start:stop].reshape(-1, in_channels))
    if x is None:
        return grad_x, None
    grad_kernel = grad_flipped.reshape(flipped.shape)[::-1, ::-1].transpose(0, 1, 3, 2)
    return grad_x, np.ascontiguousarray(grad_kernel)


def conv2d_backward(grad_output, x, kernel, strides=(1, 1), padding="valid",
                    dilation_rate=(1, 1)):
    """Gradients of `conv2d` with respect to its input and its kernel, together.

    Where `input_gradient_is_a_convolution`, both come from one set of patches (of
    `grad_output`); otherwise they are `conv2d_backward_input` and
    `conv2d_backward_kernel`. Measured on the case study's second convolution, a forward
    and backward pass: 28.3 ms with the patches kept for the kernel gradient, 22.5 ms
    with none kept and both gradients from the same patches.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        x: the forward input, shape `(batch, height, width, in_channels)`.
        kernel: the forward kernel, shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        strides: the forward strides.
        padding: the forward padding, `"valid"` or `"same"`.
        dilation_rate: the forward dilation rate.

    # Returns
        A pair `(grad_x, grad_kernel)`, of the shapes of `x` and `kernel`.

    # Raises
        ValueError: for the forward pass's argument errors, or if `grad_output` does not
            have the forward output's shape.
    """
    dtype = float_dtype(grad_output, x, kernel)
    grad_output, x, kernel = (np.ascontiguousarray(array, dtype)
                              for array in (grad_output, x, kernel))
    geometry = conv_geometry("conv2d_backward", x.shape, kernel.shape, strides, padding,
                             dilation_rate)
    if not input_gradient_is_a_convolution(kernel.shape, geometry[0]):
        return (conv2d_backward_input(grad_output, kernel, x.shape, strides, padding,
                                      dilation_rate),
                conv2d_backward_kernel(grad_output, x, kernel.shape, strides, padding,
                                       dilation_rate))
    _, dilation_rate, output_size, pads = geometry
    check_shape("conv2d_backward", "grad_output", grad_output.shape,
                x.shape[:1] + output_size + kernel.shape[3:])
    return _input_gradient_by_convolution(grad_output, kernel, x.shape, dilation_rate, pads,
                                          x)


def conv2d_backward_kernel(grad_output, x, kernel_shape, strides=(1, 1), padding="valid",
                           dilation_rate=(1, 1)):
    """Gradient of `conv2d` with respect to its kernel.

    `grad_kernel[a, b, c, o]` sums, over every batch item and output cell, the input
    value tap `(a, b, c)` read times `grad_output[..., o]`: patches transposed times
    `grad_output`.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        x: the forward input, shape `(batch, height, width, in_channels)`.
        kernel_shape: the kernel's shape `(kernel_h, kernel_w, in_channels, out_channels)`.
        strides: the forward strides.
        padding: the forward padding, `"valid"` or `"same"`.
        dilation_rate: the forward dilation rate.

    # Returns
        The gradient of the kernel, shape `kernel_shape`.

    # Raises
        ValueError: for the forward pass's argument errors, or if `grad_output` does not
            have the forward output's shape.
    """
    dtype = float_dtype(grad_output, x)
    grad_output, x = np.ascontiguousarray(grad_output, dtype), np.ascontiguousarray(x, dtype)
    kernel_shape = tuple(kernel_shape)
    strides, dilation_rate, output_size, pads = conv_geometry(
        "conv2d_backward_kernel", x.shape, kernel_shape, strides, padding, dilation_rate)
    out_channels = kernel_shape[3]
    check_shape("conv2d_backward_kernel", "grad_output", grad_output.shape,
                x.shape[:1] + output_size + (out_channels,))
    spec = _window_spec(kernel_shape, strides, dilation_rate, pads)
    return _kernel_gradient(grad_output, _patch_chunks(x, output_size, kernel_shape[:3], spec),
                            kernel_shape)


def conv2d_backward_kernel_from_patches(grad_output, patches, kernel_shape):
    """Gradient of `conv2d` with respect to its kernel, from the forward pass's patches.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        patches: the patches that `conv2d_keeping_patches` returned.
        kernel_shape: the kernel's shape `(kernel_h, kernel_w, in_channels, out_channels)`.

    # Returns
        The gradient of the kernel, shape `kernel_shape`.
    """
    grad_output = np.ascontiguousarray(grad_output, float_dtype(grad_output))
    return _kernel_gradient(grad_output, patches, tuple(kernel_shape))


def _kernel_gradient(grad_output, patch_chunks, kernel_shape):
    """Sums `patches.T @ grad_output` over the chunks of the batch."""
    out_channels = kernel_shape[3]
    grad_kernel = np.zeros((int(np.prod(kernel_shape[:3])), out_channels), grad_output.dtype)
    for start, stop, patches in patch_chunks:
        grad_kernel += _long_inner_product(patches,
                                           grad_output[start:stop].reshape(-1, out_channels))
    return grad_kernel.reshape(kernel_shape)


def _long_inner_product(tall_a, tall_b):
    """Returns `tall_a.T @ tall_b`, a product summed over many rows, as BLAS runs it fastest.

    Measured with OpenBLAS on the benchmark's shapes, such a product ran 3 to 30 times
    slower when its result had fewer rows than columns; then `(tall_b.T @ tall_a).T`,
    the same numbers, is computed instead.
    """
    if tall_a.shape[1] >= tall_b.shape[1]:
        return tall_a.T @ tall_b
    return (tall_b.T @ tall_a).T


# Transposed convolution: the convolution's input gradient, run forward ------------------

def conv2d_transpose(x, kernel, strides=(1, 1), padding="valid", output_padding=None,
                     dilation_rate=(1, 1)):
    """Transposed 2-D convolution (Keras's `Conv2DTranspose`), no bias.

    It is `conv2d_backward_input` applied to `x`: the gradient of the forward
    convolution that maps the output's size back to `x`'s size. `padding` is that
    forward convolution's padding, split from the output's size as TensorFlow does.

    # Arguments
        x: input, shape `(batch, height, width, in_channels)`.
        kernel: weights as Keras stores them, shape
            `(kernel_h, kernel_w, out_channels, in_channels)`.
        strides: an int or a pair of ints, the upsampling factor.
        padding: `"valid"` or `"same"`.
        output_padding: `None`, or an int or pair of ints (each smaller than its stride)
            of extra rows and columns; the output size is Keras's
            `deconv_output_length` (see `geometry.py`).
        dilation_rate: an int or a pair of ints.

    # Returns
        The output, shape `(batch, out_h, out_w, out_channels)`.

    # Raises
        ValueError: for bad ranks, mismatched channels, bad strides, padding or
            output padding.
    """
    output_shape = transpose_output_shape(np.shape(x), np.shape(kernel), strides, padding,
                                          output_padding, dilation_rate)
    return conv2d_backward_input(x, kernel, output_shape, strides, padding, dilation_rate)


def conv2d_transpose_backward_input(grad_output, kernel, strides=(1, 1), padding="valid",
                                    dilation_rate=(1, 1)):
    """Gradient of `conv2d_transpose` with respect to its input: `conv2d` of `grad_output`.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        kernel: the kernel, shape `(kernel_h, kernel_w, out_channels, in_channels)`.
        strides: the transposed convolution's strides.
        padding: its padding, `"valid"` or `"same"`.
        dilation_rate: its dilation rate.

    # Returns
        The gradient of the input, shape `(batch, height, width, in_channels)`.

    # Raises
        ValueError: for the arguments `conv2d` rejects.
    """
    return conv2d(grad_output, kernel, strides, padding, dilation_rate)


def conv2d_transpose_backward_kernel(grad_output, x, kernel_shape, strides=(1, 1),
                                     padding="valid", dilation_rate=(1, 1)):
    """Gradient of `conv2d_transpose` with respect to its kernel.

    The forward convolution behind the transpose reads `grad_output`'s shape and
    writes `x`'s, so this is `conv2d_backward_kernel` with the two swapped.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, out_channels)`.
        x: the input, shape `(batch, height, width, in_channels)`.
        kernel_shape: the kernel's shape `(kernel_h, kernel_w, out_channels, in_channels)`.
        strides: the transposed convolution's strides.
        padding: its padding, `"valid"` or `"same"`.
        dilation_rate: its dilation rate.

    # Returns
        The gradient of the kernel, shape `kernel_shape`.

    # Raises
        ValueError: for the arguments `conv2d_backward_kernel` rejects.
    """
    return conv2d_backward_kernel(x, grad_output, kernel_shape, strides, padding,
                                  dilation_rate)


# Depthwise convolution ------------------------------------------------------------------

def depthwise_conv2d(x, kernel, strides=(1, 1), padding="valid", dilation_rate=(1, 1)):
    """Depthwise 2-D convolution: each input channel convolved with its own filters.

    `y[n, i, j, c * multiplier + m] = sum over (a, b) of
    x_padded[n, i * sh + a * dh, j * sw + b * dw, c] * kernel[a, b, c, m]`.

    # Arguments
        x: input, shape `(batch, height, width, channels)`.
        kernel: weights, shape `(kernel_h, kernel_w, channels, depth_multiplier)`.
        strides: an int or a pair of ints.
        padding: `"valid"` or `"same"`.
        dilation_rate: an int or a pair of ints.

    # Returns
        The output, shape `(batch, out_h, out_w, channels * depth_multiplier)`.

    # Raises
        ValueError: for the arguments `conv2d` rejects.
    """
    dtype = float_dtype(x, kernel)
    x, kernel = np.ascontiguousarray(x, dtype), np.ascontiguousarray(kernel, dtype)
    strides, dilation_rate, output_size, pads = conv_geometry(
        "depthwise_conv2d", x.shape, kernel.shape, strides, padding, dilation_rate)
    spec = _window_spec(kernel.shape, strides, dilation_rate, pads)
    y = np.empty(x.shape[:1] + output_size + kernel.shape[2:], dtype)
    return _depthwise(x, kernel, spec, y).reshape(y.shape[:3] + (-1,))


def depthwise_conv2d_backward_input(grad_output, kernel, input_shape, strides=(1, 1),
                                    padding="valid", dilation_rate=(1, 1)):
    """Gradient of `depthwise_conv2d` with respect to its input.

    # Arguments
        grad_output: gradient of the output,
            shape `(batch, out_h, out_w, channels * depth_multiplier)`.
        kernel: the forward kernel, shape `(kernel_h, kernel_w, channels, depth_multiplier)`.
        input_shape: the forward input's shape `(batch, height, width, channels)`.
        strides: the forward strides.
        padding: the forward padding, `"valid"` or `"same"`.
        dilation_rate: the forward dilation rate.

    # Returns
        The gradient of the input, shape `input_shape`.

    # Raises
        ValueError: for the forward pass's argument errors, or if `grad_output` does not
            have the forward output's shape.
    """
    dtype = float_dtype(grad_output, kernel)
    grad_output = np.ascontiguousarray(grad_output, dtype)
    kernel = np.ascontiguousarray(kernel, dtype)
    input_shape = tuple(input_shape)
    strides, dilation_rate, output_size, pads = conv_geometry(
        "depthwise_conv2d_backward_input", input_shape, kernel.shape, strides, padding,
        dilation_rate)
    channels, multiplier = kernel.shape[2:]
    check_shape("depthwise_conv2d_backward_input", "grad_output", grad_output.shape,
                input_shape[:1] + output_size + (channels * multiplier,))
    spec = _window_spec(kernel.shape, strides, dilation_rate, pads)
    grad_output = grad_output.reshape(grad_output.shape[:3] + (channels, multiplier))
    return _depthwise_backward_input(grad_output, kernel, spec, np.empty(input_shape, dtype))


def depthwise_conv2d_backward_kernel(grad_output, x, kernel_shape, strides=(1, 1),
                                     padding="valid", dilation_rate=(1, 1)):
    """Gradient of `depthwise_conv2d` with respect to its kernel.

    # Arguments
        grad_output: gradient of the output,
            shape `(batch, out_h, out_w, channels * depth_multiplier)`.
        x: the forward input, shape `(batch, height, width, channels)`.
        kernel_shape: the kernel's shape `(kernel_h, kernel_w, channels, depth_multiplier)`.
        strides: the forward strides.
        padding: the forward padding, `"valid"` or `"same"`.
        dilation_rate: the forward dilation rate.

    # Returns
        The gradient of the kernel, shape `kernel_shape`.

    # Raises
        ValueError: for the forward pass's argument errors, or if `grad_output` does not
            have the forward output's shape.
    """
    dtype = float_dtype(grad_output, x)
    grad_output, x = np.ascontiguousarray(grad_output, dtype), np.ascontiguousarray(x, dtype)
    kernel_shape = tuple(kernel_shape)
    strides, dilation_rate, output_size, pads = conv_geometry(
        "depthwise_conv2d_backward_kernel", x.shape, kernel_shape, strides, padding,
        dilation_rate)
    channels, multiplier = kernel_shape[2:]
    check_shape("depthwise_conv2d_backward_kernel", "grad_output", grad_output.shape,
                x.shape[:1] + output_size + (channels * multiplier,))
    spec = _window_spec(kernel_shape, strides, dilation_rate, pads)
    grad_output = grad_output.reshape(grad_output.shape[:3] + (channels, multiplier))
    return _depthwise_backward_kernel(grad_output, x, spec, np.empty(kernel_shape, dtype))


# Pooling --------------------------------------------------------------------------------

def max_pool2d(x, pool_size, strides=None, padding="valid", return_argmax=True):
    """2-D max pooling, with the position of each maximum for the backward pass.

    Padding cells never win: only the real cells of each window are candidates.
    Inputs must not contain NaN.

    # Arguments
        x: input, shape `(batch, height, width, channels)`.
        pool_size: an int or a pair of ints, the window size.
        strides: an int, a pair of ints, or `None` for `pool_size`.
        padding: `"valid"` or `"same"`.
        return_argmax: whether to find the positions of the maxima (only the backward
            pass needs them).

    # Returns
        A pair `(y, argmax)`: `y` of shape `(batch, out_h, out_w, channels)`, and `argmax`
        (int64, same shape) holding for each output the flat index `h * width + w`, in
        the unpadded input plane, of the first maximum of its window (row by row), or
        None if `return_argmax` is False.

    # Raises
        ValueError: for a bad rank, pool size, stride or padding, or a pool larger than
            a `'valid'` input.
    """
    x = np.ascontiguousarray(x, float_dtype(x))
    pool_size, strides, output_size, pads = pool_geometry(
        "max_pool2d", x.shape, pool_size, strides, padding)
    output_shape = x.shape[:1] + output_size + x.shape[3:]
    spec = _window_spec(pool_size, strides, (1, 1), pads)
    y = np.empty(output_shape, x.dtype)
    if not return_argmax:
        return _max_pool_values(x, spec, y), None
    return _max_pool(x, spec, y, np.empty(output_shape, np.int64))


def max_pool2d_backward(grad_output, argmax, input_shape):
    """Gradient of `max_pool2d` with respect to its input.

    Each output's gradient goes to the input cell that won its window; a cell that wins
    several overlapping windows receives the sum.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, channels)`.
        argmax: the `argmax` that `max_pool2d` returned, same shape.
        input_shape: the forward input's shape `(batch, height, width, channels)`.

    # Returns
        The gradient of the input, shape `input_shape`.

    # Raises
        ValueError: if `argmax` and `grad_output` differ in shape or do not fit
            `input_shape`.
    """
    grad_output = np.ascontiguousarray(grad_output, float_dtype(grad_output))
    input_shape = check_argmax(grad_output.shape, np.shape(argmax), input_shape)
    argmax = np.ascontiguousarray(argmax, np.int64)
    return _max_pool_backward(grad_output, argmax, np.empty(input_shape, grad_output.dtype))


def avg_pool2d(x, pool_size, strides=None, padding="valid"):
    """2-D average pooling.

    With `'same'` padding a window that overlaps the padding is averaged over its real
    cells only, as TensorFlow does.

    # Arguments
        x: input, shape `(batch, height, width, channels)`.
        pool_size: an int or a pair of ints, the window size.
        strides: an int, a pair of ints, or `None` for `pool_size`.
        padding: `"valid"` or `"same"`.

    # Returns
        The output, shape `(batch, out_h, out_w, channels)`.

    # Raises
        ValueError: for a bad rank, pool size, stride or padding, or a pool larger than
            a `'valid'` input.
    """
    x = np.ascontiguousarray(x, float_dtype(x))
    pool_size, strides, output_size, pads = pool_geometry(
        "avg_pool2d", x.shape, pool_size, strides, padding)
    spec = _window_spec(pool_size, strides, (1, 1), pads)
    return _avg_pool(x, spec, np.empty(x.shape[:1] + output_size + x.shape[3:], x.dtype))


def avg_pool2d_backward(grad_output, input_shape, pool_size, strides=None, padding="valid"):
    """Gradient of `avg_pool2d` with respect to its input.

    Each output's gradient is shared equally among the real cells of its window.

    # Arguments
        grad_output: gradient of the output, shape `(batch, out_h, out_w, channels)`.
        input_shape: the forward input's shape `(batch, height, width, channels)`.
        pool_size: the forward pool size.
        strides: the forward strides, or `None` for `pool_size`.
        padding: the forward padding, `"valid"` or `"same"`.

    # Returns
        The gradient of the input, shape `input_shape`.

    # Raises
        ValueError: for the forward pass's argument errors, or if `grad_output` does not
            have the forward output's shape.
    """
    grad_output = np.ascontiguousarray(grad_output, float_dtype(grad_output))
    input_shape = tuple(input_shape)
    pool_size, strides, output_size, pads = pool_geometry(
        "avg_pool2d_backward", input_shape, pool_size, strides, padding)
    check_shape("avg_pool2d_backward", "grad_output", grad_output.shape,
                input_shape[:1] + output_size + input_shape[3:])
    spec = _window_spec(pool_size, strides, (1, 1), pads)
    return _avg_pool_backward(grad_output, spec, np.empty(input_shape, grad_output.dtype))


# Bias and relu ----------------------------------------------------------------------------

# Below this many values, `bias_relu`, its backward and `adam_update` leave the work to
# NumPy: starting a parallel loop costs tens of microseconds, more than a small Dense
# layer's whole step.
PARALLEL_MIN_SIZE = 2**16


def bias_relu(x, bias, relu=True, out=None):
    """Adds a bias along the last axis, then applies relu if asked: `max(x + bias, 0)`.

    One parallel pass: on the case study's first conv output, (32, 61, 61, 32), 0.6 ms
    where NumPy's `x + bias` and `maximum` took 5.8 (two threads).

    # Arguments
        x: input, shape `(..., channels)`.
        bias: shape `(channels,)`.
        relu: whether to apply relu after the bias.
        out: a C-contiguous array of the shape and dtype of `x` to write the output
            to (it may be `x` itself), or None for a new array.

    # Returns
        The output: `out`, or a new array of the shape and dtype of `x`.

    # Raises
        ValueError: if `out` is not a C-contiguous array of the shape of `x`.
    """
    if _leave_to_numpy(x):
        return reference.bias_relu(x, bias, relu, out)
    rows = np.ascontiguousarray(x).reshape(-1, x.shape[-1])
    output = np.empty(x.shape, x.dtype) if out is None else out
    if not (output.flags.c_contiguous and output.shape == x.shape):
        raise ValueError(f"bias_relu: `out` must be a C-contiguous array of shape {x.shape}; "
                         f"received one of shape {output.shape}.")
    _bias_relu(rows, np.asarray(bias, x.dtype), relu, output.reshape(rows.shape))
    return output


def bias_relu_backward(grad_output, output, relu=True):
    """Gradients of `bias_relu`, found from its output alone, in one parallel pass.

    # Arguments
        grad_output: gradient of the output, shape `(..., channels)`.
        output: the forward output, same shape.
        relu: whether the forward pass applied relu.

    # Returns
        A pair: the gradient of `x` (shape of `grad_output`) and of `bias` (`(channels,)`).
    """
    if _leave_to_numpy(grad_output):
        return reference.bias_relu_backward(grad_output, output, relu)
    grad_output = np.ascontiguousarray(grad_output)
    channels = grad_output.shape[-1]
    grad_rows = grad_output.reshape(-1, channels)
    grad_x = np.empty_like(grad_rows)
    # One partial sum of the bias gradient per part of the rows, added up at the end.
    partial_sums = np.empty((2 * numba.get_num_threads(), channels), grad_output.dtype)
    _bias_relu_backward(grad_rows, np.ascontiguousarray(output).reshape(-1, channels), relu,
                        grad_x, partial_sums)
    return grad_x.reshape(grad_output.shape), partial_sums.sum(axis=0)


def _leave_to_numpy(array):
    """Whether an elementwise kernel leaves an array to NumPy: too small, or not
    float32/64."""
    return np.size(array) < PARALLEL_MIN_SIZE or array.dtype not in (np.float32, np.float64)


@njit(cache=True, parallel=True)
def _bias_relu(rows, bias, relu, output):
    """Fills `output` with `rows + bias`, and relu of that if asked (NaN stays NaN)."""
    count, channels = rows.shape
    for r in prange(count):
        for c in range(channels):
            value = rows[r, c] + bias[c]
            output[r, c] = 0 if relu and value < 0 else value
    return output


@njit(cache=True, parallel=True)
def _bias_relu_backward(grad_rows, output_rows, relu, grad_x, partial_sums):
    """Fills `grad_x` and, part by part of the rows, `partial_sums` of the bias gradient."""
    count, channels = grad_rows.shape
    parts = partial_sums.shape[0]
    rows_per_part = (count + parts - 1) // parts
    for part in prange(parts):
        partial_sums[part] = 0
        for r in range(part * rows_per_part, min(count, (part + 1) * rows_per_part)):
            for c in range(channels):
                grad = grad_rows[r, c]
                if relu and not output_rows[r, c] > 0:
                    grad = 0
                grad_x[r, c] = grad
                partial_sums[part, c] += grad
    return grad_x


# Adam's update ------------------------------------------------------------------------------

def adam_update(value, grad, m, v, lr_t, beta_1, beta_2, epsilon, vhat=None):
    """One step of Adam's rule on one variable, every array updated in place.

    One parallel pass over the arrays, where NumPy makes about ten: on the wide MLP's
    (784, 512) kernel, 0.31 ms where `reference.adam_update` took 1.16 (medians, two
    threads). Same rounding as `reference.adam_update`: each operation is done in the
    arrays' dtype, in the same order.

    # Arguments
        value: the variable's array, updated in place.
        grad: its gradient, same shape and dtype.
        m: the first-moment average, updated in place.
        v: the second-moment average, updated in place.
        lr_t: the step's learning rate, bias correction included.
        beta_1: the decay of `m`.
        beta_2: the decay of `v`.
        epsilon: the fuzz factor added to the root.
        vhat: for AMSGrad, the running maximum of `v`, updated in place; else None.
    """
    arrays = (value, grad, m, v) + (() if vhat is None else (vhat,))
    if _leave_to_numpy(value) or not all(
            array.flags.c_contiguous and array.dtype == value.dtype for array in arrays):
        reference.adam_update(value, grad, m, v, lr_t, beta_1, beta_2, epsilon, vhat)
        return
    scalar = value.dtype.type  # the rule's numbers in the arrays' dtype, as NumPy uses them
    flat = [array.reshape(-1) for array in arrays]
    _adam_update(flat[0], flat[1], flat[2], flat[3], flat[-1], vhat is not None,
                 scalar(lr_t), scalar(beta_1), scalar(1 - beta_1), scalar(beta_2),
                 scalar(1 - beta_2), scalar(epsilon))


@njit(cache=True, parallel=True)
def _adam_update(value, grad, m, v, vhat, amsgrad, lr_t, beta_1, one_minus_beta_1, beta_2,
                 one_minus_beta_2, epsilon):
    """`adam_update` on flat arrays, element by element (`vhat` is `v` unless `amsgrad`)."""
    for k in prange(value.size):
        g = grad[k]
        m[k] = m[k] * beta_1 + g * one_minus_beta_1
        v[k] = v[k] * beta_2 + g * g * one_minus_beta_2
        largest_v = v[k]
        if amsgrad:
            largest_v = max(vhat[k], largest_v)
            vhat[k] = largest_v
        value[k] -= lr_t * m[k] / (np.sqrt(largest_v) + epsilon)
