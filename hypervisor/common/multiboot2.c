/*
 * Multiboot2 boot-information parser. GRUB hands the hypervisor a list of
 * tags (8-byte aligned, each with a type and size, ending with a type-0
 * tag); we copy what we need into struct boot_info and keep no pointer
 * into GRUB's memory. The structure is trusted no further than its own
 * bounds: every tag must lie inside total_size, and every string and array
 * inside its tag, or the parse fails with -EINVAL.
 */
#include <hv/bootinfo.h>

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

struct mb2_info_header {
	uint32_t total_size;
	uint32_t reserved;
};

struct mb2_tag {
	uint32_t type;
	uint32_t size;
};

struct mb2_tag_module {
	struct mb2_tag tag;
	uint32_t mod_start, mod_end;
	char cmdline[]; /* NUL-terminated */
};

struct mb2_tag_meminfo {
	struct mb2_tag tag;
	uint32_t mem_lower, mem_upper;
};

struct mb2_tag_mmap {
	struct mb2_tag tag;
	uint32_t entry_size, entry_version;
	/* entries follow */
};

struct mb2_mmap_entry {
	uint64_t addr, len;
	uint32_t type, zero;
};

const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case MEM_AVAILABLE: return "RAM";
	case MEM_RESERVED: return "reserved";
	case MEM_ACPI_RECLAIMABLE: return "ACPI data";
	case MEM_ACPI_NVS: return "ACPI NVS";
	case MEM_BAD: return "bad";
	default: return "unknown";
	}
}

/* Copy a NUL-terminated string that must end inside [s, s + max). */
static int copy_string(char *dst, size_t dst_len, const char *s, size_t max)
{
	size_t len = strnlen(s, max);

	if (len == max)
		return -EINVAL;
	strlcpy(dst, s, dst_len);
	return 0;
}

static int parse_module(const struct mb2_tag *t, struct boot_info *bi)
{
	const struct mb2_tag_module *m = (const void *)t;
	struct boot_module *bm;

	if (t->size < sizeof(*m) + 1)
		return -EINVAL;
	if (m->mod_end < m->mod_start)
		return -EINVAL;
	if (bi->nr_mods == MAX_BOOT_MODULES) {
		bi->mods_truncated = true;
		return 0;
	}
	bm = &bi->mods[bi->nr_mods];
	bm->start = _paddr(m->mod_start);
	bm->size = m->mod_end - m->mod_start;
	if (copy_string(bm->cmdline, sizeof(bm->cmdline), m->cmdline,
			t->size - sizeof(*m)))
		return -EINVAL;
	bi->nr_mods++;
	return 0;
}

static int parse_mmap(const struct mb2_tag *t, struct boot_info *bi)
{
	const struct mb2_tag_mmap *mm = (const void *)t;
	const uint8_t *p, *end;

	if (t->size < sizeof(*mm))
		return -EINVAL;
	if (mm->entry_size < sizeof(struct mb2_mmap_entry) ||
	    mm->entry_size % 8)
		return -EINVAL;

	p = (const uint8_t *)(mm + 1);
	end = (const uint8_t *)t + t->size;
	for (; p + mm->entry_size <= end; p += mm->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;

		if (!e->len)
			continue;
		if (e->addr + e->len < e->addr)
			return -EINVAL;
		if (bi->nr_mem == MAX_MEM_REGIONS) {
			bi->mem_truncated = true;
			break;
		}
		bi->mem[bi->nr_mem++] = (struct mem_region){
			.addr = e->addr, .len = e->len, .type = e->type};
	}
	return 0;
}

static int parse_rsdp(const struct mb2_tag *t, struct boot_info *bi)
{
	size_t len = t->size - sizeof(*t);

	/* A newer (XSDT) RSDP wins over the old one, whatever the order. */
	if (t->type == MB2_TAG_ACPI_OLD && bi->rsdp_len > 20)
		return 0;
	if (len < 20)
		return -EINVAL;
	if (len > RSDP_MAX_LEN)
		len = RSDP_MAX_LEN;
	memcpy(bi->rsdp, t + 1, len);
	bi->rsdp_len = (unsigned int)len;
	return 0;
}

static int parse_tag(const struct mb2_tag *t, struct boot_info *bi)
{
	const struct mb2_tag_meminfo *mi;
	size_t body = t->size - sizeof(*t);

	switch (t->type) {
	case MB2_TAG_CMDLINE:
		return copy_string(bi->cmdline, sizeof(bi->cmdline),
				   (const char *)(t + 1), body);
	case MB2_TAG_LOADER_NAME:
		return copy_string(bi->loader, sizeof(bi->loader),
				   (const char *)(t + 1), body);
	case MB2_TAG_MODULE: return parse_module(t, bi);
	case MB2_TAG_BASIC_MEMINFO:
		if (t->size < sizeof(*mi))
			return -EINVAL;
		mi = (const void *)t;
		bi->mem_lower_kb = mi->mem_lower;
		bi->mem_upper_kb = mi->mem_upper;
		return 0;
	case MB2_TAG_MMAP: return parse_mmap(t, bi);
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW: return parse_rsdp(t, bi);
	default: return 0; /* tags we do not use */
	}
}

/*
 * Parse the multiboot2 information at mbi, of which at most avail bytes
 * are readable, into *bi. Returns 0, or -EINVAL if the structure is
 * malformed (bi is then partly filled and must not be used).
 */
int mb2_parse(const void *mbi, size_t avail, struct boot_info *bi)
{
	const struct mb2_info_header *h = mbi;
	const uint8_t *base = mbi;
	size_t off = sizeof(*h);

	memset(bi, 0, sizeof(*bi));
	if (!mbi || avail < sizeof(*h) || ((uintptr_t)mbi & 7))
		return -EINVAL;
	if (h->total_size < sizeof(*h) + sizeof(struct mb2_tag) ||
	    h->total_size > avail)
		return -EINVAL;

	while (off + sizeof(struct mb2_tag) <= h->total_size) {
		const struct mb2_tag *t = (const void *)(base + off);
		int rc;

		if (t->size < sizeof(*t) || t->size > h->total_size - off)
			return -EINVAL;
		if (t->type == MB2_TAG_END)
			return t->size == sizeof(*t) ? 0 : -EINVAL;
		rc = parse_tag(t, bi);
		if (rc)
			return rc;
		off += ROUNDUP((size_t)t->size, 8);
	}
	return -EINVAL; /* no end tag */
}
