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
done; its console reaches dom0's backend) and xl lists, pins and
reports; its output must match XL_PATTERNS.

    run.py [--xen] [--build DIR] [KERNEL ...]
"""

import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import kernel_suite as ks  # noqa: E402
import paravane_test as pt  # noqa: E402

# Kernels that measure how domains share one CPU: booted with one CPU,
# and run alone after the others (see kernel_suite.run).
ONE_CPU = {"sched"}

XL_COMMANDS = "wait ping-b 50; xl list; xl vcpu-list; xl sched-credit; poweroff"
XL_PATTERNS = [
    r"^xl: autostart: domain 1 \(ping-a\) created$",
    r"^xl: autostart: domain 2 \(ping-b\) created$",
    # ping-b's console, through dom0's backend, before its shutdown
    r"^\(d2\) pingpong: done, 100 round trips; powering off$",
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
    log = ks.log_path(args, "toolstack", name)
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
    return ks.parse(name, "toolstack-" + name, b, log)


def run_xl(args):
    """dom0.elf with the integration ramdisk; one case: XL_PATTERNS in order."""
    name = "xl"
    dom0 = os.path.join(args.build, "pvguest", "dom0.elf")
    ramdisk = os.path.join(args.build, "tests", "integration", "ramdisk.cpio")
    log = ks.log_path(args, "toolstack", name)
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
        why = "output lacks /%s/ (log: %s)" % (missing, log)
        return ks.Result(name, [], [(case, why)], True, b, log)
    return ks.Result(name, [case], [], True, b, log)


def main():
    ap = ks.arguments(__doc__)
    ap.add_argument("--xl", action="store_true",
                    help="also run dom0.elf (the default without KERNELs)")
    args = ap.parse_args()
    kernels = args.kernels or sorted(
        os.path.join(args.build, "tests", "toolstack", f)
        for f in os.listdir(os.path.join(args.build, "tests", "toolstack"))
        if f.endswith(".elf"))
    suite = "toolstack-xen" if args.xen else "toolstack"
    def name(k):
        return os.path.basename(k)[:-len(".elf")]

    jobs = [lambda k=k: run_kernel(k, args) for k in kernels
            if name(k) not in ONE_CPU]
    alone = [lambda k=k: run_kernel(k, args) for k in kernels
             if name(k) in ONE_CPU]
    if not args.kernels or args.xl:
        jobs.append(lambda: run_xl(args))
    return ks.run(suite, jobs, args.jobs, alone)


if __name__ == "__main__":
    sys.exit(main())
