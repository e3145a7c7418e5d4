/*
 * The machine-to-physical table (M2P): for every machine frame, the
 * pseudo-physical frame its owner calls it. Guests read it at
 * RO_MPT_VIRT_START (HYPERVISOR_VIRT_START); the hypervisor writes it
 * through its own alias.
 */
#ifndef ASM_M2P_H
#define ASM_M2P_H

#include <paravane/addr_types.h>
#include <stdint.h>

#include <asm/memlayout.h>

#define INVALID_M2P_ENTRY (~0UL)

static inline void set_gpfn_from_mfn(mfn_t mfn, unsigned long pfn)
{
	((unsigned long *)RDWR_MPT_VIRT_START)[mfn_x(mfn)] = pfn;
}

static inline unsigned long get_gpfn_from_mfn(mfn_t mfn)
{
	return ((const unsigned long *)RDWR_MPT_VIRT_START)[mfn_x(mfn)];
}

// arch/x86/m2p.c
void m2p_init(void);

#endif /* ASM_M2P_H */
