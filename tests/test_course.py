"""The course and its grader: diagnosis, result formats, the sandbox, the commands.

The unit tests build small fake courses in temporary folders to try the sandbox against
submissions that misbehave on purpose (an infinite loop, `sys.exit`, `os._exit`, a huge
allocation, an exception at import, forged reports): each must cost only the tests it
touches, with a message saying what happened. The integration tests run
`minikeras course verify` over the whole course, build Gradescope's autograder zip and
run it as Gradescope would, and install the package (not editable) into a fresh venv.
"""
import ast
import csv
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from minikeras.grader import catalogue, grading, sandbox, verify, wire
from minikeras.grader.checks import Asserter, Recorder
from minikeras.grader.cli import course
from minikeras.grader.compare import evaluate
from minikeras.grader.diagnosis import diagnose

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"


# ---- diagnosis: the likely mistake, in a sentence ------------------------------------------

def test_diagnosis_accepts_values_within_tolerance():
    assert diagnose(np.ones(3) + 1e-9, np.ones(3)) == (True, "")


def test_diagnosis_shape_mismatch_names_both_shapes():
    passed, message = diagnose(np.zeros((3, 4)), np.zeros(4) + 1)
    assert not passed
    assert "got shape (3, 4), expected (4,)" in message


def test_diagnosis_missing_unbroadcast_sum():
    grad = np.arange(12.0).reshape(3, 4)
    passed, message = diagnose(grad, grad.sum(axis=0))
    assert not passed
    assert "Summing it over axes (0,)" in message and "unbroadcast" in message


def test_diagnosis_transposed_matrix():
    kernel_grad = np.arange(12.0).reshape(3, 4)
    _, message = diagnose(kernel_grad.T, kernel_grad)
    assert "transpose" in message


def test_diagnosis_sign_flipped():
    expected = np.array([1.0, -2.0, 3.0])
    _, message = diagnose(-expected, expected)
    assert "sign is flipped" in message


def test_diagnosis_constant_factor():
    expected = np.array([1.0, -2.0, 3.0])
    _, message = diagnose(2 * expected, expected)
    assert "constant factor" in message and "2 times" in message
    _, message = diagnose(expected / 8, expected)
    assert "factor of 8" in message and "mean where a sum belongs" in message


def test_diagnosis_nan_produced():
    _, message = diagnose(np.array([np.nan, 1.0]), np.array([0.5, 1.0]))
    assert "produced NaN at 1 of 2 positions" in message and "exp" in message


def test_diagnosis_all_zeros_and_none():
    _, message = diagnose(np.zeros(3), np.ones(3))
    assert "all zeros" in message
    _, message = diagnose(None, np.ones(3))
    assert "got None" in message and "return" in message


def test_diagnosis_wrong_only_at_broadcast_axes():
    grad = np.arange(6.0).reshape(2, 3)
    _, message = diagnose(grad[0], grad.sum(axis=0), broadcast=((3,), (2, 3)))
    assert "broadcast from (3,) to (2, 3)" in message and "axes (0,)" in message


def test_diagnosis_padding_at_the_border():
    expected = np.zeros((1, 5, 5, 1))
    actual = expected.copy()
    actual[0, 4, :, 0] = 1.0
    _, message = diagnose(actual, expected)
    assert "border" in message and "padding" in message


def test_judge_says_when_only_broadcast_inputs_are_wrong():
    recorder = Recorder()
    recorder.close("gradient of a", np.ones((2, 3)), np.ones((2, 3)))
    recorder.close("gradient of b", np.full(3, 2.0), np.full(3, 2.0), broadcast=((3,), (2, 3)))
    reference = sandbox.TestOutcome("t", "ok", recorder.records)
    passed, feedback = grading.judge_test(reference, reference)
    assert passed
    student = Recorder()
    student.close("gradient of a", np.ones((2, 3)), None)
    student.close("gradient of b", np.ones(3), None)
    passed, feedback = grading.judge_test(reference, sandbox.TestOutcome("t", "ok",
                                                                         student.records))
    assert not passed
    assert feedback.startswith("Only the gradients of inputs that were broadcast are wrong")


