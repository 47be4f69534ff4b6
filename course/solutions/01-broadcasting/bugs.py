"""Planted bugs of exercise 1: each must lose points (`minikeras course verify`)."""

BUGS = [
    {
        "name": "one leading axis only",
        "file": "broadcasting.py",
        "old": "    while grad.ndim > len(shape):",
        "new": "    if grad.ndim > len(shape):",
    },
    {
        "name": "stretched axes summed without keepdims",
        "file": "broadcasting.py",
        "old": "grad = grad.sum(axis=axis, keepdims=True)",
        "new": "grad = grad.sum(axis=axis)",
    },
    {
        "name": "mean instead of sum over stretched axes",
        "file": "broadcasting.py",
        "old": "grad = grad.sum(axis=axis, keepdims=True)",
        "new": "grad = grad.mean(axis=axis, keepdims=True)",
    },
    {
        "name": "no unbroadcast in multiply_backward",
        "file": "broadcasting.py",
        "old": "return unbroadcast(grad * b, a.shape), unbroadcast(grad * a, b.shape)",
        "new": "return grad * b, grad * a",
    },
    {
        "name": "shapes aligned on the left",
        "file": "broadcasting.py",
        "old": "    padded_a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)\n"
               "    padded_b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)",
        "new": "    padded_a = tuple(shape_a) + (1,) * (ndim - len(shape_a))\n"
               "    padded_b = tuple(shape_b) + (1,) * (ndim - len(shape_b))",
    },
]
