/*
 * dombench's parts (tools/bench/dombench*.c): benchmarks between dom0
 * and domUs that dom0 builds from its ramdisk with the toolstack's
 * builder. Everything is timed in dom0, with rdtsc, on dom0's vCPU 0,
 * which dombench pins to MEASURE_CPU (its vCPU 1 to OTHER_CPU); each
 * figure is reported with bench_report() (bench.h).
 *
 * A domU is described by a struct domu: its kernel (a ramdisk path),
 * command line and CPU; domu_start() builds and starts it, domu_destroy()
 * destroys it and waits until it is gone. A watchdog is a one-shot
 * timer that ends a wait that would otherwise never end.
 */
#ifndef BENCH_DOMBENCH_H
#define BENCH_DOMBENCH_H

#include <ctrl/build.h>
#include <guest/time.h>
#include <stdbool.h>
#include <stddef.h>

#include "bench.h"

#define MEASURE_CPU 0
#define OTHER_CPU 1
#define DOMU_MIB 16
#define DOMU_WAIT_S 20

struct domu {
	const char *kernel;	/* path in the ramdisk */
	const char *cmdline;	/* may be NULL */
	unsigned int cpu;	/* the physical CPU its vCPU is pinned to */
	bool open_port;		/* open a port in it for dom0 (evtchn_port=P) */
	struct build_info info; /* what the builder made */
	evtchn_port_t remote_port; /* with open_port: P, unbound, for dom0 */
};

struct watchdog {
	struct timer timer;
	volatile bool fired;
};

// tools/bench/dombench.c
int dombench_file(const char *path, const void **data, size_t *len);
int domu_start(struct domu *u);
int domu_destroy(domid_t domid);
int domu_wait_shutdown(domid_t domid, uint64_t deadline);
void domu_exc_drain(void);
void watchdog_start(struct watchdog *w, unsigned int seconds);
void watchdog_stop(struct watchdog *w);

// tools/bench/dombench_evtchn.c
int bench_evtchn_domains(void);

// tools/bench/dombench_switch.c
int bench_domain_switch(void);

// tools/bench/dombench_create.c
int bench_domain_create(void);

// tools/bench/dombench_xenstore.c
int bench_xenstore(void);

#endif /* BENCH_DOMBENCH_H */
