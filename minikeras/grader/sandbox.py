"""Runs a submission's tests in a separate, limited process, and survives whatever it does.

# Why the grader can trust its scores

Student code never runs in the grader's process. For each submission the grader starts
a test process (`minikeras.grader.runner`), and the score is computed by the grader
from what that process observed, under four rules:

1. **Observations, not verdicts.** The test process reports values ("the gradient of
   b was this array"), never "passed". There is no success message to print or forge.
2. **The bar comes from the reference.** The grader runs the same tests on the reference
   solution, and takes every expected value, tolerance and threshold from that run;
   from the student's run it takes only the actual values. A submission that tampers
   with the tests in its own process can change what it reports about itself, which is
   no more than writing different code: it cannot move the bar.
3. **Nothing read from the child can run code.** Reports are JSON lines on a dedicated
   pipe (not stdout, which the student's code shares), decoded by `wire.decode`, which
   rebuilds plain numeric arrays only; never pickle. Each line must carry the per-run
   random token the grader passed on the child's standard input (read, then closed,
   before any student code runs), so a stray or naive write to the pipe is ignored.
   A line too long, or a report for a test that is not running, is refused.
4. **The grader keeps the clock and the counts.** Time limits are enforced from here:
   when a test overruns, the whole process group is killed, the test scores 0, and a
   fresh process runs the remaining tests. A crash (`os._exit`, a segfault, the kernel
   killing an oversized process) ends the process without an `end` report; the test
   that was running scores 0 with a sentence saying what happened, and grading goes on.
   Which tests exist and what they are worth is read from the test files' source by the
   grader, never from the child.

The child limits itself before importing student code (`runner.apply_limits`): address
space (a huge allocation raises `MemoryError`), CPU time, file size, no core dumps. It
runs in a fresh temporary folder holding a copy of the submission's Python files, so
files it writes land there and are deleted afterwards.

What this does not stop: code that deliberately computes the right answers some other
way (by importing minikeras's own implementation, or regenerating the seeded data), and
timings, which the child measures itself (a submission patching the clock could fake
its speed, though its results must still be right). Reading the code finds the first;
for hostile code, run each submission in its own container, as Gradescope does.
"""
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from minikeras.grader import wire

MAX_LINE_BYTES = 48 * 2 ** 20
# Seconds allowed between the end of one test and the start of the next.
GAP_SECONDS = 30.0
FILE_LIMIT_MB = 256


@dataclass
class TestOutcome:
    """What happened to one test in one run.

    # Arguments
        name: the test's name.
        status: `"ok"` (ran to the end), `"error"` (raised), `"timeout"`, `"crash"` or
            `"not run"`.
        checks: the recorded observations, as JSON data (decoded only when judged).
        message: the error, or what happened to the process.
        output: what the test printed.
        seconds: how long it took.
    """

    name: str
    status: str
    checks: list = field(default_factory=list)
    message: str = ""
    output: str = ""
    seconds: float = 0.0

    def to_json(self):
        """Returns the outcome as JSON data (to store reference runs).

        # Returns
            A dict.
        """
        return {"name": self.name, "status": self.status, "checks": self.checks,
                "message": self.message, "output": self.output, "seconds": self.seconds}

    @classmethod
    def from_json(cls, data):
        """Rebuilds an outcome stored by `to_json`.

        # Arguments
            data: a dict.

        # Returns
            A `TestOutcome`.
        """
        return cls(str(data["name"]), str(data["status"]), list(data.get("checks", [])),
                   str(data.get("message", "")), str(data.get("output", "")),
                   float(data.get("seconds", 0.0)))


@dataclass
class Run:
    """The outcomes of running an exercise's tests on one folder.

    # Arguments
        outcomes: a dict from test name to `TestOutcome`.
        import_message: why the student's module failed to import, or `""`.
        ignored_lines: how many lines on the pipe were refused (wrong token, malformed).
        processes: how many test processes were started (more than one after a crash
            or a timeout).
        seconds: the wall-clock time of the whole run.
    """

    outcomes: dict
    import_message: str = ""
    ignored_lines: int = 0
    processes: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class Limits:
    """The limits of a run.

    # Arguments
        time_scale: multiplies every time limit (for slow or busy machines).
        memory_mb: the address-space limit of the test process, in MiB.
        startup_seconds: the time allowed to start and import the student's file.
    """

    time_scale: float = 1.0
    memory_mb: int = 2048
    startup_seconds: float = 60.0

    @classmethod
    def for_exercise(cls, exercise, time_scale=1.0):
        """Returns an exercise's limits, with every time limit multiplied by `time_scale`.

        # Arguments
            exercise: the `Exercise`.
            time_scale: the factor.

        # Returns
            A `Limits`.
        """
        return cls(time_scale=time_scale, memory_mb=exercise.memory_mb,
                   startup_seconds=exercise.startup_limit * time_scale)


