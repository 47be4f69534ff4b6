"""`minikeras course ...`: list, hand out, check and grade the exercises, and verify them.

```
minikeras course list
minikeras course start 01-broadcasting --to my-work/
minikeras course check 01-broadcasting --path my-work/
minikeras course grade 01-broadcasting --path submission/ --format gradescope
minikeras course grade-all 01-broadcasting --submissions class/ --jobs 4 --output grades.csv
minikeras course verify
minikeras course autograder 01-broadcasting --out autograder.zip
```
"""
import csv
import shutil
import signal
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click

from minikeras.grader import catalogue, grading, sandbox
from minikeras.grader import verify as verification

STUDENT_CONFTEST = '''"""Lets `pytest` run the public tests (`student` is your module)."""
from minikeras.grader.pytest_plugin import check, student  # noqa: F401
'''


class _Settings:
    def __init__(self, course_dir, time_scale):
        self.course_dir = course_dir
        self.time_scale = time_scale

    def exercise(self, name):
        try:
            return catalogue.find_exercise(name, self.course_dir)
        except catalogue.CourseError as error:
            raise click.ClickException(str(error)) from None

    def exercises(self):
        try:
            return catalogue.exercises(self.course_dir)
        except catalogue.CourseError as error:
            raise click.ClickException(str(error)) from None

    def limits(self, exercise):
        return sandbox.Limits.for_exercise(exercise, self.time_scale)


@click.group()
@click.option("--course-dir", envvar="MINIKERAS_COURSE_DIR", default=None,
              type=click.Path(file_okay=False),
              help="The course folder (default: the course installed with minikeras).")
@click.option("--time-scale", envvar="MINIKERAS_GRADER_TIME_SCALE", default=1.0, type=float,
              show_default=True, help="Multiply every time limit by this (for slow machines).")
@click.pass_context
def course(context, course_dir, time_scale):
    """The course: exercises that rebuild minikeras, and their grader."""
    if time_scale <= 0:
        raise click.BadParameter("must be positive", param_hint="--time-scale")
    _exit_cleanly_on_sigterm()
    context.obj = _Settings(course_dir, time_scale)


