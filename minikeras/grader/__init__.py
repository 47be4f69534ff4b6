"""The course's grader (floor 8): runs exercises' tests on submissions, safely, and scores them.

- `catalogue`: the course on disk (exercises, tests and their points, planted bugs).
- `checks`: the `check` object tests record their observations with, and `points`.
- `runner`: the test process, which runs a submission's tests and reports observations.
- `sandbox`: starts and watches test processes; explains why the scores can be trusted.
- `diagnosis` and `compare`: decide each observation and name the likely mistake.
- `grading`: judges a submission against the reference, and formats the report.
- `verify`: checks the course itself; `autograder`: builds Gradescope's zip.
- `cli`: the `minikeras course` commands (the click group `course`).
"""
from minikeras.grader.cli import course

__all__ = ["course"]
