"""Optimizers: the update rules of Keras 2, applied to `Variable`s with NumPy.

The training loop computes gradients with a `GradientTape`, then calls
`optimizer.apply_gradients(zip(grads, variables))`. Each step:

1. skips variables whose gradient is `None`, clips the others (`clipnorm`, `clipvalue`);
2. creates the variable's slots (moments, accumulators) the first time it is seen;
3. computes the new value with the optimizer's rule, applies the variable's
   `constraint`, and assigns it;
4. adds one to `iterations`.

The state (`iterations`, then the slots) is listed by `weights` in Keras 2's order and
saved and restored with `get_weights` / `set_weights`, so training can resume.
"""
import math

import numpy as np

from minikeras import autograd, backend
from minikeras.autograd import GradientTape, Variable
from minikeras.utils.generic_utils import deserialize_keras_object, serialize_keras_object

# Keys that Keras 3 writes in optimizer configs for features minikeras does not have:
# accepted while the feature is off (None or False), refused otherwise.
_KERAS3_FEATURE_KEYS = ("weight_decay", "global_clipnorm", "use_ema", "ema_overwrite_frequency",
                        "loss_scale_factor", "gradient_accumulation_steps")
# Keys that Keras 3 and tf.keras write and that mean nothing without those features.
_IGNORED_CONFIG_KEYS = ("name", "ema_momentum", "jit_compile", "is_legacy_optimizer")


