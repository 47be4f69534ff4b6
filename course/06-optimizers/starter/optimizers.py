"""Exercise 6: the update rules of SGD (momentum, Nesterov) and Adam (bias correction, AMSGrad).

minikeras's `Optimizer` base class does the bookkeeping: it creates each variable's
slots (zeros), clips gradients, counts steps and assigns the new values. You write the
rule: `_update_value` of `SGD` and of `Adam`. Update the slots *in place*
(`velocity[...] = ...`): rebinding the name (`velocity = ...`) would lose the state.
Run the public tests with `minikeras course check 06-optimizers`.
"""
import math  # noqa: F401

import numpy as np  # noqa: F401

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
        # TODO: without momentum, value - lr * grad. With it, the velocity
        # v = momentum * v - lr * grad, then value + v, or with Nesterov
        # value + momentum * v - lr * grad.
        raise NotImplementedError("TODO: write SGD._update_value")


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
        # TODO: m = beta_1 m + (1 - beta_1) g; v = beta_2 v + (1 - beta_2) g ** 2;
        # lr_t = lr * sqrt(1 - beta_2 ** step) / (1 - beta_1 ** step);
        # value - lr_t * m / (sqrt(v) + epsilon), or with AMSGrad sqrt(vhat), where vhat is
        # the running maximum of v.
        raise NotImplementedError("TODO: write Adam._update_value")
