"""Benchmark of whole models, training and inference, side by side with PyTorch (issue 10).

Four workloads, float32, channels-last, synthetic data:

- W1, the case study's MLP: 10 -> Dense 10 relu -> 20 relu -> 10 relu -> 1 sigmoid;
  binary cross-entropy, batch 32 (bound by the cost of each op in Python);
- W2, the case study's CNN: 64x64x1 -> Conv 32 4x4 relu -> MaxPool 2 -> Conv 16 4x4 relu
  -> MaxPool 2 -> Flatten -> Dense 10 relu -> Dense 1 sigmoid; batch 32;
- W3, the cars-vs-trucks CNN: 64x64x3 -> three blocks of [Conv 3x3 'same' relu (32, 64,
  64 filters) -> MaxPool 2] -> Flatten -> Dense 64 relu -> Dense 1 sigmoid; batch 64;
- W4, a wide MLP: 784 -> 512 relu -> 512 relu -> 10 softmax; categorical cross-entropy;
  batch 128 (bound by matrix products).

Training is `model.fit(x, y, batch_size, epochs=1, verbose=0, shuffle=False)` over
batches made in advance (a full step each: forward, loss, backward, Adam update);
inference is `model.predict`. PyTorch runs the same models (NCHW, its usual layout) in
its usual loop: `zero_grad`, forward, loss, `backward`, `step`, `loss.item()`.

minikeras and PyTorch each run in a worker process of their own, with the same number
of threads, and take turns: each round times one minikeras run and one PyTorch run of
about `--seconds` seconds, alternating which goes first. The table gives the median
over the rounds and the ratio minikeras / PyTorch of those medians (above 1: minikeras
is faster). Other processes on the machine slow both sides; the ratio is what to read.
On a busy machine two threads per library wait on each other's cores, PyTorch's OpenMP
threads most of all (W1 fell from about 20,000 to 170 samples/s under a load of 9):
compare with `--threads 1` there.

Then, each in a fresh process: the time of `import minikeras`; the first training step
of W2 (numba's cache warm, and cold: an empty `NUMBA_CACHE_DIR`); and the peak memory
(`ru_maxrss`) of each workload's training. numba imports SciPy, when it is installed, the
first time it runs or loads a function: minikeras does not need SciPy and its install
does not bring it, but where it is installed (scikit-learn brings it) the first step
includes that import, whose time the script then prints too.

The machines set `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE`, which make matrix products
about twice as slow: the script runs itself again without them, for its own processes
only (tests and CI keep them), and prints the OpenBLAS kernel it got.

Usage:

    python scripts/bench.py [--rounds 5] [--seconds 0.5] [--only W1,W2] [--json PATH]
                            [--threads N] [--no-torch] [--no-startup] [--no-memory]
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

_SLOWING_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
_REMOVED = "BENCH_REMOVED_VARIABLES"
if any(name in os.environ for name in _SLOWING_VARIABLES):
    _environment = {k: v for k, v in os.environ.items() if k not in _SLOWING_VARIABLES}
    _environment[_REMOVED] = ", ".join(
        f"{name}={os.environ[name]}" for name in _SLOWING_VARIABLES if name in os.environ)
    os.execve(sys.executable, [sys.executable] + sys.argv, _environment)

import numpy as np  # noqa: E402 (imported after the re-exec on purpose)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

# Layers: ("dense", units, activation), ("conv", filters, size, padding, activation),
# ("pool", size) for max pooling, ("flatten",).
WORKLOADS = {
    "W1": {"title": "case-study MLP", "input": (10,), "batch": 32,
           "loss": "binary_crossentropy",
           "layers": [("dense", 10, "relu"), ("dense", 20, "relu"), ("dense", 10, "relu"),
                      ("dense", 1, "sigmoid")]},
    "W2": {"title": "case-study CNN", "input": (64, 64, 1), "batch": 32,
           "loss": "binary_crossentropy",
           "layers": [("conv", 32, 4, "valid", "relu"), ("pool", 2),
                      ("conv", 16, 4, "valid", "relu"), ("pool", 2), ("flatten",),
                      ("dense", 10, "relu"), ("dense", 1, "sigmoid")]},
    "W3": {"title": "cars-vs-trucks CNN", "input": (64, 64, 3), "batch": 64,
           "loss": "binary_crossentropy",
           "layers": [("conv", 32, 3, "same", "relu"), ("pool", 2),
                      ("conv", 64, 3, "same", "relu"), ("pool", 2),
                      ("conv", 64, 3, "same", "relu"), ("pool", 2), ("flatten",),
                      ("dense", 64, "relu"), ("dense", 1, "sigmoid")]},
    "W4": {"title": "wide MLP", "input": (784,), "batch": 128,
           "loss": "categorical_crossentropy",
           "layers": [("dense", 512, "relu"), ("dense", 512, "relu"),
                      ("dense", 10, "softmax")]},
}


# ---- the workloads: shapes, FLOPs, data -----------------------------------------------------

def layer_shapes(workload):
    """Yields `(layer, input shape, output shape)` (without the batch axis) for each layer."""
    shape = tuple(workload["input"])
    for layer in workload["layers"]:
        kind = layer[0]
        if kind == "dense":
            output = shape[:-1] + (layer[1],)
        elif kind == "conv":
            _, filters, size, padding, _ = layer
            if padding == "same":
                output = (shape[0], shape[1], filters)
            else:
                output = (shape[0] - size + 1, shape[1] - size + 1, filters)
        elif kind == "pool":
            output = (shape[0] // layer[1], shape[1] // layer[1], shape[2])
        else:
            output = (int(np.prod(shape)),)
        yield layer, shape, output
        shape = output


def flops_per_step(workload):
    """FLOPs of one batch's matrix products (Dense and Conv2D), forward and training.

    Forward: `2 * batch * outputs * fan_in` per layer. Training adds the kernel gradient
    (as much again) and the input gradient (as much again, except for the first layer,
    whose input needs none). Activations, pooling, the loss and the optimizer are left
    out: they are a small part of the work.

    # Returns
        `(forward FLOPs, training FLOPs)`.
    """
    forward = training = 0
    first = True
    for layer, shape, output in layer_shapes(workload):
        if layer[0] == "dense":
            work = 2 * workload["batch"] * shape[-1] * layer[1]
        elif layer[0] == "conv":
            size = layer[2]
            work = 2 * workload["batch"] * int(np.prod(output)) * size * size * shape[-1]
        else:
            continue
        forward += work
        training += work * (2 if first else 3)
        first = False
    return forward, training


def make_data(workload, n_batches, seed=0):
    """Random inputs in [0, 1) and random targets (0/1, or one-hot for a softmax output)."""
    rng = np.random.default_rng(seed)
    n = workload["batch"] * n_batches
    x = rng.random((n,) + tuple(workload["input"]), dtype=np.float32)
    units = workload["layers"][-1][1]
    if units == 1:
        y = (rng.random((n, 1)) > 0.5).astype(np.float32)
    else:
        y = np.eye(units, dtype=np.float32)[rng.integers(0, units, n)]
    return x, y


def build_minikeras(workload):
    """The workload as a compiled minikeras functional model (Adam, Keras defaults)."""
    import minikeras
    from minikeras import layers

    inputs = minikeras.Input(shape=workload["input"])
    hidden = inputs
    for layer in workload["layers"]:
        if layer[0] == "dense":
            hidden = layers.Dense(layer[1], activation=layer[2])(hidden)
        elif layer[0] == "conv":
            _, filters, size, padding, activation = layer
            hidden = layers.Conv2D(filters, size, padding=padding,
                                   activation=activation)(hidden)
        elif layer[0] == "pool":
            hidden = layers.MaxPooling2D(layer[1])(hidden)
        else:
            hidden = layers.Flatten()(hidden)
    model = minikeras.Model(inputs, hidden)
    model.compile(optimizer="adam", loss=workload["loss"])
    return model


def build_torch(torch, workload):
    """The workload in PyTorch (NCHW), with its loss function and Adam."""
    nn = torch.nn
    modules = []
    for layer, shape, _ in layer_shapes(workload):
        if layer[0] == "dense":
            modules.append(nn.Linear(shape[-1], layer[1]))
        elif layer[0] == "conv":
            _, filters, size, padding, _ = layer
            modules.append(nn.Conv2d(shape[-1], filters, size, padding=padding))
        elif layer[0] == "pool":
            modules.append(nn.MaxPool2d(layer[1]))
        else:
            modules.append(nn.Flatten())
        activation = layer[-1] if layer[0] in ("dense", "conv") else None
        if activation == "relu":
            modules.append(nn.ReLU())
        elif activation == "sigmoid":
            modules.append(nn.Sigmoid())
    model = nn.Sequential(*modules)
    # A softmax output with categorical cross-entropy is CrossEntropyLoss on the logits.
    loss = nn.BCELoss() if workload["loss"] == "binary_crossentropy" else nn.CrossEntropyLoss()
    return model, loss, torch.optim.Adam(model.parameters(), lr=1e-3)


# ---- the two runners, each in a worker process ------------------------------------------------

def _calibrated_steps(seconds_per_step, seconds, most=2000):
    return int(min(most, max(3, math.ceil(seconds / max(seconds_per_step, 1e-9)))))


class MinikerasRunner:
    """Trains and predicts with one workload in minikeras.

    # Arguments
        workload: an entry of `WORKLOADS`.
        seconds: about how long each timed run should last.
    """

    def __init__(self, workload, seconds):
        self.batch = workload["batch"]
        self.model = build_minikeras(workload)
        self.x, self.y = make_data(workload, 4)
        self.train(2)  # warm-up: numba's kernels load, the optimizer creates its slots
        self.predict(2)
        self.train_steps = _calibrated_steps(self.train(3) / 3, seconds)
        self.predict_steps = _calibrated_steps(self.predict(3) / 3, seconds)
        self.x, self.y = make_data(workload, max(self.train_steps, self.predict_steps))

    def train(self, steps):
        """Trains for `steps` batches; returns the seconds taken."""
        n = steps * self.batch
        start = time.perf_counter()
        self.model.fit(self.x[:n], self.y[:n], batch_size=self.batch, epochs=1, verbose=0,
                       shuffle=False)
        return time.perf_counter() - start

    def predict(self, steps):
        """Predicts `steps` batches; returns the seconds taken."""
        start = time.perf_counter()
        self.model.predict(self.x[:steps * self.batch], batch_size=self.batch)
        return time.perf_counter() - start


class TorchRunner:
    """Trains and predicts with one workload in PyTorch.

    # Arguments
        workload: an entry of `WORKLOADS`.
        seconds: about how long each timed run should last.
    """

    def __init__(self, workload, seconds):
        import torch
        self.torch = torch
        self.workload = workload
        self.batch = workload["batch"]
        self.model, self.loss, self.optimizer = build_torch(torch, workload)
        self._make_batches(4)
        self.train(2)
        self.predict(2)
        self.train_steps = _calibrated_steps(self.train(3) / 3, seconds)
        self.predict_steps = _calibrated_steps(self.predict(3) / 3, seconds)
        self._make_batches(max(self.train_steps, self.predict_steps))

    def _make_batches(self, n_batches):
        x, y = make_data(self.workload, n_batches)
        if x.ndim == 4:
            x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))  # NCHW, PyTorch's layout
        x, y = self.torch.from_numpy(x), self.torch.from_numpy(y)
        size = self.workload["batch"]
        self.batches = [(x[i:i + size], y[i:i + size]) for i in range(0, len(x), size)]

    def train(self, steps):
        """Trains for `steps` batches; returns the seconds taken."""
        start = time.perf_counter()
        for x, y in self.batches[:steps]:
            self.optimizer.zero_grad()
            loss = self.loss(self.model(x), y)
            loss.backward()
            self.optimizer.step()
            loss.item()
        return time.perf_counter() - start

    def predict(self, steps):
        """Predicts `steps` batches; returns the seconds taken."""
        start = time.perf_counter()
        with self.torch.inference_mode():
            outputs = [self.model(x) for x, _ in self.batches[:steps]]
            self.torch.cat(outputs).numpy()
        return time.perf_counter() - start


def blas_description():
    """Names NumPy's BLAS, its kernel (the CPU type OpenBLAS chose) and its threads."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed: BLAS kernel unknown"
    pools = [pool for pool in threadpool_info() if pool.get("user_api") == "blas"]
    return "; ".join(f"{pool.get('internal_api')} {pool.get('version')}, kernel "
                     f"{pool.get('architecture')}, {pool.get('num_threads')} threads"
                     for pool in pools) or "no BLAS found by threadpoolctl"


