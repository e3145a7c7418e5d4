#!/usr/bin/env python3
"""Integration tests: boot the hypervisor under QEMU and check what it says.

Every case boots the real ISO with a test command line (debug_exit makes
the run report its end through isa-debug-exit; selftest=<name> picks a
built-in self-test, see hypervisor/arch/x86/selftest.c).
"""

import os
import re
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from paravane_test import (Boot, CaseFailure, EXIT_FAILURE, EXIT_PANIC, EXIT_SUCCESS, case,  # noqa: E402
                           expect_absent, expect_lines, expect_order, expect_status, make_iso,
                           run_suite)


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
def dom0_power_off_powers_the_machine_off(ctx):
    # No debug_exit: QEMU ends because the machine entered ACPI S5.
    b = ctx.boot_hypervisor("", modules=[(guest(ctx, "hello"), "")])
    if b.timed_out or b.status != 0:
        raise CaseFailure("expected QEMU to power off, got %s" % b.describe())
    expect_order(b, r"^\(PV\) Domain 0 shut down: power off \(reason 0\)$",
                 r"^\(PV\) dom0 has powered off; powering off\.$")
    expect_absent(b, r"ACPI power-off failed", r"System halted")


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


# ---- dom0's toolstack (tools/xl): dom0.elf with a ramdisk, driven by xl.run

def dom0(ctx, commands, ramdisk="integration", auto=True, smp=2):
    """Boot dom0.elf with a ramdisk; it runs commands (the last one should
    be poweroff, which ends the run)."""
    if ramdisk == "integration":
        rd = os.path.join(ctx.build, "tests", "integration", "ramdisk.cpio")
    else:
        rd = os.path.join(ctx.build, "dom0", "ramdisk.cpio")
    cmdline = ("" if auto else "xl.auto=0 ") + 'xl.run="%s"' % commands
    return ctx.boot_hypervisor(
        "debug_exit dom0_mem=128M",
        modules=[(os.path.join(ctx.build, "pvguest", "dom0.elf"), cmdline),
                 (rd, "ramdisk")],
        smp=smp, timeout=60)


@case
def dom0_autostarts_the_demo_pair_linked_and_pinned(ctx):
    # Both run before dom0 looks and powers off (their boot lines show).
    b = dom0(ctx, "expect demo-a 'serving on port' 30; "
             "expect demo-b 'bound to d1' 30; xl list; xl vcpu-list; "
             "poweroff", ramdisk="demo")
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^xl: ramdisk of \d+ KiB$",
                 r"^xl: autostart: domain 1 \(demo-a\) created$",
                 r"^xl: autostart: domain 2 \(demo-b\) created$",
                 r"^dom0# xl list$",
                 r"^Name +ID +Mem VCPUs +State +Time\(s\)$",
                 r"^Domain-0 +0 +128 +1 +r----- +\d+\.\d$",
                 r"^demo-a +1 +16 +1 +[-rb]{2}---- +\d+\.\d$",
                 r"^demo-b +2 +16 +1 +[-rb]{2}---- +\d+\.\d$",
                 r"^dom0# xl vcpu-list$",
                 r"^demo-a +1 +0 +0 +[-rb]{2}- +\d+\.\d  0 / all$",
                 r"^demo-b +2 +0 +1 +[-rb]{2}- +\d+\.\d  1 / all$",
                 r"^dom0# poweroff$",
                 r"^\(PV\) Domain 1 destroyed$",
                 r"^\(PV\) Domain 2 destroyed$",
                 r"^dom0: powering off$")
    # dom0 opened a channel in demo-a for demo-b and told both.
    expect_lines(b, r'^\(d1\)   cmd_line     "rounds=1000 evtchn_port=(\d+)"$',
                 r'^\(d2\)   cmd_line     "rounds=1000 evtchn_peer=1 evtchn_port=\d+"$')


