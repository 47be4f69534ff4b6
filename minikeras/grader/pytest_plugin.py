"""Fixtures that let a student run an exercise's public tests with plain `pytest`.

`minikeras course start` writes a `conftest.py` that imports `student` and `check` from
here. `student` is the student's module, found through the `exercise.json` beside the
tests; `check` compares at once (an `Asserter`) and fails with the grader's diagnosis.
"""
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from minikeras.grader.checks import Asserter


def _exercise_folder(start):
    for folder in [start, *start.parents]:
        if (folder / "exercise.json").is_file():
            return folder
    raise FileNotFoundError(f"No exercise.json in {start} or above it: run pytest inside a "
                            "folder made by `minikeras course start`.")


@pytest.fixture
def student(request):
    """The student's module of the exercise whose tests are running.

    # Arguments
        request: pytest's request object.

    # Returns
        The imported module.
    """
    folder = _exercise_folder(Path(str(request.fspath)).resolve().parent)
    module = json.loads((folder / "exercise.json").read_text(encoding="utf-8"))["module"]
    spec = importlib.util.spec_from_file_location(module, folder / f"{module}.py")
    imported = importlib.util.module_from_spec(spec)
    sys.modules[module] = imported
    spec.loader.exec_module(imported)
    return imported


@pytest.fixture
def check():
    """A `check` that fails the test at the first wrong value, with the grader's feedback.

    # Returns
        An `Asserter`.
    """
    return Asserter()
