"""Tests of the scikit-learn wrappers, `KerasClassifier` and `KerasRegressor`.

They must work without scikit-learn; one test runs scikit-learn's `cross_val_score` on
them when scikit-learn is installed.
"""
import importlib
import sys

import numpy as np
import pytest

from minikeras import backend
from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.optimizers import Adam
from minikeras.wrappers import scikit_learn
from minikeras.wrappers.scikit_learn import KerasClassifier, KerasRegressor


@pytest.fixture(autouse=True)
def _seeded():
    backend.set_seed(1234)  # the same initial weights in every run


def three_blobs(n_per_class=20, labels=("ant", "bee", "cow")):
    """Three well separated clusters in 2-D, with the given labels."""
    rng = np.random.default_rng(0)
    centers = np.array([[-2.0, 0.0], [2.0, 0.0], [0.0, 3.0]])
    x = np.concatenate([center + 0.3 * rng.normal(size=(n_per_class, 2)) for center in centers])
    y = np.repeat(np.array(labels), n_per_class)
    order = rng.permutation(len(x))
    return x[order].astype("float32"), y[order]


def build_softmax(hidden_units=8, loss="sparse_categorical_crossentropy"):
    model = Sequential([Dense(hidden_units, activation="relu", input_shape=(2,)),
                        Dense(3, activation="softmax")])
    model.compile(Adam(lr=0.05), loss, metrics=["accuracy"])
    return model


def build_sigmoid():
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile(Adam(lr=0.1), "binary_crossentropy", metrics=["acc"])
    return model


def build_linear(units=1):
    model = Sequential([Dense(units, input_shape=(2,))])
    model.compile(Adam(lr=0.1), "mse")
    return model


# ---- KerasClassifier ----------------------------------------------------------------------

def test_multiclass_labels_are_mapped_to_indices_and_back():
    x, y = three_blobs()
    classifier = KerasClassifier(build_softmax, hidden_units=8, epochs=30, batch_size=10,
                                 verbose=0)
    history = classifier.fit(x, y)
    assert len(history.epoch) == 30
    assert list(classifier.classes_) == ["ant", "bee", "cow"]
    assert classifier.n_classes_ == 3
    predictions = classifier.predict(x)
    assert predictions.shape == (60,)
    assert np.mean(predictions == y) > 0.9
    assert classifier.score(x, y) == pytest.approx(np.mean(predictions == y))


def test_predict_proba_gives_one_column_per_class():
    x, y = three_blobs()
    classifier = KerasClassifier(build_softmax, epochs=5, verbose=0)
    classifier.fit(x, y)
    probabilities = classifier.predict_proba(x[:7])
    assert probabilities.shape == (7, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(classifier.classes_[probabilities.argmax(axis=1)],
                                  classifier.predict(x[:7]))


def test_binary_classifier_with_one_sigmoid_unit():
    x, y = three_blobs(labels=(-1, 1, 1))
    classifier = KerasClassifier(build_sigmoid, epochs=40, batch_size=10, verbose=0)
    classifier.fit(x, y)
    assert list(classifier.classes_) == [-1, 1]
    predictions = classifier.predict(x)
    assert predictions.shape == (60,)
    assert set(predictions) <= {-1, 1}
    assert np.mean(predictions == y) > 0.9
    probabilities = classifier.predict_proba(x[:4])
    assert probabilities.shape == (4, 2)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-6)
    assert classifier.score(x, y) == pytest.approx(np.mean(predictions == y))


def test_categorical_crossentropy_gets_one_hot_targets():
    x, y = three_blobs(labels=(10, 20, 30))
    classifier = KerasClassifier(build_softmax, loss="categorical_crossentropy", epochs=30,
                                 batch_size=10, verbose=0)
    classifier.fit(x, y)
    assert np.mean(classifier.predict(x) == y) > 0.9
    # the fold scored may lack a class: the one-hot rows still have three columns
    only_two_classes = y != 30
    assert classifier.score(x[only_two_classes], y[only_two_classes]) > 0.9


def test_one_hot_labels_are_accepted():
    x, y = three_blobs(labels=(0, 1, 2))
    one_hot = np.eye(3, dtype="float32")[y]
    classifier = KerasClassifier(build_softmax, loss="categorical_crossentropy", epochs=5,
                                 verbose=0)
    classifier.fit(x, one_hot)
    assert list(classifier.classes_) == [0, 1, 2]
    assert 0.0 <= classifier.score(x, one_hot) <= 1.0


def test_score_refuses_unknown_labels_and_models_without_accuracy():
    x, y = three_blobs()
    classifier = KerasClassifier(build_softmax, epochs=1, verbose=0)
    classifier.fit(x, y)
    with pytest.raises(ValueError, match="never saw: \\['dog'\\]"):
        classifier.score(x[:2], np.array(["ant", "dog"]))

    def without_accuracy():
        model = build_softmax()
        model.compile("adam", "sparse_categorical_crossentropy")
        return model

    classifier = KerasClassifier(without_accuracy, epochs=1, verbose=0)
    classifier.fit(x, y)
    with pytest.raises(ValueError, match="not configured to compute accuracy"):
        classifier.score(x, y)


