"""What every benchmark file shares: building the benchmark modules, timing (best of several
runs: the least-disturbed one on a shared machine), whole-process runs, and the row format.

A benchmark file defines `KEY` and `run(ctx)`, which returns one row (row() below) or a list of
them. `ctx` has `tiny` (the smoke test's mode: a few iterations, one run), `runs`, `work` (a
scratch folder), `rows` (the rows measured so far, by key) and `build(name, sources, ...)`.
"""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "benchmarks")
MODULES = os.path.join(HERE, "modules")
PYTHON = sys.executable
RTDL = [PYTHON, "-m", "rtdl.cli"]
BARE_RUN = [PYTHON, os.path.join(HERE, "bare_run.py")]


def best(fn, runs):
    """Smallest wall-clock time of `runs` calls of fn() (seconds) and fn's last value."""
    times, value = [], None
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


# The environment whole processes run in: Python's bytecode cache on, kept in the run's
# scratch folder (set_bytecode_cache), as any installed Python tool runs. An environment that
# switches it off (PYTHONDONTWRITEBYTECODE) would make every process recompile every module it
# imports, which measures the compiler rather than rtdl or its floor.
PROCESS_ENV = None


def set_bytecode_cache(folder):
    global PROCESS_ENV
    PROCESS_ENV = dict(os.environ, PYTHONPYCACHEPREFIX=folder)
    PROCESS_ENV.pop("PYTHONDONTWRITEBYTECODE", None)


def _run(cmd, cwd):
    result = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=PROCESS_ENV)
    if result.returncode != 0:
        raise SystemExit("%s failed (%d): %s" % (" ".join(cmd), result.returncode,
                                                 result.stderr.decode(errors="replace")))
    return result.stdout


def process(cmd, runs, cwd=None):
    """Best wall-clock time of a whole process (start-up included); it must exit 0. One
    untimed run first fills the bytecode cache (and the firmware description's)."""
    def once():
        return _run(cmd, cwd)
    once()
    return best(once, runs)


def processes(cmds, runs, cwd=None):
    """process() for several commands taking turns: a round runs each once, so a stretch of
    load from other work on the host falls on all of them alike, not on all of one's runs
    (a 0.07 s process measured after another's runs moved by a third on a shared host).
    [(best time, last stdout)] in the order of `cmds`."""
    for cmd in cmds:
        _run(cmd, cwd)
    times = [[] for _ in cmds]
    outputs = [None] * len(cmds)
    for _ in range(max(1, runs)):
        for i, cmd in enumerate(cmds):
            start = time.perf_counter()
            outputs[i] = _run(cmd, cwd)
            times[i].append(time.perf_counter() - start)
    return [(min(spent), output) for spent, output in zip(times, outputs)]


def row(key, title, value, unit, floor, floor_title, ratio, target=None, meets=None):
    """One line of the table. `ratio` is rtdl's cost over the floor's (1.0: as fast as the
    floor; below 1: faster). `target` is the issue's bound on that ratio (None: none)."""
    return {"key": key, "title": title, "value": value, "unit": unit, "floor": floor,
            "floor_title": floor_title, "ratio": ratio, "target": target,
            "meets": (ratio <= target) if target is not None and meets is None else meets}