class Optimizer:
    """Base class of the optimizers.

    Subclasses set `slot_names` (the per-variable state, in Keras 2's order) and
    implement `_update_value`, the update rule for one variable.

    # Arguments
        **kwargs: `lr` (or `learning_rate`), `decay` (the learning rate at step `t` is
            `lr / (1 + decay * t)`), `clipnorm` (each gradient is rescaled so that its
            L2 norm is at most this) and `clipvalue` (each gradient is clipped
            elementwise to `[-clipvalue, clipvalue]`).

    # Raises
        TypeError: for any other keyword argument.
    """

    slot_names = ()
    # Config keys of other Keras versions for features this optimizer lacks (see from_config).
    unsupported_config_keys = _KERAS3_FEATURE_KEYS

    def __init__(self, **kwargs):
        learning_rate = kwargs.pop("learning_rate", None)
        lr = kwargs.pop("lr", 0.01)
        self.lr = lr if learning_rate is None else learning_rate
        self.decay = float(kwargs.pop("decay", 0.0))
        self.clipnorm = kwargs.pop("clipnorm", None)
        self.clipvalue = kwargs.pop("clipvalue", None)
        if kwargs:
            raise TypeError(
                f"Unexpected keyword argument passed to optimizer {type(self).__name__}: "
                f"{', '.join(map(repr, kwargs))}. Allowed: lr (or learning_rate), decay, "
                "clipnorm, clipvalue and the optimizer's own arguments."
            )
        self.iterations = Variable(0, dtype="int64", trainable=False,
                                   name=f"{type(self).__name__}/iterations")
        self._extra_weights = []  # state shared by all variables (Nadam's m_schedule)
        self._variables = []  # the variables seen so far, in the order first seen
        self._slots = {}  # id(variable) -> {slot name: slot Variable}

    @property
    def lr(self):
        """The learning rate, a float (assign a number to change it)."""
        return self._learning_rate

    @lr.setter
    def lr(self, value):
        self._learning_rate = float(value)

    @property
    def learning_rate(self):
        """The learning rate, a float: the Keras 3 name of `lr`."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate = float(value)

    @property
    def weights(self):
        """The optimizer's state variables, in Keras 2's order.

        `iterations` first, then any state shared by all variables (Nadam's
        `m_schedule`), then the slots: all the slots of the first kind (such as Adam's
        `m`) for each variable in the order first seen, then all of the second kind, ...
        """
        slots = [self._slots[id(variable)][name]
                 for name in self.slot_names for variable in self._variables]
        return [self.iterations, *self._extra_weights, *slots]

    def variables(self):
        """Returns the optimizer's state variables (`weights`), as TensorFlow 2's method.

        # Returns
            A list of `Variable`s.
        """
        return self.weights

    def get_weights(self):
        """Returns a copy of the optimizer's state.

        # Returns
            A list of NumPy arrays, in the order of `weights`.
        """
        return [np.array(weight.value, copy=True) for weight in self.weights]

    def set_weights(self, weights):
        """Restores the optimizer's state from arrays, as `get_weights` returns them.

        The slots must exist: the optimizer must have taken a step on the variables, or
        have been given them with `build`.

        # Arguments
            weights: a list of arrays, in the order of `weights`.

        # Raises
            ValueError: if the number of arrays or their shapes do not match.
        """
        state = self.weights
        if len(weights) != len(state):
            raise ValueError(
                f"{type(self).__name__}.set_weights received {len(weights)} arrays, but the "
                f"optimizer has {len(state)} state variables: iterations"
                f"{' and m_schedule' if self._extra_weights else ''}, plus "
                f"{len(self.slot_names)} slot(s) for each of the {len(self._variables)} "
                "variables it has seen. Call optimizer.build(var_list) (or take one step) "
                "before restoring a saved state."
            )
        for variable, array in zip(state, weights):
            array = np.asarray(array)
            if array.shape != variable.shape:
                raise ValueError(
                    f"Optimizer weight {variable.name!r} has shape {variable.shape}; the "
                    f"array given for it has shape {array.shape}."
                )
            variable.assign(array)

    def build(self, var_list):
        """Creates the slots of the given variables now rather than at their first update.

        # Arguments
            var_list: the variables the optimizer will update, in the model's order.
        """
        for variable in var_list:
            self._slots_for(variable)

    def _slots_for(self, variable):
        """Returns the slots of a variable, creating zero-filled ones the first time."""
        key = id(variable)
        if key not in self._slots:
            self._variables.append(variable)
            self._slots[key] = {
                name: Variable(np.zeros_like(variable.value), trainable=False,
                               name=f"{type(self).__name__}/{name}/{variable.name}")
                for name in self.slot_names
            }
        return self._slots[key]

    def apply_gradients(self, grads_and_vars):
        """Applies one step of the update rule.

        # Arguments
            grads_and_vars: pairs `(gradient, variable)`; a gradient is a NumPy array,
                a `Tensor` or `None` (that variable is skipped).

        # Returns
            The `iterations` variable, after the step.

        # Raises
            ValueError: if no gradient is given, or a gradient's shape does not match
                its variable.
            TypeError: if a variable is not a `Variable`.
        """
        pairs = [(grad, variable) for grad, variable in grads_and_vars if grad is not None]
        if not pairs:
            raise ValueError(
                "No gradients provided for any variable: every gradient is None. Check that "
                "the loss depends on the variables (and was computed inside the tape)."
            )
        lr = self._decayed_lr()
        step = int(self.iterations.value) + 1
        # `assign` gives a variable a fresh array, because arrays saved on a tape must not
        # change. Once no tape holds saved arrays (in `fit`, the step's gradients are
        # computed by now), the arrays are updated where they lie: a copy of every weight
        # less per step.
        in_place = not autograd.saved_arrays_in_use()
        for grad, variable in pairs:
            grad = self._clip(self._check_gradient(grad, variable))
            slots = {name: slot.value for name, slot in self._slots_for(variable).items()}
            if in_place and variable.constraint is None:
                self._update_in_place(variable.value, grad, slots, lr, step)
                continue
            new_value = self._update_value(variable.value, grad, slots, lr, step)
            if variable.constraint is not None:
                new_value = variable.constraint(new_value)
            variable.assign(new_value)
        self._finish_step(step)
        self.iterations.assign(step)
        return self.iterations

    def minimize(self, loss_fn, var_list):
        """Computes the gradients of a loss and applies one step.

        # Arguments
            loss_fn: a function of no arguments returning the loss, a scalar tensor.
            var_list: the variables to update.

        # Returns
            The loss, as computed before the step.
        """
        var_list = list(var_list)
        with GradientTape() as tape:
            loss = loss_fn()
        grads = tape.gradient(loss, var_list)
        self.apply_gradients(zip(grads, var_list))
        return loss

    def _check_gradient(self, grad, variable):
        if not isinstance(variable, Variable):
            raise TypeError(
                f"{type(self).__name__} updates Variables; received a {type(variable).__name__}."
            )
        grad = np.asarray(grad, dtype=variable.dtype)
        if grad.shape != variable.shape:
            raise ValueError(
                f"The gradient for variable {variable.name!r} has shape {grad.shape}, but the "
                f"variable has shape {variable.shape}."
            )
        return grad

    def _clip(self, grad):
        """Rescales the gradient to norm `clipnorm`, then clips it to `[-clipvalue, clipvalue]`."""
        if self.clipnorm is not None:
            norm = np.sqrt(np.sum(np.square(grad)))
            if norm > self.clipnorm:
                grad = grad * (self.clipnorm / norm)
        if self.clipvalue is not None:
            grad = np.clip(grad, -self.clipvalue, self.clipvalue)
        return grad

    def _decayed_lr(self):
        """Keras 2's time-based decay, `lr / (1 + decay * iterations)`."""
        if self.decay > 0:
            return self.lr / (1.0 + self.decay * int(self.iterations.value))
        return self.lr

    def _update_value(self, value, grad, slots, lr, step):
        """Returns the variable's new value and updates its slots in place.

        # Arguments
            value: the variable's current value, an array (not to be modified).
            grad: its gradient, clipped.
            slots: the variable's slots by name, arrays to update in place.
            lr: the (decayed) learning rate.
            step: the number of this step, 1 for the first.

        # Returns
            The new value, an array.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement _update_value().")

    def _update_in_place(self, value, grad, slots, lr, step):
        """Updates the variable's array and its slots in place, by the same rule.

        `apply_gradients` calls it when no tape may still read the old values. By
        default it copies `_update_value`'s result in; an optimizer may instead write its
        rule here, in place, and define `_update_value` with it (see `Adam`).

        # Arguments
            value: the variable's array, to update in place.
            grad: its gradient, clipped.
            slots: the variable's slots by name, arrays to update in place.
            lr: the (decayed) learning rate.
            step: the number of this step, 1 for the first.
        """
        value[...] = self._update_value(value, grad, slots, lr, step)

    def _finish_step(self, step):
        """Updates the state shared by all variables, once per step (nothing by default)."""

    def get_config(self):
        """Returns the optimizer's arguments, as a dictionary.

        # Returns
            A dictionary that `from_config` turns back into the same optimizer.
        """
        config = {"learning_rate": self.lr, "decay": self.decay}
        if self.clipnorm is not None:
            config["clipnorm"] = self.clipnorm
        if self.clipvalue is not None:
            config["clipvalue"] = self.clipvalue
        return config

    @classmethod
    def from_config(cls, config):
        """Builds an optimizer from its config, from minikeras, Keras 2, tf.keras or Keras 3.

        Keys that other versions write for features minikeras lacks (`weight_decay`,
        `use_ema`, RMSprop's `momentum` and `centered`, ...) are accepted while the
        feature is off; `name` and the like are ignored.

        # Arguments
            config: a dictionary, as returned by `get_config`.

        # Returns
            An optimizer.

        # Raises
            ValueError: if the config turns on a Keras 3 feature minikeras lacks, such as
                `weight_decay`.
        """
        config = dict(config)
        for key in _IGNORED_CONFIG_KEYS:
            config.pop(key, None)
        for key in cls.unsupported_config_keys:
            value = config.pop(key, None)
            if value not in (None, False, 0):
                raise ValueError(
                    f"minikeras's {cls.__name__} follows Keras 2 and has no {key!r}; the config "
                    f"sets it to {value!r}."
                )
        return cls(**config)


def _epsilon_or_default(epsilon):
    return backend.epsilon() if epsilon is None else epsilon


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and Nesterov momentum.

    Without momentum: `w = w - lr * g`. With momentum: the velocity
    `v = momentum * v - lr * g`, then `w = w + v`, or with Nesterov
    `w = w + momentum * v - lr * g`.

    # Arguments
        lr: the learning rate (`learning_rate` is accepted too).
        momentum: a float >= 0 that accelerates descent along consistent directions.
        decay: the learning rate decay over each update.
        nesterov: whether to apply Nesterov momentum.
        **kwargs: `learning_rate`, `clipnorm`, `clipvalue`.
    """

    def __init__(self, lr=0.01, momentum=0.0, decay=0.0, nesterov=False, **kwargs):
        super().__init__(lr=lr, decay=decay, **kwargs)
        self.momentum = momentum
        self.nesterov = nesterov
        self.slot_names = ("moment",) if momentum > 0 else ()

    def _update_value(self, value, grad, slots, lr, step):
        if not self.slot_names:
            return value - lr * grad
        velocity = slots["moment"]
        velocity[...] = self.momentum * velocity - lr * grad
        if self.nesterov:
            return value + self.momentum * velocity - lr * grad
        return value + velocity

    def get_config(self):
        """Returns the optimizer's configuration: the base arguments, `momentum` and `nesterov`.

        # Returns
            A dictionary that `from_config` turns back into the same optimizer.
        """
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


class RMSprop(Optimizer):
    """RMSProp: divides the gradient by a running average of its recent magnitude.

    `a = rho * a + (1 - rho) * g ** 2`, then `w = w - lr * g / (sqrt(a) + epsilon)`.

    # Arguments
        lr: the learning rate (`learning_rate` is accepted too).
        rho: the decay of the running average of squared gradients.
        epsilon: the fuzz factor; `None` means `backend.epsilon()`.
        decay: the learning rate decay over each update.
        **kwargs: `learning_rate`, `clipnorm`, `clipvalue`.
    """

    slot_names = ("accumulator",)
    unsupported_config_keys = _KERAS3_FEATURE_KEYS + ("momentum", "centered")

    def __init__(self, lr=0.001, rho=0.9, epsilon=None, decay=0.0, **kwargs):
        super().__init__(lr=lr, decay=decay, **kwargs)
        self.rho = rho
        self.epsilon = _epsilon_or_default(epsilon)

    def _update_value(self, value, grad, slots, lr, step):
        accumulator = slots["accumulator"]
        accumulator[...] = self.rho * accumulator + (1.0 - self.rho) * np.square(grad)
        return value - lr * grad / (np.sqrt(accumulator) + self.epsilon)

    def get_config(self):
        """Returns the optimizer's configuration: the base arguments, `rho` and `epsilon`.

        # Returns
            A dictionary that `from_config` turns back into the same optimizer.
        """
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}


