/*
 * pvguest's threads as watch.c sees them, on the host: one vCPU whose
 * struct cpu the GS base points at (this_cpu() is a %gs load), running
 * the test's thread, and a thread_create() that records thread
 * "xenwatch" without running it. A test runs xenwatch's loop one step
 * at a time with xb_run_xenwatch(). printk() is counted.
 */
#ifndef UNIT_XB_THREAD_H
#define UNIT_XB_THREAD_H

#include <guest/sched.h>
#include <stdbool.h>

/* The test's own thread, and the one thread_create() made (or NULL). */
extern struct thread xb_test_thread;
extern struct thread *xb_created;
extern unsigned int xb_threads_created;
extern bool xb_thread_create_fails; /* thread_create() returns NULL */

/* printk() calls, and the last message. */
extern unsigned int xb_printks;
extern char xb_last_printk[128];

/* Point the GS base at the fake vCPU (a group setup). */
int xb_thread_setup(void **state);

/* As xenwatch: run one xenbus_watch_dispatch(); its result. */
bool xb_run_xenwatch(void);

/* Make t the running thread (the test's by default). */
void xb_set_current(struct thread *t);

#endif /* UNIT_XB_THREAD_H */
