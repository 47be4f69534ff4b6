"""The engine's speed paths give the same results as the plain ones they replace.

Dense and convolutions fuse the bias and a known activation into one op; Adam updates
arrays in place once the gradients are computed; `Mean` adds a single number without
arrays; a layer remembers which input shapes already passed its input spec.
"""
import os
import platform
import resource
import sys

import numpy as np
import pytest

from minikeras import (
    GradientTape, Input, Model, Variable, activations, backend, metrics, optimizers)
from minikeras.layers import Conv2D, Dense
from minikeras.layers.core import fused_activation_name


def relu_by_hand(x):
    """The relu activation, but not the function object `bias_add` recognizes."""
    return activations.relu(x)


@pytest.mark.parametrize("make_layer, shape", [
    (lambda activation: Dense(4, activation=activation), (5, 3)),
    (lambda activation: Conv2D(4, 3, padding="same", activation=activation), (2, 5, 5, 3)),
])
def test_fused_bias_and_activation_match_the_unfused_layer(make_layer, shape):
    x = np.random.default_rng(0).normal(size=shape).astype(np.float32)
    fused, unfused = make_layer("relu"), make_layer(relu_by_hand)
    fused(x)
    unfused(x)
    unfused.set_weights([w + 0.1 for w in fused.get_weights()])
    fused.set_weights(unfused.get_weights())
    results = []
    for layer in (fused, unfused):
        with GradientTape() as tape:
            output = layer(x)
            loss = output * output
        results.append((output.numpy(), tape.gradient(loss, layer.trainable_weights)))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    for fused_grad, unfused_grad in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(fused_grad, unfused_grad, rtol=1e-5, atol=1e-6)


def test_fused_activation_names():
    assert fused_activation_name(activations.get("relu")) == "relu"
    assert fused_activation_name(activations.get(None)) == "linear"
    assert fused_activation_name(activations.get("softmax")) is None
    assert fused_activation_name(relu_by_hand) is None


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_in_place_equals_adam_with_fresh_arrays(amsgrad):
    rng = np.random.default_rng(0)
    start = rng.normal(size=(3, 4)).astype(np.float32)
    grads = [rng.normal(size=(3, 4)).astype(np.float32) for _ in range(3)]
    in_place, fresh = Variable(start), Variable(start)
    first, second = optimizers.Adam(amsgrad=amsgrad), optimizers.Adam(amsgrad=amsgrad)
    for grad in grads:
        array_before = in_place.value
        first.apply_gradients([(grad, in_place)])
        assert in_place.value is array_before  # updated where it lies
        with GradientTape():  # a recording tape: the update must give a fresh array
            array_before = fresh.value
            second.apply_gradients([(grad, fresh)])
            assert fresh.value is not array_before
    np.testing.assert_array_equal(in_place.numpy(), fresh.numpy())
    for mine, theirs in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(mine, theirs)


def test_adam_leaves_arrays_that_a_persistent_tape_holds_unchanged():
    variable = Variable(np.ones((2, 2), np.float32))
    optimizer = optimizers.Adam()
    with GradientTape(persistent=True) as tape:
        loss = variable * variable
    saved_array = variable.value
    optimizer.apply_gradients([(tape.gradient(loss, variable), variable)])
    np.testing.assert_array_equal(saved_array, 1.0)  # the tape's copy: still the old values
    first = tape.gradient(loss, variable)
    np.testing.assert_array_equal(first, 2.0)
    del tape, loss
    array_before = variable.value
    optimizer.apply_gradients([(first, variable)])
    assert variable.value is array_before  # no tape left: updated in place


def test_mean_of_single_numbers_equals_mean_of_arrays():
    by_number, by_array = metrics.Mean(), metrics.Mean()
    for value, weight in [(0.5, 32), (1.25, 32), (2.0, 7)]:
        by_number.update_state(value, sample_weight=weight)
        by_array.update_state(np.asarray([value]), sample_weight=np.asarray([weight]))
    assert by_number.result() == pytest.approx(by_array.result(), rel=1e-12)


def test_input_spec_is_checked_again_for_new_shapes():
    inputs = Input(shape=(3,))
    model = Model(inputs, Dense(2)(inputs))
    model.predict(np.ones((4, 3), np.float32))
    model.predict(np.ones((4, 3), np.float32))
    with pytest.raises(ValueError, match="expected"):
        model.layers[1](np.ones((4, 5), np.float32))


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc"
                    or os.environ.get("MINIKERAS_KEEP_FREED_MEMORY") == "0",
                    reason="mallopt is glibc's, and the setting is turned off")
def test_freed_arrays_are_reused_without_page_faults():
    backend.keep_freed_memory()

    def allocate_twice():  # 40 MB in all, above glibc's default trim threshold of 32 MB
        first = np.ones(5 * 2**20, np.float32)
        second = np.ones(5 * 2**20, np.float32)
        return float(first[-1] + second[-1])

    allocate_twice()
    faults_before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    assert allocate_twice() == 2.0
    new_pages = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults_before
    assert new_pages < 500  # 10,240 pages of 4 KiB if the memory went back to the system
