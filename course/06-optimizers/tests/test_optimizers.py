"""Public tests of exercise 6: run them with `minikeras course check 06-optimizers`."""
import numpy as np

from minikeras import Variable, optimizers
from minikeras.grader.checks import points

START = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.3]])
GRADIENTS = np.random.default_rng(0).normal(size=(6, 2, 3))


def trajectory(optimizer, gradients=GRADIENTS, start=START):
    """The values a variable takes, step after step, under an optimizer."""
    variable = Variable(start.copy(), name="w")
    values = []
    for grad in gradients:
        optimizer.apply_gradients([(grad, variable)])
        values.append(np.array(variable.numpy()))
    return np.array(values)


@points(1)
def test_plain_sgd(student, check):
    """SGD without momentum: w - lr * g at every step."""
    check.close("values after each step", trajectory(student.SGD(lr=0.1)),
                trajectory(optimizers.SGD(lr=0.1)))


@points(2)
def test_sgd_with_momentum(student, check):
    """SGD with momentum 0.9 follows minikeras's SGD step for step."""
    check.close("values after each step", trajectory(student.SGD(lr=0.1, momentum=0.9)),
                trajectory(optimizers.SGD(lr=0.1, momentum=0.9)))


@points(2)
def test_sgd_with_nesterov(student, check):
    """SGD with Nesterov momentum follows minikeras's SGD step for step."""
    check.close("values after each step",
                trajectory(student.SGD(lr=0.1, momentum=0.9, nesterov=True)),
                trajectory(optimizers.SGD(lr=0.1, momentum=0.9, nesterov=True)))


@points(3)
def test_adam(student, check):
    """Adam with Keras 2's bias correction follows minikeras's Adam step for step."""
    check.close("values after each step", trajectory(student.Adam(lr=0.01, epsilon=1e-7)),
                trajectory(optimizers.Adam(lr=0.01, epsilon=1e-7)))
