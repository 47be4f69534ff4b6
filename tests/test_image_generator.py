"""Tests of ImageDataGenerator, its iterators and the affine helpers of
minikeras.preprocessing.image, against Keras 2's documented behaviour.

The geometry is checked on exact cases: no move is the identity, right-angle rotations
are `np.rot90`, whole-pixel shifts are slices of `np.pad` in the matching mode, and the
fill modes extend a row [a b c d] as their definitions say.
"""
import os
import shutil
import warnings

import numpy as np
import pytest

from minikeras import backend
from minikeras.datasets import cars_vs_trucks
from minikeras.layers import Dense, Flatten
from minikeras.models import Sequential
from minikeras.preprocessing.image import (
    DirectoryIterator, ImageDataGenerator, NumpyArrayIterator, apply_affine_transform,
    apply_brightness_shift, apply_channel_shift, flip_axis, img_to_array, load_img,
    random_brightness, random_rotation, random_shift, random_zoom,
    transform_matrix_offset_center,
)
from minikeras.utils import Sequence

FILL_MODES = ("constant", "nearest", "reflect", "wrap")
# np.pad's names for the fill modes of Keras (scipy's 'reflect' is np.pad's 'symmetric').
NP_PAD_MODES = {"constant": "constant", "nearest": "edge", "reflect": "symmetric",
                "wrap": "wrap"}


def random_image(height=5, width=6, channels=2, seed=0):
    return np.random.default_rng(seed).random((height, width, channels)).astype("float32")


def row_image(values):
    """A one-row, one-channel image, shape (1, len(values), 1)."""
    return np.array(values, dtype="float32").reshape(1, -1, 1)


# ---- apply_affine_transform -----------------------------------------------------------

def test_no_move_returns_the_image_itself():
    x = random_image()
    assert apply_affine_transform(x) is x
    moved = apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1,
                                   fill_mode="constant", order=0)
    assert np.array_equal(moved, x)


@pytest.mark.parametrize("fill_mode", FILL_MODES)
@pytest.mark.parametrize("order", [0, 1])
def test_right_angle_rotations_are_rot90_clockwise_as_displayed(fill_mode, order):
    # Keras's matrix [[cos, -sin], [sin, cos]] maps output (row, col) to input: with
    # theta = 90, output[r, c] = input[n - 1 - c, r], a clockwise turn (rows going down).
    x = random_image(5, 5, 3)
    for theta, quarter_turns in ((90, -1), (-90, 1), (180, 2)):
        rotated = apply_affine_transform(x, theta=theta, fill_mode=fill_mode, order=order)
        assert np.array_equal(rotated, np.rot90(x, quarter_turns, axes=(0, 1))), theta


def test_a_small_example_of_the_rotation_direction():
    x = np.array([[1, 2], [3, 4]], dtype="float32")[:, :, np.newaxis]
    assert apply_affine_transform(x, theta=90)[:, :, 0].tolist() == [[3, 1], [4, 2]]


@pytest.mark.parametrize("fill_mode", FILL_MODES)
@pytest.mark.parametrize("tx, ty", [(2, -3), (-1, 4), (7, -9)])
def test_whole_pixel_shifts_are_slices_of_the_padded_image(fill_mode, tx, ty):
    # Output pixel (r, c) is read from input (r + tx, c + ty).
    x = random_image(5, 6, 2)
    pad = 10
    padded = np.pad(x, ((pad, pad), (pad, pad), (0, 0)), mode=NP_PAD_MODES[fill_mode],
                    **({"constant_values": -1.5} if fill_mode == "constant" else {}))
    expected = padded[pad + tx:pad + tx + 5, pad + ty:pad + ty + 6]
    for order in (0, 1):
        shifted = apply_affine_transform(x, tx=tx, ty=ty, fill_mode=fill_mode, cval=-1.5,
                                         order=order)
        assert np.array_equal(shifted, expected)


@pytest.mark.parametrize("fill_mode, left, right", [
    # a b c d read from 2 pixels further left, then 2 pixels further right
    ("constant", [9, 9, 1, 2], [3, 4, 9, 9]),   # k k k k | a b c d | k k k k
    ("nearest", [1, 1, 1, 2], [3, 4, 4, 4]),    # a a a a | a b c d | d d d d
    ("reflect", [2, 1, 1, 2], [3, 4, 4, 3]),    # d c b a | a b c d | d c b a
    ("wrap", [3, 4, 1, 2], [3, 4, 1, 2]),       # a b c d | a b c d | a b c d
])
def test_each_fill_mode_extends_the_border_as_defined(fill_mode, left, right):
    x = row_image([1, 2, 3, 4])
    read_left = apply_affine_transform(x, ty=-2, fill_mode=fill_mode, cval=9)
    read_right = apply_affine_transform(x, ty=2, fill_mode=fill_mode, cval=9)
    assert read_left.ravel().tolist() == left
    assert read_right.ravel().tolist() == right


