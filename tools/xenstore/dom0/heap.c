/*
 * The xenstored core's allocator in dom0: pvguest's kernel heap.
 */
#include <guest/heap.h>
#include <xenstore/xenstored.h>

void *xsd_alloc(size_t size)
{
	return kmalloc(size);
}

void xsd_free(void *p)
{
	kfree(p);
}
