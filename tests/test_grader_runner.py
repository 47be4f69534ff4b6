"""Tests of the grader's test process (`minikeras.grader.runner`), called in this process.

The sandbox tests in `tests/test_course.py` run the runner as a separate process; these
call its pieces directly, to check the messages a student reads: a missing or doubled
file, an exception or `sys.exit` at import, a test that exits or runs out of memory,
and tracebacks cut down to the student's own frames.
"""
import os
import random
import sys

import numpy as np
import pytest

from minikeras.grader import runner, wire


@pytest.fixture(autouse=True)
def _keep_global_state(monkeypatch):
    """The runner seeds the global generators, extends `sys.path` and imports modules;
    the other tests must not notice."""
    python_state, numpy_state = random.getstate(), np.random.get_state()
    monkeypatch.setattr(sys, "path", list(sys.path))
    modules = set(sys.modules)
    yield
    random.setstate(python_state)
    np.random.set_state(numpy_state)
    for name in set(sys.modules) - modules:
        if name.startswith(("work_", "_course_tests_")):
            del sys.modules[name]


def test_captured_output_is_capped():
    text = runner._CappedText()
    assert text.write("x" * (runner.MAX_OUTPUT_CHARS - 2)) == runner.MAX_OUTPUT_CHARS - 2
    assert text.write("abcdef") == 6  # says it wrote everything, keeps what fits
    text.write("more")
    assert text.getvalue().endswith("xab") and len(text.getvalue()) == runner.MAX_OUTPUT_CHARS


def test_channel_writes_one_json_line_per_event_with_the_token():
    read_fd, write_fd = os.pipe()
    try:
        runner.Channel(write_fd, "secret").send("start", test="test_a")
        line = os.read(read_fd, 1 << 16)
    finally:
        os.close(read_fd)
        os.close(write_fd)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert wire.loads(line) == {"token": "secret", "event": "start", "test": "test_a"}


# ---- finding and importing the student's file ---------------------------------------------

def test_find_student_file_at_the_top_or_alone_in_a_subfolder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "work.py").write_text("")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "work.py").write_text("")  # files under tests/ are not the student's
    assert runner.find_student_file(tmp_path, "work") == tmp_path / "sub" / "work.py"
    (tmp_path / "work.py").write_text("")
    assert runner.find_student_file(tmp_path, "work") == tmp_path / "work.py"


def test_find_student_file_says_what_it_found_instead(tmp_path):
    (tmp_path / "helper.py").write_text("")
    with pytest.raises(FileNotFoundError, match=r"has no work.py \(Python files found: "
                                                r"\['helper.py'\]\)"):
        runner.find_student_file(tmp_path, "work")
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "work.py").write_text("")
    with pytest.raises(FileNotFoundError, match=r"several work.py files: \['a/work.py', "
                                                r"'b/work.py'\]"):
        runner.find_student_file(tmp_path, "work")
    with pytest.raises(FileNotFoundError, match="found: none"):
        runner.find_student_file(tmp_path / "a" / "missing", "work")


def test_import_student_returns_the_module_and_what_it_printed(tmp_path):
    (tmp_path / "work_ok.py").write_text("print('hello')\nANSWER = 42\n")
    module, error, output = runner.import_student(tmp_path, "work_ok")
    assert error is None and module.ANSWER == 42 and output == "hello\n"


def test_import_student_turns_failures_into_sentences(tmp_path):
    assert runner.import_student(tmp_path, "work_none")[:2] == (
        None, "The submission has no work_none.py (Python files found: none).")
    (tmp_path / "work_exit.py").write_text("import sys\nprint('bye')\nsys.exit(3)\n")
    module, error, output = runner.import_student(tmp_path, "work_exit")
    assert module is None and output == "bye\n"
    assert error == ("Your work_exit.py called sys.exit(3) while being imported; a module "
                     "must not exit the process.")
    (tmp_path / "work_raise.py").write_text("def f():\n    return 1 / 0\n\nf()\n")
    module, error, _ = runner.import_student(tmp_path, "work_raise")
    assert module is None
    assert error.startswith("Your work_raise.py raised an exception while being imported:\n")
    assert 'File "work_raise.py", line 2, in f' in error and "ZeroDivisionError" in error
    assert str(tmp_path) not in error


