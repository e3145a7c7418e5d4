/*
 * Error numbers: Xen's own, from the public <xen/errno.h>, as plain
 * ENAME constants, for the hypervisor, pvguest and the code they share.
 * Functions return 0 or a negative errno; a hypercall hands the same value
 * to the guest, and a guest passes it on unchanged.
 */
#ifndef PARAVANE_ERRNO_H
#define PARAVANE_ERRNO_H

#ifdef PARAVANE_HOST_TEST
/* Host unit tests: the C library already names these (same x86 values). */
#include <errno.h>
#else
enum xen_errno {
#define XEN_ERRNO(name, value) name = value,
#include <xen/errno.h>
};
#endif

#endif /* PARAVANE_ERRNO_H */
