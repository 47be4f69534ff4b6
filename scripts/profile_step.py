"""Profiles training (or prediction) steps of one of `bench.py`'s workloads with cProfile.

Builds the workload's model as `scripts/bench.py` does, runs three batches to warm up
(numba's cache, first calls), then profiles `fit` (or `predict`) over `--batches`
batches and prints the functions that took the most time of their own, per step.

Usage:

    python scripts/profile_step.py W2 [--batches 20] [--predict] [--top 18]
"""
import argparse
import cProfile
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402 (next to this script)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=sorted(bench.WORKLOADS))
    parser.add_argument("--batches", type=int, default=20, help="profiled batches")
    parser.add_argument("--predict", action="store_true", help="profile predict, not fit")
    parser.add_argument("--top", type=int, default=18, help="functions to list")
    args = parser.parse_args()
    workload = bench.WORKLOADS[args.workload]
    batch = workload["batch"]
    model = bench.build_minikeras(workload)
    x, y = bench.make_data(workload, args.batches)
    model.fit(x[:3 * batch], y[:3 * batch], batch_size=batch, epochs=1, verbose=0)
    model.predict(x[:3 * batch], batch_size=batch)
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    if args.predict:
        model.predict(x, batch_size=batch)
    else:
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)
    profile.disable()
    seconds = time.perf_counter() - started
    print(f"{args.workload} {'predict' if args.predict else 'fit'}: {len(x) / seconds:,.0f} "
          f"samples/s under the profiler, {1e3 * seconds / args.batches:.1f} ms a step; "
          f"times below are for all {args.batches} steps")
    pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
