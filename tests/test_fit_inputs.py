"""What `fit` accepts and refuses, with Keras 2's messages: dicts by input name, lists,
generators yielding `(x, y, sample_weight)`, mismatched lengths and target shapes.

The helpers of `minikeras.engine.data_adapter` are checked directly where `fit` would
need a long setup to reach them.
"""
import numpy as np
import pytest

from minikeras.engine import data_adapter
from minikeras.engine.naming import reset_names
from minikeras.layers import Concatenate, Dense, Input
from minikeras.losses import MeanSquaredError
from minikeras.models import Model, Sequential


@pytest.fixture(autouse=True)
def fresh_names():
    reset_names()
    yield


def two_input_model():
    left, right = Input(shape=(2,), name="left"), Input(shape=(3,), name="right")
    output = Dense(1, name="out")(Concatenate()([left, right]))
    model = Model([left, right], output)
    model.compile("sgd", "mse")
    return model


def test_fit_takes_inputs_by_name_and_refuses_a_missing_one():
    model = two_input_model()
    x = {"left": np.ones((4, 2)), "right": np.ones((4, 3))}
    history = model.fit(x, np.ones((4, 1)), epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1
    with pytest.raises(ValueError, match=r"No data provided for \['right'\]"):
        model.fit({"left": np.ones((4, 2))}, np.ones((4, 1)), verbose=0)


def test_fit_counts_the_arrays_it_is_given():
    with pytest.raises(ValueError, match="Expected to see 2 array\\(s\\), but instead got 1"):
        two_input_model().fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)


def test_fit_refuses_inputs_of_different_lengths():
    with pytest.raises(ValueError, match="All input arrays \\(x\\) should have the same number "
                                         "of samples"):
        two_input_model().fit([np.ones((4, 2)), np.ones((5, 3))], np.ones((4, 1)), verbose=0)


def test_fit_refuses_a_sample_weight_of_another_length():
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"sample_weight array with shape \(3,\) for an input "
                                         r"with shape \(4, 2\)"):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), sample_weight=np.ones(3), verbose=0)


