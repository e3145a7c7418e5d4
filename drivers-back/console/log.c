/*
 * A domain's console log: the last CONSBACK_LOG_SIZE bytes it wrote, in
 * a circular buffer. Bytes are numbered by their position in everything
 * the domain ever wrote, so a reader (xl console's replay, expect) keeps
 * a position and reads on from it; what has been overwritten meanwhile
 * is simply gone, and the read says where the kept bytes start.
 */
#include "consback.h"

#include <paravane/compiler.h>
#include <paravane/string.h>

#define MASK(pos) ((size_t)(pos) & (CONSBACK_LOG_SIZE - 1))

_Static_assert((CONSBACK_LOG_SIZE & (CONSBACK_LOG_SIZE - 1)) == 0,
	       "the log size is a power of two");

/* Append len bytes, dropping the oldest beyond the log's size. */
void conslog_append(struct consback_log *l, const char *s, size_t len)
{
	if (len > CONSBACK_LOG_SIZE) {
		l->end += len - CONSBACK_LOG_SIZE;
		s += len - CONSBACK_LOG_SIZE;
		len = CONSBACK_LOG_SIZE;
	}
	while (len) {
		size_t at = MASK(l->end);
		size_t n = MIN(len, CONSBACK_LOG_SIZE - at);

		memcpy(l->buf + at, s, n);
		l->end += n;
		s += n;
		len -= n;
	}
}

/* The position of the oldest byte kept. */
uint64_t conslog_start(const struct consback_log *l)
{
	return l->end > CONSBACK_LOG_SIZE ? l->end - CONSBACK_LOG_SIZE : 0;
}

/*
 * Copy up to len bytes from position from on (or from the oldest kept,
 * if from is older); *first receives the position of the first byte
 * copied. Returns the count (0 at the end).
 */
size_t conslog_read(const struct consback_log *l, uint64_t from, char *buf,
		    size_t len, uint64_t *first)
{
	uint64_t start = conslog_start(l);
	size_t done = 0;

	if (from < start)
		from = start;
	if (from > l->end)
		from = l->end;
	*first = from;
	len = (size_t)MIN((uint64_t)len, l->end - from);
	while (done < len) {
		size_t at = MASK(from + done);
		size_t n = MIN(len - done, CONSBACK_LOG_SIZE - at);

		memcpy(buf + done, l->buf + at, n);
		done += n;
	}
	return done;
}

static char byte_at(const struct consback_log *l, uint64_t pos)
{
	return l->buf[MASK(pos)];
}

/*
 * Look for needle in the kept bytes from position from on; if found,
 * *after is the position just past it.
 */
bool conslog_find(const struct consback_log *l, uint64_t from,
		  const char *needle, uint64_t *after)
{
	size_t n = strlen(needle);
	uint64_t pos = MAX(from, conslog_start(l));

	if (!n || n > CONSBACK_LOG_SIZE)
		return false;
	for (; pos + n <= l->end; pos++) {
		size_t i = 0;

		while (i < n && byte_at(l, pos + i) == needle[i])
			i++;
		if (i == n) {
			*after = pos + n;
			return true;
		}
	}
	return false;
}
