/*
 * The benchmark kernels' report: every repetition of a figure, then the
 * median, in the format tools/bench/run.py reads (see bench.h).
 */
#include <guest/console.h>

#include "bench.h"

static void sort(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* Print the REPS values of per_op and their median (per_op is sorted). */
void bench_report(const char *name, uint64_t *per_op)
{
	for (int r = 0; r < REPS; r++)
		printk("bench %s %d %lu\n", name, r, per_op[r]);
	sort(per_op, REPS);
	printk("bench %s median %lu\n", name, per_op[REPS / 2]);
}
