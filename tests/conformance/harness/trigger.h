/*
 * Triggers: kernel-mode code that raises one exception at a known place,
 * for the bounce-frame tests (with the probe stubs of probe.h).
 *
 * A trigger trig_<name>(arg) records rflags, loads MARK_RCX into rcx and
 * MARK_R11 into r11, records rsp and then runs its instruction, which
 * starts at trig_<name>_at and ends at trig_<name>_end. So a test knows
 * every word of the frame Xen should build for a bounce from guest
 * kernel mode:
 *
 *   rcx, r11, [error code], rip, cs | saved upcall mask << 32, rflags,
 *   rsp, ss
 *
 * with the RPL of cs cleared (kernel context), rflags.IF = !saved mask,
 * and the frame at the interrupted rsp rounded down to 16 bytes;
 * expect_kernel_frame() checks exactly that.
 */
#ifndef CONFORMANCE_TRIGGER_H
#define CONFORMANCE_TRIGGER_H

#include "probe.h"
#include "test.h"

#include <guest/xen.h>

#define MARK_RAX 0x0a0a0a0a0a0a0a0a
#define MARK_RCX 0x1c1c2c2c3c3c4c4c
#define MARK_R11 0x5b5b6b6b7b7b8b8b

#define RFLAGS_IF 0x200UL
#define RFLAGS_DF 0x400UL
#define RFLAGS_RF 0x10000UL
#define KERNEL_CS_RPL0 (FLAT_KERNEL_CS & ~3UL)

#define NONCANONICAL 0x8000000000000000UL

/*
 * int n under QEMU's TCG: a refused gate raises #GP with error code
 * n * 16 + 2 instead of n * 8 + 2, and Xen takes the vector from the
 * error code, so under TCG Xen consults the trap-table entry of
 * (2 * n) & 0xff. Tests of int n give SOFTINT and its twin the same entry;
 * on hardware (and on Paravane, which decodes the instruction) only
 * SOFTINT's counts. The error code a test sees may be either.
 */
#define SOFTINT 0xa1 /* as in trig_softint and usermode.c */
#define SOFTINT_TWIN ((2 * SOFTINT) & 0xff)

/* The markers, for assembly code elsewhere. */
extern const uint64_t trig_mark_rax, trig_mark_rcx, trig_mark_r11;
/* rsp and rflags just before the last trigger's instruction. */
extern volatile uint64_t trig_rsp, trig_rflags;

#define TRIGGER_DECL(name)                                                     \
	void trig_##name(void *arg);                                           \
	extern const char trig_##name##_at[], trig_##name##_end[]
TRIGGER_DECL(int3);    /* int3 */
TRIGGER_DECL(ud2);     /* ud2 */
TRIGGER_DECL(read);    /* a load from arg */
TRIGGER_DECL(write);   /* a byte store to arg */
TRIGGER_DECL(div);     /* division by arg */
TRIGGER_DECL(softint); /* int $SOFTINT */
TRIGGER_DECL(int80);   /* int $0x80 */
TRIGGER_DECL(sse);     /* an SSE register move */
TRIGGER_DECL(std_ud2); /* std, then ud2 */

/* Run a trigger that must bounce to probe id; false (and failed) if not. */
#define EXPECT_PROBE(trig, arg, id)                                            \
	({                                                                     \
		bool hit_ = probe_run(trig, arg);                              \
		if (!hit_)                                                     \
			test_fail(__FILE__, __LINE__, "no bounce");            \
		else if (probe_id != (id))                                     \
			test_fail(__FILE__, __LINE__,                          \
				  "bounced to probe %d, expected %d",          \
				  probe_id, (int)(id));                        \
		hit_ &&probe_id == (id);                                       \
	})

// harness/trigger.c
bool probe_run(void (*trig)(void *), void *arg);
void expect_kernel_frame(bool has_ec, uint64_t ec, const void *rip,
			 uint8_t mask);
uint8_t upcall_mask(void);
void set_upcall_mask(uint8_t mask);

#endif /* CONFORMANCE_TRIGGER_H */
