"""Records the public API of minikeras in `scripts/api.json`, and checks it has not broken.

    python scripts/api_spec.py            # compare with the recorded spec; exit 1 on a break
    python scripts/api_spec.py --write    # record the API as it is now (a deliberate change)

The spec holds every public name of `minikeras` and of its Keras-path submodules
(`minikeras.layers`, `minikeras.optimizers`, ...; those that do not import yet are skipped
with a note), with the signature of each function and method (parameter names, kinds
and defaults) and the public methods and properties of each class.

A module's public names are its `__all__`, or, without one, every name not starting with
`_` that holds a class or function defined in minikeras, one of its submodules, or a
plain constant.

Adding a name, or an argument with a default at the end, keeps old code working and
passes. Removing or renaming a name or an argument, changing a default, adding a
required argument, or moving an argument to another position fails, with a line saying
what changed, until the spec is rewritten on purpose with `--write`.
"""
import argparse
import importlib
import inspect
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC_FILE = os.path.join(ROOT, "scripts", "api.json")
PACKAGE = "minikeras"
KERAS_PATHS = (
    "minikeras",
    "minikeras.activations",
    "minikeras.backend",
    "minikeras.callbacks",
    "minikeras.constraints",
    "minikeras.datasets.cars_vs_trucks",
    "minikeras.initializers",
    "minikeras.layers",
    "minikeras.layers.convolutional",
    "minikeras.layers.core",
    "minikeras.layers.merge",
    "minikeras.layers.normalization",
    "minikeras.layers.pooling",
    "minikeras.losses",
    "minikeras.metrics",
    "minikeras.models",
    "minikeras.ops",
    "minikeras.optimizers",
    "minikeras.preprocessing.image",
    "minikeras.regularizers",
    "minikeras.utils",
    "minikeras.wrappers.scikit_learn",
)
CONSTANT_TYPES = (bool, int, float, str, bytes, tuple, frozenset, type(None))
POSITIONAL = ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")
VARIADIC = ("VAR_POSITIONAL", "VAR_KEYWORD")
SPECIAL_METHODS = ("__init__", "__call__")


# ---- describing the API as it is now ---------------------------------------------------------

def resolve(path):
    """Imports a Keras path, as a module or as a module attribute of its parent.

    `minikeras.ops`, for one, is the module `minikeras.autograd.ops` set as an attribute.

    # Arguments
        path: a dotted name such as `minikeras.layers`.

    # Returns
        The module, or None if the path does not exist.

    # Raises
        Exception: whatever importing an existing but broken module raises.
    """
    try:
        return importlib.import_module(path)
    except ModuleNotFoundError as error:
        if not error.name or not (path == error.name or path.startswith(error.name + ".")):
            raise
    parent, _, attribute = path.rpartition(".")
    try:
        value = getattr(importlib.import_module(parent), attribute, None) if parent else None
    except ModuleNotFoundError:
        return None
    return value if inspect.ismodule(value) else None


def defined_in_package(obj):
    """Tells whether a class or function was defined in minikeras.

    # Arguments
        obj: any object.

    # Returns
        A bool.
    """
    target = getattr(obj, "py_func", obj)
    if not (inspect.isclass(target) or inspect.isfunction(target)):
        return False
    module = getattr(target, "__module__", None) or ""
    return module == PACKAGE or module.startswith(PACKAGE + ".")


def public_names(module):
    """Lists a module's public names: its `__all__`, or what it defines and exposes.

    # Arguments
        module: the module.

    # Returns
        A sorted list of names.
    """
    if hasattr(module, "__all__"):
        return sorted(name for name in module.__all__ if hasattr(module, name))
    names = []
    for name in dir(module):  # not `vars`: `minikeras.backend` lists names it hands out lazily
        if name.startswith("_"):
            continue
        value = getattr(module, name)
        is_child = inspect.ismodule(value) and value.__name__.startswith(module.__name__ + ".")
        if is_child or defined_in_package(value) or isinstance(value, CONSTANT_TYPES):
            names.append(name)
    return sorted(names)


def stable_repr(value):
    """Writes a default value so that it reads the same in every run.

    # Arguments
        value: the default.

    # Returns
        Its `repr`, with functions and classes named by their module and qualified name
        and memory addresses left out.
    """
    target = getattr(value, "py_func", value)
    if inspect.isclass(target) or inspect.isfunction(target) or inspect.isbuiltin(target):
        kind = "class" if inspect.isclass(target) else "function"
        return f"<{kind} {target.__module__}.{target.__qualname__}>"
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))


