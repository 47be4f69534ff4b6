"""`Progbar`: Keras's progress bar, redrawn in place on a terminal or in a notebook."""
import sys
import time


def _dynamic_display():
    """Whether the output can be redrawn in place: a terminal or a Jupyter kernel."""
    return (hasattr(sys.stdout, "isatty") and sys.stdout.isatty()) or "ipykernel" in sys.modules


def format_duration(seconds):
    """Formats an ETA as Keras does: `1:02:03`, `2:03` or `3s`.

    # Arguments
        seconds: a duration.

    # Returns
        A string.
    """
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


def format_time_per_unit(seconds, unit="step"):
    """Formats the time per step as Keras does: `2s/step`, `15ms/step`, `80us/step`.

    # Arguments
        seconds: the time per unit.
        unit: `"step"` or `"sample"`.

    # Returns
        A string.
    """
    if seconds >= 1:
        return " %.0fs/%s" % (seconds, unit)
    if seconds >= 1e-3:
        return " %.0fms/%s" % (seconds * 1e3, unit)
    return " %.0fus/%s" % (seconds * 1e6, unit)


class Progbar:
    """Displays a progress bar in Keras's format.

    With `verbose=1` the bar is redrawn as work advances, and its last form gives the
    time taken and the time per step:

    ` 32/100 [========>.....................] - ETA: 0s - loss: 0.6931 - acc: 0.5000`
    `100/100 [==============================] - 0s 45us/step - loss: 0.6931 - acc: 0.5000`

    With `verbose=2` only one line is printed, when the target is reached:
    ` - 0s - loss: 0.6931 - acc: 0.5000`. On a terminal or in a notebook the bar is
    redrawn in place; elsewhere (a log file, a pipe) each update is a line of its own.

    # Arguments
        target: the total number of steps (or samples) expected; None if unknown.
        width: the width of the bar, in characters.
        verbose: 1 draws the bar, 2 prints one line when the target is reached, 0 nothing.
        interval: the least time between two redraws, in seconds.
        stateful_metrics: names of values shown as given; others are averaged over time.
        unit_name: the unit in the time-per-unit field (`"step"` or `"sample"`).
    """

    def __init__(self, target, width=30, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step"):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.stateful_metrics = set(stateful_metrics or ())
        self.unit_name = unit_name
        self._dynamic = _dynamic_display()
        self._totals = {}
        self._order = []
        self._seen_so_far = 0
        self._start = time.time()
        self._last_update = 0.0
        self._previous_width = 0

    def update(self, current, values=None, finalize=None):
        """Moves the bar to `current` and shows the given values.

        # Arguments
            current: the index of the current step (or the samples seen).
            values: a list of `(name, value)` pairs.
            finalize: whether this is the last update; by default when `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or []:
            if name not in self._order:
                self._order.append(name)
            if name in self.stateful_metrics:
                self._totals[name] = [value, 1]
            else:
                step = max(current - self._seen_so_far, 1)
                total = self._totals.setdefault(name, [0.0, 0])
                total[0] += value * step
                total[1] += step
        self._seen_so_far = current
        now = time.time()
        if self.verbose == 1:
            in_progress = self.target is not None and not finalize
            if in_progress and now - self._last_update < self.interval:
                return
            self._write(self._bar(current) + self._info(current, now, finalize), finalize)
        elif self.verbose == 2 and (finalize or self.target is None):
            # Keras 2's one line per epoch: the elapsed time, then the values.
            self._write(" - %.0fs" % (now - self._start) + self._values_text(), True)
        self._last_update = now

    def add(self, n, values=None):
        """Advances the bar by `n`.

        # Arguments
            n: how many steps (or samples) to add.
            values: a list of `(name, value)` pairs.
        """
        self.update(self._seen_so_far + n, values)

    def _bar(self, current):
        if self.target is None:
            return "%7d/Unknown" % current
        digits = len(str(self.target))
        text = ("%" + str(digits) + "d/%d [") % (current, self.target)
        done = int(self.width * min(current / max(self.target, 1), 1.0))
        if done > 0:
            text += "=" * (done - 1) + (">" if current < self.target else "=")
        return text + "." * (self.width - done) + "]"

    def _info(self, current, now, finalize):
        """The text after the bar: the ETA while running, then the time taken per unit."""
        elapsed = now - self._start
        time_per_unit = elapsed / current if current else 0.0
        if self.target is not None and not finalize:
            remaining = (self.target - current) * time_per_unit
            info = " - ETA: " + format_duration(remaining)
        else:
            info = " - %.0fs" % elapsed + format_time_per_unit(time_per_unit, self.unit_name)
        return info + self._values_text()

    def _values_text(self):
        """The values as ` - loss: 0.6931 - acc: 0.5000`; tiny ones in scientific notation."""
        text = ""
        for name in self._order:
            value_sum, count = self._totals[name]
            average = value_sum / max(count, 1)
            text += " - %s: %s" % (name, ("%.4f" if abs(average) > 1e-3 else "%.4e") % average)
        return text

    def _write(self, line, finalize):
        if self._dynamic:
            padding = " " * max(self._previous_width - len(line), 0)
            sys.stdout.write("\r" + line + padding + ("\n" if finalize else ""))
        else:
            sys.stdout.write(line + "\n")
        self._previous_width = len(line)
        sys.stdout.flush()
