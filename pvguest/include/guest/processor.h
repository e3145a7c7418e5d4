/*
 * x86 instructions a PV guest kernel may use directly: port I/O (trapped
 * and emulated by Xen, allowed once the virtual IOPL is raised), memory
 * barriers for pages shared with Xen and other domains, and the CPU's
 * time-stamp counter.
 */
#ifndef GUEST_PROCESSOR_H
#define GUEST_PROCESSOR_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* Full barrier: orders loads and stores against another CPU or Xen. */
static inline void mb(void)
{
	__asm__ __volatile__("lock; addl $0, (%%rsp)" : : : "memory", "cc");
}

/* x86 keeps loads ordered with loads and stores with stores. */
static inline void rmb(void)
{
	__asm__ __volatile__("" : : : "memory");
}

static inline void wmb(void)
{
	__asm__ __volatile__("" : : : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t read_rflags(void)
{
	uint64_t f;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(f));
	return f;
}

#endif /* GUEST_PROCESSOR_H */
