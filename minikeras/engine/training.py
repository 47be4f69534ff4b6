"""`Model`: a functional graph (or a subclass with its own `call`) that can be trained.

`compile` chooses the optimizer, the losses and the metrics; `fit` runs the loop that
`DESIGN.md` describes: batches -> forward pass on a `GradientTape` -> loss plus
regularization -> gradients -> optimizer -> metrics -> callbacks -> progress bar.
`evaluate` and `predict` run the same graph with no tape.
"""
import numpy as np

from minikeras import backend
from minikeras.autograd import ops
from minikeras.autograd.tape import GradientTape
from minikeras.autograd.tensor import Tensor
from minikeras.engine import data_adapter as adapter
from minikeras.engine.base_layer import Layer, collect_losses
from minikeras.engine.functional import Functional


class Model(Functional):
    """A model: layers grouped into an object with training and inference features.

    Build it functionally, `Model(inputs, outputs)`, or subclass it and write `call`.

    # Arguments
        inputs: the model's input `KerasTensor`(s), from `Input`.
        outputs: the output `KerasTensor`(s) computed from them.
        name: the model's name.
        **kwargs: `trainable`; Keras 2's `input` and `output` spellings.

    # Input shape
        The shapes of `inputs`.

    # Output shape
        The shapes of `outputs`.

    # Example
    ```python
    inputs = Input(shape=(10,))
    hidden = Dense(10, activation="relu")(inputs)
    outputs = Dense(1, activation="sigmoid")(hidden)
    model = Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    ```
    """

    def __init__(self, inputs=None, outputs=None, name=None, **kwargs):
        inputs = kwargs.pop("input", inputs)
        outputs = kwargs.pop("output", outputs)
        trainable = kwargs.pop("trainable", True)
        if inputs is None and outputs is None:
            Layer.__init__(self, name=name, trainable=trainable, **kwargs)
            self._is_graph_network = False
        else:
            if inputs is None or outputs is None:
                raise ValueError("Model needs both `inputs` and `outputs` (or neither, for a "
                                 "subclassed model).")
            Functional.__init__(self, inputs, outputs, name=name, trainable=trainable)
            self._is_graph_network = True
        self.optimizer = None
        self.compiled_loss = None
        self.stop_training = False
        self.history = None
        self._compile_config = None

    # ---- subclassed models ----------------------------------------------------------

    @property
    def layers(self):
        """The model's layers, in Keras's order."""
        if self._is_graph_network:
            return super().layers
        return list(self._sublayers)

    def call(self, inputs, training=None):
        """Runs the model (the graph, for a functional model).

        # Arguments
            inputs: a tensor or a list of tensors.
            training: whether the call is part of training.

        # Returns
            The outputs.

        # Raises
            NotImplementedError: for a subclassed model that does not define `call`.
        """
        if not self._is_graph_network:
            raise NotImplementedError(
                f'Model "{self.name}" has no graph: build it as Model(inputs, outputs), or '
                "subclass Model and define call(self, inputs)."
            )
        return super().call(inputs, training=training)

    def compute_output_shape(self, input_shape):
        """Returns the output shape(s) for an input shape.

        # Arguments
            input_shape: a shape tuple, or a list of them.

        # Returns
            The output shape(s).
        """
        if self._is_graph_network:
            return super().compute_output_shape(input_shape)
        return Layer.compute_output_shape(self, input_shape)

    # ---- compile ------------------------------------------------------------------------

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                sample_weight_mode=None, weighted_metrics=None, **kwargs):
        """Configures the model for training.

        # Arguments
            optimizer: an optimizer name (`"adam"`) or instance.
            loss: a loss name or function, or a list or dict with one per output.
            metrics: a list of metrics (names such as `"accuracy"` or functions), or a dict
                from output name to a list.
            loss_weights: an optional list or dict of scalars weighting each output's loss.
            sample_weight_mode: accepted for Keras 2 compatibility (`None` or `"temporal"`).
            weighted_metrics: metrics that take `sample_weight` into account.
            **kwargs: ignored Keras 2 arguments such as `target_tensors` are refused.

        # Raises
            ValueError: for an unknown loss, optimizer or metric, or a structure that does
                not match the outputs.
        """
        from minikeras import optimizers
        unknown = set(kwargs) - {"run_eagerly", "steps_per_execution", "jit_compile"}
        if unknown:
            raise TypeError(f"compile() got unexpected keyword argument(s) {sorted(unknown)}.")
        if loss is None:
            raise ValueError("compile() needs a `loss` (such as 'binary_crossentropy').")
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        names = self._output_names_for_training()
        self._loss_entries = _per_output(loss, names, "loss")
        self._loss_functions = [_resolve_loss(entry) for entry in self._loss_entries]
        weights = _per_output(loss_weights if loss_weights is not None else 1.0, names,
                              "loss_weights")
        self._loss_weights = [1.0 if w is None else float(w) for w in weights]
        self._metric_entries = _metrics_per_output(metrics, names)
        self._weighted_metric_entries = _metrics_per_output(weighted_metrics, names)
        self._compile_config = {"loss": loss, "metrics": metrics, "loss_weights": loss_weights,
                                "weighted_metrics": weighted_metrics,
                                "sample_weight_mode": sample_weight_mode}
        self._metric_functions = None  # resolved on first use, once output shapes are known

    def _output_names_for_training(self):
        if self._is_graph_network:
            return self.output_names
        return ["output_1"]

    def _require_compiled(self, method):
        if self.optimizer is None:
            raise RuntimeError(f"You must compile your model before {method}. "
                               "Use `model.compile(optimizer, loss)`.")

    def _resolved_metrics(self):
        """Returns `[(history name, output index, function, weighted)]`."""
        from minikeras import metrics
        if self._metric_functions is None:
            names = self._output_names_for_training()
            shapes = ([t.shape for t in self.outputs] if self._is_graph_network
                      else [(None, None)])
            resolved = []
            for weighted, entries in ((False, self._metric_entries),
                                      (True, self._weighted_metric_entries)):
                for index, output_metrics in enumerate(entries):
                    for entry in output_metrics:
                        function = metrics.resolve_accuracy(entry, self._loss_entries[index],
                                                            shapes[index]) \
                            if entry in ("accuracy", "acc", "crossentropy", "ce") \
                            else metrics.get(entry)
                        label = entry if isinstance(entry, str) else _function_name(entry)
                        if weighted:
                            label = "weighted_" + label
                        if len(names) > 1:
                            label = f"{names[index]}_{label}"
                        resolved.append((label, index, function, weighted))
            self._metric_functions = resolved
        return self._metric_functions

    @property
    def metrics_names(self):
        """The names of what `evaluate` returns: `loss`, per-output losses, then metrics."""
        self._require_compiled("reading metrics_names")
        names = ["loss"]
        outputs = self._output_names_for_training()
        if len(outputs) > 1:  # each output that has a loss, as Keras 2 lists them
            names += [f"{name}_loss" for name, function in zip(outputs, self._loss_functions)
                      if function is not None]
        return names + [label for label, *_ in self._resolved_metrics()]

    # ---- one step -----------------------------------------------------------------------

    def _compute_loss(self, targets, outputs, sample_weights, added_losses):
        """Returns the total loss (a scalar tensor) and each output's loss."""
        per_output = []
        total = None
        for index, (function, y_pred) in enumerate(zip(self._loss_functions, outputs)):
            if function is None:
                per_output.append(None)
                continue
            y_true = _target_tensor(targets[index], y_pred)
            scores = function(y_true, y_pred)
            if scores.ndim > 1:
                scores = ops.mean(scores, axis=tuple(range(1, scores.ndim)))
            weights = sample_weights[index] if sample_weights else None
            if weights is not None:
                scores = scores * Tensor(np.asarray(weights, dtype=y_pred.dtype))
            value = ops.mean(scores)
            per_output.append(value)
            weighted = value * self._loss_weights[index] if self._loss_weights[index] != 1 \
                else value
            total = weighted if total is None else total + weighted
        penalties = self._regularization_penalties() + list(added_losses)
        for penalty in penalties:
            total = total + penalty
        return total, per_output

    def _regularization_penalties(self):
        penalties = []
        for layer in _all_layers(self):
            penalties += [regularizer(variable)
                          for variable, regularizer in layer._weight_regularizers]
        return penalties

    def _forward(self, x_arrays, training):
        inputs = x_arrays[0] if len(x_arrays) == 1 else list(x_arrays)
        outputs = self(inputs, training=training)
        return outputs if isinstance(outputs, (list, tuple)) else [outputs]

    def _train_step(self, x_arrays, y_arrays, sample_weights):
        """One optimizer step on one batch; returns the batch's loss values and predictions."""
        with GradientTape() as tape, collect_losses() as added_losses:
            outputs = self._forward(x_arrays, training=True)
            total, per_output = self._compute_loss(y_arrays, outputs, sample_weights,
                                                   added_losses)
        variables = self.trainable_weights
        gradients = tape.gradient(total, variables)
        self.optimizer.apply_gradients(zip(gradients, variables))
        return total, per_output, outputs

    def _test_step(self, x_arrays, y_arrays, sample_weights):
        with collect_losses() as added_losses:
            outputs = self._forward(x_arrays, training=False)
            total, per_output = self._compute_loss(y_arrays, outputs, sample_weights,
                                                   added_losses)
        return total, per_output, outputs

    # ---- running averages ---------------------------------------------------------------

    def _new_trackers(self):
        from minikeras import metrics
        return {name: metrics.Mean(name=name) for name in self.metrics_names}

    def _update_trackers(self, trackers, batch_size, total, per_output, outputs, y_arrays,
                         sample_weights):
        names = self._output_names_for_training()
        trackers["loss"].update_state(float(total.numpy()), sample_weight=batch_size)
        if len(names) > 1:
            for name, value in zip(names, per_output):
                if value is not None:
                    trackers[f"{name}_loss"].update_state(float(value.numpy()),
                                                          sample_weight=batch_size)
        for label, index, function, weighted in self._resolved_metrics():
            y_pred = outputs[index]
            values = function(_target_tensor(y_arrays[index], y_pred), y_pred)
            values = np.asarray(values.numpy() if isinstance(values, Tensor) else values)
            weights = sample_weights[index] if (weighted and sample_weights) else None
            trackers[label].update_state(values, sample_weight=weights)

    @staticmethod
    def _results(trackers):
        return {name: float(tracker.result()) for name, tracker in trackers.items()}

    # ---- data -------------------------------------------------------------------------------

    def _standardize(self, x, y=None, sample_weight=None, class_weight=None, check_targets=True):
        """Checks and converts user data to lists of arrays, building a deferred model."""
        if not self._is_graph_network:
            self._build_from_data(x)
        input_names = self.input_names if self._is_graph_network else ["input_1"]
        x_arrays = adapter.to_array_list(x, input_names, "input")
        if self._is_graph_network:
            adapter.check_shapes(x_arrays, [t.shape for t in self.inputs], input_names, "input")
        y_arrays = None
        if y is not None:
            output_names = self._output_names_for_training()
            y_arrays = adapter.to_array_list(y, output_names, "target")
            if check_targets:
                self._check_targets(y_arrays)
        weights = self._sample_weights(sample_weight, class_weight, y_arrays)
        adapter.check_lengths(x_arrays, y_arrays, weights)
        return x_arrays, y_arrays, weights

    def _build_from_data(self, x):
        """Hook for `Sequential`, which may wait for data to learn its input shape."""

    def _sample_weights(self, sample_weight, class_weight, y_arrays):
        names = self._output_names_for_training()
        if sample_weight is None and class_weight is None:
            return None
        weights = adapter.to_array_list(sample_weight, names, "sample_weight") \
            if sample_weight is not None else [None] * len(names)
        if class_weight is not None:
            per_output = class_weight if isinstance(class_weight, dict) and all(
                name in class_weight for name in names) and len(names) > 1 \
                else {name: class_weight for name in names}
            for index, name in enumerate(names):
                from_classes = _class_weights_to_sample_weights(per_output[name], y_arrays[index])
                weights[index] = from_classes if weights[index] is None \
                    else weights[index] * from_classes
        return [None if w is None else np.asarray(w, dtype=backend.floatx()) for w in weights]

    def _check_targets(self, y_arrays):
        if not self._is_graph_network:
            return
        for index, (entry, output) in enumerate(zip(self._loss_entries, self.outputs)):
            y_arrays[index] = adapter.check_loss_and_target(entry, y_arrays[index], output.shape)

    # ---- fit / evaluate / predict ---------------------------------------------------------

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_freq=1, max_queue_size=10, workers=1, use_multiprocessing=False,
            **kwargs):
        """Trains the model for a number of epochs.

        # Arguments
            x: input data: an array, a list or dict of arrays (several inputs), a generator
                or a `minikeras.utils.Sequence` yielding `(x, y)` or `(x, y, sample_weight)`.
            y: target data, like `x` (omitted when `x` is a generator or Sequence).
            batch_size: samples per gradient update, 32 by default.
            epochs: the epoch to stop at (training runs from `initial_epoch` to it).
            verbose: 0 silent, 1 progress bar, 2 one line per epoch.
            callbacks: a list of `minikeras.callbacks.Callback`.
            validation_split: the fraction of the data (taken from the end, before
                shuffling) held out for validation.
            validation_data: `(x_val, y_val)` or `(x_val, y_val, sample_weight)`, or a
                generator; overrides `validation_split`.
            shuffle: True to shuffle samples each epoch, `"batch"` for batch order only.
            class_weight: an optional dict from class index to a weight for the loss.
            sample_weight: an optional array of per-sample weights for the loss.
            initial_epoch: the epoch to start from (for resuming).
            steps_per_epoch: batches per epoch; required for endless generators.
            validation_steps: batches of a validation generator per evaluation.
            validation_freq: validate every this many epochs.
            max_queue_size: accepted for Keras 2 compatibility; data is read in this thread.
            workers: accepted for Keras 2 compatibility.
            use_multiprocessing: accepted for Keras 2 compatibility.
            **kwargs: Keras 1's `nb_epoch` is accepted for `epochs`.

        # Returns
            A `History` whose `history` dict holds the loss and metrics of every epoch.

        # Raises
            RuntimeError: if the model is not compiled.
            ValueError: for data that does not fit the model.
        """
        from minikeras.engine import loop
        epochs = kwargs.pop("nb_epoch", epochs)
        if kwargs:
            raise TypeError(f"fit() got unexpected keyword argument(s) {sorted(kwargs)}.")
        self._require_compiled("training it")
        return loop.fit(self, x, y, batch_size, epochs, verbose, callbacks, validation_split,
                        validation_data, shuffle, class_weight, sample_weight, initial_epoch,
                        steps_per_epoch, validation_steps, validation_freq)

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, sample_weight=None,
                 steps=None, callbacks=None, **kwargs):
        """Returns the loss and metrics of the model on data, in test mode.

        # Arguments
            x: input data, as for `fit`.
            y: target data, as for `fit`.
            batch_size: samples per batch, 32 by default.
            verbose: 0 silent, 1 progress bar.
            sample_weight: optional per-sample weights for the loss.
            steps: batches to draw from a generator.
            callbacks: callbacks whose `on_test_*` hooks are called.
            **kwargs: Keras 2's `max_queue_size`, `workers`, `use_multiprocessing`.

        # Returns
            The loss (a float) if the model has no metrics, else a list in the order of
            `metrics_names`.
        """
        from minikeras.engine import loop
        self._require_compiled("evaluating it")
        return loop.evaluate(self, x, y, batch_size, verbose, sample_weight, steps, callbacks)

    def predict(self, x, batch_size=None, verbose=0, steps=None, callbacks=None, **kwargs):
        """Computes the model's outputs for the input samples, batch by batch, in test mode.

        Safe to call from several threads on one model at once.

        # Arguments
            x: input data: an array, a list or dict of arrays, a generator or a Sequence.
            batch_size: samples per batch, 32 by default.
            verbose: 0 silent, 1 progress bar.
            steps: batches to draw from a generator.
            callbacks: callbacks whose `on_predict_*` hooks are called.
            **kwargs: Keras 2's `max_queue_size`, `workers`, `use_multiprocessing`.

        # Returns
            An array of predictions (a list of arrays for several outputs).
        """
        from minikeras.engine import loop
        return loop.predict(self, x, batch_size, verbose, steps, callbacks)

    def train_on_batch(self, x, y, sample_weight=None, class_weight=None, reset_metrics=True):
        """Runs one gradient update on one batch.

        # Arguments
            x: input data of one batch.
            y: target data of one batch.
            sample_weight: optional per-sample weights.
            class_weight: optional dict from class to weight.
            reset_metrics: accepted for compatibility; each call reports its own batch.

        # Returns
            The loss, or a list `[loss, metrics...]` in the order of `metrics_names`.
        """
        self._require_compiled("training it")
        x_arrays, y_arrays, weights = self._standardize(x, y, sample_weight, class_weight)
        total, per_output, outputs = self._train_step(x_arrays, y_arrays, weights)
        trackers = self._new_trackers()
        self._update_trackers(trackers, len(x_arrays[0]), total, per_output, outputs,
                              y_arrays, weights)
        return _scalar_or_list(self._results(trackers), self.metrics_names)

    def test_on_batch(self, x, y, sample_weight=None, reset_metrics=True):
        """Computes the loss and metrics of one batch, in test mode.

        # Arguments
            x: input data of one batch.
            y: target data of one batch.
            sample_weight: optional per-sample weights.
            reset_metrics: accepted for compatibility.

        # Returns
            The loss, or a list `[loss, metrics...]` in the order of `metrics_names`.
        """
        self._require_compiled("evaluating it")
        x_arrays, y_arrays, weights = self._standardize(x, y, sample_weight)
        total, per_output, outputs = self._test_step(x_arrays, y_arrays, weights)
        trackers = self._new_trackers()
        self._update_trackers(trackers, len(x_arrays[0]), total, per_output, outputs,
                              y_arrays, weights)
        return _scalar_or_list(self._results(trackers), self.metrics_names)

    def predict_on_batch(self, x):
        """Returns the predictions for one batch of samples.

        # Arguments
            x: input data of one batch.

        # Returns
            An array (a list of arrays for several outputs).
        """
        x_arrays, _, _ = self._standardize(x)
        with collect_losses():
            outputs = self._forward(x_arrays, training=False)
        arrays = [np.asarray(output.numpy()) for output in outputs]
        return arrays[0] if len(arrays) == 1 else arrays

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1,
                      callbacks=None, validation_data=None, validation_steps=None,
                      validation_freq=1, class_weight=None, max_queue_size=10, workers=1,
                      use_multiprocessing=False, shuffle=True, initial_epoch=0):
        """Trains the model on batches from a generator or Sequence (Keras 2's name).

        # Arguments
            generator: yields `(x, y)` or `(x, y, sample_weight)` batches.
            steps_per_epoch: batches per epoch (defaults to `len(generator)` for a Sequence).
            epochs: the epoch to stop at.
            verbose: 0, 1 or 2, as for `fit`.
            callbacks: a list of callbacks.
            validation_data: a generator, Sequence or `(x_val, y_val)` tuple.
            validation_steps: batches per validation for a generator.
            validation_freq: validate every this many epochs.
            class_weight: optional dict from class to weight.
            max_queue_size: accepted for Keras 2 compatibility.
            workers: accepted for Keras 2 compatibility.
            use_multiprocessing: accepted for Keras 2 compatibility.
            shuffle: shuffle the order of a Sequence's batches each epoch.
            initial_epoch: the epoch to start from.

        # Returns
            A `History`.
        """
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs,
                        verbose=verbose, callbacks=callbacks, validation_data=validation_data,
                        validation_steps=validation_steps, validation_freq=validation_freq,
                        class_weight=class_weight, shuffle=shuffle, initial_epoch=initial_epoch)

    def evaluate_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                           workers=1, use_multiprocessing=False, verbose=0):
        """Evaluates the model on batches from a generator or Sequence (Keras 2's name).

        # Arguments
            generator: yields `(x, y)` or `(x, y, sample_weight)` batches.
            steps: batches to draw (defaults to `len(generator)` for a Sequence).
            callbacks: callbacks whose `on_test_*` hooks are called.
            max_queue_size: accepted for Keras 2 compatibility.
            workers: accepted for Keras 2 compatibility.
            use_multiprocessing: accepted for Keras 2 compatibility.
            verbose: 0 silent, 1 progress bar.

        # Returns
            As `evaluate`.
        """
        return self.evaluate(generator, steps=steps, callbacks=callbacks, verbose=verbose)

    def predict_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                          workers=1, use_multiprocessing=False, verbose=0):
        """Predicts on batches from a generator or Sequence (Keras 2's name).

        # Arguments
            generator: yields input batches (or `(x, y)` tuples, whose `y` is ignored).
            steps: batches to draw (defaults to `len(generator)` for a Sequence).
            callbacks: callbacks whose `on_predict_*` hooks are called.
            max_queue_size: accepted for Keras 2 compatibility.
            workers: accepted for Keras 2 compatibility.
            use_multiprocessing: accepted for Keras 2 compatibility.
            verbose: 0 silent, 1 progress bar.

        # Returns
            As `predict`.
        """
        return self.predict(generator, steps=steps, callbacks=callbacks, verbose=verbose)

    # ---- description, saving ---------------------------------------------------------------

    def reset_states(self):
        """Resets the states of every stateful layer of the model (such as a stateful LSTM)."""
        for layer in self.layers:
            if getattr(layer, "stateful", False) and hasattr(layer, "reset_states"):
                layer.reset_states()

    def summary(self, line_length=None, positions=None, print_fn=None):
        """Prints a table of the layers, their output shapes and parameter counts.

        # Arguments
            line_length: the width of the table.
            positions: where the columns end, as fractions of the width or in characters.
            print_fn: the function that prints each line, `print` by default.
        """
        from minikeras.engine.summary import print_summary
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn)

    def to_json(self, **kwargs):
        """Returns the model's architecture as a JSON string.

        # Arguments
            **kwargs: passed to `json.dumps` (such as `indent=2`).

        # Returns
            A string; `minikeras.models.model_from_json` rebuilds the model from it.
        """
        import json
        config = {"class_name": type(self).__name__, "config": self.get_config(),
                  "keras_version": "2.3.1", "backend": "minikeras"}
        return json.dumps(config, default=_json_default, **kwargs)

    def save(self, filepath, overwrite=True, include_optimizer=True):
        """Saves the model (architecture, weights, optimizer state) to an HDF5 file.

        # Arguments
            filepath: the file's path.
            overwrite: whether to replace an existing file.
            include_optimizer: whether to save the optimizer and its state.
        """
        from minikeras.engine import saving
        saving.save_model(self, filepath, overwrite=overwrite,
                          include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite=True):
        """Saves the weights in Keras's HDF5 layout.

        # Arguments
            filepath: the file's path; a name ending in `.weights.h5` gets Keras 3's layout.
            overwrite: whether to replace an existing file.
        """
        from minikeras.engine import saving
        saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, by_name=False, skip_mismatch=False, reshape=False):
        """Loads weights from an HDF5 file written by minikeras or Keras.

        # Arguments
            filepath: the file's path.
            by_name: load into the layers of the same name only.
            skip_mismatch: with `by_name`, skip (with a warning) weights that do not fit.
            reshape: reshape weights of the same size but another shape.
        """
        from minikeras.engine import saving
        saving.load_weights(self, filepath, by_name=by_name, skip_mismatch=skip_mismatch,
                            reshape=reshape)

    def get_config(self):
        """Returns the model's config (its graph for a functional model).

        # Returns
            A dict.
        """
        if self._is_graph_network:
            return super().get_config()
        return Layer.get_config(self)


