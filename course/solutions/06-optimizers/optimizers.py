"""Exercise 6, reference solution: the update rules of SGD (momentum, Nesterov) and Adam."""
import math

import numpy as np

from minikeras.optimizers import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and Nesterov momentum.

    # Arguments
        lr: the learning rate.
        momentum: the momentum, a float >= 0.
        nesterov: whether to use Nesterov momentum.
        **kwargs: `clipnorm`, `clipvalue`, `decay`.
    """

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(lr=lr, **kwargs)
        self.momentum = momentum
        self.nesterov = nesterov
        self.slot_names = ("moment",) if momentum > 0 else ()

    def _update_value(self, value, grad, slots, lr, step):
        """Returns the new value of one variable, updating its velocity in place.

        # Arguments
            value: the variable's value.
            grad: its gradient.
            slots: `{"moment": velocity}` when momentum is on (update it in place).
            lr: the learning rate.
            step: the step's number, from 1.

        # Returns
            The new value.
        """
        if not self.slot_names:
            return value - lr * grad
        velocity = slots["moment"]
        velocity[...] = self.momentum * velocity - lr * grad
        if self.nesterov:
            return value + self.momentum * velocity - lr * grad
        return value + velocity


class Adam(Optimizer):
    """Adam, with Keras 2's bias correction, and optionally AMSGrad.

    # Arguments
        lr: the learning rate.
        beta_1: the decay of the first moment.
        beta_2: the decay of the second moment.
        epsilon: the fuzz factor.
        amsgrad: whether to divide by the running maximum of the second moment.
        **kwargs: `clipnorm`, `clipvalue`, `decay`.
    """

    def __init__(self, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
                 **kwargs):
        super().__init__(lr=lr, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
        self.slot_names = ("m", "v", "vhat") if amsgrad else ("m", "v")

    def _update_value(self, value, grad, slots, lr, step):
        """Returns the new value of one variable, updating its moments in place.

        # Arguments
            value: the variable's value.
            grad: its gradient.
            slots: `{"m": ..., "v": ...}` (and `"vhat"` with AMSGrad), to update in place.
            lr: the learning rate.
            step: the step's number, from 1.

        # Returns
            The new value.
        """
        m, v = slots["m"], slots["v"]
        m[...] = self.beta_1 * m + (1.0 - self.beta_1) * grad
        v[...] = self.beta_2 * v + (1.0 - self.beta_2) * np.square(grad)
        # Both moments start at 0 and are biased towards it in the first steps.
        lr_t = lr * math.sqrt(1.0 - self.beta_2 ** step) / (1.0 - self.beta_1 ** step)
        if self.amsgrad:
            vhat = slots["vhat"]
            vhat[...] = np.maximum(vhat, v)
            return value - lr_t * m / (np.sqrt(vhat) + self.epsilon)
        return value - lr_t * m / (np.sqrt(v) + self.epsilon)
