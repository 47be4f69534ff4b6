"""Keras 2's scikit-learn wrappers: a function that builds a model becomes an estimator.

```python
def build_model(hidden_units=16):
    model = Sequential([Dense(hidden_units, activation="relu", input_shape=(4,)),
                        Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model

classifier = KerasClassifier(build_fn=build_model, hidden_units=32, epochs=20, verbose=0)
scores = cross_val_score(classifier, x, y, cv=3)  # from sklearn.model_selection
```

The keyword arguments given to the wrapper (`sk_params`) are shared out by name: those
that `build_fn` takes go to it, those that `fit`, `predict` or `evaluate` take go to
them. Each call of `fit` builds a new model. scikit-learn itself is not needed to use
the wrappers, only to run its tools (`cross_val_score`, `GridSearchCV`, ...) on them.
"""
import inspect

import numpy as np

from minikeras.engine.data_adapter import loss_name
from minikeras.models import Sequential
from minikeras.utils import np_utils


def _has_arg(function, name):
    """Tells whether `function` takes an argument called `name` (not through `**kwargs`).

    # Arguments
        function: a callable.
        name: an argument name.

    # Returns
        True if `name` is one of the function's named parameters.
    """
    parameter = inspect.signature(function).parameters.get(name)
    return parameter is not None and parameter.kind in (parameter.POSITIONAL_OR_KEYWORD,
                                                        parameter.KEYWORD_ONLY)


class BaseWrapper:
    """The scikit-learn estimator interface shared by `KerasClassifier` and `KerasRegressor`.

    # Arguments
        build_fn: a function (or a callable object) that returns a compiled model. If
            None, the subclass must define `__call__`, which plays that part.
        **sk_params: arguments for `build_fn` and for the model's `fit`, `predict` and
            `evaluate` (such as `epochs`, `batch_size`, `verbose`), shared out by name.

    # Raises
        ValueError: if an entry of `sk_params` is an argument of none of them.
    """

    _estimator_type = None  # "classifier" or "regressor": how scikit-learn tells them apart

    def __init__(self, build_fn=None, **sk_params):
        self.build_fn = build_fn
        self.sk_params = sk_params
        self.check_params(sk_params)

    def _model_builder(self):
        """Returns the callable that builds the model: `build_fn`, or `self.__call__`."""
        if self.build_fn is not None:
            return self.build_fn
        if not callable(self):
            raise ValueError(f"{type(self).__name__} needs a `build_fn` that returns a "
                             "compiled model, or a subclass that defines __call__ to build it.")
        return self.__call__

    def check_params(self, params):
        """Checks that each parameter is taken by `build_fn`, `fit`, `predict` or `evaluate`.

        This catches misspelt names early, before any model is built.

        # Arguments
            params: a dict of parameters.

        # Raises
            ValueError: naming the first parameter that none of them takes.
        """
        legal_functions = [Sequential.fit, Sequential.predict, Sequential.evaluate]
        if self.build_fn is not None or callable(self):
            legal_functions.append(self._model_builder())
        for name in params:
            if name == "nb_epoch":  # Keras 1's name of `epochs`, accepted by `fit`
                continue
            if not any(_has_arg(function, name) for function in legal_functions):
                raise ValueError(f"{name} is not a legal parameter: it is an argument of "
                                 "neither build_fn nor the model's fit, predict or evaluate.")

    def get_params(self, deep=True):
        """Returns the parameters of the estimator, as scikit-learn asks for them.

        # Arguments
            deep: accepted for scikit-learn; the parameters hold no nested estimators.

        # Returns
            A dict: `build_fn` and the `sk_params`.
        """
        params = dict(self.sk_params)
        params["build_fn"] = self.build_fn
        return params

    def set_params(self, **params):
        """Changes parameters of the estimator (used by scikit-learn's searches).

        # Arguments
            **params: new values for `build_fn` or for entries of `sk_params`.

        # Returns
            The estimator itself.

        # Raises
            ValueError: if a parameter is not a legal one.
        """
        if "build_fn" in params:
            self.build_fn = params.pop("build_fn")
        self.check_params(params)
        self.sk_params.update(params)
        return self

    def fit(self, x, y, **kwargs):
        """Builds a new model with `build_fn` and trains it on `(x, y)`.

        # Arguments
            x: the input samples, of shape `(n_samples, n_features)`.
            y: the targets, of shape `(n_samples,)` or `(n_samples, n_outputs)`.
            **kwargs: arguments for the model's `fit`; they override `sk_params`.

        # Returns
            The `History` of the training.
        """
        self.model = self._model_builder()(**self.filter_sk_params(self._model_builder()))
        y = np.asarray(y)
        if loss_name(self.model.loss) == "categorical_crossentropy" and y.ndim != 2:
            y = np_utils.to_categorical(y, int(y.max()) + 1)
        fit_args = self.filter_sk_params(Sequential.fit)
        fit_args.update(kwargs)
        return self.model.fit(x, y, **fit_args)

    def filter_sk_params(self, fn, override=None):
        """Picks the entries of `sk_params` that are arguments of `fn`.

        # Arguments
            fn: a callable.
            override: a dict of values that take precedence.

        # Returns
            A dict from argument name to value.
        """
        chosen = {name: value for name, value in self.sk_params.items() if _has_arg(fn, name)}
        chosen.update(override or {})
        return chosen

    def __sklearn_tags__(self):
        """Describes the estimator to scikit-learn 1.6 and later, which calls this.

        # Returns
            A `sklearn.utils.Tags`.
        """
        from sklearn.utils import ClassifierTags, RegressorTags, Tags, TargetTags
        is_classifier = self._estimator_type == "classifier"
        return Tags(estimator_type=self._estimator_type, target_tags=TargetTags(required=True),
                    classifier_tags=ClassifierTags() if is_classifier else None,
                    regressor_tags=None if is_classifier else RegressorTags())


