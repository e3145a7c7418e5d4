/* xenbus's own declarations, between its files. */
#ifndef XENBUS_XENBUS_H
#define XENBUS_XENBUS_H

#include <guest/xenbus.h>

// xenbus/ring.c
extern const struct xenbus_transport xenbus_ring_transport;
int xenbus_ring_connect(void);

// xenbus/watch.c
bool xenbus_in_watch(void);

// xenbus/xenbus.c
int xenbus_send_watch(const char *path, const char *token, bool add);

#endif /* XENBUS_XENBUS_H */
