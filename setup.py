"""Installs minikeras: `pip install .` (or `pip install -e ".[test]"` to develop)."""
from setuptools import find_packages, setup

setup(
    name="minikeras",
    version="0.1.0",
    description="A small, readable deep-learning library with the Keras API, "
                "on a tape-based autograd over NumPy and numba.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.9",
    packages=find_packages(include=["minikeras", "minikeras.*"]) + ["minikeras.course_material"],
    # The course (exercises, tests, solutions) ships inside the package, for `minikeras course`.
    package_dir={"minikeras.course_material": "course"},
    package_data={"minikeras.course_material": [
        "*.md", "*/*.md", "*/*.json", "*/*.ipynb", "*/*/*.py", "*/*/*.md", "*/*/*.ipynb"]},
    include_package_data=True,
    install_requires=[
        "numpy>=1.22",
        "numba>=0.57",
        "click>=8.0",
        "h5py>=3.0",
        "Pillow>=9.0",
    ],
    extras_require={
        # coverage 7.10.3 measures subprocesses with `patch = ["subprocess"]` (pyproject.toml).
        "test": ["pytest>=7", "hypothesis>=6", "coverage>=7.10.3", "tox>=4", "ruff>=0.4",
                 "pdoc>=14", "nbclient>=0.7", "nbformat>=5.1", "ipykernel>=6", "matplotlib>=3.5"],
        "plot": ["matplotlib>=3.5"],
        "bench": ["threadpoolctl>=3"],
    },
    entry_points={"console_scripts": ["minikeras=minikeras.cli:main"]},
)
