"""`rtdl verify`: one module as a whole process against `python -c pass` (the latency a user
waits for; the firmware's facts come from the on-disk cache after the untimed first run;
target under 0.15 s), then 1,000 modules in one process (1 core) and spread over every
core, against the least any verifier does: reading and parsing each file's ELF headers."""
import os
import shutil
import time

import common
from common import PYTHON, RTDL, best, process, row

import subprocess
from rtdl_device import elf32

KEY = "verify"


def run(ctx):
    module = ctx.build("printf_float", ["tests/modules/printf_float.c"])
    runs = ctx.runs if ctx.tiny else max(ctx.runs, 7)     # short processes, as start-up's
    latency, _ = process(RTDL + ["verify", module], runs)
    python, _ = process([PYTHON, "-c", "pass"], runs)
    count = 20 if ctx.tiny else 1000
    folder = os.path.join(ctx.work, "many")
    os.makedirs(folder, exist_ok=True)
    paths = []
    for i in range(count):
        path = os.path.join(folder, "m%04d.mo" % i)
        shutil.copyfile(module, path)
        paths.append(path)
    cores = os.cpu_count() or 1

    def verify_all(jobs):
        chunks = [paths[i::jobs] for i in range(jobs)]
        procs = [subprocess.Popen(RTDL + ["verify"] + chunk, stdout=subprocess.DEVNULL,
                                  env=common.PROCESS_ENV) for chunk in chunks]
        for proc in procs:
            if proc.wait() != 0:
                raise SystemExit("rtdl verify of %d modules failed" % len(paths))
    one, _ = best(lambda: verify_all(1), 1)
    every, _ = best(lambda: verify_all(cores), 1)

    def parse_all():
        for path in paths:
            with open(path, "rb") as stream:
                elf32.ElfFile(stream.read(), path)
    parse, _ = best(parse_all, ctx.runs)
    return [
        row("verify_latency", "rtdl verify, one module, whole process", latency, "s", python,
            "python -c pass", latency / python, None, latency < 0.15),
        row("verify_1core", "rtdl verify, %d modules, 1 core" % count, count / one,
            "modules/s", count / parse, "parsing each ELF", one / parse),
        row("verify_cores", "rtdl verify, %d modules, %d cores" % (count, cores), count / every,
            "modules/s", count / one, "the same on 1 core", every / one),
    ]
