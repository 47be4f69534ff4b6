"""Image files: PIL images to arrays and back, files to images, folders to data sets.

Follows `keras.preprocessing.image` of Keras 2, which is where to import these from.
Arrays are channels-last, `(height, width, channels)`, unless
`data_format='channels_first'` is given.
"""
import io
import os
import warnings

import numpy as np
from PIL import Image

from minikeras import backend
from minikeras.engine import io_utils

DATA_FORMATS = backend._IMAGE_DATA_FORMATS  # the formats `img_to_array` and the rest take
COLOR_MODES = ("grayscale", "rgb", "rgba")

INTERPOLATION_METHODS = {
    "nearest": Image.NEAREST,
    "bilinear": Image.BILINEAR,
    "bicubic": Image.BICUBIC,
    "hamming": Image.HAMMING,
    "box": Image.BOX,
    "lanczos": Image.LANCZOS,
}

# How many names of skipped files a warning shows.
_NAMES_SHOWN = 3

# What PIL raises for a file that is not an image it can read.
_UNREADABLE_ERRORS = (OSError, ValueError, SyntaxError, Image.DecompressionBombError)


def load_img(path, grayscale=False, color_mode="rgb", target_size=None,
             interpolation="nearest"):
    """Loads an image file into a PIL image.

    # Arguments
        path: path of the image file.
        grayscale: deprecated, use `color_mode='grayscale'` instead.
        color_mode: one of `'grayscale'`, `'rgb'` or `'rgba'`; the image is
            converted to it.
        target_size: `None` to keep the image's size, or a tuple
            `(height, width)` to resize it to.
        interpolation: how to resample when resizing: `'nearest'`,
            `'bilinear'`, `'bicubic'`, `'hamming'`, `'box'` or `'lanczos'`.

    # Returns
        A PIL Image instance.

    # Raises
        ValueError: if `color_mode` or `interpolation` is not one of the above.
        FileNotFoundError: if there is no file at `path`.
        PIL.UnidentifiedImageError: if the file is not an image PIL can read.
    """
    if grayscale:
        warnings.warn('grayscale is deprecated. Please use color_mode="grayscale" instead.')
        color_mode = "grayscale"
    _check_choice("color_mode", color_mode, COLOR_MODES)
    with open(path, "rb") as image_file:
        img = Image.open(io.BytesIO(image_file.read()))
        img.load()
    img = _convert_color_mode(img, color_mode)
    if target_size is not None:
        img = _resize(img, target_size, interpolation)
    return img


def _convert_color_mode(img, color_mode):
    if color_mode == "grayscale":
        # 16- and 32-bit grey images keep their depth, as in Keras.
        return img if img.mode in ("L", "I;16", "I") else img.convert("L")
    wanted_mode = color_mode.upper()
    return img if img.mode == wanted_mode else img.convert(wanted_mode)


def _resize(img, target_size, interpolation):
    _check_target_size(target_size)
    _check_choice("interpolation", interpolation, tuple(INTERPOLATION_METHODS))
    height, width = target_size
    if img.size == (width, height):
        return img
    return img.resize((width, height), INTERPOLATION_METHODS[interpolation])


def img_to_array(img, data_format=None, dtype="float32"):
    """Converts a PIL image to a NumPy array.

    # Arguments
        img: PIL Image instance.
        data_format: `'channels_last'` (the default, used when `None`) or
            `'channels_first'`.
        dtype: data type of the returned array.

    # Returns
        A 3D NumPy array: `(height, width, channels)` for channels-last,
        `(channels, height, width)` for channels-first. A grey image has one
        channel.

    # Raises
        ValueError: if `data_format` is not one of the above, or the image
            gives an array that is neither 2D nor 3D.
    """
    data_format = backend.normalize_data_format(data_format)
    array = np.asarray(img, dtype=dtype)
    if array.ndim == 2:
        array = array[:, :, np.newaxis]
    elif array.ndim != 3:
        raise ValueError(
            f"img_to_array expected an image of 2 or 3 dimensions; "
            f"received an array of shape {array.shape}.")
    if data_format == "channels_first":
        array = array.transpose(2, 0, 1)
    return array


