/*
 * Error numbers: Xen's own, from the public <xen/errno.h>, as plain ENAME
 * constants. pvguest functions return 0 or a negative errno, and pass a
 * hypercall's negative result through unchanged.
 */
#ifndef GUEST_ERRNO_H
#define GUEST_ERRNO_H

enum guest_errno {
#define XEN_ERRNO(name, value) name = value,
#include <xen/errno.h>
};

// kernel/errno.c
const char *errno_name(int err);

#endif /* GUEST_ERRNO_H */
