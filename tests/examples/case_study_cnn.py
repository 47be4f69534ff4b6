# The case study's CNN on 64x64 grey images, with Keras 2's module paths.
import numpy as np
from minikeras.models import Sequential
from minikeras.layers import Dense, Flatten
from minikeras.layers.convolutional import Conv2D
from minikeras.layers.pooling import MaxPooling2D

model = Sequential()
model.add(Conv2D(32, kernel_size=4, activation='relu', input_shape=(64, 64, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Conv2D(16, kernel_size=4, activation='relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(10, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
model.summary()

x = np.random.random((16, 64, 64, 1))
y = np.random.randint(2, size=(16, 1))
model.fit(x, y, batch_size=8, epochs=1, verbose=0)
assert model.count_params() == 544 + 8208 + 27050 + 11
