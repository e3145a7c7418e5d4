/*
 * The CMOS real-time clock, read once at boot to give guests the wall
 * clock (shared_info's wc_sec/wc_nsec). Reads wait for the end of an
 * update cycle and repeat until two readings agree; BCD and 12-hour
 * formats are converted.
 */
#include <hv/lib.h>
#include <hv/time.h>

#include <asm/io.h>
#include <asm/spinlock.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_UPDATE_IN_PROGRESS 0x80
#define RTC_24_HOUR 0x02
#define RTC_BINARY 0x04

struct rtc_time {
	unsigned int sec, min, hour, day, mon, year;
};

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void read_once(struct rtc_time *t)
{
	for (unsigned int spins = 0; spins < 1000000; spins++)
		if (!(cmos_read(RTC_STATUS_A) & RTC_UPDATE_IN_PROGRESS))
			break;
	t->sec = cmos_read(RTC_SECONDS);
	t->min = cmos_read(RTC_MINUTES);
	t->hour = cmos_read(RTC_HOURS);
	t->day = cmos_read(RTC_DAY);
	t->mon = cmos_read(RTC_MONTH);
	t->year = cmos_read(RTC_YEAR);
}

static unsigned int bcd(unsigned int v)
{
	return (v & 0xf) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to the given date (proleptic Gregorian). */
static uint64_t days_since_epoch(unsigned int y, unsigned int m, unsigned int d)
{
	/* Shift the year to start in March so leap days come last. */
	if (m <= 2) {
		y--;
		m += 12;
	}
	return 365ULL * y + y / 4 - y / 100 + y / 400 +
	       (153 * (m - 3) + 2) / 5 + d - 1 - 719468ULL;
}

/* Seconds since the Unix epoch according to the RTC. */
uint64_t rtc_read_epoch(void)
{
	struct rtc_time a, b;
	uint8_t status;
	bool pm;

	do {
		read_once(&a);
		read_once(&b);
	} while (memcmp(&a, &b, sizeof(a)));
	status = cmos_read(RTC_STATUS_B);
	pm = !(status & RTC_24_HOUR) && (a.hour & 0x80);
	a.hour &= 0x7f;
	if (!(status & RTC_BINARY)) {
		a.sec = bcd(a.sec);
		a.min = bcd(a.min);
		a.hour = bcd(a.hour);
		a.day = bcd(a.day);
		a.mon = bcd(a.mon);
		a.year = bcd(a.year);
	}
	if (!(status & RTC_24_HOUR))
		a.hour = (a.hour % 12) + (pm ? 12 : 0);
	a.year += a.year < 70 ? 2000 : 1900;
	return days_since_epoch(a.year, a.mon, a.day) * 86400 + a.hour * 3600 +
	       a.min * 60 + a.sec;
}
