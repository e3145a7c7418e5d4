/*
 * HYPERVISOR_physdev_op: a PV guest's access to physical devices. Here:
 * its virtual I/O privilege level and its I/O-port bitmap, which the
 * privileged-instruction emulator consults for in/out (priv_op.c).
 */
#include <hv/hypercall.h>
#include <hv/sched.h>

#include <asm/guest_access.h>
#include <asm/irq.h>
#include <xen/physdev.h>

#define MAX_IO_PORTS 65536

/* HYPERVISOR_physdev_op(cmd, arg). */
long do_physdev_op(int cmd, XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct vcpu *v = current;
	struct physdev_set_iopl iopl;
	struct physdev_set_iobitmap bmp;
	bool handled;
	long rc;

	switch (cmd) {
	case PHYSDEVOP_set_iopl:
		if (copy_from_guest_raw(&iopl, arg.p, sizeof(iopl)))
			return -EFAULT;
		if (iopl.iopl > 3)
			return -EINVAL;
		v->arch.iopl = iopl.iopl;
		return 0;
	case PHYSDEVOP_set_iobitmap:
		if (copy_from_guest_raw(&bmp, arg.p, sizeof(bmp)))
			return -EFAULT;
		/* Like Xen, check only where the bitmap starts. */
		if (bmp.nr_ports > MAX_IO_PORTS ||
		    !guest_range_ok(bmp.bitmap.p, 1))
			return -EINVAL;
		v->arch.iobmp = (unsigned long)bmp.bitmap.p;
		v->arch.iobmp_limit = bmp.nr_ports;
		return 0;
	default:
		rc = pirq_physdev_op(cmd, arg.p, &handled);
		return handled ? rc : -ENOSYS;
	}
}
