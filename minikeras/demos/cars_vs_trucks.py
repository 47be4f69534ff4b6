"""The cars-vs-trucks demo: images from two folders, a small CNN, Adam, and a report.

The case study trained Keras on two folders of car and truck photos, split with
train_test_split, and reached about 80% accuracy. This demo does the same on generated
images (or on your folders with `--data`) and writes the model, its history, a plot of
the curves and a grid of test images with their predicted labels.
"""
import os
import time

import numpy as np

from minikeras.engine import io_utils

CLASS_NAMES = ["car", "truck"]


def default_cache_dir():
    """Returns the folder where generated data sets are kept (`~/.minikeras/datasets`).

    # Returns
        A path; `MINIKERAS_HOME` replaces `~/.minikeras`.
    """
    home = os.environ.get("MINIKERAS_HOME") or os.path.join(os.path.expanduser("~"),
                                                             ".minikeras")
    return os.path.join(home, "datasets")


def generated_data(n_samples, seed, image_size, cache_dir=None):
    """Returns generated images and labels, reusing a copy cached by an earlier run.

    # Arguments
        n_samples: the number of images.
        seed: the generator's seed.
        image_size: the side of the square images, in pixels.
        cache_dir: where to keep the cached copy (`default_cache_dir()` by default).

    # Returns
        `(images, labels, class_names)`: uint8 images `(n, s, s, 3)`, int labels.
    """
    from minikeras.datasets import cars_vs_trucks
    cache_dir = cache_dir or default_cache_dir()
    path = os.path.join(cache_dir, f"cars_vs_trucks-{n_samples}-{seed}-{image_size}.npz")
    if os.path.exists(path):
        try:
            with np.load(path) as cached:
                return cached["x"], cached["y"], CLASS_NAMES
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache is regenerated
    images, labels = cars_vs_trucks.generate(n_samples, seed=seed, image_size=image_size)
    os.makedirs(cache_dir, exist_ok=True)
    with io_utils.write_atomically(path) as temporary:
        np.savez_compressed(temporary, x=images, y=labels)
    return images, labels, CLASS_NAMES


def folder_data(directory, image_size):
    """Loads `directory/<class>/` images, resized to `image_size`, as the demo trains on.

    # Arguments
        directory: a folder with one subfolder of images per class.
        image_size: the side of the square images the model reads.

    # Returns
        `(images, labels, class_names)`.
    """
    from minikeras.preprocessing.image import load_image_folder
    images, labels, class_names = load_image_folder(directory,
                                                    target_size=(image_size, image_size))
    return images, labels, list(class_names)


def build_model(image_size, n_classes=2):
    """Builds the demo's CNN: three Conv2D + MaxPooling2D blocks, then two Dense layers.

    # Arguments
        image_size: the side of the square input images.
        n_classes: 2 gives one sigmoid output; more gives a softmax.

    # Returns
        An uncompiled `Sequential` model.
    """
    from minikeras.layers import Conv2D, Dense, Flatten, MaxPooling2D
    from minikeras.models import Sequential
    model = Sequential(name="cars_vs_trucks")
    model.add(Conv2D(32, 3, padding="same", activation="relu",
                     input_shape=(image_size, image_size, 3)))
    model.add(MaxPooling2D(2))
    model.add(Conv2D(64, 3, padding="same", activation="relu"))
    model.add(MaxPooling2D(2))
    model.add(Conv2D(64, 3, padding="same", activation="relu"))
    model.add(MaxPooling2D(2))
    model.add(Flatten())
    model.add(Dense(64, activation="relu"))
    if n_classes == 2:
        model.add(Dense(1, activation="sigmoid"))
    else:
        model.add(Dense(n_classes, activation="softmax"))
    return model


def predicted_classes(probabilities):
    """Turns model outputs into class indices (a sigmoid column or a softmax row).

    # Arguments
        probabilities: the model's predictions.

    # Returns
        An int array, one class per sample.
    """
    if probabilities.shape[-1] == 1:
        return (probabilities[:, 0] > 0.5).astype(int)
    return np.argmax(probabilities, axis=-1)


def confusion_matrix(true_labels, predicted_labels, n_classes):
    """Counts the samples of each true class (rows) predicted as each class (columns).

    # Arguments
        true_labels: int array.
        predicted_labels: int array.
        n_classes: the number of classes.

    # Returns
        An int array `(n_classes, n_classes)`.
    """
    matrix = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(matrix, (np.asarray(true_labels), np.asarray(predicted_labels)), 1)
    return matrix


def format_confusion_matrix(matrix, class_names):
    """Formats a confusion matrix as a small table of text.

    # Arguments
        matrix: the counts.
        class_names: the class names.

    # Returns
        A string.
    """
    width = max(len(name) for name in class_names) + 2
    header = " " * (width + 7) + "".join(f"{name:>{width}}" for name in class_names)
    lines = ["Confusion matrix (rows: true class, columns: predicted class)", header]
    for name, row in zip(class_names, matrix):
        lines.append(f"  true {name:<{width}}" + "".join(f"{count:>{width}d}" for count in row))
    return "\n".join(lines)


