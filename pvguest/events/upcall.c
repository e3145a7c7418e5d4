/*
 * Event delivery: the upcall handler, the per-port handler table and the
 * mask and pending bits in shared_info.
 *
 * Which vCPU handles a port. Xen notifies one vCPU per port (vCPU 0
 * unless the port was bound elsewhere), by setting the port's word in
 * that vCPU's selector. The selector names words, not ports, and a word
 * holds ports of every vCPU, so a vCPU scanning a word must leave other
 * vCPUs' ports alone: cpu_ports[] keeps, per vCPU, the ports it handles
 * (as Linux does), and the scan takes pending & ~mask & cpu_ports.
 *
 * The upcall loop (evtchn_do_upcall, events masked by Xen on entry):
 *   1. clear evtchn_upcall_pending (Xen sets it again for new events);
 *   2. take the selector with one atomic exchange;
 *   3. for each selected word, each pending, unmasked port of ours:
 *      clear its pending bit, then call its handler;
 *   4. go again while evtchn_upcall_pending was set meanwhile.
 * Clearing before calling means a port that fires again while its
 * handler runs is pending once more and is seen on the next pass.
 */
#include <guest/console.h>
#include <guest/events.h>
#include <guest/percpu.h>
#include <guest/shared_info.h>
#include <guest/shutdown.h>
#include <paravane/string.h>

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)
#define NR_WORDS (NR_EVTCHN_PORTS / BITS_PER_WORD)

struct port_handler {
	evtchn_handler_t fn;
	void *arg;
};

static struct port_handler handlers[NR_EVTCHN_PORTS];
static uint8_t port_cpu[NR_EVTCHN_PORTS];
static xen_ulong_t cpu_ports[MAX_CPUS][NR_WORDS];
static unsigned long upcalls[MAX_CPUS];

static xen_ulong_t bit(evtchn_port_t port)
{
	return (xen_ulong_t)1 << (port % BITS_PER_WORD);
}

static void set_bits(xen_ulong_t *w, xen_ulong_t m)
{
	__atomic_fetch_or(w, m, __ATOMIC_SEQ_CST);
}

static void clear_bits(xen_ulong_t *w, xen_ulong_t m)
{
	__atomic_fetch_and(w, ~m, __ATOMIC_SEQ_CST);
}

/* Mask every port; a port is unmasked only once it has a handler. */
void events_init(void)
{
	shared_info_t *s = HYPERVISOR_shared_info;

	for (unsigned int w = 0; w < NR_WORDS; w++)
		__atomic_store_n(&s->evtchn_mask[w], ~(xen_ulong_t)0,
				 __ATOMIC_SEQ_CST);
	printk("events: 2-level, %lu ports, all masked\n",
	       (unsigned long)NR_EVTCHN_PORTS);
}

/* Set the handler of port; NULL drops its events. */
void evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn, void *arg)
{
	unsigned long flags = local_irq_save();

	handlers[port].arg = arg;
	WRITE_ONCE(handlers[port].fn, fn);
	local_irq_restore(flags);
}

/* Record that Xen notifies vCPU cpu of port: that vCPU handles it. */
void evtchn_set_cpu(evtchn_port_t port, unsigned int cpu)
{
	unsigned int old = port_cpu[port];

	clear_bits(&cpu_ports[old][port / BITS_PER_WORD], bit(port));
	port_cpu[port] = (uint8_t)cpu;
	set_bits(&cpu_ports[cpu][port / BITS_PER_WORD], bit(port));
}

/* The vCPU that handles port. */
unsigned int evtchn_cpu(evtchn_port_t port)
{
	return port_cpu[port];
}

/* Forget a closed port: no handler, no vCPU, not pending. */
void evtchn_forget(evtchn_port_t port)
{
	clear_bits(&cpu_ports[port_cpu[port]][port / BITS_PER_WORD], bit(port));
	port_cpu[port] = 0;
	evtchn_set_handler(port, NULL, NULL);
	evtchn_clear(port);
}

void evtchn_mask(evtchn_port_t port)
{
	set_bits(&HYPERVISOR_shared_info->evtchn_mask[port / BITS_PER_WORD],
		 bit(port));
}

/*
 * Unmask port. If it became pending while masked, Xen did not notify
 * anyone, so do what it would have: for a port of this vCPU set the
 * selector and upcall flag here (and take the upcall if events are on);
 * for another vCPU's port, EVTCHNOP_unmask makes Xen do it there.
 */
void evtchn_unmask(evtchn_port_t port)
{
	shared_info_t *s = HYPERVISOR_shared_info;
	unsigned int w = port / BITS_PER_WORD;
	unsigned long flags;
	vcpu_info_t *vi;

	if (port_cpu[port] != smp_processor_id()) {
		struct evtchn_unmask op = {.port = port};

		HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
		return;
	}
	flags = local_irq_save();
	vi = this_vcpu_info();
	clear_bits(&s->evtchn_mask[w], bit(port));
	if ((READ_ONCE(s->evtchn_pending[w]) & bit(port)) &&
	    !(__atomic_fetch_or(&vi->evtchn_pending_sel, (xen_ulong_t)1 << w,
				__ATOMIC_SEQ_CST) &
	      ((xen_ulong_t)1 << w)))
		WRITE_ONCE(vi->evtchn_upcall_pending, 1);
	local_irq_restore(flags);
}

/* Clear port's pending bit. */
void evtchn_clear(evtchn_port_t port)
{
	clear_bits(
		&HYPERVISOR_shared_info->evtchn_pending[port / BITS_PER_WORD],
		bit(port));
}

bool evtchn_is_pending(evtchn_port_t port)
{
	return READ_ONCE(HYPERVISOR_shared_info
				 ->evtchn_pending[port / BITS_PER_WORD]) &
	       bit(port);
}

bool evtchn_is_masked(evtchn_port_t port)
{
	return READ_ONCE(HYPERVISOR_shared_info
				 ->evtchn_mask[port / BITS_PER_WORD]) &
	       bit(port);
}

/* How many upcalls vCPU cpu has taken (for tests and statistics). */
unsigned long evtchn_upcall_count(unsigned int cpu)
{
	return cpu < MAX_CPUS ? READ_ONCE(upcalls[cpu]) : 0;
}

static void dispatch(evtchn_port_t port)
{
	evtchn_handler_t fn = READ_ONCE(handlers[port].fn);

	if (fn)
		fn(port, handlers[port].arg);
}

/* The event callback's work (kernel/traps.c), events masked. */
void evtchn_do_upcall(void)
{
	shared_info_t *s = HYPERVISOR_shared_info;
	unsigned int cpu = smp_processor_id();
	vcpu_info_t *vi = this_vcpu_info();
	const xen_ulong_t *mine = cpu_ports[cpu];

	upcalls[cpu]++;
	do {
		xen_ulong_t sel;

		WRITE_ONCE(vi->evtchn_upcall_pending, 0);
		sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
					  __ATOMIC_SEQ_CST);
		while (sel) {
			unsigned int w = (unsigned int)__builtin_ctzl(sel);
			xen_ulong_t ready;

			sel &= sel - 1;
			ready = READ_ONCE(s->evtchn_pending[w]) &
				~READ_ONCE(s->evtchn_mask[w]) &
				READ_ONCE(mine[w]);
			while (ready) {
				unsigned int b =
					(unsigned int)__builtin_ctzl(ready);
				evtchn_port_t port = w * BITS_PER_WORD + b;

				ready &= ready - 1;
				clear_bits(&s->evtchn_pending[w], bit(port));
				dispatch(port);
			}
		}
	} while (READ_ONCE(vi->evtchn_upcall_pending));
}
