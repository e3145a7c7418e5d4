/*
 * HYPERVISOR_console_io: a guest writes to, and dom0 reads from, the
 * hypervisor's console. dom0's output goes out as it is (it may be an
 * interactive prompt), each chunk between whole hypervisor messages;
 * other domains' output is buffered per line and prefixed "(dN) ". Long
 * writes continue later rather than hold the CPU.
 */
#include <hv/console.h>
#include <hv/hypercall.h>
#include <hv/sched.h>
#include <xen/xen.h>

#include <asm/guest_access.h>
#include <asm/pv.h>
#include <asm/spinlock.h>

#define CHUNK 128
#define LINE_MAX 256

static DEFINE_SPINLOCK(guest_console_lock);

struct guest_line {
	domid_t domid;
	unsigned int len;
	char buf[LINE_MAX];
};

/* One partial line per domain id slot (domU console output is rare). */
static struct guest_line lines[8];

static void flush_line(struct guest_line *l)
{
	if (l->len)
		printk("(d%u) %.*s\n", l->domid, (int)l->len, l->buf);
	l->len = 0;
}

static void domu_write(domid_t id, const char *s, unsigned int n)
{
	struct guest_line *l = &lines[id % ARRAY_SIZE(lines)];

	if (l->domid != id) {
		flush_line(l);
		l->domid = id;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (s[i] == '\n' || l->len == LINE_MAX) {
			flush_line(l);
			if (s[i] == '\n')
				continue;
		}
		if (s[i] != '\r')
			l->buf[l->len++] = s[i];
	}
}

static long guest_write(struct domain *d, unsigned int count,
			XEN_GUEST_HANDLE_PARAM(char) buffer)
{
	char kbuf[CHUNK];

	while (count) {
		unsigned int n = MIN(count, (unsigned int)CHUNK);
		unsigned long flags;

		if (hypercall_preempt_check()) {
			unsigned long args[3] = {CONSOLEIO_write, count,
						 (unsigned long)buffer.p};

			hypercall_create_continuation(__HYPERVISOR_console_io,
						      3, args);
			return 0;
		}
		if (copy_from_guest(kbuf, buffer, n))
			return -EFAULT;
		flags = spin_lock_irqsave(&guest_console_lock);
		if (d->is_privileged)
			printk_raw(kbuf, n);
		else
			domu_write(d->domain_id, kbuf, n);
		spin_unlock_irqrestore(&guest_console_lock, flags);
		guest_handle_add_offset(buffer, n);
		count -= n;
	}
	return 0;
}

static long guest_read(unsigned int count, XEN_GUEST_HANDLE_PARAM(char) buffer)
{
	char kbuf[CHUNK];
	unsigned int n = 0;
	int c;

	while (n < count && n < CHUNK && (c = console_getc()) >= 0)
		kbuf[n++] = (char)c;
	if (n && copy_to_guest(buffer, kbuf, n))
		return -EFAULT;
	return n;
}

/* HYPERVISOR_console_io(cmd, count, buffer). */
long do_console_io(unsigned int cmd, unsigned int count,
		   XEN_GUEST_HANDLE_PARAM(char) buffer)
{
	struct domain *d = current->domain;

	switch (cmd) {
	case CONSOLEIO_write: return guest_write(d, count, buffer);
	case CONSOLEIO_read:
		if (!d->is_privileged)
			return -EPERM;
		/* A count past INT_MAX: the result could pass for -errno. */
		if ((int)count < 0)
			return -E2BIG;
		return guest_read(count, buffer);
	default: return -ENOSYS;
	}
}
