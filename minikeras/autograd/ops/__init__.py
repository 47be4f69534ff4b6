"""Differentiable operations: each defined once, its forward and its backward side by side.

`minikeras.ops` is this module. Every function takes tensors (or arrays, or numbers),
returns a `Tensor`, and is recorded by any `GradientTape` watching its inputs.

Files, in the order they are best read: `math` (elementwise arithmetic and matmul),
`reduce` (sum, mean, max ...), `shape` (reshape, slicing, concatenation ...), `nn`
(activations, softmax) and `conv` (convolution and pooling, calling the kernels).
"""
from minikeras.autograd.ops.conv import (
    avg_pool1d, avg_pool2d, conv1d, conv2d, conv2d_transpose, depthwise_conv2d,
    global_avg_pool1d, global_avg_pool2d, global_max_pool1d, global_max_pool2d, max_pool1d,
    max_pool2d,
)
from minikeras.autograd.ops.math import (
    abs, add, as_float, cast, clip, divide, dot, equal, exp, greater, greater_equal, less,
    less_equal, log, matmul, maximum, minimum, multiply, negative, not_equal, power, sign, sqrt,
    square, subtract, tensordot, where,
)
from minikeras.autograd.ops.nn import (
    bias_add, elu, gelu, hard_sigmoid, l2_normalize, leaky_relu, log_softmax, logsumexp, relu,
    selu, sigmoid, sigmoid_cross_entropy_with_logits, softmax, softplus, softsign, swish, tanh,
)
from minikeras.autograd.ops.reduce import argmax, argmin, max, mean, min, prod, std, sum, var
from minikeras.autograd.ops.shape import (
    broadcast_to, concatenate, expand_dims, flatten, getitem, one_hot, ones_like, pad, repeat,
    reshape, split, squeeze, stack, tile, transpose, zeros_like,
)
from minikeras.autograd.tape import stop_gradient
from minikeras.autograd.tensor import as_tensor

__all__ = [
    "abs", "add", "as_float", "cast", "clip", "divide", "dot", "equal", "exp", "greater",
    "greater_equal", "less", "less_equal", "log", "matmul", "maximum", "minimum", "multiply",
    "negative", "not_equal", "power", "sign", "sqrt", "square", "subtract", "tensordot", "where",
    "bias_add", "elu", "gelu", "hard_sigmoid", "l2_normalize", "leaky_relu", "log_softmax",
    "logsumexp", "relu", "selu", "sigmoid", "sigmoid_cross_entropy_with_logits", "softmax",
    "softplus", "softsign", "swish", "tanh",
    "argmax", "argmin", "max", "mean", "min", "prod", "std", "sum", "var",
    "broadcast_to", "concatenate", "expand_dims", "flatten", "getitem", "one_hot", "ones_like",
    "pad", "repeat", "reshape", "split", "squeeze", "stack", "tile", "transpose", "zeros_like",
    "stop_gradient", "as_tensor",
    "avg_pool1d", "avg_pool2d", "conv1d", "conv2d", "conv2d_transpose", "depthwise_conv2d",
    "global_avg_pool1d", "global_avg_pool2d", "global_max_pool1d", "global_max_pool2d",
    "max_pool1d", "max_pool2d",
]