def run_tests(exercise, folder, specs, limits=None):
    """Runs tests of an exercise on a folder of Python files, each test process sandboxed.

    # Arguments
        exercise: the `Exercise`.
        folder: the submission (or solution, or starter) folder.
        specs: the `TestSpec`s to run, in order.
        limits: a `Limits`, or `None` for the exercise's defaults.

    # Returns
        A `Run`.
    """
    limits = limits or Limits.for_exercise(exercise)
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="minikeras-grade-"))
    run = Run(outcomes={})
    try:
        submission = _copy_python_files(Path(folder), workdir / "submission")
        remaining = list(specs)
        while remaining:
            session = _Session(exercise, submission, remaining, workdir, limits, run.processes)
            run.processes += 1
            stop = session.run()
            run.outcomes.update(session.finished)
            run.ignored_lines += session.ignored_lines
            run.import_message = run.import_message or session.import_message
            remaining = [spec for spec in remaining if spec.name not in run.outcomes]
            if stop is None:
                for spec in remaining:
                    run.outcomes[spec.name] = TestOutcome(
                        spec.name, "not run", message="The test process ended without "
                        "running this test.")
                break
            status, name, message, output = stop
            if name is None:  # stopped before the first test: the same would happen again
                for spec in remaining:
                    run.outcomes[spec.name] = TestOutcome(spec.name, status, message=message,
                                                          output=output)
                break
            run.outcomes[name] = TestOutcome(name, status, message=message, output=output)
            remaining = [spec for spec in remaining if spec.name not in run.outcomes]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    run.seconds = time.monotonic() - started
    return run


def _copy_python_files(source, target):
    """Copies the `.py` files of a submission (the only files an exercise needs)."""
    target.mkdir(parents=True)
    if not source.is_dir():
        return target
    for path in source.rglob("*.py"):
        relative = path.relative_to(source)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if path.is_file() and path.stat().st_size < 2 ** 20:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)
    return target


def child_environment(workdir):
    """The environment of a test process: one thread per library, fixed hash seed.

    # Arguments
        workdir: the run's temporary folder.

    # Returns
        A dict of environment variables.
    """
    env = dict(os.environ)
    env.update({
        "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg",
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "NUMBA_NUM_THREADS": "1", "HOME": str(workdir),
    })
    return env


