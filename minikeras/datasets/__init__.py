"""Data sets to learn from, loaded as NumPy arrays like `keras.datasets`.

`cars_vs_trucks` is drawn on the fly, so nothing is downloaded.
"""
from . import cars_vs_trucks

__all__ = ["cars_vs_trucks"]
