"""The batches `ImageDataGenerator.flow` and `flow_from_directory` serve.

Follows Keras 2's `Iterator`, `NumpyArrayIterator` and `DirectoryIterator`
(keras-preprocessing 1.1), which are where to import these from:
`minikeras.preprocessing.image`. As in Keras, an iterator can be used in two ways:

- as a `Sequence`, which is how `fit` uses it: `len(iterator)` batches make an epoch,
  `iterator[i]` is the i-th batch, and `on_epoch_end` puts the samples in a new order;
- as a Python iterator: `next(iterator)` serves batch after batch, forever, in a new
  order after each pass over the samples.

Each image of a batch is randomly transformed, then standardized, by the
`ImageDataGenerator` the iterator was made by.
"""
import math
import os
import threading
import warnings

import numpy as np

from minikeras import backend
from minikeras.preprocessing import image_files
from minikeras.utils.data_utils import Sequence
from minikeras.utils.np_utils import to_categorical

SUBSETS = ("training", "validation")
CLASS_MODES = ("categorical", "binary", "sparse", "input", None)
CHANNELS_OF_COLOR_MODE = {"grayscale": 1, "rgb": 3, "rgba": 4}


class Iterator(Sequence):
    """Base class of the image iterators: serves the samples in batches, in order or shuffled.

    A subclass builds the batches, in
    `_get_batches_of_transformed_samples(index_array)`, from the indices of the
    samples that make one; this class chooses the indices.

    # Arguments
        n: the number of samples.
        batch_size: the number of samples in a batch (the last one may have fewer).
        shuffle: whether to put the samples in a new random order each epoch.
        seed: an int to make the order and the random transforms reproducible, or
            `None` to draw them from minikeras's generator (`backend.rng()`, which
            `backend.set_seed` reseeds).

    # Raises
        ValueError: if `batch_size` is not a positive int.
    """

    def __init__(self, n, batch_size, shuffle, seed):
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
                or batch_size < 1:
            raise ValueError(f"{type(self).__name__}: batch_size must be a positive int; "
                             f"received {batch_size!r}.")
        self.n = int(n)
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.seed = seed
        self.total_batches_seen = 0
        self.index_array = None  # the order of the samples in this epoch
        # Its own generator, so that a seed makes one iterator reproducible whatever
        # else draws random numbers.
        self._rng = np.random.default_rng(seed) if seed is not None else backend.rng()
        self._lock = threading.Lock()
        self.reset()

    def __len__(self):
        """Returns the number of batches in one epoch.

        # Returns
            An int: the number of samples divided by the batch size, rounded up.
        """
        return math.ceil(self.n / self.batch_size)

    def __getitem__(self, index):
        """Returns the batch at `index` in this epoch's order of the samples.

        # Arguments
            index: the position of the batch, from 0 to `len(self) - 1`.

        # Returns
            A batch, as the subclass builds it.

        # Raises
            ValueError: if `index` is out of range.
        """
        if not 0 <= index < len(self):
            raise ValueError(f"{type(self).__name__} has {len(self)} batches; asked for "
                             f"the batch at index {index}.")
        if self.index_array is None:
            self._set_index_array()
        self.total_batches_seen += 1
        start = index * self.batch_size
        return self._get_batches_of_transformed_samples(
            self.index_array[start:start + self.batch_size])

    def on_epoch_end(self):
        """Puts the samples in a new random order for the next epoch, if `shuffle`."""
        self._set_index_array()

    def reset(self):
        """Makes `next` start again from the first batch of a new pass over the samples."""
        self._index_batches = self._flow_index()

    def _set_index_array(self):
        self.index_array = self._rng.permutation(self.n) if self.shuffle else np.arange(self.n)

    def _flow_index(self):
        """Yields the sample indices of each batch, pass after pass, reordered before each."""
        while True:
            self._set_index_array()
            for start in range(0, self.n, self.batch_size):
                yield self.index_array[start:start + self.batch_size]

    def __iter__(self):
        """Returns the iterator itself: `for batch in iterator` never ends, as in Keras.

        # Returns
            The iterator.
        """
        return self

    def __next__(self):
        """Returns the next batch.

        # Returns
            A batch, as the subclass builds it.

        # Raises
            ValueError: if there are no samples to serve.
        """
        if self.n == 0:
            raise ValueError(f"{type(self).__name__} has no samples to serve batches of.")
        with self._lock:  # two threads must not advance one generator at once
            index_array = next(self._index_batches)
        self.total_batches_seen += 1
        return self._get_batches_of_transformed_samples(index_array)

    def next(self):
        """Returns the next batch (Keras 2's name for `next(iterator)`).

        # Returns
            A batch, as the subclass builds it.
        """
        return self.__next__()

    def _get_batches_of_transformed_samples(self, index_array):
        raise NotImplementedError(f"{type(self).__name__} must define "
                                  "_get_batches_of_transformed_samples(self, index_array).")

    # ---- shared by the subclasses -------------------------------------------------------

    def _set_processing_attrs(self, image_data_generator, data_format, dtype, save_to_dir,
                              save_prefix, save_format):
        """Keeps what serving a batch needs: the generator, the format, where to save."""
        self.image_data_generator = image_data_generator
        self.data_format = backend.normalize_data_format(data_format)
        self.dtype = backend.floatx() if dtype is None else np.dtype(dtype).name
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format

    def _transform_and_standardize(self, image):
        """Applies a new random transform, then `standardize`, to one image."""
        generator = self.image_data_generator
        if generator is None:
            return image
        transform = generator.get_random_transform(image.shape, seed=self._rng)
        return generator.standardize(generator.apply_transform(image, transform))

    def _save_batch(self, batch_x, index_array):
        """Writes the images of a batch into `save_to_dir`, if given, named as in Keras."""
        if self.save_to_dir is None:
            return
        os.makedirs(self.save_to_dir, exist_ok=True)
        for image, index in zip(batch_x, index_array):
            file_name = (f"{self.save_prefix}_{index}_{self._rng.integers(10**7)}"
                         f".{self.save_format}")
            image_files.save_img(os.path.join(self.save_to_dir, file_name), image,
                                 data_format=self.data_format, scale=True)


