"""`Layer`: the base class of every layer, and the template each layer follows.

A layer's `__init__` checks and stores its arguments, `build(input_shape)` creates its
weights with `add_weight` on the first call, `call(inputs)` is a few lines of ops, then
`compute_output_shape` and `get_config`. Called on arrays or tensors, a layer computes;
called on symbolic tensors from `Input`, it records a node of a functional graph.

A layer keeps no values from its last call: what its backward pass needs is saved on
the tape by the ops, so one layer can serve many threads at once.
"""
import inspect
import threading
import weakref

import numpy as np

from minikeras import backend
from minikeras.autograd.tape import GradientTape
from minikeras.autograd.tensor import Tensor, Variable
from minikeras.engine import registry
from minikeras.engine.input_spec import check_input_spec
from minikeras.engine.naming import snake_case, unique_name
from minikeras.engine.node import KerasTensor, Node, flatten, map_structure, pack_like

# Building creates weights: two threads calling an unbuilt layer must not both do it.
_build_lock = threading.RLock()
_loss_scopes = threading.local()

_LAYER_KWARGS = ("input_shape", "input_dim", "batch_input_shape", "batch_size", "weights",
                 "batch_shape")


class collect_losses:
    """Gathers the losses that layers add with `add_loss` during a forward pass.

    The training loop runs each forward pass inside `with collect_losses() as losses:`;
    activity regularization penalties land in that list, which belongs to this thread
    and this pass only.
    """

    def __enter__(self):
        self.losses = []
        stack = _loss_scopes.__dict__.setdefault("stack", [])
        stack.append(self.losses)
        return self.losses

    def __exit__(self, *exc_info):
        _loss_scopes.stack.pop()
        return False


def _eager_losses(layer):
    """The losses `layer` added in its last call outside a training step, on this thread.

    Kept per thread (and not on the layer) so that threads calling one layer never mix
    their losses up.
    """
    by_layer = _loss_scopes.__dict__.setdefault("eager", weakref.WeakKeyDictionary())
    return by_layer.setdefault(layer, [])


def _current_loss_scope():
    stack = _loss_scopes.__dict__.get("stack")
    return stack[-1] if stack else None


