"""`GradientTape`: records operations and walks them backwards to compute gradients.

Every op in `minikeras.ops` computes its value and then calls `record` with its inputs
and a `backward` function: given the gradient of the output, `backward` returns the
gradient of each input (its vector-Jacobian product). A tape keeps these records in the
order the ops ran, which is already a topological order, so `gradient` only has to walk
the list in reverse. No recursion: a chain of 100,000 ops is fine.

Tapes live on a thread-local stack: two threads recording at once never see each
other's ops, and nested tapes each record what they watch.
"""
import threading
import weakref

import numpy as np

from minikeras.autograd.tensor import Tensor, Variable

_thread_state = threading.local()
# The tapes of every thread whose records may still be read: those entered and not yet
# emptied by `gradient` (a non-persistent tape) or `reset`. Weak: a dropped tape leaves.
_tapes_with_records = weakref.WeakSet()


def _tape_stack():
    stack = getattr(_thread_state, "tapes", None)
    if stack is None:
        stack = _thread_state.tapes = []
    return stack


def is_recording():
    """Tells whether a tape is recording on this thread.

    # Returns
        True inside a `with GradientTape():` block (and outside `stop_recording`).
    """
    return any(tape._recording for tape in _tape_stack())


def saved_arrays_in_use():
    """Tells whether a tape on any thread may still read the arrays its ops saved.

    Ops keep references to their inputs' arrays for their backward pass, so an array
    must not change while a tape holds it. The optimizers update weights in place only
    when this is False (in `fit`, once the step's gradients are computed).

    # Returns
        True while a tape is recording, or a persistent tape keeps its records.
    """
    return len(_tapes_with_records) > 0


def needs_gradient(tensor):
    """Tells whether any recording tape of this thread would want the gradient of a tensor.

    Ops use it to skip work, for instance the input gradient of a first convolution.

    # Arguments
        tensor: a `Tensor` or any other value.

    # Returns
        True if a recording tape watches the tensor.
    """
    return isinstance(tensor, Tensor) and any(
        tape._recording and tape._watches(tensor) for tape in _tape_stack()
    )


def record(value, inputs, backward):
    """Wraps an op's result in a `Tensor` and records the op on every tape watching an input.

    # Arguments
        value: the op's result, a NumPy array.
        inputs: the op's input tensors, a tuple.
        backward: a function taking the gradient of the result and returning a tuple with
            the gradient of each input (or `None` for an input with no gradient).

    # Returns
        The result as a `Tensor`.
    """
    output = Tensor.__new__(Tensor)
    output.value = value
    # Called for every op: the thread's stack is read directly, with no helper call.
    for tape in _thread_state.__dict__.get("tapes", ()):
        if tape._recording and tape._watches_any(inputs):
            tape._records.append((output, inputs, backward))
            tape._watched[id(output)] = output
    return output


