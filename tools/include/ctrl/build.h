/*
 * dom0's domain builder (tools/ctrl/build.c): from a PV kernel image to
 * a paused domain ready to run, through the hypervisor's ordinary
 * interfaces, as Xen's libxenguest does. The steps, each a hypercall dom0
 * is allowed to make:
 *
 *   build_create  createdomain, max_vcpus, max_mem: an empty domain
 *   build_image   populate_physmap for the domain; map its frames into
 *                 dom0 (mmu_update with foreigndom); load the ELF
 *                 segments, the ramdisk, the p2m list, start_info and
 *                 the bootstrap page tables (lib/pv_layout.c, the layout
 *                 the hypervisor gives dom0); open the store and console
 *                 channels (alloc_unbound for dom0); mask events in its
 *                 shared_info; unmap; hypercall_init;
 *                 pin the L4 (mmuext_op with foreigndom); setvcpucontext
 *   build_domain  both, then unpause; on any failure the domain is
 *                 destroyed, so nothing is left behind
 *
 * Errors are negative Xen errnos with a sentence in build_info.error.
 */
#ifndef CTRL_BUILD_H
#define CTRL_BUILD_H

#include <guest/xen.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/event_channel.h>

#define BUILD_ERROR_MAX 160

/* What to build. */
struct build_params {
	const void *kernel; /* the ELF image */
	size_t kernel_len;
	const void *ramdisk; /* may be NULL */
	size_t ramdisk_len;
	const char *cmdline;	 /* may be NULL */
	unsigned long memory_kb; /* what the domain starts with */
	unsigned long max_kb;	 /* what it may grow to (0: memory_kb) */
	unsigned int max_vcpus;
};

/* What the build produced, or why it failed. */
struct build_info {
	domid_t domid;
	unsigned long nr_pages;
	uint64_t entry, start_info_va;
	xen_pfn_t start_info_mfn, store_mfn, console_mfn;
	evtchn_port_t store_port, console_port;
	char error[BUILD_ERROR_MAX];
};

// tools/ctrl/build.c
int build_check(const struct build_params *p, struct build_info *out);
int build_create(const struct build_params *p, struct build_info *out);
int build_image(const struct build_params *p, struct build_info *out);
int build_domain(const struct build_params *p, struct build_info *out);

#endif /* CTRL_BUILD_H */
