"""Tests of the cars-vs-trucks data set: its arrays, its files, and that it needs a CNN."""
import os
import time

import numpy as np
import pytest
from PIL import Image

from minikeras.datasets import cars_vs_trucks


def test_generate_gives_uint8_images_and_int64_labels():
    images, labels = cars_vs_trucks.generate(20, seed=1, image_size=32)
    assert images.shape == (20, 32, 32, 3)
    assert images.dtype == np.uint8
    assert labels.shape == (20,)
    assert labels.dtype == np.int64
    assert set(labels.tolist()) == {0, 1}


@pytest.mark.parametrize("n_samples", [1, 2, 7, 30])
def test_generate_balances_the_classes(n_samples):
    _, labels = cars_vs_trucks.generate(n_samples, seed=0, image_size=16)
    assert labels.sum() == n_samples - n_samples // 2


def test_generate_shuffles_the_labels():
    _, labels = cars_vs_trucks.generate(40, seed=0, image_size=16)
    assert not np.array_equal(labels, np.sort(labels))


def test_same_seed_gives_identical_arrays():
    first = cars_vs_trucks.generate(12, seed=5, image_size=24)
    second = cars_vs_trucks.generate(12, seed=5, image_size=24)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_different_seeds_give_different_images():
    first, _ = cars_vs_trucks.generate(6, seed=0, image_size=24)
    second, _ = cars_vs_trucks.generate(6, seed=1, image_size=24)
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("image_size", [8, 32, 48, 64, 65])
def test_generate_draws_any_image_size(image_size):
    images, _ = cars_vs_trucks.generate(4, seed=0, image_size=image_size)
    assert images.shape == (4, image_size, image_size, 3)
    assert images.std() > 5  # a scene, not a blank picture


def test_images_differ_from_one_another():
    images, _ = cars_vs_trucks.generate(10, seed=0, image_size=32)
    flat = images.reshape(10, -1).astype(np.int64)
    for i in range(10):
        for j in range(i + 1, 10):
            assert np.abs(flat[i] - flat[j]).mean() > 5


@pytest.mark.parametrize("n_samples", [0, -3, 2.5, "10"])
def test_generate_rejects_a_bad_number_of_samples(n_samples):
    with pytest.raises(ValueError, match="n_samples"):
        cars_vs_trucks.generate(n_samples)


@pytest.mark.parametrize("image_size", [4, 0, 32.0])
def test_generate_rejects_a_bad_image_size(image_size):
    with pytest.raises(ValueError, match="image_size"):
        cars_vs_trucks.generate(4, image_size=image_size)


def test_load_data_splits_like_keras_datasets():
    (x_train, y_train), (x_test, y_test) = cars_vs_trucks.load_data(
        n_samples=50, seed=0, image_size=16)
    assert x_train.shape == (40, 16, 16, 3) and x_test.shape == (10, 16, 16, 3)
    assert y_train.shape == (40,) and y_test.shape == (10,)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.int64
    assert y_train.sum() == 20 and y_test.sum() == 5


def test_load_data_is_deterministic_and_its_test_set_is_separate():
    (x_train, _), (x_test, _) = cars_vs_trucks.load_data(n_samples=20, seed=3, image_size=16)
    (x_train_again, _), (x_test_again, _) = cars_vs_trucks.load_data(
        n_samples=20, seed=3, image_size=16)
    np.testing.assert_array_equal(x_train, x_train_again)
    np.testing.assert_array_equal(x_test, x_test_again)
    assert not any(np.array_equal(test_image, train_image)
                   for test_image in x_test for train_image in x_train)


def test_load_data_needs_ten_samples():
    with pytest.raises(ValueError, match="at least 10"):
        cars_vs_trucks.load_data(n_samples=5)


def test_save_to_directory_writes_the_generated_images_as_png(tmp_path):
    folder = tmp_path / "data"
    returned = cars_vs_trucks.save_to_directory(folder, n_samples=9, seed=2, image_size=20)
    assert returned == str(folder)
    images, labels = cars_vs_trucks.generate(9, seed=2, image_size=20)
    cars = sorted(os.listdir(folder / "cars"))
    trucks = sorted(os.listdir(folder / "trucks"))
    assert len(cars) == 4 and len(trucks) == 5
    assert cars[0].startswith("car_") and trucks[0].startswith("truck_")
    for class_name, names in (("cars", cars), ("trucks", trucks)):
        for name in names:
            index = int(name.split("_")[1].split(".")[0])
            assert labels[index] == cars_vs_trucks.CLASS_NAMES.index(class_name)
            saved = np.asarray(Image.open(folder / class_name / name))
            np.testing.assert_array_equal(saved, images[index])


def test_save_to_directory_leaves_no_temporary_files_and_can_write_again(tmp_path):
    cars_vs_trucks.save_to_directory(tmp_path, n_samples=4, image_size=16)
    cars_vs_trucks.save_to_directory(tmp_path, n_samples=4, image_size=16)
    for class_name in cars_vs_trucks.CLASS_NAMES:
        names = os.listdir(tmp_path / class_name)
        assert len(names) == 2
        assert all(name.endswith(".png") and not name.startswith(".") for name in names)


def test_saved_folder_loads_back_with_load_image_folder(tmp_path):
    from minikeras.preprocessing.image import load_image_folder
    cars_vs_trucks.save_to_directory(tmp_path, n_samples=6, seed=0, image_size=16)
    x, y, class_names = load_image_folder(tmp_path, target_size=(16, 16))
    images, labels = cars_vs_trucks.generate(6, seed=0, image_size=16)
    assert class_names == ["cars", "trucks"]
    order = np.concatenate([np.flatnonzero(labels == 0), np.flatnonzero(labels == 1)])
    np.testing.assert_array_equal(y, labels[order])
    np.testing.assert_array_equal(x, images[order].astype(np.float32))


@pytest.mark.integration
def test_generating_3000_images_takes_seconds():
    started = time.perf_counter()
    cars_vs_trucks.generate(3000, seed=0, image_size=64)
    assert time.perf_counter() - started < 30


def train_logistic_regression(x, y, l2=1e-3, learning_rate=0.03, steps=300):
    """Fits w, b of p = sigmoid(x w + b) by full-batch gradient descent on the log loss."""
    weights = np.zeros(x.shape[1], dtype=np.float32)
    bias = np.float32(0)
    for _ in range(steps):
        probabilities = 1 / (1 + np.exp(-(x @ weights + bias)))
        error = probabilities - y
        weights -= np.float32(learning_rate) * (x.T @ error / np.float32(len(y))
                                                + np.float32(l2) * weights)
        bias -= np.float32(learning_rate) * error.mean()
    return weights, bias


@pytest.mark.integration
def test_logistic_regression_on_raw_pixels_stays_near_chance():
    images, labels = cars_vs_trucks.generate(2500, seed=0, image_size=64)
    pixels = images.reshape(len(images), -1).astype(np.float32) / 255.0
    labels = labels.astype(np.float32)
    x_train, y_train = pixels[:2000], labels[:2000]
    x_test, y_test = pixels[2000:], labels[2000:]
    mean_image = x_train.mean(axis=0)
    x_train, x_test = x_train - mean_image, x_test - mean_image
    weights, bias = train_logistic_regression(x_train, y_train)
    train_accuracy = np.mean((x_train @ weights + bias > 0) == y_train)
    test_accuracy = np.mean((x_test @ weights + bias > 0) == y_test)
    assert train_accuracy > 0.6  # the model does fit its training set...
    assert test_accuracy <= 0.75  # ...but what it learns does not carry over
