# The case study's weight transfer: a shallow model's weights into a deeper one, by name,
# skipping what does not fit (Keras 2 raised "Weights must be of equal size to apply a
# reshape operation" here instead of skipping).
import os
import tempfile
import warnings

from minikeras.layers import Input, Dense
from minikeras.models import Model

inputs = Input(shape=(16,))
code = Dense(8, activation='elu', name='encoder_1')(inputs)
shallow = Model(inputs, Dense(16, activation='tanh', name='decoder_1')(code))

inputs = Input(shape=(16,))
code = Dense(8, activation='elu', name='encoder_1')(inputs)
code = Dense(4, activation='elu', name='encoder_2')(code)
deep = Model(inputs, Dense(16, activation='tanh', name='decoder_1')(code))

path = os.path.join(tempfile.mkdtemp(), 'shallow_weights.h5')
shallow.save_weights(path)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    deep.load_weights(path, by_name=True, reshape=True, skip_mismatch=True)
assert any('decoder_1' in str(w.message) for w in caught)