# ---- the other kinds of checks ---------------------------------------------------------------

def _decision(kind, actual, expected=None, **options):
    return evaluate({"kind": kind, "what": "x", "expected": expected, "options": options},
                    actual)


def test_equal_treats_lists_and_tuples_alike():
    assert _decision("equal", [2, 3], (2, 3))[0]
    passed, message = _decision("equal", (3, 2), (2, 3))
    assert not passed and "got (3, 2), expected (2, 3)" in message
    assert not _decision("equal", 1, True)[0]


def test_raises_reports_what_happened_instead():
    passed, message = _decision("raises", {"raised": None, "returned": 5}, "ValueError")
    assert not passed and "returned the number 5" in message
    passed, message = _decision("raises", {"raised": ["TypeError", "Exception"],
                                           "message": "bad"}, "ValueError")
    assert not passed and "raised TypeError: bad" in message
    assert _decision("raises", {"raised": ["ValueError", "Exception"]}, "ValueError")[0]


def test_accuracy_and_at_least():
    labels = np.array([0, 1, 1, 0])
    assert _decision("accuracy", np.array([0, 1, 1, 1]), labels, minimum=0.75)[0]
    passed, message = _decision("accuracy", np.array([1, 1, 1, 1]), labels, minimum=0.75)
    assert not passed and "accuracy 50.0%" in message
    assert not _decision("at_least", float("nan"), minimum=0.0)[0]


def test_speedup_uses_medians():
    passed, _ = _decision("speedup", {"student": [1.0, 1.0, 9.0], "reference": [2.0] * 3},
                          minimum=1.5)
    assert passed
    passed, message = _decision("speedup", {"student": [2.0] * 3, "reference": [1.0] * 3},
                                minimum=1.0)
    assert not passed and "0.50x" in message


def test_asserter_fails_at_once_with_the_diagnosis():
    check = Asserter()
    check.close("grad", np.ones(3), np.ones(3))
    with pytest.raises(AssertionError, match="grad: the sign is flipped"):
        check.close("grad", -np.ones(3), np.ones(3))


# ---- the wire format: nothing read from a test process can run code -----------------------

def test_wire_round_trip():
    from minikeras import Tensor
    value = {"a": (np.arange(6, dtype=np.float32).reshape(2, 3), [1, "x", None]),
             "t": Tensor(np.ones(2)), "flag": True}
    decoded = wire.decode(json.loads(json.dumps(wire.encode(value))))
    np.testing.assert_array_equal(decoded["a"][0], value["a"][0])
    assert decoded["a"][0].dtype == np.float32
    assert decoded["a"][1] == [1, "x", None] and decoded["flag"] is True
    np.testing.assert_array_equal(decoded["t"], np.ones(2))


def test_wire_refuses_object_arrays_and_bad_sizes():
    encoded = wire.encode(np.array([object()], dtype=object))
    assert "__repr__" in encoded
    with pytest.raises(ValueError):
        wire.decode({"__ndarray__": "AAAA", "dtype": "|O", "shape": [1]})
    with pytest.raises(ValueError):
        wire.decode({"__ndarray__": "AAAA", "dtype": "<f8", "shape": [5]})


# ---- the course on disk ----------------------------------------------------------------------

def test_course_has_eleven_exercises_in_teaching_order():
    names = [e.name for e in catalogue.exercises(COURSE)]
    assert len(names) >= 10
    assert names[:11] == ["01-broadcasting", "02-tape", "03-gradients", "04-stable",
                          "05-dense", "06-optimizers", "07-im2col", "08-numba-pooling",
                          "09-training", "10-saving", "11-threads"]


