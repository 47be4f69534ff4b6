"""Callbacks: objects whose hooks `fit`, `evaluate` and `predict` call as they run.

The hooks are `on_{train,epoch,batch,test,predict}_{begin,end}` and their batch forms,
as Keras 2 has them. `fit` always uses `BaseLogger`, `History` and (when `verbose`)
`ProgbarLogger`; the others are passed by the user:

- `EarlyStopping` stops training when a monitored value stops improving;
- `ModelCheckpoint` saves the model (or its weights) after epochs;
- `ReduceLROnPlateau` and `LearningRateScheduler` change the optimizer's learning rate;
- `CSVLogger` writes each epoch's results to a CSV file;
- `TerminateOnNaN` stops training when the loss becomes NaN or infinite;
- `LambdaCallback` turns a few functions into a callback.
"""
import csv
import inspect
import os
import warnings

import numpy as np

from minikeras.utils.progbar import Progbar


class Callback:
    """The base class of callbacks; every hook does nothing until overridden.

    `self.model` is the model being trained and `self.params` the training parameters
    (`epochs`, `steps`, `samples`, `batch_size`, `verbose`, `do_validation`, `metrics`).
    """

    def __init__(self):
        self.model = None
        self.params = {}
        self.validation_data = None

    def set_params(self, params):
        """Receives the training parameters.

        # Arguments
            params: a dict.
        """
        self.params = params

    def set_model(self, model):
        """Receives the model.

        # Arguments
            model: the model being trained or evaluated.
        """
        self.model = model

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch.

        # Arguments
            epoch: the epoch's index, from 0.
            logs: a dict (empty).
        """

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch.

        # Arguments
            epoch: the epoch's index, from 0.
            logs: the epoch's loss and metrics, with `val_` ones after validation.
        """

    def on_batch_begin(self, batch, logs=None):
        """Called before each training batch (Keras 2's name of `on_train_batch_begin`).

        # Arguments
            batch: the batch's index within the epoch.
            logs: a dict with `batch` and `size`.
        """

    def on_batch_end(self, batch, logs=None):
        """Called after each training batch (Keras 2's name of `on_train_batch_end`).

        # Arguments
            batch: the batch's index within the epoch.
            logs: the running averages of the loss and metrics over the epoch so far.
        """

    def on_train_batch_begin(self, batch, logs=None):
        """Called before each training batch; calls `on_batch_begin`.

        # Arguments
            batch: the batch's index within the epoch.
            logs: a dict with `batch` and `size`.
        """
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after each training batch; calls `on_batch_end`.

        # Arguments
            batch: the batch's index within the epoch.
            logs: the running averages of the loss and metrics.
        """
        self.on_batch_end(batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before each batch of `evaluate`.

        # Arguments
            batch: the batch's index.
            logs: a dict with `batch` and `size`.
        """

    def on_test_batch_end(self, batch, logs=None):
        """Called after each batch of `evaluate`.

        # Arguments
            batch: the batch's index.
            logs: the running averages so far.
        """

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before each batch of `predict`.

        # Arguments
            batch: the batch's index.
            logs: a dict with `batch` and `size`.
        """

    def on_predict_batch_end(self, batch, logs=None):
        """Called after each batch of `predict`.

        # Arguments
            batch: the batch's index.
            logs: a dict with `outputs`.
        """

    def on_train_begin(self, logs=None):
        """Called when training starts.

        # Arguments
            logs: a dict (empty).
        """

    def on_train_end(self, logs=None):
        """Called when training ends.

        # Arguments
            logs: a dict (empty).
        """

    def on_test_begin(self, logs=None):
        """Called when `evaluate` starts.

        # Arguments
            logs: a dict (empty).
        """

    def on_test_end(self, logs=None):
        """Called when `evaluate` ends.

        # Arguments
            logs: the results.
        """

    def on_predict_begin(self, logs=None):
        """Called when `predict` starts.

        # Arguments
            logs: a dict (empty).
        """

    def on_predict_end(self, logs=None):
        """Called when `predict` ends.

        # Arguments
            logs: a dict (empty).
        """


_HOOKS = [f"on_{event}_{moment}" for event in
          ("train", "epoch", "batch", "test", "predict", "train_batch", "test_batch",
           "predict_batch") for moment in ("begin", "end")]


class CallbackList:
    """Calls each hook on every callback of a list, in order.

    # Arguments
        callbacks: a list of `Callback`s.
    """

    def __init__(self, callbacks=None):
        self.callbacks = list(callbacks or [])

    def append(self, callback):
        """Adds a callback at the end.

        # Arguments
            callback: a `Callback`.
        """
        self.callbacks.append(callback)

    def set_params(self, params):
        """Gives every callback the training parameters.

        # Arguments
            params: a dict.
        """
        for callback in self.callbacks:
            callback.set_params(params)

    def set_model(self, model):
        """Gives every callback the model.

        # Arguments
            model: the model.
        """
        for callback in self.callbacks:
            callback.set_model(model)

    def __iter__(self):
        return iter(self.callbacks)

    def __getattr__(self, hook):
        if hook not in _HOOKS:
            raise AttributeError(hook)
        # Epoch and batch hooks take an index before the logs; the others only the logs.
        n_indices = 1 if "epoch" in hook or "batch" in hook else 0

        def call_all(*args, logs=None):
            if len(args) > n_indices:
                *args, logs = args
            # As in Keras, every hook receives its logs: the caller's dict (so that a
            # callback can add to what later ones see) or, if none was given, an empty one.
            logs = {} if logs is None else logs
            for callback in self.callbacks:
                getattr(callback, hook)(*args, logs)

        return call_all


class BaseLogger(Callback):
    """Kept for Keras 2 code: the logs `fit` passes are already epoch averages.

    # Arguments
        stateful_metrics: accepted for compatibility.
    """

    def __init__(self, stateful_metrics=None):
        super().__init__()
        self.stateful_metrics = stateful_metrics


class History(Callback):
    """Records the logs of every epoch; `fit` returns it.

    `history.history` maps each name (`loss`, `acc`, `val_loss`, ...) to a list with one
    value per epoch; `history.epoch` lists the epochs.
    """

    def on_train_begin(self, logs=None):
        """Starts new records.

        # Arguments
            logs: ignored.
        """
        self.epoch = []
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        """Appends the epoch's logs.

        # Arguments
            epoch: the epoch's index.
            logs: the epoch's loss and metrics.
        """
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)


class ProgbarLogger(Callback):
    """Prints the epoch number and a progress bar with the running loss and metrics.

    # Arguments
        count_mode: `"samples"` (the bar counts samples) or `"steps"` (batches).
        stateful_metrics: accepted for compatibility (every value is shown as given).

    # Raises
        ValueError: for another `count_mode`.
    """

    def __init__(self, count_mode="samples", stateful_metrics=None):
        super().__init__()
        if count_mode not in ("samples", "steps"):
            raise ValueError(f"Unknown `count_mode`: {count_mode!r}; expected 'samples' or "
                             "'steps'.")
        self.use_steps = count_mode == "steps"

    def on_train_begin(self, logs=None):
        """Reads the verbosity and the number of epochs.

        # Arguments
            logs: ignored.
        """
        self.verbose = self.params["verbose"]
        self.epochs = self.params["epochs"]

    def on_epoch_begin(self, epoch, logs=None):
        """Prints `Epoch i/n` and starts a bar.

        # Arguments
            epoch: the epoch's index.
            logs: ignored.
        """
        if self.verbose:
            print(f"Epoch {epoch + 1}/{self.epochs}", flush=True)
        self.target = self.params["steps"] if self.use_steps else self.params["samples"]
        self.progbar = Progbar(self.target, verbose=self.verbose,
                               stateful_metrics=self.params["metrics"],
                               unit_name="step")
        self.seen = 0

    def on_train_batch_end(self, batch, logs=None):
        """Advances the bar.

        # Arguments
            batch: the batch's index.
            logs: the running averages.
        """
        logs = logs or {}
        self.seen += 1 if self.use_steps else logs.get("size", 0)
        if self.verbose and (self.target is None or self.seen < self.target):
            self.progbar.update(self.seen, self._values(logs))

    def on_epoch_end(self, epoch, logs=None):
        """Completes the bar with the epoch's results, validation included.

        # Arguments
            epoch: the epoch's index.
            logs: the epoch's loss and metrics.
        """
        if self.verbose:
            self.progbar.update(self.seen, self._values(logs or {}), finalize=True)

    def _values(self, logs):
        return [(name, logs[name]) for name in self.params["metrics"] if name in logs]


def _checked_mode(mode, callback_name):
    """Returns `mode`, or `"auto"` with a warning when it is not `"auto"`, `"min"`, `"max"`.

    # Arguments
        mode: the mode the user gave.
        callback_name: the callback's name, for the warning.

    # Returns
        `"auto"`, `"min"` or `"max"`.
    """
    if mode in ("auto", "min", "max"):
        return mode
    warnings.warn(f"{callback_name} mode {mode} is unknown, fallback to auto mode.",
                  RuntimeWarning)
    return "auto"


def _improvement_test(mode, monitor):
    """Chooses whether a larger or a smaller monitored value is better, as Keras 2 does.

    In `"auto"` mode a name containing `"acc"` (`acc`, `val_accuracy`, ...) is maximized
    and anything else (`loss`, `val_loss`, ...) minimized.

    # Arguments
        mode: `"auto"`, `"min"` or `"max"`.
        monitor: the name of the monitored value.

    # Returns
        `np.greater` (larger is better) or `np.less` (smaller is better).
    """
    if mode == "max" or (mode == "auto" and "acc" in monitor):
        return np.greater
    return np.less


def _missing_monitor_warning(what, monitor, logs):
    warnings.warn(f"{what} conditioned on metric `{monitor}` which is not available. "
                  f"Available metrics are: {','.join(logs)}", RuntimeWarning)


class TerminateOnNaN(Callback):
    """Stops training as soon as the loss becomes NaN or infinite.

    It prints `Batch N: Invalid loss, terminating training` and sets
    `model.stop_training`, so `fit` ends after the current batch.
    """

    def on_batch_end(self, batch, logs=None):
        """Checks the loss of the batch just trained.

        # Arguments
            batch: the batch's index within the epoch.
            logs: the running averages, with `loss`.
        """
        loss = (logs or {}).get("loss")
        if loss is not None and (np.isnan(loss) or np.isinf(loss)):
            print("Batch %d: Invalid loss, terminating training" % batch)
            self.model.stop_training = True


class EarlyStopping(Callback):
    """Stops training when a monitored value has stopped improving.

    # Arguments
        monitor: the value to watch, such as `"val_loss"` or `"val_acc"`.
        min_delta: the least change that counts as an improvement.
        patience: how many epochs without improvement to wait before stopping.
        verbose: 1 prints a message when training stops, 0 nothing.
        mode: `"min"`, `"max"` or `"auto"` (the direction is taken from the name:
            `acc` and `accuracy` are maximized, the rest minimized).
        baseline: a value the monitored value must improve on; training stops if it
            does not within `patience` epochs.
        restore_best_weights: whether to put back the weights of the best epoch when
            training stops (if False, the last weights are kept).

    # Example
    ```python
    early_stopping = EarlyStopping(monitor="val_loss", patience=2)
    model.fit(x, y, validation_split=0.2, epochs=100, callbacks=[early_stopping])
    ```
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False):
        super().__init__()
        self.monitor = monitor
        self.baseline = baseline
        self.patience = patience
        self.verbose = verbose
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.wait = 0
        self.stopped_epoch = 0
        self.monitor_op = _improvement_test(_checked_mode(mode, "EarlyStopping"), monitor)
        # An improvement must go past the best value by min_delta, in the good direction.
        self.min_delta = min_delta if self.monitor_op is np.greater else -min_delta

    def on_train_begin(self, logs=None):
        """Resets the counters, so that one instance can serve several `fit` calls.

        # Arguments
            logs: ignored.
        """
        self.wait = 0
        self.stopped_epoch = 0
        if self.baseline is not None:
            self.best = self.baseline
        else:
            self.best = np.inf if self.monitor_op is np.less else -np.inf

    def on_epoch_end(self, epoch, logs=None):
        """Compares the monitored value with the best so far; stops after `patience` epochs.

        # Arguments
            epoch: the epoch's index.
            logs: the epoch's loss and metrics.
        """
        current = self.get_monitor_value(logs or {})
        if current is None:
            return
        if self.monitor_op(current - self.min_delta, self.best):
            self.best = current
            self.wait = 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.restore_best_weights and self.best_weights is not None:
                if self.verbose > 0:
                    print("Restoring model weights from the end of the best epoch")
                self.model.set_weights(self.best_weights)

    def on_train_end(self, logs=None):
        """Prints the epoch at which training stopped (when `verbose`).

        # Arguments
            logs: ignored.
        """
        if self.stopped_epoch > 0 and self.verbose > 0:
            print("Epoch %05d: early stopping" % (self.stopped_epoch + 1))

    def get_monitor_value(self, logs):
        """Reads the monitored value, warning when the logs do not have it.

        # Arguments
            logs: the epoch's logs.

        # Returns
            The value, or None.
        """
        value = logs.get(self.monitor)
        if value is None:
            _missing_monitor_warning("Early stopping", self.monitor, logs)
        return value


