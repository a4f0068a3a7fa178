"""The driver IPC parts of RT-Thread's components/drivers/ipc, from real modules: the ring
buffer against a Python model of its semantics, completions (a wait woken by another thread,
a kept done, timeouts in ticks, a wait nobody ends found as a deadlock) and data queues
(blocking at the high-water mark, waking at the low-water mark, peek/len/reset, the events).
Every run leaves the heap, threads and objects as before, also when the module ends without
destroying what it made; the data queue also runs under `--runtime micropython`."""
import os
import re
import subprocess
import sys

import mpy_node
from test_threads import run_clean

RT_ETIMEOUT, RT_ERROR, RT_EEMPTY = 2, 1, 4

# the script of tests/modules/ipc_ringbuf.c
SCRIPT = [("P", 5), ("G", 3), ("P", 6), ("P", 2), ("K", 0), ("K", 0), ("G", 8), ("c", 0),
          ("P", 7), ("c", 0), ("f", 0), ("f", 0), ("G", 2), ("F", 3), ("F", 11), ("g", 0),
          ("K", 0), ("P", 3), ("F", 4), ("G", 9), ("g", 0), ("R", 0), ("F", 20), ("G", 8)]


class RingModel:
    """A pool of `size` bytes read from `start`, `count` bytes held: RT-Thread's results,
    with peek handing out (and consuming) the run up to the end of the pool."""

    def __init__(self, size):
        self.pool, self.start, self.count = [0] * size, 0, 0

    def _write(self, data):
        size = len(self.pool)
        at = (self.start + self.count) % size
        for i, b in enumerate(data):
            self.pool[(at + i) % size] = b

    def _take(self, n):
        size = len(self.pool)
        out = [self.pool[(self.start + i) % size] for i in range(n)]
        self.start, self.count = (self.start + n) % size, self.count - n
        return out

    def put(self, data):
        data = data[:len(self.pool) - self.count]
        self._write(data)
        self.count += len(data)
        return len(data)

    def put_force(self, data):
        size = len(self.pool)
        data = data[-size:]
        free = size - self.count
        self._write(data)
        if len(data) > free:
            self.start = (self.start + self.count + len(data)) % size
            self.count = size
        else:
            self.count += len(data)
        return len(data)

    def get(self, n):
        return self._take(min(n, self.count))

    def peek(self):
        return self._take(min(self.count, len(self.pool) - self.start))


def ring_expected():
    model, byte = RingModel(8), 1
    lines = ["size 8 len 0 space 8"]
    for kind, arg in SCRIPT:
        line = "%s %d ->" % (kind, arg)
        if kind in "PF":
            data = list(range(byte, byte + arg))
            byte += arg
            line += " %d" % (model.put(data) if kind == "P" else model.put_force(data))
        elif kind in "GgK":
            out = model.peek() if kind == "K" else model.get(1 if kind == "g" else arg)
            line += " %d" % len(out)
            if kind == "K" and not out:
                line += " null 1"
            else:
                line += " out" + "".join(" %d" % b for b in out)
        elif kind in "cf":
            if kind == "c":
                line += " %d" % model.put([byte])
            else:
                line += " %d" % model.put_force([byte])
            byte += 1
        elif kind == "R":
            model.start = model.count = 0
        lines.append(line + " len %d space %d" % (model.count, 8 - model.count))
    return lines + ["create 1 size 64", "heap hello"]


def test_ring_buffer_matches_the_model(board, build_module):
    result = run_clean(board, build_module("ipc_ringbuf.c"))
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output.splitlines() == ring_expected()


def test_a_ring_buffer_left_behind_is_reclaimed_with_the_module(board, build_module):
    result = run_clean(board, build_module("ipc_ringbuf.c"), "leak")
    assert (result.exit_code, result.fault) == (3, None), result
    assert result.output.splitlines()[-1] == "heap hello"


def ticks(line, pattern):
    found = re.match(pattern + "$", line)
    assert found, (line, pattern)
    return int(found.group(1))


def test_completion_wakes_a_waiter_and_times_out_in_ticks(board, build_module):
    result = run_clean(board, build_module("ipc_completion.c"))
    assert (result.exit_code, result.fault) == (0, None), result
    lines = result.output.splitlines()
    # the waiter has the higher priority: it runs as soon as main's done resumes it
    assert lines[:2] == ["main: waiter started", "main: done"]
    assert ticks(lines[2], r"waiter: woken 0 after (\d+) ticks") >= 7
    assert lines[3:7] == ["main: back from done", "main: finished 0", "early done: 0",
                          "used up: -%d" % RT_ETIMEOUT]
    # virtual ticks: a slice spent computing may add some, never take any away
    assert ticks(lines[7], r"timeout -%d after (\d+) ticks" % RT_ETIMEOUT) >= 20