@pytest.mark.parametrize("exercise", catalogue.exercises(COURSE), ids=lambda e: e.name)
def test_exercise_is_complete(exercise):
    readme = (exercise.folder / "README.md").read_text(encoding="utf-8")
    header = re.search(r"## How it is graded \((\d+) points\)", readme)
    assert header, f"{exercise.name}/README.md has no 'How it is graded (N points)' section"
    assert float(header.group(1)) == exercise.points()
    assert (exercise.starter / f"{exercise.module}.py").is_file()
    assert (exercise.solutions / f"{exercise.module}.py").is_file()
    assert exercise.tests(hidden=False) and len(exercise.tests()) > len(
        exercise.tests(hidden=False))
    starter = (exercise.starter / f"{exercise.module}.py").read_text(encoding="utf-8")
    ast.parse(starter)
    assert "TODO" in starter and "NotImplementedError" in starter
    bugs = exercise.bugs()
    assert len(bugs) >= 3
    for bug in bugs:
        text = (exercise.solutions / bug["file"]).read_text(encoding="utf-8")
        assert text.count(bug["old"]) == 1, f"bug {bug['name']!r} does not apply"


def test_find_exercise_by_number_or_topic():
    assert catalogue.find_exercise("1", COURSE).name == "01-broadcasting"
    assert catalogue.find_exercise("08", COURSE).name == "08-numba-pooling"
    assert catalogue.find_exercise("threads", COURSE).name == "11-threads"
    with pytest.raises(catalogue.CourseError, match="matches no exercise"):
        catalogue.find_exercise("quantum", COURSE)


def test_points_are_read_without_running_the_tests(tmp_path):
    path = tmp_path / "test_x.py"
    path.write_text("raise SystemExit('never run')\n"
                    "@points(3, time_limit=7)\ndef test_a(student, check):\n"
                    "    '''Does a.'''\n\ndef test_b(student, check):\n    pass\n")
    specs = catalogue.read_test_specs(path, 30, hidden=True)
    assert [(s.name, s.points, s.time_limit, s.title) for s in specs] == [
        ("test_a", 3.0, 7.0, "Does a."), ("test_b", 1.0, 30.0, "test_b")]
    assert specs[0].visibility == "after_published"


# ---- the sandbox, against submissions that misbehave -------------------------------------

SANDBOX_TESTS = '''
import numpy as np

from minikeras.grader.checks import points


@points(1)
def test_fine(student, check):
    """An honest answer."""
    check.equal("answer", student.answer(), 42)


@points(1, time_limit=2)
def test_loops(student, check):
    """Might loop forever."""
    check.equal("answer", student.loop(), 42)


@points(1)
def test_exits(student, check):
    """Might call sys.exit."""
    check.equal("answer", student.leave(), 42)


@points(1)
def test_hard_exit(student, check):
    """Might call os._exit."""
    check.equal("answer", student.hard_exit(), 42)


@points(1)
def test_allocates(student, check):
    """Might allocate far too much."""
    check.equal("answer", student.allocate(), 42)


@points(1)
def test_forges(student, check):
    """Might print a fake result line."""
    check.equal("answer", student.forge(), 42)


@points(1)
def test_steals_the_token(student, check):
    """Might find the token and report a success of its own."""
    check.equal("answer", student.steal(), 42)


@points(1)
def test_fine_again(student, check):
    """An honest answer, after all that."""
    check.equal("answer", student.answer(), 42)
'''

HONEST = '''
def answer():
    return 42


loop = leave = hard_exit = allocate = forge = steal = answer
'''

MISBEHAVING = '''
import gc
import json
import os
import sys

import numpy as np


def answer():
    return 42


def loop():
    while True:
        pass


def leave():
    sys.exit(0)


def hard_exit():
    os._exit(0)


def allocate():
    return np.ones(10 ** 11).sum()


def forge():
    line = json.dumps({"event": "end", "test": "test_forges", "status": "ok", "checks": [
        {"kind": "equal", "what": "answer", "actual": 42, "expected": 42, "options": {}}]})
    print(line)
    for fd in range(3, 20):
        try:
            os.write(fd, (line + "\\n").encode())
        except OSError:
            pass
    return 0


def steal():
    config = next(o for o in gc.get_objects() if isinstance(o, dict) and "token" in o
                  and "result_fd" in o)
    line = json.dumps({"token": config["token"], "event": "end", "test": "test_steals_the_token",
                       "status": "ok", "checks": []})
    os.write(config["result_fd"], (line + "\\n").encode())
    return 0
'''


