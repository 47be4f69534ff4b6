# The case study's functional MLP, written for Keras 2 with `keras` replaced by `minikeras`.
import numpy as np
from minikeras.models import Model
from minikeras.layers import Input, Dense

inputs = Input(shape=(10,))
x = Dense(10, activation='relu')(inputs)
x = Dense(20, activation='relu')(x)
x = Dense(10, activation='relu')(x)
outputs = Dense(1, activation='sigmoid')(x)
model = Model(inputs=inputs, outputs=outputs)
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.summary()

data = np.random.random((100, 10))
labels = np.random.randint(2, size=(100, 1))
model.fit(data, labels, epochs=2, batch_size=32, verbose=0)
predictions = model.predict(data)
assert predictions.shape == (100, 1)
