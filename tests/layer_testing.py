"""`layer_test`: the checks every layer must pass, as Keras's `testing_utils.layer_test`.

1. A forward pass on random data; its shape equals `compute_output_shape`.
2. A call on a symbolic `Input` gives the same shape.
3. `get_config` -> `from_config` gives a layer with an equal config.
4. In float64, the gradients of a weighted sum of the output with respect to the input
   and to every trainable weight agree with central differences.
"""
import numpy as np

from minikeras import GradientTape, Tensor, backend
from minikeras.autograd import numerical_gradient
from minikeras.engine.input_layer import Input


def _random_input(shape, dtype, seed, low=-1.0, high=1.0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind in "iu":
        return rng.integers(0, 10, size=shape).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


def layer_test(layer_cls, kwargs=None, input_shape=None, input_dtype=None, input_data=None,
               expected_output_shape=None, check_gradients=True, call_kwargs=None,
               tolerance=1e-6, seed=0):
    """Runs the standard checks on a layer class and returns the forward output.

    # Arguments
        layer_cls: the layer class.
        kwargs: constructor arguments.
        input_shape: the input shape with the batch axis, such as `(2, 5)`.
        input_dtype: the input dtype (floatx by default).
        input_data: a given input array instead of random data.
        expected_output_shape: if given, the output shape must equal it (None for batch).
        check_gradients: whether to run the gradient check in float64.
        call_kwargs: extra keyword arguments for the call (such as `training`).
        tolerance: the relative error accepted by the gradient check.
        seed: seeds the random input.

    # Returns
        The output array of the forward pass (float32).
    """
    kwargs = dict(kwargs or {})
    call_kwargs = dict(call_kwargs or {})
    if input_data is None:
        input_data = _random_input(input_shape, input_dtype or backend.floatx(), seed)
    input_shape = input_data.shape
    layer = layer_cls(**kwargs)
    output = layer(input_data, **call_kwargs)
    output_array = np.asarray(output.numpy())
    symbolic_shape = (None,) + tuple(input_shape[1:])
    computed = tuple(layer.compute_output_shape(symbolic_shape))
    assert computed == (None,) + output_array.shape[1:], (
        f"{layer_cls.__name__}: compute_output_shape gave {computed}, but the forward pass "
        f"gave {output_array.shape}")
    if expected_output_shape is not None:
        assert computed == tuple(expected_output_shape), (computed, expected_output_shape)

    clone = layer_cls.from_config(layer.get_config())
    symbolic = clone(Input(batch_shape=symbolic_shape, dtype=str(input_data.dtype)),
                     **call_kwargs)
    assert symbolic.shape == computed
    config = dict(layer.get_config(), name=None)
    assert dict(clone.get_config(), name=None) == config

    if check_gradients:
        check_layer_gradients(layer_cls, kwargs, input_data, call_kwargs, tolerance, seed)
    return output_array


def check_layer_gradients(layer_cls, kwargs, input_data, call_kwargs=None, tolerance=1e-6,
                          seed=0):
    """Checks a layer's input and weight gradients against central differences in float64.

    # Arguments
        layer_cls: the layer class.
        kwargs: constructor arguments.
        input_data: the input array.
        call_kwargs: extra keyword arguments for the call.
        tolerance: the largest relative error accepted.
        seed: seeds the output weighting.
    """
    call_kwargs = dict(call_kwargs or {})
    previous = backend.floatx()
    backend.set_floatx("float64")
    try:
        layer = layer_cls(**kwargs)
        is_float = input_data.dtype.kind == "f"
        x = Tensor(input_data.astype(np.float64) if is_float else input_data)
        layer(x, **call_kwargs)  # builds the weights in float64
        variables = layer.trainable_weights
        output = layer(x, **call_kwargs)
        weights = np.random.default_rng(seed).uniform(0.5, 1.5, size=output.shape)
        with GradientTape() as tape:
            if is_float:
                tape.watch(x)
            output = layer(x, **call_kwargs)
        sources = ([x] if is_float else []) + list(variables)
        analytic = tape.gradient(output, sources, output_gradients=weights,
                                 unconnected_gradients="zero")
        originals = [np.array(v.numpy()) for v in variables]

        def forward(*tensors):
            offset = 1 if is_float else 0
            for variable, tensor in zip(variables, tensors[offset:]):
                variable.value = np.asarray(tensor.numpy(), dtype=np.float64)
            return layer(tensors[0] if is_float else x, **call_kwargs)

        arrays = ([x.numpy()] if is_float else []) + originals
        for index, (source, grad) in enumerate(zip(sources, analytic)):
            numeric = numerical_gradient(forward, arrays, index, weights)
            scale = max(np.max(np.abs(numeric), initial=0), np.max(np.abs(grad), initial=0), 1e-12)
            error = np.max(np.abs(numeric - grad), initial=0) / scale
            name = "input" if (is_float and index == 0) else source.name
            assert error < tolerance, (
                f"{layer_cls.__name__}: gradient of {name} is wrong (relative error {error:.3g});"
                f" received {grad.ravel()[:5]} but expected {numeric.ravel()[:5]} from central "
                "differences")
        for variable, original in zip(variables, originals):
            variable.value = original
    finally:
        backend.set_floatx(previous)
