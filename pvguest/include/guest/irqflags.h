/*
 * Turning event delivery off and on for the running vCPU: the PV
 * equivalent of cli/sti. A PV kernel cannot touch the real IF; Xen
 * enters the event callback only while vcpu_info.evtchn_upcall_mask is
 * clear, so that byte is the interrupt flag.
 *
 * Events that arrive while the mask is set only raise evtchn_upcall_
 * pending. Clearing the mask does not make Xen look at it again, so
 * local_irq_restore() and local_irq_enable() check the flag themselves
 * and, if it is set, make a harmless hypercall: Xen delivers pending
 * events on its way back to the guest (as Linux and Mini-OS do).
 *
 * The vCPU's own vcpu_info is used, so these must not straddle a switch
 * to another vCPU; pvguest threads never move, so that cannot happen.
 */
#ifndef GUEST_IRQFLAGS_H
#define GUEST_IRQFLAGS_H

#include <guest/hypercall.h>
#include <guest/shared_info.h>
#include <paravane/compiler.h>
#include <stdbool.h>

/* Have Xen deliver the events pending on this vCPU (the mask is clear). */
static inline void force_evtchn_callback(void)
{
	(void)HYPERVISOR_xen_version(XENVER_version, NULL);
}

/* Mask events on this vCPU; returns the previous mask for restore. */
static inline unsigned long local_irq_save(void)
{
	vcpu_info_t *vi = this_vcpu_info();
	unsigned long flags = READ_ONCE(vi->evtchn_upcall_mask);

	WRITE_ONCE(vi->evtchn_upcall_mask, 1);
	barrier();
	return flags;
}

/* Put the mask back as local_irq_save() found it. */
static inline void local_irq_restore(unsigned long flags)
{
	vcpu_info_t *vi = this_vcpu_info();

	barrier();
	WRITE_ONCE(vi->evtchn_upcall_mask, (uint8_t)flags);
	if (!flags) {
		barrier(); /* clear the mask before looking for events */
		if (READ_ONCE(vi->evtchn_upcall_pending))
			force_evtchn_callback();
	}
}

static inline void local_irq_disable(void)
{
	WRITE_ONCE(this_vcpu_info()->evtchn_upcall_mask, 1);
	barrier();
}

static inline void local_irq_enable(void)
{
	local_irq_restore(0);
}

/* Whether events are delivered on this vCPU right now. */
static inline bool local_irq_enabled(void)
{
	return !READ_ONCE(this_vcpu_info()->evtchn_upcall_mask);
}

#endif /* GUEST_IRQFLAGS_H */
