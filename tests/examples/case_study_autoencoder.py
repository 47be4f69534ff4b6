# The case study's convolutional autoencoder with an L1 activity penalty on the code,
# trained with mean squared error and Adam in Keras 2's spelling.
import numpy as np
from minikeras import regularizers
from minikeras.layers import Input, Dense, Reshape, Flatten
from minikeras.layers.convolutional import Conv2D, Conv2DTranspose
from minikeras.models import Model
from minikeras.optimizers import Adam

input_img = Input(shape=(16, 16, 1))
x = Conv2D(8, (3, 3), activation='elu', padding='same')(input_img)
x = Conv2D(8, (3, 3), strides=(2, 2), activation='elu', padding='same')(x)
x = Flatten()(x)
encoded = Dense(16, activation='elu', activity_regularizer=regularizers.l1(10e-5))(x)
x = Dense(8 * 8 * 8, activation='elu')(encoded)
x = Reshape((8, 8, 8))(x)
x = Conv2DTranspose(8, (3, 3), strides=(2, 2), activation='elu', padding='same')(x)
decoded = Conv2DTranspose(1, (3, 3), strides=(1, 1), activation='tanh', padding='same')(x)

autoencoder = Model(input_img, decoded)
adam = Adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.0, amsgrad=False)
autoencoder.compile(optimizer=adam, loss='mean_squared_error')
autoencoder.summary()

images = np.random.random((32, 16, 16, 1)) * 2 - 1
history = autoencoder.fit(images, images, epochs=3, batch_size=16, shuffle=True, verbose=0)
assert history.history['loss'][-1] < history.history['loss'][0]
