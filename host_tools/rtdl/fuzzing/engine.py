"""The fuzz loop: numbered cases, each regenerated from (random seed, case number) alone, run
under a wall-clock bound; findings saved with their description; replay of a saved input."""
import hashlib
import os
import random
import signal
import threading
import time
import traceback

from rtdl.fuzzing.harness import CaseHung, Harness, Outcome
from rtdl.fuzzing.mutate import Mutator

# Wall-clock bound of one case in the time-bounded CLI (catches a hang in Python code).
CASE_DEADLINE_S = 20


class Stats:
    def __init__(self):
        self.cases = 0
        self.loaded = 0
        self.rejected = 0
        self.findings = []
        self.errors = {}          # error class name -> count
        self.per_seed = {}
        self.guarded = 0          # cases in which the memory guard stopped a module's write
        self.guarded_cases = []   # the first few of them: (case, seed module, mutations, write)

    def add(self, seed, outcome, case=None, notes=()):
        self.cases += 1
        self.per_seed[seed.name] = self.per_seed.get(seed.name, 0) + 1
        if outcome.guarded:
            self.guarded += 1
            if len(self.guarded_cases) < 10:
                self.guarded_cases.append((case, seed.name, list(notes), outcome.guarded[0]))
        if outcome.status == "loaded":
            self.loaded += 1
        elif outcome.status == "rejected":
            self.rejected += 1
        if outcome.error is not None:
            kind = type(outcome.error).__name__
            self.errors[kind] = self.errors.get(kind, 0) + 1

    def summary(self):
        errors = ", ".join("%s %d" % (k, self.errors[k]) for k in sorted(self.errors))
        return ("%d cases: %d loaded, %d rejected (%s; the memory guard stopped a write of "
                "module code in %d), %d findings"
                % (self.cases, self.loaded, self.rejected, errors, self.guarded,
                   len(self.findings)))


def case_rng(seed, case):
    """Each case has its own generator, so case N can be regenerated without the others."""
    return random.Random("%d:%d" % (seed, case))


def make_case(seeds, seed, case):
    rng = case_rng(seed, case)
    base = seeds[case % len(seeds)]
    data, notes = Mutator(rng).mutate(base)
    return base, data, notes


def fuzz(harness, seeds, seed, cases=None, deadline=None, out=None, on_finding=None,
         case_deadline_s=None, progress=None):
    """Check that every unmutated seed loads cleanly, then run cases 0.. until `cases` are
    done or time.time() passes `deadline`."""
    stats = Stats()
    for base in seeds:
        outcome = harness.run(base.name, base.data)
        if outcome.status != "loaded" or outcome.error is not None or outcome.guarded:
            outcome.status = "finding"
            outcome.finding = "the unmutated seed did not load and close cleanly: %r %s" % (
                outcome, "; ".join(outcome.guarded))
            record = Finding(base, base.data, ["none (the seed as built)"], outcome, seed, -1)
            stats.findings.append(record)
            if out:
                record.save(out)
            if on_finding:
                on_finding(record)
    case = 0
    while (cases is None or case < cases) and (deadline is None or time.time() < deadline):
        base, data, notes = make_case(seeds, seed, case)
        outcome = run_bounded(harness, base.name, data, case_deadline_s)
        stats.add(base, outcome, case, notes)
        if outcome.status == "finding":
            record = Finding(base, data, notes, outcome, seed, case)
            record.reproduces = _reproduces(harness.firmware, base.name, data,
                                            harness.call_timeout_us)
            stats.findings.append(record)
            if out:
                record.save(out)
            if on_finding:
                on_finding(record)
        if progress:
            progress(case, stats)
        case += 1
    return stats


def run_bounded(harness, name, data, deadline_s):
    """harness.run, ended by a SIGALRM after `deadline_s` seconds and then reported as a hang
    finding on a freshly booted board (unbounded outside the main thread: no signals)."""
    if not deadline_s or threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer"):
        return harness.run(name, data)
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: harness.expire())
    try:
        # the alarm repeats until the case ends: see Harness.expire
        signal.setitimer(signal.ITIMER_REAL, deadline_s, 0.1)
        try:
            return harness.run(name, data)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except CaseHung:
        signal.setitimer(signal.ITIMER_REAL, 0)     # the alarm may have ended the finally
        harness.boot()
        return Outcome("finding", finding="case still running after %d s (hang)" % deadline_s,
                       detail=traceback.format_exc())
    finally:
        signal.signal(signal.SIGALRM, previous)


def _reproduces(firmware, name, data, call_timeout_us):
    try:
        return Harness(firmware, call_timeout_us).run(name, data).status == "finding"
    except Exception:
        return True


class Finding:
    def __init__(self, base, data, notes, outcome, seed, case):
        self.base = base
        self.data = data
        self.notes = notes
        self.outcome = outcome
        self.seed = seed
        self.case = case
        self.reproduces = None
        self.path = None

    def describe(self):
        return ("seed module: %s\nrandom seed %d, case %d\nmutations:\n  %s\nfinding: %s\n"
                "reproduces on a freshly booted board: %s\nreplay: python -m rtdl.fuzz "
                "--replay %s\n\n%s\n"
                % (self.base.name, self.seed, self.case, "\n  ".join(self.notes),
                   self.outcome.finding, self.reproduces, self.path or "FILE",
                   self.outcome.detail))

    def save(self, out):
        os.makedirs(out, exist_ok=True)
        digest = hashlib.sha1(self.data).hexdigest()[:12]
        stem = "%s-%s" % (os.path.splitext(self.base.name)[0], digest)
        self.path = os.path.join(out, stem + self.base.extension)
        with open(self.path, "wb") as f:
            f.write(self.data)
        with open(self.path + ".txt", "w") as f:
            f.write(self.describe())


def replay(path, firmware=None):
    """Run one saved input on a fresh board; returns its Outcome."""
    with open(path, "rb") as f:
        data = f.read()
    return Harness(firmware).run(os.path.basename(path), data)

