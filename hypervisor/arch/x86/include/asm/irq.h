/*
 * Device interrupts: the IO-APIC and the physical IRQs (pirqs) dom0 binds
 * to event channels.
 */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct cpu_user_regs;

#define NR_GSIS 256

// arch/x86/io_apic.c
void ioapic_init(void);
unsigned int ioapic_nr_gsis(void);
int ioapic_route(unsigned int gsi, uint8_t vector, uint32_t dest_apic,
		 bool level, bool active_low);
void ioapic_mask(unsigned int gsi, bool masked);
unsigned int isa_irq_to_gsi(unsigned int irq, bool *level, bool *active_low);

// arch/x86/pirq.c
void pirq_init(void);
long pirq_physdev_op(int cmd, void *arg, bool *handled);
int pirq_bind(struct domain *d, uint32_t pirq, uint32_t port);
void pirq_unbind(struct domain *d, uint32_t pirq);
void pirq_setup_dom0(struct domain *d);
int request_isa_irq(unsigned int irq, void (*fn)(struct cpu_user_regs *));

#endif /* ASM_IRQ_H */
