"""Keras 2's backend functions, `K.mean`, `K.square`, `K.int_shape`, ..., on minikeras tensors.

Keras 2 code writes custom losses, metrics and `Lambda` layers with them:

```python
from minikeras import backend as K

def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))
```

`minikeras.backend` holds the settings (floatx, epsilon, ...) and hands out the names of
this module when they are first asked for (its `__getattr__`): these functions work on
tensors, so they sit above the autograd, while the settings sit below it. Most are the
`ops` of the same name; the others translate Keras's arguments into `ops`. All of them
are recorded on a `GradientTape`, except those that return NumPy values (`get_value`,
`int_shape`, ...) or booleans (`any`, `all`, comparisons).

Graph-mode functions of Keras 2 (`function`, `placeholder`, `gradients`, ...) have no
counterpart: minikeras runs eagerly. Asking for one says what to use instead.
"""
import numpy as np

from minikeras import activations, backend, losses
from minikeras.autograd import Tensor, Variable, as_tensor, ops
from minikeras.engine import naming
from minikeras.engine.node import KerasTensor

# The ops that Keras 2's backend has under the same name, with the same arguments.
abs = ops.abs
argmax = ops.argmax
argmin = ops.argmin
cast = ops.cast
concatenate = ops.concatenate
dot = ops.dot
elu = ops.elu
equal = ops.equal
exp = ops.exp
greater = ops.greater
greater_equal = ops.greater_equal
hard_sigmoid = ops.hard_sigmoid
l2_normalize = ops.l2_normalize
less = ops.less
less_equal = ops.less_equal
log = ops.log
max = ops.max
maximum = ops.maximum
mean = ops.mean
min = ops.min
minimum = ops.minimum
not_equal = ops.not_equal
one_hot = ops.one_hot
prod = ops.prod
reshape = ops.reshape
sigmoid = ops.sigmoid
sign = ops.sign
softplus = ops.softplus
softsign = ops.softsign
square = ops.square
squeeze = ops.squeeze
stack = ops.stack
std = ops.std
stop_gradient = ops.stop_gradient
sum = ops.sum
tanh = ops.tanh
tile = ops.tile
transpose = ops.transpose
var = ops.var
# Keras's names for ops that minikeras names as NumPy does.
batch_flatten = ops.flatten
permute_dimensions = ops.transpose
pow = ops.power
repeat_elements = ops.repeat
relu = activations.relu
softmax = ops.softmax

# The names `minikeras.backend` hands out.
__all__ = [
    "abs", "all", "any", "argmax", "argmin", "batch_dot", "batch_flatten",
    "batch_get_value", "batch_set_value", "binary_crossentropy", "cast", "cast_to_floatx",
    "categorical_crossentropy", "clear_session", "clip", "concatenate", "constant",
    "count_params", "dot", "dtype", "elu", "equal", "eval", "exp", "expand_dims", "eye",
    "flatten", "gather", "get_value", "greater", "greater_equal", "hard_sigmoid",
    "int_shape", "is_keras_tensor", "l2_normalize", "less", "less_equal", "log",
    "logsumexp", "max", "maximum", "mean", "min", "minimum", "ndim", "not_equal", "one_hot",
    "ones", "ones_like", "permute_dimensions", "pow", "prod", "random_normal",
    "random_uniform", "relu", "repeat", "repeat_elements", "reshape", "round",
    "set_value", "shape", "sigmoid", "sign", "softmax", "softplus", "softsign",
    "sparse_categorical_crossentropy", "sqrt", "square", "squeeze", "stack", "std",
    "stop_gradient", "sum", "switch", "tanh", "tile", "transpose", "var", "variable",
    "zeros", "zeros_like",
]

# Keras 2 graph-mode names, and what to use instead in minikeras.
GRAPH_MODE_NAMES = {
    "function": "call the model (or `model.predict`) on arrays",
    "gradients": "use `minikeras.GradientTape` and `tape.gradient`",
    "placeholder": "use `minikeras.Input` to build a model, or pass arrays to ops",
    "get_session": "there is no session: everything runs eagerly",
    "set_session": "there is no session: everything runs eagerly",
    "learning_phase": "pass `training=True` or `False` when calling a model or layer",
    "set_learning_phase": "pass `training=True` or `False` when calling a model or layer",
}


