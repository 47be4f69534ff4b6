"""Decides one observation: whether the student's value passes the check the reference recorded.

Every decision takes the kind of check, the expected value, the tolerances and the
thresholds from the *reference* record, and only the actual value from the student's
run. A student's process can therefore make its own values whatever it likes, but not
the bar they are measured against.
"""
import math

import numpy as np

from minikeras.grader.diagnosis import as_array, describe, diagnose


def evaluate(reference, actual):
    """Decides whether an observed value passes the check recorded by the reference run.

    # Arguments
        reference: the reference run's record, decoded: a dict with `kind`, `what`,
            `expected` and `options`.
        actual: the value the student's run observed at the same check, decoded.

    # Returns
        A pair `(passed, message)`; the message says what is wrong, or is empty.

    # Raises
        ValueError: if the record's kind is unknown.
    """
    kind, expected, options = reference["kind"], reference["expected"], reference["options"]
    if kind == "close":
        return diagnose(actual, expected, options.get("rtol", 1e-6), options.get("atol", 1e-8),
                        options.get("broadcast"))
    if kind == "equal":
        return _equal(actual, expected, options.get("hint", ""))
    if kind == "raises":
        return _raises(actual, expected)
    if kind == "at_least":
        return _at_least(actual, options["minimum"])
    if kind == "accuracy":
        return _accuracy(actual, expected, options["minimum"])
    if kind == "speedup":
        return _speedup(actual, options["minimum"])
    raise ValueError(f"Unknown kind of check {kind!r}.")


def normalize(value):
    """Makes values comparable: tuples and lists alike, NumPy scalars as Python numbers.

    # Arguments
        value: a decoded value.

    # Returns
        The value with sequences as tuples and arrays as nested tuples.
    """
    if isinstance(value, np.ndarray):
        return normalize(value.tolist())
    if isinstance(value, (list, tuple)):
        return tuple(normalize(item) for item in value)
    if isinstance(value, dict):
        return {key: normalize(item) for key, item in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def _equal(actual, expected, hint):
    if isinstance(expected, bool):
        passed = actual is expected
    else:
        passed = normalize(actual) == normalize(expected)
    if passed:
        return True, ""
    if isinstance(expected, bool):
        message = "this does not hold." if expected else "this should not hold."
    else:
        message = f"got {actual!r}, expected {expected!r}."
    return False, message + (" " + hint if hint else "")


def _raises(actual, expected_name):
    if not isinstance(actual, dict) or "raised" not in actual:
        return False, f"expected {expected_name} to be raised."
    raised = actual["raised"]
    if raised is None:
        return False, (f"expected {expected_name} to be raised, but the call returned "
                       f"{describe(actual.get('returned'))}.")
    if expected_name in raised:
        return True, ""
    return False, (f"expected {expected_name}, but the call raised {raised[0]}: "
                   f"{actual.get('message', '')}")


def _number(value):
    if isinstance(value, bool):
        return None
    array = as_array(value)
    if array is None or array.size != 1:
        return None
    number = float(array.reshape(()))
    return number if math.isfinite(number) else None


def _at_least(actual, minimum):
    number = _number(actual)
    if number is None:
        return False, f"got {describe(actual)}, expected a finite number of at least {minimum}."
    if number >= minimum:
        return True, ""
    return False, f"got {number:.4g}, needs at least {minimum}."


def _accuracy(predictions, labels, minimum):
    labels = np.asarray(labels)
    array = as_array(predictions)
    if array is None or array.shape != labels.shape:
        return False, (f"got {describe(predictions)}, expected predicted labels of shape "
                       f"{labels.shape}.")
    accuracy = float(np.mean(array == labels))
    if accuracy >= minimum:
        return True, ""
    return False, f"accuracy {accuracy:.1%}, needs at least {minimum:.0%}."


def _speedup(actual, minimum):
    try:
        student = [float(t) for t in actual["student"]]
        reference = [float(t) for t in actual["reference"]]
    except (KeyError, TypeError, ValueError):
        return False, "the timings could not be read."
    if not student or not reference or min(student + reference) <= 0:
        return False, "the timings are missing or not positive."
    ratio = float(np.median(reference) / np.median(student))
    detail = (f"your code runs at {ratio:.2f}x the speed of the NumPy reference (median of "
              f"{len(student)} runs: yours {np.median(student) * 1e3:.3g} ms, the reference "
              f"{np.median(reference) * 1e3:.3g} ms)")
    if ratio >= minimum:
        return True, ""
    return False, (f"{detail}; it needs at least {minimum}x. Is every loop inside an @njit "
                   "function, with no Python objects in the loop?")
