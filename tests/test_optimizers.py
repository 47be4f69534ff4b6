"""Tests of the optimizers: each update rule against Keras 2's formulas written out in NumPy."""
import math

import numpy as np
import pytest

from minikeras import Variable, ops, optimizers
from minikeras.autograd import GradientTape
from minikeras.constraints import MaxNorm, NonNeg

EPSILON = 1e-7
TARGETS = [np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]]), np.array([0.25, -0.75, 2.0])]
CURVATURES = [np.array([[1.0, 2.0, 0.5], [3.0, 1.5, 1.0]]), np.array([2.0, 0.5, 4.0])]
STARTS = [np.array([[0.3, 0.1, -0.2], [0.4, -0.5, 0.6]]), np.array([-0.1, 0.2, 0.05])]


def make_variables():
    return [Variable(start.astype("float32"), name=name)
            for start, name in zip(STARTS, ["kernel", "bias"])]


def loss_of(variables):
    """0.5 * sum(c * (w - target) ** 2) over both variables: the gradient is c * (w - target)."""
    terms = [ops.sum(0.5 * curvature * ops.square(variable - target))
             for variable, target, curvature in zip(variables, TARGETS, CURVATURES)]
    return terms[0] + terms[1]


def gradients_of(values):
    return [curvature * (value - target)
            for value, target, curvature in zip(values, TARGETS, CURVATURES)]


def take_step(optimizer, variables):
    with GradientTape() as tape:
        loss = loss_of(variables)
    grads = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(grads, variables))


# Keras 2's update rules, written out for one variable in float64.
# Each takes (w, g, state, lr, t) with t the step number from 1 and returns the new w.

def sgd_rule(momentum=0.0, nesterov=False):
    def rule(w, g, state, lr, t):
        if momentum == 0:
            return w - lr * g
        v = momentum * state.get("v", 0.0) - lr * g
        state["v"] = v
        return w + momentum * v - lr * g if nesterov else w + v
    return rule


def rmsprop_rule(rho=0.9):
    def rule(w, g, state, lr, t):
        a = rho * state.get("a", 0.0) + (1 - rho) * g ** 2
        state["a"] = a
        return w - lr * g / (np.sqrt(a) + EPSILON)
    return rule


def adagrad_rule(w, g, state, lr, t):
    a = state.get("a", 0.0) + g ** 2
    state["a"] = a
    return w - lr * g / (np.sqrt(a) + EPSILON)


def adadelta_rule(rho=0.95):
    def rule(w, g, state, lr, t):
        a = rho * state.get("a", 0.0) + (1 - rho) * g ** 2
        d_a = state.get("d_a", 0.0)
        update = g * np.sqrt(d_a + EPSILON) / np.sqrt(a + EPSILON)
        state["a"], state["d_a"] = a, rho * d_a + (1 - rho) * update ** 2
        return w - lr * update
    return rule


def adam_rule(beta_1=0.9, beta_2=0.999, amsgrad=False):
    def rule(w, g, state, lr, t):
        lr_t = lr * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        m = beta_1 * state.get("m", 0.0) + (1 - beta_1) * g
        v = beta_2 * state.get("v", 0.0) + (1 - beta_2) * g ** 2
        state["m"], state["v"] = m, v
        if amsgrad:
            state["vhat"] = np.maximum(state.get("vhat", 0.0), v)
            return w - lr_t * m / (np.sqrt(state["vhat"]) + EPSILON)
        return w - lr_t * m / (np.sqrt(v) + EPSILON)
    return rule


def adamax_rule(w, g, state, lr, t, beta_1=0.9, beta_2=0.999):
    lr_t = lr / (1 - beta_1 ** t)
    m = beta_1 * state.get("m", 0.0) + (1 - beta_1) * g
    u = np.maximum(beta_2 * state.get("u", 0.0), np.abs(g))
    state["m"], state["u"] = m, u
    return w - lr_t * m / (u + EPSILON)


