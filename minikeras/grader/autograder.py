"""Builds the zip that Gradescope's autograder expects, for one exercise.

Gradescope unpacks the zip into `/autograder/source`, runs `setup.sh` once to build the
image, then for every submission copies the student's files into
`/autograder/submission` and runs `run_autograder`, which must write
`/autograder/results/results.json`. Our zip holds:

```
setup.sh            installs minikeras (from the copy below) and its dependencies with pip
run_autograder      grades /autograder/submission with the public and hidden tests
minikeras_src/      the minikeras package, with a small setup.py
course/<exercise>/  the exercise's tests, hidden ones included (no solution)
expected.json       the reference solution's results, computed when the zip was built
```

Storing the reference's results means each submission costs one test run, not two,
and the solution itself never goes into the zip. Every path in the two scripts can
be moved with an environment variable (`AUTOGRADER_ROOT`, `AUTOGRADER_SOURCE`,
`AUTOGRADER_SUBMISSION`, `AUTOGRADER_RESULTS`, `MINIKERAS_PYTHON`), so that a test
can run them in a temporary folder laid out as Gradescope lays it out.
"""
import stat
import tempfile
import zipfile
from pathlib import Path

from minikeras.engine import io_utils
from minikeras.grader import grading

DEPENDENCIES = ["numpy>=1.22", "numba>=0.57", "click>=8.0", "h5py>=3.0", "Pillow>=9.0"]

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image.
set -euo pipefail
SOURCE="${AUTOGRADER_SOURCE:-${AUTOGRADER_ROOT:-/autograder}/source}"
PYTHON="${MINIKERAS_PYTHON:-python3}"
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    apt-get update && apt-get install -y python3-pip
fi
"$PYTHON" -m pip install "$SOURCE/minikeras_src"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it must write results/results.json.
set -u
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="${AUTOGRADER_SOURCE:-$ROOT/source}"
SUBMISSION="${AUTOGRADER_SUBMISSION:-$ROOT/submission}"
RESULTS="${AUTOGRADER_RESULTS:-$ROOT/results}"
PYTHON="${MINIKERAS_PYTHON:-python3}"
mkdir -p "$RESULTS"
"$PYTHON" -m minikeras.grader --course-dir "$SOURCE/course" grade @EXERCISE@ \\
    --path "$SUBMISSION" --expected "$SOURCE/expected.json" \\
    --format gradescope --output "$RESULTS/results.json"
status=$?
if [ ! -s "$RESULTS/results.json" ]; then
    message="The grader failed (exit status $status); please tell the course staff."
    printf '{"score": 0, "output": "%s"}\\n' "$message" > "$RESULTS/results.json"
fi
exit 0
"""

PACKAGE_SETUP = '''"""Installs the copy of minikeras that the autograder runs."""
from setuptools import find_namespace_packages, setup

setup(
    name="minikeras",
    version="{version}",
    packages=find_namespace_packages(include=["minikeras", "minikeras.*"]),
    install_requires={requires!r},
    entry_points={{"console_scripts": ["minikeras=minikeras.cli:main"]}},
)
'''


def _package_files():
    """The minikeras package's source files, as `(path, name in the zip)`."""
    import minikeras
    package = Path(minikeras.__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if path.is_dir() or "__pycache__" in relative.parts or relative.parts[0] in (
                "course_material",) or path.suffix in (".pyc", ".nbi", ".nbc"):
            continue
        yield path, f"minikeras_src/minikeras/{relative.as_posix()}"


def _exercise_files(exercise):
    """The exercise's README, metadata and tests (public and hidden), never its solution."""
    yield exercise.folder.parent / "README.md", "course/README.md"
    for name in ("README.md", "exercise.json"):
        yield exercise.folder / name, f"course/{exercise.name}/{name}"
    for path in exercise.test_files(hidden=True):
        yield path, f"course/{exercise.name}/{path.parent.name}/{path.name}"


def _add_script(archive, name, text):
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFREG | 0o755) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, text)


def build_autograder(exercise, output, limits=None):
    """Builds Gradescope's autograder zip for an exercise.

    The reference solution is run once, now, and its results go into the zip as
    `expected.json`.

    # Arguments
        exercise: the `Exercise`.
        output: the zip file to write.
        limits: a `sandbox.Limits` for the reference run, or `None`.

    # Returns
        The zip's `Path`.

    # Raises
        RuntimeError: if the reference solution fails any test (the zip would grade
            everyone wrongly).
    """
    import minikeras
    reference = grading.reference_run(exercise, hidden=True, limits=limits)
    broken = [o.name for o in reference.outcomes.values() if o.status != "ok"]
    if broken:
        raise RuntimeError(f"The reference solution of {exercise.name} fails {broken}; "
                           "fix the course before building its autograder.")
    output = Path(output)
    with tempfile.TemporaryDirectory() as scratch:
        expected = Path(scratch) / "expected.json"
        grading.save_expected(exercise, reference, expected)
        with io_utils.write_atomically(output) as temporary, \
                zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            _add_script(archive, "setup.sh", SETUP_SH)
            _add_script(archive, "run_autograder",
                        RUN_AUTOGRADER.replace("@EXERCISE@", exercise.name))
            archive.writestr("minikeras_src/setup.py", PACKAGE_SETUP.format(
                version=minikeras.__version__, requires=DEPENDENCIES))
            for path, name in _package_files():
                archive.write(path, name)
            for path, name in _exercise_files(exercise):
                archive.write(path, name)
            archive.write(expected, "expected.json")
    return output
