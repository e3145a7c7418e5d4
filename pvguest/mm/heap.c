/*
 * The kernel heap.
 *
 * Small requests (up to HEAP_SMALL_MAX bytes with the header) come from
 * per-size-class free lists; a class is refilled by carving one frame
 * into blocks. Larger requests get their own run of frames. Every block
 * starts with a 16-byte header (magic and class or frame count), so the
 * payload is 16-byte aligned and kfree() can check what it is given.
 * Small blocks are recycled within their class; frames are not returned.
 * The free lists are shared by all vCPUs, under one lock.
 */
#include <guest/heap.h>
#include <guest/mm.h>
#include <guest/pgtable.h>
#include <guest/shutdown.h>
#include <guest/spinlock.h>
#include <paravane/compiler.h>
#include <paravane/string.h>

#define MAGIC_USED 0x6b6d616cU /* "kmal" */
#define MAGIC_FREE 0x6b667265U /* "kfre" */
#define LARGE 0x80000000U
#define MIN_SHIFT 5 /* 32-byte blocks */
#define NR_CLASSES 7
#define HEAP_SMALL_MAX (1UL << (MIN_SHIFT + NR_CLASSES - 1)) /* 2 KiB */

struct header {
	uint32_t magic;
	uint32_t info; /* class, or LARGE | number of frames */
	void *next;    /* free list link while the block is free */
};

BUILD_BUG_ON(sizeof(struct header) != 16);

static struct header *free_list[NR_CLASSES];
static spinlock_t lock = SPINLOCK_INIT;

static unsigned int size_class(size_t bytes)
{
	unsigned int c = 0;

	while ((1UL << (MIN_SHIFT + c)) < bytes)
		c++;
	return c;
}

static int refill(unsigned int c)
{
	size_t bsize = 1UL << (MIN_SHIFT + c);
	char *page;
	pfn_t pfn;
	size_t off;

	if (alloc_frames(1, &pfn))
		return -1;
	page = frame_va(pfn);
	for (off = 0; off + bsize <= PAGE_SIZE; off += bsize) {
		struct header *h = (struct header *)(page + off);

		h->magic = MAGIC_FREE;
		h->info = c;
		h->next = free_list[c];
		free_list[c] = h;
	}
	return 0;
}

static void *alloc_large(size_t size)
{
	unsigned long frames =
		DIV_ROUND_UP(size + sizeof(struct header), PAGE_SIZE);
	struct header *h;
	pfn_t pfn;

	if (frames >= LARGE || alloc_frames(frames, &pfn))
		return NULL;
	h = frame_va(pfn);
	h->magic = MAGIC_USED;
	h->info = LARGE | (uint32_t)frames;
	return h + 1;
}

/* Allocate size bytes (16-byte aligned); NULL if out of memory or size 0. */
void *kmalloc(size_t size)
{
	struct header *h;
	unsigned long flags;
	unsigned int c;

	if (size == 0)
		return NULL;
	if (size > HEAP_SMALL_MAX - sizeof(struct header))
		return alloc_large(size);
	c = size_class(size + sizeof(struct header));
	flags = spin_lock_irqsave(&lock);
	if (!free_list[c] && refill(c)) {
		spin_unlock_irqrestore(&lock, flags);
		return NULL;
	}
	h = free_list[c];
	free_list[c] = h->next;
	h->magic = MAGIC_USED;
	h->next = NULL;
	spin_unlock_irqrestore(&lock, flags);
	return h + 1;
}

/* Allocate size zeroed bytes. */
void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* Free a block from kmalloc(); NULL is ignored, anything else checked. */
void kfree(void *p)
{
	struct header *h;
	unsigned long flags;

	if (!p)
		return;
	h = (struct header *)p - 1;
	if (h->magic != MAGIC_USED)
		panic("kfree(%p): not an allocated block", p);
	if (h->info & LARGE) {
		h->magic = MAGIC_FREE;
		free_frames(virt_to_pfn(h), h->info & ~LARGE);
		return;
	}
	if (h->info >= NR_CLASSES)
		panic("kfree(%p): corrupt header", p);
	flags = spin_lock_irqsave(&lock);
	h->magic = MAGIC_FREE;
	h->next = free_list[h->info];
	free_list[h->info] = h;
	spin_unlock_irqrestore(&lock, flags);
}
