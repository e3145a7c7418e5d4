/*
 * System time: nanoseconds since boot (s_time_t, as in Xen), derived from
 * the TSC through a multiply-and-shift scale of the same form Xen puts in
 * vcpu_time_info (tsc_to_system_mul, tsc_shift).
 */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <stdint.h>

typedef int64_t s_time_t;

#define NANOSECS(n) ((s_time_t)(n))
#define MICROSECS(us) ((s_time_t)(us)*1000)
#define MILLISECS(ms) ((s_time_t)(ms)*1000000)
#define SECONDS(s) ((s_time_t)(s)*1000000000)

/* ns = ((delta << shift) * mul) >> 32, or delta >> -shift for shift < 0. */
struct time_scale {
	uint32_t mul;
	int8_t shift;
};

// common/time_scale.c
void time_scale_init(struct time_scale *ts, uint64_t from_hz, uint64_t to_hz);
uint64_t time_scale_apply(uint64_t delta, const struct time_scale *ts);

// arch/x86/rtc.c
uint64_t rtc_read_epoch(void);

// arch/x86/time.c
void time_init(void);
s_time_t NOW(void);
s_time_t tsc_to_system_time(uint64_t tsc);
uint64_t tsc_hz(void);
const struct time_scale *tsc_to_ns_scale(void);
void udelay(unsigned long us);

#endif /* HV_TIME_H */
