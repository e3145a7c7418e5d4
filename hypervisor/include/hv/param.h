/*
 * Hypervisor command-line options. Each option is declared next to the
 * code that uses it with one of the *_param() macros below, which place a
 * struct kernel_param in the .init.setup section; cmdline_parse() walks
 * that table. Syntax, as in Xen:
 *
 *   name=value     set an option
 *   name           a boolean option, set to true
 *   no-name        a boolean option, set to false (also "noname")
 *
 * Booleans accept 1/0, yes/no, true/false, on/off, enable/disable.
 * Sizes accept a K/M/G/T suffix. Options are separated by spaces.
 */
#ifndef HV_PARAM_H
#define HV_PARAM_H

#include <hv/lib.h>

enum param_type {
	PARAM_BOOL,
	PARAM_UINT,
	PARAM_SIZE,
	PARAM_STRING,
	PARAM_CUSTOM,
};

struct kernel_param {
	const char *name;
	enum param_type type;
	void *var;   /* bool, unsigned int/long, uint64_t or char[] */
	size_t size; /* sizeof(*var) */
	int (*parse)(const char *value); /* PARAM_CUSTOM: 0 or -errno */
};

#define PARAM_ID_(l) __param_##l
#define PARAM_ID(l) PARAM_ID_(l)
#define DEFINE_PARAM_(n, t, v, s, f)                                           \
	static const struct kernel_param PARAM_ID(__LINE__)                    \
		__used __section(".init.setup") __aligned(8) = {n, t, v, s, f}

#define boolean_param(n, v) DEFINE_PARAM_(n, PARAM_BOOL, &(v), sizeof(v), NULL)
#define integer_param(n, v) DEFINE_PARAM_(n, PARAM_UINT, &(v), sizeof(v), NULL)
#define size_param(n, v) DEFINE_PARAM_(n, PARAM_SIZE, &(v), sizeof(v), NULL)
#define string_param(n, v) DEFINE_PARAM_(n, PARAM_STRING, (v), sizeof(v), NULL)
#define custom_param(n, f) DEFINE_PARAM_(n, PARAM_CUSTOM, NULL, 0, (f))

// common/cmdline.c
int cmdline_parse(const char *cmdline, const struct kernel_param *params,
		  size_t nr_params);
int parse_bool(const char *s);

#endif /* HV_PARAM_H */
