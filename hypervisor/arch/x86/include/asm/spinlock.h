/*
 * Ticket spinlocks: fair, FIFO, one cache line of state. Interrupt-safe
 * variants save and restore the interrupt flag around the critical
 * section. Lock order is documented at the top of each file that nests
 * locks; the printk lock is always innermost.
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <stdint.h>

#include <asm/processor.h>

typedef struct {
	uint16_t head; /* ticket being served */
	uint16_t tail; /* next ticket to hand out */
} spinlock_t;

#define SPIN_LOCK_UNLOCKED                                                     \
	{                                                                      \
		0, 0                                                           \
	}
#define DEFINE_SPINLOCK(l) spinlock_t l = SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *l)
{
	l->head = 0;
	l->tail = 0;
}

static inline void spin_lock(spinlock_t *l)
{
	uint16_t ticket = __atomic_fetch_add(&l->tail, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->head, (uint16_t)(l->head + 1), __ATOMIC_RELEASE);
}

static inline int spin_trylock(spinlock_t *l)
{
	uint16_t head = __atomic_load_n(&l->head, __ATOMIC_RELAXED);
	uint32_t old = ((uint32_t)head << 16) | head; /* tail == head */
	uint32_t new = ((uint32_t)(uint16_t)(head + 1) << 16) | head;

	return __atomic_compare_exchange_n((uint32_t *)l, &old, new, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline int spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->head, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->tail, __ATOMIC_RELAXED);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = local_irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	local_irq_restore(flags);
}

#endif /* ASM_SPINLOCK_H */