def test_load_tests_keeps_the_good_files_and_explains_the_broken_one(tmp_path):
    good = tmp_path / "test_good.py"
    good.write_text("def test_a(student, check):\n    pass\n\ndef helper():\n    pass\n")
    broken = tmp_path / "test_broken.py"
    broken.write_text("import no_such_module\n\ndef test_b(student, check):\n    pass\n")
    tests, errors = runner.load_tests([good, broken])
    assert sorted(tests) == ["test_a"] and sorted(errors) == ["test_b"]
    assert errors["test_b"].startswith("The test file test_broken.py failed to load:")
    assert "No module named 'no_such_module'" in errors["test_b"]
    unparsable = tmp_path / "test_syntax.py"
    unparsable.write_text("def test_c(:\n")
    tests, errors = runner.load_tests([unparsable])
    assert tests == {} and errors == {}  # no test names can be read from it either


# ---- formatting errors --------------------------------------------------------------------

def _raise(source, folder, name="student_code.py"):
    path = folder / name
    path.write_text(source)
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    try:
        namespace["run"]()
    except BaseException as error:  # noqa: B036  (the error is what is formatted)
        return error
    raise AssertionError("the code did not raise")


def test_format_error_tells_a_todo_in_one_line(tmp_path):
    error = _raise("def run():\n    raise NotImplementedError('write forward')\n", tmp_path)
    assert runner.format_error(error, tmp_path) == (
        "Not written yet: NotImplementedError: write forward (student_code.py, line 2).")


def test_format_error_hides_the_code_of_hidden_tests(tmp_path):
    (tmp_path / "hidden").mkdir()
    error = _raise("def run():\n    secret = 1\n    raise ValueError('bad shape')\n",
                   tmp_path / "hidden", "test_secret.py")
    text = runner.format_error(error, tmp_path / "elsewhere")
    assert "(in a hidden test)" in text and "secret = 1" not in text
    assert text.endswith("ValueError: bad shape\n")


def test_format_error_shortens_paths_outside_the_submission(tmp_path):
    error = _raise("def run():\n    raise KeyError('k')\n", tmp_path)
    text = runner.format_error(error)
    assert f'File "{tmp_path.name}/student_code.py", line 2, in run' in text
    assert "raise KeyError('k')" in text


# ---- running one test ---------------------------------------------------------------------

def test_run_test_records_checks_and_output():
    def test_prints(student, check):
        print("working")
        check.equal("answer", student, 42)

    result = runner.run_test(test_prints, 42, memory_mb=100)
    assert result["status"] == "ok" and result["message"] == ""
    assert result["output"] == "working\n" and result["seconds"] >= 0
    assert [record["what"] for record in result["checks"]] == ["answer"]


def test_run_test_seeds_every_generator_the_same_way():
    def draw(student, check):
        check.equal("draws", (random.random(), float(np.random.rand())), None)

    first = runner.run_test(draw, None, 100)["checks"][0]["actual"]
    random.random()
    np.random.rand()
    assert runner.run_test(draw, None, 100)["checks"][0]["actual"] == first


@pytest.mark.parametrize("body, words", [
    ("raise SystemExit(2)", "The code called sys.exit(2) during the test"),
    ("raise MemoryError()", "The test ran out of memory (the limit is 100 MB)"),
    ("raise KeyboardInterrupt()", "KeyboardInterrupt"),
    ("raise NotImplementedError('TODO')", "Not written yet: NotImplementedError: TODO"),
])
def test_run_test_catches_everything_and_says_what_happened(body, words):
    namespace = {}
    exec(f"def test_bad(student, check):\n    {body}\n", namespace)
    result = runner.run_test(namespace["test_bad"], None, memory_mb=100)
    assert result["status"] == "error" and words in result["message"]


def test_values_too_large_to_send_are_dropped(monkeypatch):
    result = {"status": "ok", "checks": [{"actual": "x" * 100}], "message": ""}
    assert runner._fit_message(result) is result
    monkeypatch.setattr(runner, "MAX_MESSAGE_BYTES", 50)
    fitted = runner._fit_message(result)
    assert fitted["status"] == "error" and fitted["checks"] == []
    assert fitted["message"] == "The values observed were larger than 50 bytes."


def test_coverage_data_is_saved_before_done_only_when_measured(monkeypatch):
    import types

    saved = []

    class FakeCoverage:
        current_instance = None

        @classmethod
        def current(cls):
            return cls.current_instance

        def save(self):
            saved.append(self)

    fake = types.ModuleType("coverage")
    fake.Coverage = FakeCoverage
    monkeypatch.setitem(sys.modules, "coverage", fake)
    runner._save_coverage()  # imported but not measuring: nothing to save
    assert saved == []
    FakeCoverage.current_instance = FakeCoverage()
    runner._save_coverage()
    assert saved == [FakeCoverage.current_instance]
    monkeypatch.delitem(sys.modules, "coverage")
    runner._save_coverage()  # coverage not even imported
    assert len(saved) == 1
