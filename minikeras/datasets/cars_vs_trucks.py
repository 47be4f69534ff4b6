"""Cars vs trucks: a small image data set drawn on the fly.

Every image shows one vehicle on a street scene: a car (label 0) or a truck
(label 1). The vehicles are drawn from simple shapes with Pillow, and almost
everything about them is left to chance: size, position, direction, colours,
proportions, the sky, the ground, buildings and trees behind, and pixel noise.
What stays the same is the shape: a car is a low body with a cabin of windows
on top; a truck is a tall cab with a long, high cargo box behind it.

Because the vehicle can be anywhere, of any colour, on any background, a
linear model on raw pixels does little better than a guess, while a small
convolutional network, which looks for shapes wherever they are, learns the
task in a few epochs. Nothing is downloaded: the same seed always gives the
same images.
"""
import os

import numpy as np
from PIL import Image, ImageDraw

from minikeras.engine import io_utils

# Class folder names of save_to_directory; a label is an index into this tuple.
CLASS_NAMES = ("cars", "trucks")

DEFAULT_N_SAMPLES = 3000
TEST_FRACTION = 0.2
MIN_IMAGE_SIZE = 8

# Shapes are drawn this many times larger, then shrunk: smooth edges.
_SUPERSAMPLING = 2


def generate(n_samples, seed=0, image_size=64):
    """Draws a balanced, shuffled set of car and truck images.

    # Arguments
        n_samples: number of images; half are cars (an odd one out is a truck).
        seed: integer seed; the same seed gives the same images.
            `None` draws a new set on each call.
        image_size: height and width of the square images, in pixels
            (at least 8).

    # Returns
        A tuple `(x, y)`: `x` a uint8 array of shape
        `(n_samples, image_size, image_size, 3)` of RGB images, `y` an
        int64 array of shape `(n_samples,)` with 0 for a car, 1 for a truck.

    # Raises
        ValueError: if `n_samples` or `image_size` is not a valid size.
    """
    _check_arguments(n_samples, image_size, min_samples=1)
    return _generate_with(np.random.default_rng(seed), n_samples, image_size)


def load_data(n_samples=DEFAULT_N_SAMPLES, seed=0, image_size=64):
    """Loads the cars-vs-trucks data set, split into training and test sets.

    Like the data sets of `keras.datasets`, but drawn on the fly: 20% of the
    images form the test set, drawn independently of the training set.

    # Arguments
        n_samples: total number of images, training plus test (at least 10).
        seed: integer seed; the same seed gives the same data set.
        image_size: height and width of the square images, in pixels.

    # Returns
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`.
        Images are uint8 of shape `(n, image_size, image_size, 3)`;
        labels are int64 of shape `(n,)`, 0 for a car and 1 for a truck.

    # Raises
        ValueError: if `n_samples` or `image_size` is not a valid size.
    """
    _check_arguments(n_samples, image_size, min_samples=10)
    n_test = int(round(n_samples * TEST_FRACTION))
    n_train = n_samples - n_test
    train_seed, test_seed = np.random.SeedSequence(seed).spawn(2)
    train = _generate_with(np.random.default_rng(train_seed), n_train, image_size)
    test = _generate_with(np.random.default_rng(test_seed), n_test, image_size)
    return train, test


def save_to_directory(path, n_samples=1000, seed=0, image_size=64):
    """Writes the images as PNG files into one folder per class.

    Cars go to `path/cars/car_00000.png`, ..., trucks to
    `path/trucks/truck_00001.png`, ..., the number being the image's index
    in `generate(n_samples, seed, image_size)`. The folders are created if
    needed; each file is written under a temporary name, then renamed, so no
    half-written image is left behind. Files of the same names are replaced;
    other files are left alone, so write to an empty folder.

    # Arguments
        path: folder to write into.
        n_samples: number of images.
        seed: integer seed; the same seed gives the same images.
        image_size: height and width of the square images, in pixels.

    # Returns
        The folder, `path`, as a string.

    # Raises
        ValueError: if `n_samples` or `image_size` is not a valid size.
    """
    images, labels = generate(n_samples, seed=seed, image_size=image_size)
    path = os.fspath(path)
    for class_name in CLASS_NAMES:
        os.makedirs(os.path.join(path, class_name), exist_ok=True)
    n_digits = max(5, len(str(n_samples - 1)))
    for index, (image, label) in enumerate(zip(images, labels)):
        class_name = CLASS_NAMES[label]
        file_name = f"{class_name[:-1]}_{index:0{n_digits}d}.png"
        _save_png_atomically(image, os.path.join(path, class_name, file_name))
    return path


