"""Tests of to_categorical, normalize and train_test_split."""
import numpy as np
import pytest

from minikeras.utils.np_utils import normalize, to_categorical
from minikeras.utils.split import train_test_split

# ---- to_categorical -------------------------------------------------------------------


def test_to_categorical_one_hot_encodes():
    expected = np.array([[1, 0, 0], [0, 0, 1], [0, 1, 0]], dtype=np.float32)
    result = to_categorical([0, 2, 1])
    assert result.dtype == np.float32
    np.testing.assert_array_equal(result, expected)


def test_to_categorical_with_num_classes_and_dtype():
    result = to_categorical(np.array([1, 0]), num_classes=4, dtype="int64")
    assert result.dtype == np.int64
    np.testing.assert_array_equal(result, [[0, 1, 0, 0], [1, 0, 0, 0]])


@pytest.mark.parametrize("shape, expected_shape", [
    ((5,), (5, 3)), ((5, 1), (5, 3)), ((4, 2), (4, 2, 3)), ((2, 3, 1), (2, 3, 3)),
    ((), (3,)), ((1,), (1, 3)),
])
def test_to_categorical_shapes_as_keras(shape, expected_shape):
    labels = np.random.default_rng(0).integers(0, 3, size=shape)
    result = to_categorical(labels, num_classes=3)
    assert result.shape == expected_shape
    np.testing.assert_array_equal(result.argmax(-1), labels.reshape(expected_shape[:-1]))


def test_to_categorical_accepts_whole_floats_and_booleans():
    np.testing.assert_array_equal(to_categorical([1.0, 0.0]), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(to_categorical(np.array([True, False])), [[0, 1], [1, 0]])


def test_to_categorical_of_no_labels():
    assert to_categorical(np.array([], dtype=int), num_classes=3).shape == (0, 3)
    with pytest.raises(ValueError, match="num_classes"):
        to_categorical([])


@pytest.mark.parametrize("labels, num_classes, message", [
    ([0, 3], 3, "below 3"), ([-1, 0], None, "from 0"), ([0.5, 1], None, "whole numbers"),
    (["a", "b"], None, "whole numbers"),
])
def test_to_categorical_rejects_bad_labels(labels, num_classes, message):
    with pytest.raises(ValueError, match=message):
        to_categorical(labels, num_classes=num_classes)


# ---- normalize ------------------------------------------------------------------------

def test_normalize_gives_unit_l2_rows():
    x = np.array([[3.0, 4.0], [0.0, 2.0]])
    np.testing.assert_allclose(normalize(x), [[0.6, 0.8], [0.0, 1.0]])


def test_normalize_l1_along_axis_0():
    x = np.array([[1.0, 2.0], [3.0, -2.0]])
    np.testing.assert_allclose(normalize(x, axis=0, order=1), [[0.25, 0.5], [0.75, -0.5]])


def test_normalize_leaves_zero_vectors_alone():
    x = np.array([[0.0, 0.0], [1.0, 0.0]])
    np.testing.assert_array_equal(normalize(x), x)


def test_normalize_of_a_single_vector():
    np.testing.assert_allclose(normalize(np.array([0.0, 5.0])), [[0.0, 1.0]])


# ---- train_test_split -----------------------------------------------------------------

def make_data(n_samples=20):
    x = np.arange(n_samples * 2).reshape(n_samples, 2)
    y = np.arange(n_samples) % 2
    return x, y


def test_train_test_split_returns_scikit_learn_order():
    x, y = make_data()
    x_train, x_test, y_train, y_test = train_test_split(x, y, seed=0)
    assert x_train.shape == (15, 2) and x_test.shape == (5, 2)
    assert y_train.shape == (15,) and y_test.shape == (5,)
    np.testing.assert_array_equal(y_train, x_train[:, 0] // 2 % 2)  # rows stay paired
    np.testing.assert_array_equal(y_test, x_test[:, 0] // 2 % 2)


def test_train_test_split_uses_every_sample_once():
    x, y = make_data(33)
    x_train, x_test, _, _ = train_test_split(x, y, test_size=0.3, seed=1)
    assert len(x_test) == 10  # ceil(0.3 * 33), as scikit-learn
    assert sorted(np.concatenate([x_train, x_test])[:, 0].tolist()) == x[:, 0].tolist()


def test_train_test_split_shuffles_and_repeats_with_a_seed():
    x, y = make_data(40)
    first = train_test_split(x, y, seed=3)
    second = train_test_split(x, y, seed=3)
    other = train_test_split(x, y, seed=4)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[1], other[1])
    assert not np.array_equal(first[0][:, 0], np.sort(first[0][:, 0]))


def test_train_test_split_takes_a_count():
    x, y = make_data()
    _, x_test, _, y_test = train_test_split(x, y, test_size=7, seed=0)
    assert len(x_test) == 7 and len(y_test) == 7


def test_train_test_split_accepts_lists():
    x_train, x_test, y_train, y_test = train_test_split(list(range(8)), list("abcdefgh"),
                                                        test_size=2, seed=0)
    assert len(x_train) == 6 and isinstance(y_test, np.ndarray)


def test_stratify_keeps_class_shares():
    y = np.array([0] * 60 + [1] * 30 + [2] * 10)
    x = np.arange(100)
    _, _, y_train, y_test = train_test_split(x, y, test_size=0.2, seed=0, stratify=y)
    assert np.bincount(y_test).tolist() == [12, 6, 2]
    assert np.bincount(y_train).tolist() == [48, 24, 8]


def test_stratify_shares_out_leftover_samples():
    y = np.array([0] * 7 + [1] * 7 + [2] * 7)
    _, _, _, y_test = train_test_split(np.arange(21), y, test_size=4, seed=0, stratify=y)
    counts = np.bincount(y_test, minlength=3)
    assert counts.sum() == 4 and counts.min() >= 1 and counts.max() == 2


def test_stratify_with_one_hot_labels():
    labels = np.array([0] * 8 + [1] * 4)
    one_hot = np.eye(2)[labels]
    _, _, y_train, y_test = train_test_split(np.arange(12), one_hot, test_size=0.25,
                                             seed=0, stratify=one_hot)
    assert y_test.sum(axis=0).tolist() == [2, 1]


@pytest.mark.parametrize("test_size", [0, 0.0, 1.0, 1.5, -0.2, 20, 25, True, "0.2", None])
def test_train_test_split_rejects_a_bad_test_size(test_size):
    x, y = make_data()
    with pytest.raises(ValueError, match="test_size"):
        train_test_split(x, y, test_size=test_size)


def test_train_test_split_rejects_a_length_mismatch():
    with pytest.raises(ValueError, match="5 samples in x and 4 labels"):
        train_test_split(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="single value"):
        train_test_split(np.float32(3), np.zeros(4))
    with pytest.raises(ValueError, match="stratify"):
        train_test_split(np.zeros(6), np.zeros(6), stratify=np.zeros(5))


def test_stratify_needs_two_samples_per_class_and_room_for_every_class():
    y = np.array([0, 0, 0, 1])
    with pytest.raises(ValueError, match="only 1 sample"):
        train_test_split(np.arange(4), y, test_size=2, stratify=y)
    y = np.array([0, 0, 1, 1, 2, 2])
    with pytest.raises(ValueError, match="at least one sample per class"):
        train_test_split(np.arange(6), y, test_size=2, stratify=y)