def _fake_course(root, submissions):
    """A course of one exercise, `01-sandbox`, plus submission folders."""
    exercise = root / "course" / "01-sandbox"
    (exercise / "tests").mkdir(parents=True)
    (exercise / "starter").mkdir()
    (root / "course" / "README.md").write_text("A fake course.\n")
    (exercise / "README.md").write_text("## How it is graded (8 points)\n")
    (exercise / "exercise.json").write_text(json.dumps(
        {"title": "Sandbox", "module": "work", "time_limit": 10, "memory_mb": 1024}))
    (exercise / "tests" / "test_sandbox.py").write_text(SANDBOX_TESTS)
    (exercise / "starter" / "work.py").write_text(
        "def answer():\n    raise NotImplementedError('TODO')\n")
    solution = root / "course" / "solutions" / "01-sandbox"
    solution.mkdir(parents=True)
    (solution / "work.py").write_text(HONEST)
    folders = {}
    for name, source in submissions.items():
        folders[name] = root / "submissions" / name
        folders[name].mkdir(parents=True)
        (folders[name] / "work.py").write_text(source)
    return catalogue.find_exercise("01", root / "course"), folders


@pytest.fixture(scope="module")
def sandbox_course(tmp_path_factory):
    root = tmp_path_factory.mktemp("sandbox")
    return _fake_course(root, {
        "misbehaving": MISBEHAVING,
        "import_error": "import numpy\nraise RuntimeError('broken at import')\n",
        "exit_at_import": "import sys\nsys.exit(3)\n",
    })


@pytest.fixture(scope="module")
def sandbox_reference(sandbox_course):
    exercise, _ = sandbox_course
    return grading.reference_run(exercise)


def _results(report):
    return {result.spec.name: result for result in report.results}


def test_sandbox_survives_a_misbehaving_submission(sandbox_course, sandbox_reference):
    exercise, folders = sandbox_course
    report = grading.grade(exercise, folders["misbehaving"], expected=sandbox_reference)
    results = _results(report)
    assert results["test_fine"].passed and results["test_fine_again"].passed
    assert report.score == 2
    assert results["test_loops"].status == "timeout"
    assert "longer than its limit of 2 s" in results["test_loops"].feedback
    assert "sys.exit(0)" in results["test_exits"].feedback
    assert results["test_hard_exit"].status == "crash"
    assert "exited with status 0 during test_hard_exit" in results["test_hard_exit"].feedback
    assert "memory" in results["test_allocates"].feedback.lower()
    assert not results["test_forges"].passed
    assert "got 0, expected 42" in results["test_forges"].feedback
    assert not results["test_steals_the_token"].passed
    assert any("refused" in note for note in report.notes)


def test_forged_success_with_the_stolen_token_still_scores_zero(sandbox_course,
                                                                 sandbox_reference):
    exercise, folders = sandbox_course
    report = grading.grade(exercise, folders["misbehaving"], expected=sandbox_reference)
    stolen = _results(report)["test_steals_the_token"]
    assert stolen.score == 0
    assert "ended before checking 'answer'" in stolen.feedback


@pytest.mark.parametrize("name, words", [("import_error", "broken at import"),
                                         ("exit_at_import", "sys.exit(3)")])
def test_sandbox_import_failures_zero_every_test(sandbox_course, sandbox_reference, name,
                                                 words):
    exercise, folders = sandbox_course
    report = grading.grade(exercise, folders[name], expected=sandbox_reference)
    assert report.score == 0
    for result in report.results:
        assert words in result.feedback and "imported" in result.feedback


