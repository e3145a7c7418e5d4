/*
 * Reading the clock: system time from vcpu_time_info and the TSC, and
 * the wall clock from shared_info.
 *
 * The version protocol. Xen makes the version odd, writes the fields,
 * then makes it even again. A reader takes the version, then the fields,
 * then the version again, and retries unless both reads agree and are
 * even. x86 keeps loads in order, so compiler barriers are enough
 * between them; the TSC read is fenced so it is not taken before the
 * version.
 *
 * The scale. ns = system_time + ((tsc - tsc_timestamp) << shift) * mul
 * / 2^32, where a negative shift is a right shift: mul is a 32.32 fixed
 * point fraction, and the 64x32-bit product is taken at 96 bits.
 *
 * Each vCPU extrapolates from its own record, which Xen refreshes when
 * the vCPU is scheduled; two vCPUs may disagree by a little. time_now()
 * never returns less than any earlier time_now() on any vCPU: a shared
 * high-water mark is raised atomically (as Linux's pvclock does unless
 * Xen vouches for a stable TSC).
 */
#include <guest/shared_info.h>
#include <guest/time.h>
#include <paravane/compiler.h>

static uint64_t last_time;

/* The TSC, read after every earlier load has completed. */
uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

/* A consistent copy of a vcpu_time_info. */
void time_record_read(const vcpu_time_info_t *t, struct time_record *r)
{
	uint32_t v;

	do {
		v = READ_ONCE(t->version);
		barrier();
		r->tsc_timestamp = READ_ONCE(t->tsc_timestamp);
		r->system_time = READ_ONCE(t->system_time);
		r->mul = READ_ONCE(t->tsc_to_system_mul);
		r->shift = READ_ONCE(t->tsc_shift);
		r->flags = READ_ONCE(t->flags);
		barrier();
	} while ((v & 1) || v != READ_ONCE(t->version));
	r->version = v;
}

/* Nanoseconds for tsc_delta TSC ticks at scale mul, shift. */
uint64_t time_scale_delta(uint64_t tsc_delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		tsc_delta >>= -shift;
	else
		tsc_delta <<= shift;
	return (uint64_t)(((unsigned __int128)tsc_delta * mul) >> 32);
}

/* The system time a record gives for a TSC value (not before its stamp). */
uint64_t time_at_tsc(const struct time_record *r, uint64_t tsc)
{
	uint64_t delta = tsc > r->tsc_timestamp ? tsc - r->tsc_timestamp : 0;

	return r->system_time + time_scale_delta(delta, r->mul, r->shift);
}

/* System time now, in ns; never behind an earlier reading on any vCPU. */
uint64_t time_now(void)
{
	const vcpu_time_info_t *t = &this_vcpu_info()->time;
	uint64_t now, last;
	uint32_t v;

	do {
		struct time_record r;

		time_record_read(t, &r);
		now = time_at_tsc(&r, rdtsc_ordered());
		v = r.version;
		barrier();
	} while (v != READ_ONCE(t->version));

	last = __atomic_load_n(&last_time, __ATOMIC_RELAXED);
	do {
		if (now <= last)
			return last;
	} while (!__atomic_compare_exchange_n(&last_time, &last, now, true,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return now;
}

/* The time of day now: seconds and nanoseconds since the Unix epoch. */
void wallclock_read(uint64_t *sec, uint32_t *nsec)
{
	const shared_info_t *s = HYPERVISOR_shared_info;
	uint64_t wc_sec, ns;
	uint32_t v, wc_nsec;

	do {
		v = READ_ONCE(s->wc_version);
		barrier();
		wc_sec = ((uint64_t)READ_ONCE(s->wc_sec_hi) << 32) |
			 READ_ONCE(s->wc_sec);
		wc_nsec = READ_ONCE(s->wc_nsec);
		barrier();
	} while ((v & 1) || v != READ_ONCE(s->wc_version));
	ns = wc_nsec + time_now();
	*sec = wc_sec + ns / NSEC_PER_SEC;
	*nsec = (uint32_t)(ns % NSEC_PER_SEC);
}
