"""API mode: the public API against `scripts/api.json`, and the documented examples run.

- `test_public_api_matches_the_recorded_spec` runs `scripts/api_spec.py`'s comparison;
  the other `test_spec_*` tests check that comparison on small made-up specs.
- `test_example` runs, verbatim and each in a fresh namespace and an empty working
  folder, every ```python block of README.md and every file `tests/examples/*.py`.
"""
import glob
import importlib.util
import os
import re
import runpy

import pytest

pytestmark = pytest.mark.api

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ROOT, "README.md")
EXAMPLES_DIR = os.path.join(ROOT, "tests", "examples")
PYTHON_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def load_api_spec_script():
    """Imports `scripts/api_spec.py` (the scripts folder is not a package).

    # Returns
        The module.
    """
    spec = importlib.util.spec_from_file_location(
        "api_spec", os.path.join(ROOT, "scripts", "api_spec.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


api_spec = load_api_spec_script()


# ---- the recorded spec ----------------------------------------------------------------------

def test_public_api_matches_the_recorded_spec():
    report, compatible = api_spec.check()
    if not compatible:
        pytest.fail(report, pytrace=False)


def make_spec(parameters, members=None):
    """Builds a small spec: a function `f` and a class `C` in a module `m`.

    # Arguments
        parameters: the parameters of `f`, written as in `scripts/api.json`.
        members: the members `C` defines, by name; a constructor by default.

    # Returns
        A spec, as `api_spec.current_spec` returns one.
    """
    if members is None:
        members = {"__init__": {"kind": "method", "parameters": ["self", "units"]}}
    return {
        "modules": {"m": {"f": {"kind": "function", "parameters": parameters},
                          "C": {"kind": "class", "class": "m.core.C"}}},
        "classes": {"m.core.C": {"mro": ["m.core.C"], "members": members}},
        "missing": [],
    }


def test_spec_accepts_an_added_argument_with_a_default():
    old = make_spec(["x", "use_bias=True"])
    new = make_spec(["x", "use_bias=True", "name=None", "*", "dtype=None", "**kwargs"])
    breaking, added = api_spec.compare(old, new)
    assert breaking == []
    assert "m.f: argument 'name' was added" in added
    assert "m.f: argument 'kwargs' was added" in added


def test_spec_accepts_added_names_and_members():
    old = make_spec(["x"])
    new = make_spec(["x"], members={
        "__init__": {"kind": "method", "parameters": ["self", "units"]},
        "call": {"kind": "method", "parameters": ["self", "inputs"]}})
    new["modules"]["m"]["g"] = {"kind": "function", "parameters": []}
    breaking, added = api_spec.compare(old, new)
    assert breaking == []
    assert added == ["m.C.call: was added", "m.g: was added"]


def test_spec_rejects_a_removed_or_renamed_argument():
    breaking, _ = api_spec.compare(make_spec(["x", "axis=-1"]), make_spec(["x", "dim=-1"]))
    assert "m.f: argument 'axis' was removed or renamed" in breaking


def test_spec_rejects_a_changed_default():
    old = make_spec(["x"], members={
        "__init__": {"kind": "method", "parameters": ["self", "units", "use_bias=True"]}})
    new = make_spec(["x"], members={
        "__init__": {"kind": "method", "parameters": ["self", "units", "use_bias=False"]}})
    breaking, _ = api_spec.compare(old, new)
    assert breaking == ["m.C.__init__: default of 'use_bias' changed from True to False"]


def test_spec_rejects_a_required_argument_a_moved_one_and_a_removed_name():
    breaking, _ = api_spec.compare(make_spec(["x", "y=1"]), make_spec(["x", "z", "y=1"]))
    assert breaking == ["m.f: required argument 'z' was added",
                        "m.f: argument 'y' moved from position 1 to 2, which breaks "
                        "positional calls"]
    new = make_spec(["x"], members={})
    del new["modules"]["m"]["f"]
    breaking, _ = api_spec.compare(make_spec(["x"]), new)
    assert breaking == ["m.f: was removed or renamed", "m.C.__init__: was removed or renamed"]


def test_spec_reads_back_the_parameters_it_writes():
    def function(a, b=(1, 2), /, c="x=y", *args, d, e=None, **kwargs):
        pass

    entries = api_spec.describe_parameters(function)
    assert entries == ["a", "b=(1, 2)", "/", "c='x=y'", "*args", "d", "e=None", "**kwargs"]
    kinds = [(p["name"], p["kind"], p.get("default"))
             for p in api_spec.parse_parameters(entries)]
    assert kinds == [("a", "POSITIONAL_ONLY", None), ("b", "POSITIONAL_ONLY", "(1, 2)"),
                     ("c", "POSITIONAL_OR_KEYWORD", "'x=y'"), ("args", "VAR_POSITIONAL", None),
                     ("d", "KEYWORD_ONLY", None), ("e", "KEYWORD_ONLY", "None"),
                     ("kwargs", "VAR_KEYWORD", None)]


# ---- the examples ---------------------------------------------------------------------------

def readme_examples():
    """Finds the ```python blocks of README.md.

    # Returns
        A list of `pytest.param(filename, source)`, one per block, named by its line.
    """
    with open(README, encoding="utf-8") as file:
        text = file.read()
    examples = []
    for match in PYTHON_BLOCK.finditer(text):
        line = text.count("\n", 0, match.start(1)) + 1
        source = "\n" * (line - 1) + match.group(1)  # so tracebacks give README's lines
        examples.append(pytest.param(README, source, id=f"README.md:{line}"))
    return examples


def example_files():
    """Finds the example scripts `tests/examples/*.py`.

    # Returns
        A list of `pytest.param(filename, None)`, one per file.
    """
    return [pytest.param(path, None, id=os.path.relpath(path, ROOT))
            for path in sorted(glob.glob(os.path.join(EXAMPLES_DIR, "*.py")))]


@pytest.mark.parametrize("filename, source", readme_examples() + example_files())
def test_example(filename, source, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if source is None:
        runpy.run_path(filename, run_name="__main__")
    else:
        exec(compile(source, filename, "exec"), {"__name__": "__main__"})