class ModelCheckpoint(Callback):
    """Saves the model after every epoch (or every `period` epochs).

    `filepath` may hold named fields filled in with `epoch` (counted from 1) and the
    values of the epoch's logs: `"weights.{epoch:02d}-{val_loss:.2f}.h5"` saves
    `weights.03-0.41.h5` after the third epoch.

    # Arguments
        filepath: the path of the file to write, possibly a template.
        monitor: the value compared when `save_best_only` is set.
        verbose: 1 prints a message at each save, 0 nothing.
        save_best_only: save only when the monitored value improves on the best so far.
        save_weights_only: save with `model.save_weights` instead of `model.save`.
        mode: `"min"`, `"max"` or `"auto"` (the direction is taken from the name:
            `acc` and `accuracy` are maximized, the rest minimized).
        period: the number of epochs between checkpoints.

    # Example
    ```python
    checkpoint = ModelCheckpoint("best.h5", monitor="val_acc", save_best_only=True)
    model.fit(x, y, validation_split=0.2, epochs=10, callbacks=[checkpoint])
    ```
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", period=1):
        super().__init__()
        self.filepath = os.fspath(filepath)
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.period = period
        self.epochs_since_last_save = 0
        self.monitor_op = _improvement_test(_checked_mode(mode, "ModelCheckpoint"), monitor)
        self.best = -np.inf if self.monitor_op is np.greater else np.inf

    def on_epoch_end(self, epoch, logs=None):
        """Saves the model if this epoch is due (and, with `save_best_only`, the best).

        # Arguments
            epoch: the epoch's index (the file name counts from 1: `epoch + 1`).
            logs: the epoch's loss and metrics, also used to fill in `filepath`.

        # Raises
            KeyError: if `filepath` names a value the logs do not have.
        """
        logs = logs or {}
        self.epochs_since_last_save += 1
        if self.epochs_since_last_save < self.period:
            return
        self.epochs_since_last_save = 0
        filepath = self._filepath_for(epoch, logs)
        if not self.save_best_only:
            if self.verbose > 0:
                print("\nEpoch %05d: saving model to %s" % (epoch + 1, filepath))
            self._save(filepath)
            return
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn("Can save best model only with %s available, skipping."
                          % self.monitor, RuntimeWarning)
        elif self.monitor_op(current, self.best):
            if self.verbose > 0:
                print("\nEpoch %05d: %s improved from %0.5f to %0.5f, saving model to %s"
                      % (epoch + 1, self.monitor, self.best, current, filepath))
            self.best = current
            self._save(filepath)
        elif self.verbose > 0:
            print("\nEpoch %05d: %s did not improve from %0.5f"
                  % (epoch + 1, self.monitor, self.best))

    def _filepath_for(self, epoch, logs):
        try:
            return self.filepath.format(epoch=epoch + 1, **logs)
        except KeyError as error:
            raise KeyError(f"ModelCheckpoint cannot fill in the filepath {self.filepath!r}: "
                           f"the logs of epoch {epoch + 1} have no {error}. Available: epoch, "
                           f"{', '.join(logs)}.") from None

    def _save(self, filepath):
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)


class ReduceLROnPlateau(Callback):
    """Lowers the learning rate when a monitored value has stopped improving.

    After `patience` epochs without improvement, `model.optimizer.lr` is multiplied by
    `factor` (but never set below `min_lr`); then `cooldown` epochs pass before the
    count starts again. The learning rate of each epoch is added to the logs as `lr`.

    # Arguments
        monitor: the value to watch, such as `"val_loss"`.
        factor: the factor the learning rate is multiplied by: `new_lr = lr * factor`.
        patience: how many epochs without improvement to wait before lowering it.
        verbose: 1 prints a message when the learning rate changes, 0 nothing.
        mode: `"min"`, `"max"` or `"auto"` (the direction is taken from the name:
            `acc` and `accuracy` are maximized, the rest minimized).
        min_delta: the least change that counts as an improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the lowest learning rate allowed.
        **kwargs: Keras 2's deprecated `epsilon`, the old name of `min_delta`.

    # Raises
        ValueError: if `factor` is 1 or more.
        TypeError: for an unknown keyword argument.

    # Example
    ```python
    reduce_lr = ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=0.001)
    model.fit(x, y, validation_split=0.2, callbacks=[reduce_lr])
    ```
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0, **kwargs):
        super().__init__()
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0: the "
                             f"learning rate must go down, but factor={factor}.")
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
            warnings.warn("`epsilon` argument is deprecated and will be removed, use "
                          "`min_delta` instead.")
        if kwargs:
            raise TypeError(f"ReduceLROnPlateau got unexpected keyword argument(s) "
                            f"{sorted(kwargs)}.")
        self.monitor = monitor
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.mode = _checked_mode(mode, "Learning Rate Plateau Reducing")
        self.min_delta = min_delta
        self.cooldown = cooldown
        self.min_lr = min_lr
        self._reset()

    def _reset(self):
        """Resets the best value and the wait and cooldown counters."""
        if _improvement_test(self.mode, self.monitor) is np.greater:
            self.monitor_op = lambda current, best: np.greater(current, best + self.min_delta)
            self.best = -np.inf
        else:
            self.monitor_op = lambda current, best: np.less(current, best - self.min_delta)
            self.best = np.inf
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        """Starts from a clean state.

        # Arguments
            logs: ignored.
        """
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        """Records `lr` in the logs, then lowers it if the value has stopped improving.

        # Arguments
            epoch: the epoch's index.
            logs: the epoch's loss and metrics; `lr` is added to it.
        """
        logs = logs if logs is not None else {}
        logs["lr"] = self.model.optimizer.lr
        current = logs.get(self.monitor)
        if current is None:
            _missing_monitor_warning("Reduce LR on plateau", self.monitor, logs)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                self._reduce_lr(epoch)

    def _reduce_lr(self, epoch):
        old_lr = float(self.model.optimizer.lr)
        if old_lr > self.min_lr:
            new_lr = max(old_lr * self.factor, self.min_lr)
            self.model.optimizer.lr = new_lr
            if self.verbose > 0:
                print("\nEpoch %05d: ReduceLROnPlateau reducing learning rate to %s."
                      % (epoch + 1, new_lr))
            self.cooldown_counter = self.cooldown
            self.wait = 0

    def in_cooldown(self):
        """Tells whether the callback is waiting after a reduction.

        # Returns
            True during the `cooldown` epochs that follow a reduction.
        """
        return self.cooldown_counter > 0