class GradientTape:
    """Records operations for automatic differentiation, as TensorFlow's `GradientTape`.

    Inside `with GradientTape() as tape:` every op whose inputs are watched is recorded.
    Trainable `Variable`s are watched as soon as an op uses them; other tensors are
    watched with `tape.watch(x)`. `tape.gradient(target, sources)` then returns the
    gradient of `target` with respect to each source.

    # Arguments
        persistent: if False (the default), `gradient` may be called only once and the
            records are released after it.
        watch_accessed_variables: whether trainable variables are watched automatically.

    # Example
    ```python
    w = Variable([[1.0], [2.0]])
    x = Tensor([[3.0, 4.0]])
    with GradientTape() as tape:
        y = ops.sum((x @ w) ** 2)
    tape.gradient(y, w)  # 2 * 11 * x.T = [[66.], [88.]]
    ```
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._records = []
        self._watched = {}
        self._recording = False
        self._used = False

    def __enter__(self):
        _tape_stack().append(self)
        _tapes_with_records.add(self)
        self._recording = True
        return self

    def __exit__(self, *exc_info):
        self._recording = False
        stack = _tape_stack()
        if self in stack:
            stack.remove(self)
        return False

    def _watches(self, tensor):
        return id(tensor) in self._watched or self._watch_if_variable(tensor)

    def _watch_if_variable(self, tensor):
        """Starts watching a trainable float variable the first time an op uses it."""
        if (self.watch_accessed_variables and isinstance(tensor, Variable) and tensor.trainable
                and _is_float(tensor)):
            self._watched[id(tensor)] = tensor
            return True
        return False

    def _watches_any(self, tensors):
        """Whether the tape watches any of `tensors`.

        Every tensor is looked at, even after a watched one: each trainable variable among
        them must be seen, so that `watched_variables` lists them all.
        """
        found = False
        for tensor in tensors:
            # `_watches`, written out: this runs for every input of every recorded op.
            if id(tensor) in self._watched or self._watch_if_variable(tensor):
                found = True
        return found

    def watch(self, tensor):
        """Makes the tape record ops on a tensor (or a list or tuple of tensors).

        # Arguments
            tensor: a `Tensor`, or a nested list, tuple or dict of them.

        # Raises
            TypeError: if a value is not a `Tensor`.
        """
        for item in _flatten(tensor):
            if not isinstance(item, Tensor):
                raise TypeError(
                    f"GradientTape.watch expects Tensor objects; received {type(item).__name__}. "
                    "Wrap arrays with minikeras.Tensor(...) first."
                )
            self._watched[id(item)] = item

    def watched_variables(self):
        """Returns the variables this tape has watched, in the order it first saw them.

        # Returns
            A tuple of `Variable`s.
        """
        return tuple(t for t in self._watched.values() if isinstance(t, Variable))

    def stop_recording(self):
        """Returns a context manager inside which this tape records nothing.

        # Returns
            A context manager.
        """
        return _Paused(self)

    def reset(self):
        """Forgets everything recorded so far (the tape keeps recording if it is active)."""
        self._records = []
        self._watched = {}
        self._used = False
        if not self._recording:
            _tapes_with_records.discard(self)

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """Computes the gradient of `target` with respect to each of `sources`.

        # Arguments
            target: a `Tensor`, or a list of tensors (their gradients are summed).
            sources: a `Tensor` or a nested list, tuple or dict of tensors.
            output_gradients: the gradient of some loss with respect to `target`; by default
                ones (the gradient of the sum of `target`).
            unconnected_gradients: `"none"` gives `None` for a source that `target` does not
                depend on; `"zero"` gives zeros.

        # Returns
            The gradients, as NumPy arrays, in the structure of `sources`.

        # Raises
            RuntimeError: if a non-persistent tape is asked a second time.
            ValueError: if a source is an integer tensor, which has no gradient.
        """
        if self._used and not self.persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of "
                "gradients. Create it with GradientTape(persistent=True) to call gradient() "
                "several times."
            )
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(
                "unconnected_gradients must be 'none' or 'zero'; "
                f"received {unconnected_gradients!r}."
            )
        flat_sources = _flatten(sources)
        for index, source in enumerate(flat_sources):
            _check_source(source, index)
        grads = self._seed_gradients(target, output_gradients)
        keep = {id(source) for source in flat_sources}
        self._backpropagate(grads, keep)
        self._used = True
        if not self.persistent:
            self._records = []
            _tapes_with_records.discard(self)
        results = []
        for source in flat_sources:
            grad = grads.get(id(source))
            if grad is None and unconnected_gradients == "zero":
                grad = np.zeros_like(source.value)
            results.append(grad)
        return _pack_like(sources, results)

    def _seed_gradients(self, target, output_gradients):
        targets = _flatten(target)
        if output_gradients is None:
            seeds = [None] * len(targets)
        elif isinstance(target, Tensor):
            seeds = [output_gradients]
        else:
            seeds = _flatten(output_gradients)
        if len(seeds) != len(targets):
            raise ValueError(
                f"output_gradients has {len(seeds)} entries but target has {len(targets)}."
            )
        grads = {}
        for tensor, seed in zip(targets, seeds):
            if not isinstance(tensor, Tensor):
                raise TypeError(f"The target must be a Tensor; received {type(tensor).__name__}.")
            seed = np.ones_like(tensor.value) if seed is None else np.asarray(seed, tensor.dtype)
            if seed.shape != tensor.shape:
                raise ValueError(
                    f"output_gradients has shape {seed.shape} but the target has shape "
                    f"{tensor.shape}."
                )
            _accumulate(grads, tensor, seed)
        return grads

    def _backpropagate(self, grads, keep):
        """Walks the records from the last to the first, applying each op's backward."""
        watched = self._watched
        for output, inputs, backward in reversed(self._records):
            # Free each gradient once used, except those the caller asked for.
            key = id(output)
            grad_output = grads.get(key) if key in keep else grads.pop(key, None)
            if grad_output is None:
                continue
            for tensor, grad in zip(inputs, backward(grad_output)):
                if grad is not None and id(tensor) in watched and _is_float(tensor):
                    _accumulate(grads, tensor, grad)


class _Paused:
    """Context manager behind `GradientTape.stop_recording`."""

    def __init__(self, tape):
        self.tape = tape

    def __enter__(self):
        self.was_recording = self.tape._recording
        self.tape._recording = False

    def __exit__(self, *exc_info):
        self.tape._recording = self.was_recording
        return False


def _is_float(tensor):
    return tensor.value.dtype.kind in "fc"


def _check_source(source, index):
    if not isinstance(source, Tensor):
        raise TypeError(
            f"Source {index} of tape.gradient must be a Tensor or Variable; "
            f"received {type(source).__name__}."
        )
    if not _is_float(source):
        raise ValueError(
            f"Source {index} of tape.gradient has dtype {source.dtype.name}: only floating-point "
            "tensors have gradients. Cast it to float first (ops.cast(x, 'float32'))."
        )


def _accumulate(grads, tensor, grad):
    key = id(tensor)
    if grad.shape != tensor.shape:
        grad = np.broadcast_to(grad, tensor.shape)
    previous = grads.get(key)
    grads[key] = grad if previous is None else previous + grad


def _flatten(structure):
    if isinstance(structure, dict):
        return [item for key in structure for item in _flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [item for element in structure for item in _flatten(element)]
    return [structure]


def _pack_like(structure, flat):
    """Rebuilds `structure` (nested lists, tuples, dicts) with the values of `flat` in order."""
    iterator = iter(flat)

    def pack(node):
        if isinstance(node, dict):
            return {key: pack(node[key]) for key in node}
        if isinstance(node, (list, tuple)):
            return type(node)(pack(element) for element in node)
        return next(iterator)

    return pack(structure)


def stop_gradient(x):
    """Returns a tensor with the values of `x` that no tape will differentiate through.

    # Arguments
        x: a `Tensor` or array.

    # Returns
        A new `Tensor` that is not recorded as depending on `x`.
    """
    return Tensor(x.value if isinstance(x, Tensor) else x)