def describe_parameters(function):
    """Describes a callable's parameters as Python writes a signature.

    # Arguments
        function: a function, method or class.

    # Returns
        A list of strings such as `["self", "units", "use_bias=True", "*", "name=None",
        "**kwargs"]` (`"/"` and `"*"` mark positional-only and keyword-only parameters
        as in a `def`), or None if Python cannot read the signature.
    """
    try:
        signature = inspect.signature(getattr(function, "py_func", function))
    except (TypeError, ValueError):
        return None
    entries, previous = [], None
    for parameter in signature.parameters.values():
        kind = parameter.kind.name
        if previous == "POSITIONAL_ONLY" and kind != previous:
            entries.append("/")
        if kind == "KEYWORD_ONLY" and previous not in ("VAR_POSITIONAL", "KEYWORD_ONLY"):
            entries.append("*")
        entry = {"VAR_POSITIONAL": "*", "VAR_KEYWORD": "**"}.get(kind, "") + parameter.name
        if parameter.default is not inspect.Parameter.empty:
            entry += "=" + stable_repr(parameter.default)
        entries.append(entry)
        previous = kind
    if previous == "POSITIONAL_ONLY":
        entries.append("/")
    return entries


def parse_parameters(entries):
    """Reads back the parameters that `describe_parameters` wrote.

    # Arguments
        entries: the list of strings.

    # Returns
        A list of dicts with `name`, `kind` (as `inspect.Parameter.kind.name`) and, for a
        parameter that has one, `default`.
    """
    kind = "POSITIONAL_ONLY" if "/" in entries else "POSITIONAL_OR_KEYWORD"
    parameters = []
    for entry in entries:
        if entry == "/":
            kind = "POSITIONAL_OR_KEYWORD"
        elif entry == "*":
            kind = "KEYWORD_ONLY"
        elif entry.startswith("**"):
            parameters.append({"name": entry[2:], "kind": "VAR_KEYWORD"})
        elif entry.startswith("*"):
            parameters.append({"name": entry[1:], "kind": "VAR_POSITIONAL"})
            kind = "KEYWORD_ONLY"
        else:
            name, has_default, default = entry.partition("=")
            parameters.append({"name": name, "kind": kind})
            if has_default:
                parameters[-1]["default"] = default
    return parameters


def class_key(cls):
    """Names a class by where it is defined, such as `minikeras.layers.core.Dense`.

    # Arguments
        cls: the class.

    # Returns
        A dotted name.
    """
    return f"{cls.__module__}.{cls.__qualname__}"


def describe_member(cls, name):
    """Describes one member a class defines itself.

    # Arguments
        cls: the class.
        name: the member's name, a key of `vars(cls)`.

    # Returns
        A dict: its kind and, for a method, its parameters.
    """
    raw = vars(cls)[name]
    if isinstance(raw, property):
        return {"kind": "property"}
    if isinstance(raw, (staticmethod, classmethod)) or inspect.isfunction(raw):
        kind = {staticmethod: "staticmethod", classmethod: "classmethod"}.get(type(raw), "method")
        return {"kind": kind, "parameters": describe_parameters(getattr(cls, name))}
    return {"kind": "attribute"}


def add_class(cls, classes):
    """Describes a class and its minikeras base classes in the table of classes.

    Each class records the members it defines itself (public ones, `__init__` and
    `__call__`) and its method resolution order, from which its inherited members follow.

    # Arguments
        cls: a class defined in minikeras.
        classes: the table, a dict from `class_key` to description, filled in place.

    # Returns
        The class's key.
    """
    key = class_key(cls)
    if key not in classes:
        bases = [base for base in cls.__mro__ if defined_in_package(base)]
        members = {name: describe_member(cls, name) for name in sorted(vars(cls))
                   if not name.startswith("_") or name in SPECIAL_METHODS}
        classes[key] = {"mro": [class_key(base) for base in bases], "members": members}
        for base in bases[1:]:
            add_class(base, classes)
    return key


def describe(value, classes):
    """Describes the value of one public name.

    # Arguments
        value: a module, class, function or constant.
        classes: the table of classes, to which a class defined in minikeras is added.

    # Returns
        A JSON-serializable dict with the value's `kind`.
    """
    if inspect.ismodule(value):
        return {"kind": "module", "module": value.__name__}
    if inspect.isclass(value) and defined_in_package(value):
        return {"kind": "class", "class": add_class(value, classes)}
    if inspect.isclass(value):
        return {"kind": "class", "class": class_key(value), "external": True}
    parameters = describe_parameters(value) if callable(value) else None
    if parameters is not None:
        return {"kind": "function", "parameters": parameters}
    return {"kind": "constant", "type": type(value).__name__}


