"""Runs the test suite mode by mode, as the README's test command and CI do.

    python scripts/run_tests.py                 # every mode, one after the other
    python scripts/run_tests.py --mode API      # one mode

Modes: `unit` (no TEST_MODE), `backend-numpy` and `backend-numba`
(RUN_ONLY_BACKEND_TESTS=1 under each MINIKERAS_BACKEND), `API`, `PEP8_DOC`,
`INTEGRATION_TESTS`. Each runs `python -m pytest` in its own process; the script exits
non-zero if any mode fails and ends with a summary: each mode's counts and time, the
totals and total time, and a last line `N passed, N failed` that CI reads.
"""
import argparse
import os
import re
import subprocess
import sys
import time

MODES = {
    "unit": {},
    "backend-numpy": {"RUN_ONLY_BACKEND_TESTS": "1", "MINIKERAS_BACKEND": "numpy"},
    "backend-numba": {"RUN_ONLY_BACKEND_TESTS": "1", "MINIKERAS_BACKEND": "numba"},
    "API": {"TEST_MODE": "API"},
    "PEP8_DOC": {"TEST_MODE": "PEP8_DOC"},
    "INTEGRATION_TESTS": {"TEST_MODE": "INTEGRATION_TESTS"},
}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NO_TESTS_COLLECTED = 5
SUMMARY = re.compile(r"\b(passed|failed|errors?|deselected|skipped|no tests ran)\b.* in [\d.]+s")
BUDGET_SECONDS = 20 * 60  # for all the modes together, on CI's 2 cores


def summary_line(output):
    """Finds pytest's closing line, such as `3 failed, 69 passed, 969 deselected in 47.46s`.

    # Arguments
        output: what pytest printed.

    # Returns
        The line, or an empty string if there is none.
    """
    lines = [line for line in output.splitlines() if SUMMARY.search(line)]
    return lines[-1] if lines else ""


def run_mode(name, pytest_args):
    """Runs pytest for one mode in its own process, printing its output as it comes.

    # Arguments
        name: the mode, a key of `MODES`.
        pytest_args: further arguments for pytest.

    # Returns
        A tuple: the exit code (0 also when the mode has no tests), the numbers of
        passed and failed tests, and the seconds it took.
    """
    environment = dict(os.environ)
    for variable in ("TEST_MODE", "RUN_ONLY_BACKEND_TESTS", "MINIKERAS_BACKEND"):
        environment.pop(variable, None)
    environment.update(MODES[name])
    print(f"\n===== mode {name} =====", flush=True)
    started = time.perf_counter()
    output = []
    with subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", *pytest_args], cwd=ROOT, env=environment,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    ) as process:
        for line in process.stdout:  # shown as it comes, and kept to count the results
            print(line, end="", flush=True)
            output.append(line)
    counts = {word: 0 for word in ("passed", "failed", "error", "errors")}
    closing_line = summary_line("".join(output))
    for number, word in re.findall(r"(\d+) (passed|failed|errors?)\b", closing_line):
        counts[word] = int(number)
    failed = counts["failed"] + counts["error"] + counts["errors"]
    code = 0 if process.returncode == NO_TESTS_COLLECTED else process.returncode
    return code, counts["passed"], failed, time.perf_counter() - started


def main():
    """Runs the modes the command line asks for (all by default) and sums them up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=sorted(MODES), action="append",
                        help="run only this mode (may be repeated)")
    arguments, pytest_args = parser.parse_known_args()
    results = {name: run_mode(name, pytest_args) for name in (arguments.mode or MODES)}
    print("\n===== summary =====")
    for name, (code, passed, failed, seconds) in results.items():
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"{name:<18} {passed:>5} passed {failed:>4} failed {seconds:>7.1f}s  {status}")
    total_passed = sum(result[1] for result in results.values())
    total_failed = sum(result[2] for result in results.values())
    total_seconds = sum(result[3] for result in results.values())
    broken = [name for name, result in results.items() if result[0] != 0]
    print(f"{'total':<18} {total_passed:>5} passed {total_failed:>4} failed "
          f"{total_seconds:>7.1f}s  {'FAILED: ' + ', '.join(broken) if broken else 'ok'}")
    if total_seconds > BUDGET_SECONDS:
        print(f"warning: the tests took longer than their {BUDGET_SECONDS // 60}-minute budget")
    # The last line stays exactly "N passed, N failed": CI reads it.
    print(f"{total_passed} passed, {total_failed} failed")
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
