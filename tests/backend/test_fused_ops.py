"""`ops.bias_add`, the bias and activation in one op: gradients, and agreement with the
unfused ops (`activation(x + bias)`) it stands for."""
import numpy as np
import pytest

from minikeras import GradientTape, Tensor, Variable, ops
from minikeras.autograd import check_gradients

pytestmark = pytest.mark.backend

ACTIVATIONS = {"linear": lambda z: z, "relu": ops.relu, "sigmoid": ops.sigmoid,
               "tanh": ops.tanh}


def away_from_zero(shape, seed=0):
    """Values at least 0.2 from zero (relu's kink stays far from the central differences)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.2, 2.0, shape) * rng.choice([-1, 1], shape)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("shape", [(5, 3), (2, 4, 4, 3)])
def test_bias_add_gradient_agrees_with_central_differences(activation, shape):
    x = away_from_zero(shape)
    bias = np.zeros(shape[-1])  # relu's inputs stay away from zero
    function = lambda x, bias: ops.bias_add(x, bias, activation)  # noqa: E731
    check_gradients(function, [x, bias], tolerance=1e-6)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_bias_add_matches_the_unfused_ops_in_float32(activation):
    rng = np.random.default_rng(1)
    x = Variable(rng.normal(size=(4, 6, 6, 3)).astype(np.float32))
    bias = Variable(rng.normal(size=(3,)).astype(np.float32))
    weights = rng.normal(size=(4, 6, 6, 3)).astype(np.float32)
    with GradientTape(persistent=True) as tape:
        fused = ops.bias_add(x, bias, activation)
        unfused = ACTIVATIONS[activation](x + bias)
        fused_loss = ops.sum(fused * weights)
        unfused_loss = ops.sum(unfused * weights)
    assert fused.dtype == np.float32
    np.testing.assert_array_equal(fused.numpy(), unfused.numpy())
    for fused_grad, unfused_grad in zip(tape.gradient(fused_loss, [x, bias]),
                                        tape.gradient(unfused_loss, [x, bias])):
        assert fused_grad.dtype == np.float32
        np.testing.assert_allclose(fused_grad, unfused_grad, rtol=1e-5, atol=1e-5)


def test_bias_add_leaves_its_input_unchanged():
    x = Tensor(np.array([[-1.0, 2.0]], np.float32))
    ops.bias_add(x, np.zeros(2, np.float32), "relu")
    np.testing.assert_array_equal(x.numpy(), [[-1.0, 2.0]])


def test_bias_add_errors_name_what_was_expected():
    with pytest.raises(ValueError, match="must be one of"):
        ops.bias_add(np.ones((2, 3)), np.ones(3), "softmax")
    with pytest.raises(ValueError, match=r"must have shape \(3,\)"):
        ops.bias_add(np.ones((2, 3)), np.ones(4), "relu")
