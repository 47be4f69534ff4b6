"""Strips the outputs of notebooks before they are committed.

```
python scripts/strip_notebooks.py                 # every notebook of course/ and examples/
python scripts/strip_notebooks.py path.ipynb ...  # these notebooks
python scripts/strip_notebooks.py --check         # list the notebooks to strip; exit 1 if any
```

Notebooks are stored without outputs, so that a diff shows only what was written and no
run of a cell leaks into the repository: every code cell loses its outputs, its execution
count and the timing that Jupyter and nbclient record in its metadata; the notebook loses
the version of the Python that last ran it. The file is read and written as plain JSON, in
the layout nbformat writes, so this needs no Jupyter package, and a notebook that is
already clean is left untouched.
"""
import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOK_FOLDERS = ("course", "examples")
# Metadata that only records a run: when a cell started and how long it took (per cell),
# the state of the widgets (per notebook).
RUN_CELL_METADATA = ("execution", "ExecuteTime")
RUN_NOTEBOOK_METADATA = ("widgets",)


def find_notebooks(root=ROOT):
    """Lists the notebooks of the course and of the examples.

    # Arguments
        root: the project's folder.

    # Returns
        A sorted list of paths, checkpoints (`.ipynb_checkpoints/`) left out.
    """
    found = []
    for folder in NOTEBOOK_FOLDERS:
        for directory, subfolders, files in os.walk(os.path.join(root, folder)):
            subfolders[:] = [name for name in subfolders if name != ".ipynb_checkpoints"]
            found += [os.path.join(directory, name) for name in files if name.endswith(".ipynb")]
    return sorted(found)


def strip(notebook):
    """Removes the outputs, execution counts and run records of a notebook, in place.

    # Arguments
        notebook: the notebook, as the dict its JSON file holds.

    # Returns
        Whether anything was removed.
    """
    metadata = notebook.get("metadata", {})
    changed = metadata.get("language_info", {}).pop("version", None) is not None
    for key in RUN_NOTEBOOK_METADATA:
        changed = metadata.pop(key, None) is not None or changed
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            cell["outputs"], cell["execution_count"] = [], None
            changed = True
        for key in RUN_CELL_METADATA:
            if key in cell.get("metadata", {}):
                del cell["metadata"][key]
                changed = True
    return changed


def to_json(notebook):
    """Writes a notebook as nbformat does: sorted keys, an indent of 1, a final newline.

    # Arguments
        notebook: the notebook, a dict.

    # Returns
        The text of the file.
    """
    return json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def strip_file(path, check_only=False):
    """Strips one notebook file, replacing it only once the new text is complete.

    # Arguments
        path: the `.ipynb` file.
        check_only: whether to only say if it needs stripping, without writing.

    # Returns
        Whether the file had outputs to strip.
    """
    with open(path, encoding="utf-8") as file:
        notebook = json.load(file)
    if not strip(notebook):
        return False
    if not check_only:
        temporary = path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(to_json(notebook))
        os.replace(temporary, path)
    return True


def main(argv=None):
    """Strips the notebooks named on the command line, or all of them.

    # Arguments
        argv: the arguments, `sys.argv[1:]` by default.

    # Returns
        The exit status: 1 if `--check` found notebooks with outputs, else 0.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks (default: course/ and examples/)")
    parser.add_argument("--check", action="store_true",
                        help="only list the notebooks that have outputs; exit 1 if any")
    arguments = parser.parse_args(argv)
    paths = arguments.paths or [os.path.relpath(path) for path in find_notebooks()]
    dirty = [path for path in paths if strip_file(path, check_only=arguments.check)]
    for path in dirty:
        print(f"{'has outputs' if arguments.check else 'stripped'}: {path}")
    if arguments.check and dirty:
        print("Strip them with: python scripts/strip_notebooks.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
