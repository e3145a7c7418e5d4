/*
 * The fake watch.c of xb_fixture.h, for the tests of xenbus.c and
 * state.c: xenbus_watch() and xenbus_unwatch() only record the watch,
 * and xb_fire_watch() runs its function as xenwatch would. The test of
 * watch.c itself links the real one instead.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "xb_fixture.h"
#include <guest/heap.h>

#include "../../pvguest/xenbus/xenbus.h"

/* Watches (watch.c): registered and taken back, nothing more. */
int xenbus_watch(struct xenbus_watch *w, const char *path, xenbus_watch_fn fn,
		 void *arg)
{
	size_t len = strlen(path) + 1;

	if (w->registered)
		return -EBUSY;
	if (xb_watch_rc)
		return xb_watch_rc;
	*w = (struct xenbus_watch){.fn = fn, .arg = arg};
	w->path = kmalloc(len);
	assert_non_null(w->path);
	memcpy(w->path, path, len);
	snprintf(w->token, sizeof(w->token), "xb%u", ++xb_watches);
	w->registered = true;
	xb_watch = w;
	return 0;
}

int xenbus_unwatch(struct xenbus_watch *w)
{
	if (!w->registered)
		return -ENOENT;
	kfree(w->path);
	w->path = NULL;
	w->registered = false;
	xb_unwatches++;
	return 0;
}

bool xenbus_in_watch(void)
{
	return xb_in_watch;
}

/* Run the registered watch's function, as xenwatch would. */
void xb_fire_watch(void)
{
	assert_non_null(xb_watch);
	assert_true(xb_watch->registered);
	xb_watch->fn(xb_watch, xb_watch->path);
}
