#!/usr/bin/env python3
"""make bench: hypervisor micro-benchmarks, Paravane against Xen 4.17.

Boots the hvbench kernel (tools/bench/hvbench.c) as dom0 of each
hypervisor, reads its "bench <name> median <value>" lines (TSC cycles, or
nanoseconds for NS_FIGURES) and each hypervisor's own report of the TSC
frequency, and prints a table in nanoseconds with the ratio Paravane/Xen,
and build/bench/hypervisor.json.
Both runs use the same QEMU (TCG) configuration and the same kernel.
"""

import argparse
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "harness"))
import paravane_test as pt  # noqa: E402

BENCHMARKS = [
    ("null_hypercall", "null hypercall round trip"),
    ("mmu_update", "mmu_update, per entry of a 512 batch"),
    ("trap_bounce", "trap bounce (int3 -> handler -> iret)"),
    ("evtchn_loopback", "event channel round trip, loopback, one vCPU"),
    ("evtchn_vcpus", "event channel round trip, vCPU 0 <-> vCPU 1"),
    ("timer_lateness", "timer lateness, 1 ms sleep (ns after deadline)"),
]

# Figures the kernel reports in nanoseconds already (the rest: TSC cycles).
NS_FIGURES = {"timer_lateness"}

TSC_RE = {
    "paravane": re.compile(r"TSC: (\d+\.\d+) MHz"),
    "xen": re.compile(r"Detected (\d+\.\d+) MHz processor"),
}


def parse(log, target):
    m = TSC_RE[target].search(log)
    mhz = float(m.group(1)) if m else None
    med = {k: int(v) for k, v in re.findall(r"^bench (\S+) median (\d+)$", log, re.M)}
    reps = {}
    for k, _, v in re.findall(r"^bench (\S+) (\d+) (\d+)$", log, re.M):
        reps.setdefault(k, []).append(int(v))
    return mhz, med, reps


def run(target, args):
    kernel = os.path.join(args.build, "bench", "hvbench.elf")
    logdir = os.path.join(args.build, "bench")
    log = os.path.join(logdir, "hvbench-%s.log" % target)
    os.makedirs(logdir, exist_ok=True)
    if target == "xen":
        b = pt.boot_xen(args.build, kernel, "exit=port", log, timeout=600)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            iso = os.path.join(tmp, "b.iso")
            pt.make_iso(iso, os.path.join(args.build, "paravane.elf"),
                        "debug_exit dom0_mem=128M dom0_max_vcpus=2", [(kernel, "")])
            b = pt.boot(iso, log, timeout=600, smp=2)  # as Xen runs (XEN_SMP)
    if "hvbench: done" not in b.log:
        sys.exit("bench: the %s run did not finish (%s); see %s" % (
            target, b.describe(), log))
    return parse(b.log.replace("\r", ""), target)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(pt.ROOT, "build"))
    args = ap.parse_args()

    results = {}
    for target in ("paravane", "xen"):
        mhz, med, reps = run(target, args)
        if not mhz:
            sys.exit("bench: no TSC frequency in the %s log" % target)
        results[target] = {
            "tsc_mhz": mhz,
            "raw": med,
            "raw_all_repetitions": reps,
            "raw_units": {k: "ns" if k in NS_FIGURES else "tsc_cycles"
                          for k in med},
            "ns": {k: float(v) if k in NS_FIGURES else v * 1000.0 / mhz
                   for k, v in med.items()},
        }

    print("Hypervisor micro-benchmarks (QEMU TCG, dom0, median of %d)" %
          len(next(iter(results["paravane"]["raw_all_repetitions"].values()))))
    print("%-48s %12s %12s %14s" % ("benchmark (ns per operation)",
                                    "Paravane", "Xen 4.17", "Paravane/Xen"))
    ratios = {}
    for key, title in BENCHMARKS:
        p = results["paravane"]["ns"].get(key)
        x = results["xen"]["ns"].get(key)
        ratios[key] = p / x if p and x else None
        print("%-48s %12.1f %12.1f %14.2f" % (title, p, x, ratios[key]))
    results["ratio_paravane_over_xen"] = ratios
    out = os.path.join(args.build, "bench", "hypervisor.json")
    with open(out, "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
    print("JSON: %s" % out)


if __name__ == "__main__":
    main()
