/*
 * The minimal benchmark domUs: a kernel is head.S (Xen's notes, the
 * hypercall page, the entry), minimal.ld and one C file with
 * guest_main(). They make hypercalls through pvguest's wrappers
 * (<guest/hypercall.h>, a header) and link nothing else of pvguest.
 *
 *   exit.c    powers the domain off at its first instruction
 *   yield.c   SCHEDOP_yield for ever, counting its yields in a word of
 *             its start_info page that dom0 reads (YIELD_COUNT_OFFSET)
 */
#ifndef BENCH_GUESTS_MINIMAL_H
#define BENCH_GUESTS_MINIMAL_H

#include <guest/xen.h>
#include <paravane/compiler.h>

/* Where in its start_info page the yield guest counts: past start_info_t. */
#define YIELD_COUNT_OFFSET 0xf00

_Static_assert(sizeof(start_info_t) <= YIELD_COUNT_OFFSET,
	       "the yield count would overlap start_info");

/* The kernel's program, called by head.S with start_info; never returns. */
void __noreturn guest_main(start_info_t *si);

#endif /* BENCH_GUESTS_MINIMAL_H */
