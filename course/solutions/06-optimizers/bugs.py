"""Planted bugs of exercise 6: each must lose points (`minikeras course verify`)."""

BUGS = [
    {
        "name": "Nesterov ignored",
        "file": "optimizers.py",
        "old": "        if self.nesterov:\n"
               "            return value + self.momentum * velocity - lr * grad\n",
        "new": "",
    },
    {
        "name": "bias correction without the square root",
        "file": "optimizers.py",
        "old": "lr_t = lr * math.sqrt(1.0 - self.beta_2 ** step) / (1.0 - self.beta_1 ** step)",
        "new": "lr_t = lr * (1.0 - self.beta_2 ** step) / (1.0 - self.beta_1 ** step)",
    },
    {
        "name": "AMSGrad divides by v instead of its maximum",
        "file": "optimizers.py",
        "old": "            return value - lr_t * m / (np.sqrt(vhat) + self.epsilon)",
        "new": "            return value - lr_t * m / (np.sqrt(v) + self.epsilon)",
    },
    {
        "name": "velocity rebound instead of updated in place",
        "file": "optimizers.py",
        "old": "        velocity[...] = self.momentum * velocity - lr * grad",
        "new": "        velocity = self.momentum * velocity - lr * grad",
    },
    {
        "name": "momentum added with the wrong sign",
        "file": "optimizers.py",
        "old": "        velocity[...] = self.momentum * velocity - lr * grad",
        "new": "        velocity[...] = -self.momentum * velocity - lr * grad",
    },
]