def array_to_img(x, data_format=None, scale=True):
    """Converts a 3D NumPy array to a PIL image.

    # Arguments
        x: 3D array of one image, `(height, width, channels)` for
            channels-last, with 1, 3 or 4 channels.
        data_format: `'channels_last'` (the default, used when `None`) or
            `'channels_first'`.
        scale: whether to stretch the values to the range 0 to 255 first
            (the smallest value becomes 0, the largest 255).

    # Returns
        A PIL Image instance: mode `'L'` for one channel (`'I'` if its
        values go past 255), `'RGB'` for three, `'RGBA'` for four.

    # Raises
        ValueError: if `x` is not 3D, or has another number of channels,
            or `data_format` is not one of the above.
    """
    data_format = backend.normalize_data_format(data_format)
    x = np.asarray(x, dtype="float32")
    if x.ndim != 3:
        raise ValueError(
            f"array_to_img expected an array of rank 3, one image "
            f"(height, width, channels); received an array of shape {x.shape}.")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = _stretch_to_255(x)
    n_channels = x.shape[2]
    if n_channels == 4:
        return Image.fromarray(x.astype("uint8"), "RGBA")
    if n_channels == 3:
        return Image.fromarray(x.astype("uint8"), "RGB")
    if n_channels == 1:
        if np.max(x) > 255:
            return Image.fromarray(x[:, :, 0].astype("int32"), "I")
        return Image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(
        f"array_to_img expected 1, 3 or 4 channels; received {n_channels} "
        f"channels in an array of shape {x.shape}.")


