/*
 * Register dumps and stack backtraces for fatal errors. The hypervisor is
 * built with frame pointers, so a backtrace follows the %rbp chain; it
 * stops at the first frame that leaves the current stack block.
 */
#include <hv/lib.h>
#include <hv/percpu.h>
#include <hv/symbols.h>
#include <hv/traps.h>

#define MAX_BACKTRACE_DEPTH 32

static void describe_pf(uint32_t ec)
{
	pr_err("Page fault: %s, %s, %s%s%s (error code %04x)\n",
	       ec & 1 ? "protection violation" : "not present",
	       ec & 2 ? "write" : "read", ec & 4 ? "user" : "supervisor",
	       ec & 8 ? ", reserved bit" : "",
	       ec & 16 ? ", instruction fetch" : "", ec);
}

/* Print every register of a trap frame and the control registers. */
void show_registers(const struct cpu_user_regs *regs)
{
	unsigned int vec = regs->entry_vector;

	pr_err("CPU: %u   vector: %u   error code: %08x\n", smp_processor_id(),
	       vec, regs->error_code);
	print_symbol("RIP: ", regs->rip);
	pr_err("CS: %04x   SS: %04x   RFLAGS: %016lx\n", regs->cs, regs->ss,
	       regs->rflags);
	pr_err("rax: %016lx   rbx: %016lx   rcx: %016lx\n", regs->rax,
	       regs->rbx, regs->rcx);
	pr_err("rdx: %016lx   rsi: %016lx   rdi: %016lx\n", regs->rdx,
	       regs->rsi, regs->rdi);
	pr_err("rbp: %016lx   rsp: %016lx   r8:  %016lx\n", regs->rbp,
	       regs->rsp, regs->r8);
	pr_err("r9:  %016lx   r10: %016lx   r11: %016lx\n", regs->r9, regs->r10,
	       regs->r11);
	pr_err("r12: %016lx   r13: %016lx   r14: %016lx\n", regs->r12,
	       regs->r13, regs->r14);
	pr_err("r15: %016lx\n", regs->r15);
	pr_err("cr0: %016lx   cr2: %016lx   cr3: %016lx\n", read_cr0(),
	       read_cr2(), read_cr3());
	pr_err("cr4: %016lx\n", read_cr4());
	if (vec == 14)
		describe_pf(regs->error_code);
}

static bool on_this_stack(uintptr_t p)
{
	uintptr_t block = get_cpu_info()->stack_block;

	return p >= block && p + 16 <= block + STACK_SIZE;
}

static void flush_repeats(unsigned long *repeats)
{
	if (*repeats)
		pr_err("    ... the same frame %lu more time(s)\n", *repeats);
	*repeats = 0;
}

/*
 * Print the call chain that starts at rip with frame pointer rbp; runs of
 * one return address (deep recursion) are folded into one line.
 */
void show_backtrace(uintptr_t rip, uintptr_t rbp)
{
	uintptr_t last = rip;
	unsigned long repeats = 0;
	int shown = 0;

	pr_err("Backtrace:\n");
	print_symbol("   ", rip);
	while (rbp && !(rbp & 7) && on_this_stack(rbp)) {
		const uintptr_t *frame = (const uintptr_t *)rbp;

		if (!frame[1])
			break;
		if (frame[1] == last) {
			repeats++;
		} else {
			flush_repeats(&repeats);
			if (++shown > MAX_BACKTRACE_DEPTH)
				break;
			print_symbol("   ", frame[1]);
			last = frame[1];
		}
		if (frame[0] <= rbp)
			break; /* frames must move up the stack */
		rbp = frame[0];
	}
	flush_repeats(&repeats);
}

/* Print the call chain of the caller. */
void show_backtrace_here(void)
{
	uintptr_t rbp = (uintptr_t)__builtin_frame_address(0);

	show_backtrace((uintptr_t)__builtin_return_address(0),
		       *(const uintptr_t *)rbp);
}
