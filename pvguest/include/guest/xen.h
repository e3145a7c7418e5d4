/*
 * The Xen public ABI as pvguest sees it: Debian's libxen-dev headers,
 * included (never copied). pvguest.mk sets __XEN_INTERFACE_VERSION__ to
 * the newest version those headers know, so every file agrees on which
 * structures and hypercall numbers are in force. The headers expect the
 * fixed-width integer types to be declared before them.
 */
#ifndef GUEST_XEN_H
#define GUEST_XEN_H

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>
#endif

#include <xen/xen.h>

#endif /* GUEST_XEN_H */
