"""Grades a submission: runs the reference and the student's code, then judges every test.

A test passes when its run ended normally and every check it recorded passes (see
`compare.evaluate`), comparing the student's values with the reference run's. Points
are all or nothing per test; the partial credit of an exercise comes from its many
small tests. The report prints as text for people, as JSON for scripts, and as
Gradescope's `results.json`.
"""
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from minikeras.grader import sandbox, wire
from minikeras.grader.compare import evaluate

EXPECTED_FORMAT = 1


@dataclass
class TestResult:
    """The verdict on one test.

    # Arguments
        spec: the `TestSpec`.
        passed: whether it passed.
        feedback: what went wrong (empty when it passed).
        status: how the test's run ended (`ok`, `error`, `timeout`, `crash`, `not run`).
        seconds: how long it ran.
    """

    spec: object
    passed: bool
    feedback: str = ""
    status: str = "ok"
    seconds: float = 0.0

    @property
    def score(self):
        """The points earned."""
        return self.spec.points if self.passed else 0.0


@dataclass
class Report:
    """The grade of one submission for one exercise.

    # Arguments
        exercise: the `Exercise`.
        results: the `TestResult`s, in test order.
        seconds: the time grading took.
        notes: remarks for the teacher (such as refused pipe lines).
    """

    exercise: object
    results: list
    seconds: float = 0.0
    notes: list = field(default_factory=list)

    @property
    def score(self):
        """The points earned."""
        return sum(result.score for result in self.results)

    @property
    def max_score(self):
        """The points available."""
        return sum(result.spec.points for result in self.results)

    def to_text(self):
        """Formats the report for a person, one line per test and feedback below failures.

        # Returns
            A string.
        """
        lines = [f"{self.exercise.name}: {_points(self.score)}/{_points(self.max_score)} points"]
        for result in self.results:
            mark = "PASS" if result.passed else "FAIL"
            where = " (hidden)" if result.spec.hidden else ""
            lines.append(f"  {mark} {_points(result.score):>4}/{_points(result.spec.points):<4}"
                         f"{result.spec.name}{where}: {result.spec.title}")
            if result.feedback:
                lines += ["         " + line for line in result.feedback.splitlines()]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)

    def to_json(self):
        """Returns the report as JSON data.

        # Returns
            A dict with `exercise`, `score`, `max_score`, `execution_time` and `tests`.
        """
        return {
            "exercise": self.exercise.name, "score": self.score, "max_score": self.max_score,
            "execution_time": round(self.seconds, 3), "notes": self.notes,
            "tests": [{"name": r.spec.name, "title": r.spec.title, "score": r.score,
                       "max_score": r.spec.points, "status": "passed" if r.passed else "failed",
                       "run": r.status, "output": r.feedback, "visibility": r.spec.visibility,
                       "seconds": round(r.seconds, 3)} for r in self.results],
        }

    def to_gradescope(self):
        """Returns the report as Gradescope's `results.json`.

        Hidden tests get `visibility: "after_published"`, so students see them only once
        the grades are published.

        # Returns
            A dict with `score`, `execution_time`, `output` and `tests`.
        """
        return {
            "score": self.score, "execution_time": round(self.seconds, 3),
            "output": f"{self.exercise.name}: {_points(self.score)}/{_points(self.max_score)} "
                      "points.",
            "tests": [{"name": f"{r.spec.name}: {r.spec.title}", "score": r.score,
                       "max_score": r.spec.points, "status": "passed" if r.passed else "failed",
                       "output": r.feedback or "Passed.", "visibility": r.spec.visibility}
                      for r in self.results],
        }

    def render(self, output_format):
        """Formats the report as `text`, `json` or `gradescope`.

        # Arguments
            output_format: one of `"text"`, `"json"`, `"gradescope"`.

        # Returns
            A string.
        """
        if output_format == "text":
            return self.to_text()
        data = self.to_gradescope() if output_format == "gradescope" else self.to_json()
        return json.dumps(data, indent=2)


def _points(value):
    return f"{value:g}"


def judge(specs, reference, student):
    """Judges every test: the student's observations against the reference's.

    # Arguments
        specs: the `TestSpec`s, in order.
        reference: the reference solution's `Run` (or a dict of its outcomes).
        student: the submission's `Run`.

    # Returns
        A list of `TestResult`.
    """
    reference_outcomes = getattr(reference, "outcomes", reference)
    results = []
    for spec in specs:
        expected = reference_outcomes.get(spec.name)
        actual = student.outcomes.get(spec.name) or sandbox.TestOutcome(spec.name, "not run")
        passed, feedback = judge_test(expected, actual)
        results.append(TestResult(spec, passed, feedback, actual.status, actual.seconds))
    return results