def matmul_gflops(size=1024, repeats=5):
    """float32 matrix product speed with NumPy, in GFLOP/s (the median of `repeats`)."""
    a = np.random.default_rng(0).standard_normal((size, size), dtype=np.float32)
    a @ a
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        a @ a
        times.append(time.perf_counter() - start)
    return 2 * size ** 3 / float(np.median(times)) / 1e9


def set_threads(library, threads):
    """Gives BLAS (and numba, or PyTorch) `threads` threads in this process."""
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(threads)
    except ImportError:
        pass
    if library == "torch":
        import torch
        torch.set_num_threads(threads)
    else:
        # minikeras's kernels first, as in a program that imports the library before numba
        # starts its threads (fast.py sets how those threads wait).
        from minikeras import backend
        backend.kernels()
        import numba
        numba.set_num_threads(threads)


def worker(library, threads):
    """Answers requests, one JSON object per line on stdin, with one JSON line each."""
    set_threads(library, threads)
    runner_class = TorchRunner if library == "torch" else MinikerasRunner
    runners = {}
    for line in sys.stdin:
        request = json.loads(line)
        command = request["command"]
        if command == "info":
            if library == "torch":
                import torch
                answer = {"version": torch.__version__, "threads": torch.get_num_threads()}
            else:
                import numba

                import minikeras
                answer = {"version": minikeras.__version__, "numpy": np.__version__,
                          "numba": numba.__version__, "blas": blas_description(),
                          "backend": minikeras.backend.backend()}
        elif command == "setup":
            name = request["workload"]
            runners[name] = runner_class(WORKLOADS[name], request["seconds"])
            answer = {"train_steps": runners[name].train_steps,
                      "predict_steps": runners[name].predict_steps}
        elif command in ("train", "predict"):
            runner = runners[request["workload"]]
            steps = runner.train_steps if command == "train" else runner.predict_steps
            seconds = getattr(runner, command)(steps)
            answer = {"samples_per_second": steps * runner.batch / seconds}
        elif command == "drop":
            runners.pop(request["workload"], None)
            answer = {}
        elif command == "matmul":
            answer = {"gflops": matmul_gflops()}
        else:
            answer = {"error": f"unknown command {command!r}"}
        print(json.dumps(answer), flush=True)


