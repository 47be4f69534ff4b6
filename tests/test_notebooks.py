"""The notebooks: one per exercise of the course, and `examples/cars_vs_trucks.ipynb`.

Unit mode checks what needs no Jupyter: every exercise has its notebook, every notebook is
stored without outputs, and `minikeras course start` hands the notebook out.

Integration mode (`TEST_MODE=INTEGRATION_TESTS`) runs every notebook top to bottom in a
real ipykernel kernel, through nbclient, and fails on the first cell that raises. A course
notebook runs as a student's would: in a folder made by `minikeras course start`, with the
reference solution in place of the starter file; its last cell runs the public tests,
which must all pass. The example runs in a temporary folder; its outputs are checked as a
notebook shows them: the progress bar keeps to one line per epoch, the summary prints its
table, the pictures are images in the cell.

The Jupyter packages (nbclient, nbformat, ipykernel) and matplotlib come with the `test`
extra; without them the integration tests are skipped, saying so.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from minikeras.grader import catalogue
from minikeras.grader.cli import course

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
EXAMPLE = ROOT / "examples" / "cars_vs_trucks.ipynb"
EXERCISES = catalogue.exercises(COURSE)
NOTEBOOKS = [exercise.folder / f"{exercise.name}.ipynb" for exercise in EXERCISES] + [EXAMPLE]
CELL_TIMEOUT = 300  # seconds, for any one cell


def read_notebook(path):
    """Reads a notebook file as plain JSON.

    # Arguments
        path: the `.ipynb` file.

    # Returns
        The notebook, a dict.
    """
    return json.loads(Path(path).read_text(encoding="utf-8"))


def source(cell):
    """Returns the text of a cell, whether stored as one string or as a list of lines.

    # Arguments
        cell: a cell of a notebook.

    # Returns
        A string.
    """
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def start_exercise(name, folder):
    """Hands out an exercise, as a student gets it, with `minikeras course start`.

    # Arguments
        name: the exercise's name.
        folder: the folder to make.
    """
    result = CliRunner().invoke(course, ["--course-dir", str(COURSE), "start", name, "--to",
                                         str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


# ---- unit mode: the notebooks as stored ------------------------------------------------------

@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_every_exercise_has_its_notebook(exercise):
    path = exercise.folder / f"{exercise.name}.ipynb"
    assert path.is_file(), f"{exercise.name} has no notebook {path.name}"
    notebook = read_notebook(path)
    assert notebook["nbformat"] == 4
    markdown = "\n".join(source(c) for c in notebook["cells"] if c["cell_type"] == "markdown")
    code = [source(c) for c in notebook["cells"] if c["cell_type"] == "code"]
    readme = (exercise.folder / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[0] in markdown, "the notebook should start with the README"
    assert "## What to write" in markdown
    assert any(re.search(rf"^import {exercise.module}$", cell, re.M) for cell in code), \
        f"no cell imports the student's module {exercise.module}"
    assert "pytest tests" in code[-1], "the last cell should run the public tests"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_stored_without_outputs(path):
    cells = [c for c in read_notebook(path)["cells"] if c["cell_type"] == "code"]
    dirty = [index for index, cell in enumerate(cells)
             if cell["outputs"] or cell["execution_count"] is not None]
    assert not dirty, (f"{path.name}: code cells {dirty} have outputs; strip them with "
                       "python scripts/strip_notebooks.py")


def test_strip_notebooks_removes_outputs_and_counts(tmp_path):
    path = tmp_path / "run.ipynb"
    clean = read_notebook(NOTEBOOKS[0])
    run = json.loads(json.dumps(clean))
    run["metadata"]["language_info"]["version"] = "3.11.7"
    for index, cell in enumerate(c for c in run["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = index + 1
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["ran\n"]}]
        cell["metadata"]["execution"] = {"iopub.execute_input": "2024-01-01T00:00:00Z"}
    path.write_text(json.dumps(run, sort_keys=True, indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    script = [sys.executable, str(ROOT / "scripts" / "strip_notebooks.py")]
    check = subprocess.run([*script, "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 1 and "has outputs" in check.stdout
    assert subprocess.run([*script, str(path)], capture_output=True).returncode == 0
    assert read_notebook(path) == clean
    assert subprocess.run([*script, "--check", str(path)]).returncode == 0


def test_start_copies_the_notebook_beside_the_starter(tmp_path):
    exercise = EXERCISES[0]
    start_exercise(exercise.name, tmp_path / "work")
    copied = tmp_path / "work" / f"{exercise.name}.ipynb"
    assert copied.read_bytes() == (exercise.folder / copied.name).read_bytes()
    assert (tmp_path / "work" / f"{exercise.module}.py").is_file()


def test_start_hands_out_an_exercise_that_has_no_notebook(tmp_path):
    exercise = tmp_path / "course" / "01-plain"
    (exercise / "starter").mkdir(parents=True)
    (exercise / "tests").mkdir()
    (exercise / "README.md").write_text("# 01 · Plain\n", encoding="utf-8")
    (exercise / "exercise.json").write_text('{"title": "Plain", "module": "plain"}')
    (exercise / "starter" / "plain.py").write_text("ANSWER = None  # TODO\n")
    (exercise / "tests" / "test_plain.py").write_text("def test_answer(student, check):\n"
                                                      "    pass\n")
    result = CliRunner().invoke(course, ["--course-dir", str(tmp_path / "course"), "start",
                                         "01-plain", "--to", str(tmp_path / "work")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == [
        "README.md", "conftest.py", "exercise.json", "plain.py", "tests"]


# ---- integration mode: the notebooks run in a kernel -----------------------------------------

def require_jupyter():
    """Skips the calling test, saying why, unless a notebook can run here.

    # Returns
        The `nbclient` module.
    """
    hint = "pip install -e '.[test]' installs them"
    nbclient = pytest.importorskip("nbclient", reason=f"running notebooks needs nbclient; {hint}")
    pytest.importorskip("nbformat", reason=f"running notebooks needs nbformat; {hint}")
    pytest.importorskip("ipykernel", reason=f"running notebooks needs ipykernel; {hint}")
    pytest.importorskip("matplotlib", reason=f"the notebooks draw with matplotlib; {hint}")
    return nbclient


def kernel_environment():
    """The environment of the kernel: this test's Python first on the PATH (for `!python`).

    # Returns
        A dict of environment variables.
    """
    environment = dict(os.environ)
    environment["PATH"] = os.pathsep.join([os.path.dirname(sys.executable),
                                           environment.get("PATH", "")])
    environment.pop("MPLBACKEND", None)  # the kernel draws inline, as in Jupyter
    environment.pop("PYTEST_CURRENT_TEST", None)
    return environment


def execute(path, folder):
    """Runs a notebook top to bottom in a new ipykernel kernel started in `folder`.

    # Arguments
        path: the `.ipynb` file.
        folder: the kernel's working folder.

    # Returns
        The executed notebook (a `nbformat.NotebookNode`), with its outputs.

    # Raises
        nbclient.exceptions.CellExecutionError: if a cell raises; it names the cell and
            shows its traceback.
    """
    nbclient = require_jupyter()
    import nbformat
    notebook = nbformat.read(str(path), as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(folder)}})
    client.execute(env=kernel_environment())
    return notebook


def text_output(cell, stream="stdout"):
    """Joins what a cell printed on one stream, as nbclient stored it.

    # Arguments
        cell: an executed code cell.
        stream: `"stdout"` or `"stderr"`.

    # Returns
        A string; it keeps the carriage returns that a notebook uses to redraw a line.
    """
    return "".join(output["text"] for output in cell["outputs"]
                   if output["output_type"] == "stream" and output["name"] == stream)


def images(cell):
    """Counts the images a cell shows (displayed, or its value).

    # Arguments
        cell: an executed code cell.

    # Returns
        The number of outputs holding a PNG.
    """
    return sum("image/png" in output.get("data", {}) for output in cell["outputs"])


def cell_running(notebook, fragment):
    """Finds the one code cell whose source contains `fragment`.

    # Arguments
        notebook: an executed notebook.
        fragment: a piece of code.

    # Returns
        The cell.
    """
    cells = [c for c in notebook.cells if c.cell_type == "code" and fragment in c.source]
    assert len(cells) == 1, f"{len(cells)} cells run {fragment!r}"
    return cells[0]


def as_displayed(text):
    """The lines a notebook shows for a text with carriage returns: each line's last redraw.

    # Arguments
        text: printed text.

    # Returns
        A list of lines.
    """
    return [line.rsplit("\r", 1)[-1] for line in text.split("\n")[:-1]]


@pytest.mark.integration
@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_course_notebook_runs_with_the_reference_solution(exercise, tmp_path):
    require_jupyter()
    folder = tmp_path / exercise.name
    start_exercise(exercise.name, folder)
    for solution in exercise.solutions.glob("*.py"):
        if solution.name != "bugs.py":
            shutil.copyfile(solution, folder / solution.name)
    notebook = execute(folder / f"{exercise.name}.ipynb", folder)
    tests = text_output(cell_running(notebook, "pytest tests"))
    summary = tests.strip().splitlines()[-1] if tests.strip() else ""
    assert re.search(r"\d+ passed", summary) and not re.search(r"failed|error", summary), \
        f"the public tests did not all pass in the notebook:\n{tests}"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """Runs the example notebook once, in a temporary folder, for the tests that read it.

    # Arguments
        tmp_path_factory: pytest's maker of temporary folders.

    # Returns
        The executed notebook.
    """
    require_jupyter()
    folder = tmp_path_factory.mktemp("example")
    return execute(EXAMPLE, folder)


@pytest.mark.integration
def test_example_progress_bar_keeps_one_line_per_epoch(example):
    printed = text_output(cell_running(example, "model.fit("))
    assert "\r" in printed, "the progress bar should redraw in place in a notebook"
    lines = as_displayed(printed)
    epochs = int(re.fullmatch(r"Epoch 1/(\d+)", lines[0]).group(1))
    assert len(lines) == 2 * epochs, f"{len(lines)} lines for {epochs} epochs:\n{printed!r}"
    for epoch, (header, bar) in enumerate(zip(lines[::2], lines[1::2]), start=1):
        assert header == f"Epoch {epoch}/{epochs}"
        assert re.match(r"\s*(\d+)/\1 \[=+\] - \d+s .* - val_accuracy: [\d.]+\s*$", bar), bar


@pytest.mark.integration
def test_example_shows_the_summary_and_the_pictures(example):
    summary = text_output(cell_running(example, "model.summary()"))
    assert "Total params" in summary and "conv2d" in summary
    assert images(cell_running(example, "plot_model(")) == 1
    assert images(cell_running(example, "plot_history(")) >= 1
    assert "Confusion matrix" in text_output(cell_running(example, "format_confusion_matrix("))
    for fragment in ("show_grid(images[:24]", "plt.imshow(matrix", "show_grid(test_images[wrong]"):
        assert images(cell_running(example, fragment)) == 1, fragment


@pytest.mark.integration
def test_example_history_plot_is_shown_once(example):
    assert images(cell_running(example, "plot_history(")) == 1