def _save_png_atomically(image, file_path):
    """Writes a PNG under a temporary name, then renames it to `file_path`."""
    with io_utils.write_atomically(file_path) as temporary_path:
        Image.fromarray(image).save(temporary_path, format="PNG")


def _check_arguments(n_samples, image_size, min_samples):
    if not isinstance(n_samples, (int, np.integer)) or n_samples < min_samples:
        raise ValueError(
            f"n_samples must be a whole number of images, at least {min_samples}; "
            f"received {n_samples!r}.")
    if not isinstance(image_size, (int, np.integer)) or image_size < MIN_IMAGE_SIZE:
        raise ValueError(
            f"image_size must be a whole number of pixels, at least {MIN_IMAGE_SIZE}; "
            f"received {image_size!r}.")


def _generate_with(rng, n_samples, image_size):
    """Draws `n_samples` scenes with the random generator `rng`; see `generate`."""
    labels = np.array([0] * (n_samples // 2) + [1] * (n_samples - n_samples // 2))
    labels = rng.permutation(labels).astype(np.int64)
    images = np.empty((n_samples, image_size, image_size, 3), dtype=np.uint8)
    for index, label in enumerate(labels):
        images[index] = _draw_scene(rng, label, image_size)
    return images, labels


# --- one scene --------------------------------------------------------------

def _draw_scene(rng, label, image_size):
    """Returns one uint8 image `(image_size, image_size, 3)` of a car or a truck."""
    canvas_size = image_size * _SUPERSAMPLING
    canvas, horizon = _draw_background(rng, canvas_size)
    draw = ImageDraw.Draw(canvas)
    _draw_clutter(rng, draw, canvas_size, horizon)
    pen = _place_vehicle(rng, draw, canvas_size, horizon, label)
    if label == 0:
        _draw_car(rng, pen)
    else:
        _draw_truck(rng, pen)
    _draw_foreground_clutter(rng, draw, canvas_size, pen)
    small = canvas.resize((image_size, image_size), Image.BOX)
    return _add_noise(rng, np.asarray(small))


def _random_colour(rng, low=0, high=256):
    """An RGB colour, each channel drawn from `low` to `high - 1`."""
    return tuple(int(c) for c in rng.integers(low, high, size=3))


def _vehicle_colour(rng):
    """Any colour: white, black, grey or a hue of any strength."""
    kind = rng.random()
    if kind < 0.15:
        return _grey(rng, 200, 256)
    if kind < 0.3:
        return _grey(rng, 0, 70)
    if kind < 0.4:
        return _grey(rng, 70, 200)
    return _random_colour(rng)


def _grey(rng, low, high):
    """A grey between `low` and `high`, with a faint random tint."""
    level = int(rng.integers(low, high))
    tint = rng.integers(-12, 13, size=3)
    return tuple(min(max(level + int(t), 0), 255) for t in tint)


_SKY_COLOURS = (
    (90, 150, 230), (150, 200, 250), (200, 225, 245), (170, 170, 180), (230, 160, 90),
    (250, 210, 150), (40, 50, 100), (120, 90, 160))
_GROUND_COLOURS = (
    (90, 150, 60), (60, 110, 40), (140, 110, 70), (200, 180, 130), (110, 110, 110),
    (160, 160, 150), (70, 70, 75), (230, 230, 235))


def _pick_colour(rng, palette, jitter=40):
    """One colour of `palette`, each channel moved by up to `jitter`."""
    base = palette[rng.integers(len(palette))]
    shift = rng.integers(-jitter, jitter + 1, size=3)
    return tuple(min(max(c + int(d), 0), 255) for c, d in zip(base, shift))


def _draw_background(rng, size):
    """A sky gradient above a horizon and the ground below it."""
    horizon = int(size * rng.uniform(0.3, 0.7))
    sky_top, sky_bottom = _pick_colour(rng, _SKY_COLOURS), _pick_colour(rng, _SKY_COLOURS)
    ground_top = _pick_colour(rng, _GROUND_COLOURS)
    ground_bottom = _pick_colour(rng, _GROUND_COLOURS)
    pixels = np.empty((size, size, 3), dtype=np.float32)
    pixels[:horizon] = _vertical_gradient(sky_top, sky_bottom, horizon)
    pixels[horizon:] = _vertical_gradient(ground_top, ground_bottom, size - horizon)
    canvas = Image.fromarray(pixels.astype(np.uint8))
    if rng.random() < 0.6:
        _draw_road(rng, ImageDraw.Draw(canvas), size, horizon)
    return canvas, horizon


def _vertical_gradient(top_colour, bottom_colour, height):
    """Rows `(height, 1, 3)` that fade from `top_colour` to `bottom_colour`."""
    weights = np.linspace(0.0, 1.0, max(height, 1), dtype=np.float32)[:height, None, None]
    top = np.array(top_colour, dtype=np.float32)
    bottom = np.array(bottom_colour, dtype=np.float32)
    return top + weights * (bottom - top)


def _draw_road(rng, draw, size, horizon):
    """A grey band below the horizon with a dashed line along it."""
    top = horizon + (size - horizon) * rng.uniform(0.0, 0.5)
    bottom = top + (size - top) * rng.uniform(0.4, 1.0)
    draw.rectangle([0, top, size, bottom], fill=_grey(rng, 30, 160))
    line_y = (top + bottom) / 2
    line_colour = _random_colour(rng, 150)
    dash = size * rng.uniform(0.05, 0.15)
    for x in np.arange(-rng.uniform(0, 2 * dash), size, 2 * dash):
        draw.rectangle([x, line_y - size / 100, x + dash, line_y + size / 100], fill=line_colour)


def _draw_clutter(rng, draw, size, horizon):
    """Buildings, trees, poles, clouds and suns behind the vehicle."""
    for _ in range(rng.integers(0, 4)):
        kind = rng.integers(0, 5)
        x = size * rng.uniform(-0.1, 1.0)
        if kind == 0:
            _draw_building(rng, draw, size, x, horizon)
        elif kind == 1:
            _draw_tree(rng, draw, size, x, horizon)
        elif kind == 2:
            width = size * rng.uniform(0.01, 0.03)
            top = horizon - size * rng.uniform(0.1, 0.4)
            draw.rectangle([x, top, x + width, horizon], fill=_random_colour(rng))
        elif kind == 3:
            y = horizon * rng.uniform(0.0, 0.7)
            rx, ry = size * rng.uniform(0.06, 0.2), size * rng.uniform(0.03, 0.08)
            draw.ellipse([x - rx, y - ry, x + rx, y + ry], fill=_random_colour(rng, 120))
        else:
            y = horizon * rng.uniform(0.0, 0.7)
            radius = size * rng.uniform(0.03, 0.08)
            draw.ellipse([x - radius, y - radius, x + radius, y + radius],
                         fill=_random_colour(rng, 100))


def _draw_building(rng, draw, size, x, horizon):
    """A block standing on the horizon, with rows of windows."""
    width = size * rng.uniform(0.1, 0.35)
    top = horizon - size * rng.uniform(0.1, 0.45)
    draw.rectangle([x, top, x + width, horizon], fill=_random_colour(rng))
    window_colour = _random_colour(rng)
    step = size * rng.uniform(0.05, 0.09)
    for wx in np.arange(x + step / 3, x + width - step / 2, step):
        for wy in np.arange(top + step / 3, horizon - step / 2, step):
            draw.rectangle([wx, wy, wx + step / 2, wy + step / 2], fill=window_colour)


def _draw_tree(rng, draw, size, x, horizon):
    """A trunk standing on the horizon with a round crown."""
    height = size * rng.uniform(0.1, 0.35)
    radius = height * rng.uniform(0.3, 0.5)
    trunk = size * 0.015
    draw.rectangle([x - trunk, horizon - height, x + trunk, horizon],
                   fill=_random_colour(rng, 0, 140))
    centre_y = horizon - height
    draw.ellipse([x - radius, centre_y - radius, x + radius, centre_y + radius],
                 fill=_random_colour(rng))


def _draw_foreground_clutter(rng, draw, size, pen):
    """Sometimes a post or a bush in front of part of the vehicle."""
    if rng.random() < 0.15:
        x = size * rng.uniform(0.0, 1.0)
        width = size * rng.uniform(0.015, 0.04)
        bottom = size * rng.uniform(0.85, 1.0)
        top = bottom - size * rng.uniform(0.15, 0.5)
        draw.rectangle([x, top, x + width, bottom], fill=_random_colour(rng))
    if rng.random() < 0.1:
        x = size * rng.uniform(0.0, 1.0)
        radius = size * rng.uniform(0.04, 0.1)
        y = pen.ground_y + radius * rng.uniform(0.0, 1.0)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=_random_colour(rng))


# --- vehicles ---------------------------------------------------------------

class _VehiclePen:
    """Draws in vehicle units, mapped onto the canvas.

    In vehicle units the vehicle runs from its rear at x = 0 to its front at
    x = 1, and y is the height above the ground. The pen scales by the
    vehicle's length in pixels, mirrors for a vehicle facing left and turns
    y upwards into image rows downwards.
    """

    def __init__(self, draw, rear_x, ground_y, length, facing_right, outline):
        self.draw = draw
        self.rear_x = rear_x
        self.ground_y = ground_y
        self.length = length
        self.direction = 1 if facing_right else -1
        self.outline = outline
        self.line_width = max(1, round(length * 0.02))

    def point(self, x, y):
        """The canvas position `(column, row)` of the vehicle point `(x, y)`."""
        return (self.rear_x + self.direction * x * self.length, self.ground_y - y * self.length)

    def box(self, x0, y0, x1, y1):
        """The canvas box `[left, top, right, bottom]` between two vehicle points."""
        (ax, ay), (bx, by) = self.point(x0, y0), self.point(x1, y1)
        return [min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)]

    def rectangle(self, x0, y0, x1, y1, fill):
        self.draw.rectangle(self.box(x0, y0, x1, y1), fill=fill, outline=self.outline,
                            width=self.line_width)

    def rounded_rectangle(self, x0, y0, x1, y1, radius, fill):
        self.draw.rounded_rectangle(self.box(x0, y0, x1, y1), radius=radius * self.length,
                                    fill=fill, outline=self.outline, width=self.line_width)

    def polygon(self, points, fill):
        self.draw.polygon([self.point(x, y) for x, y in points], fill=fill,
                          outline=self.outline, width=self.line_width)

    def wheel(self, x, radius, tyre, hub):
        """A wheel standing on the ground, centred at `x`."""
        self.draw.ellipse(self.box(x - radius, 0, x + radius, 2 * radius), fill=tyre)
        inner = radius * 0.5
        self.draw.ellipse(self.box(x - inner, radius - inner, x + inner, radius + inner), fill=hub)