def current_spec(paths=KERAS_PATHS):
    """Describes the public API as it is now.

    # Arguments
        paths: the module paths to describe.

    # Returns
        A dict: `modules` maps each path that imports to its names' descriptions;
        `classes` describes the classes defined in minikeras by their `class_key`;
        `missing` lists the paths that do not exist (yet).
    """
    modules, classes, missing = {}, {}, []
    for path in paths:
        module = resolve(path)
        if module is None:
            missing.append(path)
            continue
        modules[path] = {name: describe(getattr(module, name), classes)
                         for name in public_names(module)}
    return {"modules": modules, "classes": classes, "missing": missing}


# ---- comparing with the recorded spec --------------------------------------------------------

def compare_parameters(path, old, new):
    """Compares two parameter lists of one callable.

    # Arguments
        path: the callable's public name, for the messages.
        old: the recorded parameters, as `parse_parameters` returns them.
        new: the current parameters, likewise.

    # Returns
        A pair of lists of messages: the breaking changes and the compatible additions.
    """
    breaking, added = [], []
    old_by_name = {parameter["name"]: parameter for parameter in old}
    new_by_name = {parameter["name"]: parameter for parameter in new}
    for name, before in old_by_name.items():
        after = new_by_name.get(name)
        if after is None:
            breaking.append(f"{path}: argument '{name}' was removed or renamed")
            continue
        if "default" in before and "default" not in after:
            breaking.append(f"{path}: argument '{name}' lost its default "
                            f"({before['default']}); it is now required")
        elif "default" in before and before["default"] != after["default"]:
            breaking.append(f"{path}: default of '{name}' changed from {before['default']} "
                            f"to {after['default']}")
        if before["kind"] != after["kind"] and after["kind"] != "POSITIONAL_OR_KEYWORD":
            breaking.append(f"{path}: argument '{name}' changed from {before['kind']} "
                            f"to {after['kind']}")
    for name, after in new_by_name.items():
        if name in old_by_name:
            continue
        if "default" in after or after["kind"] in VARIADIC:
            added.append(f"{path}: argument '{name}' was added")
        else:
            breaking.append(f"{path}: required argument '{name}' was added")
    old_positions = [p["name"] for p in old if p["kind"] in POSITIONAL]
    new_positions = [p["name"] for p in new if p["kind"] in POSITIONAL]
    for position, name in enumerate(old_positions):
        if name in new_positions and new_positions.index(name) != position:
            breaking.append(f"{path}: argument '{name}' moved from position {position} to "
                            f"{new_positions.index(name)}, which breaks positional calls")
    return breaking, added


def compare_callables(path, old, new):
    """Compares the recorded and current descriptions of a function, method or member.

    # Arguments
        path: its public name, such as `minikeras.layers.Dense.__init__`.
        old: the recorded description.
        new: the current description.

    # Returns
        A pair of lists of messages: the breaking changes and the compatible additions.
    """
    if old["kind"] != new["kind"]:
        return [f"{path}: was a {old['kind']}, is now a {new['kind']}"], []
    if old.get("parameters") is None or new.get("parameters") is None:
        return [], []
    return compare_parameters(path, parse_parameters(old["parameters"]),
                              parse_parameters(new["parameters"]))


def all_members(spec, key):
    """Lists a class's members, inherited ones included, with the class defining each.

    # Arguments
        spec: a spec, as `current_spec` returns it.
        key: the class's key in `spec["classes"]`.

    # Returns
        A dict from member name to a pair: the defining class's key, the description.
    """
    members = {}
    for owner in spec["classes"].get(key, {}).get("mro", []):
        for name, description in spec["classes"].get(owner, {}).get("members", {}).items():
            members.setdefault(name, (owner, description))
    return members


def public_class_names(*specs):
    """Finds the shortest public name of each class, to name it in messages.

    # Arguments
        *specs: the specs to search, the first one found winning.

    # Returns
        A dict from class key to a name such as `minikeras.layers.Dense`.
    """
    names = {}
    for spec in specs:
        for path, described in spec["modules"].items():
            for name, description in described.items():
                candidate = f"{path}.{name}"
                current = names.get(description.get("class"))
                if description["kind"] == "class" and (
                        current is None or (candidate.count("."), candidate)
                        < (current.count("."), current)):
                    names[description["class"]] = candidate
    return names