class Adagrad(Optimizer):
    """Adagrad: per-parameter learning rates that shrink as squared gradients accumulate.

    `a = a + g ** 2`, then `w = w - lr * g / (sqrt(a) + epsilon)`.

    # Arguments
        lr: the learning rate (`learning_rate` is accepted too).
        epsilon: the fuzz factor; `None` means `backend.epsilon()`.
        decay: the learning rate decay over each update.
        **kwargs: `learning_rate`, `clipnorm`, `clipvalue`.
    """

    slot_names = ("accumulator",)

    def __init__(self, lr=0.01, epsilon=None, decay=0.0, **kwargs):
        super().__init__(lr=lr, decay=decay, **kwargs)
        self.epsilon = _epsilon_or_default(epsilon)

    def _update_value(self, value, grad, slots, lr, step):
        accumulator = slots["accumulator"]
        accumulator[...] = accumulator + np.square(grad)
        return value - lr * grad / (np.sqrt(accumulator) + self.epsilon)

    def get_config(self):
        """Returns the optimizer's configuration: the base arguments and `epsilon`.

        # Returns
            A dictionary that `from_config` turns back into the same optimizer.
        """
        return {**super().get_config(), "epsilon": self.epsilon}


class Adadelta(Optimizer):
    """Adadelta: step sizes from running averages of squared gradients and squared updates.

    `a = rho * a + (1 - rho) * g ** 2`;
    `update = g * sqrt(d + epsilon) / sqrt(a + epsilon)`; `w = w - lr * update`;
    `d = rho * d + (1 - rho) * update ** 2`.

    # Arguments
        lr: the learning rate (`learning_rate` is accepted too); best left at 1.0.
        rho: the decay of the running averages.
        epsilon: the fuzz factor; `None` means `backend.epsilon()`.
        decay: the learning rate decay over each update.
        **kwargs: `learning_rate`, `clipnorm`, `clipvalue`.
    """

    slot_names = ("accumulator", "delta_accumulator")

    def __init__(self, lr=1.0, rho=0.95, epsilon=None, decay=0.0, **kwargs):
        super().__init__(lr=lr, decay=decay, **kwargs)
        self.rho = rho
        self.epsilon = _epsilon_or_default(epsilon)

    def _update_value(self, value, grad, slots, lr, step):
        accumulator, delta_accumulator = slots["accumulator"], slots["delta_accumulator"]
        accumulator[...] = self.rho * accumulator + (1.0 - self.rho) * np.square(grad)
        # The new accumulator and the *old* delta accumulator.
        update = grad * np.sqrt(delta_accumulator + self.epsilon) / np.sqrt(
            accumulator + self.epsilon)
        delta_accumulator[...] = (self.rho * delta_accumulator
                                  + (1.0 - self.rho) * np.square(update))
        return value - lr * update

    def get_config(self):
        """Returns the optimizer's configuration: the base arguments, `rho` and `epsilon`.

        # Returns
            A dictionary that `from_config` turns back into the same optimizer.
        """
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}


