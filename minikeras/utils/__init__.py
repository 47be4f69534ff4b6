"""Utilities (floor 7): data preparation, progress bars, sequences, pictures of models.

Keras 2 paths work too: `minikeras.utils.np_utils.to_categorical`,
`minikeras.utils.generic_utils.Progbar`, `minikeras.utils.data_utils.Sequence`,
`minikeras.utils.vis_utils.plot_model`.
"""
from minikeras.utils.data_utils import Sequence
from minikeras.utils.generic_utils import (
    CustomObjectScope, custom_object_scope, deserialize_keras_object, get_custom_objects,
    serialize_keras_object,
)
from minikeras.utils.np_utils import normalize, to_categorical
from minikeras.utils.progbar import Progbar
from minikeras.utils.split import train_test_split
from minikeras.utils.vis_utils import plot_history, plot_model

__all__ = ["CustomObjectScope", "Progbar", "Sequence", "custom_object_scope",
           "deserialize_keras_object", "get_custom_objects", "normalize", "plot_history",
           "plot_model", "serialize_keras_object", "to_categorical", "train_test_split"]
