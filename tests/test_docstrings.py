"""PEP8_DOC mode: every public name of minikeras has a Keras-style docstring.

One test per module of the package: all of them but `__main__` scripts, found with
`pkgutil.walk_packages` and, for folders without an `__init__.py`, in the source tree.
Each test lists every failure of its module, naming the object (`module.Class.method`)
and what is missing. A module that fails to import fails its test.

The rules:

- Public means reachable under a name that does not start with `_` and defined in
  minikeras (not re-exported from NumPy, click, ...). Each object is checked once, in
  the module that defines it. Dunder methods (and so `__init__`) are exempt.
- Every module, class, function, method and property has a docstring whose first line
  ends with a period. Properties need nothing more.
- Every argument of a function or method (but `self` / `cls`), written `*args` and
  `**kwargs` for the variadic ones, is described in `# Arguments`, in signature order.
  A class's constructor arguments (those of the `__init__` it defines itself) are
  described in the class docstring.
- A function that returns a value (`return <expr>`, not `return None`) has `# Returns`;
  a generator (`yield`) has `# Yields`; one with a `raise <exception>` statement has
  `# Raises`. Nested functions and classes do not count for their parent.
- Subclasses of `Layer` have `# Input shape` and `# Output shape` in the class docstring.
- In a `Layer` subclass, `call`, `build`, `compute_output_shape`, `get_config` and
  `from_config` need no `# Arguments` when a base class documents the method.
- A click command needs only its summary line (its docstring is the command's help).
"""
import ast
import functools
import importlib
import inspect
import os
import pkgutil
import re
import textwrap

import pytest

import minikeras

pytestmark = pytest.mark.pep8_doc

PACKAGE = "minikeras"
PACKAGE_DIR = os.path.dirname(os.path.abspath(minikeras.__file__))
LAYER_OVERRIDES = ("call", "build", "compute_output_shape", "get_config", "from_config")
ARGUMENT_LINE = re.compile(r"(\*{0,2}[A-Za-z_]\w*)\s*(\([^)]*\))?\s*:")
SECTION_LINE = re.compile(r"#\s+(\S.*?)\s*$")


# ---- finding the modules and the objects to check ----------------------------------------

def module_names():
    """Lists every module of the package, namespace folders included.

    A package's `__main__` is left out: it is a script, run by `python -m`, not imported.

    # Returns
        A sorted list of dotted module names.
    """
    names = {PACKAGE}
    for info in pkgutil.walk_packages(minikeras.__path__, PACKAGE + ".", onerror=lambda _: None):
        names.add(info.name)
    # walk_packages does not enter folders without an __init__.py: read the tree too.
    for folder, subfolders, files in os.walk(PACKAGE_DIR):
        subfolders[:] = [name for name in subfolders if name.isidentifier()]
        relative = os.path.relpath(folder, PACKAGE_DIR)
        prefix = PACKAGE if relative == "." else PACKAGE + "." + relative.replace(os.sep, ".")
        modules = [name[:-3] for name in files if name.endswith(".py")]
        if modules:
            names.add(prefix)
        names.update(f"{prefix}.{name}" for name in modules if name != "__init__")
    return sorted(name for name in names if not name.endswith(".__main__"))


def is_private(dotted_name):
    """Tells whether any part of a dotted name starts with an underscore.

    # Arguments
        dotted_name: a name such as `minikeras.layers.core`.

    # Returns
        A bool.
    """
    return any(part.startswith("_") for part in dotted_name.split("."))


def defining_module(obj):
    """Returns the name of the module defining `obj`, seeing through numba dispatchers.

    # Arguments
        obj: any object.

    # Returns
        A module name, or None.
    """
    command = click_callback(obj)
    if command is not None:
        return command.__module__
    target = getattr(obj, "py_func", obj)
    if not (inspect.isclass(target) or inspect.isfunction(target)):
        return None
    return getattr(target, "__module__", None)


def click_callback(obj):
    """Returns the function behind a click command, or None for anything else.

    # Arguments
        obj: any object.

    # Returns
        A function or None.
    """
    try:
        import click
    except ImportError:
        return None
    if isinstance(obj, click.Command) and inspect.isfunction(obj.callback):
        return obj.callback
    return None


def in_package(module_name):
    """Tells whether a module name belongs to minikeras.

    # Arguments
        module_name: a dotted module name, or None.

    # Returns
        A bool.
    """
    return bool(module_name) and (module_name == PACKAGE or module_name.startswith(PACKAGE + "."))