class Adam(Optimizer):
    """Adam: running averages of the gradient and of its square, with bias correction.

    `m = beta_1 * m + (1 - beta_1) * g`; `v = beta_2 * v + (1 - beta_2) * g ** 2`;
    `lr_t = lr * sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)`;
    `w = w - lr_t * m / (sqrt(v) + epsilon)`. AMSGrad divides by the running maximum
    of `v` instead.

    # Arguments
        lr: the learning rate (`learning_rate` is accepted too).
        beta_1: the decay of the first-moment average, close to 1.
        beta_2: the decay of the second-moment average, close to 1.
        epsilon: the fuzz factor; `None` means `backend.epsilon()`.
        decay: the learning rate decay over each update.
        amsgrad: whether to apply the AMSGrad variant.
        **kwargs: `learning_rate`, `clipnorm`, `clipvalue`.
    """

    def __init__(self, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.0,
                 amsgrad=False, **kwargs):
        super().__init__(lr=lr, decay=decay, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = _epsilon_or_default(epsilon)
        self.amsgrad = amsgrad
        self.slot_names = ("m", "v", "vhat") if amsgrad else ("m", "v")

    def _update_value(self, value, grad, slots, lr, step):
        new_value = value.copy()
        self._update_in_place(new_value, grad, slots, lr, step)
        return new_value

    def _update_in_place(self, value, grad, slots, lr, step):
        lr_t = lr * math.sqrt(1.0 - self.beta_2 ** step) / (1.0 - self.beta_1 ** step)
        # The rule of the docstring, as a kernel: in one compiled pass over large arrays.
        backend.kernels().adam_update(value, grad, slots["m"], slots["v"], lr_t, self.beta_1,
                                      self.beta_2, self.epsilon, slots.get("vhat"))

    def get_config(self):
        """Returns the optimizer's configuration, Adam's own arguments included.

        That is the base arguments, `beta_1`, `beta_2`, `epsilon` and `amsgrad`.

        # Returns
            A dictionary that `from_config` turns back into the same optimizer.
        """
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}


