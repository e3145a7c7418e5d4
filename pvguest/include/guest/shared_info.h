/*
 * The shared_info page Xen keeps for the domain: per-vCPU state
 * (vcpu_info: event mask and pending flag, cr2 of the last page fault,
 * time), event-channel bitmaps and wallclock. start_info gives its machine
 * address; shared_info_init() maps it at a page of the image. Each vCPU
 * uses the vcpu_info slot of its number, unless it registered a page of
 * its own (smp_register_vcpu_info()); struct cpu says which.
 */
#ifndef GUEST_SHARED_INFO_H
#define GUEST_SHARED_INFO_H

#include <guest/percpu.h>
#include <guest/xen.h>

extern shared_info_t *HYPERVISOR_shared_info;

/* This vCPU's vcpu_info (NULL until shared_info_init() has run). */
static inline vcpu_info_t *this_vcpu_info(void)
{
	return this_cpu()->vcpu_info;
}

// kernel/shared_info.c
void shared_info_init(void);

#endif /* GUEST_SHARED_INFO_H */
