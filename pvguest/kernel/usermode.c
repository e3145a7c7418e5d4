/*
 * Guest user mode: user page tables and the way into user mode (see
 * guest/usermode.h). The way back is any bounce out of user mode; the
 * caller provides its handler and the kernel stack (stack_switch).
 */
#include <guest/errno.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/usermode.h>

/* Xen's slots in every L4 (256-271): Xen fills them in itself. */
#define XEN_L4_FIRST 256
#define XEN_L4_LAST 271

/*
 * Build a pinned L4 with the kernel L4's guest entries, for use as the
 * user page table; its frame in *l4.
 */
int user_l4_create(mfn_t *l4)
{
	const uint64_t *kernel = frame_va(mfn_to_pfn(pagetable_root()));
	mfn_t t;
	unsigned int i;
	int rc;

	if (!kernel)
		return -EFAULT;
	rc = alloc_pt_frame(&t);
	if (rc)
		return rc;
	for (i = 0; i < PT_ENTRIES; i++) {
		if (i >= XEN_L4_FIRST && i <= XEN_L4_LAST)
			continue;
		if (!(kernel[i] & PTE_PRESENT))
			continue;
		rc = pt_fill(t, i, &kernel[i], 1);
		if (rc)
			goto err_free;
	}
	rc = pin_table(4, t);
	if (rc)
		goto err_free;
	*l4 = t;
	return 0;

err_free:
	free_pt_frame(t);
	return rc;
}

/* Unpin and free a user L4 that is no longer the user base pointer. */
int user_l4_destroy(mfn_t l4)
{
	int rc = unpin_table(l4);

	return rc ? rc : free_pt_frame(l4);
}

/* Make l4 this vCPU's user page table; _mfn(0) removes it. */
int set_user_baseptr(mfn_t l4)
{
	struct mmuext_op op = {
		.cmd = MMUEXT_NEW_USER_BASEPTR,
		.arg1.mfn = mfn_x(l4),
	};

	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/*
 * Enter guest user mode at rip with stack rsp, events enabled or masked,
 * through the iret hypercall with a CS of RPL 3. Never returns: control
 * comes back through whatever bounce leaves user mode.
 */
void __noreturn enter_user_mode(unsigned long rip, unsigned long rsp,
				bool events)
{
	/* struct iret_context without the rax, r11, rcx the stub pushes. */
	struct {
		uint64_t flags, rip, cs, rflags, rsp, ss;
	} frame = {
		.rip = rip,
		.cs = FLAT_USER_CS,
		.rflags = events ? 0x202 : 0x2,
		.rsp = rsp,
		.ss = FLAT_USER_SS,
	};

	__asm__ __volatile__("mov %0, %%rsp\n\t"
			     "jmp hypercall_page + %c1"
			     :
			     : "r"(&frame),
			       "i"(__HYPERVISOR_iret * HYPERCALL_STUB_SIZE)
			     : "memory");
	__builtin_unreachable();
}
