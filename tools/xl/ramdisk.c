/*
 * dom0's ramdisk: the boot module the hypervisor hands dom0 as its
 * initrd, a newc cpio archive (built by tools/mkramdisk.py) holding
 *
 *   /etc/xl/NAME.cfg        domain configurations
 *   /etc/xl/auto/NAME.cfg   the ones started at boot (links to the above)
 *   /boot/NAME.elf          the kernels they name
 *
 * start_info gives it as mod_start/mod_len: a virtual address inside
 * the bootstrap region, or - with SIF_MOD_START_PFN, for kernels that
 * ask Xen not to map it - the first pfn of its (contiguous) frames,
 * which the direct map then shows contiguously.
 */
#include "xl.h"

#include <ctrl/cpio.h>
#include <guest/bootinfo.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/mm.h>
#include <paravane/string.h>

static struct cpio_archive archive;
static bool present;

/* Find the ramdisk start_info describes. */
void ramdisk_init(void)
{
	const start_info_t *si = start_info;
	const void *base;

	if (!si->mod_start || !si->mod_len) {
		printk("xl: no ramdisk: no configurations or kernels\n");
		return;
	}
	if (si->flags & SIF_MOD_START_PFN)
		base = frame_va(_pfn(si->mod_start));
	else
		base = (const void *)si->mod_start;
	if (!base) {
		printk("xl: the ramdisk is not mapped\n");
		return;
	}
	cpio_open(&archive, base, si->mod_len);
	present = true;
	printk("xl: ramdisk of %lu KiB\n", si->mod_len >> 10);
}

/* Whether dom0 has a ramdisk. */
bool ramdisk_present(void)
{
	return present;
}

/* A regular file of the ramdisk (links followed): its data and length. */
int ramdisk_file(const char *path, const void **data, size_t *len)
{
	struct cpio_entry e;
	int rc;

	if (!present)
		return -ENOENT;
	rc = cpio_lookup(&archive, path, &e);
	if (rc)
		return rc;
	if ((e.mode & CPIO_MODE_TYPE) != CPIO_MODE_FILE)
		return -EISDIR;
	*data = e.data;
	*len = e.size;
	return 0;
}

/* Call fn with the path of every entry directly in directory dir. */
int ramdisk_dir(const char *dir, void (*fn)(const char *path, void *arg),
		void *arg)
{
	char path[CPIO_PATH_MAX];
	struct cpio_entry e;
	size_t cursor = 0;
	const char *base;
	int rc;

	if (!present)
		return -ENOENT;
	while ((rc = cpio_next(&archive, &cursor, &e)) == 1) {
		if (!cpio_entry_in_dir(&e, dir, &base))
			continue;
		if (strlen(dir) + 1 + strlen(base) >= sizeof(path))
			continue;
		strlcpy(path, dir, sizeof(path));
		strlcpy(path + strlen(path), "/", sizeof(path) - strlen(path));
		strlcpy(path + strlen(path), base, sizeof(path) - strlen(path));
		fn(path, arg);
	}
	return rc;
}