# Tensors and their values ----------------------------------------------------------------

def _dtype_or_floatx(dtype):
    return np.dtype(dtype or backend.floatx())


def variable(value, dtype=None, name=None, constraint=None):
    """Creates a trainable variable holding `value`.

    # Arguments
        value: an array or a number.
        dtype: the dtype; `None` for `floatx()`.
        name: an optional name.
        constraint: an optional function applied to the value after each optimizer update.

    # Returns
        A `Variable`.
    """
    return Variable(np.asarray(value, _dtype_or_floatx(dtype)), name=name,
                    constraint=constraint)


def constant(value, dtype=None, shape=None, name=None):
    """Creates a constant tensor.

    # Arguments
        value: an array or a number (a number fills `shape`).
        dtype: the dtype; `None` for `floatx()`.
        shape: the shape to fill with a number `value`; `None` keeps `value`'s shape.
        name: ignored (minikeras's tensors have no names), accepted as Keras's.

    # Returns
        A `Tensor`.
    """
    value = np.asarray(value, _dtype_or_floatx(dtype))
    if shape is not None:
        value = np.broadcast_to(value, shape).copy()
    return Tensor(value)


def zeros(shape, dtype=None, name=None):
    """Creates a variable of zeros, as Keras 2 does.

    # Arguments
        shape: the shape, a tuple of ints.
        dtype: the dtype; `None` for `floatx()`.
        name: an optional name.

    # Returns
        A `Variable`.
    """
    return variable(np.zeros(shape), dtype, name)


def ones(shape, dtype=None, name=None):
    """Creates a variable of ones, as Keras 2 does.

    # Arguments
        shape: the shape, a tuple of ints.
        dtype: the dtype; `None` for `floatx()`.
        name: an optional name.

    # Returns
        A `Variable`.
    """
    return variable(np.ones(shape), dtype, name)


def eye(size, dtype=None, name=None):
    """Creates an identity matrix variable.

    # Arguments
        size: the number of rows (and columns).
        dtype: the dtype; `None` for `floatx()`.
        name: an optional name.

    # Returns
        A `Variable` of shape `(size, size)`.
    """
    return variable(np.eye(size), dtype, name)


def zeros_like(x, dtype=None, name=None):
    """Creates a tensor of zeros of the shape of `x`.

    # Arguments
        x: a tensor or array.
        dtype: the dtype; `None` for the dtype of `x`.
        name: ignored, accepted as Keras's.

    # Returns
        A `Tensor`.
    """
    zeros = ops.zeros_like(x)
    return zeros if dtype is None else ops.cast(zeros, dtype)


def ones_like(x, dtype=None, name=None):
    """Creates a tensor of ones of the shape of `x`.

    # Arguments
        x: a tensor or array.
        dtype: the dtype; `None` for the dtype of `x`.
        name: ignored, accepted as Keras's.

    # Returns
        A `Tensor`.
    """
    ones = ops.ones_like(x)
    return ones if dtype is None else ops.cast(ones, dtype)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Draws a tensor of values uniform in `[minval, maxval)`.

    # Arguments
        shape: the shape, a tuple of ints.
        minval: the lower bound.
        maxval: the upper bound.
        dtype: the dtype; `None` for `floatx()`.
        seed: an int for a repeatable draw; `None` draws from minikeras's generator
            (see `backend.set_seed`).

    # Returns
        A `Tensor`.
    """
    generator = backend.rng() if seed is None else np.random.default_rng(seed)
    return Tensor(generator.uniform(minval, maxval, shape).astype(_dtype_or_floatx(dtype)))


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws a tensor of normally distributed values.

    # Arguments
        shape: the shape, a tuple of ints.
        mean: the mean of the distribution.
        stddev: its standard deviation.
        dtype: the dtype; `None` for `floatx()`.
        seed: an int for a repeatable draw; `None` draws from minikeras's generator
            (see `backend.set_seed`).

    # Returns
        A `Tensor`.
    """
    generator = backend.rng() if seed is None else np.random.default_rng(seed)
    return Tensor(generator.normal(mean, stddev, shape).astype(_dtype_or_floatx(dtype)))