@case
def ping_pong_pair_exchanges_events_to_the_end(ctx):
    b = dom0(ctx, "wait ping-b 50; xl list; poweroff")
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^\(d2\) pingpong: port \d+ bound to d1 port \d+$",
                 r"^\(d2\) pingpong: 100 round trips$",
                 r"^\(d2\) pingpong: done, 100 round trips; powering off$")
    expect_order(b, r"^domain 2 \(ping-b\) shut down: poweroff$",
                 r"^domain 2 \(ping-b\): on_poweroff = destroy$",
                 r"^wait: domain 2 is gone$",
                 r"^dom0# xl list$", r"^ping-a +1 ")
    expect_lines(b, r"^\(d1\) pingpong: answered 100 pings$")
    expect_absent(b, r"^ping-b +2 ")


@case
def xl_commands_manage_a_domain(ctx):
    b = dom0(ctx, "xl create /etc/xl/idle.cfg; xl list idle; xl pause idle; "
             "xl list 1; xl unpause idle; xl vcpu-pin idle all 1; "
             "xl vcpu-list idle; xl sched-credit -d idle -w 512 -c 20; "
             "xl sched-credit; xl destroy idle; xl list; "
             "poweroff", auto=False)
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^Parsing config from /etc/xl/idle.cfg$",
                 r"^Created domain 1 \(idle\)$",
                 r"^idle +1 +8 +1 ",
                 r"^dom0# xl pause idle$", r"^idle +1 +8 +1 +-[-b]p--- ",
                 r"^dom0# xl vcpu-list idle$",
                 r"^idle +1 +0 +1 +[-rb]{2}- +\d+\.\d  1 / all$",
                 r"^idle +1 +1 +- +--p +0\.0  1 / all$",
                 r"^dom0# xl sched-credit$",
                 r"^Name +ID Weight  Cap$",
                 r"^Domain-0 +0 +256 +0$",
                 r"^idle +1 +512 +20$",
                 r"^dom0# xl destroy idle$", r"^\(PV\) Domain 1 destroyed$",
                 r"^dom0# xl list\nName .*\nDomain-0 .*\ndom0# poweroff$")


@case
def xl_shutdown_powers_a_pvguest_domU_off(ctx):
    # pvguest's control thread announces control/feature-poweroff and
    # watches control/shutdown. Asked at once after the create, before it
    # may have announced anything, the domU still hears the request: a
    # new watch fires straight away, and the request waits in the node.
    b = dom0(ctx, "xl create /etc/xl/idle.cfg; xl shutdown idle; "
             "wait idle 30; xl list; poweroff", auto=False)
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^Created domain 1 \(idle\)$",
                 r"^dom0# xl shutdown idle$",
                 r"^\(d1\) control: the toolstack asks for poweroff$",
                 r"^domain 1 \(idle\) shut down: poweroff$",
                 r"^wait: domain 1 is gone$",
                 r"^dom0# xl list\nName .*\nDomain-0 .*\ndom0# poweroff$")


@case
def dom0_runs_xenstored(ctx):
    b = dom0(ctx, "xenstore-write /test/a hello /test/b world; "
             "xenstore-read /test/a /local/domain/1/name; "
             "xenstore-ls /local/domain/1; xenstore-rm /test; "
             "xenstore-read /test/a; xenstore-ls /nowhere; poweroff")
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^xenstored: serving; dom0's home is /local/domain/0$",
                 r"^xl: autostart: domain 1 \(ping-a\) created$",
                 r"^dom0# xenstore-read /test/a /local/domain/1/name$",
                 r"^hello$", r"^ping-a$",
                 r"^dom0# xenstore-ls /local/domain/1$",
                 r'^name = "ping-a"$', r'^domid = "1"$',
                 r'^control = ""$', r'^ shutdown = ""$',
                 r'^memory = ""$', r'^ static-max = "8192"$',
                 r'^ target = "8192"$',
                 r'^store = ""$', r'^ port = "\d+"$', r'^ ring-ref = "\d+"$',
                 r"^dom0# xenstore-rm /test$",
                 r"^xenstore-read: couldn't read path /test/a: no such node$",
                 r"^xenstore-ls: /nowhere: no such node$",
                 r"^dom0# poweroff$")