class Layer:
    """The base class of layers.

    # Arguments
        name: the layer's name; by default the snake-case class name made unique
            (`dense`, `dense_1`, ...).
        trainable: whether the layer's weights are updated by training.
        dtype: the dtype of the weights and outputs, `backend.floatx()` by default.
        **kwargs: Keras's shared layer arguments: `input_shape`, `input_dim`,
            `batch_input_shape`, `batch_size` (for the first layer of a `Sequential`),
            `weights` (initial weight values), `activity_regularizer`.

    # Input shape
        Any; set by each layer.

    # Output shape
        Set by each layer.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        registry.register_layer_class(cls)

    def __init__(self, name=None, trainable=True, dtype=None, **kwargs):
        allowed = set(_LAYER_KWARGS) | {"activity_regularizer"}
        unknown = set(kwargs) - allowed
        if unknown:
            raise TypeError(
                f"{type(self).__name__}: unknown keyword argument(s) {sorted(unknown)}."
            )
        self.name = name or unique_name(self._default_name_prefix())
        self._trainable = bool(trainable)
        self.dtype = str(np.dtype(dtype)) if dtype is not None else backend.floatx()
        self.built = False
        self.input_spec = None
        self.supports_masking = False
        self._trainable_weights = []
        self._non_trainable_weights = []
        self._weight_regularizers = []
        self._sublayers = []
        self._inbound_nodes = []
        self._initial_weights = kwargs.get("weights")
        self._batch_input_shape = _batch_input_shape_from(kwargs)
        from minikeras import regularizers
        self.activity_regularizer = regularizers.get(kwargs.get("activity_regularizer"))

    @classmethod
    def _default_name_prefix(cls):
        return snake_case(cls.__name__)

    # ---- attribute tracking -------------------------------------------------------

    def __setattr__(self, name, value):
        if isinstance(value, Layer) and name != "_outer":
            self.__dict__.setdefault("_sublayers", [])
            if all(value is not layer for layer in self._sublayers):
                self._sublayers.append(value)
        super().__setattr__(name, value)

    @property
    def trainable(self):
        """Whether training updates this layer's weights."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for layer in self._sublayers:
            layer.trainable = value

    # ---- weights --------------------------------------------------------------------

    def add_weight(self, name=None, shape=None, dtype=None, initializer=None, regularizer=None,
                   trainable=True, constraint=None):
        """Creates a weight of the layer.

        # Arguments
            name: the weight's name within the layer, such as `"kernel"`; the variable is
                named `"<layer name>/<name>"`.
            shape: the shape, a tuple of ints.
            dtype: the dtype, the layer's by default.
            initializer: an initializer (name, instance or function of shape and dtype);
                `glorot_uniform` by default.
            regularizer: an optional regularizer whose penalty joins `layer.losses`.
            trainable: whether the optimizer updates it.
            constraint: an optional constraint applied after each optimizer update.

        # Returns
            The new `Variable`.
        """
        from minikeras import constraints, initializers, regularizers
        dtype = dtype or self.dtype
        initializer = initializers.get(initializer or "glorot_uniform")
        shape = tuple(int(d) for d in shape)
        variable = Variable(initializer(shape, dtype=dtype), trainable=trainable,
                            name=f"{self.name}/{name}", dtype=dtype,
                            constraint=constraints.get(constraint))
        (self._trainable_weights if trainable else self._non_trainable_weights).append(variable)
        regularizer = regularizers.get(regularizer)
        if regularizer is not None:
            self._weight_regularizers.append((variable, regularizer))
        return variable

    @property
    def trainable_weights(self):
        """The weights that training updates: this layer's and its sublayers'."""
        if not self.trainable:
            return []
        weights = list(self._trainable_weights)
        for layer in self._sublayers:
            weights += layer.trainable_weights
        return _unique(weights)

    @property
    def non_trainable_weights(self):
        """The weights that training leaves alone (all of them for a frozen layer)."""
        if not self.trainable:
            return _unique(self._own_and_nested("_trainable_weights")
                           + self._own_and_nested("_non_trainable_weights"))
        weights = list(self._non_trainable_weights)
        for layer in self._sublayers:
            weights += layer.non_trainable_weights
        return _unique(weights)

    def _own_and_nested(self, attribute):
        weights = list(getattr(self, attribute))
        for layer in self._sublayers:
            weights += layer._own_and_nested(attribute)
        return weights

    @property
    def weights(self):
        """All the weights: trainable ones first, then the others (Keras's order)."""
        return self.trainable_weights + self.non_trainable_weights

    @property
    def variables(self):
        """The same as `weights`."""
        return self.weights

    def get_weights(self):
        """Returns the weights' values.

        # Returns
            A list of NumPy arrays, in the order of `weights`.
        """
        return [np.array(w.numpy()) for w in self.weights]

    def set_weights(self, weights):
        """Sets the weights' values from a list of arrays, checking count and shapes first.

        # Arguments
            weights: a list of arrays, in the order of `weights`.

        # Raises
            ValueError: if the count or a shape differs; no weight is changed then.
        """
        variables = self.weights
        if len(weights) != len(variables):
            raise ValueError(
                f'Layer "{self.name}" expects {len(variables)} weight(s) '
                f"({', '.join(v.name for v in variables) or 'none'}), "
                f"but received {len(weights)}."
            )
        arrays = [np.asarray(w) for w in weights]
        for variable, array in zip(variables, arrays):
            if array.shape != variable.shape:
                raise ValueError(
                    f'Layer "{self.name}" weight "{variable.name}" has shape {variable.shape}, '
                    f"but the value given for it has shape {array.shape}."
                )
        for variable, array in zip(variables, arrays):
            variable.assign(array)

    def count_params(self):
        """Counts the scalars in the layer's weights.

        # Returns
            An int.

        # Raises
            ValueError: if the layer is not built yet (its weights do not exist).
        """
        if not self.built:
            raise ValueError(
                f'You tried to call count_params on layer "{self.name}", but the layer is not '
                "built yet. Build it first by calling it on data or with build(input_shape)."
            )
        return int(sum(np.prod(w.shape, dtype=np.int64) for w in self.weights))

    # ---- losses ---------------------------------------------------------------------

    def add_loss(self, losses):
        """Adds loss tensors (such as activity penalties) to the current forward pass.

        # Arguments
            losses: a scalar tensor or a list of them.
        """
        scope = _current_loss_scope()
        target = scope if scope is not None else _eager_losses(self)
        target.extend(flatten(losses))

    @property
    def losses(self):
        """The layer's losses: weight penalties and the last call's added losses.

        The weight regularization penalties are computed now; the added losses (such as
        activity penalties) are those of the last call made outside a training step.
        """
        penalties = [regularizer(variable) for variable, regularizer in self._weight_regularizers]
        for layer in self._sublayers:
            penalties += layer.losses
        return penalties + list(_eager_losses(self))

    # ---- building and calling ----------------------------------------------------------

    def build(self, input_shape):
        """Creates the layer's weights; called once, before the first call.

        # Arguments
            input_shape: the input's shape (a tuple, or a list of tuples for several inputs).
        """
        self.built = True

    def call(self, inputs, **kwargs):
        """The layer's computation, written with `minikeras.ops`.

        # Arguments
            inputs: a tensor or a list of tensors.
            **kwargs: such as `training`.

        # Returns
            A tensor or a list of tensors.
        """
        return inputs

    def compute_output_shape(self, input_shape):
        """Returns the output shape for an input shape.

        This default runs `call` once on zeros; layers override it with the formula.

        # Arguments
            input_shape: a shape tuple (None for the batch axis), or a list of them.

        # Returns
            The output shape (or a list of shapes).
        """
        def zeros(shape):
            concrete = tuple(1 if d is None else d for d in shape)
            return Tensor(np.zeros(concrete, dtype=self.dtype))

        dummy = [zeros(shape) for shape in input_shape] if _is_shape_list(input_shape) \
            else zeros(input_shape)
        with GradientTape() as tape, tape.stop_recording(), collect_losses():
            outputs = self.call(dummy, **self._training_kwargs(False))
        return map_structure(lambda t: (None,) + tuple(t.shape[1:]), outputs)

    def _maybe_build(self, input_shape):
        if self.built:
            return
        with _build_lock:
            if not self.built:
                self.build(input_shape)
                self.built = True
                if self._initial_weights is not None:
                    self.set_weights(self._initial_weights)
                    self._initial_weights = None

    def _training_kwargs(self, training):
        if "training" in _call_parameters(type(self)):
            return {"training": training}
        return {}

    def __call__(self, inputs, *args, **kwargs):
        """Applies the layer to inputs: arrays, tensors, or symbolic tensors from `Input`.

        # Arguments
            inputs: a tensor, array or `KerasTensor`, or a list of them.
            *args: further positional arguments for `call`.
            **kwargs: further keyword arguments for `call`, such as `training`.

        # Returns
            The outputs: tensors, or `KerasTensor`s when the inputs were symbolic.
        """
        flat_inputs = flatten(inputs)
        if any(isinstance(leaf, KerasTensor) for leaf in flat_inputs):
            return self._call_symbolic(inputs, args, kwargs)
        if not all([self._is_ready_tensor(leaf) for leaf in flat_inputs]):
            inputs = map_structure(self._to_tensor, inputs)
            flat_inputs = flatten(inputs)
        if not self.built:
            self._maybe_build(_shapes_of(inputs))
        _check_inputs(self, tuple(t.shape for t in flat_inputs))
        parameters = _call_parameters(type(self))
        if "training" in kwargs and "training" not in parameters:
            kwargs.pop("training")
        if _current_loss_scope() is None:
            _eager_losses(self).clear()
        previous_mask = _masks_of(inputs, flat_inputs)
        if previous_mask is not None and "mask" in parameters:
            kwargs.setdefault("mask", previous_mask)
        outputs = self.call(inputs, *args, **kwargs)
        if self.activity_regularizer is not None:
            for output in flatten(outputs):
                self.add_loss(self.activity_regularizer(output))
        if previous_mask is not None or self._computes_masks():
            _attach_masks(outputs, self.compute_mask(inputs, previous_mask))
        return outputs

    def _is_ready_tensor(self, value):
        """Whether `value` is a `Tensor` that `_to_tensor` would leave as it is."""
        return isinstance(value, Tensor) and (value.dtype.kind != "f"
                                              or value.dtype == self.dtype)

    def _computes_masks(self):
        """Whether this layer may make a mask from unmasked inputs (it overrides
        `compute_mask`, as `Embedding` does)."""
        return type(self).compute_mask is not Layer.compute_mask

    def compute_mask(self, inputs, mask=None):
        """Returns the timestep mask of the outputs, given the inputs and their mask.

        Layers that keep timesteps unchanged set `supports_masking = True` to pass the
        mask on; layers such as `Embedding(mask_zero=True)` make one.

        # Arguments
            inputs: the layer's inputs.
            mask: the inputs' mask (a boolean array, or a list for several inputs), or None.

        # Returns
            The outputs' mask, or None.
        """
        return mask if self.supports_masking else None

    def _to_tensor(self, value):
        tensor = value if isinstance(value, Tensor) else Tensor(np.asarray(value))
        if tensor.dtype.kind == "f" and tensor.dtype != self.dtype:
            from minikeras.autograd.ops import cast
            tensor = cast(tensor, self.dtype)
        return tensor

    def _call_symbolic(self, inputs, args, kwargs):
        input_shapes = _shapes_of(inputs)
        self._maybe_build(input_shapes)
        check_input_spec(self, self.input_spec, [t.shape for t in flatten(inputs)])
        output_shapes = self.compute_output_shape(input_shapes)
        outputs = _keras_tensors_for(output_shapes, self.dtype)
        Node(self, inputs, outputs, dict(kwargs, _args=args) if args else kwargs)
        return outputs

    # ---- graph connections ----------------------------------------------------------------

    def _only_node(self, attribute):
        if not self._inbound_nodes:
            raise AttributeError(
                f'Layer "{self.name}" has never been called and thus has no defined {attribute}.'
            )
        if len(self._inbound_nodes) > 1:
            raise AttributeError(
                f'Layer "{self.name}" has multiple inbound nodes, so its {attribute} is '
                "ill-defined. Use get_input_at(node_index) / get_output_at(node_index) instead."
            )
        return self._inbound_nodes[0]

    @property
    def input(self):
        """The symbolic input of the layer's only call (a `KerasTensor` or a list)."""
        return self._only_node("input").inputs

    @property
    def output(self):
        """The symbolic output of the layer's only call (a `KerasTensor` or a list)."""
        return self._only_node("output").outputs

    @property
    def input_shape(self):
        """The input shape of the layer's calls, when every call had the same one."""
        return self._common_shape("input")

    @property
    def output_shape(self):
        """The output shape of the layer's calls, when every call had the same one."""
        return self._common_shape("output")

    def _common_shape(self, side):
        """The shapes of the inputs or outputs of every call, if they are all the same (as
        in Keras 2, a layer shared by calls of one shape has that shape)."""
        if not self._inbound_nodes:
            raise AttributeError(
                f'Layer "{self.name}" has never been called and thus has no defined '
                f"{side} shape.")
        shapes = [map_structure(lambda t: t.shape, getattr(node, side + "s"))
                  for node in self._inbound_nodes]
        if any(shape != shapes[0] for shape in shapes[1:]):
            raise AttributeError(
                f'Layer "{self.name}" has multiple inbound nodes with different {side} '
                f'shapes, so its {side} shape is ill-defined. Use get_{side}_at(node_index) '
                "instead.")
        return shapes[0]

    def get_input_at(self, node_index):
        """Returns the symbolic input of the layer's call number `node_index`.

        # Arguments
            node_index: which call, counting from 0.

        # Returns
            A `KerasTensor` or a list of them.
        """
        return self._inbound_nodes[node_index].inputs

    def get_output_at(self, node_index):
        """Returns the symbolic output of the layer's call number `node_index`.

        # Arguments
            node_index: which call, counting from 0.

        # Returns
            A `KerasTensor` or a list of them.
        """
        return self._inbound_nodes[node_index].outputs

    # ---- configuration --------------------------------------------------------------------

    def get_config(self):
        """Returns the layer's constructor arguments as a JSON-serializable dict.

        # Returns
            A dict; `from_config` rebuilds an equal layer from it.
        """
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        if self.activity_regularizer is not None:
            from minikeras import regularizers
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        """Creates a layer from its config.

        # Arguments
            config: a dict from `get_config`.

        # Returns
            A new layer.
        """
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


