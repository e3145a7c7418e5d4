/*
 * Secondary vCPUs and IPIs.
 *
 * Xen creates a domain's vCPUs down; the guest brings each one up by
 * handing it a whole register context (VCPUOP_initialise: entry point,
 * stack, page tables, trap table, callbacks, kernel GS base) and then
 * VCPUOP_up. smp_init() counts the domain's vCPUs by asking VCPUOP_is_up
 * for each number until Xen answers -ENOENT, and brings up all of them,
 * or as many as "cpus=N" on the command line says.
 *
 * Every online vCPU has an IPI port: smp_send_ipi() makes that vCPU take
 * an upcall, which is how a thread woken for another vCPU gets it out of
 * SCHEDOP_block.
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include <guest/percpu.h>
#include <paravane/compiler.h>
#include <xen/event_channel.h>

// kernel/smp.c
void smp_init(void);
void smp_send_ipi(unsigned int cpu);
evtchn_port_t smp_ipi_port(unsigned int cpu);
unsigned int smp_vcpus_possible(void);
int smp_move_vcpu_info(void);
void __noreturn secondary_start(struct cpu *c);

// arch/x86/head.S
void secondary_entry(void);

#endif /* GUEST_SMP_H */
