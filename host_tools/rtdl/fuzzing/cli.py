"""`python -m rtdl.fuzz` (and `make fuzz`): build the seeds, fuzz for a time or a number of
cases, print findings as they come; or replay saved inputs."""
import argparse
import os
import sys
import tempfile
import time

from rtdl import devtree
from rtdl.fuzzing.engine import CASE_DEADLINE_S, fuzz, replay
from rtdl.fuzzing.harness import Harness
from rtdl.fuzzing.seeds import build_seeds

def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m rtdl.fuzz", description="load mutated real modules on one emulated board and check that the loader "
                                "accepts them or refuses them with a documented error")
    p.add_argument("--minutes", type=float, default=10.0, help="run time (default 10)")
    p.add_argument("--cases", type=int, help="stop after this many cases instead")
    p.add_argument("--seed", type=int, help="random seed (default: from the clock, printed)")
    p.add_argument("--out", default=os.path.join(devtree.CHECKOUT, "tests", "fuzz-crashes"),
                   help="directory for failing inputs (default tests/fuzz-crashes)")
    p.add_argument("--firmware", help="firmware ELF (default build/firmware/firmware.elf)")
    p.add_argument("--replay", nargs="+", metavar="FILE", help="run saved inputs and report")
    args = p.parse_args(argv)
    if args.replay:
        failed = 0
        for path in args.replay:
            outcome = replay(path, args.firmware)
            print("%s: %r" % (path, outcome))
            if outcome.status == "finding":
                failed += 1
                print(outcome.detail)
        return 1 if failed else 0
    seed = args.seed if args.seed is not None else int(time.time())
    with tempfile.TemporaryDirectory(prefix="rtdl-fuzz-") as tmp:
        seeds = build_seeds(tmp)
    names = ", ".join(s.name for s in seeds)
    print("rtdl fuzz: seed %d, seeds %s, %s" % (
        seed, names, "%d cases" % args.cases if args.cases else "%.1f minutes" % args.minutes))
    sys.stdout.flush()
    harness = Harness(args.firmware)
    started = time.time()

    def report(finding):
        print("FINDING case %d (%s): %s -> %s" % (finding.case, finding.base.name,
                                                    finding.outcome.finding.split("\n")[0][:300],
                                                    finding.path))
        sys.stdout.flush()

    shown = [started]

    def progress(case, stats):
        now = time.time()
        if now - shown[0] >= 30:
            shown[0] = now
            print("  %.0f s: %s" % (now - started, stats.summary()))
            sys.stdout.flush()

    stats = fuzz(harness, seeds, seed, cases=args.cases,
                 deadline=None if args.cases else started + 60 * args.minutes,
                 out=args.out, on_finding=report, case_deadline_s=CASE_DEADLINE_S,
                 progress=progress)
    elapsed = time.time() - started
    print("rtdl fuzz: %s in %.0f s (%.0f cases/s, %d boots)"
          % (stats.summary(), elapsed, stats.cases / max(elapsed, 1e-6), harness.boots))
    print("per seed: " + ", ".join("%s %d" % (k, v) for k, v in sorted(stats.per_seed.items())))
    for case, name, notes, write in stats.guarded_cases:
        # not findings (mutated module code may write anywhere), but worth a look: a loader
        # check could have refused the file before its code ran
        print("guard stopped case %d (%s: %s): %s" % (case, name, "; ".join(notes), write))
    return 1 if stats.findings else 0
