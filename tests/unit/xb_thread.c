/*
 * The threads, vCPU and console that watch.c needs, on the host (see
 * xb_thread.h). The event mask in the fake vcpu_info must come back
 * clear after each lock, and no event is ever pending, so the hypercall
 * that local_irq_restore() could make is never made.
 */
#include <asm/prctl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "xb_thread.h"
#include <guest/console.h>
#include <guest/percpu.h>

#include "../../pvguest/xenbus/xenbus.h"

struct thread xb_test_thread = {.name = "test"};
struct thread *xb_created;
unsigned int xb_threads_created;
bool xb_thread_create_fails;
unsigned int xb_printks;
char xb_last_printk[128];

static struct thread xenwatch_thread;
static vcpu_info_t vcpu_info;
static struct cpu cpu = {.vcpu_info = &vcpu_info};

/* Never called: no event is pending when the mask is cleared. */
char hypercall_page[4096];

int xb_thread_setup(void **state)
{
	cpu.self = &cpu;
	cpu.current = &xb_test_thread;
	cpu.online = true;
	if (syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)&cpu))
		return -1;
	return this_cpu() == &cpu ? 0 : -1;
}

void xb_set_current(struct thread *t)
{
	cpu.current = t;
}

bool xb_run_xenwatch(void)
{
	struct thread *was = cpu.current;
	bool ran;

	if (xb_created)
		cpu.current = xb_created;
	ran = xenbus_watch_dispatch();
	cpu.current = was;
	assert_int_equal(vcpu_info.evtchn_upcall_mask, 0);
	return ran;
}

struct thread *thread_create(const char *name, int (*fn)(void *), void *arg)
{
	xb_threads_created++;
	if (xb_thread_create_fails)
		return NULL;
	snprintf(xenwatch_thread.name, sizeof(xenwatch_thread.name), "%s",
		 name);
	xenwatch_thread.fn = fn;
	xenwatch_thread.arg = arg;
	xb_created = &xenwatch_thread;
	return xb_created;
}

/* Only a second thread starting xenwatch at once would yield. */
void thread_yield(void)
{
	fail_msg("thread_yield() with one thread");
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	xb_printks++;
	va_start(ap, fmt);
	n = vsnprintf(xb_last_printk, sizeof(xb_last_printk), fmt, ap);
	va_end(ap);
	return n;
}
