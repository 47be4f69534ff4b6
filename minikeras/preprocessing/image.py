"""Keras 2's `keras.preprocessing.image`: every image tool under one import path.

The tools live in files of their own, one idea each:

- `image_files`: PIL images to arrays and back, image files, folders of class
  subfolders (`load_img`, `img_to_array`, `array_to_img`, `save_img`,
  `load_image_folder`);
- `affine_transformations`: moving the pixels of one image (`apply_affine_transform`,
  `random_rotation`, `flip_axis`, ...);
- `image_data_generator`: `ImageDataGenerator`, random augmentation and normalisation;
- `iterators`: the batches it serves (`NumpyArrayIterator`, `DirectoryIterator`).

Arrays are channels-last, `(height, width, channels)`, unless
`data_format='channels_first'` is given.
"""
from minikeras.preprocessing.affine_transformations import (
    apply_affine_transform, apply_brightness_shift, apply_channel_shift, flip_axis,
    random_brightness, random_channel_shift, random_rotation, random_shear, random_shift,
    random_zoom, transform_matrix_offset_center,
)
from minikeras.preprocessing.image_data_generator import ImageDataGenerator
from minikeras.preprocessing.image_files import (
    COLOR_MODES, DATA_FORMATS, INTERPOLATION_METHODS, array_to_img, img_to_array,
    load_image_folder, load_img, save_img,
)
from minikeras.preprocessing.iterators import DirectoryIterator, Iterator, NumpyArrayIterator

__all__ = [
    "COLOR_MODES", "DATA_FORMATS", "INTERPOLATION_METHODS", "DirectoryIterator",
    "ImageDataGenerator", "Iterator", "NumpyArrayIterator", "apply_affine_transform",
    "apply_brightness_shift", "apply_channel_shift", "array_to_img", "flip_axis",
    "img_to_array", "load_image_folder", "load_img", "random_brightness",
    "random_channel_shift", "random_rotation", "random_shear", "random_shift", "random_zoom",
    "save_img", "transform_matrix_offset_center",
]
