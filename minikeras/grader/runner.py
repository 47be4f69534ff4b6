"""The test process: runs an exercise's tests on one submission and reports what it saw.

The grader starts `python -m minikeras.grader.runner` for each submission (see
`minikeras.grader.sandbox`) and writes one line of JSON to its standard input: the
per-run token, the file descriptor of the pipe to report on, the submission's folder,
the test files, the names of the tests to run, and the limits. The runner then

1. sets its own resource limits (memory, CPU time, file size), before any student code;
2. loads the test files (course code) and imports the student's module;
3. runs each test with a `Recorder` as `check`, catching everything, `SystemExit`
   included, and capturing what the test prints;
4. reports on the pipe, one JSON line per event, each tagged with the token:
   `import`, then `start` and `end` for each test, then `done`.

It reports observations, never verdicts: there is no "passed" for a submission to
forge. Whatever it reports, the grader compares it with the reference in its own process.
"""
import contextlib
import importlib.util
import io
import json
import os
import random
import sys
import time
import traceback
from pathlib import Path

from minikeras.grader import wire
from minikeras.grader.checks import Recorder

MAX_OUTPUT_CHARS = 20_000
MAX_MESSAGE_BYTES = 32 * 2 ** 20


class _CappedText(io.StringIO):
    """Captures printed text, keeping at most `MAX_OUTPUT_CHARS` characters."""

    def write(self, text):
        room = MAX_OUTPUT_CHARS - self.tell()
        if room > 0:
            super().write(text[:room])
        return len(text)


class Channel:
    """The pipe to the grader: one JSON line per event, each carrying the run's token.

    # Arguments
        fd: the pipe's file descriptor.
        token: the per-run token the grader gave on standard input.
    """

    def __init__(self, fd, token):
        self.fd = fd
        self.token = token

    def send(self, event, **fields):
        """Writes one event to the grader.

        # Arguments
            event: the event's name.
            **fields: its JSON-serializable fields.
        """
        data = (wire.dumps({"token": self.token, "event": event, **fields}) + "\n").encode()
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]


def apply_limits(memory_mb, cpu_seconds, file_mb):
    """Limits this process's memory, CPU time and file sizes, and turns off core dumps.

    # Arguments
        memory_mb: the address-space limit, in MiB (a huge allocation raises MemoryError).
        cpu_seconds: the CPU time after which the kernel stops the process.
        file_mb: the largest file the process may write, in MiB.
    """
    import resource
    for limit, value in ((resource.RLIMIT_AS, memory_mb * 2 ** 20),
                         (resource.RLIMIT_CPU, int(cpu_seconds)),
                         (resource.RLIMIT_FSIZE, file_mb * 2 ** 20),
                         (resource.RLIMIT_CORE, 0)):
        hard = resource.getrlimit(limit)[1]
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(limit, (value, value))


def load_tests(paths):
    """Loads the test functions of the given files.

    # Arguments
        paths: the test files.

    # Returns
        A pair: a dict from test name to function, and a dict from test name to the error
        that stopped its file from loading.
    """
    tests, broken = {}, {}
    for index, path in enumerate(paths):
        path = Path(path)
        try:
            module = _import_file(f"_course_tests_{index}_{path.stem}", path)
        except BaseException:  # a broken test file must not stop the others
            error = traceback.format_exc(limit=-3)
            for name in _names_in(path):
                broken[name] = f"The test file {path.name} failed to load:\n{error}"
            continue
        for name, value in vars(module).items():
            if name.startswith("test_") and callable(value):
                tests[name] = value
    return tests, broken


def _names_in(path):
    from minikeras.grader.catalogue import read_test_specs
    try:
        return [spec.name for spec in read_test_specs(path, 0, False)]
    except Exception:
        return []


