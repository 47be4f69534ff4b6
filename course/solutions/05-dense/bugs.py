"""Planted bugs of exercise 5: each must lose points (`minikeras course verify`)."""

BUGS = [
    {
        "name": "transposed kernel gradient",
        "file": "dense.py",
        "old": "    grad_kernel = x.T @ grad_output",
        "new": "    grad_kernel = grad_output.T @ x",
    },
    {
        "name": "bias gradient averaged over the batch",
        "file": "dense.py",
        "old": "    grad_bias = grad_output.sum(axis=0)",
        "new": "    grad_bias = grad_output.mean(axis=0)",
    },
    {
        "name": "Glorot limit from fan_in only",
        "file": "dense.py",
        "old": "    limit = math.sqrt(6.0 / (fan_in + fan_out))",
        "new": "    limit = math.sqrt(6.0 / fan_in)",
    },
    {
        "name": "fans without the receptive field",
        "file": "dense.py",
        "old": "    return shape[-2] * receptive_field, shape[-1] * receptive_field",
        "new": "    return shape[-2], shape[-1]",
    },
    {
        "name": "bias added before the activation is forgotten",
        "file": "dense.py",
        "old": "        if self.use_bias:\n            outputs = outputs + self.bias\n"
               "        return self.activation(outputs)",
        "new": "        return self.activation(outputs)",
    },
]