class KerasClassifier(BaseWrapper):
    """A scikit-learn classifier made from a function that builds a minikeras model.

    The labels may be any values (`"cat"`, `7`, ...): `fit` maps them to indices
    `0 .. n_classes - 1` (the labels, sorted, are kept in `classes_`), and `predict`
    maps the indices back. For two classes the model may end in one sigmoid unit
    (with `binary_crossentropy`); for more, in a softmax over the classes (with
    `sparse_categorical_crossentropy`, or `categorical_crossentropy`, for which the
    indices are one-hot encoded).

    # Arguments
        build_fn: a function (or a callable object) that returns a compiled model. If
            None, a subclass must define `__call__`, which plays that part.
        **sk_params: arguments for `build_fn` and for the model's `fit`, `predict` and
            `evaluate` (such as `epochs`, `batch_size`, `verbose`), shared out by name.
    """

    _estimator_type = "classifier"

    def fit(self, x, y, sample_weight=None, **kwargs):
        """Builds a new model and trains it on the samples and their labels.

        # Arguments
            x: the input samples, of shape `(n_samples, n_features)`.
            y: the labels, of shape `(n_samples,)`, or one-hot of shape
                `(n_samples, n_classes)`.
            sample_weight: optional weights of the samples in the loss.
            **kwargs: arguments for the model's `fit`; they override `sk_params`.

        # Returns
            The `History` of the training.

        # Raises
            ValueError: if `y` has more than two dimensions.
        """
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] > 1:
            self.classes_ = np.arange(y.shape[1])
        elif y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1):
            self.classes_ = np.unique(y)
            y = np.searchsorted(self.classes_, y)
        else:
            raise ValueError(f"Invalid shape for y: {y.shape}; expected (n_samples,) labels "
                             "or (n_samples, n_classes) one-hot rows.")
        self.n_classes_ = len(self.classes_)
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return super().fit(x, y, **kwargs)

    def predict(self, x, **kwargs):
        """Returns the predicted label of each sample.

        # Arguments
            x: the input samples.
            **kwargs: arguments for the model's `predict`; they override `sk_params`.

        # Returns
            An array of labels, of shape `(n_samples,)`, taken from `classes_`.
        """
        probabilities = self.model.predict(x, **self.filter_sk_params(Sequential.predict,
                                                                      kwargs))
        if probabilities.shape[-1] > 1:
            indices = probabilities.argmax(axis=-1)
        else:
            indices = (probabilities[..., 0] > 0.5).astype("int32")
        return self.classes_[indices]

    def predict_proba(self, x, **kwargs):
        """Returns the probability of each class for each sample.

        # Arguments
            x: the input samples.
            **kwargs: arguments for the model's `predict`; they override `sk_params`.

        # Returns
            An array of shape `(n_samples, n_classes)`; for a model with one sigmoid
            unit, the columns are `1 - p` and `p`.
        """
        probabilities = self.model.predict(x, **self.filter_sk_params(Sequential.predict,
                                                                      kwargs))
        if probabilities.shape[1] == 1:
            probabilities = np.hstack([1 - probabilities, probabilities])
        return probabilities

    def score(self, x, y, **kwargs):
        """Returns the accuracy of the model on the given samples and labels.

        # Arguments
            x: the input samples.
            y: their true labels, as given to `fit`.
            **kwargs: arguments for the model's `evaluate`; they override `sk_params`.

        # Returns
            The accuracy, a float between 0 and 1.

        # Raises
            ValueError: if `y` holds labels not seen by `fit`, or the model was compiled
                without the `accuracy` metric.
        """
        y = np.asarray(y)
        if not (y.ndim == 2 and y.shape[1] > 1):  # labels, not one-hot rows
            unknown = np.setdiff1d(y, self.classes_)
            if unknown.size:
                raise ValueError(f"score() received labels that fit() never saw: "
                                 f"{unknown.tolist()}; the known labels are "
                                 f"{self.classes_.tolist()}.")
            y = np.searchsorted(self.classes_, y)
            if loss_name(self.model.loss) == "categorical_crossentropy":
                y = np_utils.to_categorical(y, self.n_classes_)
        outputs = self.model.evaluate(x, y, **self.filter_sk_params(Sequential.evaluate,
                                                                    kwargs))
        outputs = outputs if isinstance(outputs, list) else [outputs]
        for name, value in zip(self.model.metrics_names, outputs):
            if name in ("accuracy", "acc"):
                return value
        raise ValueError("The model is not configured to compute accuracy. You should pass "
                         '`metrics=["accuracy"]` to the `model.compile()` method.')


