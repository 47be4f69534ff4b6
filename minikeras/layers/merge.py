"""Merge layers: combine a list of tensors into one.

They are Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate and Dot, with
their lowercase functional forms (`add([x, y])`, ...).

The elementwise layers share `_Merge`, which checks the list of inputs and broadcasts
their shapes as Keras 2 does: lengths of 1 stretch, and an input with fewer axes gets
new axes of length 1 after the batch axis.
"""
import numbers

from minikeras.autograd import ops
from minikeras.engine.base_layer import Layer


def _is_shape_list(input_shape):
    return isinstance(input_shape, list) and all(
        shape is None or isinstance(shape, (list, tuple)) for shape in input_shape)


class _Merge(Layer):
    """The base of the elementwise merge layers.

    Subclasses implement `_merge_function(inputs)` on a list of tensors of equal rank.

    # Arguments
        **kwargs: the base `Layer` arguments (`name`, ...).
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _merge_function(self, inputs):
        raise NotImplementedError(f"{type(self).__name__} does not implement _merge_function.")

    def _compute_elemwise_op_output_shape(self, shape1, shape2):
        """The shape of an elementwise op on two sample shapes (without the batch axis)."""
        if shape1 is None or shape2 is None:
            return None
        if len(shape1) < len(shape2):
            return self._compute_elemwise_op_output_shape(shape2, shape1)
        if not shape2:
            return tuple(shape1)
        output_shape = list(shape1[:len(shape1) - len(shape2)])
        for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
            if i is None or j is None:
                output_shape.append(None)
            elif i == 1 or j == 1:
                output_shape.append(j if i == 1 else i)
            elif i != j:
                raise ValueError(
                    f'Layer "{self.name}" ({type(self).__name__}): operands could not be '
                    f"broadcast together with shapes {tuple(shape1)} {tuple(shape2)}."
                )
            else:
                output_shape.append(i)
        return tuple(output_shape)

    def _check_inputs(self, input_shape):
        """Checks that the layer has a list of at least 2 inputs with the same batch size."""
        if not _is_shape_list(input_shape):
            raise ValueError("A merge layer should be called on a list of inputs. "
                             f'Layer "{self.name}" received one input of shape '
                             f"{tuple(input_shape)}.")
        if len(input_shape) < 2:
            raise ValueError("A merge layer should be called on a list of at least 2 inputs. "
                             f"Got {len(input_shape)} inputs.")
        batch_sizes = {shape[0] for shape in input_shape if shape} - {None}
        if len(batch_sizes) > 1:
            raise ValueError("Can not merge tensors with different batch sizes. Got tensors "
                             f"with shapes: {[tuple(s) for s in input_shape]}")
        return batch_sizes

    def build(self, input_shape):
        """Checks the input shapes (the layer has no weights).

        # Arguments
            input_shape: a list of shapes, one per input.

        # Raises
            ValueError: if the inputs are not a list of at least 2, have different batch
                sizes, or do not broadcast together.
        """
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        """Merges the inputs, first giving them equal ranks.

        # Arguments
            inputs: a list of tensors.

        # Returns
            The merged tensor.

        # Raises
            ValueError: if `inputs` is not a list.
        """
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("A merge layer should be called on a list of inputs.")
        max_ndim = max(x.ndim for x in inputs)
        reshaped = []
        for x in inputs:
            # (batch, 3) with (batch, 4, 3): the first becomes (batch, 1, 3).
            for _ in range(max_ndim - x.ndim):
                x = ops.expand_dims(x, 1)
            reshaped.append(x)
        return self._merge_function(reshaped)

    def compute_output_shape(self, input_shape):
        """Returns the broadcast shape of the inputs.

        # Arguments
            input_shape: a list of shapes, one per input.

        # Returns
            The output's shape.

        # Raises
            ValueError: if the shapes cannot be merged.
        """
        batch_sizes = self._check_inputs(input_shape)
        output_shape = None if input_shape[0] is None else tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            output_shape = self._compute_elemwise_op_output_shape(
                output_shape, None if shape is None else tuple(shape[1:]))
        batch_size = batch_sizes.pop() if len(batch_sizes) == 1 else None
        return (batch_size,) + tuple(output_shape)


class Add(_Merge):
    """Adds a list of inputs elementwise.

    It takes a list of tensors of the same shape (or shapes that broadcast) and returns
    one tensor of that shape.

    # Arguments
        **kwargs: the base `Layer` arguments (`name`, ...).

    # Input shape
        A list of at least 2 tensors of the same shape.

    # Output shape
        That shape.

    # Example
    ```python
    input1 = Input(shape=(16,))
    x1 = Dense(8, activation="relu")(input1)
    input2 = Input(shape=(32,))
    x2 = Dense(8, activation="relu")(input2)
    added = Add()([x1, x2])  # equivalent to added = add([x1, x2])
    out = Dense(4)(added)
    model = Model(inputs=[input1, input2], outputs=out)
    ```
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = output + x
        return output


