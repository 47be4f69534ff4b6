"""Builds the HTML API reference of minikeras from its docstrings, with pdoc.

    python scripts/build_docs.py                   # into docs/api/ (git-ignored)
    python scripts/build_docs.py --output-dir DIR

Every module of the package is documented, folders without an `__init__.py` included.
The script exits non-zero if the build breaks or warns (a module that fails to import,
a signature or source pdoc cannot read ...), listing every warning; the PEP8_DOC test
mode runs it.
"""
import argparse
import os
import shutil
import sys
import warnings
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "minikeras"
DEFAULT_OUTPUT = os.path.join(ROOT, "docs", "api")


def public_modules(package_dir, package=PACKAGE):
    """Lists the public modules of the package by walking its source tree.

    Unlike `pkgutil`, this also finds the modules in folders without an `__init__.py`.

    # Arguments
        package_dir: the package's folder.
        package: the package's name.

    # Returns
        A sorted list of dotted module names, none with a part starting with `_`.
    """
    names = set()
    for folder, subfolders, files in os.walk(package_dir):
        subfolders[:] = [name for name in subfolders
                         if name.isidentifier() and not name.startswith("_")]
        relative = os.path.relpath(folder, package_dir)
        prefix = package if relative == "." else package + "." + relative.replace(os.sep, ".")
        modules = [name[:-3] for name in files if name.endswith(".py")]
        if "__init__" in modules:
            names.add(prefix)
        names.update(f"{prefix}.{name}" for name in modules if not name.startswith("_"))
    return sorted(names)


def module_specs(modules):
    """Chooses the modules to name to pdoc so that each module gets exactly one page.

    pdoc documents a package's submodules itself, but only those in the package's
    `__all__` (when it has one) and never those in folders without an `__init__.py`;
    naming a module twice makes it warn.

    # Arguments
        modules: the dotted names of every module to document, parents first.

    # Returns
        The shortest list of names, in order, whose pdoc walk covers all of `modules`.
    """
    from pdoc.extract import walk_specs

    specs, reached = [], set()
    for name in modules:
        if name not in reached:
            specs.append(name)
            reached.update(walk_specs([name]))
    return specs


def build(output_dir=DEFAULT_OUTPUT):
    """Writes the HTML pages and collects the warnings raised while building them.

    # Arguments
        output_dir: the folder to write; it is emptied first.

    # Returns
        A list of warning messages (empty when the build is clean).

    # Raises
        ImportError: if pdoc is not installed.
    """
    import pdoc
    import pdoc.render

    import minikeras

    if os.path.isdir(output_dir):
        shutil.rmtree(output_dir)
    pdoc.render.configure(docformat="markdown", footer_text=f"minikeras {minikeras.__version__}",
                          show_source=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        modules = public_modules(os.path.dirname(os.path.abspath(minikeras.__file__)))
        pdoc.pdoc(*module_specs(modules), output_directory=Path(output_dir))
    return [f"{warning.category.__name__}: {warning.message} "
            f"({os.path.relpath(warning.filename, ROOT)}:{warning.lineno})"
            for warning in caught]


def main():
    """Runs the build from the command line; exits 1 on a warning or an error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default=DEFAULT_OUTPUT,
                        help="where to write the pages (default: docs/api)")
    arguments = parser.parse_args()
    try:
        problems = build(arguments.output_dir)
    except ImportError as error:
        sys.exit(f"build_docs: {error}. Install the test tools: pip install -e \".[test]\".")
    if problems:
        print(f"build_docs: the build gave {len(problems)} warning(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(1)
    pages = sum(name.endswith(".html") for _, _, files in os.walk(arguments.output_dir)
                for name in files)
    print(f"build_docs: wrote {pages} pages to {os.path.relpath(arguments.output_dir)}")


if __name__ == "__main__":
    main()
