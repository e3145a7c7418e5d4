/*
 * What dom0's toolstack waits for: console input (VIRQ_CONSOLE) and
 * domains shutting down or going away (VIRQ_DOM_EXC), both bound at
 * start. Whoever waits - the prompt, "sleep", "wait" - goes through
 * xl_events_wait(), so a domain's shutdown is always acted on at once.
 * The waiting itself is <ctrl/wait.h>.
 */
#include "xl.h"

#include <ctrl/wait.h>
#include <guest/console.h>

static evtchn_port_t ports[2];
static unsigned int nr_ports;
static uint32_t exc_bit, console_bit; /* their bits in wait_any's mask */

static uint32_t bind(uint32_t virq, const char *name)
{
	int rc = wait_bind_virq(virq, &ports[nr_ports]);

	if (rc) {
		printk("xl: cannot bind %s (%d)\n", name, rc);
		return 0;
	}
	return 1U << nr_ports++;
}

/* Bind the two VIRQs. */
void xl_events_init(void)
{
	exc_bit = bind(VIRQ_DOM_EXC, "VIRQ_DOM_EXC");
	console_bit = bind(VIRQ_CONSOLE, "VIRQ_CONSOLE");
	/* Look once: something may have happened before we were bound. */
	domains_check_shutdowns();
}

/*
 * Wait until something happens or system time reaches deadline (0: no
 * deadline); domain shutdowns are dealt with here, console input is
 * reported in *console_input.
 */
int xl_events_wait(uint64_t deadline, bool *console_input)
{
	uint32_t fired;
	int rc = wait_any(ports, nr_ports, deadline, &fired);

	*console_input = false;
	if (rc)
		return rc;
	if (fired & exc_bit)
		domains_check_shutdowns();
	*console_input = (fired & console_bit) != 0;
	return 0;
}

/* Sleep ms milliseconds, acting on domain shutdowns meanwhile. */
void xl_events_sleep_ms(unsigned int ms)
{
	uint64_t deadline = wait_now() + (uint64_t)ms * 1000000;
	bool input;

	while (wait_now() < deadline)
		if (xl_events_wait(deadline, &input))
			break;
}
