"""More tests of the grader's catalogue and judging, on small courses built in temporary folders.

No test process is started here: the course is read from its files' source, and the
runs are built by hand as the sandbox would report them.
"""
import json

import numpy as np
import pytest

from minikeras.grader import catalogue, grading, sandbox
from minikeras.grader.catalogue import CourseError
from minikeras.grader.checks import Recorder


def _exercise(root, name="01-first", meta=None, tests="", hidden=None):
    folder = root / name
    (folder / "tests").mkdir(parents=True)
    (folder / "exercise.json").write_text(json.dumps(
        meta if meta is not None else {"title": "First", "module": "work"}))
    (folder / "tests" / "test_first.py").write_text(tests)
    if hidden is not None:
        (folder / "hidden").mkdir()
        (folder / "hidden" / "test_first_hidden.py").write_text(hidden)
    return folder


@pytest.fixture
def course(tmp_path):
    (tmp_path / "README.md").write_text("A course.\n")
    _exercise(tmp_path, "01-broadcasting", tests="def test_a(student, check):\n    pass\n")
    _exercise(tmp_path, "02-broad-topics", {"title": "Second", "module": "m", "time_limit": 3,
                                            "memory_mb": 512, "startup_limit": 9})
    (tmp_path / "03-no-metadata").mkdir()
    (tmp_path / "notes").mkdir()
    return tmp_path


# ---- finding the course and its exercises -----------------------------------------------

def test_course_root_prefers_the_explicit_folder_then_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIKERAS_COURSE_DIR", str(tmp_path))
    assert catalogue.course_root() == tmp_path
    assert catalogue.course_root(tmp_path / ".") == tmp_path / "."
    with pytest.raises(CourseError, match="does not exist"):
        catalogue.course_root(tmp_path / "missing")
    monkeypatch.setenv("MINIKERAS_COURSE_DIR", str(tmp_path / "gone"))
    with pytest.raises(CourseError, match="gone does not exist"):
        catalogue.course_root()


def test_course_root_falls_back_to_the_folder_beside_the_package(monkeypatch):
    monkeypatch.delenv("MINIKERAS_COURSE_DIR", raising=False)
    root = catalogue.course_root()
    assert (root / "README.md").is_file() and root.name in ("course", "course_material")


def test_exercises_are_the_numbered_folders_with_metadata(course):
    found = catalogue.exercises(course)
    assert [e.name for e in found] == ["01-broadcasting", "02-broad-topics"]
    second = found[1]
    assert (second.title, second.module, second.time_limit, second.memory_mb,
            second.startup_limit) == ("Second", "m", 3.0, 512, 9.0)
    assert second.solutions == course / "solutions" / "02-broad-topics"
    assert second.starter == course / "02-broad-topics" / "starter"
    assert found[0].time_limit == catalogue.DEFAULT_TIME_LIMIT


@pytest.mark.parametrize("meta", [{"module": "m"}, {"title": "T", "module": "m",
                                                    "time_limit": "slow"}])
def test_malformed_metadata_is_a_course_error(tmp_path, meta):
    _exercise(tmp_path, meta=meta)
    with pytest.raises(CourseError, match="exercise.json is malformed"):
        catalogue.exercises(tmp_path)


@pytest.mark.parametrize("typed", ["01-broadcasting", "1", "01", "broadcasting", " Broadcasting "])
def test_find_exercise_by_name_number_or_topic(course, typed):
    assert catalogue.find_exercise(typed, course).name == "01-broadcasting"


def test_find_exercise_says_when_nothing_or_several_match(course):
    with pytest.raises(CourseError, match="'broad' matches several exercises; the exercises "
                                          "are: 01-broadcasting, 02-broad-topics."):
        catalogue.find_exercise("broad", course)
    with pytest.raises(CourseError, match="'7' matches no exercise"):
        catalogue.find_exercise("7", course)


# ---- reading tests and bugs from source ---------------------------------------------------

TESTS = '''
import minikeras.grader.checks as checks
from minikeras.grader.checks import points


@points(2, 7)
def test_positional_limit(student, check):
    """Has a time limit given by position.

    More text.
    """


@checks.points(0.5, time_limit=4)
def test_attribute_decorator(student, check):
    pass


@staticmethod
@other(3)
def test_other_decorators(student, check):
    """Worth the default point."""


def helper():
    pass
'''