class _Session:
    """One test process: started, fed its configuration, listened to until it stops."""

    def __init__(self, exercise, submission, specs, workdir, limits, number):
        self.exercise = exercise
        self.submission = submission
        self.specs = {spec.name: spec for spec in specs}
        self.order = [spec.name for spec in specs]
        self.workdir = workdir
        self.limits = limits
        self.number = number
        self.finished = {}
        self.ignored_lines = 0
        self.import_message = ""
        self.token = secrets.token_hex(16)

    def run(self):
        """Runs the process and listens to it until it finishes or is stopped.

        Returns `None` when it finished, or what stopped it: a tuple
        `(status, test name or None, message, output)`.
        """
        cwd = self.workdir / f"cwd-{self.number}"
        cwd.mkdir()
        log_path = self.workdir / f"output-{self.number}.txt"
        read_fd, write_fd = os.pipe()
        total_seconds = self.limits.startup_seconds + sum(
            spec.time_limit for spec in self.specs.values()) * self.limits.time_scale
        config = {
            "token": self.token, "result_fd": write_fd, "submission": str(self.submission),
            "module": self.exercise.module, "tests": self.order,
            "test_files": [str(p) for p in sorted({s.path for s in self.specs.values()})],
            "memory_mb": self.limits.memory_mb, "file_mb": FILE_LIMIT_MB,
            "cpu_seconds": int(total_seconds * 2 + 30),
        }
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "minikeras.grader.runner"], stdin=subprocess.PIPE,
                stdout=log, stderr=subprocess.STDOUT, cwd=cwd, env=child_environment(cwd),
                pass_fds=(write_fd,), start_new_session=True)
        os.close(write_fd)
        try:
            process.stdin.write((wire.dumps(config) + "\n").encode())
            process.stdin.close()
        except BrokenPipeError:
            pass
        try:
            return self._listen(process, _Lines(read_fd), log_path)
        finally:
            _kill(process)
            os.close(read_fd)

    def _listen(self, process, lines, log_path):
        deadline = time.monotonic() + self.limits.startup_seconds
        current, imported = None, False
        while True:
            line = lines.next(deadline)
            if line in (_Lines.TIMEOUT, _Lines.EOF) and current is None and imported:
                # Stopped between two tests: the next one is charged with it.
                current = next((n for n in self.order if n not in self.finished), None)
            if line is _Lines.TIMEOUT:
                return self._timed_out(current)
            if line is _Lines.EOF:
                return ("crash", current, describe_exit(_wait(process), current),
                        _tail(log_path))
            if line is _Lines.TOO_LONG:
                return ("error", current, f"The test process sent more than {MAX_LINE_BYTES} "
                        "bytes at once; the grader stopped it.", "")
            message = wire.loads(line)
            if not message or message.get("token") != self.token:
                self.ignored_lines += 1
                continue
            event = message.get("event")
            if event == "import":
                imported = True
                self.import_message = str(message.get("message", ""))
                deadline = time.monotonic() + GAP_SECONDS * self.limits.time_scale
            elif event == "start" and current is None and message.get("test") in self.specs \
                    and message.get("test") not in self.finished:
                current = message["test"]
                deadline = time.monotonic() + self.specs[current].time_limit * \
                    self.limits.time_scale
            elif event == "end" and current is not None and message.get("test") == current:
                self.finished[current] = _outcome(current, message)
                current = None
                deadline = time.monotonic() + GAP_SECONDS * self.limits.time_scale
            elif event == "done":
                return None
            else:
                self.ignored_lines += 1

    def _timed_out(self, current):
        if current is None:
            return ("timeout", None, "The test process did not get going in time: importing "
                    "your file took too long (an infinite loop, or slow work, at import time?).",
                    "")
        limit = self.specs[current].time_limit * self.limits.time_scale
        return ("timeout", current, f"The test took longer than its limit of {limit:.0f} s and "
                "was stopped: an infinite loop, or code far too slow?", "")


def _outcome(name, message):
    checks = message.get("checks")
    status = message.get("status")
    if not isinstance(checks, list) or status not in ("ok", "error"):
        return TestOutcome(name, "error", message="The test process sent a malformed report.")
    return TestOutcome(name, status, checks, str(message.get("message", ""))[:8000],
                       str(message.get("output", ""))[:20000],
                       float(message.get("seconds", 0.0) or 0.0))


class _Lines:
    """Reads lines from a pipe, with a deadline and a size limit."""

    TIMEOUT, EOF, TOO_LONG = object(), object(), object()

    def __init__(self, fd):
        self.fd = fd
        self.buffer = bytearray()
        self.poller = select.poll()
        self.poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)

    def next(self, deadline):
        """Returns the next line (bytes), or `TIMEOUT`, `EOF` or `TOO_LONG`."""
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                line = bytes(self.buffer[:end])
                del self.buffer[:end + 1]
                return line
            if len(self.buffer) > MAX_LINE_BYTES:
                return self.TOO_LONG
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self.poller.poll(remaining * 1000):
                return self.TIMEOUT
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return self.EOF
            self.buffer += chunk


def _wait(process, seconds=3):
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        _kill(process)
        return process.wait()


def _kill(process):
    """Kills the test process and everything it started (its process group)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


_SIGNAL_MEANINGS = {
    "SIGKILL": "was killed (SIGKILL), most often for using more memory than the machine has",
    "SIGSEGV": "crashed with a segmentation fault (SIGSEGV): an out-of-bounds access in "
               "compiled (numba) code?",
    "SIGBUS": "crashed with a bus error (SIGBUS)",
    "SIGXCPU": "used up its CPU time (SIGXCPU)",
    "SIGABRT": "aborted (SIGABRT)",
    "SIGFPE": "crashed on an arithmetic error (SIGFPE)",
}


def describe_exit(returncode, test_name):
    """Says in a sentence how a test process ended early.

    # Arguments
        returncode: its exit status (negative: killed by that signal).
        test_name: the test that was running, or `None`.

    # Returns
        A string.
    """
    where = f"during {test_name}" if test_name else "while importing your file"
    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        meaning = _SIGNAL_MEANINGS.get(name, f"was killed by {name}")
        return f"The test process {meaning} {where}."
    return (f"The test process exited with status {returncode} {where}, without finishing "
            "the test: did the code call os._exit(), or close the grader's pipe?")


def _tail(path, size=2000):
    try:
        data = Path(path).read_bytes()[-size:]
    except OSError:
        return ""
    return data.decode("utf-8", "replace")
