"""More tests of `model.summary()` (Keras 2's table) and of `minikeras.backend`'s settings."""
import numpy as np
import pytest

from minikeras import backend
from minikeras.engine.naming import reset_names
from minikeras.layers import Dense, Input
from minikeras.models import Model, Sequential


@pytest.fixture(autouse=True)
def fresh_names():
    reset_names()
    yield


def summary_lines(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, **kwargs)
    return lines


def test_summary_of_an_unbuilt_model_says_what_to_do():
    with pytest.raises(ValueError, match='"sequential" has not been built yet'):
        Sequential([Dense(2)]).summary()


def test_summary_of_a_subclassed_model_is_a_chain_with_multiple_shapes():
    class Net(Model):
        def __init__(self):
            super().__init__(name="net")
            self.hidden = Dense(3)

        def call(self, inputs):
            return self.hidden(inputs)

    model = Net()
    model(np.ones((1, 2), "float32"))
    lines = summary_lines(model)
    assert lines[0] == 'Model: "net"' and len(lines[1]) == 65
    row = next(line for line in lines if line.startswith("dense (Dense)"))
    assert row.split()[2:] == ["multiple", "9"]
    assert "Total params: 9" in lines


def test_summary_positions_in_characters_and_a_shared_layer_outside_the_model():
    shared = Dense(2, name="shared")
    inputs = Input(shape=(2,))
    model = Model(inputs, shared(inputs))
    shared(Input(shape=(5, 2)))  # a call outside the model, with another output shape
    lines = summary_lines(model, line_length=40, positions=[20, 32, 40])
    assert all(len(line) <= 40 for line in lines)
    row = next(line for line in lines if line.startswith("shared"))
    assert row[20:].split() == ["multiple", "6"]


def test_a_layer_called_twice_with_one_output_shape_has_that_output_shape():
    shared = Dense(2, name="shared")
    shared(Input(shape=(3,)))
    shared(Input(shape=(3,)))
    assert shared.output_shape == (None, 2)
    assert shared.input_shape == (None, 3)
    shared(Input(shape=(5, 3)))
    with pytest.raises(AttributeError, match="different output shapes"):
        _ = shared.output_shape


def test_summary_cuts_fields_too_long_for_their_column():
    model = Sequential([Dense(1, input_shape=(2,), name="a_very_long_layer_name_" + "x" * 40)])
    row = next(line for line in summary_lines(model) if line.startswith("a_very_long"))
    assert row[:29] == "a_very_long_layer_name_xxxxx "  # cut to the column, one space left
    assert row[29:].split() == ["(None,", "1)", "3"]


# ---- backend ---------------------------------------------------------------------------

def test_an_unknown_backend_in_the_environment_is_refused(monkeypatch):
    monkeypatch.setenv("MINIKERAS_BACKEND", "torch")
    with pytest.raises(ValueError, match="Unknown MINIKERAS_BACKEND 'torch': expected one of "
                                         r"\['numba', 'numpy'\]"):
        backend._backend_from_environment()
    monkeypatch.setenv("MINIKERAS_BACKEND", " NumPy ")
    assert backend._backend_from_environment() == "numpy"


def test_epsilon_and_image_data_format_can_be_changed_and_restored():
    epsilon, data_format = backend.epsilon(), backend.image_data_format()
    try:
        backend.set_epsilon(1e-4)
        assert backend.epsilon() == 1e-4
        backend.set_image_data_format("channels_first")
        assert backend.image_data_format() == "channels_first"
        assert backend.normalize_data_format(None) == "channels_first"
        with pytest.raises(ValueError, match="Unknown data_format 'channels_middle'"):
            backend.set_image_data_format("channels_middle")
    finally:
        backend.set_epsilon(epsilon)
        backend.set_image_data_format(data_format)
    assert backend.image_data_format() == "channels_last"


def test_floatx_refuses_unknown_types():
    with pytest.raises(ValueError, match="Unknown floatx 'float8'"):
        backend.set_floatx("float8")