class KerasRegressor(BaseWrapper):
    """A scikit-learn regressor made from a function that builds a minikeras model.

    # Arguments
        build_fn: a function (or a callable object) that returns a compiled model. If
            None, a subclass must define `__call__`, which plays that part.
        **sk_params: arguments for `build_fn` and for the model's `fit`, `predict` and
            `evaluate` (such as `epochs`, `batch_size`, `verbose`), shared out by name.
    """

    _estimator_type = "regressor"

    def predict(self, x, **kwargs):
        """Returns the predictions for the samples.

        # Arguments
            x: the input samples.
            **kwargs: arguments for the model's `predict`; they override `sk_params`.

        # Returns
            An array of shape `(n_samples,)` for a model with one output unit, else
            `(n_samples, n_outputs)`.
        """
        predictions = np.asarray(self.model.predict(x, **self.filter_sk_params(
            Sequential.predict, kwargs)))
        if predictions.shape[-1] == 1:
            return np.squeeze(predictions, axis=-1)
        return predictions

    def score(self, x, y, **kwargs):
        """Returns the negative of the model's loss on the data (higher is better).

        # Arguments
            x: the input samples.
            y: their true targets.
            **kwargs: arguments for the model's `evaluate`; they override `sk_params`.

        # Returns
            The negative loss, a float.
        """
        loss = self.model.evaluate(x, y, **self.filter_sk_params(Sequential.evaluate, kwargs))
        if isinstance(loss, list):
            return -loss[0]
        return -loss
