/*
 * The xl configuration parser (syntax in <ctrl/xlcfg.h>). One pass: the
 * lexer reads a setting (key, operator, value with its atoms), then the
 * key's handler checks the value and stores it in struct xl_config. The
 * text need not be NUL-terminated and is never read past len. Pure
 * code, built into dom0 and into the host unit tests; not reentrant (its
 * working buffers are static, to keep them off dom0's small stack).
 */
#include <ctrl/xlcfg.h>
#include <paravane/compiler.h>
#include <paravane/errno.h>
#include <paravane/printf.h>
#include <paravane/string.h>

#define VALUE_MAX 2048
#define KEY_MAX 32
#define MAX_MEMORY_MIB (1UL << 20) /* 1 TiB */

/* A parsed value: one atom, or a list of atoms, NUL-separated in buf. */
struct value {
	bool is_list;
	unsigned int n;
	size_t len;
	char buf[VALUE_MAX];
};

struct parser {
	const char *p, *end;
	unsigned int line;
	struct xl_config *cfg;
	struct xlcfg_error *err;
	bool have_cmdline, have_root;
	char root[XLCFG_CMDLINE_MAX], extra[XLCFG_CMDLINE_MAX];
};

static int error(struct parser *ps, const char *fmt, ...) __printf(2, 3);