def test_test_specs_are_read_without_running_the_file(tmp_path):
    folder = _exercise(tmp_path, tests=TESTS, hidden="def test_secret(student, check):\n"
                                                      "    '''Secret.'''\n")
    exercise = catalogue.exercises(tmp_path)[0]
    assert exercise.test_files(hidden=False) == [folder / "tests" / "test_first.py"]
    specs = exercise.tests()
    default = catalogue.DEFAULT_TIME_LIMIT
    assert [(s.name, s.title, s.points, s.time_limit, s.hidden) for s in specs] == [
        ("test_positional_limit", "Has a time limit given by position.", 2.0, 7.0, False),
        ("test_attribute_decorator", "test_attribute_decorator", 0.5, 4.0, False),
        ("test_other_decorators", "Worth the default point.", 1.0, default, False),
        ("test_secret", "Secret.", 1.0, default, True)]
    assert [s.visibility for s in specs][-2:] == ["visible", "after_published"]
    assert exercise.points() == 4.5 and exercise.points(hidden=False) == 3.5


@pytest.mark.parametrize("source, words", [
    ("def test_a(:\n", "does not parse"),
    ("@points(n)\ndef test_a(student, check):\n    pass\n", "must be given plain numbers"),
    ("@points()\ndef test_a(student, check):\n    pass\n", "must be given plain numbers"),
])
def test_unreadable_test_files_are_course_errors(tmp_path, source, words):
    path = tmp_path / "test_bad.py"
    path.write_text(source)
    with pytest.raises(CourseError, match=words):
        catalogue.read_test_specs(path, 10, False)


def test_two_tests_with_one_name_are_a_course_error(tmp_path):
    _exercise(tmp_path, tests="def test_a(s, c):\n    pass\n",
              hidden="def test_a(s, c):\n    pass\n")
    with pytest.raises(CourseError, match="two tests are named test_a"):
        catalogue.exercises(tmp_path)[0].tests()


def test_bugs_are_read_as_a_literal(tmp_path):
    path = tmp_path / "bugs.py"
    assert catalogue.read_bugs(path) == []
    path.write_text("X = 1\nBUGS = [{'name': 'b', 'file': 'w.py', 'old': 'a', 'new': 'b'}]\n")
    assert catalogue.read_bugs(path) == [{"name": "b", "file": "w.py", "old": "a", "new": "b"}]
    path.write_text("BUGS = [dict(name='b')]\n")
    with pytest.raises(CourseError, match="literal list of dicts"):
        catalogue.read_bugs(path)
    path.write_text("BUGS = [{'name': 'b', 'file': 'w.py'}]\n")
    with pytest.raises(CourseError, match=r"bug 'b' lacks \['new', 'old'\]"):
        catalogue.read_bugs(path)
    path.write_text("bugs = []\n")
    with pytest.raises(CourseError, match="has no BUGS list"):
        catalogue.read_bugs(path)


# ---- judging runs ------------------------------------------------------------------------

def _spec(name, points=1.0, hidden=False):
    return catalogue.TestSpec(name, f"Checks {name}.", points, 10.0, None, hidden)


def _outcome(name, status="ok", build=None, **fields):
    recorder = Recorder()
    if build is not None:
        build(recorder)
    return sandbox.TestOutcome(name, status, recorder.records, **fields)


def _reference(check):
    check.equal("shape", (2, 3), (2, 3))
    check.close("values", np.ones(2), np.ones(2))


def test_a_test_the_reference_fails_cannot_be_graded():
    broken = _outcome("t", "error", message="  NameError: x  ")
    passed, feedback = grading.judge_test(broken, _outcome("t", build=_reference))
    assert not passed and feedback.endswith("please tell the course staff. (NameError: x)")
    passed, feedback = grading.judge_test(None, _outcome("t"))
    assert not passed and "(it did not run)" in feedback


def test_a_timeout_shows_the_message_and_what_was_printed():
    actual = _outcome("t", "timeout", message="Too slow.", output="step 1\n" * 400)
    passed, feedback = grading.judge_test(_outcome("t", build=_reference), actual)
    assert not passed and feedback.startswith("Too slow.\nThe test printed:\n...\n")
    assert len(feedback) < 1600
    passed, feedback = grading.judge_test(_outcome("t", build=_reference),
                                          _outcome("t", "not run"))
    assert feedback == "The test did not run."


