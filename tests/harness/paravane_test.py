"""Shared harness for Paravane's QEMU-based test suites.

A case boots an ISO (hypervisor, command line, boot modules) under QEMU
with TCG, reads the serial console, and ends when the run writes its
status to the isa-debug-exit port, or when its timeout expires. Suites
declare cases with @case, run them in parallel with run_suite(), and
print one summary line "<suite>: N passed, N failed".
"""

import concurrent.futures
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Keep in sync with include/paravane/qemu_exit.h.
EXIT_SUCCESS = 0x10
EXIT_FAILURE = 0x11
EXIT_PANIC = 0x12


def qemu_status(code):
    """QEMU's exit status for a value written to isa-debug-exit."""
    return (code << 1) | 1


STATUS_NAMES = {
    qemu_status(EXIT_SUCCESS): "success",
    qemu_status(EXIT_FAILURE): "failure",
    qemu_status(EXIT_PANIC): "panic",
}


class Boot:
    """What one QEMU run produced."""

    def __init__(self, status, log, timed_out, seconds):
        self.status = status
        self.log = log
        self.timed_out = timed_out
        self.seconds = seconds

    def describe(self):
        if self.timed_out:
            return "timed out after %.0f s" % self.seconds
        return "exit status %d (%s)" % (
            self.status, STATUS_NAMES.get(self.status, "unexpected"))


class CaseFailure(Exception):
    pass


def make_iso(out, hv_elf, cmdline, modules=()):
    """Build an ISO with tools/mkiso.sh; modules are (path, cmdline)."""
    args = [os.path.join(ROOT, "tools", "mkiso.sh"), out, hv_elf, cmdline]
    for path, mod_cmdline in modules:
        args += [path, mod_cmdline]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def boot(iso, log_path, timeout=60, smp=1, mem="512M", cpu="max",
         extra_args=()):
    """Boot iso under QEMU/TCG; the serial console goes to log_path."""
    return run_qemu(["-cdrom", iso, "-boot", "d"] + list(extra_args),
                    log_path, timeout, smp, mem, cpu)


def xen_binary(build_dir):
    """Xen 4.17 from Debian (fetched once by tools/xen-fetch.sh)."""
    subprocess.run([os.path.join(ROOT, "tools", "xen-fetch.sh"), build_dir],
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.join(build_dir, "xen", "xen.elf")


# Xen's options for running a kernel as its dom0 (see tools/xen-run.sh):
# two vCPUs on QEMU's two CPUs, like the Paravane runs.
XEN_CMDLINE = ("console=com1 com1=115200,8n1 dom0_mem=128M,max:128M "
               "dom0_max_vcpus=2 noreboot loglvl=all guest_loglvl=all")
XEN_SMP = 2


def boot_xen(build_dir, kernel, kernel_cmdline, log_path, timeout=120,
             xen_options=""):
    """Boot kernel as dom0 of Xen 4.17; it must end the run itself."""
    module = (kernel + (" " + kernel_cmdline if kernel_cmdline else ""))
    return run_qemu(["-kernel", xen_binary(build_dir),
                     "-append", (XEN_CMDLINE + " " + xen_options).strip(),
                     "-initrd", module.replace(",", ",,")],
                    log_path, timeout, XEN_SMP, "512M", "max,-smap")


def run_qemu(boot_args, log_path, timeout, smp, mem, cpu):
    """Run QEMU/TCG with the serial console in log_path, with a timeout."""
    args = [
        "qemu-system-x86_64", "-machine", "q35", "-accel", "tcg",
        "-cpu", cpu, "-smp", str(smp), "-m", mem,
        "-display", "none", "-no-reboot", "-monitor", "none",
        "-serial", "file:" + log_path,
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
    ] + list(boot_args)
    start = time.monotonic()
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE,
                            start_new_session=True)
    timed_out = False
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
    seconds = time.monotonic() - start
    with open(log_path, "r", errors="replace") as f:
        log = f.read().replace("\r\n", "\n")
    if err:
        log += "\n[qemu stderr]\n" + err.decode(errors="replace")
    return Boot(proc.returncode, log, timed_out, seconds)


