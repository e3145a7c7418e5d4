/* Error numbers: Xen's, see <paravane/errno.h>. */
#ifndef HV_ERRNO_H
#define HV_ERRNO_H

#include <paravane/errno.h>

#endif /* HV_ERRNO_H */