def test_reflect_and_wrap_repeat_over_several_periods():
    x = row_image([1, 2, 3, 4])
    assert apply_affine_transform(x, ty=5, fill_mode="reflect").ravel().tolist() == [
        3, 2, 1, 1]
    assert apply_affine_transform(x, ty=-6, fill_mode="wrap").ravel().tolist() == [
        3, 4, 1, 2]


def test_a_positive_tx_moves_the_content_up():
    x = np.array([[1, 1], [2, 2], [3, 3]], dtype="float32")[:, :, np.newaxis]
    assert apply_affine_transform(x, tx=1)[:, :, 0].tolist() == [[2, 2], [3, 3], [3, 3]]


@pytest.mark.parametrize("fill_mode", ["nearest", "reflect", "wrap"])
def test_zooming_a_constant_image_keeps_it_constant(fill_mode):
    x = np.full((6, 7, 3), 0.25, dtype="float32")
    for zoom in (2, 0.5):
        zoomed = apply_affine_transform(x, zx=zoom, zy=zoom, fill_mode=fill_mode)
        assert np.array_equal(zoomed, x)


def test_zoom_reads_around_the_centre_and_interpolates_bilinearly():
    # Rows hold their own index, so bilinear reading gives back the fractional row read.
    ramp = np.repeat(np.arange(4, dtype="float32"), 3).reshape(4, 3, 1)
    zoomed_in = apply_affine_transform(ramp, zx=0.5)
    # centre 1.5: output row r is read at 1.5 + 0.5 * (r - 1.5)
    assert np.allclose(zoomed_in[:, 0, 0], [0.75, 1.25, 1.75, 2.25], atol=1e-6)
    zoomed_out = apply_affine_transform(ramp, zx=2, fill_mode="constant", cval=-1)
    # rows are read at -1.5, 0.5, 2.5 and 4.5: the outer two fall outside the image
    assert np.allclose(zoomed_out[:, 0, 0], [-1, 0.5, 2.5, -1], atol=1e-6)


def test_order_zero_takes_the_nearest_pixel_without_mixing():
    ramp = np.repeat(np.arange(4, dtype="float32"), 3).reshape(4, 3, 1)
    # read at rows 0.75, 1.25, 1.75 and 2.25, as in the bilinear case above
    assert apply_affine_transform(ramp, zx=0.5, order=0)[:, 0, 0].tolist() == [1, 1, 2, 2]
    x = random_image(6, 6, 1)
    rotated = apply_affine_transform(x, theta=33, order=0)
    assert set(rotated.ravel().tolist()) <= set(x.ravel().tolist())


def test_channels_first_images_move_like_channels_last_ones():
    x = random_image(5, 7, 3)
    moved_last = apply_affine_transform(x, theta=20, tx=1.5, zy=1.2, fill_mode="reflect")
    moved_first = apply_affine_transform(x.transpose(2, 0, 1), theta=20, tx=1.5, zy=1.2,
                                         row_axis=1, col_axis=2, channel_axis=0,
                                         fill_mode="reflect")
    assert np.array_equal(moved_first, moved_last.transpose(2, 0, 1))


def test_integer_images_keep_their_dtype_rounded():
    x = np.array([[0, 10], [20, 30]], dtype=np.uint8)[:, :, np.newaxis]
    moved = apply_affine_transform(x, ty=0.5)
    assert moved.dtype == np.uint8
    assert moved[:, :, 0].tolist() == [[5, 10], [25, 30]]


def test_transform_matrix_offset_center_turns_about_the_centre():
    quarter_turn = np.array([[0, -1, 0], [1, 0, 0], [0, 0, 1]], dtype=float)
    matrix = transform_matrix_offset_center(quarter_turn, 5, 5)
    assert np.allclose(matrix @ [2, 2, 1], [2, 2, 1])  # the centre pixel stays put