@case
def xl_reports_the_host_and_the_hypervisor(ctx):
    b = dom0(ctx, "xl info; xl top; xl dmesg; poweroff")
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^dom0# xl info$", r"^nr_cpus +: 2$",
                 r"^total_memory +: \d+$", r"^free_memory +: \d+$",
                 r"^xen_scheduler +: credit$",
                 r"^xen_version +: 4\.17-paravane$",
                 r"^xen_commandline +: debug_exit dom0_mem=128M$",
                 r"^dom0# xl top$", r"^\d+ domains: ",
                 r"^ +NAME +STATE +CPU\(sec\) CPU\(%\)",
                 r"^ +Domain-0 [-dsbpcr]{6} ",
                 r"^ +ping-a [-dsbpcr]{6} ",
                 r"^dom0# xl dmesg$", r"^\(PV\) Paravane ready: ",
                 r"^\(PV\) Domain 1 created \(1 vCPUs\)$",
                 r"^dom0# poweroff$")


@case
def shutdown_actions_follow_the_configuration(ctx):
    b = dom0(ctx, "xl create /etc/xl/crash.cfg; wait crash; xl list; "
             "xl create /etc/xl/poweroff.cfg; wait poweroff; "
             "xl create /etc/xl/reboot.cfg; wait reboot; poweroff", auto=False)
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^Created domain 1 \(crash\)$",
                 r"^domain 1 \(crash\) shut down: crash$",
                 r"^domain 1 \(crash\): on_crash = preserve$",
                 r"^wait: domain 1 has shut down \(crash\)$",
                 r"^crash +1 +8 +1 +[-r]--sc- ",  # may still be leaving its CPU
                 r"^Created domain 2 \(poweroff\)$",
                 r"^domain 2 \(poweroff\) shut down: poweroff$",
                 r"^domain 2 \(poweroff\): on_poweroff = destroy$",
                 r"^Created domain 3 \(reboot\)$",
                 r"^domain 3 \(reboot\) shut down: reboot$",
                 r"^domain 3 \(reboot\): on_reboot = restart$",
                 r"^domain 3 \(reboot\) restarted as domain 4$",
                 r"^wait: domain 3 is gone$",
                 r"^dom0: powering off$")


@case
def bad_configurations_and_images_leave_no_domain(ctx):
    b = dom0(ctx, "xl create /etc/xl/bad-syntax.cfg; "
             "xl create /etc/xl/bad-elf.cfg; xl create /etc/xl/small.cfg; "
             "xl create /etc/xl/missing.cfg; xl create /etc/xl/nosuch.cfg; "
             "xl create /etc/xl/idle.cfg; xl create /etc/xl/idle.cfg; "
             "xl list; poweroff", auto=False)
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^xl: /etc/xl/bad-syntax.cfg:4: unexpected text after the value of 'memory'$",
                 r"^xl: bad-elf: bad kernel image: not a little-endian ELF64 image$",
                 r"^xl: small: 1024 KiB of memory is too little: the initial mapping alone needs \d+ KiB$",
                 r"^xl: missing: kernel /boot/nothing.elf: no such file$",
                 r"^xl: /etc/xl/nosuch.cfg: no such file$",
                 r"^Created domain 1 \(idle\)$",
                 r"^xl: a domain called 'idle' already exists$",
                 r"^dom0# xl list$", r"^Domain-0 +0 ", r"^idle +1 ",
                 r"^dom0: powering off$")
    # Only the good domain was ever created (and destroyed at poweroff).
    expect_absent(b, r"^\(PV\) Domain 2 created")


@case
def bad_commands_are_answered(ctx):
    b = dom0(ctx, "xl destroy nosuch; xl destroy 0; xl pause 7; "
             "xl vcpu-pin 0 0 99; xl sched-credit -w 0; xl frobnicate; "
             "frob; help; poweroff", auto=False)
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^xl: no domain 'nosuch'$",
                 r"^xl: destroy: not for Domain-0$",
                 r"^xl: no domain '7'$",
                 r"^xl: '99' names no online CPU$",
                 r"^usage: xl sched-credit ",
                 r"^xl: unknown command 'frobnicate' \(try 'help'\)$",
                 r"^unknown command 'frob' \(try 'help'\)$",
                 r"^xl commands:$", r"^  xl sched-credit ",
                 r"^dom0: powering off$")


