/*
 * String utilities shared by the command-line and boot-information
 * parsers. Pure functions, also built into the host unit tests.
 */
#include <paravane/compiler.h>
#include <paravane/string.h>
#include <stdbool.h>

/*
 * Copy at most size - 1 bytes of src into dst and terminate it; returns
 * strlen(src) so that a result >= size shows truncation.
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/*
 * Parse an unsigned number in decimal, or hexadecimal with a 0x prefix.
 * *end (if given) points after the last digit; it equals s if there was
 * none. Values that overflow saturate at UINT64_MAX.
 */
uint64_t parse_uint(const char *s, const char **end)
{
	const char *p = s;
	uint64_t v = 0;
	unsigned base = 10;
	bool any = false, overflow = false;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < 16) {
		base = 16;
		p += 2;
	}
	for (; digit_value(*p) < (int)base; p++) {
		unsigned d = (unsigned)digit_value(*p);

		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		v = v * base + d;
		any = true;
	}
	if (end)
		*end = any ? p : s;
	return overflow ? UINT64_MAX : v;
}

/*
 * Parse a size: a number with an optional suffix K, M, G or T (powers of
 * 1024, either case; a plain number is bytes). Saturates on overflow.
 */
uint64_t parse_size(const char *s, const char **end)
{
	const char *p;
	uint64_t v = parse_uint(s, &p);
	unsigned shift = 0;

	if (p == s) {
		if (end)
			*end = s;
		return 0;
	}
	switch (*p) {
	case 'k':
	case 'K': shift = 10; break;
	case 'm':
	case 'M': shift = 20; break;
	case 'g':
	case 'G': shift = 30; break;
	case 't':
	case 'T': shift = 40; break;
	default: break;
	}
	if (shift) {
		p++;
		v = v > (UINT64_MAX >> shift) ? UINT64_MAX : v << shift;
	}
	if (end)
		*end = p;
	return v;
}