def test_apply_affine_transform_rejects_bad_arguments():
    x = random_image()
    with pytest.raises(ValueError, match="fill_mode must be one of .*received 'mirror'"):
        apply_affine_transform(x, theta=10, fill_mode="mirror")
    with pytest.raises(ValueError, match="order must be one of 0, 1; received 3"):
        apply_affine_transform(x, theta=10, order=3)
    with pytest.raises(ValueError, match=r"3D array .* shape \(5, 6\)"):
        apply_affine_transform(x[:, :, 0], theta=10)
    with pytest.raises(ValueError, match="row_axis, col_axis and channel_axis"):
        apply_affine_transform(x, theta=10, row_axis=0, col_axis=0, channel_axis=2)


# ---- flips, channel shift, brightness and the random helpers ---------------------------

def test_flip_axis_reverses_one_axis():
    x = random_image(3, 4, 2)
    assert np.array_equal(flip_axis(x, 1), x[:, ::-1])
    assert np.array_equal(flip_axis(x, 0), x[::-1])


def test_channel_shift_adds_and_stays_within_the_image_range():
    x = np.array([0, 50, 100], dtype="float32").reshape(1, 3, 1)
    assert apply_channel_shift(x, 30, channel_axis=2).ravel().tolist() == [30, 80, 100]
    assert apply_channel_shift(x, -70, channel_axis=2).ravel().tolist() == [0, 0, 30]


def test_brightness_multiplies_8_bit_values_as_pil_does():
    x = row_image([0, 1, 3, 100, 201, 255])  # spans 0..255, so stretching changes nothing
    assert np.array_equal(apply_brightness_shift(x, 1), x)
    assert apply_brightness_shift(x, 0.5).ravel().tolist() == [0, 0, 1, 50, 100, 127]
    assert apply_brightness_shift(x, 2).ravel().tolist() == [0, 2, 6, 200, 255, 255]


def test_brightness_stretches_the_image_to_0_255_first_unless_scale_is_false():
    x = row_image([10, 15, 20])
    assert apply_brightness_shift(x, 1).ravel().tolist() == [0, 127, 255]
    assert apply_brightness_shift(x, 1, scale=False).ravel().tolist() == [10, 15, 20]


def test_random_helpers_are_reproducible_with_set_seed_and_keep_the_shape():
    x = random_image(6, 6, 3).transpose(2, 0, 1)  # channels first, Keras's default here
    for helper, argument in ((random_rotation, 30), (random_zoom, (0.7, 1.3))):
        backend.set_seed(5)
        first = helper(x, argument)
        backend.set_seed(5)
        assert np.array_equal(helper(x, argument), first)
        assert first.shape == x.shape
    backend.set_seed(5)
    assert random_shift(x, 0.2, 0.2).shape == x.shape
    bright = random_brightness(random_image(4, 4, 3) * 255, (0.5, 1.5))
    assert bright.shape == (4, 4, 3)


def test_a_zoom_range_of_one_draws_nothing_as_in_keras():
    x = random_image()
    backend.set_seed(2)
    expected_next_draw = backend.rng().random()
    backend.set_seed(2)
    assert random_zoom(x, (1, 1), row_axis=0, col_axis=1, channel_axis=2) is x
    assert backend.rng().random() == expected_next_draw
    rng = np.random.default_rng(0)
    parameters = ImageDataGenerator(zoom_range=0).get_random_transform((5, 6, 3), seed=rng)
    assert (parameters["zx"], parameters["zy"]) == (1, 1)
    assert rng.random() == np.random.default_rng(0).random()


def test_random_helpers_reject_ranges_that_are_not_pairs():
    with pytest.raises(ValueError, match=r"zoom_range must be a tuple or list of two"):
        random_zoom(random_image(), (0.5, 1, 2))
    with pytest.raises(ValueError, match=r"brightness_range must be a tuple or list of two"):
        random_brightness(random_image(), 0.5)


# ---- ImageDataGenerator: arguments ------------------------------------------------------

