/*
 * The local APIC (xAPIC, memory-mapped) and the legacy 8259 PICs.
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <stdint.h>

// arch/x86/apic.c
void pic_disable(void);
void lapic_init(void);
void lapic_timer_init(void);
void lapic_eoi(void);
uint32_t lapic_id(void);
uint64_t lapic_timer_hz(void);
void lapic_send_self_nmi(void);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_init(uint32_t apic_id);
void lapic_send_startup(uint32_t apic_id, uint8_t page);

#endif /* ASM_APIC_H */
