"""Default layer names as Keras makes them: `dense`, `dense_1`, `dense_2`, ... per class."""
import re
import threading

_counts = {}
_lock = threading.Lock()


def snake_case(class_name):
    """Converts a class name to Keras's snake case: `Conv2DTranspose` -> `conv2d_transpose`.

    # Arguments
        class_name: a CamelCase name.

    # Returns
        The snake-case name.
    """
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", class_name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()


def unique_name(prefix):
    """Returns `prefix` the first time, then `prefix_1`, `prefix_2`, ...

    Input layers count from 1 (`input_1`, `input_2`, ...), as in tf.keras.

    # Arguments
        prefix: the base name, usually the snake-case class name.

    # Returns
        A name not handed out before in this process (until `reset_names`).
    """
    with _lock:
        count = _counts.get(prefix, 0)
        _counts[prefix] = count + 1
    if prefix == "input":
        return f"input_{count + 1}"
    return prefix if count == 0 else f"{prefix}_{count}"


def reset_names():
    """Forgets the names handed out, so that numbering starts again (as `clear_session`)."""
    with _lock:
        _counts.clear()
