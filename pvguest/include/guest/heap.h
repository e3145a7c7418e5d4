/*
 * The kernel heap: small blocks in power-of-two size classes carved from
 * whole frames, large requests as runs of frames; all reached through
 * the direct map.
 */
#ifndef GUEST_HEAP_H
#define GUEST_HEAP_H

#include <stddef.h>

// mm/heap.c
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

#endif /* GUEST_HEAP_H */