def test_sandbox_is_deterministic(sandbox_course, sandbox_reference):
    exercise, folders = sandbox_course
    scores = {grading.grade(exercise, folders["import_error"],
                            expected=sandbox_reference).score for _ in range(2)}
    assert scores == {0}
    first = grading.grade(exercise, exercise.solutions, expected=sandbox_reference)
    assert first.score == first.max_score == 8


# ---- result formats --------------------------------------------------------------------------

def test_gradescope_format(sandbox_course, sandbox_reference):
    exercise, folders = sandbox_course
    report = grading.grade(exercise, folders["import_error"], expected=sandbox_reference)
    data = report.to_gradescope()
    assert set(data) >= {"score", "execution_time", "tests"}
    for test in data["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed")
    text = report.to_text()
    assert text.startswith("01-sandbox: 0/8 points") and "FAIL" in text


def test_hidden_tests_are_published_later():
    exercise = catalogue.find_exercise("01", COURSE)
    specs = exercise.tests()
    visibilities = {spec.name: spec.visibility for spec in specs}
    assert visibilities["test_unbroadcast_same_shape"] == "visible"
    assert visibilities["test_add_backward"] == "after_published"


def test_expected_results_round_trip(tmp_path, sandbox_course, sandbox_reference):
    exercise, folders = sandbox_course
    path = tmp_path / "expected.json"
    grading.save_expected(exercise, sandbox_reference, path)
    stored = grading.load_expected(exercise, path)
    report = grading.grade(exercise, exercise.solutions, expected=stored)
    assert report.score == 8


# ---- the commands ------------------------------------------------------------------------

def _invoke(*args):
    return CliRunner().invoke(course, ["--course-dir", str(COURSE), *args],
                              catch_exceptions=False)


def test_cli_list():
    result = _invoke("list")
    lines = result.output.strip().splitlines()
    assert result.exit_code == 0 and len(lines) >= 10
    assert lines[0].startswith("01-broadcasting ") and lines[0].endswith("(14 points)")


def test_cli_start_copies_starter_and_public_tests_only(tmp_path):
    target = tmp_path / "work"
    result = _invoke("start", "01-broadcasting", "--to", str(target))
    assert result.exit_code == 0
    files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert files == ["01-broadcasting.ipynb", "README.md", "broadcasting.py", "conftest.py",
                     "exercise.json", "tests/test_broadcasting.py"]
    assert "TODO" in (target / "broadcasting.py").read_text()
    again = CliRunner().invoke(course, ["--course-dir", str(COURSE), "start", "1", "--to",
                                        str(target)])
    assert again.exit_code != 0 and "--force" in again.output


def test_cli_check_gives_feedback(tmp_path):
    target = tmp_path / "work"
    _invoke("start", "01-broadcasting", "--to", str(target))
    result = _invoke("check", "01-broadcasting", "--path", str(target))
    assert result.exit_code == 1
    assert "Not written yet" in result.output and "(hidden)" not in result.output
    solution = catalogue.find_exercise("1", COURSE).solutions
    result = _invoke("check", "01-broadcasting", "--path", str(solution))
    assert result.exit_code == 0 and "7/7 points" in result.output


def test_student_pytest_run_uses_the_same_feedback(tmp_path):
    target = tmp_path / "work"
    _invoke("start", "01-broadcasting", "--to", str(target))
    solution = catalogue.find_exercise("1", COURSE).solutions / "broadcasting.py"
    text = solution.read_text().replace("keepdims=True)", "keepdims=True) * 2")
    (target / "broadcasting.py").write_text(text)
    process = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                             cwd=target, capture_output=True, text=True, timeout=300)
    assert "1 failed, 4 passed" in process.stdout
    assert "off by a constant factor: got 2 times" in process.stdout


def test_cli_grade_formats(tmp_path):
    solution = catalogue.find_exercise("1", COURSE).solutions
    output = tmp_path / "results.json"
    result = _invoke("grade", "1", "--path", str(solution), "--format", "gradescope",
                     "--output", str(output))
    assert result.exit_code == 0
    data = json.loads(output.read_text())
    assert data["score"] == 14 and len(data["tests"]) == 9
    assert {t["visibility"] for t in data["tests"]} == {"visible", "after_published"}
    result = _invoke("grade", "1", "--path", str(solution), "--format", "json")
    assert json.loads(result.output)["max_score"] == 14


