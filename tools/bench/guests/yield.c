/*
 * A domU that only yields: SCHEDOP_yield in a loop, counting the yields
 * that came back in the word YIELD_COUNT_OFFSET of its start_info page,
 * which dom0 maps read-only. dom0 times its own yields against it on one
 * CPU (tools/bench/dombench_switch.c) and checks with the count that
 * each of its yields let this domain run once.
 */
#include <guest/hypercall.h>

#include "minimal.h"

/* Yield for ever; one count per return from the hypervisor. */
void guest_main(start_info_t *si)
{
	volatile uint64_t *count =
		(volatile uint64_t *)((char *)si + YIELD_COUNT_OFFSET);

	for (;;) {
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		*count = *count + 1;
	}
}
