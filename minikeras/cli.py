"""The `minikeras` command line (floor 8): demos, prediction, summaries and data sets.

Every command turns a bad input (a missing folder, an unreadable model or image) into one
line on stderr and a non-zero exit, never a traceback.
"""
import functools
import sys

import click

VERBOSITY = click.IntRange(0, 2)


def friendly_errors(command):
    """Turns the errors a user can cause into one clear line on stderr and exit code 1.

    # Arguments
        command: the click command's function.

    # Returns
        The wrapped function.
    """
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (OSError, ValueError, KeyError) as error:
            message = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            click.echo(f"Error: {message}", err=True)
            sys.exit(1)

    return wrapper


@click.group()
@click.version_option(package_name="minikeras")
def main():
    """minikeras: a small deep-learning library with the Keras API."""


@main.group()
def demo():
    """Train a demo classifier end to end."""


@demo.command("cars-vs-trucks")
@click.option("--data", type=click.Path(file_okay=False), default=None,
              help="A folder with one subfolder of images per class (default: generate).")
@click.option("--epochs", type=click.IntRange(1), default=8, show_default=True)
@click.option("--batch-size", type=click.IntRange(1), default=32, show_default=True)
@click.option("--image-size", type=click.IntRange(8, 512), default=32, show_default=True,
              help="Side of the square images the model reads, in pixels.")
@click.option("--samples", type=click.IntRange(20), default=3000, show_default=True,
              help="How many images to generate (without --data).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", type=click.Path(file_okay=False), default="minikeras-demo",
              show_default=True, help="Folder for the model, history, plot and image grid.")
@click.option("--verbose", type=VERBOSITY, default=1, show_default=True,
              help="0 silent, 1 progress bar, 2 one line per epoch.")
@friendly_errors
def cars_vs_trucks(data, epochs, batch_size, image_size, samples, seed, out, verbose):
    """Train a CNN that tells cars from trucks, then report its test accuracy."""
    from minikeras.demos import cars_vs_trucks as demo_module
    if data is not None:
        import os
        if not os.path.isdir(data):
            raise OSError(f"The data folder {data} does not exist.")
    demo_module.run(data=data, epochs=epochs, batch_size=batch_size, image_size=image_size,
                    samples=samples, seed=seed, out=out, verbose=verbose, echo=click.echo)


@demo.command("sequence-memory")
@click.option("--epochs", type=click.IntRange(1), default=4, show_default=True)
@click.option("--batch-size", type=click.IntRange(1), default=32, show_default=True)
@click.option("--samples", type=click.IntRange(20), default=4000, show_default=True,
              help="How many training words to generate.")
@click.option("--max-length", type=click.IntRange(4, 200), default=16, show_default=True,
              help="The longest word, in letters.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Save the trained model to this .h5 file.")
@click.option("--verbose", type=VERBOSITY, default=1, show_default=True,
              help="0 silent, 1 progress bar, 2 one line per epoch.")
@friendly_errors
def sequence_memory(epochs, batch_size, samples, max_length, seed, out, verbose):
    """Train an LSTM to recall the first letter of a word, then report its test accuracy."""
    from minikeras.demos import sequence as demo_module
    demo_module.run(epochs=epochs, batch_size=batch_size, samples=samples,
                    max_length=max_length, seed=seed, out=out, verbose=verbose, echo=click.echo)


@main.command()
@click.argument("model_path", metavar="MODEL", type=click.Path())
@click.argument("images", metavar="IMAGE...", nargs=-1, required=True, type=click.Path())
@friendly_errors
def predict(model_path, images):
    """Print the predicted class and its probability for each image."""
    import numpy as np

    from minikeras.demos.cars_vs_trucks import predicted_classes, read_class_names
    from minikeras.models import load_model
    model = load_model(model_path, compile=False)
    height, width = model.input_shape[1:3]
    class_names = read_class_names(model_path, model.output_shape[-1])
    batch = np.stack([_read_image(path, (height, width)) for path in images]) / 255.0
    probabilities = model.predict(batch)
    for path, row, label in zip(images, probabilities, predicted_classes(probabilities)):
        click.echo(f"{path}: {class_names[label]} ({class_probability(row, label):.3f})")


def _read_image(path, size):
    from minikeras.preprocessing.image import img_to_array, load_img
    try:
        return img_to_array(load_img(path, target_size=size))
    except (OSError, ValueError) as error:
        raise OSError(f"Cannot read the image {path}: {error}") from None


def class_probability(row, label):
    """Returns the probability of the predicted class from one row of model outputs.

    # Arguments
        row: the outputs for one sample (one sigmoid unit, or a softmax row).
        label: the predicted class index.

    # Returns
        A float.
    """
    if len(row) == 1:
        return float(row[0]) if label == 1 else 1.0 - float(row[0])
    return float(row[label])


@main.command()
@click.argument("model_path", metavar="MODEL", type=click.Path())
@friendly_errors
def summary(model_path):
    """Print the summary table of a saved model."""
    from minikeras.models import load_model
    load_model(model_path, compile=False).summary(print_fn=click.echo)


@main.group()
def datasets():
    """Write the demo data sets to folders of images."""


@datasets.command("cars-vs-trucks")
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="Folder to write cars/ and trucks/ into.")
@click.option("--samples", type=click.IntRange(2), default=1000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--image-size", type=click.IntRange(8, 512), default=64, show_default=True)
@friendly_errors
def write_cars_vs_trucks(out, samples, seed, image_size):
    """Write generated car and truck images as PNG files into OUT/cars and OUT/trucks."""
    from minikeras.datasets import cars_vs_trucks as dataset
    path = dataset.save_to_directory(out, n_samples=samples, seed=seed, image_size=image_size)
    click.echo(f"Wrote {samples} images into {path}/cars and {path}/trucks.")


from minikeras.grader import course  # noqa: E402  (floor 8: the course's grader)
main.add_command(course)


if __name__ == "__main__":
    main()
