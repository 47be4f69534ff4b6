"""Convolution and pooling kernels: reference (NumPy) and fast (numba).

Floor 1 of minikeras: functions that take arrays and return arrays, with no autograd and
no classes. Two modules define the same functions with the same signatures and results:

- `minikeras.kernels.reference`: plain NumPy, written to be read.
- `minikeras.kernels.fast`: the same functions compiled with numba.

`minikeras.kernels.geometry` holds the shape arithmetic and argument checks they share.
Nothing here imports numba until `minikeras.kernels.fast` is imported.
"""