def test_fit_keyword_arguments_override_sk_params():
    x, y = three_blobs()
    classifier = KerasClassifier(build_softmax, epochs=5, verbose=0)
    history = classifier.fit(x, y, epochs=2)
    assert len(history.epoch) == 2


def test_sample_weight_reaches_the_model():
    x, y = three_blobs()
    classifier = KerasClassifier(build_softmax, epochs=1, verbose=0)
    weights = np.where(y == "ant", 0.0, 1.0)
    classifier.fit(x, y, sample_weight=weights)  # accepted, and trains
    assert classifier.model.optimizer.iterations.numpy() > 0


# ---- parameters ---------------------------------------------------------------------------

def test_get_and_set_params():
    classifier = KerasClassifier(build_softmax, hidden_units=4, epochs=3)
    assert classifier.get_params() == {"build_fn": build_softmax, "hidden_units": 4,
                                       "epochs": 3}
    assert classifier.get_params(deep=False) == classifier.get_params()
    assert classifier.set_params(hidden_units=16, batch_size=8) is classifier
    assert classifier.get_params() == {"build_fn": build_softmax, "hidden_units": 16,
                                       "epochs": 3, "batch_size": 8}


def test_unknown_parameters_are_refused():
    with pytest.raises(ValueError, match="hiden_units is not a legal parameter"):
        KerasClassifier(build_softmax, hiden_units=4)
    classifier = KerasClassifier(build_softmax)
    with pytest.raises(ValueError, match="epoks is not a legal parameter"):
        classifier.set_params(epoks=3)
    KerasClassifier(build_softmax, nb_epoch=3)  # Keras 1's name of epochs is accepted


def test_filter_sk_params_picks_the_arguments_of_a_function():
    classifier = KerasClassifier(build_softmax, hidden_units=4, epochs=3, batch_size=8,
                                 verbose=0)
    assert classifier.filter_sk_params(build_softmax) == {"hidden_units": 4}
    assert classifier.filter_sk_params(Sequential.predict) == {"batch_size": 8, "verbose": 0}
    assert classifier.filter_sk_params(Sequential.fit, {"epochs": 1}) == {
        "epochs": 1, "batch_size": 8, "verbose": 0}


def test_a_subclass_may_build_the_model_in_call():
    class SoftmaxClassifier(KerasClassifier):
        def __call__(self, hidden_units=4):
            return build_softmax(hidden_units)

    x, y = three_blobs()
    classifier = SoftmaxClassifier(hidden_units=6, epochs=1, verbose=0)
    classifier.fit(x, y)
    assert classifier.model.layers[0].units == 6
    with pytest.raises(ValueError, match="needs a `build_fn`"):
        KerasClassifier(epochs=1).fit(x, y)


# ---- KerasRegressor -----------------------------------------------------------------------

def test_regressor_predicts_and_scores_the_negative_loss():
    x, _ = three_blobs()
    y = x @ np.array([1.5, -2.0], dtype="float32") + 0.5
    regressor = KerasRegressor(build_linear, epochs=60, batch_size=10, verbose=0)
    regressor.fit(x, y)
    predictions = regressor.predict(x)
    assert predictions.shape == (60,)
    assert np.mean((predictions - y) ** 2) < 0.1
    loss = regressor.model.evaluate(x, y, verbose=0)
    assert regressor.score(x, y) == pytest.approx(-loss)


def test_regressor_with_several_outputs_keeps_the_columns():
    x, _ = three_blobs()
    regressor = KerasRegressor(build_linear, units=2, epochs=1, verbose=0)
    regressor.fit(x, np.stack([x[:, 0], x[:, 1]], axis=1))
    assert regressor.predict(x).shape == (60, 2)


# ---- scikit-learn -------------------------------------------------------------------------

def test_wrappers_work_without_scikit_learn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # any `import sklearn` now fails
    module = importlib.reload(scikit_learn)
    x, y = three_blobs()
    classifier = module.KerasClassifier(build_softmax, epochs=2, verbose=0)
    classifier.fit(x, y)
    assert classifier.predict(x).shape == (60,)
    assert 0.0 <= classifier.score(x, y) <= 1.0


def test_cross_val_score_and_clone():
    pytest.importorskip("sklearn")
    from sklearn.base import clone, is_classifier, is_regressor
    from sklearn.model_selection import cross_val_score

    x, y = three_blobs()
    classifier = KerasClassifier(build_softmax, hidden_units=8, epochs=20, batch_size=10,
                                 verbose=0)
    assert is_classifier(classifier)
    assert clone(classifier).get_params() == classifier.get_params()
    scores = cross_val_score(classifier, x, y, cv=3)
    assert scores.shape == (3,)
    assert scores.min() > 0.8

    regressor = KerasRegressor(build_linear, epochs=2, verbose=0)
    assert is_regressor(regressor)
    target = x @ np.array([1.0, 1.0], dtype="float32")
    assert np.all(cross_val_score(regressor, x, target, cv=2) <= 0)