def cast_to_floatx(x):
    """Converts an array (or number) to `floatx()`.

    # Arguments
        x: an array or a number.

    # Returns
        A NumPy array.
    """
    return np.asarray(x, backend.floatx())


def get_value(x):
    """Returns the value of a tensor or variable.

    # Arguments
        x: a `Tensor`, a `Variable` or an array.

    # Returns
        A NumPy array (a copy: changing it does not change `x`).
    """
    return np.array(x.value if isinstance(x, Tensor) else x)


def batch_get_value(tensors):
    """Returns the values of several tensors or variables.

    # Arguments
        tensors: a list of tensors or variables.

    # Returns
        A list of NumPy arrays.
    """
    return [get_value(x) for x in tensors]


def eval(x):
    """Returns the value of a tensor, as Keras 2's `K.eval` (minikeras runs eagerly).

    # Arguments
        x: a `Tensor`, a `Variable` or an array.

    # Returns
        A NumPy array.
    """
    return get_value(x)


def set_value(x, value):
    """Sets the value of a variable.

    # Arguments
        x: a `Variable`.
        value: an array of its shape.
    """
    x.assign(value)


def batch_set_value(tuples):
    """Sets the values of several variables.

    # Arguments
        tuples: a list of `(variable, value)` pairs.
    """
    for x, value in tuples:
        set_value(x, value)


# Shapes -------------------------------------------------------------------------------------

def int_shape(x):
    """Returns the shape of a tensor as a tuple, with `None` for an unknown batch size.

    # Arguments
        x: a `Tensor`, a symbolic tensor of the functional API, or an array.

    # Returns
        A tuple of ints (and `None`s).
    """
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)


def ndim(x):
    """Returns the number of axes of a tensor.

    # Arguments
        x: a `Tensor`, a symbolic tensor or an array.

    # Returns
        An int.
    """
    return len(int_shape(x))


def dtype(x):
    """Returns the dtype of a tensor, as a string such as `"float32"`.

    # Arguments
        x: a `Tensor`, a symbolic tensor or an array.

    # Returns
        A string.
    """
    return np.dtype(x.dtype).name


def count_params(x):
    """Returns the number of values in a tensor or variable.

    # Arguments
        x: a `Tensor`, a `Variable` or an array.

    # Returns
        An int.
    """
    return int(np.prod(int_shape(x)))


def shape(x):
    """Returns the shape of a tensor as a tensor of ints (Keras 2's dynamic shape).

    # Arguments
        x: a tensor or array.

    # Returns
        A 1-D integer `Tensor`.
    """
    return Tensor(np.array(as_tensor(x).shape, dtype=np.int64))


def is_keras_tensor(x):
    """Whether `x` is a symbolic tensor of the functional API.

    That is the output of `Input`, or of a layer called on one.

    # Arguments
        x: any value.

    # Returns
        A bool.
    """
    return isinstance(x, KerasTensor)


def flatten(x):
    """Flattens a tensor into one axis.

    # Arguments
        x: a tensor or array.

    # Returns
        A 1-D `Tensor`.
    """
    return ops.reshape(x, (-1,))


def expand_dims(x, axis=-1):
    """Adds an axis of length 1 (by default, last).

    # Arguments
        x: a tensor or array.
        axis: where the new axis goes.

    # Returns
        A `Tensor` with one more axis.
    """
    return ops.expand_dims(x, axis)


def repeat(x, n):
    """Repeats a 2-D tensor along a new middle axis: `(samples, dim)` to `(samples, n, dim)`.

    # Arguments
        x: a tensor of shape `(samples, dim)`.
        n: the number of repetitions.

    # Returns
        A `Tensor` of shape `(samples, n, dim)`.

    # Raises
        ValueError: if `x` is not 2-D.
    """
    x = as_tensor(x)
    if x.ndim != 2:
        raise ValueError(f"K.repeat expects a 2-D tensor (samples, dim); received shape "
                         f"{x.shape}.")
    return ops.tile(ops.expand_dims(x, 1), (1, n, 1))


