"""Checks the course itself: `minikeras course verify`, run in CI.

For every exercise, three promises a teacher relies on:

1. the reference solution scores 100% (the tests are passable, and the expected values,
   which come from minikeras or from closed forms, agree with it);
2. the untouched starter scores 0, and its failures are ordinary test failures, not
   crashes or timeouts of the grader;
3. every planted bug (a small patch of the reference, listed in the solution's
   `bugs.py`) loses points: the tests catch the mistakes students really make.

All the runs are independent, so they go to a pool of `jobs` workers; each run is a
sandboxed test process like any student's.
"""
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from minikeras.grader import grading, sandbox


@dataclass
class Case:
    """One row of the verification table.

    # Arguments
        exercise: the `Exercise`.
        kind: `"solution"`, `"starter"` or `"bug"`.
        name: the bug's name (empty otherwise).
        score: the points scored.
        max_score: the points available.
        ok: whether the promise holds.
        note: why not, or the first test that caught a bug.
        seconds: the time the run took.
    """

    exercise: object
    kind: str
    name: str
    score: float
    max_score: float
    ok: bool
    note: str
    seconds: float


class PatchError(Exception):
    """Raised when a planted bug's patch does not apply to the reference solution."""


def apply_bug(solution, bug, target):
    """Copies a reference solution and plants one bug in the copy.

    # Arguments
        solution: the solution's folder.
        bug: a dict with `file`, `old` and `new` (see `catalogue.read_bugs`).
        target: the folder to create.

    # Returns
        The target folder.

    # Raises
        PatchError: if `old` does not occur exactly once in the file.
    """
    shutil.copytree(solution, target, ignore=shutil.ignore_patterns("bugs.py", "__pycache__"))
    path = Path(target) / bug["file"]
    text = path.read_text(encoding="utf-8")
    count = text.count(bug["old"])
    if count != 1:
        raise PatchError(f"bug {bug['name']!r}: the text to replace occurs {count} times in "
                         f"{bug['file']} (it must occur exactly once).")
    path.write_text(text.replace(bug["old"], bug["new"]), encoding="utf-8")
    return Path(target)


def verify(exercises, jobs=2, time_scale=1.0, progress=None):
    """Verifies exercises: solution 100%, starter 0 without crashes, every bug caught.

    # Arguments
        exercises: the `Exercise`s to verify.
        jobs: how many test processes run at once.
        time_scale: multiplies every time limit.
        progress: an optional function called with a line of text as each run ends.

    # Returns
        A list of `Case`, in exercise order.
    """
    scratch = Path(tempfile.mkdtemp(prefix="minikeras-verify-"))
    try:
        tasks = _tasks(exercises, scratch)
        # The slowest exercises first, so that the pool ends together.
        order = sorted(range(len(tasks)), key=lambda i: -_budget(tasks[i][0]))
        runs = [None] * len(tasks)
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {pool.submit(_run_task, tasks[i], time_scale): i for i in order}
            for future in as_completed(futures):
                index = futures[future]
                runs[index] = future.result()
                if progress:
                    exercise, kind, name, _ = tasks[index]
                    progress(f"ran {exercise.name} {kind}{': ' + name if name else ''}")
        return _judge_all(tasks, runs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _budget(exercise):
    """The sum of an exercise's time limits: how slow its runs may be."""
    return sum(spec.time_limit for spec in exercise.tests())


def _tasks(exercises, scratch):
    """One task per run: `(exercise, kind, name, folder or error)`."""
    tasks = []
    for exercise in exercises:
        tasks.append((exercise, "solution", "", exercise.solutions))
        tasks.append((exercise, "starter", "", exercise.starter))
        for index, bug in enumerate(exercise.bugs()):
            try:
                folder = apply_bug(exercise.solutions, bug,
                                   scratch / f"{exercise.name}-bug-{index}")
            except PatchError as error:
                folder = error
            tasks.append((exercise, "bug", bug["name"], folder))
    return tasks


def _run_task(task, time_scale):
    exercise, _, _, folder = task
    if isinstance(folder, Exception):
        return folder
    limits = sandbox.Limits.for_exercise(exercise, time_scale)
    return sandbox.run_tests(exercise, folder, exercise.tests(), limits)


def _judge_all(tasks, runs):
    references = {task[0].name: run for task, run in zip(tasks, runs) if task[1] == "solution"}
    cases = []
    for (exercise, kind, name, _), run in zip(tasks, runs):
        specs = exercise.tests()
        max_score = sum(spec.points for spec in specs)
        if isinstance(run, Exception):
            cases.append(Case(exercise, kind, name, 0, max_score, False, str(run), 0.0))
            continue
        results = grading.judge(specs, references[exercise.name], run)
        score = sum(result.score for result in results)
        ok, note = _promise(kind, results, score, max_score, run)
        cases.append(Case(exercise, kind, name, score, max_score, ok, note, run.seconds))
    return cases


def _promise(kind, results, score, max_score, run):
    failed = [r for r in results if not r.passed]
    if kind == "solution":
        if score == max_score:
            return True, ""
        first = failed[0]
        reason = first.feedback.splitlines()[0] if first.feedback else ""
        return False, f"{first.spec.name}: {reason}"
    if kind == "starter":
        broken = [r for r in results if r.status in ("timeout", "crash", "not run")]
        if broken:
            return False, f"{broken[0].spec.name} ended with {broken[0].status}"
        if score != 0:
            passed = [r.spec.name for r in results if r.passed]
            return False, f"the starter passes {', '.join(passed)}"
        return True, ""
    if score < max_score:
        return True, f"caught by {failed[0].spec.name}" + (
            f" (+{len(failed) - 1} more)" if len(failed) > 1 else "")
    return False, "no test catches this bug"


def format_table(cases):
    """Formats the verification as a table, one row per run, and a summary line.

    # Arguments
        cases: the `Case`s.

    # Returns
        A string.
    """
    rows = [("exercise", "case", "score", "ok", "time", "note")]
    for case in cases:
        label = case.kind if case.kind != "bug" else f"bug: {case.name}"
        rows.append((case.exercise.name, label, f"{case.score:g}/{case.max_score:g}",
                     "ok" if case.ok else "FAIL", f"{case.seconds:.1f}s", case.note))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:5], widths)) + "  " + row[5]
             for row in rows]
    lines.insert(1, "-" * (sum(widths) + 10))
    failed = sum(not case.ok for case in cases)
    lines.append(f"{len(cases)} checks, {failed} failed.")
    return "\n".join(line.rstrip() for line in lines)