def _per_output(value, names, argument):
    """Spreads a per-output argument (one value, a list or a dict) over the outputs."""
    if isinstance(value, dict):
        unknown = set(value) - set(names)
        if unknown:
            raise ValueError(f"Unknown entries in {argument} dictionary: {sorted(unknown)}. "
                             f"Only expected the following keys: {names}")
        return [value.get(name) for name in names]
    if isinstance(value, (list, tuple)):
        if len(value) != len(names):
            raise ValueError(f"When passing a list as {argument}, it should have one entry per "
                             f"model output. The model has {len(names)} outputs, but you passed "
                             f"{argument}={value!r}")
        return list(value)
    return [value] * len(names)


def _metrics_per_output(metrics, names):
    if not metrics:
        return [[] for _ in names]
    if isinstance(metrics, dict):
        entries = _per_output(metrics, names, "metrics")
        return [[] if e is None else (list(e) if isinstance(e, (list, tuple)) else [e])
                for e in entries]
    if isinstance(metrics, (list, tuple)) and metrics and all(
            isinstance(m, (list, tuple)) for m in metrics):
        return _per_output(list(metrics), names, "metrics")
    metrics = list(metrics) if isinstance(metrics, (list, tuple)) else [metrics]
    return [list(metrics) for _ in names]


