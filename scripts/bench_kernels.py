"""Benchmark of the convolution and pooling kernels: reference, fast and (if present) PyTorch.

Times, as the median of several runs, the forward and backward passes of the
convolution and max-pooling layers of two small CNNs:

- the case study's: input 64x64x1, Conv2D 32 filters 4x4 'valid', MaxPooling 2x2,
  Conv2D 16 filters 4x4 'valid', batch 32;
- a 64x64x3 CNN: Conv2D 32 filters 3x3 'same', MaxPooling 2x2, Conv2D 64 filters 3x3
  'same', MaxPooling 2x2, batch 64.

A convolution's backward pass is both its input and kernel gradients. Next to the
kernels the script measures float32 matrix products in the same run, as a yardstick of
what the machine can do, and, for each convolution, the three matrix products that the
reference's im2col makes (patches times kernel, and the two of the backward pass): both
backends run products of that size in the same BLAS, so reference time / products time
bounds how much faster than the reference `fast.py` can be. When `torch` is importable
it times `torch.nn.functional`'s `conv2d` and `max_pool2d` (NCHW, same shapes, same
thread count) and prints the ratio.

Usage:

    python scripts/bench_kernels.py [--repeats 7] [--json results.json]

The machine sets `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE`, which slow NumPy's
matrix products; the script runs itself again without them (for its own process only).
"""
import argparse
import json
import os
import sys
import time

_SLOWING_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
_REMOVED = "BENCH_KERNELS_REMOVED"
if any(name in os.environ for name in _SLOWING_VARIABLES):
    _environment = {k: v for k, v in os.environ.items() if k not in _SLOWING_VARIABLES}
    _environment[_REMOVED] = ", ".join(
        f"{name}={os.environ[name]}" for name in _SLOWING_VARIABLES if name in os.environ)
    os.execve(sys.executable, [sys.executable] + sys.argv, _environment)

import numpy as np  # noqa: E402 (imported after the re-exec on purpose)

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from minikeras.kernels import fast, reference  # noqa: E402

CASE_STUDY = [
    ("conv", (32, 64, 64, 1), (4, 4, 1, 32), "valid"),
    ("pool", (32, 61, 61, 32), 2, "valid"),
    ("conv", (32, 30, 30, 32), (4, 4, 32, 16), "valid"),
]
CNN_64X64X3 = [
    ("conv", (64, 64, 64, 3), (3, 3, 3, 32), "same"),
    ("pool", (64, 64, 64, 32), 2, "valid"),
    ("conv", (64, 32, 32, 32), (3, 3, 32, 64), "same"),
    ("pool", (64, 32, 32, 64), 2, "valid"),
]
NETWORKS = {"case study (batch 32)": CASE_STUDY, "64x64x3 CNN (batch 64)": CNN_64X64X3}


