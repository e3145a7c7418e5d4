/*
 * Reports of unexpected traps: the registers, the stack and a frame-
 * pointer backtrace (the kernel is built with frame pointers), then a
 * crash. The addresses can be resolved with addr2line on the kernel ELF.
 */
#include <guest/console.h>
#include <guest/memlayout.h>
#include <guest/shutdown.h>
#include <guest/traps.h>

#define BACKTRACE_MAX 16
#define STACK_WORDS 8

static bool on_kernel_stack(uint64_t addr, uint64_t len)
{
	return addr >= (uint64_t)kernel_stack &&
	       addr + len <= (uint64_t)kernel_stack_top && addr + len > addr;
}

/* Print every register of a trap frame. */
void dump_trap_frame(const struct trap_frame *f)
{
	printk("  rip %016lx  cs %04lx  rflags %08lx  (upcall mask %lu)\n",
	       f->rip, f->cs & 0xffff, f->rflags, (f->cs >> 32) & 0xff);
	printk("  rsp %016lx  ss %04lx\n", f->rsp, f->ss & 0xffff);
	printk("  rax %016lx  rbx %016lx  rcx %016lx\n", f->rax, f->rbx,
	       f->rcx);
	printk("  rdx %016lx  rsi %016lx  rdi %016lx\n", f->rdx, f->rsi,
	       f->rdi);
	printk("  rbp %016lx  r8  %016lx  r9  %016lx\n", f->rbp, f->r8, f->r9);
	printk("  r10 %016lx  r11 %016lx  r12 %016lx\n", f->r10, f->r11,
	       f->r12);
	printk("  r13 %016lx  r14 %016lx  r15 %016lx\n", f->r13, f->r14,
	       f->r15);
}

/* Print rip, then the return addresses of the frame-pointer chain from rbp. */
void dump_backtrace(uint64_t rip, uint64_t rbp)
{
	int i;

	printk("  backtrace: %lx", rip);
	for (i = 0;
	     i < BACKTRACE_MAX && rbp && !(rbp & 7) && on_kernel_stack(rbp, 16);
	     i++) {
		const uint64_t *frame = (const uint64_t *)rbp;

		printk(" %lx", frame[1]);
		rbp = frame[0];
	}
	printk("\n");
}

static void dump_stack_words(uint64_t rsp)
{
	const uint64_t *sp = (const uint64_t *)rsp;
	int i;

	if (!on_kernel_stack(rsp, 8))
		return;
	printk("  stack:");
	for (i = 0; i < STACK_WORDS && on_kernel_stack(rsp, (i + 1) * 8UL); i++)
		printk(" %lx", sp[i]);
	printk("\n");
}

/* Report an unexpected trap and crash the domain. */
void __noreturn fatal_trap(const struct trap_frame *f, uint64_t cr2)
{
	int softint = trap_int_vector(f);

	printk("\npvguest: unexpected %s (vector %lu) in %s mode, error code "
	       "%#lx\n",
	       trap_name(f->vector), f->vector,
	       trap_from_kernel(f) ? "kernel" : "user", f->error_code);
	if (f->vector == TRAP_PF)
		printk("  cr2 %016lx (%s, %s%s%s)\n", cr2,
		       f->error_code & PFEC_PRESENT ? "protection"
						    : "not present",
		       f->error_code & PFEC_WRITE ? "write" : "read",
		       f->error_code & PFEC_INSN ? ", fetch" : "",
		       f->error_code & PFEC_RSVD ? ", reserved bit" : "");
	if (softint >= 0)
		printk("  raised by int $%#x (vector not allowed)\n", softint);
	dump_trap_frame(f);
	if (trap_from_kernel(f)) {
		dump_stack_words(f->rsp);
		dump_backtrace(f->rip, f->rbp);
	}
	kernel_crash();
}