def test_a_test_that_took_another_path_is_said_so():
    actual = _outcome("t", build=lambda c: c.equal("something else", 1, 1))
    passed, feedback = grading.judge_test(_outcome("t", build=_reference), actual)
    assert not passed and "took another path" in feedback and "'shape'" in feedback


def test_a_test_that_stopped_early_is_said_so():
    actual = _outcome("t", build=lambda c: c.equal("shape", (2, 3), None))
    passed, feedback = grading.judge_test(_outcome("t", build=_reference), actual)
    assert not passed and feedback == "The test ended before checking 'values'."


def test_an_error_after_a_wrong_value_reports_both():
    actual = _outcome("t", "error", build=lambda c: c.equal("shape", (3, 2), None),
                      message="IndexError: boom")
    passed, feedback = grading.judge_test(_outcome("t", build=_reference), actual)
    assert not passed
    assert feedback.startswith("shape: got (3, 2), expected (2, 3).\nThen the test stopped "
                               "with an error:\nIndexError: boom")


def test_unreadable_records_fail_the_check_without_crashing_the_grader():
    reference = _outcome("t", build=_reference)
    bad_actual = sandbox.TestOutcome("t", "ok", [
        {"kind": "equal", "what": "shape", "actual": {"__ndarray__": "?", "dtype": "|O",
                                                      "shape": [1]}},
        {"kind": "close", "what": "values", "actual": "not an array at all"}])
    passed, feedback = grading.judge_test(reference, bad_actual)
    assert not passed
    assert "shape: the value could not be read" in feedback
    assert "values: got a str ('not an array at all')" in feedback
    broken_reference = sandbox.TestOutcome("t", "ok", [
        {"kind": "equal", "what": "shape", "expected": {"bad": 1}, "options": {}}])
    passed, feedback = grading.judge_test(broken_reference, sandbox.TestOutcome(
        "t", "ok", [{"kind": "equal", "what": "shape", "actual": 1}]))
    assert not passed and "the reference's record is unreadable" in feedback


def test_a_value_no_check_expected_is_refused_with_a_sentence():
    reference = sandbox.TestOutcome("t", "ok", [
        {"kind": "speedup", "what": "speed", "expected": None, "options": {"__dict__": []}}])
    passed, feedback = grading.judge_test(reference, sandbox.TestOutcome(
        "t", "ok", [{"kind": "speedup", "what": "speed", "actual": 1}]))
    assert not passed and "speed: the value could not be compared (KeyError" in feedback


def test_report_renders_text_json_and_gradescope(tmp_path):
    specs = [_spec("test_a", 2), _spec("test_b", 3, hidden=True)]
    reference = {"test_a": _outcome("test_a", build=_reference),
                 "test_b": _outcome("test_b", build=_reference)}
    student = sandbox.Run({"test_a": _outcome("test_a", build=_reference)})
    exercise = catalogue.Exercise("01-x", tmp_path, tmp_path, "X", "x", 10.0, 100, 10.0)
    report = grading.Report(exercise, grading.judge(specs, reference, student), 1.0)
    assert (report.score, report.max_score) == (2, 5)
    assert report.render("text") == report.to_text()
    assert report.render("text").startswith("01-x: 2/5 points")
    data = json.loads(report.render("json"))
    assert data["max_score"] == 5
    gradescope = json.loads(report.render("gradescope"))
    assert [t["visibility"] for t in gradescope["tests"]] == ["visible", "after_published"]
    assert [t["score"] for t in gradescope["tests"]] == [2, 0]


def test_expected_results_belong_to_one_exercise(tmp_path):
    first = catalogue.Exercise("01-x", tmp_path, tmp_path, "X", "x", 10.0, 100, 10.0)
    other = catalogue.Exercise("02-y", tmp_path, tmp_path, "Y", "y", 10.0, 100, 10.0)
    run = sandbox.Run({"test_a": _outcome("test_a", build=_reference, seconds=0.25)})
    path = tmp_path / "expected.json"
    grading.save_expected(first, run, path)
    loaded = grading.load_expected(first, path)
    assert loaded["test_a"] == run.outcomes["test_a"]
    with pytest.raises(ValueError, match="holds expected results for '01-x', not '02-y'"):
        grading.load_expected(other, path)
