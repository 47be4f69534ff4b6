"""Wrappers that let minikeras models be used by other libraries.

`minikeras.wrappers.scikit_learn` holds `KerasClassifier` and `KerasRegressor`, which
make a model-building function into a scikit-learn estimator.
"""
from minikeras.wrappers import scikit_learn

__all__ = ["scikit_learn"]