@functools.lru_cache(maxsize=None)
def objects_by_module():
    """Imports every module and assigns each public object to one module.

    An object defined in a public module is checked there; one defined in a private
    module (or under a private name) is checked where it is first found under a
    public name.

    # Returns
        A pair: a dict from module name to a list of `(qualified name, object)`, and a
        dict from module name to the text of the error raised importing it.
    """
    assigned, import_errors, seen = {}, {}, set()
    modules = {}
    for name in module_names():
        try:
            modules[name] = importlib.import_module(name)
        except Exception as error:  # every import failure is reported, not raised
            import_errors[name] = f"{type(error).__name__}: {error}"
    public_modules = [name for name in modules if not is_private(name)]
    for name in public_modules:
        for attribute, obj in sorted(vars(modules[name]).items()):
            origin = defining_module(obj)
            if attribute.startswith("_") or not in_package(origin) or id(obj) in seen:
                continue
            target = getattr(obj, "py_func", obj)
            qualname = getattr(target, "__qualname__", attribute)
            origin_module = modules.get(origin)
            if origin_module is None or is_private(origin):
                owner, qualname = name, attribute
            elif not is_private(qualname) and "<" not in qualname:
                owner = origin
            elif getattr(origin_module, attribute, None) is obj:
                owner, qualname = origin, attribute
            else:
                owner, qualname = name, attribute
            seen.add(id(obj))
            assigned.setdefault(owner, []).append((f"{owner}.{qualname}", obj))
    return assigned, import_errors


# ---- reading docstrings and sources --------------------------------------------------------

def sections_of(docstring):
    """Splits a cleaned docstring into its `# Title` sections, skipping fenced code.

    # Arguments
        docstring: the text, as `inspect.cleandoc` returns it.

    # Returns
        A dict from section title to its list of lines.
    """
    sections, current, in_code = {}, None, False
    for line in docstring.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        header = SECTION_LINE.match(line)
        if not in_code and header and not line.startswith(" "):
            current = sections.setdefault(header.group(1), [])
        elif current is not None and not in_code:
            current.append(line)
    return sections


def described_arguments(lines):
    """Reads the argument names an `# Arguments` section describes, in order.

    # Arguments
        lines: the section's lines.

    # Returns
        A list of names, such as `["units", "activation", "**kwargs"]`.
    """
    filled = [line for line in lines if line.strip()]
    if not filled:
        return []
    indent = min(len(line) - len(line.lstrip()) for line in filled)
    names = []
    for line in filled:
        match = ARGUMENT_LINE.match(line[indent:])
        if len(line) - len(line.lstrip()) == indent and match:
            names.append(match.group(1))
    return names


def signature_arguments(function, drop_first):
    """Lists the arguments a docstring must describe, in signature order.

    # Arguments
        function: a plain function.
        drop_first: whether to leave out the first argument (`self` or `cls`).

    # Returns
        A list of names, the variadic ones written `*args` and `**kwargs`.
    """
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return []
    if drop_first and parameters:
        parameters = parameters[1:]
    prefixes = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return [prefixes.get(parameter.kind, "") + parameter.name for parameter in parameters]