def nadam_rule(w, g, state, lr, t, beta_1=0.9, beta_2=0.999, schedule_decay=0.004):
    # state["m_schedule"] is shared by the variables: read here, advanced by the caller.
    momentum_cache_t = beta_1 * (1 - 0.5 * 0.96 ** (t * schedule_decay))
    momentum_cache_t_1 = beta_1 * (1 - 0.5 * 0.96 ** ((t + 1) * schedule_decay))
    m_schedule_new = state["m_schedule"] * momentum_cache_t
    m_schedule_next = state["m_schedule"] * momentum_cache_t * momentum_cache_t_1
    g_prime = g / (1 - m_schedule_new)
    m = beta_1 * state.get("m", 0.0) + (1 - beta_1) * g
    m_prime = m / (1 - m_schedule_next)
    v = beta_2 * state.get("v", 0.0) + (1 - beta_2) * g ** 2
    v_prime = v / (1 - beta_2 ** t)
    m_bar = (1 - momentum_cache_t) * g_prime + momentum_cache_t_1 * m_prime
    state["m"], state["v"] = m, v
    return w - lr * m_bar / (np.sqrt(v_prime) + EPSILON)


def clip_by_norm(g, clipnorm):
    norm = np.sqrt(np.sum(g ** 2))
    return g * clipnorm / max(norm, clipnorm)


CASES = {
    "sgd": (lambda: optimizers.SGD(lr=0.1), 0.1, sgd_rule(), {}),
    "sgd_momentum": (lambda: optimizers.SGD(lr=0.1, momentum=0.9), 0.1, sgd_rule(0.9), {}),
    "sgd_nesterov": (lambda: optimizers.SGD(lr=0.1, momentum=0.9, nesterov=True), 0.1,
                     sgd_rule(0.9, nesterov=True), {}),
    "sgd_decay": (lambda: optimizers.SGD(lr=0.1, momentum=0.5, decay=0.3), 0.1, sgd_rule(0.5),
                  {"decay": 0.3}),
    "sgd_clipnorm": (lambda: optimizers.SGD(lr=0.1, clipnorm=0.5), 0.1, sgd_rule(),
                     {"clipnorm": 0.5}),
    "sgd_clipvalue": (lambda: optimizers.SGD(lr=0.1, clipvalue=0.3), 0.1, sgd_rule(),
                      {"clipvalue": 0.3}),
    "rmsprop": (lambda: optimizers.RMSprop(lr=0.01), 0.01, rmsprop_rule(), {}),
    "adagrad": (lambda: optimizers.Adagrad(lr=0.05), 0.05, adagrad_rule, {}),
    "adadelta": (lambda: optimizers.Adadelta(), 1.0, adadelta_rule(), {}),
    "adam": (lambda: optimizers.Adam(lr=0.01), 0.01, adam_rule(), {}),
    "adam_amsgrad": (lambda: optimizers.Adam(lr=0.01, amsgrad=True), 0.01,
                     adam_rule(amsgrad=True), {}),
    "adam_decay_clipnorm": (lambda: optimizers.Adam(lr=0.01, decay=0.1, clipnorm=1.0), 0.01,
                            adam_rule(), {"decay": 0.1, "clipnorm": 1.0}),
    "adamax": (lambda: optimizers.Adamax(), 0.002, adamax_rule, {}),
    "nadam": (lambda: optimizers.Nadam(), 0.002, nadam_rule, {}),
}


def reference_steps(rule, lr, options, n_steps=3):
    """Runs a rule by hand on both variables; returns their values after each step."""
    values = [start.copy() for start in STARTS]
    states = [{"m_schedule": 1.0}, {"m_schedule": 1.0}]
    m_schedule = 1.0
    history = []
    for t in range(1, n_steps + 1):
        lr_t = lr / (1 + options.get("decay", 0.0) * (t - 1))
        grads = gradients_of(values)
        if "clipnorm" in options:
            grads = [clip_by_norm(g, options["clipnorm"]) for g in grads]
        if "clipvalue" in options:
            grads = [np.clip(g, -options["clipvalue"], options["clipvalue"]) for g in grads]
        for state in states:
            state["m_schedule"] = m_schedule
        values = [rule(w, g, state, lr_t, t) for w, g, state in zip(values, grads, states)]
        m_schedule *= 0.9 * (1 - 0.5 * 0.96 ** (t * 0.004))
        history.append(values)
    return history


