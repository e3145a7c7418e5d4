/*
 * How dom0's toolstack waits: for console input (VIRQ_CONSOLE), for a
 * domain's shutdown or death (VIRQ_DOM_EXC), or for a deadline. The
 * ports are bound through pvguest's events API with a handler that
 * records the notification and wakes the waiting thread
 * (tools/ctrl/wait.c); time is pvguest's system time.
 */
#ifndef CTRL_WAIT_H
#define CTRL_WAIT_H

#include <guest/xen.h>
#include <stdint.h>
#include <xen/event_channel.h>

#define WAIT_MAX_PORTS 16

// tools/ctrl/wait.c
int wait_bind_virq(uint32_t virq, evtchn_port_t *port);
int wait_close(evtchn_port_t port);
uint64_t wait_now(void);
int wait_any(const evtchn_port_t *ports, unsigned int n, uint64_t deadline,
	     uint32_t *fired);
void wait_ms(unsigned int ms);

#endif /* CTRL_WAIT_H */
