"""Suites of test kernels that report gtest-style on the console.

A kernel prints one line per case and a summary:

    [       OK ] suite.name
    [  FAILED  ] suite.name: reason
    <kernel>: N passed, N failed

The conformance and toolstack runners boot their kernels (in parallel)
with their own set-ups and hand each result here: every case counts in
the suite's total, and a kernel that never prints its summary counts one
more failure.
"""

import argparse
import concurrent.futures
import os
import re

import paravane_test as pt

OK_RE = re.compile(r"^\[       OK \] (\S+)", re.MULTILINE)
FAILED_RE = re.compile(r"^\[  FAILED  \] (\S+?):? (.*)$", re.MULTILINE)


class Result:
    """One kernel's run: its name, cases passed and failed, the boot."""

    def __init__(self, name, passed, failed, finished, boot, log):
        self.name, self.passed, self.failed = name, passed, failed
        self.finished, self.boot, self.log = finished, boot, log


def parse(name, summary_name, boot, log):
    """The Result of a kernel whose summary line starts summary_name."""
    text = boot.log.replace("\r", "")
    summary = re.search(r"^%s: (\d+) passed, (\d+) failed$" % re.escape(summary_name),
                        text, re.MULTILINE)
    return Result(name, OK_RE.findall(text), FAILED_RE.findall(text),
                  summary is not None, boot, log)


def arguments(doc):
    """The runners' common command line; returns the parser."""
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--xen", action="store_true", help="run on Xen 4.17")
    ap.add_argument("--build", default=os.path.join(pt.ROOT, "build"))
    ap.add_argument("--jobs", type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument("--timeout", type=int, default=180)
    ap.add_argument("kernels", nargs="*")
    return ap


def log_path(args, suite, name):
    """build/tests/logs/<suite>-<paravane|xen>-<name>.log"""
    logdir = os.path.join(args.build, "tests", "logs")
    os.makedirs(logdir, exist_ok=True)
    return os.path.join(logdir, "%s-%s-%s.log" % (
        suite, "xen" if args.xen else "paravane", name))


def _results(jobs, parallel, alone):
    """The jobs' Results: jobs run `parallel` at a time, then `alone` one by one."""
    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        yield from pool.map(lambda job: job(), jobs)
    for job in alone:
        yield job()


def run(suite, jobs, parallel, alone=()):
    """Run the jobs (each returns a Result), report, return the exit code.
    Jobs in `alone` run afterwards with nothing beside them: those that
    measure time shared between domains, which other QEMU runs on the
    same host would disturb."""
    total_pass = total_fail = 0
    for r in _results(jobs, parallel, alone):
        total_pass += len(r.passed)
        total_fail += len(r.failed)
        for case, why in r.failed:
            print("FAIL %s.%s  %s" % (r.name, case, why))
        if not r.finished:
            total_fail += 1
            print("FAIL %s  did not finish (%s); log: %s" % (
                r.name, r.boot.describe(), r.log))
            for line in r.boot.log.splitlines()[-25:]:
                print("     | " + line)
        print("%-4s %-20s %3d passed, %d failed  (%.0fs)" % (
            "ok" if r.finished and not r.failed else "FAIL", r.name,
            len(r.passed), len(r.failed), r.boot.seconds), flush=True)
    print("%s: %d passed, %d failed" % (suite, total_pass, total_fail))
    return 1 if total_fail else 0
