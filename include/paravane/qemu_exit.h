/*
 * Exit codes a Paravane test run reports through QEMU's isa-debug-exit
 * device. QEMU exits with status (value << 1) | 1, so the host sees the
 * PARAVANE_QEMU_STATUS() of each value. Shared by the hypervisor, the
 * pvguest test harness and the host-side test runners.
 */
#ifndef PARAVANE_QEMU_EXIT_H
#define PARAVANE_QEMU_EXIT_H

/* I/O port of the isa-debug-exit device (-device isa-debug-exit,iobase=0xf4). */
#define PARAVANE_DEBUG_EXIT_PORT 0xf4

#define PARAVANE_EXIT_SUCCESS 0x10 /* the run did what it was asked */
#define PARAVANE_EXIT_FAILURE 0x11 /* a test reported failure */
#define PARAVANE_EXIT_PANIC 0x12   /* the hypervisor panicked and halted */

/* Host-side exit status of QEMU for a value written to the port. */
#define PARAVANE_QEMU_STATUS(v) (((v) << 1) | 1)

#endif /* PARAVANE_QEMU_EXIT_H */
