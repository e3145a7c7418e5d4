/*
 * hvbench's parts: each benchmark times an operation (in TSC cycles, or
 * ns where it says so) over REPS repetitions and reports them with
 * bench_report() (bench.h).
 */
#ifndef BENCH_HVBENCH_H
#define BENCH_HVBENCH_H

#include "bench.h"

// tools/bench/bench_events.c
int bench_evtchn_loopback(void);
int bench_evtchn_vcpus(void);
int bench_timer_lateness(void);

// tools/bench/bench_grant.c
int bench_grants(void);

#endif /* BENCH_HVBENCH_H */
