"""End-to-end tests of the `minikeras` command line (integration mode)."""
import os
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from minikeras.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """Runs a small demo once; its files serve the other tests."""
    folder = tmp_path_factory.mktemp("demo")
    environment = dict(os.environ, MINIKERAS_HOME=str(folder / "home"))
    result = CliRunner(env=environment).invoke(main, [
        "demo", "cars-vs-trucks", "--samples", "160", "--epochs", "1", "--image-size", "16",
        "--batch-size", "32", "--out", str(folder / "out"), "--verbose", "2"])
    return folder, result


def test_demo_end_to_end_writes_files_that_load(demo_run):
    folder, result = demo_run
    assert result.exit_code == 0, result.output
    assert "Test accuracy: " in result.output and "Confusion matrix" in result.output
    assert 'Model: "cars_vs_trucks"' in result.output
    out = folder / "out"
    for name in ("cars_vs_trucks.h5", "history.csv", "predictions.png"):
        assert (out / name).exists(), name
    from minikeras.models import load_model
    model = load_model(out / "cars_vs_trucks.h5")
    assert model.input_shape == (None, 16, 16, 3)
    header = (out / "history.csv").read_text().splitlines()[0]
    assert header.startswith("epoch") and "val_accuracy" in header
    from PIL import Image
    assert Image.open(out / "predictions.png").size[0] > 0
    cached = list((folder / "home" / "datasets").glob("*.npz"))
    assert len(cached) == 1


def test_demo_reuses_the_generated_data(demo_run, tmp_path):
    folder, _ = demo_run
    environment = dict(os.environ, MINIKERAS_HOME=str(folder / "home"))
    result = CliRunner(env=environment).invoke(main, [
        "demo", "cars-vs-trucks", "--samples", "160", "--epochs", "1", "--image-size", "16",
        "--out", str(tmp_path / "again"), "--verbose", "0"])
    assert result.exit_code == 0, result.output
    assert len(list((folder / "home" / "datasets").glob("*.npz"))) == 1


def test_datasets_predict_and_summary_commands(demo_run, tmp_path):
    folder, _ = demo_run
    runner = CliRunner()
    result = runner.invoke(main, ["datasets", "cars-vs-trucks", "--out", str(tmp_path / "d"),
                                  "--samples", "6", "--image-size", "32"])
    assert result.exit_code == 0, result.output
    images = sorted((tmp_path / "d" / "cars").glob("*.png"))
    assert images and sorted((tmp_path / "d" / "trucks").glob("*.png"))
    model = str(folder / "out" / "cars_vs_trucks.h5")
    result = runner.invoke(main, ["predict", model, str(images[0])])
    assert result.exit_code == 0, result.output
    line = result.output.strip()
    assert line.startswith(str(images[0])) and ("car (" in line or "truck (" in line)
    probability = float(line.rsplit("(", 1)[1].rstrip(")"))
    assert 0.5 <= probability <= 1.0
    result = runner.invoke(main, ["summary", model])
    assert result.exit_code == 0 and "Total params:" in result.output


def test_demo_with_a_folder_of_images(tmp_path):
    runner = CliRunner()
    runner.invoke(main, ["datasets", "cars-vs-trucks", "--out", str(tmp_path / "photos"),
                         "--samples", "40", "--image-size", "24"])
    result = runner.invoke(main, ["demo", "cars-vs-trucks", "--data", str(tmp_path / "photos"),
                                  "--epochs", "1", "--image-size", "16",
                                  "--out", str(tmp_path / "out"), "--verbose", "0"])
    assert result.exit_code == 0, result.output
    assert "Loaded 40 images of 2 classes" in result.output


@pytest.mark.parametrize("arguments, message", [
    (["demo", "cars-vs-trucks", "--data", "/nonexistent/folder"], "does not exist"),
    (["demo", "cars-vs-trucks", "--epochs", "many"], "'many' is not a valid integer"),
    (["summary", "/nonexistent/model.h5"], "No file or directory found"),
    (["predict", __file__, __file__], "not an HDF5 file"),
])
def test_bad_input_prints_one_clear_line_and_exits_non_zero(arguments, message):
    result = subprocess.run([sys.executable, "-m", "minikeras.cli", *arguments],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unreadable_image_is_a_clear_error(demo_run, tmp_path):
    folder, _ = demo_run
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    result = subprocess.run([sys.executable, "-m", "minikeras.cli", "predict",
                             str(folder / "out" / "cars_vs_trucks.h5"), str(broken)],
                            capture_output=True, text=True)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "broken.png" in result.stderr


def test_help_lists_every_command_with_a_summary():
    result = CliRunner().invoke(main, ["--help"])
    for command in ("demo", "predict", "summary", "datasets"):
        assert command in result.output
    assert np.all([len(line) < 100 for line in result.output.splitlines()])
