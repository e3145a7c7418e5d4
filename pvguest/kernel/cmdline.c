/*
 * The guest command line from start_info.cmd_line: space-separated
 * words, each "key" or "key=value". A private copy is kept, since
 * start_info lives in the bootstrap region. Lookups scan the copy; the
 * last word with a key wins, so options appended later override.
 */
#include <guest/cmdline.h>
#include <paravane/string.h>

#define CMDLINE_MAX 1024

static char cmdline[CMDLINE_MAX];

/* Keep a copy of the command line (at most max bytes of line). */
void cmdline_init(const char *line, size_t max)
{
	size_t n = strnlen(line, max);

	if (n >= sizeof(cmdline))
		n = sizeof(cmdline) - 1;
	memcpy(cmdline, line, n);
	cmdline[n] = '\0';
}

/* The whole command line as given. */
const char *cmdline_text(void)
{
	return cmdline;
}

/*
 * Find the last word whose key is key; set *value to what follows '='
 * (NULL for a bare key) and *value_len to its length.
 */
static bool find(const char *key, const char **value, size_t *value_len)
{
	size_t klen = strlen(key);
	const char *p = cmdline;
	bool found = false;

	while (*p) {
		const char *word, *end;

		while (*p == ' ')
			p++;
		word = p;
		while (*p && *p != ' ')
			p++;
		end = p;
		if ((size_t)(end - word) < klen || memcmp(word, key, klen))
			continue;
		if (word + klen == end) {
			*value = NULL;
			*value_len = 0;
			found = true;
		} else if (word[klen] == '=') {
			*value = word + klen + 1;
			*value_len = (size_t)(end - *value);
			found = true;
		}
	}
	return found;
}

/* Copy key's value into buf (empty for a bare key); false if absent. */
bool cmdline_get(const char *key, char *buf, size_t size)
{
	const char *v;
	size_t len;

	if (!find(key, &v, &len))
		return false;
	if (size) {
		if (len >= size)
			len = size - 1;
		if (len)
			memcpy(buf, v, len);
		buf[len] = '\0';
	}
	return true;
}

/* Whether key appears, with or without a value. */
bool cmdline_has(const char *key)
{
	const char *v;
	size_t len;

	return find(key, &v, &len);
}

/* Whether key appears with exactly this value. */
bool cmdline_is(const char *key, const char *value)
{
	const char *v;
	size_t len;

	return find(key, &v, &len) && v && len == strlen(value) &&
	       !memcmp(v, value, len);
}

/* The number key gives (decimal or 0x hex), or def if it gives none. */
unsigned long cmdline_uint(const char *key, unsigned long def)
{
	char buf[24];
	const char *end;
	unsigned long v;

	if (!cmdline_get(key, buf, sizeof(buf)) || !buf[0])
		return def;
	v = parse_uint(buf, &end);
	return *end ? def : v;
}
