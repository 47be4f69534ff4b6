"""Moving the pixels of one image: rotations, shifts, shears, zooms, flips, colour shifts.

Follows the image helpers of Keras 2 (keras-preprocessing 1.1), which are where to
import these from: `minikeras.preprocessing.image`. Keras reads the moved image with
`scipy.ndimage.affine_transform`; here `apply_affine_transform` does the same in NumPy:
for each pixel of the output it computes where that pixel comes from in the input, and
reads the input there, between pixels by bilinear interpolation.

Coordinates are `(row, column)`, rows going down. The matrices are Keras's, so a
positive angle turns the image clockwise as it is displayed, and a positive shift `tx`
moves the content up (each output row is read `tx` rows further down).
"""
import functools

import numpy as np
from PIL import ImageEnhance

from minikeras import backend
from minikeras.preprocessing.image_files import _check_choice, array_to_img, img_to_array

FILL_MODES = ("constant", "nearest", "reflect", "wrap")
INTERPOLATION_ORDERS = (0, 1)


def transform_matrix_offset_center(matrix, x, y):
    """Makes an affine matrix turn and scale about the centre of the image, not its corner.

    # Arguments
        matrix: 3x3 affine matrix acting on `(row, column, 1)` coordinates.
        x: the image's height, its number of rows (Keras's name).
        y: the image's width, its number of columns (Keras's name).

    # Returns
        The 3x3 matrix that moves the centre to the origin, applies `matrix`, and
        moves the origin back to the centre.
    """
    center_row, center_col = float(x) / 2 - 0.5, float(y) / 2 - 0.5
    to_center = np.array([[1, 0, center_row], [0, 1, center_col], [0, 0, 1]])
    from_center = np.array([[1, 0, -center_row], [0, 1, -center_col], [0, 0, 1]])
    return to_center @ matrix @ from_center


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, row_axis=0,
                           col_axis=1, channel_axis=2, fill_mode="nearest", cval=0.,
                           order=1):
    """Rotates, shifts, shears and zooms one image, as Keras's function of the same name.

    The four moves are composed into one matrix (rotation, then shift, shear and zoom),
    centred on the image. It maps each output pixel to the place of the input it is
    read from: the transform is given as its inverse, as for
    `scipy.ndimage.affine_transform`, so `zx=2` reads twice as far from the centre and
    the image looks half as big. With no move at all, `x` itself is returned.

    # Arguments
        x: 3D array of one image.
        theta: rotation angle in degrees; positive turns the image clockwise as
            displayed (rows going down).
        tx: shift along the rows (the height), in pixels: output row `r` is read
            from input row `r + tx`, so a positive `tx` moves the content up.
        ty: shift along the columns (the width), in pixels; positive moves the
            content left.
        shear: shear angle in degrees.
        zx: zoom along the rows: the input is read `zx` times further from the
            centre, so a value above 1 makes the image smaller.
        zy: zoom along the columns, likewise.
        row_axis: the axis of `x` holding the rows.
        col_axis: the axis of `x` holding the columns.
        channel_axis: the axis of `x` holding the channels.
        fill_mode: how the image is extended past its border, for the pixels that
            are read from outside it: `'constant'` (kkkk|abcd|kkkk, with
            k = `cval`), `'nearest'` (aaaa|abcd|dddd), `'reflect'`
            (dcba|abcd|dcba) or `'wrap'` (abcd|abcd|abcd).
        cval: the value of the pixels outside the image for `fill_mode='constant'`.
        order: 1 to read between pixels by bilinear interpolation, 0 to take
            the nearest pixel.

    # Returns
        The moved image, an array of the shape and dtype of `x` (integer images
        are rounded to the nearest whole value).

    # Raises
        ValueError: if `x` is not 3D, the three axes are not 0, 1 and 2 in some
            order, or `fill_mode` or `order` is not one of the above.
    """
    x = np.asarray(x)
    axes = _check_image_axes("apply_affine_transform", x, row_axis, col_axis, channel_axis)
    _check_choice("fill_mode", fill_mode, FILL_MODES)
    _check_choice("order", order, INTERPOLATION_ORDERS)
    matrix = _compose_moves(theta, tx, ty, shear, zx, zy)
    if matrix is None:
        return x
    image = np.moveaxis(x, axes, (0, 1, 2))  # now (rows, columns, channels)
    height, width = image.shape[:2]
    matrix = transform_matrix_offset_center(matrix, height, width)
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    source_rows = matrix[0, 0] * rows + matrix[0, 1] * cols + matrix[0, 2]
    source_cols = matrix[1, 0] * rows + matrix[1, 1] * cols + matrix[1, 2]
    # cos(90 degrees) is 6e-17, not 0: rounding away such noise lets right angles and
    # whole-pixel shifts land exactly on pixels.
    source_rows, source_cols = np.round(source_rows, 10), np.round(source_cols, 10)
    moved = _read_at(image, source_rows, source_cols, fill_mode, cval, order)
    if np.issubdtype(x.dtype, np.integer):
        moved = np.rint(moved)
    return np.moveaxis(moved, (0, 1, 2), axes).astype(x.dtype)