def median_seconds(function, repeats):
    """Runs `function` once to warm up, then `repeats` times; returns the median time."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def matmul_gflops(repeats, size=2048):
    """Measures float32 matrix product speed, in GFLOP/s."""
    a = np.random.default_rng(0).standard_normal((size, size), dtype=np.float32)
    return 2 * size**3 / median_seconds(lambda: a @ a, repeats) / 1e9


def conv_flops(x_shape, kernel_shape, padding):
    """Multiply-adds times two of one forward convolution."""
    output = fast.conv2d(np.zeros((1,) + x_shape[1:], np.float32),
                         np.zeros(kernel_shape, np.float32), padding=padding)
    return 2 * x_shape[0] * output[0, ..., 0].size * int(np.prod(kernel_shape))


def numpy_passes(kernels, layer, rng):
    """Returns `(forward, backward)` closures for one layer on one kernel module."""
    kind, x_shape, size, padding = layer
    x = rng.standard_normal(x_shape, dtype=np.float32)
    if kind == "conv":
        kernel = rng.standard_normal(size, dtype=np.float32) * 0.1
        grad = rng.standard_normal(fast.conv2d(x, kernel, padding=padding).shape,
                                   dtype=np.float32)

        def backward():
            kernels.conv2d_backward_input(grad, kernel, x.shape, (1, 1), padding)
            kernels.conv2d_backward_kernel(grad, x, kernel.shape, (1, 1), padding)
        return (lambda: kernels.conv2d(x, kernel, padding=padding)), backward
    y, argmax = fast.max_pool2d(x, size, padding=padding)
    grad = rng.standard_normal(y.shape, dtype=np.float32)
    return (lambda: kernels.max_pool2d(x, size, padding=padding),
            lambda: kernels.max_pool2d_backward(grad, argmax, x.shape))


def product_passes(layer, rng):
    """Returns `(forward, backward)` closures running only the matrix products of a
    convolution's im2col: `patches @ kernel`, then `grad @ kernel.T` and
    `patches.T @ grad`."""
    _, x_shape, size, padding = layer
    output = fast.conv2d(np.zeros((1,) + x_shape[1:], np.float32),
                         np.zeros(size, np.float32), padding=padding)
    rows, patch_length = x_shape[0] * output[0, ..., 0].size, int(np.prod(size[:3]))
    patches = rng.standard_normal((rows, patch_length), dtype=np.float32)
    kernel = rng.standard_normal((patch_length, size[3]), dtype=np.float32)
    grad = rng.standard_normal((rows, size[3]), dtype=np.float32)

    def backward():
        return grad @ kernel.T, patches.T @ grad
    return (lambda: patches @ kernel), backward


def torch_passes(torch, layer, rng):
    """Returns `(forward, backward)` closures for one layer in PyTorch (NCHW)."""
    kind, x_shape, size, padding = layer
    functional = torch.nn.functional
    x = torch.from_numpy(rng.standard_normal(x_shape, dtype=np.float32)).permute(0, 3, 1, 2)
    x = x.contiguous()
    if kind == "conv":
        weight = torch.from_numpy(rng.standard_normal(size, dtype=np.float32))
        weight = weight.permute(3, 2, 0, 1).contiguous()
        pad = (size[0] - 1) // 2 if padding == "same" else 0
        grad = torch.randn_like(functional.conv2d(x, weight, padding=pad))

        def backward():
            torch.ops.aten.convolution_backward(
                grad, x, weight, None, [1, 1], [pad, pad], [1, 1], False, [0, 0], 1,
                [True, True, False])
        return (lambda: functional.conv2d(x, weight, padding=pad)), backward
    y, indices = functional.max_pool2d(x, size, return_indices=True)
    grad = torch.randn_like(y)
    return (lambda: functional.max_pool2d(x, size),
            lambda: torch.ops.aten.max_pool2d_with_indices_backward(
                grad, x, [size, size], [size, size], [0, 0], [1, 1], False, indices))


def load_torch(threads):
    """Returns the `torch` module set to `threads` threads, or None if not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    return torch


