"""Hidden tests of exercise 6."""
import numpy as np

from minikeras import Variable, optimizers
from minikeras.grader.checks import points

START = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.3]])


def trajectory(optimizer, gradients, start=START):
    """The values a variable takes, step after step, under an optimizer."""
    variable = Variable(start.copy(), name="w")
    values = []
    for grad in gradients:
        optimizer.apply_gradients([(grad, variable)])
        values.append(np.array(variable.numpy()))
    return np.array(values)


@points(2)
def test_amsgrad_with_shrinking_gradients(student, check):
    """AMSGrad divides by the running maximum of v: it matters when gradients shrink."""
    scales = np.array([3.0, 2.0, 0.5, 0.1, 0.05, 0.01, 0.01, 0.01])
    gradients = scales[:, None, None] * np.random.default_rng(1).normal(size=(8, 2, 3))
    check.close("values after each step",
                trajectory(student.Adam(lr=0.01, amsgrad=True, epsilon=1e-7), gradients),
                trajectory(optimizers.Adam(lr=0.01, amsgrad=True, epsilon=1e-7), gradients))


@points(1)
def test_adam_first_step_is_about_lr(student, check):
    """Thanks to the bias correction, Adam's first step moves each weight by about lr."""
    grad = np.array([[3.0, -0.2, 0.01], [-50.0, 1.0, 7.0]])
    values = trajectory(student.Adam(lr=0.01, epsilon=1e-7), [grad])
    check.close("the first step", START - values[0], 0.01 * np.sign(grad), rtol=1e-3)


@points(2)
def test_slots_hold_the_state(student, check):
    """After three steps the optimizer's state (velocity, moments) matches minikeras's."""
    gradients = np.random.default_rng(2).normal(size=(3, 2, 3))
    for name, make in [("SGD with momentum", lambda m: m.SGD(lr=0.1, momentum=0.9)),
                       ("Adam", lambda m: m.Adam(lr=0.01, epsilon=1e-7))]:
        mine, reference = make(student), make(optimizers)
        trajectory(mine, gradients)
        trajectory(reference, gradients)
        state = mine.get_weights()[1:]
        check.equal(f"number of state arrays of {name}", len(state),
                    len(reference.get_weights()[1:]))
        for index, (got, expected) in enumerate(zip(state, reference.get_weights()[1:])):
            check.close(f"state array {index} of {name}", got, expected)


@points(1)
def test_momentum_accelerates_on_a_constant_slope(student, check):
    """On a constant gradient, momentum 0.9 makes the steps grow towards lr / (1 - 0.9)."""
    gradients = np.ones((40, 2, 3))
    values = trajectory(student.SGD(lr=0.01, momentum=0.9), gradients)
    expected = trajectory(optimizers.SGD(lr=0.01, momentum=0.9), gradients)
    check.close("the 40th step", values[-2] - values[-1], expected[-2] - expected[-1])
