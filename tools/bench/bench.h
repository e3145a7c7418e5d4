/*
 * What Paravane's benchmark kernels share (tools/bench/report.c). Each
 * figure is an operation timed REPS times in TSC cycles (or ns where
 * run.py says so); bench_report() prints every repetition and their
 * median as the lines tools/bench/run.py reads:
 *
 *   bench <name> <rep> <value>
 *   bench <name> median <value>
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdint.h>

#define REPS 7

// tools/bench/report.c
void bench_report(const char *name, uint64_t *per_op);

#endif /* BENCH_BENCH_H */