@pytest.mark.parametrize("arguments, message", [
    ({"fill_mode": "mirror"}, r"fill_mode must be one of .* received 'mirror'"),
    ({"validation_split": 1.0}, r"validation_split must be a number from 0 .* received 1.0"),
    ({"validation_split": -0.1}, r"validation_split .* received -0.1"),
    ({"zoom_range": [0.5, 1, 2]}, r"zoom_range must be a float, .* received \[0.5, 1, 2\]"),
    ({"zoom_range": "big"}, r"zoom_range"),
    ({"zca_whitening": True}, r"zca_whitening=True is not supported"),
    ({"interpolation_order": 3}, r"interpolation_order must be one of 0, 1; received 3"),
    ({"data_format": "channels_middle"}, r"data_format"),
    ({"brightness_range": (1.0,)}, r"brightness_range must be a tuple or list of two"),
    ({"width_shift_range": -0.1}, r"width_shift_range must be a number, 0 or more"),
    ({"height_shift_range": "a"}, r"height_shift_range"),
    ({"rotation_range": -5}, r"rotation_range must be a number, 0 or more; received -5"),
    ({"rescale": "1/255"}, r"rescale must be a number"),
    ({"preprocessing_function": 3}, r"preprocessing_function must be a function"),
])
def test_bad_arguments_are_refused_by_name(arguments, message):
    with pytest.raises(ValueError, match=message):
        ImageDataGenerator(**arguments)


def test_zoom_range_becomes_lower_and_upper_factors():
    assert ImageDataGenerator(zoom_range=0.2).zoom_range == [0.8, 1.2]
    assert ImageDataGenerator(zoom_range=(0.5, 1.5)).zoom_range == [0.5, 1.5]


def test_std_normalization_turns_centering_on_with_a_warning():
    with pytest.warns(UserWarning, match="featurewise_std_normalization"):
        generator = ImageDataGenerator(featurewise_std_normalization=True)
    assert generator.featurewise_center
    with pytest.warns(UserWarning, match="samplewise_std_normalization"):
        assert ImageDataGenerator(samplewise_std_normalization=True).samplewise_center


def test_the_defaults_come_from_the_backend():
    generator = ImageDataGenerator()
    assert generator.data_format == "channels_last" and generator.dtype == "float32"
    assert (generator.row_axis, generator.col_axis, generator.channel_axis) == (1, 2, 3)
    assert ImageDataGenerator(data_format="channels_first").channel_axis == 1


# ---- random transforms ------------------------------------------------------------------

def test_with_nothing_asked_the_random_transform_is_none():
    parameters = ImageDataGenerator().get_random_transform((5, 6, 3))
    assert parameters == {"theta": 0, "tx": 0, "ty": 0, "shear": 0, "zx": 1, "zy": 1,
                          "flip_horizontal": False, "flip_vertical": False,
                          "channel_shift_intensity": None, "brightness": None}
    x = random_image()
    assert np.array_equal(ImageDataGenerator().random_transform(x), x)


def test_a_seed_makes_the_draw_reproducible():
    generator = ImageDataGenerator(rotation_range=40, width_shift_range=0.2, shear_range=5,
                                   zoom_range=0.3, channel_shift_range=10,
                                   horizontal_flip=True, brightness_range=(0.5, 1.5))
    first = generator.get_random_transform((8, 8, 3), seed=3)
    assert generator.get_random_transform((8, 8, 3), seed=3) == first
    assert generator.get_random_transform((8, 8, 3), seed=4) != first
    assert -40 <= first["theta"] <= 40 and 0.7 <= first["zx"] <= 1.3
    assert 0.5 <= first["brightness"] <= 1.5


def width_shifts(width_shift_range, n_draws=200):
    """Draws shifts for images of 10 rows and 20 columns."""
    generator = ImageDataGenerator(width_shift_range=width_shift_range)
    rng = np.random.default_rng(0)
    return [generator.get_random_transform((10, 20, 1), seed=rng)["ty"]
            for _ in range(n_draws)]


def test_shift_ranges_follow_keras_kinds():
    fraction = width_shifts(0.1)  # of the width, 20
    assert max(np.abs(fraction)) <= 2 and len(set(fraction)) > 100
    pixels = width_shifts(3.0)  # floats from 1 are pixels
    assert max(np.abs(pixels)) <= 3 and len(set(pixels)) > 100
    whole = width_shifts(3)  # ints: whole pixels in (-3, 3)
    assert set(whole) == {-2, -1, 0, 1, 2}
    chosen = width_shifts([2, 5])
    assert set(chosen) == {-5, -2, 2, 5}
    chosen_fractions = width_shifts([0.1, 0.25])
    assert set(chosen_fractions) == {-5, -2, 2, 5}  # of the width, 20
    heights = [ImageDataGenerator(height_shift_range=0.5).get_random_transform(
        (10, 20, 1), seed=seed)["tx"] for seed in range(50)]
    assert max(np.abs(heights)) <= 5  # half the height, 10


