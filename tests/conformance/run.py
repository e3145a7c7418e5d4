#!/usr/bin/env python3
"""Run the conformance kernels on Paravane or on Xen 4.17, count cases.

Each kernel (build/tests/conformance/<kernel>.elf) is booted as dom0
with two vCPUs on two QEMU CPUs: on Paravane from the ISO with
debug_exit, on Xen with the guest option exit=port. The harness inside prints one line per case:

    [       OK ] suite.name
    [  FAILED  ] suite.name: reason

and "<kernel>: N passed, N failed". Every case counts in the suite's
total; a kernel that never prints its summary counts one more failure.

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


def run_kernel(kernel, args):
    name = os.path.basename(kernel)[:-len(".elf")]
    logdir = os.path.join(args.build, "tests", "logs")
    os.makedirs(logdir, exist_ok=True)
    log = os.path.join(logdir, "conformance-%s-%s.log" % (
        "xen" if args.xen else "paravane", name))
    if args.xen:
        b = pt.boot_xen(args.build, kernel, "exit=port", log,
                        timeout=args.timeout)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            iso = os.path.join(tmp, "c.iso")
            pt.make_iso(iso, os.path.join(args.build, "paravane.elf"),
                        "debug_exit dom0_mem=128M dom0_max_vcpus=2",
                        [(kernel, "")])
            b = pt.boot(iso, log, timeout=args.timeout, smp=2)
    text = b.log.replace("\r", "")
    passed = OK_RE.findall(text)
    failed = FAILED_RE.findall(text)
    summary = re.search(r"^%s: (\d+) passed, (\d+) failed$" % re.escape(name),
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
        os.path.join(args.build, "tests", "conformance", f)
        for f in os.listdir(os.path.join(args.build, "tests", "conformance"))
        if f.endswith(".elf"))
    suite = "conformance-xen" if args.xen else "conformance"

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
