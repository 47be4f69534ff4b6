"""Runs the test suite mode by mode, as the README's test command and CI do.

    python scripts/run_tests.py                 # every mode, one after the other
    python scripts/run_tests.py --mode API      # one mode

Modes: `unit` (no TEST_MODE), `backend-numpy` and `backend-numba`
(RUN_ONLY_BACKEND_TESTS=1 under each MINIKERAS_BACKEND), `API`, `PEP8_DOC`,
`INTEGRATION_TESTS`. Each runs `python -m pytest` in its own process; the script exits
non-zero if any mode fails and ends with one line counting passed and failed tests.
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


def run_mode(name, pytest_args):
    """Runs pytest for one mode; returns (exit code, passed, failed, seconds)."""
    environment = dict(os.environ)
    for variable in ("TEST_MODE", "RUN_ONLY_BACKEND_TESTS", "MINIKERAS_BACKEND"):
        environment.pop(variable, None)
    environment.update(MODES[name])
    print(f"\n===== mode {name} =====", flush=True)
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *pytest_args], cwd=ROOT, env=environment,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    print(process.stdout, end="", flush=True)
    counts = {word: 0 for word in ("passed", "failed", "error", "errors")}
    for number, word in re.findall(r"(\d+) (passed|failed|errors?)\b", process.stdout[-2000:]):
        counts[word] = int(number)
    failed = counts["failed"] + counts["error"] + counts["errors"]
    code = 0 if process.returncode == NO_TESTS_COLLECTED else process.returncode
    return code, counts["passed"], failed, time.perf_counter() - started


def main():
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
    broken = [name for name, result in results.items() if result[0] != 0]
    print(f"{total_passed} passed, {total_failed} failed")
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
