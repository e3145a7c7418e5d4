/*
 * Symbol lookup for backtraces. The build links the image twice and
 * generates, from the first link's text symbols, a sorted table in the
 * .hvsyms section (tools/gensyms.sh): hv_symbol_addrs[] ascending, and for
 * each an offset of its NUL-terminated name in hv_symbol_names.
 */
#include <hv/lib.h>
#include <hv/symbols.h>

extern const uint64_t hv_symbol_count;
extern const uint64_t hv_symbol_addrs[];
extern const uint32_t hv_symbol_offsets[];
extern const char hv_symbol_names[];
extern const char __text_start[], __text_end[];

/*
 * The name of the function containing addr, with addr's offset into it
 * and the function's size (up to the next symbol); NULL if addr is not in
 * the hypervisor's text.
 */
const char *symbol_lookup(uintptr_t addr, uintptr_t *offset, uintptr_t *size)
{
	size_t lo = 0, hi = hv_symbol_count;

	if (addr < (uintptr_t)__text_start || addr >= (uintptr_t)__text_end ||
	    !hi || addr < hv_symbol_addrs[0])
		return NULL;
	while (hi - lo > 1) { /* last symbol whose address is <= addr */
		size_t mid = (lo + hi) / 2;

		if (hv_symbol_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - hv_symbol_addrs[lo];
	*size = (lo + 1 < hv_symbol_count ? hv_symbol_addrs[lo + 1]
					  : (uintptr_t)__text_end) -
		hv_symbol_addrs[lo];
	return &hv_symbol_names[hv_symbol_offsets[lo]];
}

/* Print "prefix[<addr>] name+off/size" on a line of its own. */
void print_symbol(const char *prefix, uintptr_t addr)
{
	uintptr_t off, size;
	const char *name = symbol_lookup(addr, &off, &size);

	if (name)
		pr_err("%s[<%016lx>] %s+%#lx/%#lx\n", prefix, addr, name, off,
		       size);
	else
		pr_err("%s[<%016lx>]\n", prefix, addr);
}
