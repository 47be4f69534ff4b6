"""Tests of minikeras.preprocessing.image: PIL images, arrays, files and folders."""
import os
import warnings

import numpy as np
import pytest
from PIL import Image

from minikeras.preprocessing import image


def write_image(path, size=(6, 4), colour=(200, 30, 10), mode="RGB"):
    """Writes a plain image of `size` (width, height) and returns its path."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.new(mode, size, colour).save(path)
    return path


def random_rgb(height=5, width=7, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3)).astype(np.uint8)


# ---- load_img -------------------------------------------------------------------------

def test_load_img_returns_an_rgb_pil_image(tmp_path):
    path = write_image(str(tmp_path / "a.png"), mode="L", colour=100)
    img = image.load_img(path)
    assert isinstance(img, Image.Image)
    assert img.mode == "RGB" and img.size == (6, 4)


@pytest.mark.parametrize("color_mode, mode", [("grayscale", "L"), ("rgb", "RGB"),
                                              ("rgba", "RGBA")])
def test_load_img_converts_to_the_color_mode(tmp_path, color_mode, mode):
    path = write_image(str(tmp_path / "a.png"))
    assert image.load_img(path, color_mode=color_mode).mode == mode


def test_load_img_grayscale_flag_still_works_with_a_warning(tmp_path):
    path = write_image(str(tmp_path / "a.png"))
    with pytest.warns(UserWarning, match="grayscale is deprecated"):
        img = image.load_img(path, grayscale=True)
    assert img.mode == "L"


def test_load_img_resizes_to_height_then_width(tmp_path):
    path = write_image(str(tmp_path / "a.png"), size=(6, 4))
    img = image.load_img(path, target_size=(3, 10), interpolation="bilinear")
    assert img.size == (10, 3)
    assert image.img_to_array(img).shape == (3, 10, 3)


def test_load_img_keeps_an_image_already_of_the_target_size(tmp_path):
    path = write_image(str(tmp_path / "a.png"), size=(6, 4))
    assert image.load_img(path, target_size=(4, 6)).size == (6, 4)


def test_load_img_rejects_unknown_choices(tmp_path):
    path = write_image(str(tmp_path / "a.png"))
    with pytest.raises(ValueError, match="color_mode"):
        image.load_img(path, color_mode="cmyk")
    with pytest.raises(ValueError, match="interpolation"):
        image.load_img(path, target_size=(2, 2), interpolation="cubic")
    with pytest.raises(ValueError, match="target_size"):
        image.load_img(path, target_size=(2,))


def test_load_img_of_a_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        image.load_img(str(tmp_path / "missing.png"))


def test_load_img_closes_its_file(tmp_path):
    path = write_image(str(tmp_path / "a.png"))
    image.load_img(path)
    os.remove(path)  # would fail on some systems if the file were still open


# ---- img_to_array and array_to_img -----------------------------------------------------

def test_img_to_array_is_channels_last_float32():
    pixels = random_rgb()
    array = image.img_to_array(Image.fromarray(pixels))
    assert array.dtype == np.float32 and array.shape == (5, 7, 3)
    np.testing.assert_array_equal(array, pixels)


def test_img_to_array_channels_first_and_dtype():
    array = image.img_to_array(Image.fromarray(random_rgb()), data_format="channels_first",
                               dtype="uint8")
    assert array.shape == (3, 5, 7) and array.dtype == np.uint8


@pytest.mark.parametrize("data_format, shape", [(None, (5, 7, 1)),
                                                ("channels_first", (1, 5, 7))])
def test_img_to_array_gives_grey_images_one_channel(data_format, shape):
    grey = Image.fromarray(random_rgb()[:, :, 0])
    assert image.img_to_array(grey, data_format=data_format).shape == shape


def test_img_to_array_rejects_an_unknown_data_format():
    with pytest.raises(ValueError, match="data_format"):
        image.img_to_array(Image.fromarray(random_rgb()), data_format="channels_middle")


def test_img_to_array_rejects_an_array_that_is_no_image():
    with pytest.raises(ValueError, match="2 or 3 dimensions"):
        image.img_to_array(np.zeros((2, 3, 4, 5)))


def test_array_to_img_round_trips_without_scaling():
    pixels = random_rgb()
    img = image.array_to_img(pixels.astype(np.float32), scale=False)
    assert img.mode == "RGB" and img.size == (7, 5)
    np.testing.assert_array_equal(np.asarray(img), pixels)


def test_array_to_img_stretches_values_to_0_255():
    x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(2, 2, 3)
    pixels = np.asarray(image.array_to_img(x))
    assert pixels.min() == 0 and pixels.max() == 255


def test_array_to_img_of_a_constant_image_does_not_divide_by_zero():
    pixels = np.asarray(image.array_to_img(np.full((2, 2, 3), 7.0)))
    assert np.all(pixels == 0)


def test_array_to_img_channels_first():
    pixels = random_rgb()
    img = image.array_to_img(pixels.transpose(2, 0, 1), data_format="channels_first",
                             scale=False)
    np.testing.assert_array_equal(np.asarray(img), pixels)


def test_array_to_img_modes_by_channel_count():
    assert image.array_to_img(np.ones((2, 3, 4)) * 9, scale=False).mode == "RGBA"
    assert image.array_to_img(np.ones((2, 3, 1)) * 9, scale=False).mode == "L"
    deep_grey = image.array_to_img(np.full((2, 3, 1), 1000.0), scale=False)
    assert deep_grey.mode == "I" and np.asarray(deep_grey).max() == 1000


def test_array_to_img_rejects_bad_shapes():
    with pytest.raises(ValueError, match="rank 3"):
        image.array_to_img(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="1, 3 or 4 channels"):
        image.array_to_img(np.zeros((4, 4, 2)))


# ---- save_img -------------------------------------------------------------------------

def test_save_img_round_trips_through_a_png_file(tmp_path):
    pixels = random_rgb()
    path = str(tmp_path / "picture.png")
    image.save_img(path, pixels, scale=False)
    np.testing.assert_array_equal(image.img_to_array(image.load_img(path)), pixels)
    assert os.listdir(tmp_path) == ["picture.png"]


def test_save_img_takes_the_format_argument_over_the_extension(tmp_path):
    path = str(tmp_path / "picture.data")
    image.save_img(path, random_rgb(), file_format="png")
    assert Image.open(path).format == "PNG"


def test_save_img_converts_rgba_for_jpeg_with_a_warning(tmp_path):
    path = str(tmp_path / "picture.jpg")
    with pytest.warns(UserWarning, match="RGBA"):
        image.save_img(path, np.ones((4, 4, 4)) * 100, quality=90)
    assert Image.open(path).mode == "RGB"


def test_save_img_needs_a_known_extension_or_a_format(tmp_path):
    with pytest.raises(ValueError, match="file_format"):
        image.save_img(str(tmp_path / "picture.unknown"), random_rgb())
    assert os.listdir(tmp_path) == []


def test_save_img_leaves_nothing_behind_when_writing_fails(tmp_path, monkeypatch):
    def failing_save(self, fp, format=None, **params):  # noqa: A002 (PIL's name)
        with open(fp, "wb") as half_written:
            half_written.write(b"\x89PNG")
        raise OSError("disk full")

    monkeypatch.setattr(Image.Image, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        image.save_img(str(tmp_path / "picture.png"), random_rgb())
    assert os.listdir(tmp_path) == []


# ---- load_image_folder ----------------------------------------------------------------

def make_folder(root, counts=None, size=(6, 4)):
    """Makes `root/<class>/<i>.png` images; class c is filled with the value 40 * (c + 1)."""
    counts = counts or {"trucks": 3, "cars": 2}
    for class_index, class_name in enumerate(sorted(counts)):
        for index in range(counts[class_name]):
            write_image(os.path.join(root, class_name, f"{index}.png"), size=size,
                        colour=(40 * (class_index + 1),) * 3)
    return str(root)


def test_load_image_folder_gives_sorted_classes_labels_and_float_images(tmp_path):
    directory = make_folder(tmp_path)
    x, y, class_names = image.load_image_folder(directory, target_size=(8, 5))
    assert class_names == ["cars", "trucks"]
    assert x.shape == (5, 8, 5, 3) and x.dtype == np.float32
    assert y.dtype == np.int64 and y.tolist() == [0, 0, 1, 1, 1]
    assert np.all(x[y == 0] == 40) and np.all(x[y == 1] == 80)


def test_load_image_folder_grayscale_and_original_sizes(tmp_path):
    directory = make_folder(tmp_path, size=(6, 4))
    x, _, _ = image.load_image_folder(directory, target_size=None, color_mode="grayscale")
    assert x.shape == (5, 4, 6, 1)


def test_load_image_folder_without_target_size_needs_equal_sizes(tmp_path):
    directory = make_folder(tmp_path)
    write_image(os.path.join(directory, "cars", "big.png"), size=(9, 9))
    with pytest.raises(ValueError, match="target_size"):
        image.load_image_folder(directory, target_size=None)


def test_load_image_folder_reads_nested_folders_and_ignores_hidden_files(tmp_path):
    directory = make_folder(tmp_path)
    write_image(os.path.join(directory, "cars", "more", "deep.png"))
    write_image(os.path.join(directory, "cars", ".hidden.png"))
    write_image(os.path.join(directory, ".cache", "x.png"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x, y, class_names = image.load_image_folder(directory)
    assert class_names == ["cars", "trucks"]
    assert len(x) == 6 and (y == 0).sum() == 3


def test_load_image_folder_skips_unreadable_files_with_one_warning(tmp_path):
    directory = make_folder(tmp_path)
    for name in ("notes.txt", "broken.png", "empty.jpg", "z.csv"):
        with open(os.path.join(directory, "trucks", name), "w") as file:
            file.write("not an image" if name != "empty.jpg" else "")
    with pytest.warns(UserWarning) as records:
        x, y, _ = image.load_image_folder(directory)
    assert len(records) == 1
    message = str(records[0].message)
    assert "Skipped 4 file(s)" in message and "broken.png" in message and "1 more" in message
    assert len(x) == 5 and len(y) == 5


def test_load_image_folder_of_a_missing_folder_names_it(tmp_path):
    missing = str(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="nowhere"):
        image.load_image_folder(missing)


def test_load_image_folder_of_a_file_is_a_value_error(tmp_path):
    path = write_image(str(tmp_path / "a.png"))
    with pytest.raises(ValueError, match="is a file"):
        image.load_image_folder(path)


def test_load_image_folder_of_an_empty_folder_names_it(tmp_path):
    with pytest.raises(ValueError, match=f"(?s){tmp_path.name}.*found none"):
        image.load_image_folder(str(tmp_path))


def test_load_image_folder_needs_two_classes(tmp_path):
    directory = make_folder(tmp_path, counts={"cars": 2})
    with pytest.raises(ValueError, match="only 'cars'"):
        image.load_image_folder(directory)


def test_load_image_folder_needs_an_image_in_every_class(tmp_path):
    directory = make_folder(tmp_path)
    os.makedirs(os.path.join(directory, "vans"))
    with pytest.raises(ValueError, match="vans"):
        image.load_image_folder(directory)


def test_load_image_folder_checks_its_arguments_first(tmp_path):
    directory = make_folder(tmp_path)
    with pytest.raises(ValueError, match="target_size"):
        image.load_image_folder(directory, target_size=64)
    with pytest.raises(ValueError, match="color_mode"):
        image.load_image_folder(directory, color_mode="RGB")