def _place_vehicle(rng, draw, size, horizon, label):
    """Chooses the size, place and direction of the vehicle; returns its pen."""
    length = size * rng.uniform(0.55, 0.95)
    height = length * (0.8 if label == 1 else 0.5)
    ground_y = rng.uniform(min(horizon + size * 0.05, size - 1), size)
    ground_y = max(ground_y, height * 0.9)
    rear_x = rng.uniform(-0.05 * length, size - 0.95 * length)
    facing_right = bool(rng.random() < 0.5)
    if not facing_right:
        rear_x = size - rear_x
    outline = _grey(rng, 0, 50)
    return _VehiclePen(draw, rear_x, ground_y, length, facing_right, outline)


def _draw_car(rng, pen):
    """A low body with a cabin of windows on top and two wheels."""
    body_colour = _vehicle_colour(rng)
    wheel_radius = rng.uniform(0.08, 0.11)
    clearance = wheel_radius * rng.uniform(0.5, 0.8)
    body_top = clearance + rng.uniform(0.15, 0.22)
    roof = body_top + rng.uniform(0.13, 0.2)
    cabin_rear, cabin_front = _car_cabin_span(rng)
    slope = rng.uniform(0.06, 0.14)
    pen.polygon([(cabin_rear, body_top - 0.01), (cabin_rear + slope, roof),
                 (cabin_front - slope * 1.3, roof), (cabin_front, body_top - 0.01)],
                fill=body_colour)
    window_colour = _window_colour(rng)
    inset = 0.025
    pillar = (cabin_rear + cabin_front) / 2 + rng.uniform(-0.05, 0.05)
    window_top = roof - inset
    pen.polygon([(cabin_rear + inset * 1.5, body_top), (cabin_rear + slope + inset, window_top),
                 (pillar - inset / 2, window_top), (pillar - inset / 2, body_top)],
                fill=window_colour)
    pen.polygon([(pillar + inset / 2, body_top), (pillar + inset / 2, window_top),
                 (cabin_front - slope * 1.3 - inset, window_top),
                 (cabin_front - inset * 1.5, body_top)], fill=window_colour)
    pen.rounded_rectangle(0, clearance, 1, body_top, rng.uniform(0.03, 0.08), fill=body_colour)
    _draw_lights(rng, pen, clearance, body_top)
    tyre, hub = _wheel_colours(rng)
    for x in (rng.uniform(0.15, 0.22), rng.uniform(0.76, 0.83)):
        pen.wheel(x, wheel_radius, tyre, hub)


