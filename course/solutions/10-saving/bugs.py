"""Planted bugs of exercise 10: each must lose points (`minikeras course verify`)."""

BUGS = [
    {
        "name": "Keras 2's bug: reshape before consulting skip_mismatch",
        "file": "saving.py",
        "old": """\
        # First ask whether the weights fit; only then decide to skip or to raise.
""",
        "new": """\
        if any(a.size != int(np.prod(w.shape)) for w, a in zip(layer.weights, arrays)):
            raise ValueError("Weights must be of equal size to apply a reshape operation.")
""",
    },
    {
        "name": "by_name ignored: layers matched by order",
        "file": "saving.py",
        "old": "    if by_name:\n        saved_by_name = dict(saved)",
        "new": "    if False:\n        saved_by_name = dict(saved)",
    },
    {
        "name": "weights assigned while checking (a half-loaded model on error)",
        "file": "saving.py",
        "old": """\
        plan += zip(layer.weights, arrays)
    for variable, array in plan:
        variable.assign(array)""",
        "new": """\
        for variable, array in zip(layer.weights, arrays):
            variable.assign(array)""",
    },
    {
        "name": "no :0 suffix on the weight names",
        "file": "saving.py",
        "old": """\
    return variable.name if variable.name.endswith(":0") else f"{variable.name}:0\"""",
        "new": """\
    return variable.name""",
    },
]