def test_apply_transform_moves_then_flips_as_keras_orders_it():
    generator = ImageDataGenerator()
    x = random_image(4, 5, 3)
    moved = generator.apply_transform(x, {"tx": 1, "flip_vertical": True})
    assert np.array_equal(moved, flip_axis(apply_affine_transform(x, tx=1), 0))
    flipped = generator.apply_transform(x, {"flip_horizontal": True})
    assert np.array_equal(flipped, x[:, ::-1])


def test_apply_transform_of_channels_first_images():
    x = random_image(4, 6, 3)
    parameters = {"theta": 15, "ty": 2, "flip_horizontal": True,
                  "channel_shift_intensity": 0.1}
    last = ImageDataGenerator().apply_transform(x, parameters)
    first = ImageDataGenerator(data_format="channels_first").apply_transform(
        x.transpose(2, 0, 1), parameters)
    assert np.allclose(first, last.transpose(2, 0, 1))


# ---- standardize and fit ----------------------------------------------------------------

def test_standardize_applies_preprocessing_function_then_rescale():
    generator = ImageDataGenerator(preprocessing_function=lambda image: image + 1,
                                   rescale=0.5)
    x = np.array([0., 2., 4.], dtype="float32").reshape(1, 3, 1)
    assert generator.standardize(x).ravel().tolist() == [0.5, 1.5, 2.5]  # (x + 1) / 2
    assert x.ravel().tolist() == [0, 2, 4]  # left unchanged


def test_samplewise_normalization_uses_each_images_own_statistics():
    with pytest.warns(UserWarning):
        generator = ImageDataGenerator(samplewise_std_normalization=True)
    batch = np.stack([random_image(seed=1) * 10, random_image(seed=2) + 5])
    standardized = generator.standardize(batch)
    for image, original in zip(standardized, batch):
        expected = (original - original.mean()) / (original.std() + 1e-6)
        assert np.allclose(image, expected, atol=1e-5)


def test_fit_computes_per_channel_statistics_in_keras_broadcast_shapes():
    x = np.random.default_rng(0).random((6, 4, 5, 3)).astype("float32") * 255
    with pytest.warns(UserWarning):
        generator = ImageDataGenerator(featurewise_std_normalization=True, rescale=0.5)
    generator.fit(x)
    assert generator.mean.shape == (1, 1, 3) and generator.std.shape == (1, 1, 3)
    assert np.allclose(generator.mean.ravel(), (x * 0.5).mean(axis=(0, 1, 2)), rtol=1e-5)
    assert np.allclose(generator.std.ravel(), (x * 0.5).std(axis=(0, 1, 2)), rtol=1e-5)
    standardized = generator.standardize(x)
    assert np.allclose(standardized.mean(axis=(0, 1, 2)), 0, atol=1e-4)
    assert np.allclose(standardized.std(axis=(0, 1, 2)), 1, atol=1e-4)


def test_fit_on_channels_first_images_and_augmented_copies():
    x = np.random.default_rng(1).random((4, 3, 5, 5)).astype("float32")
    generator = ImageDataGenerator(featurewise_center=True, data_format="channels_first",
                                   rotation_range=30)
    generator.fit(x)
    assert generator.mean.shape == (3, 1, 1)
    assert np.allclose(generator.mean.ravel(), x.mean(axis=(0, 2, 3)))
    generator.fit(x, augment=True, rounds=2, seed=7)
    augmented_mean = generator.mean.copy()
    generator.fit(x, augment=True, rounds=2, seed=7)
    assert np.array_equal(generator.mean, augmented_mean)
    assert not np.allclose(augmented_mean.ravel(), x.mean(axis=(0, 2, 3)))


def test_fit_refuses_what_is_not_a_batch_of_images():
    with pytest.raises(ValueError, match=r"rank 4.*received shape \(4, 5, 3\)"):
        ImageDataGenerator(featurewise_center=True).fit(np.ones((4, 5, 3)))


def test_standardize_warns_when_featurewise_statistics_are_missing():
    with pytest.warns(UserWarning, match="has not been fit"):
        ImageDataGenerator(featurewise_center=True).standardize(random_image())


# ---- flow --------------------------------------------------------------------------------

def labelled_images(n=10):
    x = np.random.default_rng(0).random((n, 4, 4, 3)).astype("float32")
    return x, np.arange(n)


