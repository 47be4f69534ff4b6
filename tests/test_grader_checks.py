"""More tests of the grader's decisions: the wire format, `compare`, `diagnosis`, `checks`.

These run in the grader's own process (no test process is started), so they are fast.
They complement `tests/test_course.py` with the rarer paths: malformed data on the
pipe, values that are not arrays, and each kind of check done by the `Asserter` that a
student's own `pytest` run uses.
"""
import json

import numpy as np
import pytest

from minikeras.grader import wire
from minikeras.grader.checks import Asserter, Recorder, points, time_interleaved
from minikeras.grader.compare import evaluate, normalize
from minikeras.grader.diagnosis import as_array, describe, diagnose


def _decision(kind, actual, expected=None, **options):
    return evaluate({"kind": kind, "what": "x", "expected": expected, "options": options},
                    actual)


# ---- wire ------------------------------------------------------------------------------

class Strange:
    """An object whose repr fails, as a student's object might."""

    def __repr__(self):
        raise RuntimeError("no repr")


def test_wire_sends_numpy_scalars_as_numbers_and_others_as_descriptions():
    assert wire.encode(np.float32(1.5)) == 1.5 and wire.encode(np.int64(3)) == 3
    assert wire.encode(np.datetime64("2024-01-02"))["type"] == "datetime64"
    assert wire.encode({1: "a"}) == {"__repr__": "{1: 'a'}", "type": "dict"}
    assert wire.encode(Strange()) == {"__repr__": "<Strange object>", "type": "Strange"}


def test_wire_cuts_long_descriptions_and_deep_nesting():
    long = wire.encode(set(range(1000)))
    assert long["type"] == "set" and len(long["__repr__"]) == wire.MAX_REPR
    nested = [1]
    for _ in range(wire.MAX_DEPTH + 5):
        nested = [nested]
    encoded = wire.encode(nested)
    innermost = encoded
    while isinstance(innermost, list):
        innermost = innermost[0]
    assert innermost["type"] == "list"  # past MAX_DEPTH, only a description travels


def test_wire_decodes_descriptions_as_unreadable_values():
    value = wire.decode(json.loads(json.dumps(wire.encode({"x": {1, 2}}))))["x"]
    assert isinstance(value, wire.Unreadable)
    assert repr(value) == "{1, 2}" and value.type_name == "set"
    assert value == wire.Unreadable("{1, 2}", "set")
    assert value != wire.Unreadable("{1, 2}", "frozenset") and value != "{1, 2}"
    assert len({value, wire.Unreadable("{1, 2}", "set")}) == 2  # hashed by identity
    assert wire.decode({"__repr__": "thing"}).type_name == "object"


@pytest.mark.parametrize("data, words", [
    ({"__tuple__": []}, None),
    ({"unknown": 1}, "Unexpected JSON object with keys \\['unknown'\\]"),
    ({"__ndarray__": "AAAA", "dtype": "<f8", "shape": [-1]}, "Negative length"),
    ({"__ndarray__": "AAAAAAAAAAA=", "dtype": "<f8", "shape": [1]}, None),
    ({"__ndarray__": "AAAA", "dtype": "<U1", "shape": [1]}, "not accepted"),
])
def test_wire_decode_accepts_well_formed_and_refuses_malformed(data, words):
    if words is None:
        assert wire.decode(data) is not None
    else:
        with pytest.raises(ValueError, match=words):
            wire.decode(data)