class NumpyArrayIterator(Iterator):
    """Serves batches of augmented images from arrays in memory; `flow` makes it.

    # Arguments
        x: array of images of rank 4, such as `(samples, height, width, channels)`.
        y: `None`, or an array of labels with one entry per image.
        image_data_generator: the `ImageDataGenerator` that transforms and
            standardizes each image, or `None` to serve the images as they are.
        batch_size: the number of images in a batch.
        shuffle: whether to put the images in a new random order each epoch.
        sample_weight: `None`, or an array of one weight per image.
        seed: an int for a reproducible order and augmentation, or `None`.
        data_format: `'channels_last'` or `'channels_first'`; `None` for
            `backend.image_data_format()`.
        save_to_dir: `None`, or a folder into which every served image is written.
        save_prefix: the start of the names of the saved files.
        save_format: the format of the saved files, such as `'png'`.
        subset: `None`, `'training'` or `'validation'`: the first
            `validation_split` fraction of the images (the generator's) is for
            validation, the rest for training.
        dtype: the dtype of the images served; `None` for `backend.floatx()`.

    # Raises
        ValueError: if `x` is not an array of rank 4, `y` or `sample_weight` has
            another length, `subset` is not one of the above or the generator has
            no `validation_split`, or the two subsets hold different labels.
    """

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False,
                 sample_weight=None, seed=None, data_format=None, save_to_dir=None,
                 save_prefix="", save_format="png", subset=None, dtype=None):
        self._set_processing_attrs(image_data_generator, data_format, dtype, save_to_dir,
                                   save_prefix, save_format)
        x, y, sample_weight = _check_flow_arrays(x, y, sample_weight)
        if subset is not None:
            validation_split = getattr(image_data_generator, "_validation_split", 0.0)
            x, y, sample_weight = _take_subset(x, y, sample_weight, subset, validation_split)
        self.x = np.asarray(x, dtype=self.dtype)
        self.y = y
        self.sample_weight = sample_weight
        _warn_if_channels_look_wrong("NumpyArrayIterator", self.x, self.data_format)
        super().__init__(len(self.x), batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.stack([self._transform_and_standardize(self.x[index])
                            for index in index_array]).astype(self.dtype, copy=False)
        self._save_batch(batch_x, index_array)
        if self.y is None:
            return batch_x
        if self.sample_weight is None:
            return batch_x, self.y[index_array]
        return batch_x, self.y[index_array], self.sample_weight[index_array]


class DirectoryIterator(Iterator):
    """Serves batches of augmented images read from a folder of class subfolders.

    `flow_from_directory` makes it. The images are listed once, when the iterator
    is made, and read when their batch is served. As in Keras, it prints how many
    images it found.

    # Arguments
        directory: path of the folder with one subfolder of images per class.
        image_data_generator: the `ImageDataGenerator` that transforms and
            standardizes each image, or `None` to serve the images as they are.
        target_size: `(height, width)` every image is resized to.
        color_mode: `'grayscale'`, `'rgb'` or `'rgba'`.
        classes: `None` for every visible subfolder, in sorted order, or a list
            of subfolder names, in the order of their indices.
        class_mode: `'categorical'`, `'binary'`, `'sparse'`, `'input'` or `None`;
            see `ImageDataGenerator.flow_from_directory`.
        batch_size: the number of images in a batch.
        shuffle: whether to put the images in a new random order each epoch.
        seed: an int for a reproducible order and augmentation, or `None`.
        data_format: `'channels_last'` or `'channels_first'`; `None` for
            `backend.image_data_format()`.
        save_to_dir: `None`, or a folder into which every served image is written.
        save_prefix: the start of the names of the saved files.
        save_format: the format of the saved files, such as `'png'`.
        follow_links: whether to enter symbolic links to folders.
        subset: `None`, `'training'` or `'validation'`: in each class, the first
            `validation_split` fraction of its sorted files is for validation.
        interpolation: how images are resized: `'nearest'`, `'bilinear'`,
            `'bicubic'`, `'hamming'`, `'box'` or `'lanczos'`.
        dtype: the dtype of the images served; `None` for `backend.floatx()`.

    # Raises
        FileNotFoundError: if `directory` does not exist.
        ValueError: if an argument is not one of the choices above, the folder
            has no class subfolder, a class of `classes` has no folder, or
            `class_mode='binary'` meets more than two classes.
    """

    def __init__(self, directory, image_data_generator, target_size=(256, 256),
                 color_mode="rgb", classes=None, class_mode="categorical", batch_size=32,
                 shuffle=True, seed=None, data_format=None, save_to_dir=None, save_prefix="",
                 save_format="png", follow_links=False, subset=None, interpolation="nearest",
                 dtype=None):
        image_files._check_target_size(target_size)
        image_files._check_choice("color_mode", color_mode, image_files.COLOR_MODES)
        image_files._check_choice("class_mode", class_mode, CLASS_MODES)
        image_files._check_choice("interpolation", interpolation,
                                  tuple(image_files.INTERPOLATION_METHODS))
        self.directory = os.fspath(directory)
        self._set_processing_attrs(image_data_generator, data_format, dtype, save_to_dir,
                                   save_prefix, save_format)
        self.target_size = tuple(target_size)
        self.color_mode = color_mode
        self.class_mode = class_mode
        self.interpolation = interpolation
        channels = (CHANNELS_OF_COLOR_MODE[color_mode],)
        self.image_shape = self.target_size + channels \
            if self.data_format == "channels_last" else channels + self.target_size
        self.subset = subset
        validation_split = getattr(image_data_generator, "_validation_split", 0.0)
        self.split = _subset_fractions(subset, validation_split)
        class_names = self._class_names(classes)
        self.class_indices = {name: index for index, name in enumerate(class_names)}
        self.num_classes = len(class_names)
        if class_mode == "binary" and self.num_classes > 2:
            raise ValueError(
                f"flow_from_directory: class_mode='binary' needs at most two classes; found "
                f"{self.num_classes} ({', '.join(class_names)}). Use 'categorical' or "
                f"'sparse' for more.")
        self.filenames, self.classes = self._list_images(class_names, follow_links)
        self.samples = len(self.filenames)
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        """The path of each image: `directory` joined to its name in `filenames`."""
        return [os.path.join(self.directory, name) for name in self.filenames]

    @property
    def labels(self):
        """The class index of each image, as `classes`."""
        return self.classes

    def _class_names(self, classes):
        folder_names = image_files._class_folder_names(self.directory)  # checks the folder
        if classes is None:
            if not folder_names:
                raise ValueError(
                    f"flow_from_directory found no class subfolder in {self.directory!r}. "
                    f"It reads one subfolder of images per class (such as cars/ and "
                    f"trucks/), even when there is one class: images lying directly in the "
                    f"folder are not read.")
            return folder_names
        missing = [name for name in classes
                   if not os.path.isdir(os.path.join(self.directory, name))]
        if missing:
            raise ValueError(f"flow_from_directory: classes names folders that are not in "
                             f"{self.directory!r}: {missing}; found {folder_names}.")
        return list(classes)

    def _list_images(self, class_names, follow_links):
        """The images' paths relative to `directory` and their classes, class by class.

        Within each class, the files are sorted and the subset keeps its part of them.
        """
        filenames, labels, unreadable = [], [], []
        for label, class_name in enumerate(class_names):
            paths = image_files._files_in(os.path.join(self.directory, class_name),
                                          follow_links)
            readable = [path for path in paths if image_files._can_open(path)]
            unreadable += sorted(set(paths) - set(readable))
            start, stop = (int(fraction * len(readable)) for fraction in self.split)
            filenames += [os.path.relpath(path, self.directory) for path in readable[start:stop]]
            labels += [label] * (stop - start)
        if unreadable:
            image_files._warn_skipped(self.directory, unreadable)
        return filenames, np.array(labels, dtype=np.int32)

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.stack([self._transform_and_standardize(self._load_image(index))
                            for index in index_array]).astype(self.dtype, copy=False)
        self._save_batch(batch_x, index_array)
        if self.class_mode is None:
            return batch_x
        return batch_x, self._labels(batch_x, index_array)

    def _load_image(self, index):
        path = os.path.join(self.directory, self.filenames[index])
        try:
            img = image_files.load_img(path, color_mode=self.color_mode,
                                       target_size=self.target_size,
                                       interpolation=self.interpolation)
        except OSError as error:
            raise OSError(f"flow_from_directory could not read the image {path!r}: "
                          f"{error}") from error
        return image_files.img_to_array(img, data_format=self.data_format, dtype=self.dtype)

    def _labels(self, batch_x, index_array):
        """The labels of a batch, as `class_mode` asks (floats, as in Keras)."""
        if self.class_mode == "input":
            return batch_x.copy()
        classes = self.classes[index_array]
        if self.class_mode == "categorical":
            return to_categorical(classes, self.num_classes, dtype=self.dtype)
        return classes.astype(self.dtype)  # 'binary' and 'sparse'


# ---- checks ------------------------------------------------------------------------------

def _check_flow_arrays(x, y, sample_weight):
    """Returns `x`, `y` and `sample_weight` as arrays, after checking they fit together."""
    if isinstance(x, (list, tuple)):
        raise ValueError(
            f"flow expected x to be one NumPy array of images; received a "
            f"{type(x).__name__}. Stack a list of images with np.stack(images); Keras's "
            f"form (images, other_inputs) is not supported.")
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"flow expected x to be an array of images of rank 4, such as "
                         f"(samples, height, width, channels); received shape {x.shape}.")
    y = None if y is None else np.asarray(y)
    sample_weight = None if sample_weight is None else np.asarray(sample_weight)
    for name, values in (("y", y), ("sample_weight", sample_weight)):
        if values is not None and len(values) != len(x):
            raise ValueError(f"flow expected x (images) and {name} to have the same length; "
                             f"received x of shape {x.shape} and {name} of shape "
                             f"{values.shape}.")
    return x, y, sample_weight