class Subtract(_Merge):
    """Subtracts two inputs: `inputs[0] - inputs[1]`.

    # Arguments
        **kwargs: the base `Layer` arguments (`name`, ...).

    # Input shape
        A list of exactly 2 tensors of the same shape.

    # Output shape
        That shape.

    # Example
    ```python
    subtracted = Subtract()([x1, x2])  # equivalent to subtract([x1, x2])
    ```
    """

    def compute_output_shape(self, input_shape):
        """Returns the broadcast shape of the two inputs.

        # Arguments
            input_shape: a list of two shapes.

        # Returns
            The output's shape.

        # Raises
            ValueError: if there are not exactly 2 inputs, or their shapes do not merge.
        """
        output_shape = super().compute_output_shape(input_shape)
        if len(input_shape) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs; "
                             f"received {len(input_shape)}.")
        return output_shape

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs; "
                             f"received {len(inputs)}.")
        return inputs[0] - inputs[1]


class Multiply(_Merge):
    """Multiplies a list of inputs elementwise.

    # Arguments
        **kwargs: the base `Layer` arguments (`name`, ...).

    # Input shape
        A list of at least 2 tensors of the same shape.

    # Output shape
        That shape.
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = output * x
        return output


class Average(_Merge):
    """Averages a list of inputs elementwise.

    # Arguments
        **kwargs: the base `Layer` arguments (`name`, ...).

    # Input shape
        A list of at least 2 tensors of the same shape.

    # Output shape
        That shape.
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = output + x
        return output / len(inputs)


class Maximum(_Merge):
    """Takes the elementwise maximum of a list of inputs.

    # Arguments
        **kwargs: the base `Layer` arguments (`name`, ...).

    # Input shape
        A list of at least 2 tensors of the same shape.

    # Output shape
        That shape.
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.maximum(output, x)
        return output


class Minimum(_Merge):
    """Takes the elementwise minimum of a list of inputs.

    # Arguments
        **kwargs: the base `Layer` arguments (`name`, ...).

    # Input shape
        A list of at least 2 tensors of the same shape.

    # Output shape
        That shape.
    """

    def _merge_function(self, inputs):
        output = inputs[0]
        for x in inputs[1:]:
            output = ops.minimum(output, x)
        return output


class Concatenate(_Merge):
    """Concatenates a list of inputs along an axis.

    # Arguments
        axis: the axis to join along, an int (the last one by default).
        **kwargs: the base `Layer` arguments (`name`, ...).

    # Input shape
        A list of at least 2 tensors with the same shape except along `axis`.

    # Output shape
        That shape, with the lengths along `axis` added up.

    # Example
    ```python
    merged = Concatenate(axis=-1)([x1, x2])  # (None, 8) and (None, 4) give (None, 12)
    ```
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise ValueError(f"Concatenate: `axis` must be an int; received {axis!r}.")
        self.axis = int(axis)

    def _check_inputs(self, input_shape):
        if not _is_shape_list(input_shape) or len(input_shape) < 2:
            raise ValueError("A `Concatenate` layer should be called on a list of at least 2 "
                             f'inputs. Layer "{self.name}" received: {input_shape!r}.')
        ndim = len(input_shape[0])
        if any(len(shape) != ndim for shape in input_shape) or not -ndim <= self.axis < ndim:
            raise ValueError(
                f'Layer "{self.name}" (Concatenate): the inputs must have the same rank, with '
                f"an axis {self.axis}. Got inputs shapes: {[tuple(s) for s in input_shape]}"
            )
        axis = self.axis % ndim
        for position in range(ndim):
            lengths = {shape[position] for shape in input_shape} - {None}
            if position != axis and len(lengths) > 1:
                raise ValueError(
                    "A `Concatenate` layer requires inputs with matching shapes except for the "
                    f"concat axis. Got inputs shapes: {[tuple(s) for s in input_shape]}"
                )

    def call(self, inputs):
        """Concatenates the inputs.

        # Arguments
            inputs: a list of tensors.

        # Returns
            The concatenated tensor.

        # Raises
            ValueError: if `inputs` is not a list.
        """
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("A `Concatenate` layer should be called on a list of inputs.")
        return ops.concatenate(list(inputs), axis=self.axis)

    def compute_output_shape(self, input_shape):
        """Returns the shape of the first input with the lengths along `axis` added up.

        # Arguments
            input_shape: a list of shapes.

        # Returns
            The output's shape.

        # Raises
            ValueError: if the shapes do not match except along `axis`.
        """
        self._check_inputs(input_shape)
        output_shape = list(input_shape[0])
        for position in range(len(output_shape)):
            if output_shape[position] is None:
                output_shape[position] = next(
                    (s[position] for s in input_shape if s[position] is not None), None)
        lengths = [shape[self.axis] for shape in input_shape]
        output_shape[self.axis] = None if None in lengths else sum(lengths)
        return tuple(output_shape)

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "axis": self.axis}