def body_facts(function):
    """Finds what a function's own body does: return a value, yield, raise.

    # Arguments
        function: a plain function.

    # Returns
        A set holding some of `"returns"`, `"yields"` and `"raises"`.
    """
    try:
        source = textwrap.dedent(inspect.getsource(inspect.unwrap(function)))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return set()
    definition = tree.body[0] if tree.body else None
    if not isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return set()
    facts, pending = set(), list(definition.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            facts.add("returns")
        elif isinstance(node, (ast.Yield, ast.YieldFrom)):
            facts.add("yields")
        elif isinstance(node, ast.Raise) and node.exc is not None:
            facts.add("raises")
        pending.extend(ast.iter_child_nodes(node))
    return facts


# ---- the checks ---------------------------------------------------------------------------

def check_summary(name, docstring):
    """Checks that a docstring exists and its first line ends with a period.

    # Arguments
        name: the object's qualified name, for the messages.
        docstring: the raw docstring, or None.

    # Returns
        A list of failure messages.
    """
    if not docstring or not docstring.strip():
        return [f"{name}: has no docstring"]
    first_line = inspect.cleandoc(docstring).splitlines()[0].rstrip()
    if not first_line.endswith("."):
        return [f"{name}: the summary line does not end with a period: {first_line!r}"]
    return []


def check_arguments(name, sections, arguments, where="# Arguments"):
    """Checks that an `# Arguments` section describes the arguments in order.

    # Arguments
        name: the object's qualified name, for the messages.
        sections: the docstring's sections, from `sections_of`.
        arguments: the signature's argument names, in order.
        where: how to name the section in the messages.

    # Returns
        A list of failure messages.
    """
    if "Arguments" not in sections:
        if arguments:
            return [f"{name}: has no '{where}' section (arguments: {', '.join(arguments)})"]
        return []
    described = described_arguments(sections["Arguments"])
    failures = [f"{name}: argument '{argument}' is not described in '{where}'"
                for argument in arguments if argument not in described]
    if not any(argument.startswith("**") for argument in arguments):
        failures += [f"{name}: '{where}' describes '{argument}', which is not an argument"
                     for argument in described if argument not in arguments]
    in_order = [argument for argument in described if argument in arguments]
    expected = [argument for argument in arguments if argument in described]
    if in_order != expected:
        failures.append(f"{name}: '{where}' lists ({', '.join(in_order)}) but the signature's "
                        f"order is ({', '.join(expected)})")
    return failures


def check_function(name, function, drop_first=False, arguments_exempt=False):
    """Checks the docstring of a function or method.

    # Arguments
        name: the qualified name, for the messages.
        function: the plain function (unwrapped from staticmethod / classmethod).
        drop_first: whether the first argument is `self` or `cls`.
        arguments_exempt: whether `# Arguments` may be left out (documented overrides).

    # Returns
        A list of failure messages.
    """
    failures = check_summary(name, function.__doc__)
    if failures:
        return failures
    sections = sections_of(inspect.cleandoc(function.__doc__))
    arguments = signature_arguments(function, drop_first)
    if not (arguments_exempt and "Arguments" not in sections):
        failures += check_arguments(name, sections, arguments)
    facts = body_facts(function)
    if "yields" in facts and "Yields" not in sections:
        failures.append(f"{name}: yields values but has no '# Yields' section")
    if "returns" in facts and "yields" not in facts and "Returns" not in sections:
        failures.append(f"{name}: returns a value but has no '# Returns' section")
    if "raises" in facts and "Raises" not in sections:
        failures.append(f"{name}: raises an exception but has no '# Raises' section")
    return failures


def base_documents(cls, method_name):
    """Tells whether a base class of `cls` defines `method_name` with a docstring.

    # Arguments
        cls: a class.
        method_name: the method's name.

    # Returns
        A bool.
    """
    for base in cls.__mro__[1:]:
        if method_name in vars(base):
            member = vars(base)[method_name]
            member = getattr(member, "__func__", member)
            return bool(getattr(member, "__doc__", None))
    return False


def check_class(name, cls, layer_class):
    """Checks a class's docstring, its constructor arguments and its public members.

    # Arguments
        name: the qualified name, for the messages.
        cls: the class.
        layer_class: minikeras's `Layer`, whose subclasses must give their shapes.

    # Returns
        A list of failure messages.
    """
    failures = check_summary(name, cls.__doc__)
    if failures:
        return failures
    sections = sections_of(inspect.cleandoc(cls.__doc__))
    constructor = vars(cls).get("__init__")
    if inspect.isfunction(constructor):
        failures += check_arguments(name, sections, signature_arguments(constructor, True),
                                    where="# Arguments (of the constructor)")
    is_layer = isinstance(cls, type) and issubclass(cls, layer_class)
    if is_layer:
        failures += [f"{name}: is a layer but its docstring has no '# {title}' section"
                     for title in ("Input shape", "Output shape") if title not in sections]
    for member_name, member in vars(cls).items():
        if member_name.startswith("_"):
            continue
        member_path = f"{name}.{member_name}"
        if isinstance(member, (property, functools.cached_property)):
            getter = member.fget if isinstance(member, property) else member.func
            failures += check_summary(member_path, getattr(getter, "__doc__", None))
        elif isinstance(member, (staticmethod, classmethod)) or inspect.isfunction(member):
            function = getattr(member, "__func__", member)
            exempt = is_layer and member_name in LAYER_OVERRIDES \
                and base_documents(cls, member_name)
            failures += check_function(member_path, function,
                                       drop_first=not isinstance(member, staticmethod),
                                       arguments_exempt=exempt)
        elif inspect.isclass(member) and in_package(member.__module__):
            failures += check_class(member_path, member, layer_class)
    return failures


def check_object(name, obj, layer_class):
    """Checks one module-level object: a class, a function or a click command.

    # Arguments
        name: the qualified name, for the messages.
        obj: the object.
        layer_class: minikeras's `Layer`.

    # Returns
        A list of failure messages.
    """
    callback = click_callback(obj)
    if callback is not None:
        return check_summary(name, callback.__doc__)
    if inspect.isclass(obj):
        return check_class(name, obj, layer_class)
    return check_function(name, getattr(obj, "py_func", obj))


@pytest.mark.parametrize("module_name", module_names())
def test_docstrings(module_name):
    from minikeras.engine.base_layer import Layer

    assigned, import_errors = objects_by_module()
    if module_name in import_errors:
        pytest.fail(f"{module_name}: cannot be imported: {import_errors[module_name]}")
    module = importlib.import_module(module_name)
    failures = []
    if not is_private(module_name):
        if getattr(module, "__file__", None) is None:
            failures.append(f"{module_name}: is a folder without an __init__.py, so the "
                            "package has no docstring")
        else:
            failures += check_summary(module_name, module.__doc__)
    for name, obj in assigned.get(module_name, []):
        failures += check_object(name, obj, Layer)
    if failures:
        pytest.fail(f"{len(failures)} docstring problem(s) in {module_name}:\n  "
                    + "\n  ".join(failures), pytrace=False)


# ---- the checker itself, on small examples -------------------------------------------------

def _incomplete(a, b, *rest, c=1, **options):
    """Adds things.

    # Arguments
        b: the second.
        a: the first.
        *rest: more.
        d: not an argument.
    """
    if a:
        raise ValueError("a")
    return a


def _complete(a, b=None):
    """Adds things.

    # Arguments
        a: the first.
        b (optional): the second, which
            takes two lines.

    # Returns
        The sum.

    # Example
    ```python
    # Arguments
    _complete(1)
    ```
    """
    def inner():
        raise ValueError("an inner function's raise is its own")
    return a


def _generator(n):
    """Counts.

    # Arguments
        n: how far.

    # Yields
        Ints.
    """
    yield from range(n)
    return None


class _FakeLayer:
    """A base class standing in for `Layer`.

    # Input shape
        Any.

    # Output shape
        The same.
    """

    def call(self, inputs):
        """Computes.

        # Arguments
            inputs: a tensor.

        # Returns
            A tensor.
        """
        return inputs


class _Shapeless(_FakeLayer):
    """A layer with no shapes.

    # Arguments
        units: how many.
    """

    def __init__(self, units, name=None):
        self.units = units

    def call(self, inputs):
        """Returns the inputs.

        # Returns
            The inputs.
        """
        return inputs

    def compute(self, inputs):
        """Computes."""
        return inputs

    @property
    def size(self):
        return self.units


def test_checker_reports_every_missing_piece():
    failures = "\n".join(check_function("sample", _incomplete))
    assert "argument 'c' is not described" in failures
    assert "argument '**options' is not described" in failures
    assert "describes 'd', which is not an argument" not in failures  # **options takes it
    assert "lists (b, a, *rest) but the signature's order is (a, b, *rest)" in failures
    assert "returns a value but has no '# Returns' section" in failures
    assert "raises an exception but has no '# Raises' section" in failures


def test_checker_wants_a_one_line_summary_ending_with_a_period():
    assert check_summary("f", None) == ["f: has no docstring"]
    assert check_summary("f", "Adds a to b,\n    and returns the sum.") == [
        "f: the summary line does not end with a period: 'Adds a to b,'"]
    assert check_summary("f", "\n    Adds a to b.\n") == []


def test_checker_accepts_complete_docstrings():
    assert check_function("sample", _complete) == []
    assert check_function("sample", _generator) == []


def test_checker_checks_classes_and_their_members():
    failures = "\n".join(check_class("_Shapeless", _Shapeless, _FakeLayer))
    assert "_Shapeless: argument 'name' is not described in '# Arguments (of the constructor)'" \
        in failures
    assert "_Shapeless: is a layer but its docstring has no '# Input shape' section" in failures
    assert "no '# Output shape' section" in failures
    assert "_Shapeless.call" not in failures  # a documented override needs no # Arguments
    assert "_Shapeless.compute: has no '# Arguments' section (arguments: inputs)" in failures
    assert "_Shapeless.compute: returns a value but has no '# Returns' section" in failures
    assert "_Shapeless.size: has no docstring" in failures