def test_wire_refuses_data_nested_too_deeply_and_strange_json_types():
    deep = 0
    for _ in range(wire.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(ValueError, match="nested too deeply"):
        wire.decode(deep)
    with pytest.raises(ValueError, match="Unexpected JSON value of type set"):
        wire.decode({1, 2})


def test_wire_arrays_are_fresh_writable_copies():
    original = np.arange(4, dtype=np.int16)
    decoded = wire.decode(wire.encode(original))
    assert decoded.dtype == np.int16 and decoded.flags.writeable
    decoded[0] = 99
    assert original[0] == 0
    transposed = np.arange(6.0).reshape(2, 3).T  # not contiguous
    np.testing.assert_array_equal(wire.decode(wire.encode(transposed)), transposed)


def test_wire_lines_are_json_objects_or_nothing():
    line = wire.dumps({"event": "start", "test": "t"})
    assert "\n" not in line and " " not in line
    assert wire.loads(line) == {"event": "start", "test": "t"}
    assert wire.loads(line.encode()) == {"event": "start", "test": "t"}
    assert wire.loads("[1, 2]") is None
    assert wire.loads("not json") is None
    assert wire.loads(b"\xff\xfe") is None


# ---- compare ---------------------------------------------------------------------------

def test_normalize_makes_arrays_lists_and_tuples_alike():
    assert normalize(np.array([[1, 2], [3, 4]])) == ((1, 2), (3, 4))
    assert normalize({"a": [np.int32(1)]}) == {"a": (1,)}
    assert isinstance(normalize(np.float64(2.5)), float)


def test_equal_of_a_condition_says_whether_it_should_hold():
    passed, message = _decision("equal", False, True, hint="Did you reset the gradient?")
    assert not passed and message == "this does not hold. Did you reset the gradient?"
    passed, message = _decision("equal", True, False)
    assert not passed and message == "this should not hold."
    assert _decision("equal", False, False) == (True, "")


def test_raises_refuses_an_observation_that_is_not_one():
    assert _decision("raises", 5, "ValueError") == (False, "expected ValueError to be raised.")


def test_at_least_needs_one_finite_number():
    assert _decision("at_least", np.array([0.9]), minimum=0.8) == (True, "")
    passed, message = _decision("at_least", 0.5, minimum=0.8)
    assert not passed and message == "got 0.5, needs at least 0.8."
    passed, message = _decision("at_least", True, minimum=0.8)
    assert not passed and "expected a finite number of at least 0.8" in message
    passed, message = _decision("at_least", [1.0, 2.0], minimum=0.8)
    assert not passed and "a list of length 2" in message


def test_accuracy_needs_labels_of_the_right_shape():
    passed, message = _decision("accuracy", np.array([0, 1]), np.array([0, 1, 1]), minimum=0.5)
    assert not passed and "expected predicted labels of shape (3,)" in message
    passed, message = _decision("accuracy", "labels", np.array([0, 1]), minimum=0.5)
    assert not passed and "got a str ('labels')" in message


@pytest.mark.parametrize("timings, words", [
    ({"student": [1.0]}, "could not be read"),
    ({"student": ["fast"], "reference": [1.0]}, "could not be read"),
    (None, "could not be read"),
    ({"student": [], "reference": [1.0]}, "missing or not positive"),
    ({"student": [0.0], "reference": [1.0]}, "missing or not positive"),
])
def test_speedup_refuses_unreadable_timings(timings, words):
    passed, message = _decision("speedup", timings, minimum=1.0)
    assert not passed and words in message


def test_an_unknown_kind_of_check_is_an_error():
    with pytest.raises(ValueError, match="Unknown kind of check 'bigger'"):
        _decision("bigger", 1)


# ---- diagnosis -------------------------------------------------------------------------

def test_describe_is_short_and_says_the_type():
    assert describe(None) == "None"
    assert describe(np.zeros((3, 4))) == "an array of shape (3, 4)"
    assert describe((1, 2)) == "a tuple of length 2"
    assert describe(2.5) == "the number 2.5"
    assert describe(wire.Unreadable("<Layer>", "Dense")) == "a Dense (<Layer>)"


def test_as_array_accepts_numbers_only():
    assert as_array(True) is None and as_array(None) is None
    assert as_array("text") is None
    assert as_array([[1, 2], [3]]) is None  # ragged
    np.testing.assert_array_equal(as_array([1, 2]), [1, 2])


def test_diagnosis_of_values_that_are_not_arrays():
    passed, message = diagnose("three", np.zeros(3))
    assert not passed and message == "got a str ('three'), expected an array of shape (3,)."


def test_diagnosis_of_a_gradient_that_should_be_summed_over_broadcast_axes():
    passed, message = diagnose(np.ones((2, 3)), np.full((1, 3), 5.0))
    assert not passed
    assert "got shape (2, 3), expected (1, 3)." in message
    assert "sum the gradient over the broadcast axes (0,)" in message
    # A shape that broadcasting cannot explain gets the plain message only.
    assert diagnose(np.ones((2, 3)), np.ones((4, 5)))[1] == "got shape (2, 3), expected (4, 5)."
    assert diagnose(np.ones(3), np.ones((2, 3)))[1] == "got shape (3,), expected (2, 3)."


def test_diagnosis_of_right_values_in_the_wrong_layout():
    values = np.arange(6.0)
    _, message = diagnose(values.reshape(6, 1), values)
    assert "only length-1 axes differ" in message
    _, message = diagnose(values.reshape(3, 2), values.reshape(2, 3))
    assert "laid out in the wrong shape" in message


def test_diagnosis_of_integer_values_and_infinities():
    _, message = diagnose(np.array([0, 1]), np.array([0.5, 1.5]))
    assert "Your values are integers, dtype int64" in message or \
        "Your values are integers, dtype int" in message
    _, message = diagnose(np.array([1.0, np.inf]), np.array([1.0, 2.0]))
    assert message.startswith("produced inf at 1 of 2 positions (first at index (1,))")


def test_diagnosis_of_scalars_and_factors():
    passed, message = diagnose(np.float64(3.0), np.float64(1.0))
    assert not passed and "got 3 times the expected value" in message
    _, message = diagnose(np.array([2.0, 4.0]), np.array([1.0, 2.0]))
    assert "A factor of 2" in message
    _, message = diagnose(np.array([3.0, 6.0]), np.array([1.0, 2.0]))
    assert "A whole factor of 3: a sum where a mean belongs" in message
    _, message = diagnose(np.array([1.7, 3.4]), np.array([1.0, 2.0]))
    assert "Check the scale" in message
    _, message = diagnose(np.array([1.0, 5.0]), np.array([1.0, 2.0]))
    assert message == ("1 of 2 values differ; the largest difference is at index (1,): "
                       "got 5, expected 2.")


def test_diagnosis_names_no_border_when_the_middle_is_wrong():
    expected = np.zeros((1, 5, 5, 1))
    actual = expected.copy()
    actual[0, 2, 1:3, 0] = 1.0
    _, message = diagnose(actual, expected)
    assert "2 of 25 values differ" in message and "border" not in message


# ---- checks ----------------------------------------------------------------------------

def test_points_marks_a_test_and_returns_it():
    def test_a(student, check):
        pass

    assert points(3, time_limit=5)(test_a) is test_a
    assert (test_a.points, test_a.time_limit) == (3, 5)


def test_time_interleaved_calls_each_function_once_more_than_timed():
    calls = []
    first, second = time_interleaved(lambda: calls.append("a"), lambda: calls.append("b"),
                                     repeats=3)
    assert calls == ["a", "b"] * 4
    assert len(first) == len(second) == 3 and min(first + second) >= 0


def test_recorder_records_each_kind_without_deciding():
    check = Recorder()
    check.true("kept no state", 0, hint="a hint")
    check.raises("bad input", ValueError, int, "x")
    check.raises("good input", ValueError, int, "7")
    check.at_least("accuracy", 0.5, 0.9)
    check.accuracy("labels", np.array([1, 0]), np.array([1, 1]), 0.9)
    check.speedup("kernel", [2.0], [1.0], 1.0)
    kinds = [record["kind"] for record in check.records]
    assert kinds == ["equal", "raises", "raises", "at_least", "accuracy", "speedup"]
    assert check.records[0]["actual"] is False and check.records[0]["options"] == {
        "__dict__": [["hint", "a hint"]]}
    raised = wire.decode(check.records[1]["actual"])
    assert raised["raised"][:2] == ["ValueError", "Exception"]
    assert "invalid literal" in raised["message"]
    assert wire.decode(check.records[2]["actual"]) == {"raised": None, "returned": 7}


def test_recorder_keeps_the_value_observed_even_if_it_changes_later():
    check = Recorder()
    array = np.zeros(2)
    check.close("grad", array, np.zeros(2))
    array[:] = 5
    np.testing.assert_array_equal(wire.decode(check.records[0]["actual"]), np.zeros(2))


def test_asserter_fails_each_kind_with_the_graders_words():
    check = Asserter()
    check.true("holds", 1)
    check.raises("bad", ValueError, int, "x")
    check.at_least("score", 1.0, 0.5)
    check.accuracy("labels", np.array([1, 1]), np.array([1, 1]), 1.0)
    check.speedup("kernel", [1.0], [2.0], 1.5)
    with pytest.raises(AssertionError, match="holds: this does not hold. hint"):
        check.true("holds", [], hint="hint")
    with pytest.raises(AssertionError, match="good: expected ValueError to be raised, but "
                                             "the call returned the number 7"):
        check.raises("good", ValueError, int, "7")
    with pytest.raises(AssertionError, match="score: got 0.1, needs at least 0.5"):
        check.at_least("score", 0.1, 0.5)
    with pytest.raises(AssertionError, match="labels: accuracy 50.0%, needs at least 90%"):
        check.accuracy("labels", np.array([1, 0]), np.array([1, 1]), 0.9)
    with pytest.raises(AssertionError, match="kernel: your code runs at 0.50x"):
        check.speedup("kernel", [2.0], [1.0], 1.0)
    with pytest.raises(AssertionError, match="shape: got \\(2, 3\\), expected \\(3, 2\\)"):
        check.equal("shape", (2, 3), (3, 2))