def test_cli_grade_all(tmp_path):
    exercise = catalogue.find_exercise("1", COURSE)
    submissions = tmp_path / "class"
    (submissions / "ada").mkdir(parents=True)
    (submissions / "ada" / "broadcasting.py").write_text(
        (exercise.solutions / "broadcasting.py").read_text())
    verify.apply_bug(exercise.solutions, exercise.bugs()[2], submissions / "bob")
    (submissions / "cy").mkdir()
    (submissions / "cy" / "broadcasting.py").write_text(
        (exercise.starter / "broadcasting.py").read_text())
    grades = tmp_path / "grades.csv"
    result = _invoke("grade-all", "1", "--submissions", str(submissions), "--jobs", "2",
                     "--output", str(grades), "--reports", str(tmp_path / "reports"))
    assert result.exit_code == 0
    rows = {row["submission"]: row for row in csv.DictReader(grades.open())}
    assert rows["ada"]["score"] == "14" and rows["cy"]["score"] == "0"
    assert 0 < float(rows["bob"]["score"]) < 14
    assert "graded 3 submissions" in result.output and "1 full marks" in result.output
    assert (tmp_path / "reports" / "bob.txt").is_file()


def test_grade_all_stops_starting_submissions_after_ctrl_c(tmp_path, monkeypatch):
    submissions = tmp_path / "class"
    for name in ("ada", "bob", "cy"):
        (submissions / name).mkdir(parents=True)
    graded = []

    def interrupted_run(exercise, folder, specs, limits):
        graded.append(folder.name)
        if folder.name == "ada":
            raise KeyboardInterrupt  # as if the teacher pressed Ctrl-C during the first one
        time.sleep(0.5)  # a submission's tests take a while
        raise RuntimeError("graded")

    monkeypatch.setattr(grading, "reference_run", lambda *args: None)
    monkeypatch.setattr(sandbox, "run_tests", interrupted_run)
    result = CliRunner().invoke(course, ["--course-dir", str(COURSE), "grade-all", "1",
                                         "--submissions", str(submissions), "--jobs", "1",
                                         "--output", str(tmp_path / "grades.csv")])
    assert result.exit_code == 1 and "Aborted" in result.output
    # The worker may have taken bob before the interrupt reached the main thread; cy,
    # still waiting, is never started.
    assert graded in (["ada"], ["ada", "bob"])
    assert not (tmp_path / "grades.csv").exists()


def test_verify_catches_a_bug_that_no_test_sees(tmp_path, sandbox_course):
    exercise, _ = sandbox_course
    bugs = exercise.solutions / "bugs.py"
    bugs.write_text(textwrap.dedent('''
        BUGS = [{"name": "harmless", "file": "work.py", "old": "    return 42",
                 "new": "    return 6 * 7"}]
    '''))
    try:
        cases = verify.verify([exercise], jobs=2)
    finally:
        bugs.unlink()
    by_kind = {(case.kind, case.name): case for case in cases}
    assert by_kind[("solution", "")].ok
    assert by_kind[("starter", "")].ok
    assert not by_kind[("bug", "harmless")].ok
    assert "no test catches this bug" in verify.format_table(cases)


# ---- end to end (TEST_MODE=INTEGRATION_TESTS) ---------------------------------------------

@pytest.mark.integration
def test_verify_whole_course():
    process = subprocess.run([sys.executable, "-m", "minikeras.grader", "verify", "--jobs", "2"],
                             capture_output=True, text=True, timeout=900)
    assert process.returncode == 0, process.stdout[-5000:] + process.stderr[-2000:]
    assert "0 failed" in process.stdout


