"""Planted bugs of exercise 9: each must lose points (`minikeras course verify`)."""

BUGS = [
    {
        "name": "the last, smaller batch is dropped",
        "file": "training.py",
        "old": "for start in range(0, n_samples, batch_size)]",
        "new": "for start in range(0, n_samples - batch_size + 1, batch_size)]",
    },
    {
        "name": "the epoch's loss is the mean of the batch means",
        "file": "training.py",
        "old": "            total_loss += loss * len(indices)\n"
               "            total_correct += accuracy(y[indices], y_pred) * len(indices)\n"
               "        history[\"loss\"].append(total_loss / len(x))\n"
               "        history[\"accuracy\"].append(total_correct / len(x))",
        "new": "            total_loss += loss\n"
               "            total_correct += accuracy(y[indices], y_pred)\n"
               "        n_batches = -(-len(x) // batch_size)\n"
               "        history[\"loss\"].append(total_loss / n_batches)\n"
               "        history[\"accuracy\"].append(total_correct / n_batches)",
    },
    {
        "name": "a new generator at every epoch (the same order every time)",
        "file": "training.py",
        "old": "        for indices in batch_indices(len(x), batch_size, shuffle, rng):",
        "new": "        rng = np.random.default_rng(seed)\n"
               "        for indices in batch_indices(len(x), batch_size, shuffle, rng):",
    },
    {
        "name": "the loss is summed over the batch, not averaged",
        "file": "training.py",
        "old": "        loss = ops.mean(loss_fn(y, y_pred))",
        "new": "        loss = ops.sum(loss_fn(y, y_pred))",
    },
]
