/*
 * Helpers of the toolstack test kernels: dom0 kernels (conformance
 * harness, TEST cases) that build domUs with dom0's builder from their
 * ramdisk (tests/toolstack/toolstack.mk) and watch them. The same cases
 * run on Paravane and on Xen 4.17 (tests/toolstack/run.py).
 */
#ifndef TOOLSTACK_TSLIB_H
#define TOOLSTACK_TSLIB_H

#include <ctrl/build.h>
#include <ctrl/ctrl.h>
#include <stdbool.h>
#include <stddef.h>

#define TS_PROBE "/boot/probe.elf"
#define TS_GRANT_REF 8 /* the grant of the probe's mode=grant */
#define TS_WAIT_S 20

// tests/toolstack/lib/tslib.c
int ts_file(const char *path, const void **data, size_t *len);
int ts_build(const char *kernel, const char *cmdline, unsigned long mib,
	     unsigned int vcpus, bool start, domid_t *domid);
int ts_wait_shutdown(domid_t domid, unsigned int seconds, ctrl_dominfo_t *info);
int ts_wait_gone(domid_t domid, unsigned int seconds);
void ts_exc_drain(void);
bool ts_exc_seen(unsigned int seconds);
unsigned long ts_free_pages(void);
unsigned int ts_nr_domains(void);
unsigned int ts_nr_cpus(void);
bool ts_on_paravane(void);
evtchn_port_t ts_next_free_port(void);

#endif /* TOOLSTACK_TSLIB_H */