# Input checks that passed, by (id of the input spec, input shapes) -> that spec (kept, so
# that its id is not reused): a training loop calls each layer with the same shapes batch
# after batch, and the check need not be worked out again each time.
_passed_input_checks = {}


def _check_inputs(layer, shapes):
    """Checks input shapes against the layer's `input_spec` (see `check_input_spec`)."""
    spec = layer.input_spec
    if spec is None or _passed_input_checks.get((id(spec), shapes)) is spec:
        return
    check_input_spec(layer, spec, list(shapes))
    if len(_passed_input_checks) > 10000:
        _passed_input_checks.clear()
    _passed_input_checks[(id(spec), shapes)] = spec


def _masks_of(inputs, flat_inputs):
    """The masks carried by the inputs: one mask, a list of masks, or None when none has one."""
    masks = [getattr(t, "_keras_mask", None) for t in flat_inputs]
    if all(mask is None for mask in masks):
        return None
    return masks if isinstance(inputs, (list, tuple)) else masks[0]


def _attach_masks(outputs, masks):
    if masks is None:
        return
    for output, mask in zip(flatten(outputs), flatten(masks)):
        if isinstance(output, Tensor):
            output._keras_mask = mask


def _batch_input_shape_from(kwargs):
    """Keras's ways of giving the first layer its input shape, as one batch shape."""
    for key in ("batch_input_shape", "batch_shape"):
        if kwargs.get(key) is not None:
            return tuple(kwargs[key])
    if kwargs.get("input_shape") is not None:
        return (kwargs.get("batch_size"),) + tuple(kwargs["input_shape"])
    if kwargs.get("input_dim") is not None:
        return (kwargs.get("batch_size"), kwargs["input_dim"])
    return None


_call_parameter_cache = {}


def _call_parameters(cls):
    if cls not in _call_parameter_cache:
        _call_parameter_cache[cls] = set(inspect.signature(cls.call).parameters)
    return _call_parameter_cache[cls]


def _is_shape_list(shape):
    return isinstance(shape, list) or (isinstance(shape, tuple) and shape
                                       and isinstance(shape[0], (tuple, list)))


def _shapes_of(inputs):
    if isinstance(inputs, (list, tuple)):
        return [tuple(t.shape) for t in inputs]
    if isinstance(inputs, dict):
        return {key: tuple(t.shape) for key, t in inputs.items()}
    return tuple(inputs.shape)


def _keras_tensors_for(output_shapes, dtype):
    if isinstance(output_shapes, list) or (output_shapes and isinstance(output_shapes[0], tuple)):
        return [KerasTensor(shape, dtype) for shape in output_shapes]
    return KerasTensor(output_shapes, dtype)


def _unique(variables):
    seen, result = set(), []
    for variable in variables:
        if id(variable) not in seen:
            seen.add(id(variable))
            result.append(variable)
    return result


__all__ = ["Layer", "collect_losses", "pack_like"]