def compare_classes(path, old_spec, new_spec, old, new, class_names):
    """Compares the members of a class, inherited ones included.

    A member's change is named after the class defining it, so that a change to
    `Layer.get_weights` is reported once, not once for every layer.

    # Arguments
        path: the class's public name.
        old_spec: the recorded spec.
        new_spec: the current spec.
        old: the class's recorded description.
        new: its current description.
        class_names: public class names, from `public_class_names`.

    # Returns
        A pair of lists of messages: the breaking changes and the compatible additions.
    """
    old_members = all_members(old_spec, old["class"])
    new_members = all_members(new_spec, new["class"])
    breaking, added = [], []
    for name, (old_owner, description) in old_members.items():
        if name not in new_members:
            breaking.append(f"{class_names.get(old_owner, old_owner)}.{name}: was removed "
                            f"or renamed")
            continue
        new_owner, new_description = new_members[name]
        owner = class_names.get(new_owner, new_owner) if new_owner == old_owner else path
        more_breaking, more_added = compare_callables(f"{owner}.{name}", description,
                                                      new_description)
        breaking += more_breaking
        added += more_added
    added += [f"{class_names.get(owner, owner)}.{name}: was added"
              for name, (owner, _) in new_members.items() if name not in old_members]
    return breaking, added


def compare(old, new):
    """Compares a recorded spec with the current one.

    # Arguments
        old: the recorded spec (as `current_spec` returns it).
        new: the current spec.

    # Returns
        A pair of lists of messages, each message once: the breaking changes, and the
        additions and other compatible changes.
    """
    class_names = public_class_names(new, old)
    breaking, added = [], []
    for path, names in old["modules"].items():
        if path not in new["modules"]:
            breaking.append(f"{path}: the module no longer imports")
            continue
        current = new["modules"][path]
        for name, description in names.items():
            public_name = f"{path}.{name}"
            if name not in current:
                breaking.append(f"{public_name}: was removed or renamed")
            elif description["kind"] == "class" == current[name]["kind"]:
                more = compare_classes(public_name, old, new, description, current[name],
                                       class_names)
                breaking += more[0]
                added += more[1]
            else:
                more = compare_callables(public_name, description, current[name])
                breaking += more[0]
                added += more[1]
        added += [f"{path}.{name}: was added" for name in current if name not in names]
    added += [f"{path}: the module now exists" for path in new["modules"]
              if path not in old["modules"]]
    return list(dict.fromkeys(breaking)), list(dict.fromkeys(added))


# ---- the command line ------------------------------------------------------------------------

def load_spec(filename=SPEC_FILE):
    """Reads the recorded spec.

    # Arguments
        filename: the JSON file.

    # Returns
        The spec, a dict.
    """
    with open(filename, encoding="utf-8") as file:
        return json.load(file)


def write_spec(spec, filename=SPEC_FILE):
    """Writes a spec as sorted, indented JSON, so that its changes read well in a diff.

    # Arguments
        spec: the spec, as `current_spec` returns it.
        filename: the JSON file.
    """
    with open(filename, "w", encoding="utf-8") as file:
        json.dump(spec, file, indent=1, sort_keys=True)
        file.write("\n")


def check(filename=SPEC_FILE):
    """Compares the current API with the recorded spec.

    # Arguments
        filename: the recorded spec.

    # Returns
        A pair: the report (text) and whether the API is compatible with the spec.
    """
    if not os.path.exists(filename):
        return f"No recorded API spec at {filename}: record one with --write.", False
    breaking, added = compare(load_spec(filename), current_spec())
    lines = []
    if breaking:
        lines.append(f"{len(breaking)} breaking change(s) to the public API:")
        lines += [f"  {message}" for message in breaking]
        lines.append("If they are intended, record the new API: python scripts/api_spec.py "
                     "--write")
    else:
        lines.append("The public API matches scripts/api.json.")
    if added:
        lines.append(f"{len(added)} compatible addition(s), not recorded yet:")
        lines += [f"  {message}" for message in added]
    return "\n".join(lines), not breaking


def main():
    """Compares with or writes the spec, from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true",
                        help="record the current API in scripts/api.json")
    arguments = parser.parse_args()
    if arguments.write:
        spec = current_spec()
        write_spec(spec)
        count = sum(len(names) for names in spec["modules"].values())
        print(f"Recorded {count} public names of {len(spec['modules'])} modules in "
              f"{os.path.relpath(SPEC_FILE)}.")
        for path in spec["missing"]:
            print(f"  skipped {path}: it does not exist yet")
        return
    report, compatible = check()
    print(report)
    sys.exit(0 if compatible else 1)


if __name__ == "__main__":
    main()
