/*
 * Paravane's version, shown in the hypervisor banner and by the tools.
 */
#ifndef PARAVANE_VERSION_H
#define PARAVANE_VERSION_H

#define PARAVANE_VERSION "0.1"
#define PARAVANE_ABI "Xen 4.17 PV (x86_64)"

#endif /* PARAVANE_VERSION_H */
