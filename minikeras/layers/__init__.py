"""Keras's layers, one family per file, importable as in Keras 2.

For example `minikeras.layers.Dense`, `minikeras.layers.core.Dense`,
`minikeras.layers.convolutional.Conv2D`, `minikeras.layers.pooling.MaxPooling2D`, ...
"""
from minikeras.engine.base_layer import Layer
from minikeras.engine.input_layer import Input, InputLayer
from minikeras.engine.input_spec import InputSpec
from minikeras.layers.advanced_activations import (
    ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU,
)
from minikeras.layers.convolutional import (
    Conv1D, Conv2D, Conv2DTranspose, Convolution1D, Convolution2D, Convolution2DTranspose,
    Cropping1D, Cropping2D, Deconv2D, Deconvolution2D, DepthwiseConv2D, SeparableConv2D,
    SeparableConvolution2D, UpSampling1D, UpSampling2D, ZeroPadding1D, ZeroPadding2D,
)
from minikeras.layers.core import (
    Activation, ActivityRegularization, Dense, Dropout, Flatten, Lambda, Masking, Permute,
    RepeatVector, Reshape, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D,
)
from minikeras.layers.embeddings import Embedding
from minikeras.layers.merge import (
    Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, add, average,
    concatenate, dot, maximum, minimum, multiply, subtract,
)
from minikeras.layers.noise import AlphaDropout, GaussianDropout, GaussianNoise
from minikeras.layers.normalization import BatchNormalization, LayerNormalization
from minikeras.layers.recurrent import (
    GRU, LSTM, RNN, GRUCell, LSTMCell, SimpleRNN, SimpleRNNCell,
)
from minikeras.layers.wrappers import Bidirectional, TimeDistributed, Wrapper
from minikeras.layers.pooling import (
    AveragePooling1D, AveragePooling2D, AvgPool1D, AvgPool2D, GlobalAveragePooling1D,
    GlobalAveragePooling2D, GlobalAvgPool1D, GlobalAvgPool2D, GlobalMaxPool1D, GlobalMaxPool2D,
    GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPool1D, MaxPool2D, MaxPooling1D, MaxPooling2D,
)

__all__ = [
    "Layer", "Input", "InputLayer", "InputSpec",
    "ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax", "ThresholdedReLU",
    "Conv1D", "Conv2D", "Conv2DTranspose", "Convolution1D", "Convolution2D",
    "Convolution2DTranspose", "Cropping1D", "Cropping2D", "Deconv2D", "Deconvolution2D",
    "DepthwiseConv2D", "SeparableConv2D", "SeparableConvolution2D", "UpSampling1D",
    "UpSampling2D", "ZeroPadding1D", "ZeroPadding2D",
    "Activation", "ActivityRegularization", "Dense", "Dropout", "Flatten", "Lambda", "Masking",
    "Permute", "RepeatVector", "Reshape", "SpatialDropout1D", "SpatialDropout2D",
    "SpatialDropout3D",
    "Embedding",
    "Add", "Average", "Concatenate", "Dot", "Maximum", "Minimum", "Multiply", "Subtract", "add",
    "average", "concatenate", "dot", "maximum", "minimum", "multiply", "subtract",
    "AlphaDropout", "GaussianDropout", "GaussianNoise",
    "BatchNormalization", "LayerNormalization",
    "AveragePooling1D", "AveragePooling2D", "AvgPool1D", "AvgPool2D", "GlobalAveragePooling1D",
    "GlobalAveragePooling2D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalMaxPool1D",
    "GlobalMaxPool2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "MaxPool1D", "MaxPool2D",
    "MaxPooling1D", "MaxPooling2D",
    "GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "SimpleRNN", "SimpleRNNCell",
    "Bidirectional", "TimeDistributed", "Wrapper",
]