class Context:
    """Per-case helpers: a scratch directory and the build products."""

    def __init__(self, name, build_dir, scratch):
        self.name = name
        self.build = build_dir
        self.scratch = scratch
        self.hv_elf = os.path.join(build_dir, "paravane.elf")
        self.log_path = os.path.join(build_dir, "tests", "logs", name + ".log")

    def path(self, name):
        return os.path.join(self.scratch, name)

    def boot_hypervisor(self, cmdline, modules=(), **kw):
        iso = self.path("boot.iso")
        make_iso(iso, self.hv_elf, cmdline, modules)
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        return boot(iso, self.log_path, **kw)


def expect_status(b, code):
    if b.timed_out or b.status != qemu_status(code):
        raise CaseFailure("expected exit %s, got %s" % (
            STATUS_NAMES[qemu_status(code)], b.describe()))


def expect_lines(b, *patterns):
    """Every regex must match somewhere in the log (multiline)."""
    for p in patterns:
        if not re.search(p, b.log, re.MULTILINE):
            raise CaseFailure("log lacks /%s/" % p)


def expect_absent(b, *patterns):
    for p in patterns:
        if re.search(p, b.log, re.MULTILINE):
            raise CaseFailure("log unexpectedly has /%s/" % p)


def expect_order(b, *patterns):
    """The regexes must match in this order."""
    pos = 0
    for p in patterns:
        m = re.compile(p, re.MULTILINE).search(b.log, pos)
        if not m:
            raise CaseFailure("log lacks /%s/ after offset %d" % (p, pos))
        pos = m.end()


_CASES = []


def case(fn):
    """Register a test case: fn(ctx) raises CaseFailure (or asserts)."""
    _CASES.append(fn)
    return fn


def _run_one(fn, build_dir):
    scratch = tempfile.mkdtemp(prefix="pv-" + fn.__name__ + "-")
    ctx = Context(fn.__name__, build_dir, scratch)
    start = time.monotonic()
    try:
        fn(ctx)
        return fn.__name__, None, time.monotonic() - start, ctx
    except (CaseFailure, AssertionError, subprocess.CalledProcessError) as e:
        return fn.__name__, str(e) or repr(e), time.monotonic() - start, ctx
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _log_tail(ctx, lines=40):
    try:
        with open(ctx.log_path, errors="replace") as f:
            return f.read().replace("\r\n", "\n").splitlines()[-lines:]
    except OSError:
        return []


def run_suite(suite, argv=None):
    """Run every registered case; print results and the summary line."""
    import argparse
    ap = argparse.ArgumentParser(description="Paravane %s tests" % suite)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--jobs", type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument("-k", dest="only", help="run cases whose name has this")
    args = ap.parse_args(argv)
    cases = [c for c in _CASES if not args.only or args.only in c.__name__]

    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(_run_one, c, args.build) for c in cases]
        for fut in concurrent.futures.as_completed(futures):
            name, err, secs, ctx = fut.result()
            if err is None:
                passed += 1
                print("PASS %-40s %5.1fs" % (name, secs), flush=True)
            else:
                failed += 1
                print("FAIL %-40s %5.1fs  %s" % (name, secs, err), flush=True)
                for line in _log_tail(ctx):
                    print("     | " + line)
                print("     (full log: %s)" % ctx.log_path, flush=True)
    print("%s: %d passed, %d failed" % (suite, passed, failed), flush=True)
    return 1 if failed else 0


def boot_xen_modules(build_dir, modules, log_path, timeout=120, smp=1,
                     xen_options=""):
    """Boot Xen 4.17 with boot modules [(path, cmdline)]: the first is
    dom0's kernel, the second its initrd. The kernel must end the run."""
    initrd = ",".join((path + (" " + cmdline if cmdline else "")).replace(",", ",,")
                      for path, cmdline in modules)
    return run_qemu(["-kernel", xen_binary(build_dir),
                     "-append", (XEN_CMDLINE + " " + xen_options).strip(),
                     "-initrd", initrd],
                    log_path, timeout, smp, "512M", "max,-smap")
