#!/usr/bin/env python3
"""Run the conformance kernels on Paravane or on Xen 4.17, count cases.

Each kernel (build/tests/conformance/<kernel>.elf) is booted as dom0
with two vCPUs on two QEMU CPUs: on Paravane from the ISO with
debug_exit, on Xen with the guest option exit=port (and XEN_OPTIONS for
kernels that need them). The harness inside prints one line per case:

    [       OK ] suite.name
    [  FAILED  ] suite.name: reason

and "<kernel>: N passed, N failed". Every case counts in the suite's
total; a kernel that never prints its summary counts one more failure.

    run.py [--xen] [--build DIR] [KERNEL ...]
"""

import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
import kernel_suite as ks  # noqa: E402
import paravane_test as pt  # noqa: E402


# Xen's options for a kernel, where Xen's defaults are not what Paravane
# offers: grant tables of version 1 only (Xen's default maximum is 2).
XEN_OPTIONS = {"grant": "gnttab=max-ver:1", "grant_copy": "gnttab=max-ver:1"}


def run_kernel(kernel, args):
    name = os.path.basename(kernel)[:-len(".elf")]
    log = ks.log_path(args, "conformance", name)
    if args.xen:
        b = pt.boot_xen(args.build, kernel, "exit=port", log,
                        timeout=args.timeout,
                        xen_options=XEN_OPTIONS.get(name, ""))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            iso = os.path.join(tmp, "c.iso")
            pt.make_iso(iso, os.path.join(args.build, "paravane.elf"),
                        "debug_exit dom0_mem=128M dom0_max_vcpus=2",
                        [(kernel, "")])
            b = pt.boot(iso, log, timeout=args.timeout, smp=2)
    return ks.parse(name, name, b, log)


def main():
    args = ks.arguments(__doc__).parse_args()
    kernels = args.kernels or sorted(
        os.path.join(args.build, "tests", "conformance", f)
        for f in os.listdir(os.path.join(args.build, "tests", "conformance"))
        if f.endswith(".elf"))
    suite = "conformance-xen" if args.xen else "conformance"
    return ks.run(suite, [lambda k=k: run_kernel(k, args) for k in kernels],
                  args.jobs)


if __name__ == "__main__":
    sys.exit(main())