def test_a_plain_list_of_numbers_is_one_array():
    model = Sequential([Dense(1, input_shape=(2,), kernel_initializer="ones")])
    model.compile("sgd", "mse")
    history = model.fit([[1.0, 2.0], [3.0, 4.0]], [1.0, 2.0], epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_sample_weights_scale_each_sample_and_the_mean_is_over_the_batch():
    # Keras 2.3+ (SUM_OVER_BATCH_SIZE): sum(weight * loss) / batch size.
    model = Sequential([Dense(1, input_shape=(1,), kernel_initializer="zeros",
                              bias_initializer="zeros")])
    model.compile("sgd", "mse")
    x, y = np.ones((4, 1)), np.array([[1.0], [1.0], [9.0], [9.0]])
    weighted = model.evaluate(x, y, sample_weight=np.array([1.0, 1.0, 0.0, 0.0]), verbose=0)
    assert model.evaluate(x, y, verbose=0) == pytest.approx((1 + 1 + 81 + 81) / 4)
    assert weighted == pytest.approx((1 + 1) / 4)


def test_a_generator_may_yield_sample_weights():
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")

    def batches():
        while True:
            yield np.ones((2, 2)), np.ones((2, 1)), np.ones(2)

    history = model.fit(batches(), steps_per_epoch=2, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_a_generator_yielding_a_tuple_of_four_is_refused():
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")

    def batches():
        while True:
            yield np.ones((2, 2)), np.ones((2, 1)), np.ones(2), None

    with pytest.raises(ValueError, match="received a tuple of length 4"):
        model.fit(batches(), steps_per_epoch=1, verbose=0)


def test_unpack_batch_splits_what_a_generator_yields():
    x, y, w = np.ones(2), np.zeros(2), np.full(2, 0.5)
    assert data_adapter.unpack_batch(x) == (x, None, None)
    assert data_adapter.unpack_batch((x, y)) == (x, y, None)
    assert data_adapter.unpack_batch((x, y, w)) == (x, y, w)


def test_batch_indices_shuffle_samples_or_whole_batches():
    rng = np.random.default_rng(0)
    plain = data_adapter.batch_indices(7, 3, False, rng)
    assert [b.tolist() for b in plain] == [[0, 1, 2], [3, 4, 5], [6]]
    shuffled = data_adapter.batch_indices(7, 3, True, rng)
    assert sorted(np.concatenate(shuffled).tolist()) == list(range(7))
    assert [len(b) for b in shuffled] == [3, 3, 1]
    by_batch = data_adapter.batch_indices(9, 3, "batch", np.random.default_rng(1))
    assert sorted(b.tolist() for b in by_batch) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert all(np.all(np.diff(b) == 1) for b in by_batch)  # each batch stays in order


def test_take_selects_the_same_samples_everywhere():
    arrays = [np.arange(4), None, np.arange(4) * 10]
    taken = data_adapter.take(arrays, np.array([3, 1]))
    assert taken[0].tolist() == [3, 1] and taken[1] is None and taken[2].tolist() == [30, 10]
    assert data_adapter.take(None, slice(0, 1)) is None


def test_generator_like_data_is_told_apart_from_arrays():
    class Batches:
        def __getitem__(self, index):
            return np.ones(1)

        def __len__(self):
            return 1

    assert data_adapter.is_generator_like(iter([1]))
    assert data_adapter.is_generator_like(Batches())
    for arrays in (np.ones(2), [1, 2], (1,), {"a": 1}, None):
        assert not data_adapter.is_generator_like(arrays)


def test_loss_names_of_strings_functions_and_objects():
    from minikeras.losses import mean_squared_error
    assert data_adapter.loss_name("mse") == "mse"
    assert data_adapter.loss_name(mean_squared_error) == "mean_squared_error"
    assert data_adapter.loss_name(MeanSquaredError()) == "mean_squared_error"


def test_targets_must_fit_the_loss():
    one_hot = np.eye(3)
    with pytest.raises(ValueError, match="`sparse_categorical_crossentropy`. It expects "
                                         "integer class indices"):
        data_adapter.check_loss_and_target("sparse_categorical_crossentropy", one_hot,
                                           (None, 3))
    with pytest.raises(ValueError, match="This loss expects targets to have the same shape"):
        data_adapter.check_loss_and_target("mse", np.ones((3, 2)), (None, 3))
    with pytest.raises(ValueError, match="to_categorical"):
        data_adapter.check_loss_and_target("categorical_crossentropy", np.ones(3), (None, 3))
    column = data_adapter.check_loss_and_target("mse", np.ones(3), (None, 1))
    assert column.shape == (3, 1)
    labels = np.array([0, 2, 1])
    assert data_adapter.check_loss_and_target("sparse_categorical_crossentropy", labels,
                                              (None, 3)) is labels


@pytest.mark.parametrize("value, words", [
    (np.array(["a", "b"]), "must hold numbers, but received an array of dtype <U1"),
    (np.zeros((0, 2)), r"expected x to be non-empty, but received an array of shape \(0, 2\)"),
    (np.float32(3), r"received an array of shape \(\)"),
])
def test_inputs_must_be_non_empty_numbers(value, words):
    with pytest.raises(ValueError, match=words):
        data_adapter.to_array_list(value, ["x"], "input")


def test_check_shapes_names_rank_and_length():
    with pytest.raises(ValueError, match=r"expected dense_input to have 2 dimensions, but got "
                                         r"array with shape \(4,\)"):
        data_adapter.check_shapes([np.ones(4)], [(None, 3)], ["dense_input"], "input")
    with pytest.raises(ValueError, match=r"expected dense_input to have shape \(3,\) but got "
                                         r"array with shape \(2,\)"):
        data_adapter.check_shapes([np.ones((4, 2))], [(None, 3)], ["dense_input"], "input")
    data_adapter.check_shapes([np.ones((4, 7))], [(None, None)], ["x"], "input")


def test_check_lengths_of_targets():
    with pytest.raises(ValueError, match="All target arrays \\(y\\) should have the same"):
        data_adapter.check_lengths([np.ones(4)], [np.ones(4), np.ones(3)])
    with pytest.raises(ValueError, match="Found 4 input samples and 3 target samples"):
        data_adapter.check_lengths([np.ones(4)], [np.ones(3)])
    data_adapter.check_lengths([np.ones(4)], None, [None])