@pytest.mark.integration
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads process states in /proc")
def test_a_terminated_grader_leaves_no_test_process_behind(tmp_path):
    pid_file = tmp_path / "student.pid"
    hanging = (f"import os, time\n"
               f"def answer():\n"
               f"    open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
               f"    time.sleep(60)\n"
               f"loop = leave = hard_exit = allocate = forge = steal = answer\n")
    exercise, folders = _fake_course(tmp_path, {"hanging": hanging})
    grader = subprocess.Popen(
        [sys.executable, "-m", "minikeras.grader", "--course-dir", str(tmp_path / "course"),
         "grade", "01", "--path", str(folders["hanging"])],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while not pid_file.exists() or not pid_file.read_text():
        assert grader.poll() is None and time.monotonic() < deadline, "the test never started"
        time.sleep(0.1)
    student = int(pid_file.read_text())
    grader.terminate()
    assert grader.wait(timeout=30) == 128 + signal.SIGTERM
    deadline = time.monotonic() + 10
    while _is_running(student):
        assert time.monotonic() < deadline, f"test process {student} outlived the grader"
        time.sleep(0.1)


def _is_running(pid):
    """Whether a process with this id still runs (a zombie counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False


def _venv_with_system_packages(path):
    """A venv that sees this Python's packages (and uses its pip and setuptools)."""
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(path)], check=True, timeout=300)
    return path / "bin" / "python"


@pytest.mark.integration
def test_autograder_zip_runs_as_on_gradescope(tmp_path):
    exercise = catalogue.find_exercise("1", COURSE)
    archive = tmp_path / "autograder.zip"
    result = _invoke("autograder", "01-broadcasting", "--out", str(archive))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        assert {"setup.sh", "run_autograder", "expected.json",
                "minikeras_src/setup.py"} <= set(names)
        assert "course/01-broadcasting/hidden/test_broadcasting_hidden.py" in names
        assert not any("solutions" in name for name in names)
        root = tmp_path / "autograder"
        opened.extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):
        (root / "source" / script).chmod(0o755)
    # setup.sh installs the zip's own copy of minikeras into a fresh venv. Its dependencies
    # come from this Python's site-packages; pip fetches only the build tools from PyPI.
    python = _venv_with_system_packages(tmp_path / "venv")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "MINIKERAS_PYTHON": str(python)}
    env.pop("MINIKERAS_COURSE_DIR", None)
    subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, check=True,
                   timeout=600, cwd=tmp_path)
    location = subprocess.run([str(python), "-c", "import minikeras; print(minikeras.__file__)"],
                              capture_output=True, text=True, cwd=tmp_path, env=env)
    assert str(tmp_path / "venv") in location.stdout
    for submission, expected_score in ((exercise.solutions, 14), (exercise.starter, 0)):
        shutil_copy_tree(submission, root / "submission")
        subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, check=True,
                       timeout=600, cwd=tmp_path)
        results = json.loads((root / "results" / "results.json").read_text())
        assert results["score"] == expected_score
        hidden = [t for t in results["tests"] if "hidden" in t["name"] or
                  t["visibility"] == "after_published"]
        assert hidden and all(t["visibility"] == "after_published" for t in hidden)


def shutil_copy_tree(source, target):
    """Replaces `target` with a copy of `source` (as Gradescope places each submission)."""
    import shutil
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)


@pytest.mark.integration
def test_non_editable_install_lists_the_course(tmp_path):
    python = _venv_with_system_packages(tmp_path / "venv")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", str(ROOT)], check=True, timeout=600)
    env = {key: value for key, value in os.environ.items() if key != "MINIKERAS_COURSE_DIR"}
    process = subprocess.run([str(tmp_path / "venv" / "bin" / "minikeras"), "course", "list"],
                             capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert process.returncode == 0, process.stderr
    assert process.stdout.splitlines()[0].startswith("01-broadcasting")
    where = subprocess.run([str(python), "-c", "from minikeras.grader import catalogue; "
                            "print(catalogue.course_root())"], capture_output=True, text=True,
                           cwd=tmp_path, env=env)
    assert "site-packages/minikeras/course_material" in where.stdout