def test_flow_serves_every_sample_once_per_epoch_in_batches():
    x, y = labelled_images(10)
    iterator = ImageDataGenerator().flow(x, y, batch_size=4, shuffle=False)
    assert isinstance(iterator, NumpyArrayIterator) and isinstance(iterator, Sequence)
    assert len(iterator) == 3 and iterator.n == 10 and iterator.batch_size == 4
    batches = [iterator[index] for index in range(len(iterator))]
    assert [len(batch_y) for _, batch_y in batches] == [4, 4, 2]
    assert np.array_equal(np.concatenate([batch_y for _, batch_y in batches]), y)
    assert np.array_equal(batches[2][0], x[8:])
    with pytest.raises(ValueError, match="has 3 batches; asked for the batch at index 3"):
        iterator[3]


def test_flow_shuffles_anew_each_epoch():
    x, y = labelled_images(12)
    iterator = ImageDataGenerator().flow(x, y, batch_size=5, seed=1)
    orders = []
    for _ in range(3):
        orders.append(np.concatenate([iterator[index][1] for index in range(len(iterator))]))
        iterator.on_epoch_end()
    assert all(sorted(order) == list(range(12)) for order in orders)
    assert not np.array_equal(orders[0], orders[1])
    assert not np.array_equal(orders[1], orders[2])


def test_flow_is_reproducible_with_a_seed():
    x, y = labelled_images(8)
    generator = ImageDataGenerator(rotation_range=30, zoom_range=0.2, horizontal_flip=True)
    first, second, other = (generator.flow(x, y, batch_size=3, seed=seed)
                            for seed in (5, 5, 6))
    for _ in range(4):
        batch_x, batch_y = next(first)
        same_x, same_y = next(second)
        assert np.array_equal(batch_x, same_x) and np.array_equal(batch_y, same_y)
    assert not np.array_equal(first[0][0], other[0][0])


def test_next_loops_over_the_samples_forever():
    x, y = labelled_images(5)
    iterator = ImageDataGenerator().flow(x, y, batch_size=2, seed=0)
    sizes, seen = [], []
    for _ in range(6):
        batch_x, batch_y = next(iterator)
        sizes.append(len(batch_x))
        seen.extend(batch_y.tolist())
    assert sizes == [2, 2, 1, 2, 2, 1]
    assert sorted(seen[:5]) == sorted(seen[5:]) == [0, 1, 2, 3, 4]
    assert iter(iterator) is iterator and len(iterator.next()[0]) == 2
    iterator.reset()
    assert len(next(iterator)[0]) == 2


def test_flow_adds_sample_weights_or_serves_images_alone():
    x, y = labelled_images(6)
    weights = np.linspace(0.1, 0.6, 6)
    batch = ImageDataGenerator().flow(x, y, sample_weight=weights, shuffle=False,
                                      batch_size=4)[1]
    assert len(batch) == 3 and np.array_equal(batch[2], weights[4:])
    images_only = ImageDataGenerator(rescale=2).flow(x, shuffle=False, batch_size=4)[0]
    assert isinstance(images_only, np.ndarray) and np.array_equal(images_only, x[:4] * 2)


