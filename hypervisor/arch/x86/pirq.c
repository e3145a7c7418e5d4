/*
 * Physical IRQs for dom0. dom0 names a device interrupt by its pirq, which
 * for a GSI is the GSI number (PHYSDEVOP_map_pirq; the ISA range is mapped
 * for it from the start). EVTCHNOP_bind_pirq routes the GSI's IO-APIC pin
 * to a vector on CPU 0 and unmasks it. When the interrupt fires, the
 * hypervisor acknowledges it (masking a level-triggered line until dom0's
 * PHYSDEVOP_eoi) and sends the bound event channel from PIRQ_SOFTIRQ:
 * event channels are never touched in interrupt context.
 *
 * GSIs the hypervisor keeps (the timer and cascade, its serial line)
 * cannot be mapped.
 */
#include <hv/event.h>
#include <hv/lib.h>
#include <hv/sched.h>
#include <hv/softirq.h>
#include <hv/traps.h>
#include <xen/physdev.h>

#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/guest_access.h>
#include <asm/irq.h>
#include <asm/percpu.h>
#include <asm/spinlock.h>

struct pirq {
	struct domain *d; /* mapped for this domain */
	bool bound, level, active_low, awaiting_eoi, pending;
	uint8_t vector;
	evtchn_port_t port;
};

static struct pirq pirqs[NR_GSIS];
static uint16_t vector_gsi[NR_VECTORS];
static uint8_t next_vector = FIRST_DEVICE_VECTOR;
static DEFINE_SPINLOCK(pirq_lock);

static bool gsi_reserved(unsigned int gsi)
{
	bool l, a;

	return gsi == isa_irq_to_gsi(0, &l, &a) || gsi == 2 ||
	       gsi == isa_irq_to_gsi(4, &l, &a) || gsi >= ioapic_nr_gsis();
}

static void pirq_interrupt(struct cpu_user_regs *regs)
{
	unsigned int gsi = vector_gsi[regs->entry_vector];
	struct pirq *p = &pirqs[gsi];

	if (p->level) {
		ioapic_mask(gsi, true);
		p->awaiting_eoi = true;
	}
	lapic_eoi();
	WRITE_ONCE(p->pending, true);
	raise_softirq(PIRQ_SOFTIRQ);
}

static void pirq_softirq(void)
{
	for (unsigned int gsi = 0; gsi < ioapic_nr_gsis(); gsi++) {
		struct pirq *p = &pirqs[gsi];

		if (!__atomic_exchange_n(&p->pending, false, __ATOMIC_SEQ_CST))
			continue;
		if (p->bound && p->d)
			evtchn_send_pirq(p->d, p->port);
	}
}

/* Map the ISA range for dom0 and install the softirq. */
void pirq_init(void)
{
	open_softirq(PIRQ_SOFTIRQ, pirq_softirq);
}

static int map_gsi(struct domain *d, unsigned int gsi)
{
	if (gsi >= NR_GSIS || gsi_reserved(gsi))
		return -EINVAL;
	if (pirqs[gsi].d && pirqs[gsi].d != d)
		return -EBUSY;
	pirqs[gsi].d = d;
	if (gsi < 16) { /* ISA defaults, after the MADT's overrides */
		bool level, low;

		for (unsigned int irq = 0; irq < 16; irq++)
			if (isa_irq_to_gsi(irq, &level, &low) == gsi) {
				pirqs[gsi].level = level;
				pirqs[gsi].active_low = low;
			}
	} else {
		pirqs[gsi].level = true; /* PCI interrupts */
		pirqs[gsi].active_low = true;
	}
	return 0;
}

/*
 * EVTCHNOP_bind_pirq's work: route the pirq (a GSI mapped for d) to a
 * vector and deliver it on port. -EEXIST if already bound.
 */
int pirq_bind(struct domain *d, uint32_t pirq, uint32_t port)
{
	struct pirq *p;
	unsigned long flags;
	int rc = 0;

	if (pirq >= NR_GSIS)
		return -EINVAL;
	flags = spin_lock_irqsave(&pirq_lock);
	p = &pirqs[pirq];
	if (p->d != d) {
		rc = -EPERM;
	} else if (p->bound) {
		rc = -EEXIST;
	} else {
		if (!p->vector) {
			if (next_vector > LAST_DEVICE_VECTOR) {
				rc = -ENOSPC;
				goto out;
			}
			p->vector = next_vector++;
			vector_gsi[p->vector] = (uint16_t)pirq;
			set_irq_handler(p->vector, pirq_interrupt);
		}
		rc = ioapic_route(pirq, p->vector, percpu_area[0].apic_id,
				  p->level, p->active_low);
		if (!rc) {
			p->bound = true;
			p->port = port;
			p->awaiting_eoi = false;
			ioapic_mask(pirq, false);
		}
	}
out:
	spin_unlock_irqrestore(&pirq_lock, flags);
	return rc;
}

