/*
 * Names of Xen's error numbers, for messages and test reports. Built from
 * <xen/errno.h>; where two names share a value (EAGAIN, EWOULDBLOCK) the
 * first one listed wins.
 */
#include <guest/errno.h>
#include <paravane/compiler.h>
#include <paravane/string.h>

static const struct {
	int value;
	const char *name;
} names[] = {
#define XEN_ERRNO(name, value) {value, #name},
#include <xen/errno.h>
};

/* The name of a (negative or positive) Xen errno, or "?" if unknown. */
const char *errno_name(int err)
{
	unsigned int i;

	if (err < 0)
		err = -err;
	if (err == 0)
		return "OK";
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].value == err)
			return names[i].name;
	return "?";
}

/* The (positive) Xen errno called name, or 0 if there is none. */
int errno_by_name(const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(names[i].name, name))
			return names[i].value;
	return 0;
}
