/*
 * pvguest's virtual address map. Usable from C, assembly and the linker
 * script (pvguest.ld.S is run through the preprocessor).
 *
 *   0x0000000000000000  user space (later: dom0 tools, threads)   slots 0-255
 *   0xFFFF800000000000  Xen; the read-only M2P is at its start    slots 256-271
 *   0xFFFF880000000000  direct map of all pseudo-physical frames  slot 272
 *                       (va = DIRECTMAP_BASE + pfn * 4 KiB)
 *   0xFFFFC00000000000  map area: ad hoc mappings of any frame    slot 384
 *                       (tests)
 *   0xFFFFC02000000000  our grant table's frames (grant/)         slot 384
 *   0xFFFFC03000000000  grant window: other domains' grants       slot 384
 *                       mapped by gnttab_map() (grant/)
 *   0xFFFFC04000000000  foreign window: other domains' frames     slot 384
 *                       mapped by dom0's toolstack (mm/foreign.c)
 *   0xFFFFFFFF80000000  kernel image, then the rest of Xen's      slot 511
 *                       bootstrap region: initrd, p2m list,
 *                       start_info, bootstrap page tables, stack
 *
 * The image is linked at KERNEL_VIRT_BASE with -mcmodel=kernel, and its
 * VIRT_BASE ELF note asks Xen to map it there. Xen maps the bootstrap
 * region so that pfn = (va - KERNEL_VIRT_BASE) / 4 KiB.
 */
#ifndef GUEST_MEMLAYOUT_H
#define GUEST_MEMLAYOUT_H

#ifdef __ASSEMBLY__
#define UL_(x) x
#else
#define UL_(x) x##UL
#endif

#define KERNEL_VIRT_BASE UL_(0xFFFFFFFF80000000)

#define DIRECTMAP_BASE UL_(0xFFFF880000000000)
#define DIRECTMAP_SIZE UL_(0x0000008000000000) /* one L4 slot: 512 GiB */

#define MAPAREA_BASE UL_(0xFFFFC00000000000)
#define MAPAREA_SIZE UL_(0x0000008000000000)

/* Where grant/ maps our grant table (at most 64 frames). */
#define GNTTAB_SHARED_VA UL_(0xFFFFC02000000000)
#define GNTTAB_SHARED_MAX_FRAMES 64

/* The part of the map area that gnttab_map() hands out (64 MiB). */
#define GRANT_MAP_BASE UL_(0xFFFFC03000000000)
#define GRANT_MAP_SIZE UL_(0x0000000004000000)

/* The part of the map area that foreign_map() hands out (256 MiB). */
#define FOREIGN_MAP_BASE UL_(0xFFFFC04000000000)
#define FOREIGN_MAP_SIZE UL_(0x0000000010000000)

/* The kernel stack that start_kernel() and every trap run on. */
#define KERNEL_STACK_SIZE UL_(0x4000)

#ifndef __ASSEMBLY__
/* The image's bounds and its kernel stack (pvguest.ld.S, head.S). */
extern char __image_start[], __image_end[];
extern char kernel_stack[], kernel_stack_top[];
#endif

#endif /* GUEST_MEMLAYOUT_H */
