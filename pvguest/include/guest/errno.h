/* Error numbers: Xen's, see <paravane/errno.h>. */
#ifndef GUEST_ERRNO_H
#define GUEST_ERRNO_H

#include <paravane/errno.h>

// kernel/errno.c
const char *errno_name(int err);
int errno_by_name(const char *name);

#endif /* GUEST_ERRNO_H */
