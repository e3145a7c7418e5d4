/*
 * Building a PV domain from a kernel image (arch/x86/pv/domain_build.c).
 */
#ifndef ASM_DOMAIN_BUILD_H
#define ASM_DOMAIN_BUILD_H

#include <stddef.h>

struct domain;

struct pv_build_args {
	struct domain *d;
	const void *kernel;
	size_t kernel_len;
	const void *initrd; /* may be NULL */
	size_t initrd_len;
	const char *cmdline;
	unsigned long nr_pages;
};

// arch/x86/pv/domain_build.c
int pv_build_domain(const struct pv_build_args *a);
void fill_hypercall_page(void *page);

// arch/x86/dom0.c
void create_dom0(void);

#endif /* ASM_DOMAIN_BUILD_H */
