"""The table of layer classes by name, filled as classes are defined, for deserialization."""

_layer_classes = {}


def register_layer_class(cls):
    """Records a layer class under its name (called by `Layer.__init_subclass__`).

    # Arguments
        cls: a subclass of `Layer`.
    """
    _layer_classes.setdefault(cls.__name__, cls)


def get_layer_class(class_name, custom_objects=None):
    """Finds a layer class by name, looking in `custom_objects` first.

    # Arguments
        class_name: the name stored in a config, such as `"Dense"`.
        custom_objects: an optional dict of user classes by name.

    # Returns
        The class.

    # Raises
        ValueError: if no class of that name is known.
    """
    if custom_objects and class_name in custom_objects:
        return custom_objects[class_name]
    aliases = {"Functional": "Model"}
    name = aliases.get(class_name, class_name)
    if name not in _layer_classes:
        raise ValueError(
            f"Unknown layer class {class_name!r}. If it is a layer of your own, pass it in "
            f"`custom_objects={{'{class_name}': {class_name}}}`."
        )
    return _layer_classes[name]


# Keys Keras 3 writes into layer configs that carry no meaning for minikeras when unset.
_IGNORED_WHEN_UNSET = {"quantization_config": None, "optional": False, "ragged": False,
                       "lora_rank": None, "lora_alpha": None, "sparse": False,
                       "synchronized": False, "groups": 1, "keepdims": False,
                       "time_major": False}


def layer_from_config(layer_config, custom_objects=None):
    """Creates a layer from `{"class_name": ..., "config": ...}`, as Keras 2 or 3 wrote it.

    Keras 3's dtype policies (`{"class_name": "DTypePolicy", "config": {"name": ...}}`)
    become plain dtype names, and its keys that are unset and unknown to minikeras are
    dropped.

    # Arguments
        layer_config: a dict with `class_name` and `config`.
        custom_objects: an optional dict of user classes and functions by name.

    # Returns
        A new layer.

    # Raises
        ValueError: if the class is unknown or the config is malformed.
    """
    if not isinstance(layer_config, dict) or "class_name" not in layer_config:
        raise ValueError(
            f"A layer config must be a dict with 'class_name' and 'config'; received "
            f"{str(layer_config)[:200]}."
        )
    cls = get_layer_class(layer_config["class_name"], custom_objects)
    config = dict(layer_config.get("config", {}))
    dtype = config.get("dtype")
    if isinstance(dtype, dict):
        config["dtype"] = dtype.get("config", {}).get("name", "float32")
    for key, unset in _IGNORED_WHEN_UNSET.items():
        if key in config and config[key] == unset:
            del config[key]
    from_config = cls.from_config
    try:
        import inspect
        if "custom_objects" in inspect.signature(from_config).parameters:
            return from_config(config, custom_objects=custom_objects)
        return from_config(config)
    except TypeError as error:
        raise ValueError(
            f"Could not create layer {config.get('name')!r} of class "
            f"{layer_config['class_name']!r} from its config: {error}"
        ) from error
