/*
 * Spinlocks for data shared between vCPUs.
 *
 * A lock that an event handler may also take must be held with events
 * masked on this vCPU, or the handler could spin forever on a lock its
 * own vCPU holds: spin_lock_irqsave() does both. pvguest's own locks are
 * all taken that way (event handlers wake threads, which takes run-queue
 * locks), so plain spin_lock() is only for callers that already masked.
 *
 * A vCPU may be descheduled by the hypervisor while it holds a lock; the
 * others then spin until it runs again. Critical sections are short.
 */
#ifndef GUEST_SPINLOCK_H
#define GUEST_SPINLOCK_H

#include <guest/irqflags.h>
#include <guest/processor.h>

typedef struct {
	volatile int locked;
} spinlock_t;

#define SPINLOCK_INIT                                                          \
	{                                                                      \
		0                                                              \
	}

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(l->locked))
			cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/* Mask events on this vCPU, then take the lock; returns the old mask. */
static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = local_irq_save();

	spin_lock(l);
	return flags;
}

/* Release the lock, then restore the event mask (delivering what waits). */
static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	local_irq_restore(flags);
}

#endif /* GUEST_SPINLOCK_H */
