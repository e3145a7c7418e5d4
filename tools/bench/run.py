#!/usr/bin/env python3
"""make bench: hypervisor micro-benchmarks, Paravane against Xen 4.17.

Boots each benchmark kernel as dom0 (two vCPUs, two CPUs) of each
hypervisor, under the same QEMU (TCG) configuration:

  hvbench   tools/bench/hvbench.c: costs inside one domain (with the
            grant-table figures of bench_grant.c)
  dombench  tools/bench/dombench.c, with its ramdisk of domUs: costs
            between domains (event channels, switches, creation) and
            xenstore requests per second through our dom0's xenstored
            (from dom0 itself and from 1, 2 and 4 domUs); on Xen with
            sched=credit, the policy Paravane's scheduler follows

("--kernel NAME" runs only that one), reads their "bench <name> median
<value>" lines (TSC cycles, or nanoseconds for NS_FIGURES) and each
boot's report of the TSC frequency, and prints one table in nanoseconds
with the ratio Paravane/Xen, the grant and xenstore figures also as
rates (pairs/s, MB/s, ops/s), plus build/bench/hypervisor.json. Lines
"bench-warning ..." (a figure that did
not measure what it should) are shown under the table.
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
    ("grant_map_unmap", "grant map + unmap of a 4 KiB page, one domain"),
    ("grant_copy_4k", "grant copy of a 4 KiB page, one op per call"),
    ("memcpy_4k", "memcpy of 4 KiB inside the guest (baseline)"),
    ("evtchn_domains_2cpu", "event channel round trip, dom0 <-> domU, 2 CPUs"),
    ("evtchn_domains_1cpu", "event channel round trip, dom0 <-> domU, 1 CPU"),
    ("domain_switch", "switch between domains, one CPU (yield)"),
    ("domain_build", "domain build, 16 MiB (create .. unpause)"),
    ("domain_create_to_exit", "domain create .. first instruction ran"),
]

# Figures the kernels report in nanoseconds already (the rest: TSC cycles).
NS_FIGURES = {"timer_lateness"}

# The same figures as rates: (figure, title, unit, rate from ns per op).
RATES = [
    ("grant_map_unmap", "grant map + unmap pairs", "pairs/s",
     lambda ns: 1e9 / ns),
    ("grant_copy_4k", "grant copy, 4 KiB", "MB/s", lambda ns: 4096e3 / ns),
    ("memcpy_4k", "memcpy, 4 KiB (baseline)", "MB/s", lambda ns: 4096e3 / ns),
    # dombench_xenstore.c: write + read requests to dom0's xenstored.
    ("xenstore_dom0", "xenstore, dom0 in-process", "ops/s", lambda ns: 1e9 / ns),
    ("xenstore_domus_1", "xenstore, 1 domU over its ring", "ops/s",
     lambda ns: 1e9 / ns),
    ("xenstore_domus_2", "xenstore, 2 domUs, aggregate", "ops/s",
     lambda ns: 1e9 / ns),
    ("xenstore_domus_4", "xenstore, 4 domUs, aggregate", "ops/s",
     lambda ns: 1e9 / ns),
]

# The kernels: (name, its ramdisk or None, Xen's extra options).
KERNELS = [
    ("hvbench", None, ""),
    ("dombench", "dombench.cpio", "sched=credit"),
]

PARAVANE_CMDLINE = "debug_exit dom0_mem=128M dom0_max_vcpus=2"

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
    warnings = re.findall(r"^bench-warning (.*)$", log, re.M)
    return mhz, med, reps, warnings


def run(target, name, ramdisk, xen_options, args):
    bench = os.path.join(args.build, "bench")
    kernel = os.path.join(bench, name + ".elf")
    log = os.path.join(bench, "%s-%s.log" % (name, target))
    os.makedirs(bench, exist_ok=True)
    if target == "xen":
        modules = [(kernel, "exit=port")]
        if ramdisk:
            modules.append((os.path.join(bench, ramdisk), ""))
        b = pt.boot_xen_modules(args.build, modules, log, timeout=600,
                                smp=pt.XEN_SMP, xen_options=xen_options)
    else:
        modules = [(kernel, "")]
        if ramdisk:
            modules.append((os.path.join(bench, ramdisk), "ramdisk"))
        with tempfile.TemporaryDirectory() as tmp:
            iso = os.path.join(tmp, "b.iso")
            pt.make_iso(iso, os.path.join(args.build, "paravane.elf"),
                        PARAVANE_CMDLINE, modules)
            b = pt.boot(iso, log, timeout=600, smp=2)
    if "%s: done" % name not in b.log:
        sys.exit("bench: %s on %s did not finish (%s); see %s" % (
            name, target, b.describe(), log))
    mhz, med, reps, warnings = parse(b.log.replace("\r", ""), target)
    if not mhz:
        sys.exit("bench: no TSC frequency in %s" % log)
    return {"tsc_mhz": mhz, "log": log, "raw": med, "reps": reps,
            "warnings": warnings,
            "hypervisor_options": xen_options if target == "xen" else PARAVANE_CMDLINE}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(pt.ROOT, "build"))
    ap.add_argument("--kernel", action="append", choices=[k[0] for k in KERNELS],
                    help="run only this kernel (may be repeated)")
    args = ap.parse_args()

    results = {}
    warnings = []
    for target in ("paravane", "xen"):
        t = results[target] = {"raw": {}, "raw_all_repetitions": {},
                               "raw_units": {}, "ns": {}, "runs": {}}
        for name, ramdisk, xen_options in KERNELS:
            if args.kernel and name not in args.kernel:
                continue
            r = run(target, name, ramdisk, xen_options, args)
            t.setdefault("tsc_mhz", r["tsc_mhz"])
            t["runs"][name] = {"tsc_mhz": r["tsc_mhz"], "log": r["log"],
                               "options": r["hypervisor_options"],
                               "figures": sorted(r["raw"])}
            t["raw"].update(r["raw"])
            t["raw_all_repetitions"].update(r["reps"])
            for k, v in r["raw"].items():
                ns = k in NS_FIGURES
                t["raw_units"][k] = "ns" if ns else "tsc_cycles"
                t["ns"][k] = float(v) if ns else v * 1000.0 / r["tsc_mhz"]
            warnings += ["%s: %s" % (target, w) for w in r["warnings"]]

    print("Hypervisor micro-benchmarks (QEMU TCG, 2 CPUs, dom0, median of %d)" %
          len(next(iter(results["paravane"]["raw_all_repetitions"].values()))))
    print("%-48s %12s %12s %14s" % ("benchmark (ns per operation)",
                                    "Paravane", "Xen 4.17", "Paravane/Xen"))
    ratios = {}
    for key, title in BENCHMARKS:
        p = results["paravane"]["ns"].get(key)
        x = results["xen"]["ns"].get(key)
        ratios[key] = p / x if p and x else None
        print("%-48s %12s %12s %14s" % (
            title,
            "%.1f" % p if p is not None else "-",
            "%.1f" % x if x is not None else "-",
            "%.2f" % ratios[key] if ratios[key] is not None else "-"))
    print("%-48s %12s %12s %14s" % ("as rates (higher is better)", "Paravane",
                                    "Xen 4.17", "Paravane/Xen"))
    rates = {}
    for key, title, unit, rate in RATES:
        p = results["paravane"]["ns"].get(key)
        x = results["xen"]["ns"].get(key)
        rp = rate(p) if p else None
        rx = rate(x) if x else None
        rates[key] = {"unit": unit, "paravane": rp, "xen": rx}
        print("%-48s %12s %12s %14s" % (
            "%s (%s)" % (title, unit),
            "%.0f" % rp if rp is not None else "-",
            "%.0f" % rx if rx is not None else "-",
            "%.2f" % (rp / rx) if rp and rx else "-"))
    print("Xen runs hvbench with its default scheduler (credit2) and dombench "
          "(the dom0 <-> domU rows) with sched=credit.")
    print("xenstore rows: our dom0, our xenstored and our domUs on both "
          "hypervisors (on Xen too), all on CPU 0; write + read requests.")
    for w in warnings:
        print("warning: " + w)
    results["ratio_paravane_over_xen"] = ratios
    results["rates"] = rates
    results["warnings"] = warnings
    out = os.path.join(args.build, "bench", "hypervisor.json")
    with open(out, "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
    print("JSON: %s" % out)


if __name__ == "__main__":
    main()
