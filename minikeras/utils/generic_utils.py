"""Turning Keras objects into configs and back: the machinery behind every `get`.

Each small module (`activations`, `initializers`, `losses`, ...) keeps a table of the
names it knows. `serialize_keras_object` turns an object into what Keras writes in a
model file: a plain name for a function, `{"class_name": ..., "config": ...}` for an
object with `get_config`. `deserialize_keras_object` reads any of these back, from
Keras 2's form, from Keras 3's form
(`{"module": ..., "class_name": ..., "config": ..., "registered_name": ...}`) and from a
plain string, looking names up in the module's table, then in `custom_objects`, then in
the global custom objects (see `custom_object_scope`).
"""
import difflib

_GLOBAL_CUSTOM_OBJECTS = {}


def get_custom_objects():
    """Returns the global dictionary of custom objects, which every `deserialize` consults.

    Adding to it registers a custom object everywhere:
    `get_custom_objects()["my_loss"] = my_loss`.

    # Returns
        The global dictionary (not a copy), mapping names to classes or functions.
    """
    return _GLOBAL_CUSTOM_OBJECTS


class CustomObjectScope:
    """A context manager inside which custom objects are known to every `deserialize`.

    # Arguments
        *custom_objects: dictionaries mapping names to classes or functions.

    # Example
    ```python
    with CustomObjectScope({"my_loss": my_loss}):
        loss = losses.get("my_loss")
    ```
    """

    def __init__(self, *custom_objects):
        self.custom_objects = custom_objects
        self.backup = None

    def __enter__(self):
        self.backup = dict(_GLOBAL_CUSTOM_OBJECTS)
        for objects in self.custom_objects:
            _GLOBAL_CUSTOM_OBJECTS.update(objects)
        return self

    def __exit__(self, *exc_info):
        _GLOBAL_CUSTOM_OBJECTS.clear()
        _GLOBAL_CUSTOM_OBJECTS.update(self.backup)
        return False


def custom_object_scope(*custom_objects):
    """Returns a `CustomObjectScope` for the given dictionaries of custom objects.

    # Arguments
        *custom_objects: dictionaries mapping names to classes or functions.

    # Returns
        A `CustomObjectScope`, to use in a `with` statement.
    """
    return CustomObjectScope(*custom_objects)


def serialize_keras_object(instance):
    """Returns what Keras writes in a config for an object.

    # Arguments
        instance: an object with a `get_config` method, a function or class (anything
            with a `__name__`), or `None`.

    # Returns
        `{"class_name": ..., "config": ...}` for an object with `get_config`, the name
        for a function, or `None` for `None`.

    # Raises
        ValueError: if the object has neither `get_config` nor a name.
    """
    if instance is None:
        return None
    if hasattr(instance, "get_config") and not isinstance(instance, type):
        return {"class_name": type(instance).__name__, "config": instance.get_config()}
    if hasattr(instance, "__name__"):
        return instance.__name__
    raise ValueError(
        f"Cannot serialize {instance!r}: it has no get_config() method and no __name__."
    )


def deserialize_keras_object(identifier, module_objects, custom_objects=None,
                             printable_module_name="object"):
    """Turns a name or a config back into the object it describes.

    A dictionary names a class (built with its `from_config`) or a function (called with
    the config as keyword arguments, as Keras 2's `glorot_uniform`). A string names a
    function, returned as it is, or a class, returned as an instance built with no
    arguments.

    # Arguments
        identifier: a string, a Keras 2 config `{"class_name": ..., "config": ...}` or a
            Keras 3 config (with `"module"` and `"registered_name"` besides).
        module_objects: the module's table, mapping names to classes or functions.
        custom_objects: an optional dictionary of user classes and functions, looked up
            after the module's own names.
        printable_module_name: what the objects are called in error messages, such as
            `"activation function"`.

    # Returns
        The object.

    # Raises
        ValueError: if the name is unknown or the identifier cannot be interpreted.
    """
    if isinstance(identifier, dict):
        return _from_config_dict(identifier, module_objects, custom_objects,
                                 printable_module_name)
    if isinstance(identifier, str):
        found = _find_object(identifier, module_objects, custom_objects, printable_module_name)
        return found() if isinstance(found, type) else found
    raise ValueError(
        f"Could not interpret {printable_module_name} identifier: {identifier!r}. Expected a "
        "name or a config dictionary."
    )


def _from_config_dict(identifier, module_objects, custom_objects, printable_module_name):
    if "class_name" not in identifier:
        raise ValueError(
            f"A {printable_module_name} config needs a 'class_name' key; received {identifier!r}."
        )
    class_name = identifier["class_name"]
    config = identifier.get("config") or {}
    if class_name == "function":
        # Keras 3 writes a plain function as {"class_name": "function", "config": "<name>"}.
        return _find_object(config, module_objects, custom_objects, printable_module_name)
    names = [class_name]
    if identifier.get("registered_name"):
        names.append(identifier["registered_name"])
    found = _find_object(names, module_objects, custom_objects, printable_module_name)
    if hasattr(found, "from_config"):
        return found.from_config(dict(config))
    return found(**config)


def _find_object(names, module_objects, custom_objects, printable_module_name):
    """Looks each name up in the module's table, then the given and the global custom objects."""
    names = [names] if isinstance(names, str) else names
    for table in (module_objects, custom_objects or {}, _GLOBAL_CUSTOM_OBJECTS):
        for name in names:
            if name in table:
                return table[name]
    raise ValueError(unknown_name_message(names[0], module_objects, printable_module_name))


def unknown_name_message(name, module_objects, printable_module_name):
    """Writes the error message for a name that a module does not know.

    # Arguments
        name: the unknown name.
        module_objects: the module's table of known names.
        printable_module_name: what the objects are called, such as `"loss function"`.

    # Returns
        A message naming the unknown name, a close match if there is one, and every
        known name.
    """
    known = sorted(module_objects)
    close = difflib.get_close_matches(str(name), known, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return (
        f"Unknown {printable_module_name}: {name!r}.{hint} Known: {', '.join(known)}. "
        "To use your own, pass it in custom_objects."
    )


from minikeras.utils.progbar import Progbar  # noqa: E402,F401  (Keras 2 path)
