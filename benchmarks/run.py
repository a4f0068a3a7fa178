"""`make bench`: every benchmark of this folder, one table on stdout, results.json (with the
machine's details), the chart results.png and docs/benchmarks.md. Every figure is a ratio
against a floor measured in the same run; nothing here fails on a number.

    .venv/bin/python benchmarks/run.py [--tiny] [--runs N] [--only KEY,...] [--out DIR]
                                       [--docs PAGE]

docs/benchmarks.md is written only after a full run into this folder (no --only, --tiny or
--out elsewhere), so a partial run does not replace the page's table.

--tiny is the smoke test's mode (a few iterations, one run each): the figures mean nothing
then, but every benchmark and every output file is exercised.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile

from rtdl.build import build_module

# Run as a script, so this folder is already first on the import path: the benchmarks import
# their siblings by name.
import common
import report

HERE = os.path.dirname(os.path.abspath(__file__))

# In this order: bench_switch and bench_heldlib use the kernel call bench_kcall measured.
BENCHMARKS = ("bench_startup", "bench_compute", "bench_kcall", "bench_switch", "bench_load",
              "bench_symbols", "bench_heap", "bench_heap_strict", "bench_verify", "bench_coremark",
              "bench_micropython", "bench_heldlib")


class Context:
    def __init__(self, tiny, runs, work):
        self.tiny = tiny
        self.runs = runs
        self.work = work
        self.rows = {}
        self.kernel_call = None
        self._built = {}

    def build(self, name, sources, lib=False, ext=".mo", **options):
        """The module built once per suite run into the work folder."""
        if name not in self._built:
            sources = [s if os.path.isabs(s) else os.path.join(common.ROOT, s) for s in sources]
            path = os.path.join(self.work, name + (".so" if lib else ext))
            build_module(sources, path, lib=lib, **options)
            self._built[name] = path
        return self._built[name]

    def split(self, path):
        return os.path.dirname(path), os.path.basename(path)

    def python(self, args):
        subprocess.run([common.PYTHON] + args, check=True)

    def same(self, out, floor_out, what):
        if out != floor_out:
            raise SystemExit("%s: the board printed %r, the floor %r" % (what, out, floor_out))


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as stream:
            for line in stream:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import unicorn
    return {"cpu": cpu, "cores": os.cpu_count(), "system": platform.platform(),
            "python": platform.python_version(), "implementation": platform.python_implementation(),
            "unicorn": unicorn.__version__,
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="few iterations (smoke test)")
    parser.add_argument("--runs", type=int, help="runs per measurement (best is kept)")
    parser.add_argument("--only", help="comma-separated benchmark keys, e.g. startup,kcall")
    parser.add_argument("--out", default=HERE, help="folder for results.json and results.png")
    parser.add_argument("--docs", default=None,
                        help="the Markdown page to write ('' for none; default: "
                             "docs/benchmarks.md after a full run into benchmarks/)")
    args = parser.parse_args(argv)
    if args.docs is None:
        # the page shows the suite's latest full table: a partial, tiny or side run (--only,
        # --tiny, --out elsewhere) must not replace it
        full = not args.only and not args.tiny and os.path.abspath(args.out) == HERE
        args.docs = os.path.join(common.ROOT, "docs", "benchmarks.md") if full else ""
    # best of 5: other work on a shared 2-core host disturbs single runs by tens of percent
    runs = args.runs or (1 if args.tiny else 5)
    names = BENCHMARKS
    if args.only:
        wanted = ["bench_" + key for key in args.only.split(",")]
        if ("bench_switch" in wanted or "bench_heldlib" in wanted) and \
                "bench_kcall" not in wanted:
            wanted.append("bench_kcall")
        names = [name for name in BENCHMARKS if name in wanted]
    work = tempfile.mkdtemp(prefix="rtdl-bench-")
    common.set_bytecode_cache(os.path.join(work, "pycache"))
    try:
        ctx = Context(args.tiny, runs, work)
        rows = []
        for name in names:
            module = __import__(name)
            result = module.run(ctx)
            for one in result if isinstance(result, list) else [result]:
                rows.append(one)
                ctx.rows[one["key"]] = one
                print(report.line(one), flush=True) if len(rows) > 1 else \
                    print(report.header() + "\n" + report.line(one), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = {"format": "rtdl-bench", "version": 1, "tiny": args.tiny, "runs": runs,
               "machine": machine(), "results": rows}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.json"), "w") as stream:
        json.dump(results, stream, indent=1)
        stream.write("\n")
    chart = os.path.join(args.out, "results.png")
    report.chart(rows, chart)
    if args.docs:
        report.write_docs(results, args.docs, os.path.relpath(chart, os.path.dirname(args.docs)))
    unmet = [r["key"] for r in rows if r["meets"] is False]
    print("targets unmet: %s" % (", ".join(unmet) if unmet else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
