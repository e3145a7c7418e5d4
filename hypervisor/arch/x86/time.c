/*
 * The TSC as the hypervisor's clock. At boot the TSC is calibrated
 * against the PIT (channel 2 counting down a known interval, three times,
 * median kept); NOW() is then nanoseconds since calibration, through a
 * multiply-and-shift scale.
 */
#include <hv/lib.h>
#include <hv/time.h>

#include <asm/cpufeature.h>
#include <asm/io.h>
#include <asm/processor.h>

#define PIT_HZ 1193182
#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PIT_GATE 0x61 /* bit 0: gate of channel 2; bit 5: its output */
#define CALIBRATE_MS 20
#define CALIBRATE_RUNS 3

static uint64_t tsc_freq;
static uint64_t tsc_at_zero;
static struct time_scale tsc_scale;

static uint64_t pit_measure_tsc(void)
{
	unsigned int count = PIT_HZ * CALIBRATE_MS / 1000;
	uint64_t t0, t1;
	unsigned long spins = 0;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01); /* gate on, no beep */
	outb(PIT_MODE, 0xb0); /* channel 2, lobyte/hibyte, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	t0 = rdtsc_ordered();
	while (!(inb(PIT_GATE) & 0x20)) {
		if (++spins > 100000000UL)
			panic("time: the PIT does not count\n");
	}
	t1 = rdtsc_ordered();
	return (t1 - t0) * 1000 / CALIBRATE_MS;
}

/* Calibrate the TSC and start system time at zero. */
void time_init(void)
{
	uint64_t runs[CALIBRATE_RUNS];

	if (!(boot_cpu.leaf1_edx & CPUID1_EDX_TSC))
		panic("time: this CPU has no TSC\n");
	for (int i = 0; i < CALIBRATE_RUNS; i++)
		runs[i] = pit_measure_tsc();
	for (int i = 1; i < CALIBRATE_RUNS; i++) /* sort to find the median */
		for (int j = i; j > 0 && runs[j - 1] > runs[j]; j--) {
			uint64_t t = runs[j];

			runs[j] = runs[j - 1];
			runs[j - 1] = t;
		}
	tsc_freq = runs[CALIBRATE_RUNS / 2];
	time_scale_init(&tsc_scale, tsc_freq, 1000000000UL);
	tsc_at_zero = rdtsc_ordered();
	pr_info("TSC: %lu.%03lu MHz (calibrated against the PIT)%s\n",
		tsc_freq / 1000000, (tsc_freq / 1000) % 1000,
		boot_cpu.ext7_edx & CPUIDX7_EDX_INVARIANT_TSC ? ", invariant"
							      : "");
}

/* Nanoseconds since time_init(). */
s_time_t NOW(void)
{
	return (s_time_t)time_scale_apply(rdtsc_ordered() - tsc_at_zero,
					  &tsc_scale);
}

/* The system time a TSC value corresponds to. */
s_time_t tsc_to_system_time(uint64_t tsc)
{
	return (s_time_t)time_scale_apply(tsc - tsc_at_zero, &tsc_scale);
}

/* The TSC frequency in Hz. */
uint64_t tsc_hz(void)
{
	return tsc_freq;
}

/* The TSC-to-nanoseconds scale, as guests will see it. */
const struct time_scale *tsc_to_ns_scale(void)
{
	return &tsc_scale;
}

/* Busy-wait for at least us microseconds. */
void udelay(unsigned long us)
{
	s_time_t end = NOW() + MICROSECS(us);

	while (NOW() < end)
		cpu_relax();
}
