/*
 * <xen/hvm/save.h>, which <xen/domctl.h> includes, expects the hypervisor
 * it is built into to provide <xen/lib.h> with BUG(); Paravane's is in
 * <hv/lib.h>. Nothing else of Xen's internals is provided or needed.
 */
#ifndef PARAVANE_XEN_LIB_SHIM_H
#define PARAVANE_XEN_LIB_SHIM_H

#include <hv/lib.h>

#endif /* PARAVANE_XEN_LIB_SHIM_H */