# ---- the PV console: domUs' rings, dom0's backend, xl console

@case
def domU_console_output_reaches_dom0_through_the_backend(ctx):
    b = dom0(ctx, "expect ping-a 'answered 100 pings' 30; xl console -l ping-a; poweroff")
    expect_status(b, EXIT_SUCCESS)
    # Boot messages are kept until the ring is up, then replayed into it.
    expect_order(b, r"^\(d1\) Paravane pvguest \d+\.\d+ ",
                 r"^\(d1\)   console      domU mfn 0x[0-9a-f]+ evtchn \d+$",
                 r"^\(d1\) console: ring at pfn 0x[0-9a-f]+, port \d+$",
                 r"^\(d1\) pingpong: serving on port \d+$",
                 r"^\(d1\) pingpong: answered 100 pings$",
                 r'^expect: domain 1 wrote "answered 100 pings"$',
                 r"^dom0# xl console -l ping-a$",
                 r"^Paravane pvguest \d+\.\d+ ",
                 r"^pingpong: serving on port \d+$",
                 r"^pingpong: answered 100 pings$",
                 r"^dom0# poweroff$")
    # Only through the ring: nothing went to the hypervisor's console_io.
    expect_absent(b, r"^\(PV\) \(d\d+\)", r"bytes lost")


@case
def console_round_trip_with_an_echo_domU(ctx):
    b = dom0(ctx, "xl create /etc/xl/echo.cfg; expect echo 'echo> '; "
             "send echo 'hello paravane'; expect echo 'HELLO PARAVANE'; "
             "send echo poweroff; wait echo; xl list; poweroff", auto=False)
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^Created domain 1 \(echo\)$",
                 r'^expect: domain 1 wrote "echo> "$',
                 r"^dom0# send echo 'hello paravane'$",
                 r"^\(d1\) echo> hello paravane$",
                 r"^\(d1\) HELLO PARAVANE$",
                 r'^expect: domain 1 wrote "HELLO PARAVANE"$',
                 r"^dom0# send echo poweroff$",
                 r"^\(d1\) echo> poweroff$",
                 r"^domain 1 \(echo\) shut down: poweroff$",
                 r"^wait: domain 1 is gone$",
                 r"^dom0# xl list\nName .*\nDomain-0 .*\ndom0# poweroff$")
    expect_lines(b, r"^\(d1\) pvguest: powering off \(code 0\)$")


@case
def a_hostile_console_frontend_loses_only_its_console(ctx):
    b = dom0(ctx, "xl create /etc/xl/hostile.cfg; xl create /etc/xl/hostile-in.cfg; "
             "expect hostile never 30; expect hostile-in never 30; "
             "xl console hostile; send hostile-in x; "
             "xl create /etc/xl/echo.cfg; expect echo 'echo> '; "
             "send echo 'still here'; expect echo 'STILL HERE'; xl list; "
             "xl destroy hostile; xl destroy hostile-in; xl list; poweroff", auto=False)
    expect_status(b, EXIT_SUCCESS)
    expect_lines(b, r"^console: domain 1: its out_prod index is impossible; "
                 r"its console is disconnected$",
                 r"^console: domain 2: its in_cons index is impossible; "
                 r"its console is disconnected$")
    expect_order(b, r"^expect: domain 1's console was disconnected$",
                 r"^expect: domain 2's console was disconnected$",
                 r"^xl: domain 1's console was disconnected; its log:$",
                 r"^send: domain 2: console disconnected$",
                 r'^expect: domain 3 wrote "STILL HERE"$',
                 r"^hostile +1 +8 +1 ", r"^hostile-in +2 +8 +1 ", r"^echo +3 +8 +1 ",
                 r"^\(PV\) Domain 1 destroyed$", r"^\(PV\) Domain 2 destroyed$",
                 r"^dom0# xl list\nName .*\nDomain-0 .*\necho +3 .*\ndom0# poweroff$",
                 r"^dom0: powering off$")


