/*
 * A domU whose first instruction after head.S's entry powers it off:
 * dom0 times domain creation up to the moment the new domain has run
 * (tools/bench/dombench_create.c). Should the shutdown ever return, it
 * is made again.
 */
#include <guest/hypercall.h>

#include "minimal.h"

/* SCHEDOP_shutdown(poweroff), at once and for ever. */
void guest_main(start_info_t *si)
{
	struct sched_shutdown s = {.reason = SHUTDOWN_poweroff};

	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
}
