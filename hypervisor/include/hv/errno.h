/*
 * Error numbers: Xen's own, from the public <xen/errno.h>, as plain
 * ENAME constants. Hypervisor functions return 0 or a negative errno, and a
 * hypercall hands the same value to the guest.
 */
#ifndef HV_ERRNO_H
#define HV_ERRNO_H

#ifdef PARAVANE_HOST_TEST
/* Host unit tests: the C library already names these (same x86 values). */
#include <errno.h>
#else
enum hv_errno {
#define XEN_ERRNO(name, value) name = value,
#include <xen/errno.h>
};
#endif

#endif /* HV_ERRNO_H */
