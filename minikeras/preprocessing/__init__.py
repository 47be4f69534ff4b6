"""Preparing data for a model: loading, converting and saving images."""
from . import image

__all__ = ["image"]
