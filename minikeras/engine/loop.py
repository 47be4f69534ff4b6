"""The loops behind `fit`, `evaluate` and `predict`: batches in, callbacks and logs out."""
import warnings

import numpy as np

from minikeras import backend
from minikeras.engine import data_adapter as adapter
from minikeras.engine.base_layer import collect_losses


class ArrayBatches:
    """Batches drawn from arrays already in memory.

    # Arguments
        x_arrays: the input arrays.
        y_arrays: the target arrays, or None.
        sample_weights: per-output sample weights, or None.
        batch_size: samples per batch.
        shuffle: True, `"batch"` or False.
    """

    def __init__(self, x_arrays, y_arrays, sample_weights, batch_size, shuffle):
        self.x_arrays, self.y_arrays, self.sample_weights = x_arrays, y_arrays, sample_weights
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.samples = len(x_arrays[0])
        self.steps = -(-self.samples // self.batch_size)

    def epoch(self):
        """Yields the batches of one pass over the data.

        # Yields
            `(x, y, sample_weight)`, each a list of arrays (or None).
        """
        for indices in adapter.batch_indices(self.samples, self.batch_size, self.shuffle,
                                             backend.rng()):
            if not self.shuffle:
                indices = slice(indices[0], indices[-1] + 1)  # a view, not a copy
            yield (adapter.take(self.x_arrays, indices), adapter.take(self.y_arrays, indices),
                   adapter.take(self.sample_weights, indices))


_END = object()  # what `next` returns for a generator that has run out


class GeneratorBatches:
    """Batches drawn from a Python generator or a `Sequence`.

    # Arguments
        model: the model, which checks each batch.
        data: the generator or Sequence.
        steps: batches per epoch (None: `len(data)` for a Sequence).
        shuffle: shuffle a Sequence's batch order each epoch.
        class_weight: optional dict from class to weight.
        with_targets: whether batches must carry targets.
    """

    def __init__(self, model, data, steps, shuffle=False, class_weight=None, with_targets=True):
        self.model, self.data, self.shuffle = model, data, shuffle
        self.class_weight, self.with_targets = class_weight, with_targets
        self.is_sequence = hasattr(data, "__getitem__") and hasattr(data, "__len__")
        if steps is None:
            if not self.is_sequence:
                raise ValueError("`steps_per_epoch` (or `steps`) is required when the data is a "
                                 "generator: it cannot tell how many batches make an epoch.")
            steps = len(data)
        self.steps = int(steps)
        self.samples = None
        self._iterator = None if self.is_sequence else iter(data)
        self.exhausted = False  # set when the generator ran out before `steps` batches

    def epoch(self):
        """Yields the batches of one epoch, checked by the model.

        # Yields
            `(x, y, sample_weight)`, each a list of arrays (or None).

        A generator that runs out ends the epoch early with a warning, as in Keras, and
        sets `exhausted`.

        # Raises
            ValueError: if a batch has no targets when targets are needed.
        """
        order = np.arange(self.steps)
        if self.is_sequence and self.shuffle:
            order = backend.rng().permutation(self.steps)
        for step, index in enumerate(order):
            item = self.data[int(index)] if self.is_sequence else next(self._iterator, _END)
            if item is _END:
                self.exhausted = True
                warnings.warn(
                    f"Your input ran out of data after {step} of {self.steps} batches; "
                    "interrupting. Make sure that your generator can generate at least "
                    "`steps_per_epoch * epochs` batches for fit (`steps` for evaluate and "
                    "predict).", stacklevel=2)
                return
            x, y, weights = adapter.unpack_batch(item)
            if self.with_targets and y is None:
                raise ValueError("The generator yielded inputs without targets; training and "
                                 "evaluation need (x, y) or (x, y, sample_weight) tuples.")
            yield self.model._standardize(x, y if self.with_targets else None, weights,
                                          self.class_weight)
        if self.is_sequence and hasattr(self.data, "on_epoch_end"):
            self.data.on_epoch_end()


def batches_for(model, x, y, batch_size, shuffle, sample_weight=None, class_weight=None,
                steps=None, with_targets=True):
    """Chooses the batch source for the data the user passed.

    # Arguments
        model: the model.
        x: inputs, or a generator / Sequence.
        y: targets, or None.
        batch_size: samples per batch (None: 32).
        shuffle: whether to shuffle.
        sample_weight: optional per-sample weights.
        class_weight: optional dict from class to weight.
        steps: batches per epoch, for generators.
        with_targets: whether targets are required.

    # Returns
        An `ArrayBatches` or a `GeneratorBatches`.

    # Raises
        ValueError: if targets are needed and missing, or the data does not fit the model.
    """
    if adapter.is_generator_like(x):
        return GeneratorBatches(model, x, steps, shuffle, class_weight, with_targets)
    if with_targets and y is None:
        raise ValueError("Targets `y` are required: pass fit(x, y) or a generator of (x, y).")
    x_arrays, y_arrays, weights = model._standardize(x, y, sample_weight, class_weight)
    return ArrayBatches(x_arrays, y_arrays, weights, batch_size or 32, shuffle)


def _callback_list(model, callbacks, verbose, params, progress_unit):
    from minikeras import callbacks as callbacks_module
    model.history = callbacks_module.History()
    chain = [callbacks_module.BaseLogger()]
    if verbose:
        chain.append(callbacks_module.ProgbarLogger(count_mode=progress_unit))
    chain += list(callbacks or []) + [model.history]
    callback_list = callbacks_module.CallbackList(chain)
    callback_list.set_model(model)
    callback_list.set_params(params)
    return callback_list


def _validation_batches(model, validation_data, validation_split, validation_steps, train,
                        batch_size):
    if validation_data is not None:
        if adapter.is_generator_like(validation_data):
            return train, GeneratorBatches(model, validation_data, validation_steps)
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError("validation_data must be a tuple (x_val, y_val) or "
                             "(x_val, y_val, val_sample_weights), or a generator; received "
                             f"a {type(validation_data).__name__}.")
        x_val, y_val, weights = (tuple(validation_data) + (None,))[:3]
        return train, batches_for(model, x_val, y_val, batch_size, False, weights)
    if validation_split:
        if not isinstance(train, ArrayBatches):
            raise ValueError("validation_split is only supported for array data, not for "
                             "generators; pass validation_data instead.")
        if not 0 < validation_split < 1:
            raise ValueError(f"validation_split must be between 0 and 1; received "
                             f"{validation_split}.")
        split_at = int(train.samples * (1.0 - validation_split))
        if split_at == 0 or split_at == train.samples:
            raise ValueError(f"validation_split={validation_split} leaves no samples for "
                             f"{'training' if split_at == 0 else 'validation'} out of "
                             f"{train.samples}.")
        head, tail = slice(0, split_at), slice(split_at, None)
        training = ArrayBatches(adapter.take(train.x_arrays, head),
                                adapter.take(train.y_arrays, head),
                                adapter.take(train.sample_weights, head), train.batch_size,
                                train.shuffle)
        validation = ArrayBatches(adapter.take(train.x_arrays, tail),
                                  adapter.take(train.y_arrays, tail),
                                  adapter.take(train.sample_weights, tail), train.batch_size,
                                  False)
        return training, validation
    return train, None


def fit(model, x, y, batch_size, epochs, verbose, callbacks, validation_split, validation_data,
        shuffle, class_weight, sample_weight, initial_epoch, steps_per_epoch, validation_steps,
        validation_freq):
    """Runs `Model.fit` (see its docstring for the arguments).

    # Arguments
        model: the compiled model.
        x: inputs or a generator.
        y: targets.
        batch_size: samples per batch.
        epochs: the epoch to stop at.
        verbose: 0, 1 or 2.
        callbacks: user callbacks.
        validation_split: fraction held out.
        validation_data: held-out data.
        shuffle: shuffle mode.
        class_weight: class weights.
        sample_weight: sample weights.
        initial_epoch: first epoch.
        steps_per_epoch: batches per epoch.
        validation_steps: batches per validation.
        validation_freq: validate every this many epochs.

    # Returns
        The `History` callback.
    """
    backend.keep_freed_memory()
    train = batches_for(model, x, y, batch_size, shuffle, sample_weight, class_weight,
                        steps_per_epoch)
    if steps_per_epoch is not None and isinstance(train, ArrayBatches):
        train.steps = min(train.steps, int(steps_per_epoch))
    train, validation = _validation_batches(model, validation_data, validation_split,
                                            validation_steps, train, batch_size)
    metric_names = model.metrics_names
    params = {"batch_size": getattr(train, "batch_size", None), "epochs": epochs,
              "steps": train.steps, "samples": train.samples, "verbose": verbose,
              "do_validation": validation is not None,
              "metrics": metric_names + (["val_" + n for n in metric_names] if validation else [])}
    unit = "samples" if isinstance(train, ArrayBatches) and steps_per_epoch is None else "steps"
    callback_list = _callback_list(model, callbacks, verbose, params, unit)
    model.stop_training = False
    callback_list.on_train_begin()
    for epoch in range(initial_epoch, epochs):
        callback_list.on_epoch_begin(epoch)
        epoch_logs = _train_epoch(model, train, callback_list)
        if getattr(train, "exhausted", False):
            model.stop_training = True  # nothing left to train on, as in Keras
        if validation is not None and (epoch + 1) % validation_freq == 0:
            callback_list.on_test_begin()
            results = evaluate_batches(model, validation, callback_list)
            callback_list.on_test_end(results)
            epoch_logs.update({"val_" + name: value for name, value in results.items()})
        callback_list.on_epoch_end(epoch, epoch_logs)
        if model.stop_training:
            break
    callback_list.on_train_end()
    return model.history


def _train_epoch(model, train, callback_list):
    trackers = model._new_trackers()
    for step, (x_batch, y_batch, weights) in enumerate(train.epoch()):
        if step >= train.steps:
            break
        size = len(x_batch[0])
        batch_logs = {"batch": step, "size": size}
        callback_list.on_train_batch_begin(step, batch_logs)
        total, per_output, outputs = model._train_step(x_batch, y_batch, weights)
        model._update_trackers(trackers, size, total, per_output, outputs, y_batch, weights)
        batch_logs.update(model._results(trackers))
        callback_list.on_train_batch_end(step, batch_logs)
        if model.stop_training:
            break
    return model._results(trackers)


def evaluate_batches(model, batches, callback_list=None, progbar=None):
    """Computes the mean loss and metrics over batches, in test mode.

    # Arguments
        model: the compiled model.
        batches: an `ArrayBatches` or `GeneratorBatches`.
        callback_list: optional callbacks for the `on_test_*` hooks.
        progbar: an optional `Progbar`.

    # Returns
        A dict from metric name to value.
    """
    trackers = model._new_trackers()
    seen = 0
    for step, (x_batch, y_batch, weights) in enumerate(batches.epoch()):
        if step >= batches.steps:
            break
        if callback_list:
            callback_list.on_test_batch_begin(step, {"batch": step, "size": len(x_batch[0])})
        total, per_output, outputs = model._test_step(x_batch, y_batch, weights)
        model._update_trackers(trackers, len(x_batch[0]), total, per_output, outputs, y_batch,
                               weights)
        seen += len(x_batch[0])
        if callback_list:
            callback_list.on_test_batch_end(step, dict(model._results(trackers), batch=step))
        if progbar is not None:
            progbar.update(seen if batches.samples else step + 1)
    return model._results(trackers)


def _progbar(batches, verbose):
    if not verbose:
        return None
    from minikeras.utils.progbar import Progbar
    return Progbar(target=batches.samples or batches.steps, verbose=verbose)


def evaluate(model, x, y, batch_size, verbose, sample_weight, steps, callbacks):
    """Runs `Model.evaluate` (see its docstring for the arguments).

    # Arguments
        model: the compiled model.
        x: inputs or a generator.
        y: targets.
        batch_size: samples per batch.
        verbose: 0 or 1.
        sample_weight: sample weights.
        steps: batches for a generator.
        callbacks: callbacks for `on_test_*`.

    # Returns
        The loss, or a list in the order of `metrics_names`.
    """
    backend.keep_freed_memory()
    batches = batches_for(model, x, y, batch_size, False, sample_weight, steps=steps)
    if steps is not None and isinstance(batches, ArrayBatches):
        batches.steps = min(batches.steps, int(steps))
    callback_list = None
    if callbacks:
        from minikeras import callbacks as callbacks_module
        callback_list = callbacks_module.CallbackList(list(callbacks))
        callback_list.set_model(model)
        callback_list.set_params({"batch_size": getattr(batches, "batch_size", None),
                                  "steps": batches.steps, "samples": batches.samples,
                                  "verbose": verbose})
        callback_list.on_test_begin()
    results = evaluate_batches(model, batches, callback_list, _progbar(batches, verbose))
    if callback_list:
        callback_list.on_test_end(results)
    values = [results[name] for name in model.metrics_names]
    return values[0] if len(values) == 1 else values


def predict(model, x, batch_size, verbose, steps, callbacks):
    """Runs `Model.predict` (see its docstring for the arguments).

    Nothing is written to the model or its layers: each call keeps its values local, so
    many threads may predict with one model at once.

    # Arguments
        model: the model.
        x: inputs or a generator.
        batch_size: samples per batch.
        verbose: 0 or 1.
        steps: batches for a generator.
        callbacks: callbacks for `on_predict_*`.

    # Returns
        An array, or a list of arrays for several outputs.

    # Raises
        ValueError: if the data gives no batch.
    """
    backend.keep_freed_memory()
    batches = batches_for(model, x, None, batch_size, False, steps=steps, with_targets=False)
    if steps is not None and isinstance(batches, ArrayBatches):
        batches.steps = min(batches.steps, int(steps))
    progbar = _progbar(batches, verbose)
    callback_list = None
    if callbacks:
        from minikeras import callbacks as callbacks_module
        callback_list = callbacks_module.CallbackList(list(callbacks))
        callback_list.set_model(model)
        callback_list.set_params({"batch_size": getattr(batches, "batch_size", None),
                                  "steps": batches.steps, "samples": batches.samples,
                                  "verbose": verbose})
        callback_list.on_predict_begin()
    collected, seen = [], 0
    for step, (x_batch, _, _) in enumerate(batches.epoch()):
        if step >= batches.steps:
            break
        if callback_list:
            callback_list.on_predict_batch_begin(step, {"batch": step, "size": len(x_batch[0])})
        with collect_losses():
            outputs = model._forward(x_batch, training=False)
        collected.append([np.asarray(output.numpy()) for output in outputs])
        seen += len(x_batch[0])
        if callback_list:
            callback_list.on_predict_batch_end(step, {"batch": step, "outputs": collected[-1]})
        if progbar is not None:
            progbar.update(seen if batches.samples else step + 1)
    if callback_list:
        callback_list.on_predict_end()
    if not collected:
        raise ValueError("predict() received no batches: the input data is empty.")
    arrays = [np.concatenate(parts, axis=0) for parts in zip(*collected)]
    return arrays[0] if len(arrays) == 1 else arrays
