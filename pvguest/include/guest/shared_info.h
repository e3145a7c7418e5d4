/*
 * The shared_info page Xen keeps for the domain: per-vCPU state
 * (vcpu_info: event mask and pending flag, cr2 of the last page fault,
 * time), event-channel bitmaps and wallclock. start_info gives its machine
 * address; shared_info_init() maps it at a page of the image.
 */
#ifndef GUEST_SHARED_INFO_H
#define GUEST_SHARED_INFO_H

#include <guest/xen.h>

extern shared_info_t *HYPERVISOR_shared_info;

/* This vCPU's vcpu_info (pvguest runs on vCPU 0 only, for now). */
static inline vcpu_info_t *this_vcpu_info(void)
{
	return &HYPERVISOR_shared_info->vcpu_info[0];
}

// kernel/shared_info.c
void shared_info_init(void);

#endif /* GUEST_SHARED_INFO_H */
