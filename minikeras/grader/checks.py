"""What a course test sees: the `check` object every test receives, and `points`.

A test of the course is a function `test_...(student, check)`. It calls the student's
module and hands what came back to `check`, naming what it is:

```python
@points(2)
def test_leading_axes_are_summed(student, check):
    \"\"\"A (3,) input added to a (2, 3) one: its gradient sums over the new first axis.\"\"\"
    grad = np.arange(6.0).reshape(2, 3)
    check.close("gradient of the (3,) input", student.unbroadcast(grad, (3,)),
                expected=grad.sum(axis=0))
```

A test never decides alone whether it passed. Under the grader, `check` is a `Recorder`:
it writes down the actual value, the expected value and the tolerances, and decides
nothing. The grader runs the same test twice, once on the reference solution and once
on the student's file, and compares in its own process: the expected values, the
tolerances and the thresholds come from the reference run, the actual values from the
student's (see `minikeras.grader.sandbox`). When a student runs `pytest` on the public
tests, `check` is an `Asserter`, which compares at once and fails with the same
diagnosis the grader would give.
"""
import time

from minikeras.grader import wire


def points(value, time_limit=None):
    """Marks a test with the points it is worth and, optionally, its own time limit.

    The grader reads these from the test file's source (without running it), so both
    must be plain numbers.

    # Arguments
        value: the points, a number.
        time_limit: seconds the test may take, or `None` for the exercise's default.

    # Returns
        A decorator that returns the test unchanged, with `points` and `time_limit` set.
    """
    def mark(test):
        test.points = value
        test.time_limit = time_limit
        return test

    return mark


def time_interleaved(first, second, repeats=7):
    """Times two functions in turns, after one warm-up call of each (to compile them).

    Alternating the calls exposes both to the same load on the machine, so their ratio
    is fair even when the machine is busy.

    # Arguments
        first: a function of no arguments.
        second: another function of no arguments.
        repeats: how many timed calls of each.

    # Returns
        A pair of lists of durations in seconds: `first`'s, then `second`'s.
    """
    first()
    second()
    first_times, second_times = [], []
    for _ in range(repeats):
        for function, times in ((first, first_times), (second, second_times)):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
    return first_times, second_times


class _Check:
    """The methods every test calls; subclasses decide what happens to each observation."""

    def close(self, what, actual, expected, rtol=1e-6, atol=1e-8, broadcast=None):
        """Observes an array that should equal `expected` within tolerances.

        # Arguments
            what: what the value is, for feedback ("gradient of b").
            actual: the student's value.
            expected: the right value.
            rtol: relative tolerance.
            atol: absolute tolerance.
            broadcast: optional pair `(input_shape, output_shape)` when the value is the
                gradient of an input that was broadcast to `output_shape`; the feedback
                then says when only the broadcast axes are wrong.
        """
        self._observe("close", what, actual, expected, rtol=rtol, atol=atol,
                      broadcast=broadcast)

    def equal(self, what, actual, expected):
        """Observes a value (a shape, a number, a string, a list) that should equal `expected`.

        # Arguments
            what: what the value is, for feedback.
            actual: the student's value.
            expected: the right value.
        """
        self._observe("equal", what, actual, expected)

    def true(self, what, actual, hint=""):
        """Observes a condition that should hold.

        # Arguments
            what: the condition, worded as a statement ("the layer keeps no state").
            actual: the condition's value.
            hint: what usually makes it fail, shown when it does.
        """
        self._observe("equal", what, bool(actual), True, hint=hint)

    def raises(self, what, exception, function, *args, **kwargs):
        """Calls `function(*args, **kwargs)` and observes which exception it raises.

        # Arguments
            what: what the call is, for feedback.
            exception: the exception class expected (a subclass is fine).
            function: the student's function.
            *args: its positional arguments.
            **kwargs: its keyword arguments.
        """
        try:
            result = function(*args, **kwargs)
        except Exception as error:  # an Exception is the observation, not a failure
            actual = {"raised": [cls.__name__ for cls in type(error).__mro__],
                      "message": str(error)[:500]}
        else:
            actual = {"raised": None, "returned": wire.encode(result)}
        self._observe("raises", what, actual, exception.__name__)

    def at_least(self, what, actual, minimum):
        """Observes a number that should be at least `minimum`.

        # Arguments
            what: what the number is, for feedback.
            actual: the student's number.
            minimum: the smallest passing value.
        """
        self._observe("at_least", what, actual, None, minimum=minimum)

    def accuracy(self, what, predictions, labels, minimum):
        """Observes predicted labels whose accuracy against `labels` should reach `minimum`.

        Under the grader the labels come from the reference run, never from the student's.

        # Arguments
            what: what is predicted, for feedback.
            predictions: the predicted labels, an array of ints.
            labels: the true labels.
            minimum: the smallest passing accuracy, between 0 and 1.
        """
        self._observe("accuracy", what, predictions, labels, minimum=minimum)

    def speedup(self, what, student_seconds, reference_seconds, minimum):
        """Observes timings: the reference's median over the student's should reach `minimum`.

        # Arguments
            what: what was timed, for feedback.
            student_seconds: a list of durations of the student's code.
            reference_seconds: a list of durations of the reference, measured alongside.
            minimum: the smallest passing ratio (1.0: at least as fast as the reference).
        """
        self._observe("speedup", what,
                      {"student": list(student_seconds), "reference": list(reference_seconds)},
                      None, minimum=minimum)

    def _observe(self, kind, what, actual, expected, **options):
        raise NotImplementedError


class Recorder(_Check):
    """The `check` of the grader: records every observation, decides nothing.

    Values are encoded at once (see `wire.encode`), so a later change to an array
    the student's code still holds does not change what was observed.
    """

    def __init__(self):
        self.records = []

    def _observe(self, kind, what, actual, expected, **options):
        self.records.append({
            "kind": kind, "what": str(what), "actual": wire.encode(actual),
            "expected": wire.encode(expected), "options": wire.encode(options),
        })


class Asserter(_Check):
    """The `check` of a student's own `pytest` run: compares at once and fails loudly."""

    def _observe(self, kind, what, actual, expected, **options):
        from minikeras.grader.compare import evaluate
        decoded = {"kind": kind, "what": str(what),
                   "expected": wire.decode(wire.encode(expected)), "options": options}
        passed, message = evaluate(decoded, wire.decode(wire.encode(actual)))
        if not passed:
            raise AssertionError(f"{what}: {message}")