def test_flow_subsets_split_off_the_first_fraction_for_validation():
    x, y = labelled_images(10)
    y = y % 2
    generator = ImageDataGenerator(validation_split=0.2)
    validation = generator.flow(x, y, shuffle=False, subset="validation")
    training = generator.flow(x, y, shuffle=False, subset="training")
    assert validation.n == 2 and training.n == 8
    assert np.array_equal(validation[0][0], x[:2])
    assert np.array_equal(training[0][0], x[2:])
    with pytest.raises(ValueError, match="different labels after the split"):
        generator.flow(x, np.arange(10) // 5, subset="training")
    with pytest.raises(ValueError, match="subset must be None, 'training' or 'validation'"):
        generator.flow(x, y, subset="test")
    with pytest.raises(ValueError, match="validation_split to be above 0"):
        ImageDataGenerator().flow(x, y, subset="validation")


def test_flow_refuses_arrays_that_do_not_fit():
    x, y = labelled_images(6)
    with pytest.raises(ValueError, match=r"rank 4.*received shape \(6, 4, 4\)"):
        ImageDataGenerator().flow(x[..., 0], y)
    with pytest.raises(ValueError, match=r"x \(images\) and y to have the same length"):
        ImageDataGenerator().flow(x, y[:5])
    with pytest.raises(ValueError, match="batch_size must be a positive int; received 0"):
        ImageDataGenerator().flow(x, y, batch_size=0)


def test_flow_and_fit_warn_when_the_channel_axis_looks_wrong():
    x = np.zeros((2, 4, 4, 5), dtype="float32")  # 5 channels last, or 4 channels first
    with pytest.warns(UserWarning, match=r"1, 3 or 4 channels on axis 3.*\(5 channels\)"):
        ImageDataGenerator().flow(x)
    with pytest.warns(UserWarning, match=r"ImageDataGenerator.fit .*on axis 3"):
        ImageDataGenerator(featurewise_center=True).fit(x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ImageDataGenerator(data_format="channels_first").flow(x)


def test_flow_of_channels_first_images_matches_channels_last():
    x, y = labelled_images(4)
    options = dict(rotation_range=25, height_shift_range=0.2, zoom_range=0.1)
    last = ImageDataGenerator(**options).flow(x, y, seed=2)[0][0]
    first = ImageDataGenerator(data_format="channels_first", **options).flow(
        x.transpose(0, 3, 1, 2), y, seed=2)[0][0]
    assert np.allclose(first, last.transpose(0, 3, 1, 2))


def test_flow_can_save_the_served_images(tmp_path):
    x, y = labelled_images(3)
    ImageDataGenerator().flow(x, y, batch_size=3, save_to_dir=str(tmp_path / "seen"),
                              save_prefix="aug")[0]
    names = sorted(os.listdir(tmp_path / "seen"))
    assert len(names) == 3 and all(name.startswith("aug_") and name.endswith(".png")
                                   for name in names)


# ---- flow_from_directory ------------------------------------------------------------------

@pytest.fixture(scope="module")
def image_folder(tmp_path_factory):
    """Five cars and five trucks of 16x16 pixels, with a broken file and a hidden one."""
    folder = str(tmp_path_factory.mktemp("cars_vs_trucks"))
    cars_vs_trucks.save_to_directory(folder, n_samples=10, image_size=16)
    with open(os.path.join(folder, "cars", "broken.png"), "w") as broken:
        broken.write("not an image")
    shutil.copy(os.path.join(folder, "trucks", "truck_00001.png"),
                os.path.join(folder, "trucks", ".hidden.png"))
    return folder


def flow_from(folder, target_size=(16, 16), **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the broken file's warning, tested on its own
        return ImageDataGenerator().flow_from_directory(folder, target_size=target_size,
                                                        **options)


def test_flow_from_directory_lists_classes_and_files(image_folder, capsys):
    iterator = flow_from(image_folder, shuffle=False, batch_size=4)
    assert "Found 10 images belonging to 2 classes." in capsys.readouterr().out
    assert isinstance(iterator, DirectoryIterator) and isinstance(iterator, Sequence)
    assert iterator.class_indices == {"cars": 0, "trucks": 1}
    assert iterator.num_classes == 2 and iterator.samples == iterator.n == 10
    assert iterator.classes.tolist() == [0] * 5 + [1] * 5
    assert iterator.filenames[:2] == [os.path.join("cars", "car_00000.png"),
                                      os.path.join("cars", "car_00002.png")]
    assert iterator.filenames == sorted(iterator.filenames)
    assert iterator.image_shape == (16, 16, 3) and len(iterator) == 3
    assert iterator.filepaths[0] == os.path.join(image_folder, iterator.filenames[0])


def test_flow_from_directory_skips_unreadable_files_with_a_warning(image_folder):
    with pytest.warns(UserWarning, match=r"Skipped 1 file\(s\) .*cars.broken\.png"):
        iterator = ImageDataGenerator().flow_from_directory(image_folder,
                                                            target_size=(16, 16))
    assert not any("broken" in name or ".hidden" in name for name in iterator.filenames)


def test_flow_from_directory_serves_the_files_pixels(image_folder):
    iterator = flow_from(image_folder, shuffle=False, batch_size=3, class_mode=None)
    batch = iterator[0]
    assert isinstance(batch, np.ndarray) and batch.shape == (3, 16, 16, 3)
    expected = img_to_array(load_img(iterator.filepaths[1]))
    assert np.array_equal(batch[1], expected)


@pytest.mark.parametrize("class_mode", ["categorical", "binary", "sparse", "input"])
def test_each_class_mode_gives_its_labels(image_folder, class_mode):
    iterator = flow_from(image_folder, shuffle=False, batch_size=10, class_mode=class_mode)
    batch_x, batch_y = iterator[0]
    classes = iterator.classes
    expected = {"categorical": np.eye(2)[classes], "binary": classes, "sparse": classes,
                "input": batch_x}[class_mode]
    assert batch_y.dtype == np.float32
    assert np.array_equal(batch_y, expected)


def test_grayscale_and_resizing(image_folder):
    grey = flow_from(image_folder, color_mode="grayscale", batch_size=2)
    assert grey.image_shape == (16, 16, 1) and grey[0][0].shape == (2, 16, 16, 1)
    smaller = flow_from(image_folder, target_size=(8, 10), batch_size=2)
    assert smaller.image_shape == (8, 10, 3) and smaller[0][0].shape == (2, 8, 10, 3)


def test_directory_subsets_split_each_class_and_do_not_overlap(image_folder):
    generator = ImageDataGenerator(validation_split=0.4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        validation = generator.flow_from_directory(image_folder, subset="validation")
        training = generator.flow_from_directory(image_folder, subset="training")
    # int(0.4 * 5) = 2 files of each class, the first in sorted order
    assert validation.filenames == [
        os.path.join("cars", "car_00000.png"), os.path.join("cars", "car_00002.png"),
        os.path.join("trucks", "truck_00001.png"), os.path.join("trucks", "truck_00003.png")]
    assert validation.classes.tolist() == [0, 0, 1, 1]
    assert training.samples == 6 and training.classes.tolist() == [0, 0, 0, 1, 1, 1]
    assert not set(validation.filenames) & set(training.filenames)


def test_classes_can_be_chosen_and_ordered(image_folder):
    iterator = flow_from(image_folder, classes=["trucks", "cars"], shuffle=False)
    assert iterator.class_indices == {"trucks": 0, "cars": 1}
    assert iterator.filenames[0].startswith("trucks")
    only_cars = flow_from(image_folder, classes=["cars"])
    assert only_cars.samples == 5 and only_cars.num_classes == 1


def test_flow_from_directory_refuses_bad_folders_and_options(image_folder, tmp_path):
    with pytest.raises(ValueError, match=r"classes names folders that are not in .*'bikes'"):
        flow_from(image_folder, classes=["cars", "bikes"])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        flow_from(str(tmp_path / "missing"))
    (tmp_path / "flat").mkdir()
    with pytest.raises(ValueError, match="found no class subfolder"):
        flow_from(str(tmp_path / "flat"))
    with pytest.raises(ValueError, match="class_mode must be one of"):
        flow_from(image_folder, class_mode="multi")
    for name in ("a", "b", "c"):
        (tmp_path / "three" / name).mkdir(parents=True)
    with pytest.raises(ValueError, match="class_mode='binary' needs at most two classes"):
        flow_from(str(tmp_path / "three"), class_mode="binary")


# ---- training a model on the batches ------------------------------------------------------

def tiny_model(input_shape, n_outputs, activation, loss):
    model = Sequential([Flatten(input_shape=input_shape), Dense(n_outputs,
                                                                activation=activation)])
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    return model


def test_model_fit_trains_on_flow_without_steps_per_epoch():
    backend.set_seed(0)
    rng = np.random.default_rng(0)
    y = np.arange(32) % 2
    x = rng.random((32, 6, 6, 1)).astype("float32") + y[:, None, None, None] * 2
    generator = ImageDataGenerator(horizontal_flip=True, width_shift_range=1,
                                   featurewise_center=True)
    generator.fit(x)
    model = tiny_model((6, 6, 1), 1, "sigmoid", "binary_crossentropy")
    history = model.fit(generator.flow(x, y, batch_size=8), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert history.history["loss"][1] < history.history["loss"][0]


def test_model_fit_trains_on_flow_from_directory_with_validation(image_folder):
    backend.set_seed(0)
    generator = ImageDataGenerator(rescale=1. / 255, validation_split=0.4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        training = generator.flow_from_directory(image_folder, target_size=(16, 16),
                                                 batch_size=4, subset="training")
        validation = generator.flow_from_directory(image_folder, target_size=(16, 16),
                                                   batch_size=4, subset="validation")
    model = tiny_model((16, 16, 3), 2, "softmax", "categorical_crossentropy")
    history = model.fit(training, validation_data=validation, epochs=2, verbose=0)
    assert len(history.history["val_loss"]) == 2
    assert all(np.isfinite(history.history["loss"]))
