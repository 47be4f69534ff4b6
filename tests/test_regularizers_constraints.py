"""Tests of the regularizers and constraints: values by hand, gradients, get/serialize."""
import numpy as np
import pytest

from minikeras import GradientTape, Tensor, Variable, constraints, regularizers

EPSILON = 1e-7
WEIGHT = np.array([[1.0, -2.0], [3.0, -0.5]], dtype="float32")


def test_l1l2_penalty_by_hand():
    penalty = regularizers.L1L2(l1=0.1, l2=0.01)(WEIGHT)
    assert isinstance(penalty, Tensor) and penalty.shape == ()
    assert penalty.dtype == np.float32
    # sum|w| = 6.5, sum w^2 = 14.25.
    np.testing.assert_allclose(float(penalty), 0.1 * 6.5 + 0.01 * 14.25, rtol=1e-6)
    assert float(regularizers.L1L2()(WEIGHT)) == 0.0


def test_keras_2_functions():
    assert regularizers.l1().get_config() == {"l1": 0.01, "l2": 0.0}
    assert regularizers.l2(0.5).get_config() == {"l1": 0.0, "l2": 0.5}
    assert regularizers.l1_l2().get_config() == {"l1": 0.01, "l2": 0.01}
    np.testing.assert_allclose(float(regularizers.l2(0.5)(WEIGHT)), 0.5 * 14.25, rtol=1e-6)
    np.testing.assert_allclose(float(regularizers.l1(0.5)(WEIGHT)), 0.5 * 6.5, rtol=1e-6)


def test_penalty_gradient_reaches_the_weight():
    weight = Variable(WEIGHT)
    with GradientTape() as tape:
        penalty = regularizers.l1_l2(l1=0.1, l2=0.01)(weight)
    np.testing.assert_allclose(tape.gradient(penalty, weight),
                               0.1 * np.sign(WEIGHT) + 2 * 0.01 * WEIGHT, rtol=1e-6)


def test_regularizer_get_serialize_deserialize():
    assert regularizers.serialize(regularizers.l2(0.01)) == {
        "class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.01}}
    clone = regularizers.deserialize(regularizers.serialize(regularizers.l1_l2(0.2, 0.3)))
    assert isinstance(clone, regularizers.L1L2) and clone.get_config() == {"l1": 0.2, "l2": 0.3}
    assert regularizers.get("l2").get_config() == {"l1": 0.0, "l2": 0.01}
    assert regularizers.get(None) is None
    keras3 = {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.001},
              "registered_name": None}
    regularizer = regularizers.get(keras3)
    assert isinstance(regularizer, regularizers.L2) and regularizer.get_config() == {"l2": 0.001}
    np.testing.assert_allclose(float(regularizer(WEIGHT)), 0.001 * 14.25, rtol=1e-6)
    assert regularizers.get({"class_name": "L1", "config": {"l1": 0.5}}).l1 == 0.5
    with pytest.raises(ValueError, match=r"Unknown regularizer: 'l3'\..*Known: L1, L1L2, L2"):
        regularizers.get("l3")


def test_max_norm_by_hand():
    kernel = np.array([[3.0, 0.3], [4.0, 0.4]], dtype="float32")  # column norms 5 and 0.5
    constrained = constraints.MaxNorm(max_value=2.0)(kernel)
    assert isinstance(constrained, np.ndarray) and constrained.dtype == np.float32
    np.testing.assert_allclose(constrained[:, 0], np.array([3.0, 4.0]) * 2 / (5 + EPSILON),
                               rtol=1e-6)
    np.testing.assert_allclose(constrained[:, 1], kernel[:, 1] * 0.5 / (0.5 + EPSILON), rtol=1e-6)
    rows = constraints.MaxNorm(max_value=0.4, axis=1)(kernel)
    row_norms = np.sqrt(np.sum(kernel ** 2, axis=1))
    np.testing.assert_allclose(rows, kernel * (0.4 / (row_norms + EPSILON))[:, None], rtol=1e-6)


def test_max_norm_over_several_axes_for_convolution_kernels():
    kernel = np.random.default_rng(0).normal(size=(3, 3, 2, 4)).astype("float32")
    constrained = constraints.MaxNorm(1.0, axis=[0, 1, 2])(kernel)
    norms = np.sqrt(np.sum(constrained ** 2, axis=(0, 1, 2)))
    np.testing.assert_allclose(norms, np.ones(4), rtol=1e-5)


def test_non_neg_unit_norm_and_min_max_norm_by_hand():
    np.testing.assert_array_equal(constraints.NonNeg()(WEIGHT), [[1.0, 0.0], [3.0, 0.0]])
    kernel = np.array([[3.0, 0.3], [4.0, 0.4]], dtype="float32")
    np.testing.assert_allclose(constraints.UnitNorm()(kernel),
                               kernel / (np.array([5.0, 0.5]) + EPSILON), rtol=1e-6)
    # Norms 5 and 0.5 against [1, 2]: desired = 0.5 * clip + 0.5 * norm = [3.5, 0.75].
    min_max = constraints.MinMaxNorm(min_value=1.0, max_value=2.0, rate=0.5)(kernel)
    np.testing.assert_allclose(min_max, kernel * (np.array([3.5, 0.75]) / (np.array([5.0, 0.5])
                                                                         + EPSILON)), rtol=1e-6)


def test_constraint_accepts_a_variable():
    variable = Variable([[-1.0], [2.0]])
    np.testing.assert_array_equal(constraints.NonNeg()(variable), [[0.0], [2.0]])


def test_constraint_get_serialize_deserialize():
    for constraint in [constraints.MaxNorm(3, axis=[0, 1]), constraints.NonNeg(),
                       constraints.UnitNorm(axis=1),
                       constraints.MinMaxNorm(0.5, 2.0, rate=0.9, axis=0)]:
        config = constraints.serialize(constraint)
        clone = constraints.deserialize(config)
        assert type(clone) is type(constraint) and clone.get_config() == constraint.get_config()
    for alias, cls in [("max_norm", constraints.MaxNorm), ("non_neg", constraints.NonNeg),
                       ("unit_norm", constraints.UnitNorm),
                       ("min_max_norm", constraints.MinMaxNorm)]:
        assert getattr(constraints, alias) is cls
        assert isinstance(constraints.get(alias), cls)
    assert constraints.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    keras3 = {"module": "keras.constraints", "class_name": "MaxNorm",
              "config": {"max_value": 3, "axis": 0}, "registered_name": None}
    assert constraints.get(keras3).max_value == 3
    assert constraints.get(None) is None
    with pytest.raises(ValueError, match=r"Unknown constraint: 'maxnorm2'\. Did you mean"):
        constraints.get("maxnorm2")
