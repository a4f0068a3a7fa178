"""A tiny test harness that runs the portable tests on MicroPython and CPython alike.

Imports every `test_*.py` of a directory, calls each `test_*` function (sorted by name), and
prints `PASS module.test` / `FAIL module.test: Error: message` and finally `N passed, N failed`.

    python tests/portable/harness.py [NAME ...]       (CPython, with rtdl installed)
    tests/mpy/run_portable.mjs                        (real MicroPython under Node)

NAME selects modules ("test_smoke") or single tests ("test_smoke.test_services").
Tests find their data files under `harness.DATA`: "/data" on MicroPython (the Node runner copies
files there), `<repo>/build/portable-data` on CPython (or $RTDL_PORTABLE_DATA).
"""
import sys

try:
    import os
except ImportError:     # a minimal port without os: the caller passes the test list
    os = None

MICROPYTHON = sys.implementation.name == "micropython"

if MICROPYTHON:
    TESTS = "/tests"
    DATA = "/data"
else:
    TESTS = os.path.dirname(os.path.abspath(__file__))
    ROOT = os.path.dirname(os.path.dirname(TESTS))
    DATA = os.environ.get("RTDL_PORTABLE_DATA") or os.path.join(ROOT, "build", "portable-data")


def data_path(name):
    """Host-independent path of a data file: DATA + "/" + name."""
    return DATA + "/" + name


def discover(test_dir=None):
    """Sorted module names of the test_*.py files in `test_dir` (default: the tests' dir)."""
    names = []
    for fn in os.listdir(test_dir or TESTS):
        if fn.startswith("test_") and fn.endswith(".py"):
            names.append(fn[:-3])
    names.sort()
    return names


def test_functions(module):
    """Sorted names of the callable test_* attributes of a module."""
    names = []
    for name in dir(module):
        if name.startswith("test_") and callable(getattr(module, name)):
            names.append(name)
    names.sort()
    return names


def import_module(name):
    module = __import__(name)
    return sys.modules.get(name, module)


def describe(exc):
    text = str(exc)
    if text:
        return "%s: %s" % (type(exc).__name__, text)
    return type(exc).__name__


def print_traceback(exc):
    if MICROPYTHON:
        sys.print_exception(exc)
    else:                   # CPython: the standard hook prints the traceback to stderr
        sys.stdout.flush()
        sys.excepthook(type(exc), exc, exc.__traceback__)
        sys.stderr.flush()


def _selected(selection, module_name, test_name):
    if not selection:
        return True
    return module_name in selection or (module_name + "." + test_name) in selection


def main(test_dir=None, selection=None, verbose_tracebacks=True):
    """Run the tests; print one line per test and the summary; return (passed, failed)."""
    passed = 0
    failed = 0
    for module_name in discover(test_dir):
        if selection and module_name not in selection and not [
                s for s in selection if s.startswith(module_name + ".")]:
            continue
        try:
            module = import_module(module_name)
        except Exception as e:
            failed += 1
            print("FAIL %s: import failed: %s" % (module_name, describe(e)))
            if verbose_tracebacks:
                print_traceback(e)
            continue
        for test_name in test_functions(module):
            if not _selected(selection, module_name, test_name):
                continue
            full = module_name + "." + test_name
            try:
                getattr(module, test_name)()
            except Exception as e:
                failed += 1
                print("FAIL %s: %s" % (full, describe(e)))
                if verbose_tracebacks:
                    print_traceback(e)
                continue
            passed += 1
            print("PASS %s" % full)
    print("%d passed, %d failed" % (passed, failed))
    return passed, failed


if __name__ == "__main__":
    # Tests that `import harness` must see this very module (and any DATA set on it).
    sys.modules["harness"] = sys.modules[__name__]
    _passed, _failed = main(None, sys.argv[1:])
    sys.exit(1 if _failed or not _passed else 0)
