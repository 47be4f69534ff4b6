"""`Sequential`: a linear stack of layers, each feeding the next."""
import warnings

from minikeras.engine.base_layer import Layer, _build_lock
from minikeras.engine.input_layer import Input, InputLayer
from minikeras.engine.node import KerasTensor, flatten
from minikeras.engine.registry import layer_from_config
from minikeras.engine.training import Model


class Sequential(Model):
    """A model made of a stack of layers, each with one input and one output.

    The graph is built as soon as the first layer knows its input shape (an
    `input_shape` / `input_dim` argument, or an `InputLayer` added first); otherwise it is
    built on the first call with data.

    # Arguments
        layers: an optional list of layers to add.
        name: the model's name.

    # Input shape
        The first layer's input shape.

    # Output shape
        The last layer's output shape.

    # Example
    ```python
    model = Sequential()
    model.add(Dense(32, activation="relu", input_shape=(16,)))
    model.add(Dense(1, activation="sigmoid"))
    ```
    """

    def __init__(self, layers=None, name=None):
        super().__init__(name=name)
        self._stack = []
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self):
        """The stacked layers (the input layer, if any, is not listed, as in Keras 2)."""
        return list(self._stack)

    def add(self, layer):
        """Adds a layer on top of the stack.

        # Arguments
            layer: a `Layer` (or an `InputLayer`, or a `KerasTensor` from `Input`, first).

        # Raises
            TypeError: if `layer` is not a layer.
            ValueError: if the layer does not take the previous output, or has several
                outputs.
        """
        if isinstance(layer, KerasTensor):
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise TypeError("The added layer must be an instance of class Layer. "
                            f"Found: {layer!r}")
        if any(layer.name == existing.name for existing in self._stack):
            raise ValueError(f'All layers added to a Sequential model should have unique names. '
                             f'Name "{layer.name}" is already the name of a layer in this model.')
        if isinstance(layer, InputLayer):
            if self._stack or self._is_graph_network:
                raise ValueError("An InputLayer can only be the first layer of a Sequential.")
            self._input_layer = layer
            self._connect(layer._inbound_nodes[0].outputs)
            return
        self._stack.append(layer)
        if all(layer is not known for known in self._sublayers):
            self._sublayers.append(layer)
        if self._is_graph_network:
            self._append_to_graph(layer)
        elif len(self._stack) == 1 and layer._batch_input_shape is not None:
            inputs = Input(batch_shape=layer._batch_input_shape, dtype=layer.dtype)
            self._connect(inputs)

    def _append_to_graph(self, layer):
        outputs = layer(self.outputs[0])
        if len(flatten(outputs)) != 1:
            self._stack.pop()
            raise ValueError("All layers in a Sequential model should have a single output "
                             f'tensor; layer "{layer.name}" has {len(flatten(outputs))}.')
        self._init_graph(self.inputs[0], outputs)
        self._is_graph_network = True

    def _connect(self, inputs):
        """Builds the graph from `inputs` through every stacked layer."""
        outputs = inputs
        for layer in self._stack:
            outputs = layer(outputs)
            if len(flatten(outputs)) != 1:
                raise ValueError("All layers in a Sequential model should have a single output "
                                 f'tensor; layer "{layer.name}" has {len(flatten(outputs))}.')
        self._init_graph(inputs, outputs)
        self._sublayers = list(self._stack)
        self._is_graph_network = True

    def pop(self):
        """Removes the last layer.

        # Raises
            TypeError: if there is no layer to remove.
        """
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        removed = self._stack.pop()
        self._sublayers = [layer for layer in self._sublayers if layer is not removed]
        if self._is_graph_network:
            if self._stack:
                previous = self._stack[-1]
                self._init_graph(self.inputs[0], previous._inbound_nodes[-1].outputs)
            else:
                self._is_graph_network = False
                self.built = False

    def build(self, input_shape=None):
        """Builds the graph for an input shape (for a stack with no `input_shape` given).

        # Arguments
            input_shape: the batch input shape, such as `(None, 16)`.

        # Raises
            ValueError: if no shape is known.
        """
        if self._is_graph_network:
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument to build().")
        with _build_lock:
            if not self._is_graph_network:
                self._connect(Input(batch_shape=(None,) + tuple(input_shape[1:])))
        self.built = True

    def _build_from_data(self, x):
        if self._is_graph_network or x is None:
            return
        import numpy as np
        self.build((None,) + np.shape(x)[1:])

    def __call__(self, inputs, *args, **kwargs):
        """Runs the stack (building it from the inputs' shape on the first call).

        # Arguments
            inputs: a tensor, array or `KerasTensor`.
            *args: further arguments of `call`.
            **kwargs: such as `training`.

        # Returns
            The last layer's output.
        """
        if not self._is_graph_network and self._stack:
            if isinstance(inputs, KerasTensor):
                self._connect(Input(batch_shape=inputs.shape, dtype=inputs.dtype))
            else:
                self._build_from_data(inputs)
        return super().__call__(inputs, *args, **kwargs)

    @property
    def built(self):
        """Whether the graph exists (an input shape is known)."""
        return getattr(self, "_is_graph_network", False)

    @built.setter
    def built(self, value):
        pass

    def predict_proba(self, x, batch_size=32, verbose=0):
        """Returns the predicted probabilities, as Keras 2's `Sequential` does.

        That is `predict`, with a warning if an output is outside [0, 1].

        # Arguments
            x: input data.
            batch_size: samples per batch.
            verbose: 0 silent, 1 progress bar.

        # Returns
            An array of predictions.
        """
        probabilities = self.predict(x, batch_size=batch_size, verbose=verbose)
        if probabilities.min() < 0.0 or probabilities.max() > 1.0:
            warnings.warn(f"{self.name}: predict_proba found outputs outside [0, 1]; the "
                          "model's last activation may not be sigmoid or softmax.")
        return probabilities

    def predict_classes(self, x, batch_size=32, verbose=0):
        """Returns the predicted class of each sample, as Keras 2's `Sequential` does.

        With several outputs per sample (softmax), the index of the largest; with one
        output (sigmoid), 1 above 0.5 and 0 otherwise, in an array of shape
        `(samples, 1)`.

        # Arguments
            x: input data.
            batch_size: samples per batch.
            verbose: 0 silent, 1 progress bar.

        # Returns
            An int array of classes.
        """
        probabilities = self.predict(x, batch_size=batch_size, verbose=verbose)
        if probabilities.shape[-1] > 1:
            return probabilities.argmax(axis=-1)
        return (probabilities > 0.5).astype("int32")

    def get_config(self):
        """Returns `{"name": ..., "layers": [...]}` as Keras 2 writes it.

        # Returns
            A dict.
        """
        layer_configs = []
        first_has_shape = self._stack and self._stack[0]._batch_input_shape is not None
        if self._is_graph_network and not first_has_shape:
            input_layer = self.inputs[0]._keras_history[0]
            layer_configs.append({"class_name": "InputLayer", "config": input_layer.get_config()})
        for layer in self._stack:
            layer_configs.append({"class_name": type(layer).__name__, "config": layer.get_config()})
        return {"name": self.name, "layers": layer_configs}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds a Sequential model from its config (Keras 2's or 3's form).

        # Arguments
            config: a dict from `get_config` (or Keras 2.0's plain list of layers).
            custom_objects: an optional dict of user classes by name.

        # Returns
            A new model.
        """
        if isinstance(config, list):
            config = {"layers": config}
        model = cls(name=config.get("name"))
        for layer_config in config["layers"]:
            model.add(layer_from_config(layer_config, custom_objects))
        if not model._is_graph_network and config.get("build_input_shape"):
            model.build(tuple(config["build_input_shape"]))
        return model