class Worker:
    """A worker process running one library, driven over pipes.

    # Arguments
        library: `"minikeras"` or `"torch"`.
        threads: the thread count it uses.
    """

    def __init__(self, library, threads):
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--worker", library,
             "--threads", str(threads)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, command, **arguments):
        """Sends one request and returns the answer, a dict."""
        self.process.stdin.write(json.dumps(dict(arguments, command=command)) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the worker stopped while answering {command!r}")
        return json.loads(line)

    def close(self):
        """Ends the worker."""
        self.process.stdin.close()
        self.process.wait()


def torch_available():
    """Whether PyTorch can be imported (checked in a child, not to load it here)."""
    return subprocess.run([sys.executable, "-c", "import torch"], capture_output=True
                          ).returncode == 0


# ---- fresh-process measurements ----------------------------------------------------------------

_IMPORT_TIME = """
import time
start = time.perf_counter()
import minikeras
print(time.perf_counter() - start)
"""

_FIRST_STEP = """
import sys, time
sys.path.insert(0, {root!r})
start = time.perf_counter()
import minikeras
import scripts.bench as bench
imported = time.perf_counter()
workload = bench.WORKLOADS["W2"]
model = bench.build_minikeras(workload)
x, y = bench.make_data(workload, 2)
built = time.perf_counter()
model.train_on_batch(x[:32], y[:32])
first = time.perf_counter()
model.train_on_batch(x[32:], y[32:])
second = time.perf_counter()
print(imported - start, built - imported, first - built, second - first)
"""

_SCIPY_IMPORT_TIME = """
import importlib.util, time
start = time.perf_counter()
if importlib.util.find_spec("scipy") is not None:
    import scipy.linalg  # what numba imports, when it can, to find BLAS
    print(time.perf_counter() - start)
else:
    print(0.0)
"""

_PEAK_MEMORY = """
import resource, sys
sys.path.insert(0, {root!r})
import scripts.bench as bench
bench.set_threads({library!r}, {threads})
runner_class = bench.TorchRunner if {library!r} == "torch" else bench.MinikerasRunner
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
runner = runner_class(bench.WORKLOADS[{workload!r}], 0.0)
runner.train(3)
print(before / 1024, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def run_python(code, environment=None):
    """Runs Python code in a fresh process; returns its last line of output, split."""
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=environment, cwd=ROOT)
    if process.returncode != 0:
        raise RuntimeError(f"a child process failed:\n{process.stderr}")
    return [float(value) for value in process.stdout.split("\n")[-2].split()]


def measure_startup(runs):
    """Import time and the first training step of W2, each in fresh processes."""
    imports = [run_python(_IMPORT_TIME)[0] for _ in range(runs)]
    first_step = _FIRST_STEP.format(root=ROOT)
    run_python(first_step)  # fills numba's cache if it was empty
    warm = [run_python(first_step) for _ in range(runs)]
    with tempfile.TemporaryDirectory() as cache:
        cold = run_python(first_step, dict(os.environ, NUMBA_CACHE_DIR=cache))
    labels = ("import", "build", "first_step", "second_step")
    return {
        "import_seconds": float(np.median(imports)),
        "scipy_import_seconds": float(np.median(
            [run_python(_SCIPY_IMPORT_TIME)[0] for _ in range(runs)])),
        "w2_warm": {label: float(np.median([run[i] for run in warm]))
                    for i, label in enumerate(labels)},
        "w2_cold": dict(zip(labels, cold)),
    }


def measure_memory(names, libraries, threads):
    """Peak resident memory (MB) while training each workload, one process each."""
    results = {}
    for name in names:
        for library in libraries:
            code = _PEAK_MEMORY.format(root=ROOT, library=library, threads=threads,
                                       workload=name)
            before, peak = run_python(code)
            results.setdefault(name, {})[library] = {"before_mb": before, "peak_mb": peak}
    return results


# ---- the comparison ----------------------------------------------------------------------------

def compare(names, workers, rounds, seconds):
    """Times every workload on every worker, interleaved; returns per-workload medians."""
    results = {}
    for name in names:
        for worker_process in workers.values():
            worker_process.ask("setup", workload=name, seconds=seconds)
        matmul = workers["minikeras"].ask("matmul")["gflops"]
        samples = {library: {"train": [], "predict": []} for library in workers}
        for round_index in range(rounds):
            order = list(workers) if round_index % 2 == 0 else list(workers)[::-1]
            for mode in ("train", "predict"):
                for library in order:
                    answer = workers[library].ask(mode, workload=name)
                    samples[library][mode].append(answer["samples_per_second"])
        for worker_process in workers.values():
            worker_process.ask("drop", workload=name)
        forward, training = flops_per_step(WORKLOADS[name])
        batch = WORKLOADS[name]["batch"]
        entry = {"matmul_gflops": matmul, "flops_forward": forward, "flops_train": training}
        for library, modes in samples.items():
            train = float(np.median(modes["train"]))
            predict = float(np.median(modes["predict"]))
            entry[library] = {
                "train_samples_per_second": train, "predict_samples_per_second": predict,
                "train_gflops": training * train / batch / 1e9,
                "predict_gflops": forward * predict / batch / 1e9,
                "rounds": modes}
        if "torch" in samples:
            entry["train_ratio"] = (entry["minikeras"]["train_samples_per_second"]
                                    / entry["torch"]["train_samples_per_second"])
            entry["predict_ratio"] = (entry["minikeras"]["predict_samples_per_second"]
                                      / entry["torch"]["predict_samples_per_second"])
        results[name] = entry
        print_row(name, entry)
    return results


def print_header():
    print(f"{'':4} {'':19} {'MFLOP':>6} | {'training samples/s':^28} | "
          f"{'inference samples/s':^28} | {'GFLOP/s train':^13} | {'matmul':>6}")
    print(f"{'':4} {'workload':19} {'/step':>6} | {'minikeras':>9} {'PyTorch':>9} "
          f"{'ratio':>8} | {'minikeras':>9} {'PyTorch':>9} {'ratio':>8} | "
          f"{'mk':>6} {'torch':>6} | {'GFLOP/s':>6}")


def print_row(name, entry):
    mine, theirs = entry["minikeras"], entry.get("torch")

    def cell(result, key, width=9):
        return f"{result[key]:{width},.0f}" if result else f"{'-':>{width}}"

    def ratio(key):
        return f"{entry[key]:7.2f}x" if key in entry else f"{'-':>8}"

    def gflops(result):
        return f"{result['train_gflops']:6.1f}" if result else f"{'-':>6}"

    print(f"{name:4} {WORKLOADS[name]['title']:19} {entry['flops_train'] / 1e6:6.1f} | "
          f"{cell(mine, 'train_samples_per_second')} {cell(theirs, 'train_samples_per_second')}"
          f" {ratio('train_ratio')} | {cell(mine, 'predict_samples_per_second')} "
          f"{cell(theirs, 'predict_samples_per_second')} {ratio('predict_ratio')} | "
          f"{gflops(mine)} {gflops(theirs)} | {entry['matmul_gflops']:6.0f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per workload")
    parser.add_argument("--seconds", type=float, default=0.5,
                        help="about how long each timed run lasts")
    parser.add_argument("--only", default="W1,W2,W3,W4", help="workloads, comma-separated")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="threads for BLAS, numba and PyTorch alike")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--no-torch", action="store_true", help="do not run PyTorch")
    parser.add_argument("--no-startup", action="store_true",
                        help="skip the import and first-step measurements")
    parser.add_argument("--no-memory", action="store_true",
                        help="skip the peak-memory measurements")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.threads)
        return
    names = [name.strip().upper() for name in args.only.split(",") if name.strip()]
    workers = {"minikeras": Worker("minikeras", args.threads)}
    if not args.no_torch and torch_available():
        workers["torch"] = Worker("torch", args.threads)
    info = {library: worker_process.ask("info") for library, worker_process in workers.items()}
    removed = os.environ.get(_REMOVED)
    mine = info["minikeras"]
    print(f"minikeras {mine['version']} (kernels: {mine['backend']}), NumPy {mine['numpy']}, "
          f"numba {mine['numba']}; {args.threads} threads")
    print(f"BLAS: {mine['blas']}" + (f" (ran again without {removed})" if removed else ""))
    print("PyTorch: " + (info["torch"]["version"] + f", {info['torch']['threads']} threads"
                         if "torch" in info else "not run"))
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"{args.rounds} rounds of about {args.seconds} s per library and mode\n")
    print_header()
    results = {"info": info, "threads": args.threads, "removed_variables": removed,
               "load_average_start": os.getloadavg()[0], "rounds": args.rounds,
               "workloads": compare(names, workers, args.rounds, args.seconds)}
    for worker_process in workers.values():
        worker_process.close()
    if not args.no_startup:
        startup = measure_startup(runs=3)
        results["startup"] = startup
        warm, cold = startup["w2_warm"], startup["w2_cold"]
        print(f"\nimport minikeras: {startup['import_seconds']:.2f} s (fresh process, median)")
        print(f"W2 first training step in a fresh process: {warm['first_step']:.2f} s with "
              f"numba's cache warm, {cold['first_step']:.2f} s cold (then "
              f"{warm['second_step'] * 1e3:.0f} ms for the second)")
        if startup["scipy_import_seconds"]:
            print(f"  of which numba importing SciPy, installed here: "
                  f"{startup['scipy_import_seconds']:.2f} s (minikeras's own install has no "
                  f"SciPy)")
    if not args.no_memory:
        memory = measure_memory(names, list(workers), args.threads)
        results["memory"] = memory
        print("\npeak memory of training (ru_maxrss; before training in parentheses):")
        for name, by_library in memory.items():
            print(f"  {name}: " + ", ".join(
                f"{library} {value['peak_mb']:.0f} MB ({value['before_mb']:.0f})"
                for library, value in by_library.items()))
    results["load_average_end"] = os.getloadavg()[0]
    print(f"\nload average at end: {results['load_average_end']:.1f}")
    if args.json:
        with open(args.json, "w") as file:
            json.dump(results, file, indent=2)


if __name__ == "__main__":
    main()