@case
def console_commands_refuse_what_they_cannot_do(ctx):
    b = dom0(ctx, "xl console 0; xl console nosuch; console 7; send nosuch x; "
             "send; expect; xl create /etc/xl/idle.cfg; expect idle never 1; "
             "poweroff", auto=False)
    expect_status(b, EXIT_SUCCESS)
    expect_order(b, r"^xl: console: Domain-0's console is this one$",
                 r"^xl: no domain 'nosuch'$",
                 r"^xl: no domain '7'$",
                 r"^xl: no domain 'nosuch'$",
                 r"^usage: send DOMAIN TEXT$",
                 r"^usage: expect DOMAIN TEXT \[SECONDS",
                 r"^Created domain 1 \(idle\)$",
                 r'^expect: domain 1 did not write "never" within 1 s$',
                 r"^dom0: powering off$")


class Serial:
    """dom0's console on a pipe: read what it prints, type into it."""

    def __init__(self, ctx, commands):
        rd = os.path.join(ctx.build, "tests", "integration", "ramdisk.cpio")
        iso = ctx.path("boot.iso")
        make_iso(iso, ctx.hv_elf, "debug_exit dom0_mem=128M",
                 [(os.path.join(ctx.build, "pvguest", "dom0.elf"),
                   'xl.auto=0 xl.run="%s"' % commands), (rd, "ramdisk")])
        os.makedirs(os.path.dirname(ctx.log_path), exist_ok=True)
        self.log_path = ctx.log_path
        self.text, self.pos, self.lock = "", 0, threading.Lock()
        self.start = time.monotonic()
        self.proc = subprocess.Popen(
            ["qemu-system-x86_64", "-machine", "q35", "-accel", "tcg",
             "-cpu", "max", "-smp", "2", "-m", "512M", "-display", "none",
             "-no-reboot", "-monitor", "none", "-serial", "stdio",
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
             "-cdrom", iso, "-boot", "d"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, start_new_session=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            data = self.proc.stdout.read1(4096)
            if not data:
                return
            with self.lock:
                self.text += data.decode(errors="replace").replace("\r", "")

    def wait(self, pattern, timeout=30):
        """Wait until pattern appears after the last match."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                m = re.compile(pattern, re.MULTILINE).search(self.text, self.pos)
            if m:
                self.pos = m.end()
                return
            time.sleep(0.05)
        self.finish(kill=True)
        raise CaseFailure("console lacks /%s/ after offset %d" % (pattern, self.pos))

    def type(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def finish(self, kill=False, timeout=30):
        """End the run (it must end by itself unless kill); its Boot."""
        timed_out = False
        try:
            if kill:
                raise subprocess.TimeoutExpired("qemu", 0)
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = not kill
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.reader.join(timeout=5)
        with open(self.log_path, "w") as f:
            f.write(self.text)
        return Boot(self.proc.returncode, self.text, timed_out,
                    time.monotonic() - self.start)


@case
def xl_console_attaches_forwards_keys_and_detaches_on_ctrl_bracket(ctx):
    s = Serial(ctx, "xl create /etc/xl/echo.cfg; expect echo 'echo> '")
    s.wait(r'^expect: domain 1 wrote "echo> "\ndom0# ')
    s.type(b"xl console echo\r")
    # The end of the log first, then the output as it comes, raw.
    s.wait(r"^\[console of domain 1 \(echo\); Ctrl-\] returns to dom0\]$")
    s.wait(r"^echo: ready; every line typed here comes back in capitals\necho> ")
    s.type(b"hello console\r")
    s.wait(r"hello console\nHELLO CONSOLE\necho> ")
    s.type(b"\x1d")
    s.wait(r"\ndom0# ")
    s.type(b"xl list\r")
    s.wait(r"^echo +1 +8 +1 ")
    # Unattached again: its lines come prefixed (its prompt "echo> " was
    # shown while attached), and the dom0 prompt comes back after them.
    s.type(b"send echo again\r")
    s.wait(r"^\(d1\) again\n\(d1\) AGAIN\n")
    s.wait(r"^dom0# ")
    s.type(b"poweroff\r")
    b = s.finish()
    expect_status(b, EXIT_SUCCESS)
    expect_absent(b, r"^\(d1\) (echo> )?hello console", r"^\(d1\) HELLO CONSOLE")


if __name__ == "__main__":
    sys.exit(run_suite("integration"))