def gather(reference, indices):
    """Takes the rows `indices` of `reference`.

    # Arguments
        reference: a tensor.
        indices: an integer array (or tensor) of row indices.

    # Returns
        A `Tensor` of shape `indices.shape + reference.shape[1:]`.
    """
    indices = np.asarray(indices.value if isinstance(indices, Tensor) else indices)
    return ops.getitem(reference, indices.astype(np.int64))


# Math ------------------------------------------------------------------------------------

def clip(x, min_value, max_value):
    """Clips values to `[min_value, max_value]`.

    # Arguments
        x: a tensor or array.
        min_value: the lower bound, or `None` for none.
        max_value: the upper bound, or `None` for none (a bound below `min_value` is
            raised to it, as in Keras 2).

    # Returns
        A `Tensor`.
    """
    if max_value is not None and min_value is not None and max_value < min_value:
        max_value = min_value
    return ops.clip(x, -np.inf if min_value is None else min_value,
                    np.inf if max_value is None else max_value)


def sqrt(x):
    """Square root, with negative values taken as 0, as Keras 2's backend does.

    # Arguments
        x: a tensor or array.

    # Returns
        A `Tensor`: `sqrt(max(x, 0))`.
    """
    return ops.sqrt(ops.maximum(x, 0.0))

def round(x):
    """Rounds to the nearest integer, halves to even (not differentiable).

    # Arguments
        x: a tensor or array.

    # Returns
        A `Tensor` of the dtype of `x`.
    """
    return Tensor(np.round(as_tensor(x).value))


def any(x, axis=None, keepdims=False):
    """Whether any value is true (non-zero) along an axis.

    # Arguments
        x: a tensor or array.
        axis: the axis (or axes) to reduce; `None` for all.
        keepdims: whether to keep the reduced axes with length 1.

    # Returns
        A boolean `Tensor`.
    """
    return Tensor(np.any(as_tensor(x).value, axis=axis, keepdims=keepdims))


def all(x, axis=None, keepdims=False):
    """Whether every value is true (non-zero) along an axis.

    # Arguments
        x: a tensor or array.
        axis: the axis (or axes) to reduce; `None` for all.
        keepdims: whether to keep the reduced axes with length 1.

    # Returns
        A boolean `Tensor`.
    """
    return Tensor(np.all(as_tensor(x).value, axis=axis, keepdims=keepdims))


def logsumexp(x, axis=None, keepdims=False):
    """Computes `log(sum(exp(x)))` along an axis, without overflow.

    # Arguments
        x: a tensor or array.
        axis: the axis to reduce; `None` for all of them.
        keepdims: whether to keep the reduced axes with length 1.

    # Returns
        A `Tensor`.
    """
    if axis is not None:
        return ops.logsumexp(x, axis=axis, keepdims=keepdims)
    x = as_tensor(x)
    total = ops.logsumexp(ops.reshape(x, (-1,)), axis=0)
    return ops.reshape(total, (1,) * x.ndim) if keepdims else total


def switch(condition, then_expression, else_expression):
    """Chooses, value by value, between two tensors (or the results of two functions).

    A condition with fewer axes than the expressions applies along their first axes
    (one value per sample, say), as in Keras 2, not along their last ones as NumPy's
    broadcasting would.

    # Arguments
        condition: a boolean tensor or array.
        then_expression: the values where `condition` is true, or a function returning them.
        else_expression: the values elsewhere, or a function returning them.

    # Returns
        A `Tensor`.

    # Raises
        ValueError: if `condition` has more axes than `then_expression`.
    """
    if callable(then_expression):
        then_expression = then_expression()
    if callable(else_expression):
        else_expression = else_expression()
    condition, then_expression = as_tensor(condition), as_tensor(then_expression)
    missing_axes = then_expression.ndim - condition.ndim
    if missing_axes < 0:
        raise ValueError(f"K.switch: the condition, of shape {condition.shape}, has more axes "
                         f"than the expression, of shape {then_expression.shape}.")
    if condition.ndim and missing_axes:
        condition = ops.reshape(condition, condition.shape + (1,) * missing_axes)
    return ops.where(condition, then_expression, else_expression)