static int error(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	ps->err->line = ps->line;
	va_start(ap, fmt);
	vsnprintf(ps->err->msg, sizeof(ps->err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---- Lexer ------------------------------------------------------------- */

static bool at_end(const struct parser *ps)
{
	return ps->p >= ps->end;
}

static char peek(const struct parser *ps)
{
	return at_end(ps) ? '\0' : *ps->p;
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Skip blanks and comments; newlines too if across_lines. */
static void skip_blank(struct parser *ps, bool across_lines)
{
	while (!at_end(ps)) {
		char c = *ps->p;

		if (c == ' ' || c == '\t' || c == '\r') {
			ps->p++;
		} else if (c == '#') {
			while (!at_end(ps) && *ps->p != '\n')
				ps->p++;
		} else if (c == '\n' && across_lines) {
			ps->line++;
			ps->p++;
		} else {
			return;
		}
	}
}

static int put_char(struct parser *ps, struct value *v, char c)
{
	if (v->len + 1 >= sizeof(v->buf))
		return error(ps, "value too long");
	v->buf[v->len++] = c;
	return 0;
}

static int string_atom(struct parser *ps, struct value *v)
{
	char quote = *ps->p++;

	for (;;) {
		char c;

		if (at_end(ps) || *ps->p == '\n')
			return error(ps, "unterminated string");
		c = *ps->p++;
		if (c == quote)
			break;
		if (c == '\\') {
			if (at_end(ps) || *ps->p == '\n')
				return error(ps, "unterminated string");
			c = *ps->p++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '\\':
			case '"':
			case '\'': break;
			default: return error(ps, "unknown escape '\\%c'", c);
			}
		}
		if (c == '\0')
			return error(ps, "NUL in a string");
		if (put_char(ps, v, c))
			return -EINVAL;
	}
	return put_char(ps, v, '\0');
}

static int number_atom(struct parser *ps, struct value *v)
{
	while (!at_end(ps) && is_ident(*ps->p))
		if (put_char(ps, v, *ps->p++))
			return -EINVAL;
	return put_char(ps, v, '\0');
}

static int atom(struct parser *ps, struct value *v)
{
	char c = peek(ps);

	v->n++;
	if (c == '"' || c == '\'')
		return string_atom(ps, v);
	if (c >= '0' && c <= '9')
		return number_atom(ps, v);
	if (at_end(ps) || c == '\n' || c == ';')
		return error(ps, "missing value");
	if (is_ident_start(c))
		return error(ps, "strings must be quoted");
	return error(ps, "unexpected '%c'", c);
}

static int list(struct parser *ps, struct value *v)
{
	ps->p++; /* '[' */
	v->is_list = true;
	for (;;) {
		skip_blank(ps, true);
		if (at_end(ps))
			return error(ps, "unterminated list");
		if (peek(ps) == ']')
			break;
		if (peek(ps) == '[')
			return error(ps, "lists do not nest");
		if (atom(ps, v))
			return -EINVAL;
		skip_blank(ps, true);
		if (peek(ps) == ',') {
			ps->p++;
			continue;
		}
		if (peek(ps) != ']')
			return at_end(ps) ? error(ps, "unterminated list")
					  : error(ps, "expected ',' or ']'");
	}
	ps->p++; /* ']' */
	return 0;
}

/* ---- Values ------------------------------------------------------------ */

static const char *atom_at(const struct value *v, unsigned int i)
{
	const char *s = v->buf;

	while (i--)
		s += strlen(s) + 1;
	return s;
}

static int want_atom(struct parser *ps, const char *key, const struct value *v)
{
	return v->is_list
		       ? error(ps, "'%s' takes a single value, not a list", key)
		       : 0;
}

static int get_number(struct parser *ps, const char *key, const struct value *v,
		      unsigned long min, unsigned long max, unsigned long *out)
{
	const char *end;
	uint64_t n;

	if (want_atom(ps, key, v))
		return -EINVAL;
	n = parse_uint(v->buf, &end);
	if (end == v->buf || *end)
		return error(ps, "'%s' must be a number, not '%s'", key,
			     v->buf);
	if (n < min || n > max)
		return error(ps, "'%s' = %lu is out of range (%lu-%lu)", key,
			     (unsigned long)n, min, max);
	*out = (unsigned long)n;
	return 0;
}

static int get_string(struct parser *ps, const char *key, const struct value *v,
		      char *out, size_t size, bool append)
{
	size_t have = append ? strlen(out) : 0;

	if (want_atom(ps, key, v))
		return -EINVAL;
	if (have + strlen(v->buf) >= size)
		return error(ps, "'%s' is too long (at most %zu bytes)", key,
			     size - 1);
	strlcpy(out + have, v->buf, size - have);
	return 0;
}

/* Parse an xl cpu list: "all", "N", "N-M", "^N", "^N-M", comma-separated. */
int xlcfg_parse_cpus(const char *s, uint64_t *mask)
{
	uint64_t m = 0;

	if (!strcmp(s, "all")) {
		*mask = XLCFG_ALL_CPUS;
		return 0;
	}
	while (*s) {
		bool neg = *s == '^';
		const char *end;
		uint64_t a, b, bits;

		if (neg)
			s++;
		if (!strncmp(s, "all", 3)) {
			a = 0;
			b = XLCFG_MAX_CPUS - 1;
			end = s + 3;
		} else {
			a = parse_uint(s, &end);
			if (end == s || a >= XLCFG_MAX_CPUS)
				return -EINVAL;
			b = a;
			if (*end == '-') {
				s = end + 1;
				b = parse_uint(s, &end);
				if (end == s || b >= XLCFG_MAX_CPUS || b < a)
					return -EINVAL;
			}
		}
		bits = (b - a == 63) ? ~0ULL : ((1ULL << (b - a + 1)) - 1) << a;
		if (neg)
			m &= ~bits;
		else
			m |= bits;
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return -EINVAL;
	}
	if (!m)
		return -EINVAL;
	*mask = m;
	return 0;
}

/* Whether a domain name is usable: [A-Za-z0-9_.-], not all digits. */
bool xlcfg_name_ok(const char *name)
{
	bool digits_only = true;
	size_t n = 0;

	for (const char *c = name; *c; c++, n++) {
		bool digit = *c >= '0' && *c <= '9';

		if (!digit && !is_ident(*c) && *c != '-' && *c != '.')
			return false;
		digits_only &= digit;
	}
	return n > 0 && n < XLCFG_NAME_MAX && !digits_only;
}

/* The name xl.cfg uses for an action. */
const char *xl_action_name(enum xl_action a)
{
	switch (a) {
	case XL_ACTION_DESTROY: return "destroy";
	case XL_ACTION_RESTART: return "restart";
	case XL_ACTION_PRESERVE: return "preserve";
	default: return "?";
	}
}

/* ---- Keys -------------------------------------------------------------- */

static int set_action(struct parser *ps, const char *key, const struct value *v,
		      enum xl_action *out)
{
	static const char *const others[] = {"rename-restart",
					     "coredump-destroy",
					     "coredump-restart", "soft-reset"};

	if (want_atom(ps, key, v))
		return -EINVAL;
	for (enum xl_action a = XL_ACTION_DESTROY; a <= XL_ACTION_PRESERVE; a++)
		if (!strcmp(v->buf, xl_action_name(a))) {
			*out = a;
			return 0;
		}
	for (size_t i = 0; i < ARRAY_SIZE(others); i++)
		if (!strcmp(v->buf, others[i]))
			return error(ps, "%s = \"%s\" is not supported", key,
				     v->buf);
	return error(ps,
		     "%s: unknown action '%s' (destroy, restart, "
		     "preserve)",
		     key, v->buf);
}

static int set_cpus(struct parser *ps, const struct value *v)
{
	struct xl_config *c = ps->cfg;
	uint64_t mask;

	if (v->n > XLCFG_MAX_VCPUS)
		return error(ps, "'cpus' lists more than %u vCPUs",
			     XLCFG_MAX_VCPUS);
	for (unsigned int i = 0; i < XLCFG_MAX_VCPUS; i++)
		c->cpus[i] = XLCFG_ALL_CPUS;
	for (unsigned int i = 0; i < v->n; i++) {
		const char *s = atom_at(v, i);

		if (xlcfg_parse_cpus(s, &mask))
			return error(ps, "'cpus': bad CPU list '%s'", s);
		if (!v->is_list) {
			for (unsigned int j = 0; j < XLCFG_MAX_VCPUS; j++)
				c->cpus[j] = mask;
			return 0;
		}
		c->cpus[i] = mask;
	}
	return 0;
}

static int set_name(struct parser *ps, const struct value *v)
{
	if (get_string(ps, "name", v, ps->cfg->name, sizeof(ps->cfg->name),
		       false))
		return -EINVAL;
	if (!xlcfg_name_ok(ps->cfg->name))
		return error(ps,
			     "bad name '%s' (letters, digits, '-', '_', "
			     "'.'; not a number)",
			     ps->cfg->name);
	return 0;
}

static int set_evtchn_to(struct parser *ps, const struct value *v)
{
	struct xl_config *c = ps->cfg;

	if (get_string(ps, "evtchn_to", v, c->evtchn_to, sizeof(c->evtchn_to),
		       false))
		return -EINVAL;
	if (!xlcfg_name_ok(c->evtchn_to))
		return error(ps, "evtchn_to: bad domain name '%s'",
			     c->evtchn_to);
	return 0;
}

static int set_type(struct parser *ps, const struct value *v)
{
	if (want_atom(ps, "type", v))
		return -EINVAL;
	return strcmp(v->buf, "pv") ? error(ps,
					    "type = \"%s\": only \"pv\" "
					    "guests are supported",
					    v->buf)
				    : 0;
}

static int apply(struct parser *ps, const char *key, bool append,
		 const struct value *v)
{
	struct xl_config *c = ps->cfg;
	unsigned long n;
	int rc;

	if (append && strcmp(key, "cmdline") && strcmp(key, "extra") &&
	    strcmp(key, "root"))
		return error(ps,
			     "'+=' is for the command-line strings, not "
			     "'%s'",
			     key);
	if (!strcmp(key, "name"))
		return set_name(ps, v);
	if (!strcmp(key, "type"))
		return set_type(ps, v);
	if (!strcmp(key, "kernel"))
		return get_string(ps, key, v, c->kernel, sizeof(c->kernel),
				  false);
	if (!strcmp(key, "ramdisk"))
		return get_string(ps, key, v, c->ramdisk, sizeof(c->ramdisk),
				  false);
	if (!strcmp(key, "cmdline")) {
		ps->have_cmdline = true;
		return get_string(ps, key, v, c->cmdline, sizeof(c->cmdline),
				  append);
	}
	if (!strcmp(key, "extra"))
		return get_string(ps, key, v, ps->extra, sizeof(ps->extra),
				  append);
	if (!strcmp(key, "root")) {
		ps->have_root = true;
		return get_string(ps, key, v, ps->root, sizeof(ps->root),
				  append);
	}
	if (!strcmp(key, "memory"))
		return get_number(ps, key, v, 1, MAX_MEMORY_MIB,
				  &c->memory_mib);
	if (!strcmp(key, "maxmem"))
		return get_number(ps, key, v, 1, MAX_MEMORY_MIB,
				  &c->maxmem_mib);
	if (!strcmp(key, "vcpus") || !strcmp(key, "maxvcpus")) {
		rc = get_number(ps, key, v, 1, XLCFG_MAX_VCPUS, &n);
		if (rc)
			return rc;
		if (!strcmp(key, "vcpus"))
			c->vcpus = (unsigned int)n;
		else
			c->maxvcpus = (unsigned int)n;
		return 0;
	}
	if (!strcmp(key, "cpus"))
		return set_cpus(ps, v);
	if (!strcmp(key, "cpu_weight") || !strcmp(key, "weight")) {
		rc = get_number(ps, key, v, 1, 65535, &n);
		c->weight = (unsigned int)n;
		c->has_weight = !rc;
		return rc;
	}
	if (!strcmp(key, "cap")) {
		rc = get_number(ps, key, v, 0, 100 * XLCFG_MAX_CPUS, &n);
		c->cap = (unsigned int)n;
		c->has_cap = !rc;
		return rc;
	}
	if (!strcmp(key, "on_poweroff"))
		return set_action(ps, key, v, &c->on_poweroff);
	if (!strcmp(key, "on_reboot"))
		return set_action(ps, key, v, &c->on_reboot);
	if (!strcmp(key, "on_crash"))
		return set_action(ps, key, v, &c->on_crash);
	if (!strcmp(key, "evtchn_to"))
		return set_evtchn_to(ps, v);
	return error(ps, "unknown setting '%s'", key);
}

/* ---- Statements -------------------------------------------------------- */

static int statement(struct parser *ps)
{
	static struct value v; /* large: kept off the stack */
	char key[KEY_MAX];
	size_t klen = 0;
	bool append = false;

	while (!at_end(ps) && is_ident(*ps->p)) {
		if (klen + 1 >= sizeof(key))
			return error(ps, "setting name too long");
		key[klen++] = *ps->p++;
	}
	key[klen] = '\0';
	skip_blank(ps, false);
	if (peek(ps) == '+') {
		append = true;
		ps->p++;
	}
	if (peek(ps) != '=')
		return error(ps, "expected '=' after '%s'", key);
	ps->p++;
	skip_blank(ps, false);
	memset(&v, 0, sizeof(v));
	if ((peek(ps) == '[' ? list(ps, &v) : atom(ps, &v)))
		return -EINVAL;
	skip_blank(ps, false);
	if (!at_end(ps) && *ps->p != '\n' && *ps->p != ';')
		return error(ps, "unexpected text after the value of '%s'",
			     key);
	return apply(ps, key, append, &v);
}

static void set_defaults(struct xl_config *c)
{
	memset(c, 0, sizeof(*c));
	c->memory_mib = XLCFG_DEFAULT_MEMORY_MIB;
	c->vcpus = 1;
	for (unsigned int i = 0; i < XLCFG_MAX_VCPUS; i++)
		c->cpus[i] = XLCFG_ALL_CPUS;
	c->on_poweroff = XL_ACTION_DESTROY;
	c->on_reboot = XL_ACTION_RESTART;
	c->on_crash = XL_ACTION_DESTROY;
}

static int finish(struct parser *ps)
{
	struct xl_config *c = ps->cfg;

	ps->line = 0;
	if (!c->name[0])
		return error(ps, "no 'name' given");
	if (!c->kernel[0])
		return error(ps, "no 'kernel' given");
	if (!c->maxvcpus)
		c->maxvcpus = c->vcpus;
	if (c->vcpus > c->maxvcpus)
		return error(ps, "vcpus = %u is more than maxvcpus = %u",
			     c->vcpus, c->maxvcpus);
	if (!c->maxmem_mib)
		c->maxmem_mib = c->memory_mib;
	if (c->maxmem_mib < c->memory_mib)
		return error(ps, "maxmem = %lu is less than memory = %lu",
			     c->maxmem_mib, c->memory_mib);
	if (!ps->have_cmdline) { /* xl: "root=<root> <extra>" */
		size_t n = 0;

		if (ps->have_root)
			n = (size_t)snprintf(c->cmdline, sizeof(c->cmdline),
					     "root=%s%s", ps->root,
					     ps->extra[0] ? " " : "");
		if (n >= sizeof(c->cmdline) ||
		    strlcpy(c->cmdline + n, ps->extra,
			    sizeof(c->cmdline) - n) >= sizeof(c->cmdline) - n)
			return error(ps, "the command line is too long");
	}
	return 0;
}

/*
 * Parse the configuration text[0..len) into *cfg (xl's defaults for what
 * it does not say). 0, or -EINVAL with *err saying where and why.
 */
int xlcfg_parse(const char *text, size_t len, struct xl_config *cfg,
		struct xlcfg_error *err)
{
	static struct parser parser; /* large: kept off the stack */
	struct parser *ps = &parser;
	int rc;

	memset(ps, 0, sizeof(*ps));
	ps->p = text;
	ps->end = text + len;
	ps->line = 1;
	ps->cfg = cfg;
	ps->err = err;
	err->line = 0;
	err->msg[0] = '\0';
	set_defaults(cfg);
	for (;;) {
		skip_blank(ps, true);
		if (at_end(ps))
			break;
		if (*ps->p == ';') {
			ps->p++;
			continue;
		}
		if (!is_ident_start(*ps->p))
			return error(ps, "expected a setting name, not '%c'",
				     *ps->p);
		rc = statement(ps);
		if (rc)
			return rc;
	}
	return finish(ps);
}
