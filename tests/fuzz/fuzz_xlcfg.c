/*
 * libFuzzer target for dom0's xl configuration parser (tools/ctrl/
 * xlcfg.c): every input is a configuration file, handed over without a
 * NUL in an allocation of exactly its size. A configuration the parser
 * accepts must keep its promises to xl create: a valid name, a kernel,
 * vCPU and memory figures in range and consistent, CPU masks that name
 * a CPU, strings terminated inside their fields.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <ctrl/xlcfg.h>

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static void check_string(const char *s, size_t size)
{
	check(memchr(s, '\0', size) != NULL);
}

/* Fuzz one configuration. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xl_config c;
	struct xlcfg_error err;

	if (xlcfg_parse((const char *)data, size, &c, &err)) {
		check_string(err.msg, sizeof(err.msg));
		check(err.msg[0] != '\0');
		return 0;
	}
	check_string(c.name, sizeof(c.name));
	check_string(c.kernel, sizeof(c.kernel));
	check_string(c.ramdisk, sizeof(c.ramdisk));
	check_string(c.cmdline, sizeof(c.cmdline));
	check_string(c.evtchn_to, sizeof(c.evtchn_to));
	check(xlcfg_name_ok(c.name));
	check(c.kernel[0] != '\0');
	check(c.vcpus >= 1 && c.vcpus <= c.maxvcpus &&
	      c.maxvcpus <= XLCFG_MAX_VCPUS);
	check(c.memory_mib >= 1 && c.memory_mib <= c.maxmem_mib);
	for (unsigned int i = 0; i < XLCFG_MAX_VCPUS; i++)
		check(c.cpus[i] != 0);
	check(!c.has_weight || (c.weight >= 1 && c.weight <= 65535));
	check(c.on_poweroff <= XL_ACTION_PRESERVE &&
	      c.on_reboot <= XL_ACTION_PRESERVE &&
	      c.on_crash <= XL_ACTION_PRESERVE);
	return 0;
}