@pytest.mark.parametrize("case", sorted(CASES))
def test_first_three_steps_follow_keras_2_rule(case):
    make_optimizer, lr, rule, options = CASES[case]
    optimizer = make_optimizer()
    variables = make_variables()
    for step, expected in enumerate(reference_steps(rule, lr, options), start=1):
        take_step(optimizer, variables)
        assert int(optimizer.iterations) == step
        for variable, value in zip(variables, expected):
            assert variable.dtype == np.float32
            np.testing.assert_allclose(variable.numpy(), value, rtol=1e-5, atol=1e-6)


def test_clipnorm_clips_each_gradient_by_its_own_norm():
    optimizer = optimizers.SGD(lr=1.0, clipnorm=1.0)
    small, large = Variable([0.0, 0.0]), Variable([0.0, 0.0])
    optimizer.apply_gradients([(np.array([0.3, 0.4]), small), (np.array([30.0, 40.0]), large)])
    np.testing.assert_allclose(small.numpy(), [-0.3, -0.4], rtol=1e-6)
    np.testing.assert_allclose(large.numpy(), [-0.6, -0.8], rtol=1e-6)


def test_clipvalue_clips_elementwise():
    optimizer = optimizers.SGD(lr=1.0, clipvalue=0.5)
    variable = Variable([0.0, 0.0, 0.0])
    optimizer.apply_gradients([(np.array([-2.0, 0.1, 7.0]), variable)])
    np.testing.assert_allclose(variable.numpy(), [0.5, -0.1, -0.5], rtol=1e-6)


@pytest.mark.parametrize("case", sorted(CASES))
def test_state_round_trip_lets_a_second_optimizer_continue_identically(case):
    make_optimizer = CASES[case][0]
    first, first_variables = make_optimizer(), make_variables()
    for _ in range(2):
        take_step(first, first_variables)
    second = type(first).from_config(first.get_config())
    second_variables = make_variables()
    for source, target in zip(first_variables, second_variables):
        target.assign(source.numpy())
    second.build(second_variables)
    second.set_weights(first.get_weights())
    take_step(first, first_variables)
    take_step(second, second_variables)
    for source, target in zip(first_variables, second_variables):
        np.testing.assert_array_equal(source.numpy(), target.numpy())
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_weights_are_listed_in_keras_2_order_with_names():
    optimizer = optimizers.Adam()
    take_step(optimizer, make_variables())
    names = [weight.name for weight in optimizer.weights]
    assert names == ["Adam/iterations", "Adam/m/kernel", "Adam/m/bias", "Adam/v/kernel",
                     "Adam/v/bias"]
    assert optimizer.iterations.dtype == np.int64
    assert not any(weight.trainable for weight in optimizer.weights)
    assert [w.shape for w in optimizer.get_weights()] == [(), (2, 3), (3,), (2, 3), (3,)]


def test_weights_of_the_other_optimizers():
    variables = make_variables()
    expected = {
        optimizers.SGD(): ["iterations"],
        optimizers.SGD(momentum=0.9): ["iterations", "moment/kernel", "moment/bias"],
        optimizers.Adam(amsgrad=True): ["iterations", "m/kernel", "m/bias", "v/kernel", "v/bias",
                                        "vhat/kernel", "vhat/bias"],
        optimizers.Adadelta(): ["iterations", "accumulator/kernel", "accumulator/bias",
                                "delta_accumulator/kernel", "delta_accumulator/bias"],
        optimizers.Nadam(): ["iterations", "m_schedule", "m/kernel", "m/bias", "v/kernel",
                             "v/bias"],
    }
    for optimizer, names in expected.items():
        optimizer.build(variables)
        prefix = type(optimizer).__name__ + "/"
        assert [weight.name for weight in optimizer.weights] == [prefix + n for n in names]


