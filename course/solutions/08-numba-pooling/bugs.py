"""Planted bugs of exercise 8: each must lose points (`minikeras course verify`)."""

BUGS = [
    {
        "name": "ties go to the last maximum",
        "file": "pooling.py",
        "old": "                            if x[n, row, col, c] > best:",
        "new": "                            if x[n, row, col, c] >= best:",
    },
    {
        "name": "backward overwrites instead of adding",
        "file": "pooling.py",
        "old": "grad_x[n, cell // width, cell % width, c] += grad_output[n, i, j, c]",
        "new": "grad_x[n, cell // width, cell % width, c] = grad_output[n, i, j, c]",
    },
    {
        "name": "window one row short",
        "file": "pooling.py",
        "old": "                    for row in range(top, top + pool_h):",
        "new": "                    for row in range(top, top + pool_h - 1):",
    },
    {
        "name": "forward kernel not compiled",
        "file": "pooling.py",
        "old": "@njit(cache=True)\ndef _max_pool(",
        "new": "def _max_pool(",
    },
]
