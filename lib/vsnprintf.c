/*
 * A small vsnprintf: flags '-', '0', '+', ' ', '#'; width and precision
 * (also '*'); length modifiers hh, h, l, ll, z, t; conversions d i u x X o
 * p s c %. Output is always NUL-terminated when size > 0; the return value
 * is the length the full output would have had.
 */
#include <paravane/compiler.h>
#include <paravane/printf.h>
#include <paravane/string.h>
#include <stdbool.h>
#include <stdint.h>

struct out {
	char *buf;
	size_t size, len;
};

struct spec {
	bool left, zero, plus, space, alt;
	int width, prec; /* prec < 0: none given */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	size_t n;

	if (!s)
		s = "(null)";
	n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
	if (!sp->left)
		pad(o, ' ', sp->width - (int)n);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - (int)n);
}

static void put_num(struct out *o, uint64_t v, bool neg, unsigned base,
		    bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	const char *prefix = "";
	int n = 0, zeros, plen;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);

	if (neg)
		prefix = "-";
	else if (sp->plus)
		prefix = "+";
	else if (sp->space)
		prefix = " ";
	else if (sp->alt && base == 16)
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && tmp[n - 1] != '0')
		prefix = "0";
	plen = (int)strlen(prefix);

	zeros = sp->prec > n ? sp->prec - n : 0;
	if (sp->zero && !sp->left && sp->prec < 0)
		zeros = MAX(zeros, sp->width - n - plen);

	if (!sp->left)
		pad(o, ' ', sp->width - n - zeros - plen);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	/* Left-justified padding is added by the caller. */
}

static int parse_int(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9')
		v = v * 10 + (*(*fmt)++ - '0');
	return v;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};

	for (; *fmt; fmt++) {
		struct spec sp = {.prec = -1};
		int lng = 0; /* -2 hh, -1 h, 0 int, 1 long, 2 long long */
		size_t start;
		uint64_t u;
		int64_t s;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		start = o.len;
		for (;;) {
			switch (*++fmt) {
			case '-': sp.left = true; continue;
			case '0': sp.zero = true; continue;
			case '+': sp.plus = true; continue;
			case ' ': sp.space = true; continue;
			case '#': sp.alt = true; continue;
			}
			break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			sp.width = parse_int(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				fmt++;
			} else {
				sp.prec = parse_int(&fmt);
			}
		}
		for (;; fmt++) {
			if (*fmt == 'h')
				lng--;
			else if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z' || *fmt == 't')
				lng = 1;
			else
				break;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng >= 1 ? va_arg(ap, long long) : va_arg(ap, int);
			if (lng == -1)
				s = (short)s;
			else if (lng == -2)
				s = (signed char)s;
			put_num(&o, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0,
				10, false, &sp);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng >= 1 ? va_arg(ap, unsigned long long)
				     : va_arg(ap, unsigned int);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng == -2)
				u = (unsigned char)u;
			/* '+' and ' ' apply to signed conversions only. */
			sp.plus = sp.space = false;
			put_num(&o, u, false,
				*fmt == 'o'   ? 8
				: *fmt == 'u' ? 10
					      : 16,
				*fmt == 'X', &sp);
			break;
		case 'p':
			sp.alt = true;
			sp.plus = sp.space = false;
			put_num(&o, (uintptr_t)va_arg(ap, void *), false, 16,
				false, &sp);
			break;
		case 's': put_str(&o, va_arg(ap, const char *), &sp); break;
		case 'c':
			if (!sp.left)
				pad(&o, ' ', sp.width - 1);
			put(&o, (char)va_arg(ap, int));
			break;
		case '%': put(&o, '%'); break;
		case '\0': fmt--; break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
		if (sp.left && *fmt != 's')
			pad(&o, ' ', sp.width - (int)(o.len - start));
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