def _import_file(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def find_student_file(folder, module):
    """Finds `<module>.py` in a submission: at its top, or alone in a subfolder.

    # Arguments
        folder: the submission's folder.
        module: the module's name.

    # Returns
        The file's `Path`.

    # Raises
        FileNotFoundError: if there is no such file, or several.
    """
    folder = Path(folder)
    direct = folder / f"{module}.py"
    if direct.is_file():
        return direct
    found = sorted(p for p in folder.rglob(f"{module}.py")
                   if "tests" not in p.relative_to(folder).parts)
    if len(found) == 1:
        return found[0]
    present = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.py"))[:10]
    if found:
        raise FileNotFoundError(f"The submission has several {module}.py files: "
                                f"{[str(p.relative_to(folder)) for p in found]}.")
    raise FileNotFoundError(f"The submission has no {module}.py (Python files found: "
                            f"{present or 'none'}).")


def import_student(folder, module):
    """Imports the student's module, catching anything it does at import time.

    The module's folder goes at the end of `sys.path`, so its helper files can be
    imported but cannot shadow NumPy or minikeras.

    # Arguments
        folder: the submission's folder.
        module: the module's name.

    # Returns
        A triple `(module or None, error message or None, printed output)`.
    """
    captured = _CappedText()
    try:
        path = find_student_file(folder, module)
    except FileNotFoundError as error:
        return None, str(error), ""
    sys.path.append(str(path.parent))
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
        try:
            return _import_file(module, path), None, captured.getvalue()
        except SystemExit as error:
            message = (f"Your {path.name} called sys.exit({error.code!r}) while being imported; "
                       "a module must not exit the process.")
        except BaseException as error:
            message = f"Your {path.name} raised an exception while being imported:\n" + \
                format_error(error, folder)
    return None, message, captured.getvalue()


def format_error(error, submission=None):
    """Formats an exception for a student: the last few frames, then the error.

    Frames inside the grader are left out, frames of hidden tests are shown without
    their code, and paths inside the submission are shown relative to it. A
    `NotImplementedError` (a TODO of the starter) is told in one line.

    # Arguments
        error: the exception.
        submission: the submission's folder, to shorten paths.

    # Returns
        A string.
    """
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if "minikeras/grader/" not in frame.filename.replace(os.sep, "/")]
    prefix = str(submission).rstrip(os.sep) + os.sep if submission else None
    if isinstance(error, NotImplementedError) and frames:
        where = _short_path(frames[-1].filename, prefix)
        return (f"Not written yet: NotImplementedError: {error} ({where}, line "
                f"{frames[-1].lineno}).")
    lines = []
    for frame in frames[-6:]:
        path = frame.filename.replace(os.sep, "/")
        if "/hidden/" in path:
            lines.append("  (in a hidden test)\n")
            continue
        lines.append(f'  File "{_short_path(frame.filename, prefix)}", line {frame.lineno}, in '
                     f"{frame.name}\n")
        if frame.line:
            lines.append(f"    {frame.line.strip()}\n")
    lines += traceback.format_exception_only(type(error), error)
    return "".join(lines)[-4000:]


def _short_path(filename, prefix):
    if prefix and filename.startswith(prefix):
        return filename[len(prefix):]
    parts = filename.replace(os.sep, "/").split("/")
    return "/".join(parts[-2:])


def seed_everything():
    """Seeds Python's, NumPy's and minikeras's random generators, so runs repeat exactly."""
    import numpy as np
    random.seed(0)
    np.random.seed(0)
    try:
        from minikeras import backend
        backend.set_seed(0)
    except ImportError:
        pass


def run_test(test, student, memory_mb, submission=None):
    """Runs one test function with a fresh `Recorder`.

    # Arguments
        test: the test function, taking `(student, check)`.
        student: the student's module.
        memory_mb: the memory limit, for the message of a `MemoryError`.
        submission: the submission's folder, to shorten paths in tracebacks.

    # Returns
        A dict with `status` (`"ok"` or `"error"`), `checks`, `message`, `output` and
        `seconds`.
    """
    seed_everything()
    recorder = Recorder()
    captured = _CappedText()
    status, message = "ok", ""
    start = time.perf_counter()
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
        try:
            test(student, recorder)
        except SystemExit as error:
            status, message = "error", (f"The code called sys.exit({error.code!r}) during the "
                                        "test; a submission must not exit the process.")
        except MemoryError as error:
            status, message = "error", (f"The test ran out of memory (the limit is {memory_mb} "
                                        f"MB):\n{format_error(error, submission)}")
        except BaseException as error:
            status, message = "error", format_error(error, submission)
    return {"status": status, "checks": recorder.records, "message": message,
            "output": captured.getvalue(), "seconds": time.perf_counter() - start}


def _fit_message(result):
    """Drops the recorded values if they are too large to send."""
    if len(json.dumps(result["checks"])) > MAX_MESSAGE_BYTES:
        return {**result, "checks": [], "status": "error",
                "message": f"The values observed were larger than {MAX_MESSAGE_BYTES} bytes."}
    return result


def _save_coverage():
    """Writes coverage.py's data now, when this process is measured (`tox -e coverage`).

    The grader kills the test process as soon as it reports `done`, before coverage's own
    handler at exit could run, so the data is written before saying `done`.
    """
    coverage = sys.modules.get("coverage")
    measuring = coverage.Coverage.current() if coverage is not None else None
    if measuring is not None:
        measuring.save()


def main():
    """Runs the tests described by the configuration line on standard input."""
    config = json.loads(sys.stdin.readline())
    sys.stdin.close()
    sys.stdin = open(os.devnull)
    apply_limits(config["memory_mb"], config["cpu_seconds"], config["file_mb"])
    channel = Channel(config["result_fd"], config["token"])
    tests, broken = load_tests(config["test_files"])
    student, import_error, output = import_student(config["submission"], config["module"])
    channel.send("import", ok=import_error is None, message=import_error or "", output=output)
    for name in config["tests"]:
        channel.send("start", test=name)
        if name in broken:
            result = {"status": "error", "checks": [], "message": broken[name]}
        elif name not in tests:
            result = {"status": "error", "checks": [], "message": f"No test named {name}."}
        elif import_error is not None:
            result = {"status": "error", "checks": [], "message": import_error}
        else:
            result = _fit_message(run_test(tests[name], student, config["memory_mb"],
                                           config["submission"]))
        channel.send("end", test=name, **result)
    _save_coverage()
    channel.send("done")
    sys.stdout.flush()
    sys.stderr.flush()
    # Not sys.exit: a thread the student's code left running must not keep us alive.
    os._exit(0)


if __name__ == "__main__":
    main()
