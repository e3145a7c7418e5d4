/*
 * Segment descriptors, the GDT layout and the IDT.
 *
 * Every GDT Paravane loads has Xen's layout: entries 0-0x1bff (the first
 * 14 pages) belong to the running PV guest (set_gdt), and the reserved
 * page at byte 0xe000 holds the hypervisor's descriptors followed by the
 * flat ring-3 selectors of the Xen ABI (arch-x86/xen-x86_64.h):
 *
 *   0xe008  hypervisor 64-bit code      ring 0
 *   0xe010  hypervisor data / stack     ring 0
 *   0xe018  hypervisor 32-bit code      ring 0 (unused, keeps Xen's slots)
 *   0xe023  FLAT_RING3_CS32             ring 3
 *   0xe02b  FLAT_RING3_DS32 / SS32/SS64 ring 3
 *   0xe033  FLAT_RING3_CS64             ring 3
 *   0xe040  this CPU's TSS (16 bytes)
 *   0xe050  the current LDT (16 bytes)
 *
 * SYSCALL loads CS=0xe008, SS=0xe010; SYSRET to 64-bit mode loads
 * CS=0xe033, SS=0xe02b, as in Xen.
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#define FIRST_RESERVED_GDT_PAGE 14
#define FIRST_RESERVED_GDT_BYTE (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)
#define GDT_PAGES (FIRST_RESERVED_GDT_PAGE + 1)
#define GDT_LIMIT (GDT_PAGES * 4096 - 1)

#define HYPERVISOR_CS 0xe008
#define HYPERVISOR_DS 0xe010
#define HYPERVISOR_CS32 0xe018
#define TSS_SELECTOR 0xe040
#define LDT_SELECTOR 0xe050

/* SYSRET derives CS (+16) and SS (+8) from this base, RPL forced to 3. */
#define SYSRET_SELECTOR_BASE 0xe023

/* Interrupt stack table slots (1-based, as the IDT encodes them). */
#define IST_NMI 1
#define IST_DF 2
#define IST_MC 3

/* Vectors. 0-31 are exceptions; devices and IPIs live above. */
#define X86_EXC_DE 0
#define X86_EXC_DB 1
#define X86_EXC_NMI 2
#define X86_EXC_BP 3
#define X86_EXC_OF 4
#define X86_EXC_BR 5
#define X86_EXC_UD 6
#define X86_EXC_NM 7
#define X86_EXC_DF 8
#define X86_EXC_TS 10
#define X86_EXC_NP 11
#define X86_EXC_SS 12
#define X86_EXC_GP 13
#define X86_EXC_PF 14
#define X86_EXC_MF 16
#define X86_EXC_AC 17
#define X86_EXC_MC 18
#define X86_EXC_XM 19
#define X86_NR_EXCEPTIONS 32

#define LEGACY_PIC_VECTOR_BASE 0x20 /* masked; spurious only */
#define FIRST_DEVICE_VECTOR 0x30
#define LAST_DEVICE_VECTOR 0xdf
#define TIMER_VECTOR 0xf0
#define EVENT_CHECK_VECTOR 0xf1
#define CALL_FUNCTION_VECTOR 0xf3
#define APIC_ERROR_VECTOR 0xfe
#define SPURIOUS_VECTOR 0xff
#define NR_VECTORS 256

#ifndef __ASSEMBLY__
#include <stdint.h>

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr; /* P, DPL, type 0xe = 64-bit interrupt gate */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed, aligned(16)));

/* Flat code/data descriptors: base 0, limit 4G, given DPL. */
#define DESC_CODE64(dpl) (0x00af9a000000ffffUL | ((uint64_t)(dpl) << 45))
#define DESC_CODE32(dpl) (0x00cf9a000000ffffUL | ((uint64_t)(dpl) << 45))
#define DESC_DATA(dpl) (0x00cf92000000ffffUL | ((uint64_t)(dpl) << 45))

static inline void lgdt(const struct desc_ptr *d)
{
	__asm__ __volatile__("lgdt %0" ::"m"(*d));
}

static inline void lidt(const struct desc_ptr *d)
{
	__asm__ __volatile__("lidt %0" ::"m"(*d));
}

static inline void ltr(uint16_t sel)
{
	__asm__ __volatile__("ltr %0" ::"rm"(sel));
}

static inline void lldt(uint16_t sel)
{
	__asm__ __volatile__("lldt %0" ::"rm"(sel));
}
#endif /* !__ASSEMBLY__ */

#endif /* ASM_DESC_H */
