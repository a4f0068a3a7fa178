"""Compute: MD5 over 8 MiB in a module (no kernel call until the digest), `rtdl run` as a whole
process against bare_run.py; the digests must agree."""
from common import BARE_RUN, RTDL, process, row

KEY = "compute"


def run(ctx):
    md5 = ctx.build("md5_mem", ["benchmarks/modules/md5_mem.c"])
    mib = "1" if ctx.tiny else "8"
    folder, _ = ctx.split(md5)
    rtdl, out = process(RTDL + ["run", "--root", folder, md5, mib], ctx.runs)
    bare, bare_out = process(BARE_RUN + [md5, mib], ctx.runs)
    ctx.same(out, bare_out, "md5_mem.mo")
    return row(KEY, "compute: MD5 of %s MiB, whole process" % mib, rtdl, "s", bare,
               "bare unicorn process", rtdl / bare, 1 / 0.9)