class Dot(_Merge):
    """Computes the dot product of the samples of two tensors.

    For inputs `x1` of shape `(batch, n)` and `x2` of shape `(batch, n)`, the output has
    shape `(batch, 1)`, each entry the dot product of `x1[i]` and `x2[i]`. In general,
    axis `axes[0]` of `x1` is contracted with axis `axes[1]` of `x2` for each sample, as
    Keras's `batch_dot`; the output's axes are those left of `x1`, then those left of
    `x2` (without its batch axis).

    # Arguments
        axes: an int, or a pair of ints: the axis (or axes) to take the dot product
            along. Axis 0, the batch axis, cannot be one.
        normalize: whether to L2-normalize the samples along the dot-product axes first;
            the output is then the cosine proximity of the two inputs.
        **kwargs: the base `Layer` arguments (`name`, ...).

    # Input shape
        A list of 2 tensors, such as `(batch, n)` and `(batch, n)`.

    # Output shape
        `(batch, 1)` for two 2-D inputs; in general the remaining axes of the inputs.
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axes, (list, tuple)):
            if len(axes) != 2 or not all(isinstance(a, numbers.Integral)
                                         and not isinstance(a, bool) for a in axes):
                raise ValueError("Dot: invalid format for `axes`: a list should contain two "
                                 f"ints; received {axes!r}.")
            axes = [int(a) for a in axes]
        elif isinstance(axes, bool) or not isinstance(axes, numbers.Integral):
            raise ValueError("Dot: `axes` must be an int or a list of two ints; "
                             f"received {axes!r}.")
        else:
            axes = int(axes)
        if not isinstance(normalize, bool):
            raise ValueError(f"Dot: `normalize` must be True or False; received {normalize!r}.")
        self.axes = axes
        self.normalize = normalize

    def _resolve_axes(self, shape1, shape2):
        """The two contracted axes as non-negative ints, for inputs of these shapes."""
        axes = [self.axes] * 2 if isinstance(self.axes, int) else list(self.axes)
        axes = [axis % len(shape) if axis < 0 else axis
                for axis, shape in zip(axes, (shape1, shape2))]
        for axis, shape in zip(axes, (shape1, shape2)):
            if axis == 0 or axis >= len(shape):
                raise ValueError(
                    f'Layer "{self.name}" (Dot): cannot take the dot product along axis {axis} '
                    f"of an input of shape {tuple(shape)}; the axes must be in 1..{len(shape) - 1}"
                    " (axis 0 is the batch axis)."
                )
        return axes

    def compute_output_shape(self, input_shape):
        """Returns the remaining axes of the first input, then of the second.

        # Arguments
            input_shape: a list of two shapes.

        # Returns
            The output's shape.

        # Raises
            ValueError: if there are not 2 inputs or the contracted lengths differ.
        """
        if not _is_shape_list(input_shape) or len(input_shape) != 2:
            raise ValueError("A `Dot` layer should be called on a list of 2 inputs. "
                             f'Layer "{self.name}" received: {input_shape!r}.')
        self._check_inputs(input_shape)
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        axes = self._resolve_axes(shape1, shape2)
        if None not in (shape1[axes[0]], shape2[axes[1]]) and shape1[axes[0]] != shape2[axes[1]]:
            raise ValueError(f"Dimension incompatibility {shape1[axes[0]]} != "
                             f"{shape2[axes[1]]}. Layer shapes: {tuple(shape1)}, {tuple(shape2)}")
        batch_size = shape1[0] if shape1[0] is not None else shape2[0]
        shape1.pop(axes[0])
        shape2.pop(axes[1])
        output_shape = [batch_size] + shape1[1:] + shape2[1:]
        if len(output_shape) == 1:
            output_shape.append(1)
        return tuple(output_shape)

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"A `Dot` layer should be called on exactly 2 inputs; received "
                             f"{len(inputs)}.")
        x1, x2 = inputs
        axes = self._resolve_axes(x1.shape, x2.shape)
        if self.normalize:
            x1 = _l2_normalize(x1, axes[0])
            x2 = _l2_normalize(x2, axes[1])
        return _batch_dot(x1, x2, axes)

    def call(self, inputs):
        """Takes the dot product of the two inputs, sample by sample.

        # Arguments
            inputs: a list of two tensors.

        # Returns
            A tensor.

        # Raises
            ValueError: if `inputs` is not a list of two tensors.
        """
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("A `Dot` layer should be called on a list of 2 inputs.")
        return self._merge_function(list(inputs))

    def get_config(self):
        """Returns the arguments of the layer.

        # Returns
            A dict.
        """
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def _l2_normalize(x, axis):
    """`x / sqrt(max(sum(x ** 2), 1e-12))` along an axis, as TensorFlow's `l2_normalize`."""
    squared_norm = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return x / ops.sqrt(ops.maximum(squared_norm, 1e-12))


