"""How observations travel from a test process to the grader: JSON, never pickle.

The grader reads what a test process sends, and that process ran a student's code. So
the format must be one that cannot run code when it is read: `pickle` can (unpickling
calls arbitrary constructors), JSON cannot. Arrays travel as base64 bytes with a dtype
and a shape, and are rebuilt with `numpy.frombuffer` from a short list of plain numeric
dtypes; anything else arrives as its `repr`, a string that can be shown but not used.
"""
import base64
import json
import math

import numpy as np

# Plain numeric dtypes only: no object arrays (those would need pickle), no structured types.
_ARRAY_KINDS = "biuf"
MAX_DEPTH = 20
MAX_REPR = 300


def encode(value, depth=0):
    """Turns a value into plain JSON data that `decode` can rebuild.

    NumPy arrays and scalars, minikeras tensors (anything with a `numpy()` method),
    tuples, lists, dictionaries with string keys, numbers, strings, booleans and `None`
    travel as themselves; anything else travels as `{"__repr__": ..., "type": ...}`.

    # Arguments
        value: the value to encode.
        depth: how deeply nested the value is (guards against cycles).

    # Returns
        JSON-serializable data.
    """
    if depth > MAX_DEPTH:
        return _as_repr(value)
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, np.generic):
        return encode(value.item(), depth + 1) if value.dtype.kind in _ARRAY_KINDS + "c" \
            else _as_repr(value)
    if isinstance(value, np.ndarray):
        return _encode_array(value)
    if _is_tensor(value):
        return _encode_array(np.asarray(value.numpy()))
    if isinstance(value, tuple):
        return {"__tuple__": [encode(item, depth + 1) for item in value]}
    if isinstance(value, list):
        return [encode(item, depth + 1) for item in value]
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"__dict__": [[key, encode(item, depth + 1)] for key, item in value.items()]}
    return _as_repr(value)


def _is_tensor(value):
    return type(value).__module__.startswith("minikeras.") and callable(
        getattr(value, "numpy", None))


def _encode_array(array):
    if array.dtype.kind not in _ARRAY_KINDS:
        return _as_repr(array)
    array = np.ascontiguousarray(array)
    return {"__ndarray__": base64.b64encode(array.tobytes()).decode("ascii"),
            "dtype": array.dtype.str, "shape": list(array.shape)}


def _as_repr(value):
    try:
        text = repr(value)
    except Exception:  # a student's __repr__ may raise
        text = f"<{type(value).__name__} object>"
    return {"__repr__": text[:MAX_REPR], "type": type(value).__name__}


class Unreadable:
    """A value that arrived as its description only (see `encode`).

    # Arguments
        text: the value's `repr`.
        type_name: the name of its type.
    """

    def __init__(self, text, type_name):
        self.text = text
        self.type_name = type_name

    def __repr__(self):
        return self.text

    def __eq__(self, other):
        return isinstance(other, Unreadable) and (self.text, self.type_name) == (
            other.text, other.type_name)

    __hash__ = object.__hash__


def decode(data, depth=0):
    """Rebuilds a value from `encode`'s output, refusing anything malformed.

    # Arguments
        data: JSON data, as `json.loads` returns it.
        depth: how deeply nested the data is.

    # Returns
        The value: arrays are fresh, writable NumPy arrays.

    # Raises
        ValueError: if the data is malformed (wrong dtype, size, or nesting).
    """
    if depth > MAX_DEPTH + 2:
        raise ValueError("The data is nested too deeply.")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(item, depth + 1) for item in data]
    if not isinstance(data, dict):
        raise ValueError(f"Unexpected JSON value of type {type(data).__name__}.")
    if "__ndarray__" in data:
        return _decode_array(data)
    if "__tuple__" in data:
        return tuple(decode(item, depth + 1) for item in data["__tuple__"])
    if "__dict__" in data:
        return {str(key): decode(item, depth + 1) for key, item in data["__dict__"]}
    if "__repr__" in data:
        return Unreadable(str(data["__repr__"]), str(data.get("type", "object")))
    raise ValueError(f"Unexpected JSON object with keys {sorted(data)[:5]}.")


def _decode_array(data):
    dtype = np.dtype(str(data["dtype"]))
    if dtype.kind not in _ARRAY_KINDS or dtype.itemsize > 16 or dtype.fields is not None:
        raise ValueError(f"Arrays of dtype {dtype} are not accepted.")
    shape = tuple(int(length) for length in data["shape"])
    if any(length < 0 for length in shape):
        raise ValueError(f"Negative length in shape {shape}.")
    raw = base64.b64decode(data["__ndarray__"], validate=True)
    if len(raw) != math.prod(shape) * dtype.itemsize:
        raise ValueError(f"{len(raw)} bytes cannot hold an array of shape {shape} and dtype "
                         f"{dtype}.")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def dumps(message):
    """Serializes one message (a dictionary of JSON data) to a single line of text.

    # Arguments
        message: a dictionary.

    # Returns
        A `str` without newlines.
    """
    return json.dumps(message, separators=(",", ":"))


def loads(line):
    """Parses one line written by `dumps`.

    # Arguments
        line: a `str` or `bytes`.

    # Returns
        The dictionary, or `None` if the line is not a JSON object.
    """
    try:
        message = json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return message if isinstance(message, dict) else None
