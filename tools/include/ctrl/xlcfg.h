/*
 * Domain configuration files in xl's syntax (the subset of xl.cfg(5)
 * that Paravane's dom0 understands), parsed by tools/ctrl/xlcfg.c:
 *
 *   # a comment
 *   name = "demo-a"              kernel = "/boot/pingpong.elf"
 *   memory = 16                  vcpus = 1        maxvcpus = 2
 *   cmdline = "rounds=100"       extra += " more"
 *   cpus = "0-1,^1"              cpus = ["0", "1"]  (per vCPU)
 *   cpu_weight = 512             cap = 50
 *   on_poweroff = "destroy"      on_reboot = "restart"
 *   on_crash = "preserve"
 *
 * Settings are key = value or key += value (strings only), ended by a
 * newline or ';'; a value is a "string" or 'string' (escapes \n \t \\
 * \" \'), a number, or a [list, of, them] that may span lines. A later
 * setting of a key replaces an earlier one. Anything else - a syntax
 * error, an unknown key, a value of the wrong kind or out of range - is
 * refused with the line it is on.
 *
 * Paravane's one addition: evtchn_to = "NAME" asks dom0 to open an event
 * channel between domain NAME and this one when both are created
 * together (see tools/xl/create.c).
 */
#ifndef CTRL_XLCFG_H
#define CTRL_XLCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XLCFG_NAME_MAX 64
#define XLCFG_PATH_MAX 256
#define XLCFG_CMDLINE_MAX 1024
#define XLCFG_MAX_VCPUS 32
#define XLCFG_MAX_CPUS 64
#define XLCFG_ERROR_MAX 128
#define XLCFG_DEFAULT_MEMORY_MIB 32
#define XLCFG_ALL_CPUS (~0ULL)

/* What to do when the domain shuts down for a reason (xl.cfg(5)). */
enum xl_action {
	XL_ACTION_DESTROY,
	XL_ACTION_RESTART,
	XL_ACTION_PRESERVE,
};

struct xl_config {
	char name[XLCFG_NAME_MAX];
	char kernel[XLCFG_PATH_MAX];
	char ramdisk[XLCFG_PATH_MAX]; /* "" for none */
	char cmdline[XLCFG_CMDLINE_MAX];
	unsigned long memory_mib, maxmem_mib;
	unsigned int vcpus, maxvcpus;
	uint64_t cpus[XLCFG_MAX_VCPUS]; /* hard affinity per vCPU */
	bool has_weight, has_cap;
	unsigned int weight, cap;
	enum xl_action on_poweroff, on_reboot, on_crash;
	char evtchn_to[XLCFG_NAME_MAX]; /* "" for none */
};

struct xlcfg_error {
	unsigned int line; /* 0: not tied to a line */
	char msg[XLCFG_ERROR_MAX];
};

// tools/ctrl/xlcfg.c
int xlcfg_parse(const char *text, size_t len, struct xl_config *cfg,
		struct xlcfg_error *err);
int xlcfg_parse_cpus(const char *s, uint64_t *mask);
bool xlcfg_name_ok(const char *name);
const char *xl_action_name(enum xl_action a);

#endif /* CTRL_XLCFG_H */
