"""Compares two versions of one function in one process: the working tree's and a revision's.

    python scripts/bench_swap.py minikeras.kernels.fast._max_pool_values HEAD~1 --only W2
    python scripts/bench_swap.py minikeras.kernels.fast.adam_update HEAD~1 --only W1 \\
        --modes train --seconds 0.3

The module is imported from the working tree as usual; the same file as it was at the
revision (`git show REVISION:path`) is loaded beside it as a separate module. Each
workload's model of `bench.py` (its `MinikerasRunner`) then trains or predicts for about
`--seconds` with one version of the function, then with the other, `--rounds` times, the
order reversed every other round; between runs the module attribute is set to the
version to time.

Why one process: on a shared machine, two processes of the same code differ by 10 to
20% (`bench_ab.py` can only see changes larger than that), while in one process both
versions meet the same load, the same memory layout and the same BLAS threads. Measured
this way, the max pooling change of 4a5b992 sped W2's prediction up 1.04x to 1.17x in
four runs (the smaller ratios while the whole step ran slow, 25 ms instead of 16); two
runs of `bench_ab.py` had given 1.18x and 0.89x. It has its own noise:
the same code on both sides (`_im2col` against HEAD's, W2 and W3) gave 0.96x to 1.01x,
so read speed-ups within about 5% as no change measured.

The swap reaches only callers that look the name up in the module when they run:
Python functions do, numba functions do not (they bind the functions they call when
they are compiled). So compare the Python function that calls the compiled loop, or a
compiled loop that Python code calls, as `fast._patch_chunks` calls `fast._im2col`.
"""
import argparse
import importlib
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import bench  # noqa: E402 (next to this script)


def load_old_version(module_name, revision, scratch):
    """Imports the file of `module_name` as it was at `revision`, as a module of its own."""
    module = importlib.import_module(module_name)
    path = os.path.relpath(module.__file__, ROOT)
    source = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    copy = os.path.join(scratch, os.path.basename(path))
    with open(copy, "w") as file:
        file.write(source)
    spec = importlib.util.spec_from_file_location(f"{module_name}@{revision}", copy)
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    return module, old


def compare(module, name, versions, workload, mode, rounds, seconds):
    """{label: [ms per batch, one per round]} for each version of `module.name`."""
    runner = bench.MinikerasRunner(workload, seconds)
    run, steps = ((runner.train, runner.train_steps) if mode == "train"
                  else (runner.predict, runner.predict_steps))
    times = {label: [] for label in versions}
    for function in versions.values():  # warm-up: numba loads or compiles
        setattr(module, name, function)
        run(2)
    for index in range(rounds):
        labels = list(versions) if index % 2 == 0 else list(versions)[::-1]
        for label in labels:
            setattr(module, name, versions[label])
            times[label].append(1e3 * run(steps) / steps)
    setattr(module, name, versions["tree"])
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("function", help="module.function, e.g. minikeras.kernels.fast.conv2d")
    parser.add_argument("revision", help="the git revision of the other version")
    parser.add_argument("--only", default="W2", help="workloads of bench.py, comma-separated")
    parser.add_argument("--modes", default="train,predict", help="train, predict or both")
    parser.add_argument("--rounds", type=int, default=12, help="timed runs of each version")
    parser.add_argument("--seconds", type=float, default=0.5,
                        help="about how long each timed run lasts")
    args = parser.parse_args()
    module_name, name = args.function.rsplit(".", 1)
    with tempfile.TemporaryDirectory() as scratch:
        module, old = load_old_version(module_name, args.revision, scratch)
        versions = {"tree": getattr(module, name), args.revision: getattr(old, name)}
        print(f"{args.function}: median ms per batch over {args.rounds} alternating rounds")
        print(f"{'':12}{'tree':>10}{args.revision:>12}  tree's speed-up")
        for workload_name in args.only.split(","):
            for mode in args.modes.split(","):
                times = compare(module, name, versions, bench.WORKLOADS[workload_name], mode,
                                args.rounds, args.seconds)
                new, before = (statistics.median(times[label]) for label in versions)
                print(f"{workload_name} {mode:<8}{new:>10.2f}{before:>12.2f}  "
                      f"{before / new:.2f}x")


if __name__ == "__main__":
    main()