def test_slots_are_created_lazily_in_first_seen_order():
    optimizer = optimizers.Adagrad()
    kernel, bias = make_variables()
    optimizer.apply_gradients([(np.ones(3), bias)])
    assert [w.name for w in optimizer.weights] == ["Adagrad/iterations", "Adagrad/accumulator/bias"]
    optimizer.apply_gradients([(np.ones((2, 3)), kernel), (np.ones(3), bias)])
    assert [w.name for w in optimizer.weights] == [
        "Adagrad/iterations", "Adagrad/accumulator/bias", "Adagrad/accumulator/kernel"]
    np.testing.assert_allclose(optimizer.get_weights()[1], [2.0, 2.0, 2.0])


def test_set_weights_checks_count_and_shapes():
    optimizer = optimizers.Adam()
    with pytest.raises(ValueError, match="build"):
        optimizer.set_weights([np.array(0), np.zeros((2, 3))])
    variables = make_variables()
    optimizer.build(variables)
    weights = optimizer.get_weights()
    weights[1] = np.zeros((3, 2))
    with pytest.raises(ValueError, match="shape"):
        optimizer.set_weights(weights)


def test_none_gradients_are_skipped():
    optimizer = optimizers.Adam(lr=0.1)
    kernel, bias = make_variables()
    optimizer.apply_gradients([(None, kernel), (np.ones(3), bias)])
    np.testing.assert_array_equal(kernel.numpy(), STARTS[0].astype("float32"))
    assert not np.allclose(bias.numpy(), STARTS[1])
    assert len(optimizer.weights) == 3  # iterations, m and v of the bias only
    with pytest.raises(ValueError, match="No gradients"):
        optimizer.apply_gradients([(None, kernel)])


def test_gradient_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="'bias'"):
        optimizers.SGD().apply_gradients([(np.ones(4), Variable(np.zeros(3), name="bias"))])


def test_constraint_is_applied_after_the_update():
    optimizer = optimizers.SGD(lr=1.0)
    non_negative = Variable([1.0, 1.0], constraint=NonNeg())
    bounded = Variable([[3.0], [4.0]], constraint=MaxNorm(2.0))
    optimizer.apply_gradients([(np.array([2.0, -1.0]), non_negative),
                               (np.array([[-3.0], [-4.0]]), bounded)])
    np.testing.assert_allclose(non_negative.numpy(), [0.0, 2.0])
    np.testing.assert_allclose(bounded.numpy(), [[1.2], [1.6]], rtol=1e-6)


def test_learning_rate_is_a_settable_float_under_both_names():
    optimizer = optimizers.SGD(learning_rate=0.5)
    assert optimizer.lr == 0.5 and optimizer.learning_rate == 0.5
    optimizer.lr = 0.25
    assert optimizer.learning_rate == 0.25
    optimizer.learning_rate = np.float32(2.0)
    assert optimizer.lr == 2.0 and isinstance(optimizer.lr, float)
    variable = Variable([1.0])
    optimizer.apply_gradients([(np.array([1.0]), variable)])
    np.testing.assert_allclose(variable.numpy(), [-1.0])


def test_minimize_computes_gradients_and_steps():
    optimizer = optimizers.SGD(lr=0.1)
    variable = Variable([3.0])
    loss = optimizer.minimize(lambda: ops.sum(ops.square(variable)), [variable])
    assert float(loss) == 9.0
    np.testing.assert_allclose(variable.numpy(), [3.0 - 0.1 * 6.0])


def test_get_config_and_from_config_round_trip():
    for optimizer in [optimizers.SGD(lr=0.2, momentum=0.5, decay=0.01, nesterov=True),
                      optimizers.RMSprop(rho=0.8, epsilon=1e-5), optimizers.Adagrad(decay=0.1),
                      optimizers.Adadelta(rho=0.9), optimizers.Adam(amsgrad=True, clipnorm=1.0),
                      optimizers.Adamax(beta_1=0.8, clipvalue=0.5),
                      optimizers.Nadam(schedule_decay=0.01)]:
        config = optimizer.get_config()
        clone = type(optimizer).from_config(config)
        assert clone.get_config() == config
    assert optimizers.Adam().get_config() == {
        "learning_rate": 0.001, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999,
        "epsilon": 1e-7, "amsgrad": False}


