"""Planted bugs of exercise 3: each must lose points (`minikeras course verify`)."""

BUGS = [
    {
        "name": "transposed weight gradient in matmul",
        "file": "gradients.py",
        "old": "        return grad @ b.value.T, a.value.T @ grad",
        "new": "        return grad @ b.value.T, grad.T @ a.value",
    },
    {
        "name": "sign flipped in the gradient of the denominator",
        "file": "gradients.py",
        "old": "unbroadcast(-grad * a.value / b.value ** 2, b.shape)",
        "new": "unbroadcast(grad * a.value / b.value ** 2, b.shape)",
    },
    {
        "name": "numerical gradient divided by epsilon, not 2 epsilon",
        "file": "gradients.py",
        "old": "grad[index] = (above - below) / (2 * epsilon)",
        "new": "grad[index] = (above - below) / epsilon",
    },
    {
        "name": "tanh derivative without the square",
        "file": "gradients.py",
        "old": "        return (grad * (1 - value ** 2),)",
        "new": "        return (grad * (1 - value),)",
    },
    {
        "name": "divide's gradients not unbroadcast",
        "file": "gradients.py",
        "old": "        return (unbroadcast(grad / b.value, a.shape),\n"
               "                unbroadcast(-grad * a.value / b.value ** 2, b.shape))",
        "new": "        return grad / b.value, -grad * a.value / b.value ** 2",
    },
]
