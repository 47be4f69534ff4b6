"""`Tensor`, an n-dimensional array that the tape can differentiate, and `Variable`."""
import numpy as np

from minikeras import backend


def to_array(value, dtype=None):
    """Converts a value to a NumPy array, keeping Python floats at the default float type.

    # Arguments
        value: a `Tensor`, an array, a Python number or a nested list.
        dtype: the wanted dtype, or `None` to keep the value's own (Python floats become
            `backend.floatx()`, not float64).

    # Returns
        A `numpy.ndarray`.
    """
    if isinstance(value, Tensor):
        value = value.value
    if dtype is not None:
        return np.asarray(value, dtype=dtype)
    array = np.asarray(value)
    if array.dtype == np.float64 and not isinstance(value, np.ndarray):
        array = array.astype(backend.floatx())
    return array


class Tensor:
    """An n-dimensional array whose operations a `GradientTape` can record.

    A `Tensor` wraps a NumPy array. Arithmetic on it (`+ - * / @ ** -x`, indexing and
    slicing) goes through `minikeras.ops`, so it is recorded by any tape that watches
    its inputs. Comparisons give boolean tensors and are not differentiable.

    # Arguments
        value: an array, a Python number, a nested list or another `Tensor`.
        dtype: the dtype to convert to; `None` keeps the value's own dtype (Python
            floats become `backend.floatx()`).

    # Example
    ```python
    x = Tensor([1.0, 2.0, 3.0])
    (x * 2).numpy()  # array([2., 4., 6.], dtype=float32)
    ```
    """

    # `_keras_mask` carries the timestep mask a layer computed for this output (or None).
    __slots__ = ("value", "_keras_mask", "__weakref__")
    # Makes NumPy hand `array + tensor` to Tensor.__radd__ instead of broadcasting.
    __array_priority__ = 1000

    def __init__(self, value, dtype=None):
        self.value = to_array(value, dtype)

    @property
    def shape(self):
        """The shape of the tensor, a tuple of ints."""
        return self.value.shape

    @property
    def dtype(self):
        """The dtype of the tensor, a `numpy.dtype`."""
        return self.value.dtype

    @property
    def ndim(self):
        """The number of dimensions of the tensor."""
        return self.value.ndim

    @property
    def size(self):
        """The number of elements of the tensor."""
        return self.value.size

    @property
    def T(self):
        """The tensor with its axes reversed (differentiable)."""
        return _ops().transpose(self)

    def numpy(self):
        """Returns the tensor's values.

        # Returns
            The NumPy array the tensor wraps (not a copy: do not modify it).
        """
        return self.value

    def __array__(self, dtype=None, copy=None):
        if dtype is not None:
            return self.value.astype(dtype, copy=False)
        return self.value

    def __len__(self):
        return len(self.value)

    def __repr__(self):
        return f"<{type(self).__name__} shape={self.shape} dtype={self.dtype.name}\n{self.value}>"

    def __float__(self):
        return float(self.value)

    def __int__(self):
        return int(self.value)

    def __bool__(self):
        return bool(self.value)

    __hash__ = object.__hash__

    # Differentiable arithmetic, defined once in minikeras.ops.
    def __add__(self, other):
        return _ops().add(self, other)

    def __radd__(self, other):
        return _ops().add(other, self)

    def __sub__(self, other):
        return _ops().subtract(self, other)

    def __rsub__(self, other):
        return _ops().subtract(other, self)

    def __mul__(self, other):
        return _ops().multiply(self, other)

    def __rmul__(self, other):
        return _ops().multiply(other, self)

    def __truediv__(self, other):
        return _ops().divide(self, other)

    def __rtruediv__(self, other):
        return _ops().divide(other, self)

    def __matmul__(self, other):
        return _ops().matmul(self, other)

    def __rmatmul__(self, other):
        return _ops().matmul(other, self)

    def __pow__(self, other):
        return _ops().power(self, other)

    def __rpow__(self, other):
        return _ops().power(other, self)

    def __neg__(self):
        return _ops().negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _ops().abs(self)

    def __getitem__(self, index):
        return _ops().getitem(self, index)

    # Comparisons: boolean results, not differentiable.
    def __eq__(self, other):
        return _ops().equal(self, other)

    def __ne__(self, other):
        return _ops().not_equal(self, other)

    def __lt__(self, other):
        return _ops().less(self, other)

    def __le__(self, other):
        return _ops().less_equal(self, other)

    def __gt__(self, other):
        return _ops().greater(self, other)

    def __ge__(self, other):
        return _ops().greater_equal(self, other)


class Variable(Tensor):
    """A named, mutable tensor: the weights of a model.

    Trainable variables are watched automatically by every `GradientTape` that sees them
    used. `assign`, `assign_add` and `assign_sub` change the values in place; the shape
    never changes.

    # Arguments
        initial_value: an array or a value convertible to one.
        trainable: whether tapes watch it automatically and optimizers update it.
        name: the variable's name, such as `"dense/kernel"`.
        dtype: the dtype; `None` keeps the initial value's (Python floats give floatx).
        constraint: an optional function applied to the value after each optimizer update.

    # Example
    ```python
    v = Variable(np.zeros(3), name="bias")
    v.assign_add([1.0, 2.0, 3.0])
    ```
    """

    __slots__ = ("name", "trainable", "constraint")

    def __init__(self, initial_value, trainable=True, name=None, dtype=None, constraint=None):
        super().__init__(initial_value, dtype)
        # A variable owns its buffer: never share memory with the caller's array.
        self.value = np.array(self.value, copy=True)
        self.name = name or "Variable"
        self.trainable = bool(trainable)
        self.constraint = constraint

    def assign(self, value):
        """Sets the variable's values.

        # Arguments
            value: an array of the variable's shape (or broadcastable to it).

        # Returns
            The variable itself.

        # Raises
            ValueError: if the value's shape does not fit the variable.
        """
        array = to_array(value)
        if array.shape != self.shape:
            try:
                array = np.broadcast_to(array, self.shape)
            except ValueError:
                raise ValueError(
                    f"Cannot assign a value of shape {array.shape} to variable {self.name!r} "
                    f"of shape {self.shape}."
                ) from None
        # A fresh buffer, so that arrays saved on a tape before the update stay valid.
        self.value = array.astype(self.dtype, copy=True)
        return self

    def assign_add(self, delta):
        """Adds `delta` to the variable's values.

        # Arguments
            delta: an array broadcastable to the variable's shape.

        # Returns
            The variable itself.
        """
        return self.assign(self.value + to_array(delta))

    def assign_sub(self, delta):
        """Subtracts `delta` from the variable's values.

        # Arguments
            delta: an array broadcastable to the variable's shape.

        # Returns
            The variable itself.
        """
        return self.assign(self.value - to_array(delta))

    def __repr__(self):
        return (f"<Variable {self.name!r} shape={self.shape} dtype={self.dtype.name} "
                f"trainable={self.trainable}>")


def _ops():
    # minikeras.ops imports this module, so it is looked up lazily.
    from minikeras.autograd import ops
    return ops


def as_tensor(value, like=None):
    """Returns `value` as a `Tensor`, converting arrays and numbers.

    # Arguments
        value: a `Tensor`, an array or a Python number.
        like: an optional `Tensor`; a non-tensor `value` is converted to its float dtype,
            so that `x * 2` stays float32 when `x` is float32.

    # Returns
        A `Tensor` (the same object when `value` already is one).
    """
    if isinstance(value, Tensor):
        return value
    if like is not None and like.dtype.kind == "f" and not isinstance(value, np.ndarray):
        return Tensor(value, like.dtype)
    return Tensor(value)
