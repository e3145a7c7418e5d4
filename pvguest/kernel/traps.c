/*
 * Registering for and dispatching traps.
 *
 * traps_init() gives Xen a trap table with an entry stub for every
 * exception vector (#BP and #OF with DPL 3, so int3 and into work from
 * any guest mode) and registers the event and failsafe callbacks. Xen
 * bounces each exception to its stub; all of them, and both callbacks,
 * end in do_trap(). A trap that a caller expected (kernel/fault.c) is
 * redirected there; any other is fatal: register dump, then crash.
 *
 * The event callback hands the upcall to events/upcall.c. Trap table
 * and callbacks belong to a vCPU in Xen: secondary vCPUs get copies
 * through their initial context (trap_table_copy(), kernel/smp.c).
 */
#include <guest/console.h>
#include <guest/events.h>
#include <guest/fault.h>
#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/shared_info.h>
#include <guest/shutdown.h>
#include <guest/traps.h>

/* Trap-table flags: the lowest privilege that may raise the vector by INT n. */
#define TI_DPL_KERNEL 0
#define TI_DPL_USER 3

/* The table handed to set_trap_table, ended by an entry with address 0. */
static trap_info_t trap_table[NR_EXCEPTIONS + 1];

static const char *const names[NR_EXCEPTIONS] = {
	[TRAP_DE] = "#DE divide error",
	[TRAP_DB] = "#DB debug",
	[TRAP_NMI] = "NMI",
	[TRAP_BP] = "#BP breakpoint",
	[TRAP_OF] = "#OF overflow",
	[TRAP_BR] = "#BR bound range",
	[TRAP_UD] = "#UD invalid opcode",
	[TRAP_NM] = "#NM device not available",
	[TRAP_DF] = "#DF double fault",
	[9] = "coprocessor segment overrun",
	[TRAP_TS] = "#TS invalid TSS",
	[TRAP_NP] = "#NP segment not present",
	[TRAP_SS] = "#SS stack segment",
	[TRAP_GP] = "#GP general protection",
	[TRAP_PF] = "#PF page fault",
	[TRAP_MF] = "#MF x87 error",
	[TRAP_AC] = "#AC alignment check",
	[TRAP_MC] = "#MC machine check",
	[TRAP_XM] = "#XM SIMD error",
	[TRAP_VE] = "#VE virtualization exception",
	[TRAP_CP] = "#CP control protection",
};

/* A readable name for a vector or pseudo-vector. */
const char *trap_name(uint64_t vector)
{
	if (vector == TRAP_EVENT)
		return "event upcall";
	if (vector == TRAP_FAILSAFE)
		return "failsafe callback";
	if (vector < NR_EXCEPTIONS && names[vector])
		return names[vector];
	return "unknown vector";
}

/*
 * The vector of the INT n instruction that raised this #GP, or -1. Xen
 * passes the #GP on when the trap table's DPL forbids the vector; the
 * error code names the IDT gate, but QEMU's TCG encodes it as n*16+2
 * instead of n*8+2, so the vector is read from the CD ib at rip instead.
 */
int trap_int_vector(const struct trap_frame *f)
{
	const uint8_t *insn = (const uint8_t *)f->rip;

	if (f->vector != TRAP_GP || !(f->error_code & SELEC_IDT))
		return -1;
	if (f->rip >= (uint64_t)__image_start &&
	    f->rip + 2 <= (uint64_t)__image_end && insn[0] == 0xcd)
		return insn[1];
	return (int)(f->error_code >> 3);
}

static void register_callback(uint16_t type, uint16_t flags, void (*fn)(void))
{
	struct callback_register cb = {
		.type = type,
		.flags = flags,
		.address = (unsigned long)fn,
	};
	int rc = HYPERVISOR_callback_op(CALLBACKOP_register, &cb);

	if (rc)
		panic("callback_op register type %u failed (%d)", type, rc);
}

/* Install the trap table and the event and failsafe callbacks. */
void traps_init(void)
{
	unsigned int v, n = 0;
	int rc;

	for (v = 0; v < NR_EXCEPTIONS; v++) {
		if (!exception_entry[v])
			continue;
		trap_table[n].vector = (uint8_t)v;
		trap_table[n].flags = (v == TRAP_BP || v == TRAP_OF)
					      ? TI_DPL_USER
					      : TI_DPL_KERNEL;
		trap_table[n].cs = FLAT_KERNEL_CS;
		trap_table[n].address = (unsigned long)exception_entry[v];
		n++;
	}
	rc = HYPERVISOR_set_trap_table(trap_table);
	if (rc)
		panic("set_trap_table failed (%d)", rc);
	register_callback(CALLBACKTYPE_event, 0, hypervisor_callback);
	register_callback(CALLBACKTYPE_failsafe, CALLBACKF_mask_events,
			  failsafe_callback);
	printk("traps: %u exception vectors, event and failsafe callbacks\n",
	       n);
}

/* The trap table as vcpu_guest_context wants it: indexed by vector. */
void trap_table_copy(trap_info_t ctxt[256])
{
	for (const trap_info_t *t = trap_table; t->address; t++)
		ctxt[t->vector] = *t;
}

/* Called by the entry code for every trap, event and failsafe callback. */
void do_trap(struct trap_frame *f)
{
	/* Read cr2 first: a nested fault would overwrite it. */
	uint64_t cr2 = f->vector == TRAP_PF ? this_vcpu_info()->arch.cr2 : 0;

	if (f->vector == TRAP_EVENT) {
		evtchn_do_upcall();
		return;
	}
	if (f->vector != TRAP_FAILSAFE && fault_fixup(f, cr2))
		return;
	fatal_trap(f, cr2);
}
