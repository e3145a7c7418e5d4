/*
 * The console backend's parts that touch untrusted data, free of any
 * pvguest service so that host unit tests and fuzzers build them as
 * they are (tests/unit/test_consback.c, tests/fuzz/fuzz_consring.c):
 *
 *   ring.c  moving bytes through a frontend's struct xencons_interface,
 *           a page the frontend may change at any moment
 *   log.c   a domain's console log: the last CONSBACK_LOG_SIZE bytes
 *
 * Private to drivers-back/console; the toolstack's interface is
 * <back/console.h>.
 */
#ifndef CONSBACK_CONSBACK_H
#define CONSBACK_CONSBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/console.h>

#define CONSBACK_LOG_SIZE 16384 /* a power of two */

/*
 * A domain's console output, oldest dropped: bytes are numbered from 0
 * (the first the domain wrote) and the log holds [start, end).
 */
struct consback_log {
	uint64_t end;
	char buf[CONSBACK_LOG_SIZE];
};

// drivers-back/console/ring.c
long consring_take_output(struct xencons_interface *intf,
			  XENCONS_RING_IDX *cons, char *buf, size_t len);
long consring_put_input(struct xencons_interface *intf, XENCONS_RING_IDX *prod,
			const char *s, size_t len);
bool consring_input_sane(const struct xencons_interface *intf,
			 XENCONS_RING_IDX prod);

// drivers-back/console/log.c
void conslog_append(struct consback_log *l, const char *s, size_t len);
uint64_t conslog_start(const struct consback_log *l);
size_t conslog_read(const struct consback_log *l, uint64_t from, char *buf,
		    size_t len, uint64_t *first);
bool conslog_find(const struct consback_log *l, uint64_t from,
		  const char *needle, uint64_t *after);

#endif /* CONSBACK_CONSBACK_H */