def _stretch_to_255(x):
    x = x - np.min(x)
    x_max = np.max(x)
    if x_max != 0:
        x = x / x_max
    return x * 255


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves an image stored as a NumPy array to a file.

    The image is written under a temporary name in the same folder, then
    renamed, so that a failed save leaves no half-written file.

    # Arguments
        path: path of the file to write.
        x: 3D NumPy array of one image.
        data_format: `'channels_last'` (the default, used when `None`) or
            `'channels_first'`.
        file_format: file format, such as `'png'` or `'jpeg'`; `None` to
            take it from the file name's extension.
        scale: whether to stretch the values to the range 0 to 255 first.
        **kwargs: more arguments for `PIL.Image.save`, such as `quality`.

    # Raises
        ValueError: if the array is not an image (see `array_to_img`) or
            the format cannot be told from the file name.
    """
    img = array_to_img(x, data_format=data_format, scale=scale)
    file_format = _file_format(path, file_format)
    if img.mode == "RGBA" and file_format in ("JPG", "JPEG"):
        warnings.warn("The JPEG format does not support RGBA images, converting to RGB.")
        img = img.convert("RGB")
    with io_utils.write_atomically(path) as temporary_path:
        img.save(temporary_path, format=file_format, **kwargs)


def _file_format(path, file_format):
    if file_format is not None:
        return file_format.upper()
    extension = os.path.splitext(os.fspath(path))[1].lower()
    known_formats = Image.registered_extensions()
    if extension not in known_formats:
        raise ValueError(
            f"save_img could not tell the image format from the file name {path!r}; "
            f"give a known extension such as .png or .jpg, or pass file_format.")
    return known_formats[extension]


def load_image_folder(directory, target_size=(64, 64), color_mode="rgb"):
    """Loads a folder of class subfolders into arrays of images and labels.

    The folder must hold one subfolder per class, as for Keras's
    `flow_from_directory`:

    ```
    directory/
        cars/
            car_00000.png
            ...
        trucks/
            truck_00001.png
            ...
    ```

    Classes are numbered in the sorted order of their folder names (the
    `class_indices` of `flow_from_directory`). Images in nested folders
    belong to the class folder they are in. Files that are not images PIL
    can read are skipped with one warning that counts them; hidden files
    (names starting with a dot) are ignored.

    # Arguments
        directory: path of the folder of class subfolders.
        target_size: tuple `(height, width)` every image is resized to, or
            `None` to keep the sizes, which must then all be equal.
        color_mode: one of `'grayscale'`, `'rgb'` or `'rgba'`.

    # Returns
        A tuple `(x, y, class_names)`: `x` a float32 array of shape
        `(n_images, height, width, channels)` with values from 0 to 255,
        `y` an int64 array of shape `(n_images,)` of class indices, and
        `class_names` the sorted list of class folder names.

    # Raises
        FileNotFoundError: if `directory` does not exist.
        ValueError: if `directory` is not a folder, holds fewer than two
            class subfolders, or a class has no readable image; if
            `target_size` is `None` and the images differ in size.
    """
    directory = os.fspath(directory)
    if target_size is not None:
        _check_target_size(target_size)
    _check_choice("color_mode", color_mode, COLOR_MODES)
    class_names = _find_class_names(directory)
    images, labels, skipped = [], [], []
    for label, class_name in enumerate(class_names):
        class_folder = os.path.join(directory, class_name)
        class_images = []
        for file_path in _files_in(class_folder):
            try:
                img = load_img(file_path, color_mode=color_mode, target_size=target_size)
            except _UNREADABLE_ERRORS:
                skipped.append(file_path)
                continue
            class_images.append(img_to_array(img))
        if not class_images:
            raise ValueError(
                f"The class folder {class_folder!r} holds no image that could be read; "
                f"every class folder needs at least one image.")
        images.extend(class_images)
        labels.extend([label] * len(class_images))
    if skipped:
        _warn_skipped(directory, skipped)
    return _stack_images(images, directory), np.array(labels, dtype=np.int64), class_names


def _find_class_names(directory):
    class_names = _class_folder_names(directory)
    if len(class_names) < 2:
        found = f"only {class_names[0]!r}" if class_names else "none"
        raise ValueError(
            f"The image folder {directory!r} must hold at least two class subfolders "
            f"(such as cars/ and trucks/); found {found}.")
    return class_names


def _class_folder_names(directory):
    """The sorted names of the visible subfolders of `directory`, which must be a folder."""
    if not os.path.exists(directory):
        raise FileNotFoundError(
            f"The image folder {directory!r} does not exist; expected a folder "
            f"with one subfolder of images per class.")
    if not os.path.isdir(directory):
        raise ValueError(
            f"{directory!r} is a file; expected a folder with one subfolder of "
            f"images per class.")
    return sorted(
        name for name in os.listdir(directory)
        if not name.startswith(".") and os.path.isdir(os.path.join(directory, name)))


def _files_in(folder, follow_links=True):
    """Paths of the visible files under `folder`, nested folders included, sorted."""
    paths = []
    for root, folder_names, file_names in os.walk(folder, followlinks=follow_links):
        folder_names[:] = sorted(name for name in folder_names if not name.startswith("."))
        paths.extend(os.path.join(root, name) for name in sorted(file_names)
                     if not name.startswith("."))
    return paths


def _can_open(path):
    """Tells whether PIL recognises the file as an image, reading only its header."""
    try:
        with Image.open(path):
            return True
    except _UNREADABLE_ERRORS:
        return False


def _warn_skipped(directory, skipped):
    names = ", ".join(os.path.relpath(path, directory) for path in skipped[:_NAMES_SHOWN])
    more = f" and {len(skipped) - _NAMES_SHOWN} more" if len(skipped) > _NAMES_SHOWN else ""
    warnings.warn(
        f"Skipped {len(skipped)} file(s) in {directory!r} that are not images "
        f"that could be read: {names}{more}.")


def _stack_images(images, directory):
    shapes = sorted({image.shape for image in images})
    if len(shapes) > 1:
        raise ValueError(
            f"The images in {directory!r} have different sizes, such as {shapes[0]} and "
            f"{shapes[-1]}; pass target_size=(height, width) to resize them all.")
    return np.stack(images).astype(np.float32, copy=False)


def _check_choice(name, value, choices):
    if value not in choices:
        options = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be one of {options}; received {value!r}.")


def _check_target_size(target_size):
    is_pair = isinstance(target_size, (tuple, list)) and len(target_size) == 2
    if not is_pair or not all(isinstance(n, (int, np.integer)) and n > 0 for n in target_size):
        raise ValueError(
            f"target_size must be a tuple (height, width) of two positive whole numbers; "
            f"received {target_size!r}.")