def _resolve_loss(entry):
    """Returns a function giving one loss per sample (a `Loss` object's `call`)."""
    if entry is None:
        return None
    from minikeras import losses
    loss = losses.get(entry)
    return loss.call if isinstance(loss, losses.Loss) else loss


def _function_name(function):
    return getattr(function, "name", None) or getattr(function, "__name__", None) or \
        type(function).__name__


def _target_tensor(array, y_pred):
    if isinstance(array, Tensor):
        return array
    array = np.asarray(array)
    if array.dtype.kind == "f" and array.dtype != y_pred.dtype:
        array = array.astype(y_pred.dtype)
    return Tensor(array)


def _class_weights_to_sample_weights(class_weight, y):
    labels = np.argmax(y, axis=-1) if y.ndim > 1 and y.shape[-1] > 1 else \
        np.asarray(y).reshape(len(y), -1)[:, 0].round().astype(int)
    return np.asarray([class_weight.get(int(label), 1.0) for label in labels])


def _scalar_or_list(results, names):
    values = [results[name] for name in names]
    return values[0] if len(values) == 1 else values


def _all_layers(model):
    """Every layer inside a model, depth first, including nested models' layers."""
    found, stack = [], [model]
    while stack:
        layer = stack.pop()
        found.append(layer)
        stack.extend(reversed(layer._sublayers))
    return found


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"Cannot serialize {type(value).__name__} to JSON.")