def _car_cabin_span(rng):
    """Where the cabin starts and ends: a sedan, a hatchback or a coupe."""
    style = rng.integers(0, 3)
    if style == 0:
        return rng.uniform(0.2, 0.3), rng.uniform(0.68, 0.76)
    if style == 1:
        return rng.uniform(0.03, 0.1), rng.uniform(0.62, 0.72)
    return rng.uniform(0.25, 0.35), rng.uniform(0.62, 0.7)


def _draw_truck(rng, pen):
    """A tall cab at the front, a long high cargo box behind, three or more wheels."""
    cab_colour = _vehicle_colour(rng)
    box_colour = cab_colour if rng.random() < 0.4 else _vehicle_colour(rng)
    wheel_radius = rng.uniform(0.07, 0.1)
    chassis = wheel_radius * rng.uniform(1.0, 1.4)
    cab_rear = rng.uniform(0.7, 0.78)
    cab_top = chassis + rng.uniform(0.3, 0.42)
    box_front = cab_rear - rng.uniform(0.01, 0.03)
    box_top = max(cab_top + rng.uniform(-0.03, 0.15), chassis + 0.3)
    pen.rectangle(0.02, wheel_radius * 0.8, 0.98, chassis, fill=_grey(rng, 20, 70))
    _draw_cargo(rng, pen, box_front, chassis, box_top, box_colour)
    _draw_cab(rng, pen, cab_rear, chassis, cab_top, cab_colour)
    tyre, hub = _wheel_colours(rng)
    rear_axles = [rng.uniform(0.12, 0.2)]
    if rng.random() < 0.6:
        rear_axles.append(rear_axles[0] + wheel_radius * 2.1)
    for x in rear_axles + [rng.uniform(0.82, 0.88)]:
        pen.wheel(x, wheel_radius, tyre, hub)


