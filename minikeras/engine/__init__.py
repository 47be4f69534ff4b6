"""The engine (floor 5): layers, symbolic tensors, models, training, summaries and saving.

It holds `Layer`, symbolic tensors and nodes, `Model`, `Sequential`, the training loop,
summaries and saving.
"""
from minikeras.engine.base_layer import Layer
from minikeras.engine.input_layer import Input, InputLayer
from minikeras.engine.input_spec import InputSpec
from minikeras.engine.sequential import Sequential
from minikeras.engine.training import Model

__all__ = ["Input", "InputLayer", "InputSpec", "Layer", "Model", "Sequential"]