def batch_dot(x, y, axes=None):
    """Multiplies two batches of vectors or matrices, sample by sample.

    Keras 2's `batch_dot`, for tensors of 2 or 3 axes.

    Axis `axes[0]` of `x` is summed against axis `axes[1]` of `y` (axis 0, the batch, is
    never summed). The default is the last axis of `x` and the second-to-last of `y` (the
    last, for 2-D `y`): batched matrix products. `(batch, n)` with `(batch, n)` gives
    `(batch, 1)`.

    # Arguments
        x: a tensor of shape `(batch, ...)`, 2 or 3 axes.
        y: a tensor of shape `(batch, ...)`, 2 or 3 axes.
        axes: an int (the same axis of both), a pair of ints, or `None`.

    # Returns
        A `Tensor`: the axes of `x` left, then those of `y` left, after the batch.

    # Raises
        ValueError: for tensors of other ranks, an axis 0, or summed axes of different
            lengths.
    """
    x, y = as_tensor(x), as_tensor(y)
    if x.ndim not in (2, 3) or y.ndim not in (2, 3):
        raise ValueError(f"K.batch_dot supports tensors of 2 or 3 axes; received shapes "
                         f"{x.shape} and {y.shape}.")
    if axes is None:
        axes = (x.ndim - 1, y.ndim - 1 if y.ndim == 2 else y.ndim - 2)
    elif isinstance(axes, int):
        axes = (axes, axes)
    x_axis, y_axis = axes[0] % x.ndim, axes[1] % y.ndim
    if 0 in (x_axis, y_axis) or x.shape[x_axis] != y.shape[y_axis]:
        raise ValueError(f"K.batch_dot cannot sum axis {axes[0]} of shape {x.shape} against "
                         f"axis {axes[1]} of shape {y.shape}.")
    # As batched matrices, x (batch, rows, summed) and y (batch, summed, columns), a 2-D
    # operand giving an axis of length 1 that the result then loses.
    x_is_2d, y_is_2d = x.ndim == 2, y.ndim == 2
    if x_is_2d:
        x = ops.expand_dims(x, 1)
    elif x_axis == 1:
        x = ops.transpose(x, (0, 2, 1))
    if y_is_2d:
        y = ops.expand_dims(y, 2)
    elif y_axis == 2:
        y = ops.transpose(y, (0, 2, 1))
    product = ops.matmul(x, y)
    if x_is_2d and y_is_2d:  # one value per sample, kept as (batch, 1) as in Keras 2
        return ops.reshape(product, (product.shape[0], 1))
    if x_is_2d:
        return ops.squeeze(product, 1)
    if y_is_2d:
        return ops.squeeze(product, 2)
    return product


# Neural-network functions --------------------------------------------------------------

def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy of a softmax output against one-hot targets (`losses`'s formula).

    # Arguments
        target: one-hot targets, of the shape of `output`.
        output: probabilities (or logits, with `from_logits=True`).
        from_logits: whether `output` holds logits.
        axis: the class axis.

    # Returns
        A `Tensor` with the class axis reduced.
    """
    return losses.categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy of a softmax output against integer targets (`losses`'s formula).

    # Arguments
        target: integer class indices, of the shape of `output` without the class axis.
        output: probabilities (or logits, with `from_logits=True`).
        from_logits: whether `output` holds logits.
        axis: the class axis.

    # Returns
        A `Tensor` with the class axis reduced.
    """
    return losses.sparse_categorical_crossentropy(target, output, from_logits=from_logits,
                                                  axis=axis)


def binary_crossentropy(target, output, from_logits=False):
    """Binary cross-entropy of each value, not averaged.

    `losses.binary_crossentropy` is the mean of these over the last axis.

    # Arguments
        target: targets in [0, 1], of the shape of `output`.
        output: probabilities (or logits, with `from_logits=True`).
        from_logits: whether `output` holds logits.

    # Returns
        A `Tensor` of the shape of `output`.
    """
    # The loss's mean over a new axis of length 1 is each value's own cross-entropy.
    return losses.binary_crossentropy(expand_dims(target), expand_dims(output),
                                      from_logits=from_logits)


# Session ---------------------------------------------------------------------------------

def clear_session():
    """Forgets the layer names handed out, so that the next `Dense` is `dense` again.

    In Keras 2 it also frees the TensorFlow graph; minikeras has none to free.
    """
    naming.reset_names()