def save_prediction_grid(images, true_labels, predicted_labels, class_names, path,
                         columns=8, rows=4):
    """Writes a PNG grid of test images, each captioned with its predicted class.

    Wrong predictions are captioned in red, right ones in green.

    # Arguments
        images: uint8 images.
        true_labels: their classes.
        predicted_labels: the predicted classes.
        class_names: the class names.
        path: the PNG file to write.
        columns: images per row.
        rows: rows of images.
    """
    from PIL import Image, ImageDraw
    count = min(len(images), columns * rows)
    tile = max(images.shape[1], 64)
    caption = 14
    grid = Image.new("RGB", (columns * tile, rows * (tile + caption)), "white")
    draw = ImageDraw.Draw(grid)
    for index in range(count):
        column, row = index % columns, index // columns
        picture = Image.fromarray(images[index]).resize((tile, tile), Image.NEAREST)
        grid.paste(picture, (column * tile, row * (tile + caption)))
        right = true_labels[index] == predicted_labels[index]
        draw.text((column * tile + 2, row * (tile + caption) + tile),
                  class_names[predicted_labels[index]], fill="green" if right else "red")
    with io_utils.write_atomically(path) as temporary:
        grid.save(temporary, format="PNG")


def run(data=None, epochs=8, batch_size=32, image_size=32, samples=3000, seed=0,
        out="minikeras-demo", verbose=1, echo=print):
    """Runs the demo end to end and writes its files into `out`.

    # Arguments
        data: a folder of class subfolders; None generates the images.
        epochs: training epochs.
        batch_size: samples per batch.
        image_size: the side of the square images the model reads.
        samples: how many images to generate (ignored with `data`).
        seed: seeds the data, the split and the weights.
        out: the folder for the model, history, plot and grid.
        verbose: 0, 1 or 2, as for `fit`.
        echo: the function that prints a line.

    # Returns
        A dict with `test_accuracy`, `confusion_matrix` and the paths written.
    """
    from minikeras import backend, callbacks
    from minikeras.optimizers import Adam
    from minikeras.utils import train_test_split
    started = time.perf_counter()
    backend.set_seed(seed)
    if data is None:
        images, labels, class_names = generated_data(samples, seed, image_size)
        echo(f"Generated {len(images)} images of cars and trucks ({image_size}x{image_size}).")
    else:
        images, labels, class_names = folder_data(data, image_size)
        echo(f"Loaded {len(images)} images of {len(class_names)} classes from {data}: "
             f"{', '.join(class_names)}.")
    x = np.asarray(images, dtype="float32") / 255.0
    x_train, x_test, y_train, y_test = train_test_split(x, labels, test_size=0.2, seed=seed,
                                                        stratify=labels)
    model = build_model(image_size, len(class_names))
    loss = "binary_crossentropy" if len(class_names) == 2 else "sparse_categorical_crossentropy"
    model.compile(optimizer=Adam(lr=1e-3), loss=loss, metrics=["accuracy"])
    if verbose:
        model.summary(print_fn=echo)
    os.makedirs(out, exist_ok=True)
    paths = {"model": os.path.join(out, "cars_vs_trucks.h5"),
             "history": os.path.join(out, "history.csv"),
             "grid": os.path.join(out, "predictions.png")}
    history = model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, verbose=verbose,
                        validation_data=(x_test, y_test),
                        callbacks=[callbacks.CSVLogger(paths["history"])])
    probabilities = model.predict(x_test, batch_size=256)
    predicted = predicted_classes(probabilities)
    accuracy = float(np.mean(predicted == y_test))
    matrix = confusion_matrix(y_test, predicted, len(class_names))
    echo(f"Test accuracy: {accuracy:.3f}")
    echo(format_confusion_matrix(matrix, class_names))
    save_with_class_names(model, paths["model"], class_names)
    test_images = (x_test * 255).round().astype(np.uint8)
    save_prediction_grid(test_images, y_test, predicted, class_names, paths["grid"])
    try:
        from minikeras.utils.vis_utils import plot_history
        paths["plot"] = os.path.join(out, "history.png")
        plot_history(history, to_file=paths["plot"])
    except ImportError:
        paths.pop("plot")
        echo("matplotlib is not installed: no plot of the curves (pip install 'minikeras[plot]').")
    echo(f"Wrote {', '.join(sorted(paths.values()))}")
    echo(f"Done in {time.perf_counter() - started:.1f} s.")
    return {"test_accuracy": accuracy, "confusion_matrix": matrix, "paths": paths,
            "history": history.history}


def save_with_class_names(model, path, class_names):
    """Saves a model with its class names as an extra attribute (Keras ignores it).

    The file is completed under a temporary name and renamed into place, so a crash
    never leaves a half-written model.

    # Arguments
        model: the trained model.
        path: the `.h5` file to write.
        class_names: the names of the classes, in label order.
    """
    import h5py
    with io_utils.write_atomically(path) as temporary:
        model.save(temporary)
        with h5py.File(temporary, "r+") as file:
            file.attrs["class_names"] = np.array([n.encode("utf8") for n in class_names])


def read_class_names(model_path, n_outputs):
    """Reads the class names the demo stored in a model file, or makes `class_0`, ... names.

    # Arguments
        model_path: the model file.
        n_outputs: the number of output units (1 means two classes).

    # Returns
        A list of names.
    """
    import h5py
    with h5py.File(model_path, "r") as file:
        if "class_names" in file.attrs:
            return [n.decode("utf8") if isinstance(n, bytes) else str(n)
                    for n in file.attrs["class_names"]]
    return [f"class_{i}" for i in range(max(n_outputs, 2))]