def judge_test(expected, actual):
    """Judges one test.

    # Arguments
        expected: the reference's `TestOutcome` (or `None`).
        actual: the submission's `TestOutcome`.

    # Returns
        A pair `(passed, feedback)`.
    """
    if expected is None or expected.status != "ok":
        reason = expected.message if expected is not None else "it did not run"
        return False, ("The reference solution does not pass this test, so it cannot be "
                       f"graded; please tell the course staff. ({reason.strip()[:500]})")
    if actual.status in ("timeout", "crash", "not run"):
        return False, _with_output(actual.message or "The test did not run.", actual.output)
    problems, failed_broadcast, passed_plain = [], [], 0
    for index, record in enumerate(expected.checks):
        if index >= len(actual.checks):
            break
        got = actual.checks[index]
        if not isinstance(got, dict) or (got.get("kind"), got.get("what")) != (
                record["kind"], record["what"]):
            problems.append(f"The test took another path than with the reference solution: it "
                            f"expected to check {record['what']!r} here.")
            break
        passed, message = _evaluate(record, got)
        is_broadcast = _has_broadcast(record)
        if passed:
            passed_plain += not is_broadcast
        else:
            problems.append(f"{record['what']}: {message}")
            failed_broadcast.append(is_broadcast)
    reached = min(len(actual.checks), len(expected.checks))
    if actual.status == "error":
        if problems:
            return False, _with_output(f"{problems[0]}\nThen the test stopped with an error:\n"
                                       f"{actual.message}", actual.output)
        return False, _with_output(actual.message, actual.output)
    if not problems and reached < len(expected.checks):
        missing = expected.checks[reached]["what"]
        problems.append(f"The test ended before checking {missing!r}.")
    if problems:
        if failed_broadcast and all(failed_broadcast) and passed_plain:
            problems.insert(0, "Only the gradients of inputs that were broadcast are wrong: "
                               "undo the broadcasting (sum over the broadcast axes).")
        return False, _with_output("\n".join(problems[:4]), actual.output)
    return True, ""


def _has_broadcast(record):
    try:
        return wire.decode(record["options"]).get("broadcast") is not None
    except (ValueError, AttributeError):
        return False


def _evaluate(record, got):
    try:
        reference = {"kind": record["kind"], "what": record["what"],
                     "expected": wire.decode(record["expected"]),
                     "options": wire.decode(record["options"])}
    except (ValueError, KeyError) as error:
        return False, f"the reference's record is unreadable ({error})."
    try:
        actual = wire.decode(got.get("actual"))
    except (ValueError, KeyError, TypeError) as error:
        return False, f"the value could not be read ({error})."
    try:
        return evaluate(reference, actual)
    except Exception as error:  # a value of a shape no check expected
        return False, f"the value could not be compared ({type(error).__name__}: {error})."


def _with_output(message, output):
    if output and output.strip():
        shown = output.strip()
        if len(shown) > 1500:
            shown = "...\n" + shown[-1500:]
        return f"{message.strip()}\nThe test printed:\n{shown}"
    return message.strip()


def reference_run(exercise, hidden=True, limits=None):
    """Runs the exercise's tests on its reference solution.

    # Arguments
        exercise: the `Exercise`.
        hidden: whether to include the hidden tests.
        limits: a `sandbox.Limits`, or `None`.

    # Returns
        A `sandbox.Run`.
    """
    return sandbox.run_tests(exercise, exercise.solutions, exercise.tests(hidden), limits)


def save_expected(exercise, run, path):
    """Stores a reference run, so that grading elsewhere need not run the reference again.

    # Arguments
        exercise: the `Exercise`.
        run: its reference `Run`.
        path: the JSON file to write.
    """
    data = {"format": EXPECTED_FORMAT, "exercise": exercise.name,
            "outcomes": [outcome.to_json() for outcome in run.outcomes.values()]}
    Path(path).write_text(json.dumps(data), encoding="utf-8")


def load_expected(exercise, path):
    """Reads a reference run stored by `save_expected`.

    # Arguments
        exercise: the `Exercise` it must belong to.
        path: the JSON file.

    # Returns
        A dict from test name to `TestOutcome`.

    # Raises
        ValueError: if the file belongs to another exercise or format.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("format") != EXPECTED_FORMAT or data.get("exercise") != exercise.name:
        raise ValueError(f"{path} holds expected results for {data.get('exercise')!r}, not "
                         f"{exercise.name!r}.")
    return {item["name"]: sandbox.TestOutcome.from_json(item) for item in data["outcomes"]}


def grade(exercise, folder, hidden=True, expected=None, limits=None):
    """Grades one submission folder.

    # Arguments
        exercise: the `Exercise`.
        folder: the submission's folder.
        hidden: whether to run the hidden tests too (`check` runs the public ones only).
        expected: the reference's outcomes (a `Run` or a dict from `load_expected`), or
            `None` to run the reference now.
        limits: a `sandbox.Limits`, or `None` for the exercise's defaults.

    # Returns
        A `Report`.
    """
    started = time.monotonic()
    specs = exercise.tests(hidden)
    if expected is None:
        expected = reference_run(exercise, hidden, limits)
    student = sandbox.run_tests(exercise, folder, specs, limits)
    report = Report(exercise, judge(specs, expected, student))
    if student.ignored_lines:
        report.notes.append(f"{student.ignored_lines} line(s) on the grader's pipe were refused "
                            "(wrong token or malformed): possible tampering.")
    report.seconds = time.monotonic() - started
    return report
