/*
 * Fake spinlocks for host unit tests: one thread, so a lock never spins;
 * instead taking a held lock (a deadlock on real hardware) or releasing a
 * free one is an assertion failure, and fake/cpu.c counts the locks held
 * so tests can check that every path unlocks.
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <hv/lib.h>

#include <asm/processor.h>

typedef struct {
	bool held;
} spinlock_t;

#define SPIN_LOCK_UNLOCKED                                                     \
	{                                                                      \
		false                                                          \
	}
#define DEFINE_SPINLOCK(l) spinlock_t l = SPIN_LOCK_UNLOCKED

// fake/cpu.c
void fake_lock_acquired(spinlock_t *l);
void fake_lock_released(spinlock_t *l);
extern void (*fake_after_unlock)(spinlock_t *l); /* a test's other CPU */

static inline void spin_lock_init(spinlock_t *l)
{
	l->held = false;
}

static inline void spin_lock(spinlock_t *l)
{
	if (l->held)
		assert_failed("spin_lock: lock already held (deadlock)",
			      __FILE__, __LINE__);
	l->held = true;
	fake_lock_acquired(l);
}

static inline void spin_unlock(spinlock_t *l)
{
	if (!l->held)
		assert_failed("spin_unlock: lock not held", __FILE__, __LINE__);
	l->held = false;
	fake_lock_released(l);
}

static inline int spin_trylock(spinlock_t *l)
{
	if (l->held)
		return 0;
	spin_lock(l);
	return 1;
}

static inline int spin_is_locked(const spinlock_t *l)
{
	return l->held;
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = local_irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	if (local_irq_is_enabled())
		assert_failed("spin_unlock_irqrestore: interrupts were enabled "
			      "inside the critical section",
			      __FILE__, __LINE__);
	spin_unlock(l);
	local_irq_restore(flags);
}

#endif /* ASM_SPINLOCK_H */