def _draw_cargo(rng, pen, front, bottom, top, colour):
    """A box (or, one time in five, a tank) with maybe a stripe on its side."""
    if rng.random() < 0.2:
        radius = (top - bottom) * rng.uniform(0.3, 0.5)
        pen.rounded_rectangle(0, bottom, front, top, radius, fill=colour)
        return
    pen.rectangle(0, bottom, front, top, fill=colour)
    if rng.random() < 0.5:
        middle = bottom + (top - bottom) * rng.uniform(0.3, 0.7)
        half_width = (top - bottom) * rng.uniform(0.05, 0.2)
        pen.rectangle(0.03, middle - half_width, front - 0.03, middle + half_width,
                      fill=_random_colour(rng))


def _draw_cab(rng, pen, rear, bottom, top, colour):
    """The driver's cab: flat-fronted, or with a bonnet in front of it."""
    if rng.random() < 0.5:
        front = 1.0
        pen.polygon([(rear, bottom), (rear, top), (front - 0.05, top), (front, top - 0.08),
                     (front, bottom)], fill=colour)
    else:
        front = rng.uniform(0.88, 0.92)
        pen.polygon([(rear, bottom), (rear, top), (front - 0.03, top), (front, top - 0.12),
                     (front, bottom)], fill=colour)
        bonnet_top = bottom + (top - bottom) * rng.uniform(0.35, 0.55)
        pen.rectangle(front - 0.01, bottom, 1.0, bonnet_top, fill=colour)
    window_bottom = bottom + (top - bottom) * rng.uniform(0.45, 0.6)
    pen.polygon([(rear + 0.03, window_bottom), (rear + 0.03, top - 0.03),
                 (front - 0.06, top - 0.03), (front - 0.02, window_bottom)],
                fill=_window_colour(rng))
    _draw_lights(rng, pen, bottom, bottom + 0.08)


def _window_colour(rng):
    """Dark glass most of the time, else a light colour."""
    if rng.random() < 0.5:
        return _grey(rng, 10, 90)
    return _random_colour(rng, 90)


def _wheel_colours(rng):
    """A dark tyre and a lighter hub."""
    tyre = _grey(rng, 0, 60)
    hub = _grey(rng, 100, 230) if rng.random() < 0.8 else _random_colour(rng)
    return tyre, hub


def _draw_lights(rng, pen, bottom, top):
    """A headlight at the front and a red light at the rear, between `bottom` and `top`."""
    light_y = bottom + (top - bottom) * rng.uniform(0.4, 0.7)
    size = 0.025
    pen.rectangle(1.0 - size, light_y - size / 2, 1.0, light_y + size / 2,
                  fill=_random_colour(rng, 180))
    pen.rectangle(0.0, light_y - size / 2, size, light_y + size / 2,
                  fill=(int(rng.integers(160, 256)), 20, 20))


def _add_noise(rng, image):
    """Adds Gaussian pixel noise of a random strength; returns uint8."""
    sigma = np.float32(rng.uniform(0.0, 8.0))
    noisy = image + sigma * rng.standard_normal(image.shape, dtype=np.float32)
    return np.clip(noisy, 0, 255).astype(np.uint8)
