"""Planted bugs of exercise 4: each must lose points (`minikeras course verify`)."""

BUGS = [
    {
        "name": "softmax without the shift by the maximum",
        "file": "stable.py",
        "old": "    exps = np.exp(logits - np.max(logits, axis=axis, keepdims=True))",
        "new": "    exps = np.exp(logits)",
    },
    {
        "name": "binary cross-entropy as log of the sigmoid",
        "file": "stable.py",
        "old": "    losses = np.maximum(logits, 0) - logits * labels + "
               "np.log1p(np.exp(-np.abs(logits)))",
        "new": "    probabilities = sigmoid(logits)\n"
               "    losses = -labels * np.log(probabilities) - (1 - labels) * "
               "np.log(1 - probabilities)",
    },
    {
        "name": "cross-entropy gradient not divided by the batch",
        "file": "stable.py",
        "old": "    grad = (np.exp(log_probabilities) - one_hot) / batch",
        "new": "    grad = np.exp(log_probabilities) - one_hot",
    },
    {
        "name": "binary cross-entropy gradient with the sign flipped",
        "file": "stable.py",
        "old": "    grad = (sigmoid(logits) - labels) / logits.size",
        "new": "    grad = (labels - sigmoid(logits)) / logits.size",
    },
    {
        "name": "naive sigmoid",
        "file": "stable.py",
        "old": "    exp_minus_abs = np.exp(-np.abs(x))\n"
               "    return np.where(x >= 0, 1.0, exp_minus_abs) / (1.0 + exp_minus_abs)",
        "new": "    return 1.0 / (1.0 + np.exp(-x))",
    },
]
