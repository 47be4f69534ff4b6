"""`write_atomically`: the one way minikeras writes files, and the writers that use it."""
import os
import stat

import numpy as np
import pytest

from minikeras.engine.io_utils import write_atomically
from minikeras.layers import Dense
from minikeras.models import Sequential


def test_the_file_appears_whole_at_the_end_and_no_temporary_file_stays(tmp_path):
    path = tmp_path / "notes.txt"
    with write_atomically(path) as temporary:
        assert os.path.dirname(temporary) == str(tmp_path)
        assert os.path.basename(temporary).startswith(".notes.txt.")
        with open(temporary, "w") as file:
            file.write("new")
        assert not path.exists()  # nothing at `path` until the block ends
    assert path.read_text() == "new"
    assert os.listdir(tmp_path) == ["notes.txt"]


def test_an_error_while_writing_keeps_the_old_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("old")
    with pytest.raises(RuntimeError, match="disk full"):
        with write_atomically(path) as temporary:
            with open(temporary, "w") as file:
                file.write("half")
            raise RuntimeError("disk full")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["notes.txt"]


def test_the_temporary_name_keeps_the_extension_writers_look_at(tmp_path):
    path = tmp_path / "cache.npz"
    with write_atomically(path) as temporary:
        assert temporary.endswith(".npz")
        np.savez(temporary, x=np.arange(3))  # would add ".npz" to another name
    with np.load(path) as saved:
        np.testing.assert_array_equal(saved["x"], np.arange(3))
    assert os.listdir(tmp_path) == ["cache.npz"]


def test_a_saved_model_gets_the_usual_permissions(tmp_path):
    # A temporary file made by tempfile.mkstemp is readable by its owner alone, and a
    # rename keeps that: saved models were once unreadable by anyone else.
    previous_umask = os.umask(0o022)
    try:
        model = Sequential([Dense(2, input_shape=(3,))])
        model.save(tmp_path / "model.h5")
    finally:
        os.umask(previous_umask)
    assert stat.S_IMODE(os.stat(tmp_path / "model.h5").st_mode) == 0o644
    assert os.listdir(tmp_path) == ["model.h5"]
