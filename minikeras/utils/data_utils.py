"""`Sequence`: a data set that hands out whole batches by index, for `fit` and `predict`."""


class Sequence:
    """Base class of data sets that give their batches by index.

    A subclass implements `__getitem__` (the batch at an index, as `(x, y)`,
    `(x, y, sample_weight)`, or `x` alone for `predict`) and `__len__` (the number of
    batches). It may implement `on_epoch_end`, which `fit` calls after each epoch, to
    shuffle or change the data between epochs.

    Unlike a generator, a Sequence knows its length and can be read in any order, so
    `fit` needs no `steps_per_epoch`, sees each batch exactly once per epoch, and can
    shuffle the order of the batches (`shuffle=True`).

    # Example
    ```python
    import math
    import numpy as np
    from minikeras.utils import Sequence

    class BatchedArrays(Sequence):
        def __init__(self, x, y, batch_size):
            self.x, self.y, self.batch_size = x, y, batch_size

        def __len__(self):
            return math.ceil(len(self.x) / self.batch_size)

        def __getitem__(self, index):
            batch = slice(index * self.batch_size, (index + 1) * self.batch_size)
            return self.x[batch], self.y[batch]

    model.fit(BatchedArrays(x_train, y_train, batch_size=32), epochs=10)
    ```
    """

    use_sequence_api = True

    def __getitem__(self, index):
        """Returns one complete batch.

        # Arguments
            index: the position of the batch, from 0 to `len(self) - 1`.

        # Returns
            A batch: `(x, y)`, `(x, y, sample_weight)`, or the inputs alone.

        # Raises
            NotImplementedError: until a subclass defines it.
        """
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(self, "
                                  "index), returning the batch at that index.")

    def __len__(self):
        """Returns the number of batches in the Sequence.

        # Returns
            An int: the number of batches in one epoch.

        # Raises
            NotImplementedError: until a subclass defines it.
        """
        raise NotImplementedError(f"{type(self).__name__} must define __len__(self), "
                                  "returning the number of batches.")

    def on_epoch_end(self):
        """Called by `fit` after each epoch; does nothing unless overridden."""

    def __iter__(self):
        """Yields the batches in order, from the first to the last.

        # Returns
            A generator of batches.
        """
        for index in range(len(self)):
            yield self[index]
