/*
 * How dom0's toolstack waits: for console input (VIRQ_CONSOLE), for a
 * domain's shutdown or death (VIRQ_DOM_EXC), for a peer's notification,
 * or for a deadline. Until pvguest has an events API this is done with
 * the event channels bound here and SCHEDOP_poll, which works with
 * events masked (tools/ctrl/wait.c is the one file to change when the
 * events API arrives).
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