class Adamax(Optimizer):
    """Adamax: the variant of Adam based on the infinity norm.

    `m = beta_1 * m + (1 - beta_1) * g`; `u = max(beta_2 * u, abs(g))`;
    `w = w - lr / (1 - beta_1 ** t) * m / (u + epsilon)`.

    # Arguments
        lr: the learning rate (`learning_rate` is accepted too).
        beta_1: the decay of the first-moment average, close to 1.
        beta_2: the decay of the infinity norm, close to 1.
        epsilon: the fuzz factor; `None` means `backend.epsilon()`.
        decay: the learning rate decay over each update.
        **kwargs: `learning_rate`, `clipnorm`, `clipvalue`.
    """

    slot_names = ("m", "u")

    def __init__(self, lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.0, **kwargs):
        super().__init__(lr=lr, decay=decay, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = _epsilon_or_default(epsilon)

    def _update_value(self, value, grad, slots, lr, step):
        lr_t = lr / (1.0 - self.beta_1 ** step)
        m, u = slots["m"], slots["u"]
        m[...] = self.beta_1 * m + (1.0 - self.beta_1) * grad
        u[...] = np.maximum(self.beta_2 * u, np.abs(grad))
        return value - lr_t * m / (u + self.epsilon)

    def get_config(self):
        """Returns the optimizer's configuration: the base arguments, the betas and `epsilon`.

        # Returns
            A dictionary that `from_config` turns back into the same optimizer.
        """
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}


