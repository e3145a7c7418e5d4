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

One more case runs dom0 itself (build/pvguest/dom0.elf) with the
integration ramdisk on both hypervisors: the ping-pong pair is
autostarted, runs its round trips (ping-b powers off only once they are
done) and xl lists, pins and reports; its output must match XL_PATTERNS.

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

XL_COMMANDS = "wait ping-b 50; xl list; xl vcpu-list; xl sched-credit; poweroff"
XL_PATTERNS = [
    r"^xl: autostart: domain 1 \(ping-a\) created$",
    r"^xl: autostart: domain 2 \(ping-b\) created$",
    r"^domain 2 \(ping-b\) shut down: poweroff$",
    r"^domain 2 \(ping-b\): on_poweroff = destroy$",
    r"^wait: domain 2 is gone$",
    r"^Domain-0 +0 +128 +\d +r----- ",
    r"^ping-a +1 +8 +1 +[-r][-b]---- ",
    r"^ping-a +1 +0 +0 +[-r][-b]- +\d+\.\d  0 / all$",
    r"^ping-a +1 +256 +0$",
    r"^dom0: powering off$",
]


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


def run_xl(args):
    """dom0.elf with the integration ramdisk; one case: XL_PATTERNS in order."""
    name = "xl"
    dom0 = os.path.join(args.build, "pvguest", "dom0.elf")
    ramdisk = os.path.join(args.build, "tests", "integration", "ramdisk.cpio")
    log = os.path.join(args.build, "tests", "logs", "toolstack-%s-xl.log" % (
        "xen" if args.xen else "paravane"))
    run = 'xl.run="%s"' % XL_COMMANDS
    if args.xen:
        b = pt.boot_xen_modules(args.build, [(dom0, "exit=port " + run), (ramdisk, "")],
                                log, timeout=args.timeout, smp=2,
                                xen_options="sched=credit")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            iso = os.path.join(tmp, "t.iso")
            pt.make_iso(iso, os.path.join(args.build, "paravane.elf"),
                        "debug_exit dom0_mem=128M", [(dom0, run), (ramdisk, "ramdisk")])
            b = pt.boot(iso, log, timeout=args.timeout, smp=2)
    text = b.log.replace("\r", "")
    pos, missing = 0, None
    for p in XL_PATTERNS:
        m = re.compile(p, re.MULTILINE).search(text, pos)
        if not m:
            missing = p
            break
        pos = m.end()
    case = "xl.dom0_runs_the_toolstack"
    if missing:
        return name, [], [(case, "output lacks /%s/ (log: %s)" % (missing, log))], True, b, log
    return name, [case], [], True, b, log


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xen", action="store_true", help="run on Xen 4.17")
    ap.add_argument("--build", default=os.path.join(pt.ROOT, "build"))
    ap.add_argument("--jobs", type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument("--timeout", type=int, default=180)
    ap.add_argument("--xl", action="store_true",
                    help="also run dom0.elf (the default without KERNELs)")
    ap.add_argument("kernels", nargs="*")
    args = ap.parse_args()
    kernels = args.kernels or sorted(
        os.path.join(args.build, "tests", "toolstack", f)
        for f in os.listdir(os.path.join(args.build, "tests", "toolstack"))
        if f.endswith(".elf"))
    suite = "toolstack-xen" if args.xen else "toolstack"

    total_pass = total_fail = 0
    jobs = [lambda k=k: run_kernel(k, args) for k in kernels]
    if not args.kernels or args.xl:
        jobs.append(lambda: run_xl(args))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for name, passed, failed, finished, b, log in pool.map(
                lambda job: job(), jobs):
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
