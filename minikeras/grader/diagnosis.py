"""Names the likely mistake when a student's array differs from the expected one.

"Got 0.5, expected 1.0" tells a student little. Most wrong gradients are wrong in a few
typical ways, and each leaves a fingerprint that a comparison can recognise:

- the shapes differ, and summing the extra axes gives the expected value: the gradient
  of a broadcast input was not summed (no unbroadcast);
- the shapes are swapped, and the transpose matches: a transposed matrix in a product;
- NaN or inf where the expected value is finite: overflow in `exp`, or `log(0)`;
- `-actual` matches: the sign is flipped;
- `c * expected` matches: off by a constant factor (a missing 2, a mean for a sum);
- all zeros: the gradient never arrived, or was overwritten;
- only the borders of an image differ: padding off by one.

`diagnose` tries them in that order and returns one sentence for the student.
"""
import numpy as np

NAN_HINT = ("NaN and inf usually come from exp of a large number or log of 0: subtract the "
            "maximum before exponentiating, or use the log-sum-exp form.")


def describe(value):
    """Describes a value briefly: its type, and its shape for arrays.

    # Arguments
        value: any value.

    # Returns
        A short string such as `"an array of shape (3, 4)"`.
    """
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    if isinstance(value, (int, float, np.number)):
        return f"the number {value!r}"
    return f"a {getattr(value, 'type_name', type(value).__name__)} ({value!r})"


def as_array(value):
    """Converts a student's value to a float array, if it can be one.

    # Arguments
        value: a number, a nested list or an array.

    # Returns
        A NumPy array, or `None` if the value is not numeric.
    """
    if isinstance(value, bool) or value is None:
        return None
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        return None
    if array.dtype.kind not in "biuf":
        return None
    return array


def _fmt(number):
    return f"{float(number):.6g}"


def _index(position):
    return tuple(int(i) for i in position)


def diagnose(actual, expected, rtol=1e-6, atol=1e-8, broadcast=None):
    """Compares a student's array with the expected one and explains any difference.

    # Arguments
        actual: the student's value (an array, a number, a list, or anything else).
        expected: the expected array.
        rtol: relative tolerance.
        atol: absolute tolerance.
        broadcast: optional `(input_shape, output_shape)`: the value is the gradient of
            an input broadcast to `output_shape`, which the feedback then mentions.

    # Returns
        A pair `(passed, message)`; the message is empty when `passed`.
    """
    expected = np.asarray(expected)
    if actual is None:
        return False, (f"got None, expected an array of shape {expected.shape}: "
                       "does the function end with a `return`?")
    array = as_array(actual)
    if array is None:
        return False, f"got {describe(actual)}, expected an array of shape {expected.shape}."
    if array.shape != expected.shape:
        return False, _shape_message(array, expected, rtol, atol)
    actual_f, expected_f = array.astype(np.float64), expected.astype(np.float64)
    if np.allclose(actual_f, expected_f, rtol=rtol, atol=atol, equal_nan=True):
        return True, ""
    message = _value_message(actual_f, expected_f, rtol, atol)
    if array.dtype.kind in "biu" and expected.dtype.kind == "f":
        message += (f" (Your values are integers, dtype {array.dtype}: an integer division, "
                    "or an integer array updated in place?)")
    if broadcast is not None:
        message += " " + _broadcast_note(*broadcast)
    return False, message


def _close(a, b, rtol, atol):
    return a.shape == b.shape and np.allclose(a, b, rtol=rtol, atol=atol)


def _shape_message(array, expected, rtol, atol):
    message = f"got shape {array.shape}, expected {expected.shape}."
    actual_f, expected_f = array.astype(np.float64), expected.astype(np.float64)
    loose = max(rtol, 1e-5)
    if array.ndim == 2 and array.shape == expected.shape[::-1] and _close(
            actual_f.T, expected_f, loose, atol):
        return message + (" It is the transpose of the expected value: is a matrix "
                          "transposed in a product (x.T @ grad, not grad.T @ x)?")
    summed_axes = _broadcast_axes(expected.shape, array.shape)
    if summed_axes is not None:
        reduced = _sum_to_shape(actual_f, expected.shape)
        if _close(reduced, expected_f, loose, atol):
            return message + (f" Summing it over axes {summed_axes} gives the expected value: "
                              "the input was broadcast, and its gradient must be summed over "
                              "the broadcast axes (unbroadcast).")
        return message + (f" The expected shape is the input's shape: sum the gradient over the "
                          f"broadcast axes {summed_axes}.")
    if array.size == expected.size:
        if _close(actual_f.reshape(expected.shape), expected_f, loose, atol):
            if np.squeeze(array).shape == np.squeeze(expected).shape:
                return message + (" The values are right; only length-1 axes differ (keepdims, "
                                  "or a reshape at the end?).")
            return message + " The values are right but laid out in the wrong shape."
    return message


