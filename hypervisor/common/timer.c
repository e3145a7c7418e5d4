/*
 * Timer queues. Each CPU keeps its active timers in a binary min-heap on
 * expiry time (heap[1] is the earliest); a timer records its position so
 * that stopping or moving it is O(log n). Whenever the earliest entry
 * changes, the CPU's hardware timer is reprogrammed for it.
 *
 * Expired timers run from TIMER_SOFTIRQ with the queue lock dropped, so a
 * callback may set or stop any timer, its own included.
 *
 * Lock: each queue has its own lock, taken with interrupts off. A timer is
 * only ever touched under the lock of the CPU it belongs to.
 */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/softirq.h>
#include <hv/timer.h>

#include <asm/spinlock.h>

#define INITIAL_CAPACITY 64

struct timer_queue {
	spinlock_t lock;
	struct timer **heap; /* heap[1..size]; heap[0] unused */
	unsigned int size, capacity;
};

static struct timer_queue queues[NR_CPUS];

static void heap_swap(struct timer **h, unsigned int a, unsigned int b)
{
	struct timer *t = h[a];

	h[a] = h[b];
	h[b] = t;
	h[a]->heap_pos = a;
	h[b]->heap_pos = b;
}

static void sift_up(struct timer **h, unsigned int i)
{
	while (i > 1 && h[i / 2]->expires > h[i]->expires) {
		heap_swap(h, i, i / 2);
		i /= 2;
	}
}

static void sift_down(struct timer **h, unsigned int size, unsigned int i)
{
	for (;;) {
		unsigned int l = 2 * i, r = l + 1, m = i;

		if (l <= size && h[l]->expires < h[m]->expires)
			m = l;
		if (r <= size && h[r]->expires < h[m]->expires)
			m = r;
		if (m == i)
			return;
		heap_swap(h, i, m);
		i = m;
	}
}

static void heap_remove(struct timer_queue *q, struct timer *t)
{
	unsigned int i = t->heap_pos;
	struct timer **h = q->heap;

	t->heap_pos = 0;
	if (i == q->size) {
		q->size--;
		return;
	}
	h[i] = h[q->size--];
	h[i]->heap_pos = i;
	if (i > 1 && h[i / 2]->expires > h[i]->expires)
		sift_up(h, i);
	else
		sift_down(h, q->size, i);
}

static int heap_grow(struct timer_queue *q)
{
	unsigned int cap = q->capacity ? q->capacity * 2 : INITIAL_CAPACITY;
	struct timer **h = xzalloc_array(struct timer *, cap + 1);

	if (!h)
		return -ENOMEM;
	if (q->heap)
		memcpy(h, q->heap, (q->size + 1) * sizeof(*h));
	xfree(q->heap);
	q->heap = h;
	q->capacity = cap;
	return 0;
}

/* Prepare a CPU's timer queue. */
int timer_init_cpu(unsigned int cpu)
{
	struct timer_queue *q = &queues[cpu];

	spin_lock_init(&q->lock);
	return q->heap ? 0 : heap_grow(q);
}

/* Make t an inactive timer that will call fn(data) on the given CPU. */
void init_timer(struct timer *t, void (*fn)(void *), void *data,
		unsigned int cpu)
{
	ASSERT(cpu < NR_CPUS);
	*t = (struct timer){.fn = fn, .data = data, .cpu = cpu};
}

static s_time_t earliest(const struct timer_queue *q)
{
	return q->size ? q->heap[1]->expires : 0;
}

/*
 * (Re)arm t to fire at system time expires (a time in the past fires as
 * soon as possible). Returns 0, or -ENOMEM if the queue could not grow.
 */
int set_timer(struct timer *t, s_time_t expires)
{
	struct timer_queue *q = &queues[t->cpu];
	unsigned long flags = spin_lock_irqsave(&q->lock);
	s_time_t before = earliest(q);
	int rc = 0;

	if (t->heap_pos)
		heap_remove(q, t);
	if (q->size == q->capacity && (rc = heap_grow(q)) != 0)
		goto out;
	t->expires = expires;
	q->heap[++q->size] = t;
	t->heap_pos = q->size;
	sift_up(q->heap, q->size);
	if (earliest(q) != before) {
		if (t->cpu == smp_processor_id())
			reprogram_timer(earliest(q));
		else /* that CPU re-arms its timer from its softirq */
			cpu_raise_softirq(t->cpu, TIMER_SOFTIRQ);
	}
out:
	spin_unlock_irqrestore(&q->lock, flags);
	return rc;
}

/* Deactivate t; it will not fire unless set again. */
void stop_timer(struct timer *t)
{
	struct timer_queue *q = &queues[t->cpu];
	unsigned long flags = spin_lock_irqsave(&q->lock);

	if (t->heap_pos)
		heap_remove(q, t);
	spin_unlock_irqrestore(&q->lock, flags);
}

/* Whether t is queued to fire. */
bool timer_is_active(const struct timer *t)
{
	return READ_ONCE(t->heap_pos) != 0;
}

/* The earliest expiry queued on cpu, or 0 if none. */
s_time_t timer_next_deadline(unsigned int cpu)
{
	struct timer_queue *q = &queues[cpu];
	unsigned long flags = spin_lock_irqsave(&q->lock);
	s_time_t d = earliest(q);

	spin_unlock_irqrestore(&q->lock, flags);
	return d;
}

/* TIMER_SOFTIRQ: run every expired timer of this CPU, then re-arm. */
void timer_softirq_action(void)
{
	struct timer_queue *q = &queues[smp_processor_id()];
	unsigned long flags = spin_lock_irqsave(&q->lock);

	while (q->size && q->heap[1]->expires <= NOW()) {
		struct timer *t = q->heap[1];

		heap_remove(q, t);
		spin_unlock_irqrestore(&q->lock, flags);
		t->fn(t->data);
		flags = spin_lock_irqsave(&q->lock);
	}
	reprogram_timer(earliest(q));
	spin_unlock_irqrestore(&q->lock, flags);
}