def test_keras_defaults():
    assert optimizers.SGD().lr == 0.01
    assert optimizers.RMSprop().lr == 0.001 and optimizers.RMSprop().rho == 0.9
    assert optimizers.Adagrad().lr == 0.01
    assert optimizers.Adadelta().lr == 1.0 and optimizers.Adadelta().rho == 0.95
    assert optimizers.Adamax().lr == 0.002 and optimizers.Nadam().lr == 0.002
    assert optimizers.Adam().epsilon == 1e-7


def test_keras_3_config_is_accepted():
    keras3 = {"class_name": "Adam", "config": {
        "name": "adam", "learning_rate": 0.0010000000474974513, "weight_decay": None,
        "clipnorm": None, "global_clipnorm": None, "clipvalue": None, "use_ema": False,
        "ema_momentum": 0.99, "ema_overwrite_frequency": None, "loss_scale_factor": None,
        "gradient_accumulation_steps": None, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
        "amsgrad": False}}
    optimizer = optimizers.deserialize(keras3)
    assert isinstance(optimizer, optimizers.Adam)
    assert math.isclose(optimizer.lr, 0.001, rel_tol=1e-6) and optimizer.clipnorm is None
    keras3["config"]["weight_decay"] = 0.004
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.deserialize(keras3)


def test_tf_keras_rmsprop_config_with_its_features_off_is_accepted():
    config = {"name": "RMSprop", "learning_rate": 0.01, "decay": 0.0, "rho": 0.9,
              "momentum": 0.0, "epsilon": 1e-07, "centered": False}
    optimizer = optimizers.RMSprop.from_config(config)
    assert optimizer.lr == 0.01 and optimizer.rho == 0.9
    with pytest.raises(ValueError, match="momentum"):
        optimizers.RMSprop.from_config({**config, "momentum": 0.9})


def test_unexpected_argument_is_a_type_error():
    with pytest.raises(TypeError, match="momentun"):
        optimizers.SGD(momentun=0.9)


def test_get_serialize_deserialize():
    assert isinstance(optimizers.get("adam"), optimizers.Adam)
    assert isinstance(optimizers.get("Adam"), optimizers.Adam)
    assert isinstance(optimizers.get("SGD"), optimizers.SGD)
    for name in ["sgd", "rmsprop", "adagrad", "adadelta", "adam", "adamax", "nadam"]:
        assert type(optimizers.get(name)).__name__.lower() == name
    optimizer = optimizers.RMSprop(lr=0.01)
    assert optimizers.get(optimizer) is optimizer
    config = optimizers.serialize(optimizer)
    assert config["class_name"] == "RMSprop"
    clone = optimizers.deserialize(config)
    assert isinstance(clone, optimizers.RMSprop) and clone.lr == 0.01
    assert optimizers.get({"class_name": "sgd", "config": {"lr": 0.3}}).lr == 0.3


def test_unknown_optimizer_names_the_known_ones():
    with pytest.raises(ValueError, match=r"Unknown optimizer: 'adamw'.*Known: adadelta, adagrad"):
        optimizers.get("adamw")
    with pytest.raises(ValueError, match="Could not interpret"):
        optimizers.get(3)


def test_custom_optimizer_through_custom_objects():
    class Halver(optimizers.Optimizer):
        def _update_value(self, value, grad, slots, lr, step):
            return value / 2

    optimizer = optimizers.deserialize({"class_name": "Halver", "config": {}},
                                       custom_objects={"Halver": Halver})
    variable = Variable([4.0])
    optimizer.apply_gradients([(np.array([1.0]), variable)])
    np.testing.assert_allclose(variable.numpy(), [2.0])
