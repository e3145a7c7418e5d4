/*
 * Catching expected traps.
 *
 * catch_fault() saves a resume point with setjmp() and runs the function.
 * If it traps, fault_fixup() (called by do_trap() before declaring a trap
 * fatal) records what happened and rewrites the trap frame so that the
 * iret "returns" into longjmp(resume, 1): catch_fault() then returns the
 * vector. Unwinding happens outside the trap handler, on the ordinary
 * return path, so Xen's event mask is restored by the iret as usual.
 *
 * One catch at a time; a trap inside a catch that is not the function's
 * own (a nested catch, a trap from user mode) is still fatal.
 */
#include <guest/fault.h>
#include <guest/setjmp.h>
#include <guest/shutdown.h>
#include <guest/traps.h>

static struct {
	bool armed;
	jmp_buf resume;
	struct fault_info info;
} catcher;

/*
 * Run fn(arg). Returns -1 if it returned normally, or the vector of the
 * trap it raised, with the details in *info if info is not NULL.
 */
int catch_fault(void (*fn)(void *), void *arg, struct fault_info *info)
{
	if (catcher.armed)
		panic("catch_fault: nested catch");
	if (setjmp(catcher.resume)) {
		catcher.armed = false;
		if (info)
			*info = catcher.info;
		return catcher.info.vector;
	}
	catcher.armed = true;
	fn(arg);
	catcher.armed = false;
	return -1;
}

/* If a catch is armed, redirect the trapped context to it; true if done. */
bool fault_fixup(struct trap_frame *f, uint64_t cr2)
{
	if (!catcher.armed || !trap_from_kernel(f) ||
	    f->vector >= NR_EXCEPTIONS)
		return false;
	catcher.info.vector = (int)f->vector;
	catcher.info.int_vector = trap_int_vector(f);
	catcher.info.error_code = f->error_code;
	catcher.info.rip = f->rip;
	catcher.info.cr2 = cr2;
	catcher.armed = false;

	f->rip = (uint64_t)longjmp;
	f->rdi = (uint64_t)catcher.resume;
	f->rsi = 1; /* longjmp loads its own rsp: the frame's is left as is */
	return true;
}
