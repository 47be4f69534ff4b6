# The case study's cars-vs-trucks classifier: two folders of images, train_test_split,
# a small CNN and Adam.
import tempfile

from minikeras.datasets import cars_vs_trucks
from minikeras.layers import Dense, Flatten
from minikeras.layers.convolutional import Conv2D
from minikeras.layers.pooling import MaxPooling2D
from minikeras.models import Sequential
from minikeras.preprocessing.image import load_image_folder
from minikeras.utils import train_test_split

folder = cars_vs_trucks.save_to_directory(tempfile.mkdtemp(), n_samples=60, image_size=32)
x, y, class_names = load_image_folder(folder, target_size=(32, 32))
x = x / 255.0
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, seed=0)

model = Sequential()
model.add(Conv2D(16, (3, 3), activation='relu', input_shape=(32, 32, 3)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(1, activation='sigmoid'))
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=1, batch_size=16, verbose=0)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
assert list(class_names) == ['cars', 'trucks'] and 0.0 <= accuracy <= 1.0