/* Undo pirq_bind (the channel is being closed). */
void pirq_unbind(struct domain *d, uint32_t pirq)
{
	unsigned long flags = spin_lock_irqsave(&pirq_lock);

	if (pirq < NR_GSIS && pirqs[pirq].d == d && pirqs[pirq].bound) {
		ioapic_mask(pirq, true);
		pirqs[pirq].bound = false;
		pirqs[pirq].pending = false;
	}
	spin_unlock_irqrestore(&pirq_lock, flags);
}

static long eoi(struct domain *d, uint32_t irq)
{
	struct pirq *p;

	if (irq >= NR_GSIS)
		return -EINVAL;
	p = &pirqs[irq];
	if (p->d != d)
		return -EINVAL;
	if (__atomic_exchange_n(&p->awaiting_eoi, false, __ATOMIC_SEQ_CST) &&
	    p->bound)
		ioapic_mask(irq, false);
	return 0;
}

/*
 * The interrupt-related PHYSDEVOPs; *handled is false for any other cmd.
 * Only the hardware domain has physical IRQs.
 */
long pirq_physdev_op(int cmd, void *arg, bool *handled)
{
	struct domain *d = current->domain;
	struct physdev_map_pirq map;
	struct physdev_unmap_pirq unmap;
	struct physdev_setup_gsi gsi;
	struct physdev_irq_status_query q;
	struct physdev_eoi e;
	long rc;

	*handled = true;
	switch (cmd) {
	case PHYSDEVOP_eoi:
		if (copy_from_guest_raw(&e, arg, sizeof(e)))
			return -EFAULT;
		return eoi(d, e.irq);
	case PHYSDEVOP_irq_status_query:
		if (copy_from_guest_raw(&q, arg, sizeof(q)))
			return -EFAULT;
		if (q.irq >= NR_GSIS)
			return -EINVAL;
		q.flags = pirqs[q.irq].d == d && pirqs[q.irq].level
				  ? XENIRQSTAT_needs_eoi
				  : 0;
		return copy_to_guest_raw(arg, &q, sizeof(q)) ? -EFAULT : 0;
	case PHYSDEVOP_map_pirq:
		if (copy_from_guest_raw(&map, arg, sizeof(map)))
			return -EFAULT;
		if (!d->is_privileged ||
		    (map.domid != DOMID_SELF && map.domid != d->domain_id))
			return -EPERM;
		if (map.type != MAP_PIRQ_TYPE_GSI)
			return -EOPNOTSUPP; /* MSI: no passthrough devices */
		if (map.pirq >= 0 && map.pirq != map.index)
			return -EINVAL; /* dom0's pirq is its GSI */
		rc = map_gsi(d, (unsigned int)map.index);
		if (rc)
			return rc;
		map.pirq = map.index;
		return copy_to_guest_raw(arg, &map, sizeof(map)) ? -EFAULT : 0;
	case PHYSDEVOP_unmap_pirq:
		if (copy_from_guest_raw(&unmap, arg, sizeof(unmap)))
			return -EFAULT;
		if (unmap.pirq < 0 || unmap.pirq >= NR_GSIS ||
		    pirqs[unmap.pirq].d != d || pirqs[unmap.pirq].bound)
			return -EINVAL;
		pirqs[unmap.pirq].d = NULL;
		return 0;
	case PHYSDEVOP_setup_gsi:
		if (copy_from_guest_raw(&gsi, arg, sizeof(gsi)))
			return -EFAULT;
		if (gsi.gsi < 0 || gsi.gsi >= NR_GSIS || gsi_reserved(gsi.gsi))
			return -EINVAL;
		if (!d->is_privileged)
			return -EPERM;
		pirqs[gsi.gsi].level = gsi.triggering;
		pirqs[gsi.gsi].active_low = gsi.polarity;
		return 0;
	default: *handled = false; return -ENOSYS;
	}
}

/*
 * Take ISA IRQ irq for the hypervisor itself (its serial line): a vector
 * with handler fn, routed to CPU 0, unmasked. dom0 can never map it.
 */
int request_isa_irq(unsigned int irq, void (*fn)(struct cpu_user_regs *))
{
	bool level, low;
	unsigned int gsi = isa_irq_to_gsi(irq, &level, &low);
	unsigned long flags = spin_lock_irqsave(&pirq_lock);
	uint8_t vector;
	int rc;

	if (next_vector > LAST_DEVICE_VECTOR) {
		spin_unlock_irqrestore(&pirq_lock, flags);
		return -ENOSPC;
	}
	vector = next_vector++;
	spin_unlock_irqrestore(&pirq_lock, flags);
	set_irq_handler(vector, fn);
	rc = ioapic_route(gsi, vector, percpu_area[0].apic_id, level, low);
	if (!rc)
		ioapic_mask(gsi, false);
	return rc;
}

/* Map the ISA GSIs for dom0, as Xen does at boot. */
void pirq_setup_dom0(struct domain *d)
{
	for (unsigned int irq = 1; irq < 16; irq++) {
		bool level, low;
		unsigned int gsi = isa_irq_to_gsi(irq, &level, &low);

		if (!gsi_reserved(gsi))
			map_gsi(d, gsi);
	}
}
