#!/usr/bin/env python3
"""Run the toolstack test kernels on Paravane or on Xen 4.17, count cases.

Each kernel (build/tests/toolstack/<kernel>.elf) boots as dom0 with the
toolstack ramdisk (build/tests/toolstack/ramdisk.cpio) as its module,
builds domUs from it and reports gtest-style, like the conformance
kernels:

    [       OK ] suite.name
    [  FAILED  ] suite.name: reason
    <kernel>: N passed, N failed

On Paravane the machine has two CPUs (dom0_mem=128M); on Xen, Xen runs
the credit scheduler (sched=credit), as Paravane does. The scheduler
kernel ("toolstack-sched") gets one CPU on both, so that the domUs it
pins share the CPU whose time the weights divide.

    run.py [--xen] [--build DIR] [KERNEL ...]
"""

import argparse
import concurrent.futures
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import paravane_test as pt  # noqa: E402

OK_RE = re.compile(r"^\[       OK \] (\S+)", re.MULTILINE)
FAILED_RE = re.compile(r"^\[  FAILED  \] (\S+?):? (.*)$", re.MULTILINE)
ONE_CPU = {"sched"}


def run_kernel(kernel, args):
    name = os.path.basename(kernel)[:-len(".elf")]
    ramdisk = os.path.join(args.build, "tests", "toolstack", "ramdisk.cpio")
    smp = 1 if name in ONE_CPU else 2
    logdir = os.path.join(args.build, "tests", "logs")
    os.makedirs(logdir, exist_ok=True)
    log = os.path.join(logdir, "toolstack-%s-%s.log" % (
        "xen" if args.xen else "paravane", name))
    if args.xen:
        b = pt.boot_xen_modules(args.build, [(kernel, "exit=port"), (ramdisk, "")],
                                log, timeout=args.timeout, smp=smp,
                                xen_options="sched=credit")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            iso = os.path.join(tmp, "t.iso")
            pt.make_iso(iso, os.path.join(args.build, "paravane.elf"),
                        "debug_exit dom0_mem=128M",
                        [(kernel, ""), (ramdisk, "ramdisk")])
            b = pt.boot(iso, log, timeout=args.timeout, smp=smp)
    text = b.log.replace("\r", "")
    passed = OK_RE.findall(text)
    failed = FAILED_RE.findall(text)
    kname = "toolstack-" + name
    summary = re.search(r"^%s: (\d+) passed, (\d+) failed$" % re.escape(kname),
                        text, re.MULTILINE)
    return name, passed, failed, summary is not None, b, log


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xen", action="store_true", help="run on Xen 4.17")
    ap.add_argument("--build", default=os.path.join(pt.ROOT, "build"))
    ap.add_argument("--jobs", type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument("--timeout", type=int, default=180)
    ap.add_argument("kernels", nargs="*")
    args = ap.parse_args()
    kernels = args.kernels or sorted(
        os.path.join(args.build, "tests", "toolstack", f)
        for f in os.listdir(os.path.join(args.build, "tests", "toolstack"))
        if f.endswith(".elf"))
    suite = "toolstack-xen" if args.xen else "toolstack"

    total_pass = total_fail = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for name, passed, failed, finished, b, log in pool.map(
                lambda k: run_kernel(k, args), kernels):
            total_pass += len(passed)
            total_fail += len(failed)
            for case, why in failed:
                print("FAIL %s.%s  %s" % (name, case, why))
            if not finished:
                total_fail += 1
                print("FAIL %s  did not finish (%s); log: %s" % (
                    name, b.describe(), log))
                for line in b.log.splitlines()[-25:]:
                    print("     | " + line)
            print("%-4s %-20s %3d passed, %d failed  (%.0fs)" % (
                "ok" if finished and not failed else "FAIL", name,
                len(passed), len(failed), b.seconds), flush=True)
    print("%s: %d passed, %d failed" % (suite, total_pass, total_fail))
    return 1 if total_fail else 0


if __name__ == "__main__":
    sys.exit(main())