def describe_blas():
    """Returns a line naming NumPy's BLAS and the kernel it runs, via threadpoolctl."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed: BLAS kernel unknown"
    pools = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
    return "; ".join(f"{pool.get('internal_api')} {pool.get('version')}, kernel "
                     f"{pool.get('architecture')}, {pool.get('num_threads')} threads"
                     for pool in pools) or "no BLAS found by threadpoolctl"


def time_layer(layer, repeats, torch, with_reference):
    """Times one layer's forward and backward passes on every backend."""
    timings = {}
    backends = [("fast", fast, repeats)]
    if with_reference:
        backends.insert(0, ("reference", reference, max(1, repeats // 3)))
    for name, kernels, runs in backends:
        forward, backward = numpy_passes(kernels, layer, np.random.default_rng(0))
        timings[name] = (median_seconds(forward, runs), median_seconds(backward, runs))
    if torch is not None:
        forward, backward = torch_passes(torch, layer, np.random.default_rng(0))
        timings["torch"] = (median_seconds(forward, repeats),
                            median_seconds(backward, repeats))
    if layer[0] == "conv":
        forward, backward = product_passes(layer, np.random.default_rng(0))
        timings["products"] = (median_seconds(forward, repeats),
                               median_seconds(backward, repeats))
    return timings


def layer_label(layer):
    kind, x_shape, size, padding = layer
    if kind == "conv":
        return f"conv {size[0]}x{size[1]} {size[2]}->{size[3]} {padding} on {x_shape}"
    return f"maxpool {size}x{size} on {x_shape}"


def print_rows(network, layer, timings, flops):
    columns = ["reference", "fast", "torch"]
    for direction, index in (("forward", 0), ("backward", 1)):
        times = {name: timings[name][index] for name in columns if name in timings}
        cells = [f"{times[name] * 1e3:9.2f}" if name in times else f"{'-':>9}"
                 for name in columns]
        work = flops * (1 if index == 0 else 2) if flops else None
        gflops = f"{work / times['fast'] / 1e9:7.1f}" if work else f"{'-':>7}"
        vs_torch = f"{times['fast'] / times['torch']:6.2f}" if "torch" in times else \
            f"{'-':>6}"
        speedup = f"{times['reference'] / times['fast']:8.1f}" if "reference" in times else \
            f"{'-':>8}"
        print(f"  {layer_label(layer):44s} {direction:8s} {' '.join(cells)} {gflops} "
              f"{vs_torch} {speedup}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per pass")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the (slow) NumPy reference kernels")
    args = parser.parse_args()
    threads = os.cpu_count()
    torch = load_torch(threads)
    removed = os.environ.get(_REMOVED)
    print(f"NumPy {np.__version__}; BLAS: {describe_blas()}"
          + (f" (ran again without {removed})" if removed else ""))
    print(f"PyTorch: {torch.__version__ + f', {threads} threads' if torch else 'not installed'}")
    matmul = matmul_gflops(args.repeats)
    print(f"float32 matmul 2048x2048: {matmul:.1f} GFLOP/s")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {threads} cores "
          f"(other processes slow every column down)\n")
    results = {"matmul_gflops": matmul, "networks": {}}
    print(f"  {'layer':44s} {'pass':8s} {'ref ms':>9} {'fast ms':>9} {'torch ms':>9} "
          f"{'GFLOP/s':>7} {'/torch':>6} {'ref/fast':>8}")
    for network, layers in NETWORKS.items():
        print(network)
        rows = []
        for layer in layers:
            flops = conv_flops(layer[1], layer[2], layer[3]) if layer[0] == "conv" else None
            timings = time_layer(layer, args.repeats, torch, not args.no_reference)
            print_rows(network, layer, timings, flops)
            rows.append({"layer": layer_label(layer), "flops_forward": flops,
                         "seconds": {name: {"forward": forward, "backward": backward}
                                     for name, (forward, backward) in timings.items()}})
        results["networks"][network] = rows
        print_conv_summary(rows)
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")
    results["load_average"] = os.getloadavg()[0]
    if args.json:
        with open(args.json, "w") as file:
            json.dump(results, file, indent=2)


def print_conv_summary(rows):
    """Prints the total time of the convolutions' forward and backward passes."""
    convs = [row["seconds"] for row in rows if row["layer"].startswith("conv")]
    totals = {name: sum(sum(conv[name].values()) for conv in convs) for name in convs[0]}
    line = ", ".join(f"{name} {seconds * 1e3:.1f} ms" for name, seconds in totals.items())
    ratios = [f"{name}/fast {totals[name] / totals['fast']:.2f}"
              for name in ("reference", "torch") if name in totals]
    print(f"  conv forward+backward total: {line}; {', '.join(ratios)}")
    if "reference" in totals:
        print(f"  the reference's matrix products alone take {totals['products'] * 1e3:.1f} ms:"
              f" a kernel that ran only them would be "
              f"{totals['reference'] / totals['products']:.2f}x faster than the reference")


if __name__ == "__main__":
    main()
