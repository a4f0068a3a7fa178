"""`rtdl verify` on a typical module, timed the way a user meets it: a new process each time,
interpreter start-up included. Prints the median of several runs next to the start-up of a bare
`python -c pass`, and where the time goes inside one process. Prints; never asserts timings.

    .venv/bin/python benchmarks/bench_verify.py [--runs N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from rtdl import firmware_info, verify
from rtdl.build import build_module
from rtdl_device import arm_attributes


def median_seconds(cmd, runs, env):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            raise SystemExit("%s failed (%d): %s" % (" ".join(cmd), result.returncode,
                                                     result.stderr.decode()))
    return statistics.median(times), min(times), max(times)


def timed(fn, *args):
    start = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "host_tools"))
    with tempfile.TemporaryDirectory(prefix="rtdl-bench-") as tmp:
        module = str(build_module([os.path.join(ROOT, "tests", "modules", "printf_float.c")],
                                  os.path.join(tmp, "printf_float.mo")))
        python = median_seconds([sys.executable, "-c", "pass"], args.runs, env)
        verify_cmd = median_seconds([sys.executable, "-m", "rtdl.cli", "verify", module],
                                    args.runs, env)
        facts, t_describe = timed(firmware_info.describe, None)
        _, t_boot = timed(firmware_info.boot_heap, facts["firmware"], facts["cpu"])
        firmware, t_firmware = timed(verify.Firmware, facts)
        target = arm_attributes.Target(firmware.cpu, firmware.float_abi)
        report, t_file = timed(verify.verify_file, module, firmware, target)
    print("rtdl verify printf_float.mo (%d runs, new process each, wall clock)" % args.runs)
    print("  python -c pass         median %6.3f s  (min %.3f, max %.3f)" % python)
    print("  rtdl verify MODULE     median %6.3f s  (min %.3f, max %.3f)" % verify_cmd)
    print("  ratio verify / python  %6.1f x" % (verify_cmd[0] / python[0]))
    print("  well under a second:   %s" % ("yes" if verify_cmd[0] < 0.5 else
                                          "no (%.2f s)" % verify_cmd[0]))
    print("inside one process")
    print("  firmware description   %6.3f s  (exports from pyelftools, of which booting "
          "the board for its heap %.3f s)" % (t_describe, t_boot))
    print("  heap replica           %6.3f s" % t_firmware)
    print("  verify_file            %6.3f s  (%s)" % (t_file, "ok" if report.ok
                                                     else ", ".join(report.codes())))


if __name__ == "__main__":
    main()