class Nadam(Optimizer):
    """Nesterov Adam: Adam with Nesterov momentum and a warming momentum schedule.

    The momentum at step `t` is `mu_t = beta_1 * (1 - 0.5 * 0.96 ** (t * schedule_decay))`;
    `m_schedule` (saved with the state) is the product of the `mu`s so far. See the
    update rule in `_update_value`, written as in Keras 2.

    # Arguments
        lr: the learning rate (`learning_rate` is accepted too).
        beta_1: the decay of the first-moment average, close to 1.
        beta_2: the decay of the second-moment average, close to 1.
        epsilon: the fuzz factor; `None` means `backend.epsilon()`.
        schedule_decay: how fast the momentum warms up.
        **kwargs: `learning_rate`, `decay`, `clipnorm`, `clipvalue`.
    """

    slot_names = ("m", "v")

    def __init__(self, lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=None, schedule_decay=0.004,
                 **kwargs):
        super().__init__(lr=lr, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = _epsilon_or_default(epsilon)
        self.schedule_decay = schedule_decay
        self.m_schedule = Variable(1.0, trainable=False, name="Nadam/m_schedule")
        self._extra_weights = [self.m_schedule]

    def _momentum(self, step):
        """The momentum `mu_t` of a step."""
        return self.beta_1 * (1.0 - 0.5 * 0.96 ** (step * self.schedule_decay))

    def _update_value(self, value, grad, slots, lr, step):
        momentum_t, momentum_next = self._momentum(step), self._momentum(step + 1)
        m_schedule_new = float(self.m_schedule.value) * momentum_t
        m_schedule_next = m_schedule_new * momentum_next
        m, v = slots["m"], slots["v"]
        m[...] = self.beta_1 * m + (1.0 - self.beta_1) * grad
        v[...] = self.beta_2 * v + (1.0 - self.beta_2) * np.square(grad)
        grad_prime = grad / (1.0 - m_schedule_new)
        m_prime = m / (1.0 - m_schedule_next)
        v_prime = v / (1.0 - self.beta_2 ** step)
        m_bar = (1.0 - momentum_t) * grad_prime + momentum_next * m_prime
        return value - lr * m_bar / (np.sqrt(v_prime) + self.epsilon)

    def _finish_step(self, step):
        self.m_schedule.assign(float(self.m_schedule.value) * self._momentum(step))

    def get_config(self):
        """Returns the optimizer's configuration, Nadam's own arguments included.

        That is the base arguments, `beta_1`, `beta_2`, `epsilon` and `schedule_decay`.

        # Returns
            A dictionary that `from_config` turns back into the same optimizer.
        """
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "schedule_decay": self.schedule_decay}


# Keras's lowercase names.
sgd = SGD
rmsprop = RMSprop
adagrad = Adagrad
adadelta = Adadelta
adam = Adam
adamax = Adamax
nadam = Nadam

_OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSprop, "adagrad": Adagrad, "adadelta": Adadelta,
               "adam": Adam, "adamax": Adamax, "nadam": Nadam}


def serialize(optimizer):
    """Returns the config Keras stores for an optimizer.

    # Arguments
        optimizer: an `Optimizer`.

    # Returns
        `{"class_name": ..., "config": ...}`.
    """
    return serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    """Builds an optimizer from its config or name (the built-in names in any case).

    # Arguments
        config: a Keras 2 config `{"class_name": ..., "config": ...}`, a Keras 3 config,
            or a name such as `"adam"`.
        custom_objects: an optional dictionary of user optimizer classes, by name.

    # Returns
        An optimizer.

    # Raises
        ValueError: if the name is unknown.
    """
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    class_name = config.get("class_name") if isinstance(config, dict) else None
    if isinstance(class_name, str) and class_name.lower() in _OPTIMIZERS:
        config = {**config, "class_name": class_name.lower()}
    return deserialize_keras_object(config, _OPTIMIZERS, custom_objects,
                                    printable_module_name="optimizer")


def get(identifier):
    """Returns an optimizer from a name, a config or an optimizer.

    # Arguments
        identifier: a name such as `"adam"`, a config dictionary, or an `Optimizer`
            (returned unchanged).

    # Returns
        An `Optimizer`.

    # Raises
        ValueError: if the identifier is an unknown name or cannot be interpreted.
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}.")
