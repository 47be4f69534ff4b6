"""Tests of the initializers: shapes, dtypes, statistics, seeds, and get/serialize/deserialize."""
import math

import numpy as np
import pytest

from minikeras import backend, initializers

ALL_INITIALIZERS = [
    initializers.Zeros(), initializers.Ones(), initializers.Constant(3.0),
    initializers.RandomNormal(), initializers.RandomUniform(), initializers.TruncatedNormal(),
    initializers.VarianceScaling(), initializers.Orthogonal(), initializers.Identity(),
    initializers.GlorotNormal(), initializers.GlorotUniform(), initializers.HeNormal(),
    initializers.HeUniform(), initializers.LecunNormal(), initializers.LecunUniform(),
    initializers.glorot_uniform(), initializers.he_normal(),
]


@pytest.mark.parametrize("initializer", ALL_INITIALIZERS, ids=lambda i: type(i).__name__)
def test_shapes_and_dtypes(initializer):
    values = initializer((4, 6))
    assert isinstance(values, np.ndarray)
    assert values.shape == (4, 6) and values.dtype == np.float32
    assert initializer((4, 6), dtype="float64").dtype == np.float64
    backend.set_floatx("float64")
    assert initializer((4, 6)).dtype == np.float64


def test_constant_values():
    np.testing.assert_array_equal(initializers.Zeros()((2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(initializers.Ones()(5), np.ones(5))
    np.testing.assert_array_equal(initializers.Constant(0.5)((2,)), [0.5, 0.5])
    np.testing.assert_array_equal(initializers.Identity(gain=2.0)((2, 3)),
                                  [[2, 0, 0], [0, 2, 0]])
    with pytest.raises(ValueError, match="2-D"):
        initializers.Identity()((2, 2, 2))


def test_compute_fans_as_keras_2():
    assert initializers.compute_fans((3, 4)) == (3, 4)
    assert initializers.compute_fans((3, 3, 8, 16)) == (72, 144)  # Conv2D (kh, kw, in, out)
    assert initializers.compute_fans((5, 2, 3)) == (10, 15)  # Conv1D
    assert initializers.compute_fans((2, 2, 2, 3, 4)) == (24, 32)  # Conv3D
    assert initializers.compute_fans((16,)) == (4.0, 4.0)


def test_glorot_uniform_bounds():
    values = initializers.GlorotUniform(seed=1)((100, 200))
    limit = math.sqrt(6 / (100 + 200))
    assert np.all(np.abs(values) <= limit)
    assert np.max(np.abs(values)) > 0.99 * limit
    conv = initializers.glorot_uniform(seed=1)((3, 3, 8, 16))
    conv_limit = math.sqrt(6 / (72 + 144))
    assert np.all(np.abs(conv) <= conv_limit) and np.max(np.abs(conv)) > 0.99 * conv_limit


def test_he_normal_standard_deviation_and_truncation():
    values = initializers.HeNormal(seed=2)((1000, 500)).astype(float)
    expected_std = math.sqrt(2 / 1000)
    assert abs(values.std() / expected_std - 1) < 0.01
    assert abs(values.mean()) < 0.01 * expected_std * 10
    # Truncated at two standard deviations of the untruncated normal.
    assert np.max(np.abs(values)) <= 2 * expected_std / initializers.TRUNCATED_NORMAL_STDDEV


def test_other_variance_scaling_distributions():
    untruncated = initializers.VarianceScaling(2.0, "fan_out", "untruncated_normal", seed=3)
    values = untruncated((400, 1000)).astype(float)
    assert abs(values.std() / math.sqrt(2 / 1000) - 1) < 0.01
    assert np.max(np.abs(values)) > 3 * math.sqrt(2 / 1000)  # not truncated
    uniform = initializers.LecunUniform(seed=3)((1000, 300)).astype(float)
    assert np.max(np.abs(uniform)) <= math.sqrt(3 / 1000)
    assert abs(uniform.std() / math.sqrt(1 / 1000) - 1) < 0.01


def test_random_initializers_statistics():
    normal = initializers.RandomNormal(mean=1.0, stddev=0.5, seed=4)((500, 500))
    assert abs(normal.mean() - 1.0) < 0.01 and abs(normal.std() - 0.5) < 0.01
    uniform = initializers.RandomUniform(-0.2, 0.3, seed=4)((500, 500))
    assert uniform.min() >= -0.2 and uniform.max() < 0.3
    assert abs(uniform.mean() - 0.05) < 0.01
    truncated = initializers.TruncatedNormal(stddev=0.05, seed=4)((500, 500))
    assert np.max(np.abs(truncated)) <= 0.1
    assert abs(truncated.std() - 0.05 * initializers.TRUNCATED_NORMAL_STDDEV) < 0.001


@pytest.mark.parametrize("shape", [(20, 10), (10, 20), (3, 3, 4, 8)])
def test_orthogonal_gives_orthonormal_rows_or_columns(shape):
    values = initializers.Orthogonal(gain=1.0, seed=5)(shape, dtype="float64")
    assert values.shape == shape
    matrix = values.reshape(-1, shape[-1])
    if matrix.shape[0] >= matrix.shape[1]:
        np.testing.assert_allclose(matrix.T @ matrix, np.eye(matrix.shape[1]), atol=1e-10)
    else:
        np.testing.assert_allclose(matrix @ matrix.T, np.eye(matrix.shape[0]), atol=1e-10)
    doubled = initializers.Orthogonal(gain=2.0, seed=5)(shape, dtype="float64")
    np.testing.assert_allclose(doubled, 2 * values)


def test_seeded_initializers_are_reproducible():
    for make in [initializers.RandomNormal, initializers.RandomUniform,
                 initializers.TruncatedNormal, initializers.GlorotUniform,
                 initializers.Orthogonal]:
        first, again = make(seed=7)((5, 4)), make(seed=7)((5, 4))
        np.testing.assert_array_equal(first, again)
        np.testing.assert_array_equal(make(seed=7)((5, 4)), make(seed=7)((5, 4)))
        assert not np.array_equal(first, make(seed=8)((5, 4)))


def test_backend_set_seed_makes_unseeded_initializers_reproducible():
    backend.set_seed(11)
    first = [initializers.GlorotUniform()((3, 4)), initializers.RandomNormal()((5,))]
    backend.set_seed(11)
    again = [initializers.GlorotUniform()((3, 4)), initializers.RandomNormal()((5,))]
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(initializers.GlorotUniform()((3, 4)), first[0])


def test_keras_2_functions_return_variance_scaling():
    expected = {
        "glorot_normal": (1.0, "fan_avg", "normal"), "glorot_uniform": (1.0, "fan_avg", "uniform"),
        "he_normal": (2.0, "fan_in", "normal"), "he_uniform": (2.0, "fan_in", "uniform"),
        "lecun_normal": (1.0, "fan_in", "normal"), "lecun_uniform": (1.0, "fan_in", "uniform"),
    }
    for name, (scale, mode, distribution) in expected.items():
        initializer = initializers.get(name)
        assert type(initializer) is initializers.VarianceScaling
        assert (initializer.scale, initializer.mode, initializer.distribution) == (
            scale, mode, distribution)
    assert initializers.serialize(initializers.glorot_uniform()) == {
        "class_name": "VarianceScaling",
        "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}}


def test_lowercase_aliases():
    for alias, cls in [("zeros", initializers.Zeros), ("ones", initializers.Ones),
                       ("constant", initializers.Constant),
                       ("random_normal", initializers.RandomNormal),
                       ("random_uniform", initializers.RandomUniform),
                       ("truncated_normal", initializers.TruncatedNormal),
                       ("orthogonal", initializers.Orthogonal),
                       ("identity", initializers.Identity)]:
        assert getattr(initializers, alias) is cls
        assert isinstance(initializers.get(alias), cls)


def test_serialize_deserialize_round_trips():
    for initializer in [initializers.Constant(2.5), initializers.RandomNormal(0.1, 0.2, seed=3),
                        initializers.RandomUniform(-1.0, 1.0), initializers.TruncatedNormal(seed=1),
                        initializers.VarianceScaling(2.0, "fan_out", "truncated_normal", 4),
                        initializers.Orthogonal(gain=0.5), initializers.Identity(gain=3.0),
                        initializers.GlorotUniform(seed=9), initializers.HeNormal()]:
        config = initializers.serialize(initializer)
        assert config["class_name"] == type(initializer).__name__
        clone = initializers.deserialize(config)
        assert type(clone) is type(initializer)
        assert clone.get_config() == initializer.get_config()
    assert initializers.serialize(initializers.GlorotUniform(seed=9)) == {
        "class_name": "GlorotUniform", "config": {"seed": 9}}


def test_keras_3_and_keras_2_config_forms():
    keras3 = {"module": "keras.initializers", "class_name": "GlorotUniform",
              "config": {"seed": None, "input_axes": None, "output_axes": None},
              "registered_name": None}
    assert isinstance(initializers.get(keras3), initializers.GlorotUniform)
    zeros = {"module": "keras.initializers", "class_name": "Zeros", "config": {},
             "registered_name": None}
    assert isinstance(initializers.deserialize(zeros), initializers.Zeros)
    # Keras 2 could write a dtype into an initializer's config.
    keras2 = {"class_name": "RandomNormal",
              "config": {"mean": 0.0, "stddev": 0.1, "seed": None, "dtype": "float32"}}
    assert initializers.deserialize(keras2).stddev == 0.1
    keras3["config"]["input_axes"] = [0]
    with pytest.raises(ValueError, match="input_axes"):
        initializers.deserialize(keras3)


def test_invalid_arguments_and_unknown_names():
    with pytest.raises(ValueError, match="scale"):
        initializers.VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan_mean")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(distribution="gaussian")
    with pytest.raises(ValueError, match=r"Unknown initializer: 'glorot'\..*Known: Constant"):
        initializers.get("glorot")
    with pytest.raises(ValueError, match="Could not interpret"):
        initializers.get(1.5)
    assert initializers.get(None) is None
