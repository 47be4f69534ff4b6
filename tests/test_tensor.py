"""Tests of Tensor and Variable: dtypes, operators, assignment, and the backend settings."""
import subprocess
import sys

import numpy as np
import pytest

from minikeras import GradientTape, Tensor, Variable, backend


def test_python_floats_become_floatx_and_stay_there():
    x = Tensor([1.0, 2.0])
    assert x.dtype == np.float32
    assert (x * 2.5).dtype == np.float32
    assert (2 * x + 1).dtype == np.float32
    assert (x / 3).dtype == np.float32


def test_float64_on_request():
    backend.set_floatx("float64")
    assert Tensor([1.0]).dtype == np.float64
    with pytest.raises(ValueError, match="floatx"):
        backend.set_floatx("float8")


def test_operators_match_numpy():
    a_values = np.array([[1.0, -2.0], [3.0, 4.0]], dtype=np.float32)
    b_values = np.array([0.5, 2.0], dtype=np.float32)
    a, b = Tensor(a_values), Tensor(b_values)
    np.testing.assert_allclose((a + b).numpy(), a_values + b_values)
    np.testing.assert_allclose((a - b).numpy(), a_values - b_values)
    np.testing.assert_allclose((a * b).numpy(), a_values * b_values)
    np.testing.assert_allclose((a / b).numpy(), a_values / b_values)
    np.testing.assert_allclose((a @ b).numpy(), a_values @ b_values)
    np.testing.assert_allclose((a ** 2).numpy(), a_values ** 2)
    np.testing.assert_allclose((-a).numpy(), -a_values)
    np.testing.assert_allclose((b_values - a).numpy(), b_values - a_values)
    np.testing.assert_array_equal((a > 0).numpy(), a_values > 0)
    np.testing.assert_array_equal((a == b).numpy(), a_values == b_values)
    np.testing.assert_allclose(a[1, ::-1].numpy(), a_values[1, ::-1])
    assert a.shape == (2, 2) and a.ndim == 2 and len(a) == 2


def test_comparisons_are_not_differentiable():
    x = Variable([1.0, 2.0])
    with GradientTape() as tape:
        mask = x > 1.5
    assert mask.dtype == np.bool_
    assert tape._records == []


def test_variable_assign_keeps_shape_and_dtype():
    v = Variable(np.zeros((2, 3)), name="kernel", dtype="float32")
    v.assign(np.ones((2, 3)))
    v.assign_add(np.ones((2, 3)))
    v.assign_sub(0.5)
    np.testing.assert_allclose(v.numpy(), np.full((2, 3), 1.5))
    assert v.dtype == np.float32
    with pytest.raises(ValueError, match="'kernel' of shape \\(2, 3\\)"):
        v.assign(np.ones((3, 2)))


def test_variable_does_not_share_memory_with_its_initial_value():
    values = np.zeros(3, dtype=np.float32)
    v = Variable(values)
    values[0] = 5
    assert v.numpy()[0] == 0


def test_unknown_backend_is_a_clear_error_at_import():
    result = subprocess.run(
        [sys.executable, "-c", "import minikeras"],
        env={"MINIKERAS_BACKEND": "tensorflow", "PATH": ""},
        capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "Unknown MINIKERAS_BACKEND 'tensorflow'" in result.stderr
    assert "numba" in result.stderr and "numpy" in result.stderr


def test_backend_defaults():
    assert backend.epsilon() == 1e-7
    assert backend.image_data_format() == "channels_last"
    assert backend.backend() in ("numba", "numpy")


def test_set_seed_makes_runs_reproducible():
    backend.set_seed(3)
    first = backend.rng().normal(size=4)
    backend.set_seed(3)
    np.testing.assert_array_equal(first, backend.rng().normal(size=4))
