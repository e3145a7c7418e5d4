/*
 * Distinct types for distinct address spaces, shared by the hypervisor and
 * pvguest. A machine frame, a guest frame, a pseudo-physical frame and a
 * physical address are each a one-member struct, so the compiler refuses
 * to mix them up; the helpers below are the only conversions.
 *
 *   mfn_t    machine frame number (a real RAM or MMIO frame)
 *   gfn_t    a guest's frame number as the guest names it
 *   pfn_t    a PV guest's pseudo-physical frame number (index in its p2m)
 *   paddr_t  machine (physical) byte address
 *
 * Virtual addresses of the current address space are plain pointers.
 */
#ifndef PARAVANE_ADDR_TYPES_H
#define PARAVANE_ADDR_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#define FRAME_SHIFT 12

typedef struct {
	uint64_t mfn;
} mfn_t;
typedef struct {
	uint64_t gfn;
} gfn_t;
typedef struct {
	uint64_t pfn;
} pfn_t;
typedef struct {
	uint64_t pa;
} paddr_t;

#define INVALID_MFN_RAW (~0UL)

static inline mfn_t _mfn(uint64_t m)
{
	return (mfn_t){m};
}
static inline uint64_t mfn_x(mfn_t m)
{
	return m.mfn;
}
static inline gfn_t _gfn(uint64_t g)
{
	return (gfn_t){g};
}
static inline uint64_t gfn_x(gfn_t g)
{
	return g.gfn;
}
static inline pfn_t _pfn(uint64_t p)
{
	return (pfn_t){p};
}
static inline uint64_t pfn_x(pfn_t p)
{
	return p.pfn;
}
static inline paddr_t _paddr(uint64_t a)
{
	return (paddr_t){a};
}
static inline uint64_t paddr_x(paddr_t a)
{
	return a.pa;
}

static inline bool mfn_eq(mfn_t a, mfn_t b)
{
	return a.mfn == b.mfn;
}
static inline mfn_t mfn_add(mfn_t m, uint64_t n)
{
	return _mfn(m.mfn + n);
}
static inline paddr_t paddr_add(paddr_t a, uint64_t n)
{
	return _paddr(a.pa + n);
}
static inline paddr_t mfn_to_paddr(mfn_t m)
{
	return _paddr(m.mfn << FRAME_SHIFT);
}
/* The frame holding a physical address (rounds down). */
static inline mfn_t paddr_to_mfn(paddr_t a)
{
	return _mfn(a.pa >> FRAME_SHIFT);
}

#endif /* PARAVANE_ADDR_TYPES_H */
