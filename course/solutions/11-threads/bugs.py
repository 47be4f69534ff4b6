"""Planted bugs of exercise 11: each must lose points (`minikeras course verify`)."""

BUGS = [
    {
        "name": "the inputs kept on the layer",
        "file": "threadsafe.py",
        "old": "        return scaled_tanh(inputs, self.scale)",
        "new": "        self.last_inputs = inputs\n"
               "        return scaled_tanh(self.last_inputs, self.scale)",
    },
    {
        "name": "backward reads the scale again instead of the forward's",
        "file": "threadsafe.py",
        "old": "        grad_x = grad * scale_value * (1 - tanh_x ** 2)",
        "new": "        grad_x = grad * scale.value * (1 - tanh_x ** 2)",
    },
    {
        "name": "the scale's gradient not summed over the batch",
        "file": "threadsafe.py",
        "old": "        grad_scale = unbroadcast(grad * tanh_x, scale_value.shape)",
        "new": "        grad_scale = grad * tanh_x",
    },
    {
        "name": "tanh derivative without the square",
        "file": "threadsafe.py",
        "old": "        grad_x = grad * scale_value * (1 - tanh_x ** 2)",
        "new": "        grad_x = grad * scale_value * (1 - tanh_x)",
    },
]
