"""PEP8_DOC mode: the code passes ruff, and the API reference builds without a warning.

ruff reads its rules and line length from `pyproject.toml`, the one place they are set;
`scripts/build_docs.py` builds the reference with pdoc into `docs/api/`.
"""
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.pep8_doc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKED_FOLDERS = ("minikeras", "course", "examples", "scripts", "tests")


def run(*command):
    """Runs a command from the project's root folder.

    # Arguments
        *command: the program and its arguments.

    # Returns
        The `subprocess.CompletedProcess`, its output and errors joined as text.
    """
    return subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)


def test_ruff():
    process = run(sys.executable, "-m", "ruff", "check", "--output-format=concise",
                  *CHECKED_FOLDERS)
    if process.returncode != 0:
        pytest.fail(f"ruff found problems:\n{process.stdout}", pytrace=False)


def test_api_reference_builds_without_warnings():
    process = run(sys.executable, os.path.join("scripts", "build_docs.py"))
    if process.returncode != 0:
        pytest.fail(f"scripts/build_docs.py failed:\n{process.stdout}", pytrace=False)