def test_a_completion_nobody_signals_is_a_deadlock(board, build_module):
    result = run_clean(board, build_module("ipc_completion.c"), "stuck")
    assert result.exit_code == 124 and result.fault is not None, result
    assert "deadlock" in str(result.fault), result


def dataqueue_expected(lines):
    """The fixed lines of ipc_dataqueue.c's output; the two timed waits are checked apart."""
    assert ticks(lines[20], r"timed pop waited (\d+) ticks") >= 15
    assert ticks(lines[22], r"timed push -> -%d after (\d+) ticks len 4" % RT_ETIMEOUT) >= 12
    return lines[:20] + lines[21:22] + lines[23:]


DATAQUEUE = [
    "init 0 len 0 peek -%d" % RT_EEMPTY,
    # the producer (priority 5, above main's 10) fills the queue to its size and blocks
    "push 10 -> 0 len 1", "push 11 -> 0 len 2", "push 12 -> 0 len 3", "push 13 -> 0 len 4",
    "main: producer blocked, len 4",
    "peek 10 -> 0 size 4 len 4",
    # pops leaving 3 and 2 items (above lwm 1) do not wake it; the one leaving 1 does, and it
    # runs before that pop returns
    "main pop 10 size 4 len 3", "main pop 11 size 8 len 2",
    "push 14 -> 0 len 2", "push 15 -> 0 len 3", "push 16 -> 0 len 4",
    "main pop 12 size 12 len 4", "main pop 13 size 16 len 3", "main pop 14 size 20 len 2",
    "main pop 15 size 24 len 1", "main pop 16 size 28 len 0",
    "producer done 0",
    "empty pop -> -%d" % RT_ETIMEOUT, "timed pop -> -%d" % RT_ETIMEOUT,
    "full push -> -%d" % RT_ETIMEOUT,
    "reset len 0 peek -%d" % RT_EEMPTY,
    "main: popper blocked", "blocked pop -> -%d" % RT_ERROR, "popper done 0",
    # p push, o pop, L a pop reaching the low-water mark (reported instead of o)
    "events ppppoopppLooLLpppp",
    "deinit 0"]


def test_data_queue_blocks_at_high_water_and_wakes_at_low_water(board, build_module):
    result = run_clean(board, build_module("ipc_dataqueue.c"))
    assert (result.exit_code, result.fault) == (0, None), result
    assert dataqueue_expected(result.output.splitlines()) == DATAQUEUE


def test_a_data_queue_left_initialised_is_reclaimed_with_the_module(board, build_module):
    result = run_clean(board, build_module("ipc_dataqueue.c"), "leak")
    assert (result.exit_code, result.fault) == (4, None), result


def run_cli(firmware, root, runtime, module, *args):
    env = dict(os.environ, RTDL_FIRMWARE=firmware)
    return subprocess.run([sys.executable, "-m", "rtdl.cli", "run", "-v", "--root", str(root),
                           "--runtime", runtime, str(module)] + list(args),
                          env=env, capture_output=True, timeout=180)


def test_data_queue_and_ring_buffer_under_micropython(build_module, firmware, tmp_path):
    mpy_node.node()
    heaps = set()
    for name, leak_code, check in (
            ("ipc_dataqueue", 4, lambda out: dataqueue_expected(out) == DATAQUEUE),
            ("ipc_ringbuf", 3, lambda out: out == ring_expected())):
        module = tmp_path / (name + ".mo")
        module.write_bytes(open(build_module(name + ".c"), "rb").read())
        for args, code in (((), 0), (("leak",), leak_code)):
            result = run_cli(firmware, tmp_path, "micropython", module, *args)
            err = result.stderr.decode()
            assert result.returncode == code, err
            if not args:
                assert check(result.stdout.decode().splitlines()), result.stdout.decode()
            used = re.match(r"rtdl run: \S+ exited with %d; heap (\d+)/" % code, err)
            assert used, err
            heaps.add(int(used.group(1)))
    # what a module left behind was reclaimed: every run ends with the heap the kernel had
    cpython = run_cli(firmware, tmp_path, "cpython", tmp_path / "ipc_ringbuf.mo", "leak")
    assert heaps == {int(re.search(r"heap (\d+)/", cpython.stderr.decode()).group(1))}
