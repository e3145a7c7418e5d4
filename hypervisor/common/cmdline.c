/*
 * The hypervisor command-line parser. It is a pure function of the string
 * and a table of options (see hv/param.h), so the host unit tests drive it
 * with tables of their own; at boot the table is the .init.setup section.
 * Unknown options and bad values are reported and counted, never fatal: a
 * typo on the GRUB line must not stop the machine from booting.
 */
#include <hv/param.h>

#define MAX_OPTION_LEN 256

/* 1 or 0 for a boolean word, -EINVAL for anything else. */
int parse_bool(const char *s)
{
	static const char *const yes[] = {"1", "yes", "true", "on", "enable"};
	static const char *const no[] = {"0", "no", "false", "off", "disable"};

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i]))
			return 1;
		if (!strcmp(s, no[i]))
			return 0;
	}
	return -EINVAL;
}

static int store_uint(const struct kernel_param *p, uint64_t v)
{
	switch (p->size) {
	case sizeof(uint8_t):
		if (v > UINT8_MAX)
			return -ERANGE;
		*(uint8_t *)p->var = (uint8_t)v;
		return 0;
	case sizeof(uint16_t):
		if (v > UINT16_MAX)
			return -ERANGE;
		*(uint16_t *)p->var = (uint16_t)v;
		return 0;
	case sizeof(uint32_t):
		if (v > UINT32_MAX)
			return -ERANGE;
		*(uint32_t *)p->var = (uint32_t)v;
		return 0;
	case sizeof(uint64_t): *(uint64_t *)p->var = v; return 0;
	default: return -EINVAL;
	}
}

/* Apply one option; value is NULL when the option had no '='. */
static int apply_param(const struct kernel_param *p, const char *value,
		       bool negated)
{
	const char *end;
	uint64_t v;
	int b;

	if (negated && p->type != PARAM_BOOL)
		return -EINVAL;

	switch (p->type) {
	case PARAM_BOOL:
		if (!value) {
			b = !negated;
		} else {
			b = parse_bool(value);
			if (b < 0 || negated)
				return -EINVAL;
		}
		*(bool *)p->var = b;
		return 0;
	case PARAM_UINT:
	case PARAM_SIZE:
		if (!value)
			return -EINVAL;
		v = p->type == PARAM_UINT ? parse_uint(value, &end)
					  : parse_size(value, &end);
		if (end == value || *end || v == UINT64_MAX)
			return -EINVAL;
		return store_uint(p, v);
	case PARAM_STRING:
		if (!value)
			return -EINVAL;
		if (strlcpy(p->var, value, p->size) >= p->size)
			return -E2BIG;
		return 0;
	case PARAM_CUSTOM: return p->parse(value ? value : "");
	}
	return -EINVAL;
}

static const struct kernel_param *
find_param(const char *name, const struct kernel_param *params, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(params[i].name, name))
			return &params[i];
	return NULL;
}

/* Handle one "name[=value]" word; returns 0 or -errno. */
static int parse_option(char *opt, const struct kernel_param *params, size_t nr)
{
	const struct kernel_param *p;
	char *value = strchr(opt, '=');
	const char *name = opt;
	int rc;

	if (value)
		*value++ = '\0';

	p = find_param(name, params, nr);
	if (p) {
		rc = apply_param(p, value, false);
	} else if (!strncmp(name, "no-", 3) || !strncmp(name, "no", 2)) {
		name += name[2] == '-' ? 3 : 2;
		p = find_param(name, params, nr);
		if (!p || p->type != PARAM_BOOL)
			p = NULL;
		rc = p ? apply_param(p, value, true) : -ENOENT;
	} else {
		rc = -ENOENT;
	}

	if (rc == -ENOENT)
		pr_warn("cmdline: unknown option '%s%s%s'\n", opt,
			value ? "=" : "", value ? value : "");
	else if (rc)
		pr_warn("cmdline: bad value for '%s'%s%s\n", name,
			value ? ": " : "", value ? value : "");
	return rc;
}

/*
 * Parse a whole command line against a table of options. Returns the
 * number of options that were unknown or had a bad value (0 when all
 * were applied).
 */
int cmdline_parse(const char *cmdline, const struct kernel_param *params,
		  size_t nr_params)
{
	char opt[MAX_OPTION_LEN];
	int errors = 0;

	if (!cmdline)
		return 0;

	while (*cmdline) {
		size_t len = 0;

		while (*cmdline == ' ' || *cmdline == '\t')
			cmdline++;
		while (cmdline[len] && cmdline[len] != ' ' &&
		       cmdline[len] != '\t')
			len++;
		if (!len)
			break;
		if (len >= sizeof(opt)) {
			pr_warn("cmdline: option too long, ignored\n");
			errors++;
		} else {
			memcpy(opt, cmdline, len);
			opt[len] = '\0';
			if (parse_option(opt, params, nr_params))
				errors++;
		}
		cmdline += len;
	}
	return errors;
}