def _compose_moves(theta, tx, ty, shear, zx, zy):
    """Keras's 3x3 matrix of the moves on `(row, column, 1)`, or None if there is no move."""
    moves = []
    if theta != 0:
        angle = np.deg2rad(theta)
        moves.append([[np.cos(angle), -np.sin(angle), 0],
                      [np.sin(angle), np.cos(angle), 0],
                      [0, 0, 1]])
    if tx != 0 or ty != 0:
        moves.append([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
    if shear != 0:
        angle = np.deg2rad(shear)
        moves.append([[1, -np.sin(angle), 0], [0, np.cos(angle), 0], [0, 0, 1]])
    if zx != 1 or zy != 1:
        moves.append([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
    if not moves:
        return None
    return functools.reduce(np.matmul, [np.array(move, dtype=np.float64) for move in moves])


def _read_at(image, rows, cols, fill_mode, cval, order):
    """Reads `image` (rows, columns, channels) at fractional positions `rows`, `cols`.

    Order 0 takes the nearest pixel; order 1 mixes the four pixels around each
    position, each weighted by how close it is (bilinear interpolation).
    """
    height, width = image.shape[:2]
    image = image.astype(np.float64, copy=False)
    if order == 0:
        values = image[_fold(np.floor(rows + 0.5), height, fill_mode),
                       _fold(np.floor(cols + 0.5), width, fill_mode)]
    else:
        top, left = np.floor(rows), np.floor(cols)
        down = (rows - top)[..., np.newaxis]  # 0 on the top pixel's row, 1 on the next
        right = (cols - left)[..., np.newaxis]
        top_row, next_row = _fold(top, height, fill_mode), _fold(top + 1, height, fill_mode)
        left_col, next_col = _fold(left, width, fill_mode), _fold(left + 1, width, fill_mode)
        upper = (1 - right) * image[top_row, left_col] + right * image[top_row, next_col]
        lower = (1 - right) * image[next_row, left_col] + right * image[next_row, next_col]
        values = (1 - down) * upper + down * lower
    if fill_mode == "constant":
        outside = (rows < 0) | (rows > height - 1) | (cols < 0) | (cols > width - 1)
        values[outside] = cval
    return values


def _fold(index, size, fill_mode):
    """Maps whole-number indices, which may fall outside `0 .. size - 1`, back inside.

    Pixels outside the image are thus read as `fill_mode` extends it.
    """
    index = index.astype(np.int64)
    if fill_mode == "reflect":  # d c b a | a b c d | d c b a
        index = np.mod(index, 2 * size)
        return np.where(index < size, index, 2 * size - 1 - index)
    if fill_mode == "wrap":  # a b c d | a b c d | a b c d
        return np.mod(index, size)
    # 'nearest' repeats the border pixel; 'constant' does too, then `cval` replaces it.
    return np.clip(index, 0, size - 1)


def flip_axis(x, axis):
    """Reverses the order of the pixels along one axis of an image.

    # Arguments
        x: array of one image.
        axis: the axis to reverse: the column axis flips the image left to
            right, the row axis upside down.

    # Returns
        The flipped image (a view of `x`).
    """
    return np.flip(np.asarray(x), axis)


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                    cval=0., interpolation_order=1):
    """Rotates one image by a random angle.

    As in Keras, the axes default to channels first, `(channels, rows, columns)`:
    pass `row_axis=0, col_axis=1, channel_axis=2` for a channels-last image.

    # Arguments
        x: 3D array of one image.
        rg: the angle is drawn uniformly from `-rg` to `rg` degrees.
        row_axis: the axis of `x` holding the rows.
        col_axis: the axis of `x` holding the columns.
        channel_axis: the axis of `x` holding the channels.
        fill_mode: `'constant'`, `'nearest'`, `'reflect'` or `'wrap'`; see
            `apply_affine_transform`.
        cval: the value outside the image for `fill_mode='constant'`.
        interpolation_order: 1 for bilinear interpolation, 0 for the nearest pixel.

    # Returns
        The rotated image.
    """
    theta = backend.rng().uniform(-rg, rg)
    return apply_affine_transform(x, theta=theta, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                 cval=0., interpolation_order=1):
    """Shifts one image by a random fraction of its width and height.

    As in Keras, the axes default to channels first, `(channels, rows, columns)`.

    # Arguments
        x: 3D array of one image.
        wrg: the width shift is drawn uniformly from `-wrg` to `wrg`, as a
            fraction of the width.
        hrg: the height shift, likewise, as a fraction of the height.
        row_axis: the axis of `x` holding the rows.
        col_axis: the axis of `x` holding the columns.
        channel_axis: the axis of `x` holding the channels.
        fill_mode: `'constant'`, `'nearest'`, `'reflect'` or `'wrap'`; see
            `apply_affine_transform`.
        cval: the value outside the image for `fill_mode='constant'`.
        interpolation_order: 1 for bilinear interpolation, 0 for the nearest pixel.

    # Returns
        The shifted image.
    """
    height, width = x.shape[row_axis], x.shape[col_axis]
    tx = backend.rng().uniform(-hrg, hrg) * height
    ty = backend.rng().uniform(-wrg, wrg) * width
    return apply_affine_transform(x, tx=tx, ty=ty, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                 cval=0., interpolation_order=1):
    """Shears one image by a random angle.

    As in Keras, the axes default to channels first, `(channels, rows, columns)`.

    # Arguments
        x: 3D array of one image.
        intensity: the shear angle is drawn uniformly from `-intensity` to
            `intensity` degrees.
        row_axis: the axis of `x` holding the rows.
        col_axis: the axis of `x` holding the columns.
        channel_axis: the axis of `x` holding the channels.
        fill_mode: `'constant'`, `'nearest'`, `'reflect'` or `'wrap'`; see
            `apply_affine_transform`.
        cval: the value outside the image for `fill_mode='constant'`.
        interpolation_order: 1 for bilinear interpolation, 0 for the nearest pixel.

    # Returns
        The sheared image.
    """
    shear = backend.rng().uniform(-intensity, intensity)
    return apply_affine_transform(x, shear=shear, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                cval=0., interpolation_order=1):
    """Zooms one image by random factors along its rows and its columns.

    As in Keras, the axes default to channels first, `(channels, rows, columns)`.

    # Arguments
        x: 3D array of one image.
        zoom_range: pair `(lower, upper)`; the two zoom factors are drawn
            uniformly between them. As in `apply_affine_transform`, a factor
            above 1 makes the image smaller.
        row_axis: the axis of `x` holding the rows.
        col_axis: the axis of `x` holding the columns.
        channel_axis: the axis of `x` holding the channels.
        fill_mode: `'constant'`, `'nearest'`, `'reflect'` or `'wrap'`; see
            `apply_affine_transform`.
        cval: the value outside the image for `fill_mode='constant'`.
        interpolation_order: 1 for bilinear interpolation, 0 for the nearest pixel.

    # Returns
        The zoomed image.

    # Raises
        ValueError: if `zoom_range` is not a pair of numbers.
    """
    lower, upper = _check_pair("random_zoom", "zoom_range", zoom_range)
    zx, zy = _draw_zoom(lower, upper, backend.rng())
    return apply_affine_transform(x, zx=zx, zy=zy, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def _draw_zoom(lower, upper, rng):
    """The zoom factors `(zx, zy)`, drawn from `lower` to `upper`; as in Keras, no draw for 1, 1."""
    if lower == 1 and upper == 1:
        return 1, 1
    return tuple(rng.uniform(lower, upper, 2))


def apply_channel_shift(x, intensity, channel_axis=0):
    """Adds one value to every pixel, keeping the image within its own range of values.

    # Arguments
        x: 3D array of one image.
        intensity: the value added.
        channel_axis: the axis of the channels; kept for Keras's signature: since
            every channel gets the same value and the same limits, the result does
            not depend on it.

    # Returns
        The shifted image, clipped to the smallest and largest values of `x`.
    """
    x = np.asarray(x)
    return np.clip(x + intensity, np.min(x), np.max(x))


def random_channel_shift(x, intensity_range, channel_axis=0):
    """Adds a random value to every pixel, keeping the image within its range of values.

    # Arguments
        x: 3D array of one image.
        intensity_range: the value is drawn uniformly from `-intensity_range`
            to `intensity_range`.
        channel_axis: the axis of the channels (see `apply_channel_shift`).

    # Returns
        The shifted image.
    """
    intensity = backend.rng().uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis=channel_axis)


def apply_brightness_shift(x, brightness, scale=True):
    """Makes one image brighter or darker, with PIL, as Keras does.

    The image goes through a PIL image of 8-bit values, so the result is in the
    range 0 to 255, in whole numbers: with `scale=True`, as in Keras, `x` is
    first stretched so that its smallest value becomes 0 and its largest 255;
    PIL then multiplies every value by `brightness` and cuts at 255.

    # Arguments
        x: 3D array of one image, channels last, with 1, 3 or 4 channels.
        brightness: the factor: 1 keeps the image, 0 makes it black, 1.5 makes
            it half as bright again.
        scale: whether to stretch `x` to 0 .. 255 first. Without it, an image
            whose values already lie in 0 .. 255 keeps them; one whose values do
            not is stretched anyway, and the result mapped back to its range.

    # Returns
        The image, a float32 array of the shape of `x`.

    # Raises
        ValueError: if `x` is not an image `array_to_img` can convert.
    """
    x = np.asarray(x)
    lowest, highest = np.min(x), np.max(x)
    outside_8_bits = lowest < 0 or highest > 255
    img = array_to_img(x, data_format="channels_last", scale=scale or outside_8_bits)
    brightened = img_to_array(ImageEnhance.Brightness(img).enhance(brightness),
                              data_format="channels_last")
    if outside_8_bits and not scale:
        brightened = brightened / 255 * (highest - lowest) + lowest
    return brightened


def random_brightness(x, brightness_range, scale=True):
    """Makes one image brighter or darker by a random factor.

    # Arguments
        x: 3D array of one image, channels last, with 1, 3 or 4 channels.
        brightness_range: pair `(lower, upper)`; the factor is drawn uniformly
            between them (see `apply_brightness_shift`).
        scale: whether to stretch `x` to 0 .. 255 first.

    # Returns
        The image, a float32 array of the shape of `x`.

    # Raises
        ValueError: if `brightness_range` is not a pair of numbers.
    """
    lower, upper = _check_pair("random_brightness", "brightness_range", brightness_range)
    return apply_brightness_shift(x, backend.rng().uniform(lower, upper), scale)


# ---- checks, shared with the ImageDataGenerator ---------------------------------------

def _check_image_axes(function_name, x, row_axis, col_axis, channel_axis):
    """Returns the three axes as non-negative numbers, after checking `x` is one image."""
    if x.ndim != 3:
        raise ValueError(
            f"{function_name} expected one image, a 3D array (rows, columns and channels "
            f"in some order); received an array of shape {x.shape}.")
    axes = tuple(int(axis) % 3 for axis in (row_axis, col_axis, channel_axis))
    if sorted(axes) != [0, 1, 2]:
        raise ValueError(
            f"{function_name} expected row_axis, col_axis and channel_axis to be 0, 1 and 2 "
            f"in some order; received {row_axis}, {col_axis} and {channel_axis}.")
    return axes


def _check_pair(function_name, name, value):
    """Returns `value` as a pair of floats `(lower, upper)`, or raises a ValueError."""
    if not _is_number_sequence(value) or len(value) != 2:
        raise ValueError(f"{function_name}: {name} must be a tuple or list of two numbers "
                         f"(lower, upper); received {value!r}.")
    return float(value[0]), float(value[1])


def _is_number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, bool)


def _is_number_sequence(value):
    return (isinstance(value, (list, tuple, np.ndarray)) and np.ndim(value) == 1
            and all(_is_number(item) for item in value))
