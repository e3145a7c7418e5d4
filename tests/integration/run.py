#!/usr/bin/env python3
"""Integration tests: boot the hypervisor under QEMU and check what it says.

Every case boots the real ISO with a test command line (debug_exit makes
the run report its end through isa-debug-exit; selftest=<name> picks a
built-in self-test, see hypervisor/arch/x86/selftest.c).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from paravane_test import (EXIT_FAILURE, EXIT_PANIC, EXIT_SUCCESS, case, expect_absent,  # noqa: E402
                           expect_lines, expect_order, expect_status, run_suite)


@case
def boots_to_ready_banner(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=ready")
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^\(PV\) Paravane \d+\.\d+, a paravirtualizing microhypervisor",
                 r"^\(PV\) Command line: debug_exit selftest=ready$",
                 r"^\(PV\) CPU: \S+, .*\(family",
                 r"^\(PV\) Memory map \(from GRUB",
                 r"^\(PV\)   0000000000100000 - [0-9a-f]{16}  RAM$",
                 r"^\(PV\) RAM: \d+ MiB$",
                 r"^\(PV\) Frame table: \d+ frames",
                 r"^\(PV\) Heap: \d+ of \d+ frames free",
                 r"^\(PV\) TSC: \d+\.\d{3} MHz \(calibrated against the PIT\)",
                 r"^\(PV\) Paravane ready: 1 CPU\(s\) found, \d+ MiB free$",
                 r"selftest: 'ready' PASSED")


@case
def memory_map_reflects_ram_size(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=ready", mem="256M")
    expect_status(b, EXIT_SUCCESS)
    expect_lines(b, r"^\(PV\) RAM: 25[0-5] MiB$",
                 r"^\(PV\)   0000000000000000 - 000000000009fc00  RAM$",
                 r"  reserved$")


@case
def modules_are_listed_with_their_command_lines(ctx):
    a, b_ = ctx.path("first.bin"), ctx.path("second.bin")
    with open(a, "wb") as f:
        f.write(os.urandom(5000))
    with open(b_, "wb") as f:
        f.write(b"x" * 100)
    b = ctx.boot_hypervisor("debug_exit selftest=ready",
                            modules=[(a, "dom0 console=hvc0 x=1"), (b_, "ramdisk")])
    expect_status(b, EXIT_SUCCESS)
    expect_lines(b, r"^\(PV\) Boot modules: 2$",
                 r"^\(PV\)   module 0: [0-9a-f]{16} - [0-9a-f]{16} \(5 KiB\) 'dom0 console=hvc0 x=1'$",
                 r"^\(PV\)   module 1: [0-9a-f]{16} - [0-9a-f]{16} \(1 KiB\) 'ramdisk'$")


@case
def acpi_finds_all_cpus_and_interrupt_hardware(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=ready", smp=4)
    expect_status(b, EXIT_SUCCESS)
    expect_lines(b, r"^\(PV\) ACPI: tables:.* APIC",
                 r"^\(PV\) ACPI: 4 CPU\(s\), local APIC at 0xfee00000$",
                 r"^\(PV\) ACPI: IO-APIC \d+ at 0xfec00000, GSI base 0$",
                 r"^\(PV\) Paravane ready: 4 CPU\(s\) found")


@case
def application_processors_come_online(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=ready", smp=4)
    expect_status(b, EXIT_SUCCESS)
    expect_lines(b, r"^\(PV\) SMP: 4 CPU\(s\) online$")
    expect_absent(b, r"did not come up")


@case
def maxcpus_limits_the_cpus_brought_up(ctx):
    b = ctx.boot_hypervisor("debug_exit maxcpus=2 selftest=ready", smp=4)
    expect_status(b, EXIT_SUCCESS)
    expect_lines(b, r"^\(PV\) SMP: 2 CPU\(s\) online$")


@case
def apic_timer_is_calibrated(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=ready")
    expect_status(b, EXIT_SUCCESS)
    expect_lines(b, r"^\(PV\) APIC: local APIC 0, timer \d+\.\d{3} MHz, (one-shot|TSC-deadline) mode$")


@case
def unknown_option_is_reported_and_boot_continues(ctx):
    b = ctx.boot_hypervisor("debug_exit bogus_option=7 loglvl=loud selftest=ready")
    expect_status(b, EXIT_SUCCESS)
    expect_lines(b, r"cmdline: unknown option 'bogus_option=7'",
                 r"cmdline: bad value for 'loglvl': loud",
                 r"Paravane ready")


@case
def loglvl_error_hides_info_but_not_panics(ctx):
    b = ctx.boot_hypervisor("debug_exit loglvl=error selftest=fault-ud")
    expect_status(b, EXIT_PANIC)
    expect_absent(b, r"Memory map", r"Paravane ready")
    expect_lines(b, r"FATAL TRAP: vector 6 \(invalid opcode\)", r"System halted\.")


@case
def console_none_is_silent(ctx):
    b = ctx.boot_hypervisor("debug_exit console=none selftest=ready")
    expect_status(b, EXIT_SUCCESS)
    expect_absent(b, r"\(PV\)")


@case
def serial_settings_are_accepted(ctx):
    b = ctx.boot_hypervisor("debug_exit com1=57600,0x3f8 selftest=ready")
    expect_status(b, EXIT_SUCCESS)
    expect_absent(b, r"bad value")
    expect_lines(b, r"Paravane ready")


def expect_fatal_dump(b, vector, name, function, extra=()):
    expect_status(b, EXIT_PANIC)
    expect_order(b, r"^\(PV\) Panic on CPU 0:$",
                 r"^\(PV\) FATAL TRAP: vector %d \(%s\)" % (vector, name),
                 r"^\(PV\) CPU: 0   vector: %d   error code: [0-9a-f]{8}$" % vector,
                 r"^\(PV\) RIP: \[<ffff82d04[0-9a-f]{7}>\] %s\+0x[0-9a-f]+/0x[0-9a-f]+$" % function,
                 r"^\(PV\) CS: e008   SS: e010   RFLAGS: [0-9a-f]{16}$",
                 r"^\(PV\) rax: [0-9a-f]{16}   rbx: [0-9a-f]{16}   rcx: [0-9a-f]{16}$",
                 r"^\(PV\) r15: [0-9a-f]{16}$",
                 r"^\(PV\) cr0: [0-9a-f]{16}   cr2: [0-9a-f]{16}   cr3: [0-9a-f]{16}$",
                 *extra,
                 r"^\(PV\) Backtrace:$",
                 r"^\(PV\)    \[<[0-9a-f]{16}>\] %s\+" % function,
                 r"^\(PV\)    \[<[0-9a-f]{16}>\] selftest_run\+",
                 r"^\(PV\)    \[<[0-9a-f]{16}>\] start_paravane_late\+",
                 r"^\(PV\) System halted\.$")


@case
def page_fault_dumps_registers_and_halts(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=fault-pf")
    expect_fatal_dump(b, 14, "page fault", "fault_pf", extra=[
        r"^\(PV\) Page fault: not present, write, supervisor"])
    expect_lines(b, r"^\(PV\) cr0: [0-9a-f]{16}   cr2: 0000000000000010   ")


@case
def invalid_opcode_dumps_registers_and_halts(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=fault-ud")
    expect_fatal_dump(b, 6, "invalid opcode", "fault_ud")


@case
def general_protection_dumps_registers_and_halts(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=fault-gp")
    expect_fatal_dump(b, 13, "general protection fault", "fault_gp")


@case
def divide_error_dumps_registers_and_halts(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=fault-de")
    expect_fatal_dump(b, 0, "divide error", "fault_de")


@case
def stack_overflow_is_caught_by_guard_page_and_double_fault(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=stack-overflow")
    expect_status(b, EXIT_PANIC)
    expect_order(b, r"FATAL TRAP: vector 8 \(double fault\), stack overflow",
                 r"RIP: \[<[0-9a-f]{16}>\] recurse\+",
                 r"Backtrace:",
                 r"the same frame \d+ more time\(s\)",
                 r"stack_overflow\+",
                 r"System halted\.")


@case
def failed_assertion_panics_with_location(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=assert")
    expect_status(b, EXIT_PANIC)
    expect_order(b, r"Panic on CPU 0:",
                 r"Assertion 'sink == 12345' failed at hypervisor/arch/x86/selftest\.c:\d+",
                 r"Backtrace:", r"failed_assert\+", r"System halted\.")


@case
def nmi_is_reported_and_survived(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=nmi")
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"NMI received on CPU 0", r"selftest: 'nmi' PASSED")


@case
def timer_queue_fires_in_order_and_never_early(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=timers")
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"timer 3 \(5 ms\)", r"timer 1 \(10 ms\)",
                 r"timer 4 \(20 ms\)", r"timer 0 \(40 ms\)",
                 r"timer 5 \(50 ms\)", r"'timers' PASSED")
    expect_absent(b, r"timer 2 ")


@case
def heap_allocations_are_aligned_scrubbed_and_returned(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=heap")
    expect_status(b, EXIT_SUCCESS)
    expect_lines(b, r"'heap' PASSED")


def guest(ctx, name):
    if name == "hello":
        return os.path.join(ctx.build, "pvguest", "hello.elf")
    return os.path.join(ctx.build, "tests", "integration", name + ".elf")


@case
def dom0_boots_prints_start_info_and_hello(ctx):
    b = ctx.boot_hypervisor("debug_exit", modules=[(guest(ctx, "hello"), "greeting=1")])
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^\(PV\) Building dom0: 256 MiB",
                 r"^\(PV\)   Loaded kernel: ffffffff80000000->",
                 r"^\(PV\)   ENTRY ADDRESS: ffffffff80000000$",
                 r"^start_info at 0x[0-9a-f]+:$",
                 r'^  magic        "xen-3.0-x86_64"$',
                 r"^  nr_pages     65536 \(256 MiB\)$",
                 r"^  flags        0x3 privileged initdomain$",
                 r'^  cmd_line     "greeting=1"$',
                 r"^Hello from the Paravane PV guest kernel!$",
                 r"^\(PV\) Domain 0 shut down: power off \(reason 0\)$")


@case
def dom0_memory_follows_dom0_mem(ctx):
    b = ctx.boot_hypervisor("debug_exit dom0_mem=64M", modules=[(guest(ctx, "hello"), "")])
    expect_status(b, EXIT_SUCCESS)
    expect_lines(b, r"^  nr_pages     16384 \(64 MiB\)$")


@case
def guest_without_a_handler_is_crashed_with_a_dump(ctx):
    b = ctx.boot_hypervisor("debug_exit", modules=[(guest(ctx, "crash"), "crash=unhandled")])
    expect_status(b, EXIT_FAILURE)
    expect_order(b, r"crash: clearing the trap table",
                 r"^\(PV\) Domain 0 crashed: unhandled invalid opcode \(vector 6",
                 r"^\(PV\) d0 v0 in guest kernel mode:$",
                 r"^\(PV\) RIP: e033:ffffffff8[0-9a-f]+ ",
                 r"^\(PV\) rcx: ",
                 r"^\(PV\) Domain 0 shut down: crash \(reason 3\)$")
    expect_absent(b, r"crash: still alive", r"Panic on CPU")


@case
def guest_with_an_unusable_stack_is_crashed_alone(ctx):
    b = ctx.boot_hypervisor("debug_exit", modules=[(guest(ctx, "crash"), "crash=badstack")])
    expect_status(b, EXIT_FAILURE)
    expect_order(b, r"crash: trapping on an unmapped stack",
                 r"^\(PV\) Domain 0 crashed: cannot write a bounce frame at 0x",
                 r"^\(PV\) RSP: e02b:0000000000010000",
                 r"^\(PV\) Domain 0 shut down: crash \(reason 3\)$")
    expect_absent(b, r"crash: still alive", r"Panic on CPU")


@case
def unknown_selftest_fails_the_run(ctx):
    b = ctx.boot_hypervisor("debug_exit selftest=no-such-test")
    expect_lines(b, r"selftest: no test named 'no-such-test'")
    if b.timed_out or b.status != 35:
        raise AssertionError("expected failure exit, got " + b.describe())


if __name__ == "__main__":
    sys.exit(run_suite("integration"))
