"""`ImageDataGenerator`: batches of images, randomly moved and normalised, for `fit`.

Follows Keras 2's `ImageDataGenerator` (keras-preprocessing 1.1), which is where to
import it from: `minikeras.preprocessing.image`. Each image goes through two steps, in
this order:

1. a random transform (`get_random_transform` draws it, `apply_transform` applies it):
   rotation, shift, shear and zoom in one affine move, then channel shift, flips and
   brightness;
2. `standardize`: `preprocessing_function`, `rescale`, then the sample-wise and the
   feature-wise centring and scaling (the feature-wise statistics come from `fit`).

`flow` and `flow_from_directory` return the `Sequence`s that hand out the batches.
"""
import warnings

import numpy as np

from minikeras import backend
from minikeras.preprocessing import affine_transformations as affine
from minikeras.preprocessing.image_files import _check_choice
from minikeras.preprocessing.iterators import (DirectoryIterator, NumpyArrayIterator,
                                               _warn_if_channels_look_wrong)

# Keras adds this to the standard deviations it divides by, so that a flat image or
# a constant feature does not divide by zero.
_STD_EPSILON = 1e-6


class ImageDataGenerator:
    """Generates batches of images with random augmentation and normalisation.

    The random transform of each image is drawn anew each time the image is served,
    so that every epoch sees new variants of the same images.

    # Arguments
        featurewise_center: whether to subtract the mean of the data set, per
            channel, from each image (the mean is computed by `fit`).
        samplewise_center: whether to subtract from each image its own mean.
        featurewise_std_normalization: whether to divide each image by the
            standard deviation of the data set, per channel (computed by `fit`).
            It turns `featurewise_center` on, with a warning, as in Keras.
        samplewise_std_normalization: whether to divide each image by its own
            standard deviation. It turns `samplewise_center` on, with a warning.
        zca_whitening: ZCA whitening is not supported: must be False.
        zca_epsilon: kept for Keras's signature; unused without ZCA whitening.
        rotation_range: the rotation angle is drawn uniformly from
            `-rotation_range` to `rotation_range` degrees.
        width_shift_range: the horizontal shift: a float below 1 is a fraction
            of the width and the shift is drawn uniformly from
            `-width_shift_range` to `width_shift_range` times the width; a float
            of 1 or more is a number of pixels, drawn likewise; an int `n` draws a
            whole number of pixels from the open interval `(-n, n)`; a list or
            1D array draws one of its values, with a random sign (a fraction of
            the width if all its values are below 1, pixels otherwise).
        height_shift_range: the vertical shift, as `width_shift_range`.
        brightness_range: `None`, or a pair `(lower, upper)` from which a
            brightness factor is drawn (see `apply_brightness_shift`: as in
            Keras, the image is stretched to 0 .. 255 first, so use it on images
            of 0 .. 255; `rescale` comes after it).
        shear_range: the shear angle is drawn uniformly from `-shear_range` to
            `shear_range` degrees.
        zoom_range: a float `z` draws zoom factors from `1 - z` to `1 + z`; a
            pair `(lower, upper)` draws them from `lower` to `upper`. The
            factors along the rows and the columns are drawn separately; as in
            Keras, a factor above 1 makes the image smaller.
        channel_shift_range: a value drawn uniformly from `-channel_shift_range`
            to `channel_shift_range` is added to every pixel, the result being
            kept within the image's range of values.
        fill_mode: how pixels read from outside the image are filled:
            `'constant'` (kkkk|abcd|kkkk, with k = `cval`), `'nearest'`
            (aaaa|abcd|dddd), `'reflect'` (dcba|abcd|dcba) or `'wrap'`
            (abcd|abcd|abcd).
        cval: the value of those pixels for `fill_mode='constant'`.
        horizontal_flip: whether to flip half of the images left to right.
        vertical_flip: whether to flip half of the images upside down.
        rescale: `None` or 0 for none, else a factor every image is multiplied
            by, after the random transform (such as `1. / 255`).
        preprocessing_function: `None`, or a function applied to each image after
            the random transform and before `rescale`; it takes one image (a 3D
            array) and returns an array of the same shape.
        data_format: `'channels_last'` (images `(height, width, channels)`) or
            `'channels_first'`; `None` for `backend.image_data_format()`.
        validation_split: the fraction of the images, from 0 (included) to 1
            (excluded), kept for validation: `flow(..., subset='validation')` and
            `flow_from_directory(..., subset='validation')` serve them,
            `subset='training'` the others.
        interpolation_order: 1 to read between pixels by bilinear interpolation,
            0 to take the nearest pixel.
        dtype: the dtype of the batches; `None` for `backend.floatx()`.

    # Raises
        ValueError: for an argument out of its range or of the wrong kind, and
            for `zca_whitening=True`.

    # Example
    ```python
    from minikeras.preprocessing.image import ImageDataGenerator

    datagen = ImageDataGenerator(rotation_range=20, width_shift_range=0.1,
                                 height_shift_range=0.1, horizontal_flip=True,
                                 rescale=1. / 255)
    model.fit(datagen.flow(x_train, y_train, batch_size=32), epochs=10)

    # or straight from a folder with one subfolder of images per class:
    train_batches = datagen.flow_from_directory("data/train", target_size=(64, 64),
                                                class_mode="binary")
    model.fit(train_batches, epochs=10)
    ```
    """

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, zca_epsilon=1e-6, rotation_range=0,
                 width_shift_range=0., height_shift_range=0., brightness_range=None,
                 shear_range=0., zoom_range=0., channel_shift_range=0., fill_mode="nearest",
                 cval=0., horizontal_flip=False, vertical_flip=False, rescale=None,
                 preprocessing_function=None, data_format=None, validation_split=0.0,
                 interpolation_order=1, dtype=None):
        if zca_whitening:
            raise ValueError(
                "ImageDataGenerator: zca_whitening=True is not supported by minikeras; "
                "use featurewise_center and featurewise_std_normalization, or whiten the "
                "images yourself before calling flow.")
        self.featurewise_center = bool(featurewise_center)
        self.samplewise_center = bool(samplewise_center)
        self.featurewise_std_normalization = bool(featurewise_std_normalization)
        self.samplewise_std_normalization = bool(samplewise_std_normalization)
        self.zca_whitening = False
        self.zca_epsilon = zca_epsilon
        self._turn_centering_on_where_needed()
        self.rotation_range = _check_range_size("rotation_range", rotation_range)
        self.width_shift_range = _check_shift_range("width_shift_range", width_shift_range)
        self.height_shift_range = _check_shift_range("height_shift_range",
                                                     height_shift_range)
        self.brightness_range = None if brightness_range is None else affine._check_pair(
            "ImageDataGenerator", "brightness_range", brightness_range)
        self.shear_range = _check_range_size("shear_range", shear_range)
        self.zoom_range = _zoom_bounds(zoom_range)
        self.channel_shift_range = _check_range_size("channel_shift_range",
                                                     channel_shift_range)
        _check_choice("fill_mode", fill_mode, affine.FILL_MODES)
        self.fill_mode = fill_mode
        if not affine._is_number(cval):
            raise ValueError(f"ImageDataGenerator: cval must be a number; received {cval!r}.")
        self.cval = cval
        self.horizontal_flip = bool(horizontal_flip)
        self.vertical_flip = bool(vertical_flip)
        self.rescale = _check_rescale(rescale)
        if preprocessing_function is not None and not callable(preprocessing_function):
            raise ValueError(f"ImageDataGenerator: preprocessing_function must be a function "
                             f"or None; received {preprocessing_function!r}.")
        self.preprocessing_function = preprocessing_function
        self.data_format = backend.normalize_data_format(data_format)
        self._set_axes()
        self._validation_split = _check_validation_split(validation_split)
        _check_choice("interpolation_order", interpolation_order, affine.INTERPOLATION_ORDERS)
        self.interpolation_order = interpolation_order
        self.dtype = backend.floatx() if dtype is None else np.dtype(dtype).name
        self.mean = None
        self.std = None
        self.principal_components = None

    def _turn_centering_on_where_needed(self):
        """Dividing by a standard deviation needs the mean taken away first, as in Keras."""
        if self.featurewise_std_normalization and not self.featurewise_center:
            self.featurewise_center = True
            warnings.warn("This ImageDataGenerator specifies `featurewise_std_normalization`, "
                          "which turns `featurewise_center` on.", stacklevel=3)
        if self.samplewise_std_normalization and not self.samplewise_center:
            self.samplewise_center = True
            warnings.warn("This ImageDataGenerator specifies `samplewise_std_normalization`, "
                          "which turns `samplewise_center` on.", stacklevel=3)

    def _set_axes(self):
        """The axes of a batch, as Keras names them; one image has each axis one lower."""
        if self.data_format == "channels_first":
            self.channel_axis, self.row_axis, self.col_axis = 1, 2, 3
        else:
            self.channel_axis, self.row_axis, self.col_axis = 3, 1, 2

    # ---- serving batches ----------------------------------------------------------------

    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
             save_to_dir=None, save_prefix="", save_format="png", subset=None):
        """Serves batches of augmented images from arrays in memory.

        # Arguments
            x: array of images, of rank 4: `(samples, height, width, channels)` for
                channels-last.
            y: `None`, or the labels: an array with one entry per image.
            batch_size: the number of images in a batch (the last one may have fewer).
            shuffle: whether to serve the images in a new random order each epoch.
            sample_weight: `None`, or an array of one weight per image.
            seed: an int for a reproducible order and augmentation, or `None`.
            save_to_dir: `None`, or a folder into which every augmented image is
                also written, to see what the model is fed.
            save_prefix: the start of the names of the saved files.
            save_format: the format of the saved files, `'png'` or `'jpeg'`.
            subset: `None` for all images, or `'training'` or `'validation'` for the
                part that `validation_split` gives it: the first `validation_split`
                fraction of the images is for validation.

        # Returns
            A `NumpyArrayIterator`, a `Sequence` whose batches are `(x, y)`,
            `(x, y, sample_weight)` if weights are given, or `x` alone without `y`.
        """
        return NumpyArrayIterator(
            x, y, self, batch_size=batch_size, shuffle=shuffle, sample_weight=sample_weight,
            seed=seed, data_format=self.data_format, save_to_dir=save_to_dir,
            save_prefix=save_prefix, save_format=save_format, subset=subset, dtype=self.dtype)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical", batch_size=32,
                            shuffle=True, seed=None, save_to_dir=None, save_prefix="",
                            save_format="png", follow_links=False, subset=None,
                            interpolation="nearest"):
        """Serves batches of augmented images read from a folder of class subfolders.

        The folder holds one subfolder per class (images in nested folders belong
        to the class folder they are in). Images are read when their batch is
        served, so the data set need not fit in memory. Files PIL cannot read are
        skipped with one warning; hidden files are ignored.

        # Arguments
            directory: path of the folder of class subfolders.
            target_size: `(height, width)` every image is resized to.
            color_mode: `'grayscale'`, `'rgb'` or `'rgba'`: images have 1, 3 or 4
                channels.
            classes: `None` to take every subfolder as a class, in sorted order,
                or a list of subfolder names, in the order of their indices.
            class_mode: what the labels are: `'categorical'` (one-hot rows),
                `'binary'` (0. or 1., for two classes), `'sparse'` (the class
                index, as a float), `'input'` (the images themselves, for
                autoencoders), or `None` (no labels: the batches are images alone,
                for `predict`).
            batch_size: the number of images in a batch.
            shuffle: whether to serve the images in a new random order each epoch
                (else in the order of `filenames`).
            seed: an int for a reproducible order and augmentation, or `None`.
            save_to_dir: `None`, or a folder into which every augmented image is
                also written.
            save_prefix: the start of the names of the saved files.
            save_format: the format of the saved files, `'png'` or `'jpeg'`.
            follow_links: whether to enter symbolic links to folders.
            subset: `None` for all images, or `'training'` or `'validation'`: in
                each class, the first `validation_split` fraction of its sorted
                files is for validation.
            interpolation: how images are resized: `'nearest'`, `'bilinear'`,
                `'bicubic'`, `'hamming'`, `'box'` or `'lanczos'`.

        # Returns
            A `DirectoryIterator`, a `Sequence` whose batches are `(x, y)`, or `x`
            alone for `class_mode=None`.
        """
        return DirectoryIterator(
            directory, self, target_size=target_size, color_mode=color_mode, classes=classes,
            class_mode=class_mode, batch_size=batch_size, shuffle=shuffle, seed=seed,
            data_format=self.data_format, save_to_dir=save_to_dir, save_prefix=save_prefix,
            save_format=save_format, follow_links=follow_links, subset=subset,
            interpolation=interpolation, dtype=self.dtype)

    # ---- normalising --------------------------------------------------------------------

    def standardize(self, x):
        """Normalises one image, or a batch, as the generator is configured.

        In Keras's order: `preprocessing_function`, `rescale`, sample-wise centring
        and scaling (each image by its own mean and standard deviation), then
        feature-wise centring and scaling (by the statistics `fit` computed).
        Unlike Keras, `x` itself is left unchanged.

        # Arguments
            x: one image (3D) or a batch of images (4D).

        # Returns
            The normalised images, an array of the generator's dtype.
        """
        x = np.asarray(x, dtype=self.dtype)
        if self.preprocessing_function is not None:
            x = np.asarray(self.preprocessing_function(x), dtype=self.dtype)
        if self.rescale:
            x = x * self.rescale
        each_image = (-3, -2, -1)  # the statistics of each image, batch or not
        if self.samplewise_center:
            x = x - np.mean(x, axis=each_image, keepdims=True)
        if self.samplewise_std_normalization:
            x = x / (np.std(x, axis=each_image, keepdims=True) + _STD_EPSILON)
        if self.featurewise_center:
            if self.mean is None:
                _warn_not_fitted("featurewise_center")
            else:
                x = x - self.mean
        if self.featurewise_std_normalization:
            if self.std is None:
                _warn_not_fitted("featurewise_std_normalization")
            else:
                x = x / (self.std + _STD_EPSILON)
        return x.astype(self.dtype, copy=False)

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Computes the data set's per-channel mean and standard deviation.

        Only needed for `featurewise_center` and `featurewise_std_normalization`.
        As in Keras, `rescale` is applied first (not `preprocessing_function`), and
        the statistics are kept in broadcastable shapes: `mean` and `std` are
        `(1, 1, channels)` for channels-last, `(channels, 1, 1)` for
        channels-first.

        # Arguments
            x: array of images of rank 4, such as `(samples, height, width, channels)`.
            augment: whether to compute the statistics on randomly transformed
                copies of the images instead.
            rounds: with `augment`, how many transformed copies of each image to use.
            seed: an int for reproducible augmentation, or `None`.

        # Raises
            ValueError: if `x` is not of rank 4 or `rounds` is not a positive int.
        """
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"ImageDataGenerator.fit expected an array of images of rank 4, "
                             f"(samples, height, width, channels); received shape {x.shape}.")
        _warn_if_channels_look_wrong("ImageDataGenerator.fit", x, self.data_format)
        if not isinstance(rounds, (int, np.integer)) or rounds < 1:
            raise ValueError(f"ImageDataGenerator.fit: rounds must be a positive int; "
                             f"received {rounds!r}.")
        if self.rescale:
            x = x * self.rescale
        if augment:
            rng = np.random.default_rng(seed) if seed is not None else backend.rng()
            x = np.stack([self.random_transform(image, seed=rng)
                          for _ in range(rounds) for image in x]).astype(self.dtype)
        over_images_and_pixels = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            self.mean = np.mean(x, axis=over_images_and_pixels, keepdims=True)[0]
            x = x - self.mean
        if self.featurewise_std_normalization:
            self.std = np.std(x, axis=over_images_and_pixels, keepdims=True)[0]

    # ---- random transforms --------------------------------------------------------------

    def get_random_transform(self, img_shape, seed=None):
        """Draws the parameters of a random transform for one image.

        # Arguments
            img_shape: the shape of the image, such as `(height, width, channels)`.
            seed: an int for a reproducible draw, a `numpy.random.Generator` to draw
                from, or `None` to draw from minikeras's generator (`backend.rng()`,
                which `backend.set_seed` reseeds).

        # Returns
            A dict: `'theta'` (rotation, degrees), `'tx'` (shift along the rows, in
            pixels), `'ty'` (shift along the columns), `'shear'` (degrees), `'zx'`
            and `'zy'` (zoom along the rows and the columns), `'flip_horizontal'`,
            `'flip_vertical'` (bools), `'channel_shift_intensity'` and
            `'brightness'` (floats, or `None` when not used).
        """
        rng = np.random.default_rng(seed) if seed is not None else backend.rng()
        height = img_shape[self.row_axis - 1]
        width = img_shape[self.col_axis - 1]
        theta = _draw_around_zero(self.rotation_range, rng, default=0)
        tx = _draw_shift(self.height_shift_range, height, rng)
        ty = _draw_shift(self.width_shift_range, width, rng)
        shear = _draw_around_zero(self.shear_range, rng, default=0)
        zx, zy = affine._draw_zoom(*self.zoom_range, rng)
        channel_shift = _draw_around_zero(self.channel_shift_range, rng, default=None)
        brightness = None if self.brightness_range is None else rng.uniform(
            *self.brightness_range)
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": self.horizontal_flip and rng.random() < 0.5,
                "flip_vertical": self.vertical_flip and rng.random() < 0.5,
                "channel_shift_intensity": channel_shift, "brightness": brightness}

    def apply_transform(self, x, transform_parameters):
        """Applies a transform, as drawn by `get_random_transform`, to one image.

        In Keras's order: the affine move (rotation, shift, shear, zoom), the
        channel shift, the flips, then the brightness.

        # Arguments
            x: 3D array of one image, in the generator's `data_format`.
            transform_parameters: a dict with some of the keys
                `get_random_transform` returns; a missing key means no change.

        # Returns
            The transformed image, of the shape of `x`.
        """
        image_axes = dict(row_axis=self.row_axis - 1, col_axis=self.col_axis - 1,
                          channel_axis=self.channel_axis - 1)
        get = transform_parameters.get
        x = affine.apply_affine_transform(
            x, theta=get("theta", 0), tx=get("tx", 0), ty=get("ty", 0), shear=get("shear", 0),
            zx=get("zx", 1), zy=get("zy", 1), **image_axes, fill_mode=self.fill_mode,
            cval=self.cval, order=self.interpolation_order)
        if get("channel_shift_intensity") is not None:
            x = affine.apply_channel_shift(x, get("channel_shift_intensity"),
                                           image_axes["channel_axis"])
        if get("flip_horizontal", False):
            x = affine.flip_axis(x, image_axes["col_axis"])
        if get("flip_vertical", False):
            x = affine.flip_axis(x, image_axes["row_axis"])
        if get("brightness") is not None:
            channels_last = np.moveaxis(x, image_axes["channel_axis"], -1)
            brightened = affine.apply_brightness_shift(channels_last, get("brightness"))
            x = np.moveaxis(brightened, -1, image_axes["channel_axis"])
        return x

    def random_transform(self, x, seed=None):
        """Applies a random transform to one image.

        # Arguments
            x: 3D array of one image.
            seed: an int, a `numpy.random.Generator` or `None`, as for
                `get_random_transform`.

        # Returns
            The transformed image, of the shape of `x`.
        """
        return self.apply_transform(x, self.get_random_transform(np.shape(x), seed))


# ---- drawing and checking the arguments -------------------------------------------------

def _draw_around_zero(half_width, rng, default):
    """A number drawn uniformly from `-half_width` to `half_width`; `default` if it is 0."""
    return rng.uniform(-half_width, half_width) if half_width else default


def _draw_shift(shift_range, size, rng):
    """Draws one shift, in pixels, from a `width_shift_range` or `height_shift_range`."""
    if np.ndim(shift_range) == 0 and not shift_range:
        return 0
    if isinstance(shift_range, (int, np.integer)):  # whole pixels, as Keras's choice(n)
        shift = rng.integers(shift_range) * rng.choice([-1, 1])
    elif np.ndim(shift_range) == 1:
        shift = rng.choice(shift_range) * rng.choice([-1, 1])
    else:
        shift = rng.uniform(-shift_range, shift_range)
    if np.max(shift_range) < 1:  # a fraction of the size
        shift *= size
    return shift


def _check_range_size(name, value):
    if not affine._is_number(value) or value < 0:
        raise ValueError(f"ImageDataGenerator: {name} must be a number, 0 or more; "
                         f"received {value!r}.")
    return value


def _check_shift_range(name, value):
    if affine._is_number_sequence(value) and len(value) > 0:
        return value
    if affine._is_number(value) and value >= 0:
        return value
    raise ValueError(
        f"ImageDataGenerator: {name} must be a number, 0 or more (a fraction of the size "
        f"below 1, pixels from 1), or a list or 1D array of the shifts to choose from; "
        f"received {value!r}.")


def _zoom_bounds(zoom_range):
    """Keras's `[lower, upper]` zoom factors from a float `z` or a pair."""
    if affine._is_number(zoom_range) and zoom_range >= 0:
        return [1 - zoom_range, 1 + zoom_range]
    if affine._is_number_sequence(zoom_range) and len(zoom_range) == 2:
        return [zoom_range[0], zoom_range[1]]
    raise ValueError(f"ImageDataGenerator: zoom_range must be a float, 0 or more, or a tuple "
                     f"or list of two floats (lower, upper); received {zoom_range!r}.")


def _check_rescale(rescale):
    if rescale is not None and not affine._is_number(rescale):
        raise ValueError(f"ImageDataGenerator: rescale must be a number, such as 1. / 255, "
                         f"or None; received {rescale!r}.")
    return rescale


def _check_validation_split(validation_split):
    if not affine._is_number(validation_split) or not 0 <= validation_split < 1:
        raise ValueError(f"ImageDataGenerator: validation_split must be a number from 0 "
                         f"(included) to 1 (excluded); received {validation_split!r}.")
    return validation_split


def _warn_not_fitted(option):
    warnings.warn(f"This ImageDataGenerator specifies `{option}`, but it has not been fit "
                  f"on any training data. Fit it first by calling `.fit(numpy_data)`.")
