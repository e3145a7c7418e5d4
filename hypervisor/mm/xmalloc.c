/*
 * xmalloc: small hypervisor objects (domains, vCPUs, event tables, ...).
 * Requests up to 2 KiB come from per-size-class pools carved out of heap
 * pages; larger ones get whole pages. Every block starts with a 16-byte
 * header naming its class (or page order), so xfree() needs no size and
 * the payload stays 16-byte aligned. Pool pages are never returned to the
 * heap; the classes are few and objects are recycled within them.
 */
#include <hv/mm.h>

#include <asm/page.h>
#include <asm/spinlock.h>

#define XMALLOC_MAGIC 0x786d616cU /* "xmal" */
#define NR_CLASSES 8		  /* 32 .. 4096-byte blocks, header included */
#define MIN_BLOCK_SHIFT 5
#define LARGE_CLASS 0xffU

struct xhdr {
	uint32_t magic;
	uint8_t class; /* size class, or LARGE_CLASS */
	uint8_t order; /* page order of a large block */
	uint16_t pad;
	union {
		struct xhdr *next_free; /* while free */
		uint64_t pad2;
	};
};

static struct xhdr *free_blocks[NR_CLASSES];
static DEFINE_SPINLOCK(xmalloc_lock);

static size_t class_size(unsigned int c)
{
	return (size_t)1 << (MIN_BLOCK_SHIFT + c);
}

/* Carve a fresh page into blocks of class c. Called with the lock held. */
static bool refill(unsigned int c)
{
	char *page = alloc_xenheap_pages(0);
	size_t sz = class_size(c);

	if (!page)
		return false;
	for (size_t off = 0; off + sz <= PAGE_SIZE; off += sz) {
		struct xhdr *h = (struct xhdr *)(page + off);

		h->magic = XMALLOC_MAGIC;
		h->class = (uint8_t)c;
		h->next_free = free_blocks[c];
		free_blocks[c] = h;
	}
	return true;
}

static void *alloc_large(size_t size)
{
	unsigned int order = 0;
	struct xhdr *h;

	while ((PAGE_SIZE << order) < size + sizeof(*h))
		order++;
	h = alloc_xenheap_pages(order);
	if (!h)
		return NULL;
	h->magic = XMALLOC_MAGIC;
	h->class = LARGE_CLASS;
	h->order = (uint8_t)order;
	return h + 1;
}

/* Allocate size bytes (16-byte aligned), or NULL. Contents undefined. */
void *xmalloc_bytes(size_t size)
{
	unsigned long flags;
	unsigned int c = 0;
	struct xhdr *h;

	if (size > (PAGE_SIZE << MAX_ORDER) - sizeof(*h))
		return NULL;
	while (c < NR_CLASSES && class_size(c) < size + sizeof(*h))
		c++;
	if (c == NR_CLASSES)
		return alloc_large(size);

	flags = spin_lock_irqsave(&xmalloc_lock);
	if (!free_blocks[c] && !refill(c)) {
		spin_unlock_irqrestore(&xmalloc_lock, flags);
		return NULL;
	}
	h = free_blocks[c];
	free_blocks[c] = h->next_free;
	spin_unlock_irqrestore(&xmalloc_lock, flags);
	h->next_free = NULL;
	return h + 1;
}

/* Allocate size zeroed bytes, or NULL. */
void *xzalloc_bytes(size_t size)
{
	void *p = xmalloc_bytes(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* Allocate a zeroed array of n elements of size bytes, or NULL. */
void *xzalloc_array_bytes(size_t size, size_t n)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return xzalloc_bytes(size * n);
}

/* Free a block from xmalloc; NULL is ignored. */
void xfree(void *p)
{
	struct xhdr *h;
	unsigned long flags;

	if (!p)
		return;
	h = (struct xhdr *)p - 1;
	ASSERT(h->magic == XMALLOC_MAGIC);
	if (h->class == LARGE_CLASS) {
		free_xenheap_pages(h, h->order);
		return;
	}
	ASSERT(h->class < NR_CLASSES);
	flags = spin_lock_irqsave(&xmalloc_lock);
	h->next_free = free_blocks[h->class];
	free_blocks[h->class] = h;
	spin_unlock_irqrestore(&xmalloc_lock, flags);
}