def _batch_dot(x1, x2, axes):
    """Contracts axis `axes[0]` of `x1` with axis `axes[1]` of `x2`, sample by sample.

    Both become batched matrices, `(batch, free1, n)` and `(batch, n, free2)`, whose
    matmul is reshaped to `(batch, *free axes of x1, *free axes of x2)`.
    """
    free1 = [axis for axis in range(1, x1.ndim) if axis != axes[0]]
    free2 = [axis for axis in range(1, x2.ndim) if axis != axes[1]]
    batch, length = x1.shape[0], x1.shape[axes[0]]
    matrix1 = ops.reshape(ops.transpose(x1, [0] + free1 + [axes[0]]), (batch, -1, length))
    matrix2 = ops.reshape(ops.transpose(x2, [0, axes[1]] + free2), (batch, length, -1))
    output_shape = ((batch,) + tuple(x1.shape[a] for a in free1)
                    + tuple(x2.shape[a] for a in free2))
    if len(output_shape) == 1:
        output_shape += (1,)
    return ops.reshape(ops.matmul(matrix1, matrix2), output_shape)


def add(inputs, **kwargs):
    """Functional interface to the `Add` layer.

    # Arguments
        inputs: a list of tensors (at least 2) of the same shape.
        **kwargs: standard layer arguments, such as `name`.

    # Returns
        A tensor, the sum of the inputs.

    # Example
    ```python
    added = add([x1, x2])
    ```
    """
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """Functional interface to the `Subtract` layer.

    # Arguments
        inputs: a list of exactly 2 tensors of the same shape.
        **kwargs: standard layer arguments, such as `name`.

    # Returns
        A tensor, `inputs[0] - inputs[1]`.
    """
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """Functional interface to the `Multiply` layer.

    # Arguments
        inputs: a list of tensors (at least 2) of the same shape.
        **kwargs: standard layer arguments, such as `name`.

    # Returns
        A tensor, the elementwise product of the inputs.
    """
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """Functional interface to the `Average` layer.

    # Arguments
        inputs: a list of tensors (at least 2) of the same shape.
        **kwargs: standard layer arguments, such as `name`.

    # Returns
        A tensor, the elementwise average of the inputs.
    """
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """Functional interface to the `Maximum` layer.

    # Arguments
        inputs: a list of tensors (at least 2) of the same shape.
        **kwargs: standard layer arguments, such as `name`.

    # Returns
        A tensor, the elementwise maximum of the inputs.
    """
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """Functional interface to the `Minimum` layer.

    # Arguments
        inputs: a list of tensors (at least 2) of the same shape.
        **kwargs: standard layer arguments, such as `name`.

    # Returns
        A tensor, the elementwise minimum of the inputs.
    """
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """Functional interface to the `Concatenate` layer.

    # Arguments
        inputs: a list of tensors (at least 2) with the same shape except along `axis`.
        axis: the concatenation axis.
        **kwargs: standard layer arguments, such as `name`.

    # Returns
        A tensor, the concatenation of the inputs along `axis`.
    """
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes, normalize=False, **kwargs):
    """Functional interface to the `Dot` layer.

    # Arguments
        inputs: a list of 2 tensors.
        axes: an int or a pair of ints, the axes to take the dot product along.
        normalize: whether to L2-normalize the samples along the dot-product axes first
            (giving the cosine proximity).
        **kwargs: standard layer arguments, such as `name`.

    # Returns
        A tensor, the dot product of the samples of the inputs.
    """
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