def _subset_fractions(subset, validation_split):
    """The part of the samples a subset takes, as fractions `(start, stop)`.

    The first `validation_split` of the samples is the validation subset, as in Keras.
    """
    if subset is None:
        return 0.0, 1.0
    if subset not in SUBSETS:
        raise ValueError(f"subset must be None, 'training' or 'validation'; "
                         f"received {subset!r}.")
    if not validation_split:
        raise ValueError(f"subset={subset!r} needs the ImageDataGenerator's "
                         f"validation_split to be above 0; it is {validation_split!r}.")
    return (0.0, validation_split) if subset == "validation" else (validation_split, 1.0)


def _take_subset(x, y, sample_weight, subset, validation_split):
    """Keeps the part of the arrays that `subset` takes, checking both parts hold every label."""
    _subset_fractions(subset, validation_split)  # checks subset and validation_split
    split_at = int(len(x) * validation_split)
    if y is not None and not np.array_equal(np.unique(y[:split_at]), np.unique(y[split_at:])):
        raise ValueError(
            "flow: the training and validation subsets hold different labels after the split "
            f"(the first {split_at} of {len(x)} samples are for validation). If the arrays "
            "are sorted by label, shuffle them first.")
    part = slice(None, split_at) if subset == "validation" else slice(split_at, None)
    return (x[part], None if y is None else y[part],
            None if sample_weight is None else sample_weight[part])


def _warn_if_channels_look_wrong(where, x, data_format):
    """Warns, as Keras does, when a batch's channel axis holds neither 1, 3 nor 4 channels."""
    channel_axis = 3 if data_format == "channels_last" else 1
    n_channels = x.shape[channel_axis]
    if n_channels not in (1, 3, 4):
        warnings.warn(
            f"{where} expected images following the data format {data_format!r}, with 1, 3 "
            f"or 4 channels on axis {channel_axis}; received an array of shape {x.shape} "
            f"({n_channels} channels). Check data_format.")
