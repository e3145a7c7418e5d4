/*
 * HYPERVISOR_xen_version: who the guest is talking to. Paravane answers
 * as Xen 4.17 with the 64-bit PV capability, since that is the interface
 * it implements; extraversion and changeset name Paravane.
 */
#include <hv/hypercall.h>
#include <hv/sched.h>
#include <paravane/version.h>
#include <xen/features.h>
#include <xen/version.h>

#include <asm/guest_access.h>
#include <asm/setup.h>

#define XEN_MAJOR 4
#define XEN_MINOR 17

static uint32_t feature_submap(const struct domain *d, unsigned int idx)
{
	uint32_t f = 0;

	if (idx != 0)
		return 0;
	f |= 1U << XENFEAT_mmu_pt_update_preserve_ad;
	f |= 1U << XENFEAT_pae_pgdir_above_4gb;
	f |= 1U << XENFEAT_gnttab_map_avail_bits;
	if (d->is_privileged)
		f |= 1U << XENFEAT_dom0;
	return f;
}

static long copy_string(XEN_GUEST_HANDLE_PARAM(void) arg, const char *s,
			size_t size)
{
	char buf[1024] = {0};

	strlcpy(buf, s, MIN(size, sizeof(buf)));
	return copy_to_guest_raw(arg.p, buf, size) ? -EFAULT : 0;
}

/* HYPERVISOR_xen_version(cmd, arg). */
long do_xen_version(int cmd, XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct domain *d = current->domain;
	struct xen_platform_parameters pp;
	struct xen_feature_info fi;
	xen_compile_info_t ci;
	xen_domain_handle_t handle = {0};

	switch (cmd) {
	case XENVER_version: return (XEN_MAJOR << 16) | XEN_MINOR;
	case XENVER_extraversion:
		return copy_string(arg, "-paravane",
				   sizeof(xen_extraversion_t));
	case XENVER_compile_info:
		memset(&ci, 0, sizeof(ci));
		strlcpy(ci.compiler, "gcc " __VERSION__, sizeof(ci.compiler));
		strlcpy(ci.compile_by, "paravane", sizeof(ci.compile_by));
		strlcpy(ci.compile_domain, "build", sizeof(ci.compile_domain));
		strlcpy(ci.compile_date, __DATE__, sizeof(ci.compile_date));
		return copy_to_guest_raw(arg.p, &ci, sizeof(ci)) ? -EFAULT : 0;
	case XENVER_capabilities:
		return copy_string(arg, "xen-3.0-x86_64",
				   sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		return copy_string(arg, "Paravane " PARAVANE_VERSION,
				   sizeof(xen_changeset_info_t));
	case XENVER_platform_parameters:
		pp.virt_start = HYPERVISOR_VIRT_START;
		return copy_to_guest_raw(arg.p, &pp, sizeof(pp)) ? -EFAULT : 0;
	case XENVER_get_features:
		if (copy_from_guest_raw(&fi, arg.p, sizeof(fi)))
			return -EFAULT;
		if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
			return -EINVAL;
		fi.submap = feature_submap(d, fi.submap_idx);
		return copy_to_guest_raw(arg.p, &fi, sizeof(fi)) ? -EFAULT : 0;
	case XENVER_pagesize: /* takes no argument */
		return guest_handle_is_null(arg) ? (long)PAGE_SIZE : -EINVAL;
	case XENVER_guest_handle:
		return copy_to_guest_raw(arg.p, handle, sizeof(handle))
			       ? -EFAULT
			       : 0;
	case XENVER_commandline:
		if (!d->is_privileged)
			return -EPERM;
		return copy_string(arg, boot_info.cmdline,
				   sizeof(xen_commandline_t));
	default: return -ENOSYS;
	}
}