def _exit_cleanly_on_sigterm():
    """Makes SIGTERM (a `kill`, a CI job's timeout) exit through Python's cleanup.

    Each test process runs in a session of its own, and the grader kills it in a
    `finally`; a plain SIGTERM would end the grader without running it, and leave the
    student's code running as an orphan. Ctrl-C already goes through `finally`.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))


@course.command("list")
@click.pass_obj
def list_exercises(settings):
    """List the exercises, in teaching order, with their points."""
    for exercise in settings.exercises():
        click.echo(f"{exercise.name:<18} {exercise.title}  ({exercise.points():g} points)")


@course.command()
@click.argument("exercise_name", metavar="EXERCISE")
@click.option("--to", "target", required=True, type=click.Path(file_okay=False),
              help="The folder to copy the exercise into.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist there.")
@click.pass_obj
def start(settings, exercise_name, target, force):
    """Copy an exercise's starter files into a folder.

    Copies the README, the exercise's notebook, the starter files and the public tests
    (never the hidden ones).
    """
    exercise = settings.exercise(exercise_name)
    target = Path(target)
    copies = [(exercise.folder / "README.md", target / "README.md"),
              (exercise.folder / "exercise.json", target / "exercise.json")]
    notebook = exercise.folder / f"{exercise.name}.ipynb"
    if notebook.is_file():  # the notebook imports the starter module beside it
        copies.append((notebook, target / notebook.name))
    copies += [(path, target / path.name) for path in sorted(exercise.starter.iterdir())
               if path.is_file() and path.suffix in (".py", ".md", ".ipynb")]
    copies += [(path, target / "tests" / path.name) for path in exercise.test_files(hidden=False)]
    existing = [str(dst) for _, dst in copies if dst.exists()]
    if existing and not force:
        raise click.ClickException(f"Not overwriting {', '.join(existing)} (use --force).")
    for source, destination in copies:
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    (target / "conftest.py").write_text(STUDENT_CONFTEST, encoding="utf-8")
    click.echo(f"{exercise.name} is ready in {target}: read README.md, write "
               f"{exercise.module}.py, then run: minikeras course check {exercise.name} "
               f"--path {target}")


@course.command()
@click.argument("exercise_name", metavar="EXERCISE")
@click.option("--path", "folder", default=".", show_default=True,
              type=click.Path(exists=True, file_okay=False), help="Your exercise folder.")
@click.pass_obj
def check(settings, exercise_name, folder):
    """Run the public tests on your work, with feedback.

    The exit status is 1 unless every public test passes.
    """
    exercise = settings.exercise(exercise_name)
    report = grading.grade(exercise, folder, hidden=False, limits=settings.limits(exercise))
    click.echo(report.to_text())
    if report.score < report.max_score:
        sys.exit(1)
    click.echo("All public tests pass. The grader adds hidden tests: test the edge cases too.")


@course.command()
@click.argument("exercise_name", metavar="EXERCISE")
@click.option("--path", "folder", required=True, type=click.Path(exists=True, file_okay=False),
              help="The submission's folder.")
@click.option("--format", "output_format", default="text", show_default=True,
              type=click.Choice(["text", "json", "gradescope"]), help="The report's format.")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of printing it.")
@click.option("--expected", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The reference's results, stored by `autograder` (skips the reference run).")
@click.option("--public-only", is_flag=True, help="Run the public tests only.")
@click.pass_obj
def grade(settings, exercise_name, folder, output_format, output, expected, public_only):
    """Grade a submission with all the tests, points per test."""
    exercise = settings.exercise(exercise_name)
    try:
        reference = grading.load_expected(exercise, expected) if expected else None
    except (ValueError, KeyError) as error:
        raise click.ClickException(f"Cannot use {expected}: {error}") from None
    report = grading.grade(exercise, folder, hidden=not public_only, expected=reference,
                           limits=settings.limits(exercise))
    _emit(report.render(output_format), output)


def _emit(text, output):
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


@course.command("grade-all")
@click.argument("exercise_name", metavar="EXERCISE")
@click.option("--submissions", required=True, type=click.Path(exists=True, file_okay=False),
              help="A folder with one subfolder per submission.")
@click.option("--jobs", default=2, show_default=True, type=click.IntRange(1, 64),
              help="How many submissions to grade at once.")
@click.option("--output", default="grades.csv", show_default=True,
              type=click.Path(dir_okay=False), help="The CSV file of scores.")
@click.option("--reports", default=None, type=click.Path(file_okay=False),
              help="Also write each submission's report to this folder.")
@click.pass_obj
def grade_all(settings, exercise_name, submissions, jobs, output, reports):
    """Grade a folder of submissions, in parallel.

    One submission per subfolder; writes a CSV of scores and prints a summary.
    """
    exercise = settings.exercise(exercise_name)
    limits = settings.limits(exercise)
    specs = exercise.tests()
    folders = sorted(p for p in Path(submissions).iterdir()
                     if p.is_dir() and not p.name.startswith("."))
    if not folders:
        raise click.ClickException(f"{submissions} has no submission subfolders.")
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        reference = pool.submit(grading.reference_run, exercise, True, limits)
        runs = [pool.submit(sandbox.run_tests, exercise, f, specs, limits) for f in folders]
        try:
            reference = reference.result()
            reports_by_name = {}
            for folder, run in zip(folders, runs):
                run = run.result()
                report = grading.Report(exercise, grading.judge(specs, reference, run),
                                        run.seconds)
                reports_by_name[folder.name] = report
        except BaseException:
            # Ctrl-C, SIGTERM or an error: start no other submission (leaving the `with`
            # would wait for all of them); those running end within their time limits.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    _write_csv(output, specs, reports_by_name)
    if reports:
        Path(reports).mkdir(parents=True, exist_ok=True)
        for name, report in reports_by_name.items():
            (Path(reports) / f"{name}.txt").write_text(report.to_text() + "\n", encoding="utf-8")
    click.echo(_summary(exercise, specs, reports_by_name, time.monotonic() - started, output))


def _write_csv(path, specs, reports):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["submission", "score", "max_score", "percent", "problems"]
                        + [spec.name for spec in specs])
        for name, report in reports.items():
            problems = "; ".join(f"{r.spec.name}: {r.status}" for r in report.results
                                 if r.status in ("timeout", "crash", "not run"))
            writer.writerow([name, f"{report.score:g}", f"{report.max_score:g}",
                             f"{100 * report.score / report.max_score:.1f}", problems]
                            + [f"{r.score:g}" for r in report.results])


def _summary(exercise, specs, reports, seconds, output):
    scores = [report.score for report in reports.values()]
    max_score = sum(spec.points for spec in specs)
    lines = [f"{exercise.name}: graded {len(scores)} submissions in {seconds:.1f} s; "
             f"scores written to {output}.",
             f"  mean {statistics.mean(scores):.2f}, median {statistics.median(scores):g}, "
             f"min {min(scores):g}, max {max(scores):g} (out of {max_score:g}); "
             f"{sum(s == max_score for s in scores)} full marks, {sum(s == 0 for s in scores)} "
             "zero.",
             "  passed by:"]
    for index, spec in enumerate(specs):
        passed = sum(report.results[index].passed for report in reports.values())
        lines.append(f"    {passed:>4}/{len(scores)}  {spec.name}")
    troubled = [name for name, report in reports.items()
                if any(r.status in ("timeout", "crash") for r in report.results)]
    if troubled:
        lines.append(f"  timeouts or crashes in: {', '.join(troubled)}")
    return "\n".join(lines)


@course.command()
@click.argument("exercise_names", metavar="[EXERCISE]...", nargs=-1)
@click.option("--jobs", default=2, show_default=True, type=click.IntRange(1, 64),
              help="How many test processes run at once.")
@click.pass_obj
def verify(settings, exercise_names, jobs):
    """Check the course itself (for CI).

    Every reference solution must score 100%, every untouched starter 0 without
    crashing the grader, and every planted bug must lose points.
    """
    chosen = [settings.exercise(name) for name in exercise_names] or settings.exercises()
    started = time.monotonic()
    cases = verification.verify(chosen, jobs=jobs, time_scale=settings.time_scale,
                                progress=lambda line: click.echo(line, err=True))
    click.echo(verification.format_table(cases))
    click.echo(f"Verified {len(chosen)} exercises in {time.monotonic() - started:.1f} s "
               f"with {jobs} jobs.")
    if not all(case.ok for case in cases):
        sys.exit(1)


@course.command()
@click.argument("exercise_name", metavar="EXERCISE")
@click.option("--out", "output", default="autograder.zip", show_default=True,
              type=click.Path(dir_okay=False), help="The zip file to write.")
@click.pass_obj
def autograder(settings, exercise_name, output):
    """Build Gradescope's autograder zip.

    The zip holds setup.sh, run_autograder, a copy of minikeras, the exercise's tests
    (hidden ones included) and the reference's results; not the solution.
    """
    from minikeras.grader.autograder import build_autograder
    exercise = settings.exercise(exercise_name)
    try:
        path = build_autograder(exercise, output, limits=settings.limits(exercise))
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {path}: upload it as the autograder of {exercise.name} on Gradescope.")
