"""The portable tests (tests/portable/test_*.py) under CPython, one pytest item per test
function; tests/test_micropython.py runs the same functions on real MicroPython."""
import importlib
import os

import pytest

import harness   # tests/portable, on pytest's `pythonpath` (pyproject.toml)

PORTABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "portable")


def _cases():
    cases = []
    for module_name in harness.discover(PORTABLE):
        try:
            module = importlib.import_module(module_name)
        except Exception:           # reported as a failing item, not a collection error
            cases.append((module_name, None))
            continue
        for test_name in harness.test_functions(module):
            cases.append((module_name, test_name))
    return cases


CASES = _cases()


def test_portable_tests_exist():
    assert [c for c in CASES if c[1]], "no portable tests found in %s" % PORTABLE


@pytest.mark.parametrize("module_name,test_name", CASES,
                         ids=["%s.%s" % (m, t or "import") for m, t in CASES])
def test_portable(module_name, test_name):
    module = importlib.import_module(module_name)      # re-raises an import error
    getattr(module, test_name)()
