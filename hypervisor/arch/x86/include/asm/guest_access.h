/*
 * Guest memory access. A guest pointer is only ever used through these
 * functions: each checks that the whole range lies in guest space (never
 * in the hypervisor's L4 slots 256-271, never non-canonical), then copies
 * with exception fixup, so a bad pointer yields -EFAULT and never a fault
 * in the hypervisor. Accesses go through the current guest's page tables
 * and are bracketed by stac/clac when SMAP is on.
 *
 * Handles are Xen's XEN_GUEST_HANDLE(type) (a struct holding a pointer):
 * the hypervisor never dereferences .p itself.
 */
#ifndef ASM_GUEST_ACCESS_H
#define ASM_GUEST_ACCESS_H

#include <hv/errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <asm/memlayout.h>

// arch/x86/usercopy.S: each returns the number of bytes NOT copied
unsigned long raw_copy_from_user(void *to, const void *from, unsigned long n);
unsigned long raw_copy_to_user(void *to, const void *from, unsigned long n);
unsigned long raw_clear_user(void *to, unsigned long n);

/* Whether [p, p + n) is canonical guest address space. */
static inline bool guest_range_ok(const void *p, unsigned long n)
{
	uintptr_t a = (uintptr_t)p, e = a + n;

	if (e < a)
		return false;
	if (!n)
		return true;
	/* Lower canonical half, or the guest's part of the upper half. */
	if (e <= 0x0000800000000000UL)
		return true;
	return a >= HV_RANGE_END;
}

/* Copy n bytes from guest address src; 0 or -EFAULT. */
static inline int copy_from_guest_raw(void *dst, const void *src,
				      unsigned long n)
{
	if (!guest_range_ok(src, n))
		return -EFAULT;
	return raw_copy_from_user(dst, src, n) ? -EFAULT : 0;
}

/* Copy n bytes to guest address dst; 0 or -EFAULT. */
static inline int copy_to_guest_raw(void *dst, const void *src, unsigned long n)
{
	if (!guest_range_ok(dst, n))
		return -EFAULT;
	return raw_copy_to_user(dst, src, n) ? -EFAULT : 0;
}

/* Zero n bytes at guest address dst; 0 or -EFAULT. */
static inline int clear_guest_raw(void *dst, unsigned long n)
{
	if (!guest_range_ok(dst, n))
		return -EFAULT;
	return raw_clear_user(dst, n) ? -EFAULT : 0;
}

/*
 * Typed copies through a guest handle: nr elements of the handle's type,
 * starting off elements in. The element types of ptr and handle must
 * have the same size.
 */
#define GUEST_ELEM_CHECK(ptr, hnd)                                             \
	((void)sizeof(char[sizeof(*(ptr)) == sizeof(*(hnd).p) ? 1 : -1]))

#define copy_from_guest_offset(ptr, hnd, off, nr)                              \
	(GUEST_ELEM_CHECK(ptr, hnd),                                           \
	 copy_from_guest_raw((ptr), (hnd).p + (off),                           \
			     (unsigned long)(nr) * sizeof(*(hnd).p)))
#define copy_to_guest_offset(hnd, off, ptr, nr)                                \
	(GUEST_ELEM_CHECK(ptr, hnd),                                           \
	 copy_to_guest_raw((hnd).p + (off), (ptr),                             \
			   (unsigned long)(nr) * sizeof(*(hnd).p)))
#define copy_from_guest(ptr, hnd, nr) copy_from_guest_offset(ptr, hnd, 0, nr)
#define copy_to_guest(hnd, ptr, nr) copy_to_guest_offset(hnd, 0, ptr, nr)

/* Write back one field of a structure that was copied in from hnd. */
#define copy_field_to_guest(hnd, ptr, field)                                   \
	copy_to_guest_raw(&(hnd).p->field, &(ptr)->field, sizeof((ptr)->field))

#define guest_handle_is_null(hnd) ((hnd).p == NULL)
#define guest_handle_add_offset(hnd, nr) ((hnd).p += (nr))

/* A handle of a given type from a raw hypercall argument. */
#define guest_handle_from_arg(type, arg)                                       \
	((XEN_GUEST_HANDLE(type)){.p = (type *)(uintptr_t)(arg)})

#endif /* ASM_GUEST_ACCESS_H */
