/*
 * The exception table: pairs (faulting instruction, fixup) that the
 * linker gathers in .ex_table. A fault in the hypervisor at a listed
 * instruction resumes at its fixup instead of being fatal; this is what
 * makes guest-memory access safe (usercopy.S) and lets a bad return frame
 * go back to the guest (entry.S).
 */
#include <hv/lib.h>

#include <asm/extable.h>

struct exception_entry {
	uintptr_t insn, fixup;
};

extern const struct exception_entry __ex_table_start[], __ex_table_end[];

bool smap_enabled;

/* The fixup address for a faulting instruction, or 0 if it has none. */
uintptr_t search_exception_table(uintptr_t rip)
{
	size_t n = ((uintptr_t)__ex_table_end - (uintptr_t)__ex_table_start) /
		   sizeof(struct exception_entry);

	for (size_t i = 0; i < n; i++)
		if (__ex_table_start[i].insn == rip)
			return __ex_table_start[i].fixup;
	return 0;
}
