"""Compares the speed of git revisions of minikeras: before and after, on one machine.

    python scripts/bench_ab.py HEAD~1 .                 # the last commit against the tree
    python scripts/bench_ab.py 7f6e5ed HEAD --runs 6 --only W2,W3

Each revision is checked out into a temporary git worktree (`.` is the working tree as
it is, uncommitted changes included). Then `scripts/bench.py --no-torch` of each
revision runs in turn, `--runs` times, the order reversed every other run (A B, B A, A B,
...): so that the machine's load falls on both alike, and neither always runs second
(measured on this machine, the second of a pair often ran 5 to 20% slower). The table
gives, per workload, the median training and inference samples/s of each revision over
its runs, and its ratio to the first revision (above 1: faster). On a shared machine,
runs of one revision still differ by 10 to 20%: read ratios below about 1.1 as "no change
measured", and repeat with more runs.

The first run of a revision that was never run compiles its numba kernels (bench.py
warms up before it times anything).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODES = ("train", "predict")


def checkout(revision, scratch):
    """The folder holding `revision`: the working tree for `.`, else a new worktree."""
    if revision == ".":
        return ROOT
    folder = os.path.join(scratch, f"tree-{len(os.listdir(scratch))}")
    subprocess.run(["git", "worktree", "add", "--detach", folder, revision], cwd=ROOT,
                   check=True, capture_output=True)
    return folder


def bench_once(folder, only, seconds, output):
    """Runs that folder's `bench.py` once, without PyTorch; returns its workloads' results."""
    command = [sys.executable, os.path.join(folder, "scripts", "bench.py"), "--no-torch",
               "--no-startup", "--no-memory", "--rounds", "3", "--seconds", str(seconds),
               "--only", only, "--json", output]
    subprocess.run(command, cwd=folder, check=True, capture_output=True)
    with open(output) as file:
        return json.load(file)["workloads"]


def medians(runs):
    """{workload: {mode: median samples/s}} over a revision's runs."""
    return {name: {mode: statistics.median(run[name]["minikeras"][f"{mode}_samples_per_second"]
                                           for run in runs)
                   for mode in MODES}
            for name in runs[0]}


def print_table(revisions, results):
    """One line per workload and mode: each revision's median and its ratio to the first."""
    print(f"{'':12}" + "".join(f"{revision:>22}" for revision in revisions))
    first = results[revisions[0]]
    for name in first:
        for mode in MODES:
            cells = []
            for revision in revisions:
                value = results[revision][name][mode]
                cells.append(f"{value:>12,.0f} ({value / first[name][mode]:.2f}x)")
            print(f"{name} {mode:<8}" + "".join(f"{cell:>22}" for cell in cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("revisions", nargs="+", help="git revisions; '.' is the working tree")
    parser.add_argument("--runs", type=int, default=4, help="bench.py runs per revision")
    parser.add_argument("--only", default="W1,W2,W3,W4", help="workloads, comma-separated")
    parser.add_argument("--seconds", type=float, default=0.4,
                        help="about how long each timed run lasts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        trees = os.path.join(scratch, "trees")
        os.mkdir(trees)
        folders = {}
        try:
            for revision in args.revisions:
                folders[revision] = checkout(revision, trees)
            runs = {revision: [] for revision in args.revisions}
            for index in range(args.runs):
                order = list(folders.items())
                for position, (revision, folder) in enumerate(order if index % 2 == 0
                                                              else order[::-1]):
                    output = os.path.join(scratch, f"run-{index}-{position}.json")
                    runs[revision].append(bench_once(folder, args.only, args.seconds, output))
                print(f"run {index + 1} of {args.runs} done, load average "
                      f"{os.getloadavg()[0]:.1f}", file=sys.stderr)
        finally:
            for folder in folders.values():
                if folder != ROOT:
                    subprocess.run(["git", "worktree", "remove", "--force", folder], cwd=ROOT,
                                   capture_output=True)
    print(f"median samples/s over {args.runs} alternating runs (ratio to "
          f"{args.revisions[0]}):")
    print_table(args.revisions, {revision: medians(result) for revision, result in runs.items()})


if __name__ == "__main__":
    main()
