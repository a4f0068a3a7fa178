"""One errno per thread (thread_errno.py), by errno_one.c: after a failed open DFS's code
(RT-Thread's negative -ENOENT) reads the same through newlib's errno, rt_get_errno and
*_rt_errno(); rt_set_errno and `errno =` are one word; libc's own errors (strtol's ERANGE)
reach rt_get_errno too; another thread's errno is its own across switches."""
from test_rt_hooks import run_clean

EXPECTED_ERRNO = """\
open: -1, errno -2, rt_get_errno -2, *_rt_errno -2
rt_set_errno(5): errno 5
errno = 7: rt_get_errno 7
strtol overflow: errno is ERANGE 1, rt_get_errno is ERANGE 1
other: errno 11, rt_get_errno 11
main: errno 3
"""


def test_errno_and_rt_get_errno_are_one_value_per_thread(board, build_module):
    result = run_clean(board, build_module("errno_one.c"))
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == EXPECTED_ERRNO