class LearningRateScheduler(Callback):
    """Sets the learning rate at the start of each epoch from a schedule.

    # Arguments
        schedule: a function of the epoch index (from 0), or of the epoch index and the
            current learning rate, that returns the new learning rate (a float).
        verbose: 1 prints the learning rate set at each epoch, 0 nothing.

    # Example
    ```python
    def halve_every_ten(epoch, lr):
        return lr / 2 if epoch and epoch % 10 == 0 else lr

    model.fit(x, y, epochs=30, callbacks=[LearningRateScheduler(halve_every_ten)])
    ```
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        """Asks the schedule for this epoch's learning rate and gives it to the optimizer.

        # Arguments
            epoch: the epoch's index.
            logs: ignored.

        # Raises
            ValueError: if the optimizer has no `lr` or the schedule does not return a float.
        """
        if not hasattr(self.model.optimizer, "lr"):
            raise ValueError('Optimizer must have a "lr" attribute.')
        lr = float(self.model.optimizer.lr)
        if _takes_two_arguments(self.schedule):
            lr = self.schedule(epoch, lr)
        else:
            lr = self.schedule(epoch)
        if not isinstance(lr, (float, np.floating)):
            raise ValueError('The output of the "schedule" function should be float; it '
                             f"returned {lr!r} ({type(lr).__name__}) for epoch {epoch}.")
        self.model.optimizer.lr = lr
        if self.verbose > 0:
            print("\nEpoch %05d: LearningRateScheduler setting learning rate to %s."
                  % (epoch + 1, lr))

    def on_epoch_end(self, epoch, logs=None):
        """Records the epoch's learning rate in the logs as `lr`.

        # Arguments
            epoch: the epoch's index.
            logs: the epoch's loss and metrics; `lr` is added to it.
        """
        if logs is not None:
            logs["lr"] = self.model.optimizer.lr


def _takes_two_arguments(function):
    """Tells whether a schedule is `schedule(epoch, lr)` rather than `schedule(epoch)`."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # some built-in callables have no signature
        return False
    positional = [p for p in signature.parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    takes_varargs = any(p.kind == p.VAR_POSITIONAL for p in signature.parameters.values())
    return len(positional) >= 2 or takes_varargs


class CSVLogger(Callback):
    """Writes the results of each epoch as a row of a CSV file.

    The columns are `epoch` (counted from 0) and then the names in the logs, sorted:
    `epoch,acc,loss,val_acc,val_loss`.

    # Arguments
        filename: the path of the CSV file, such as `"run/log.csv"`.
        separator: the string between fields.
        append: True to add to an existing file (its header is not written again, which
            suits resumed training); False to overwrite it.

    # Example
    ```python
    csv_logger = CSVLogger("training.log")
    model.fit(x, y, callbacks=[csv_logger])
    ```
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename = os.fspath(filename)
        self.sep = separator
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        """Opens the file: for appending, or anew.

        # Arguments
            logs: ignored.
        """
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as existing:
                    self.append_header = not existing.readline()
            mode = "a"
        else:
            mode = "w"
        self.csv_file = open(self.filename, mode, newline="\n")

    def on_epoch_end(self, epoch, logs=None):
        """Writes one row (and, before the first one, the header).

        # Arguments
            epoch: the epoch's index.
            logs: the epoch's loss and metrics.
        """
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
        if self.model.stop_training:
            # Training stopped early: mark missing values so CSV readers do not fail.
            logs = {key: logs.get(key, "NA") for key in self.keys}
        if self.writer is None:
            class Dialect(csv.excel):
                delimiter = self.sep

            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys,
                                         dialect=Dialect)
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _csv_value(logs[key])) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        """Closes the file.

        # Arguments
            logs: ignored.
        """
        self.csv_file.close()
        self.writer = None


def _csv_value(value):
    """Writes an array or a list as `"[1, 2, 3]"`, as Keras does; other values as they are."""
    if isinstance(value, str) or np.ndim(value) == 0:
        return value
    return '"[%s]"' % ", ".join(map(str, value))


class LambdaCallback(Callback):
    """A callback made from functions given to the constructor.

    The functions take positional arguments: `on_epoch_begin` and `on_epoch_end` take
    `(epoch, logs)`, `on_batch_begin` and `on_batch_end` take `(batch, logs)`,
    `on_train_begin` and `on_train_end` take `(logs)`. Hooks not given do nothing.

    # Arguments
        on_epoch_begin: called at the start of every epoch.
        on_epoch_end: called at the end of every epoch.
        on_batch_begin: called before every training batch.
        on_batch_end: called after every training batch.
        on_train_begin: called when training starts.
        on_train_end: called when training ends.
        **kwargs: other attributes to set on the callback, such as other hooks
            (`on_test_begin=...`).

    # Example
    ```python
    print_batch = LambdaCallback(on_batch_begin=lambda batch, logs: print(batch))
    model.fit(x, y, callbacks=[print_batch])
    ```
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None,
                 on_batch_end=None, on_train_begin=None, on_train_end=None, **kwargs):
        super().__init__()
        self.__dict__.update(kwargs)
        self.on_epoch_begin = _or_nothing(on_epoch_begin)
        self.on_epoch_end = _or_nothing(on_epoch_end)
        self.on_batch_begin = _or_nothing(on_batch_begin)
        self.on_batch_end = _or_nothing(on_batch_end)
        self.on_train_begin = _or_nothing(on_train_begin)
        self.on_train_end = _or_nothing(on_train_end)


def _or_nothing(function):
    """Returns `function`, or a function that does nothing if it is None."""
    return function if function is not None else (lambda *args: None)