def _broadcast_axes(small_shape, large_shape):
    """The axes of `large_shape` that broadcasting `small_shape` to it would add or stretch."""
    if len(small_shape) > len(large_shape):
        return None
    extra = len(large_shape) - len(small_shape)
    axes = list(range(extra))
    for axis, (small, large) in enumerate(zip(small_shape, large_shape[extra:])):
        if small == large:
            continue
        if small != 1:
            return None
        axes.append(axis + extra)
    return tuple(axes) if axes else None


def _sum_to_shape(array, shape):
    extra = array.ndim - len(shape)
    if extra:
        array = array.sum(axis=tuple(range(extra)))
    stretched = tuple(axis for axis, length in enumerate(shape)
                      if length == 1 and array.shape[axis] != 1)
    if stretched:
        array = array.sum(axis=stretched, keepdims=True)
    return array


def _value_message(actual, expected, rtol, atol):
    bad_actual = ~np.isfinite(actual)
    if np.any(bad_actual & np.isfinite(expected)):
        count = int(np.sum(bad_actual & np.isfinite(expected)))
        first = _index(np.argwhere(bad_actual)[0]) if actual.ndim else ()
        kind = "NaN" if np.isnan(actual).any() else "inf"
        return (f"produced {kind} at {count} of {actual.size} positions (first at index "
                f"{first}) where a finite value was expected. {NAN_HINT}")
    scale = np.max(np.abs(expected), initial=0)
    if scale > atol:
        if _close(-actual, expected, rtol, atol):
            return "the sign is flipped: you got the negative of the expected value."
        if not np.any(actual):
            return ("got all zeros where non-zero values were expected: did the gradient reach "
                    "this input (is it accumulated, not overwritten or reset)?")
        factor = float(np.sum(actual * expected) / np.sum(expected * expected))
        if abs(factor) > 1e-12 and not np.isclose(factor, 1.0, rtol=1e-3) and _close(
                actual, factor * expected, max(rtol, 1e-5) * 10, atol):
            return f"off by a constant factor: got {factor:.4g} times the expected value. " + \
                _factor_hint(factor)
    return _where_message(actual, expected, rtol, atol)


def _factor_hint(factor):
    for candidate in (2.0, 0.5):
        if np.isclose(factor, candidate, rtol=1e-3):
            return ("A factor of 2: the derivative of x ** 2 is 2 * x, and a central difference "
                    "divides by 2 * epsilon.")
    if np.isclose(factor, -1.0, rtol=1e-3):
        return "The sign is flipped."
    for value, words in ((factor, "a sum where a mean belongs"),
                         (1.0 / factor, "a mean where a sum belongs")):
        rounded = round(value)
        if rounded >= 2 and np.isclose(value, rounded, rtol=1e-3):
            return (f"A whole factor of {rounded}: {words} (over {rounded} elements, such as "
                    "the batch or the broadcast copies)?")
    return "Check the scale: a learning rate, a mean over the batch, a missing factor?"


def _where_message(actual, expected, rtol, atol):
    wrong = ~np.isclose(actual, expected, rtol=rtol, atol=atol)
    count = int(wrong.sum())
    worst = _index(np.unravel_index(np.argmax(np.where(wrong, np.abs(actual - expected), -1)),
                                    actual.shape)) if actual.ndim else ()
    message = (f"{count} of {actual.size} values differ; the largest difference is at index "
               f"{worst}: got {_fmt(actual[worst])}, expected {_fmt(expected[worst])}.")
    border = _border_note(wrong)
    return message + (" " + border if border else "")


def _border_note(wrong):
    """Says so when every wrong value of an image batch sits on its border (padding)."""
    if wrong.ndim != 4 or wrong.sum() < 2 or min(wrong.shape[1:3]) < 3:
        return ""  # (batch, height, width, channels) images only
    positions = np.argwhere(wrong)
    on_edge = np.zeros(len(positions), bool)
    for axis in (1, 2):
        last = wrong.shape[axis] - 1
        on_edge |= (positions[:, axis] == 0) | (positions[:, axis] == last)
    if on_edge.all():
        return ("Only values on the border are wrong: is the padding off by one (TensorFlow "
                "puts the odd padding pixel after, at the bottom and right)?")
    return ""


def _broadcast_note(input_shape, output_shape):
    axes = _broadcast_axes(tuple(input_shape), tuple(output_shape))
    if axes is None:
        return ""
    return (f"This input was broadcast from {tuple(input_shape)} to {tuple(output_shape)}, so "
            f"its gradient is the sum over axes {axes} of the output's gradient.")
