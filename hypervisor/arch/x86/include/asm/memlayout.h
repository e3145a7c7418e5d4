/*
 * Paravane's virtual address map on x86_64 (4-level paging, 48-bit VAs).
 *
 * A 64-bit PV guest owns every L4 slot except 256-271; the hypervisor lives
 * entirely inside Xen's reserved range 0xFFFF800000000000-0xFFFF87FFFFFFFFFF,
 * so the same L4 entries 256-271 can be copied into every guest's top-level
 * table and nothing of the hypervisor is reachable anywhere else. Only the
 * 32-bit boot path runs briefly on an identity map of low memory, which is
 * removed before the hypervisor is ready.
 *
 *  0x0000000000000000 +--------------------------------------+  slot 0
 *                     |  guest (user and kernel)             |
 *  0x0000800000000000 +--------------------------------------+  slot 255 end
 *                     |  non-canonical hole                  |
 *  0xFFFF800000000000 +--------------------------------------+  slot 256
 *                     |  read-only M2P, guest readable  256G |
 *  0xFFFF804000000000 |  reserved                       256G |
 *  0xFFFF808000000000 +--------------------------------------+  slot 257
 *                     |  ioremap: LAPIC, IO-APIC, HPET  512G |
 *  0xFFFF810000000000 +--------------------------------------+  slot 258
 *                     |  reserved (guest linear PT)     512G |
 *  0xFFFF818000000000 +--------------------------------------+  slot 259
 *                     |  per-CPU stacks, guard pages    512G |
 *  0xFFFF820000000000 +--------------------------------------+  slot 260
 *                     |  per-domain area: GDT/LDT       512G |
 *                     |  (switched with the guest's L4)      |
 *  0xFFFF828000000000 +--------------------------------------+  slot 261
 *                     |  writable M2P                   256G |
 *  0xFFFF82C000000000 |  vmap                            64G |
 *  0xFFFF82D040000000 |  hypervisor image                  1G |
 *  0xFFFF82E000000000 |  frame table                    128G |
 *  0xFFFF830000000000 +--------------------------------------+  slot 262
 *                     |  direct map of all RAM            5T |
 *  0xFFFF880000000000 +--------------------------------------+  slot 272
 *                     |  guest                               |
 *  0xFFFFFFFFFFFFFFFF +--------------------------------------+  slot 511
 *
 * Physical layout of the image: GRUB loads the boot section at 1 MiB and
 * the rest from HV_IMAGE_PHYS on; the image is linked at
 * HV_IMAGE_VIRT_BASE + physical address.
 */
#ifndef ASM_MEMLAYOUT_H
#define ASM_MEMLAYOUT_H

#ifdef __ASSEMBLY__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

#define PAGE_SHIFT 12
#define PAGE_SIZE (_UL(1) << PAGE_SHIFT)
#define L1_SHIFT 12
#define L2_SHIFT 21
#define L3_SHIFT 30
#define L4_SHIFT 39
#define PT_ENTRIES 512
#define L4_SLOT_SIZE (_UL(1) << L4_SHIFT)

/* L4 slot of an address, and the address at the start of a slot. */
#define l4_slot(va) ((((va) >> L4_SHIFT)) & 511)
#define slot_va(s) (_UL(0xFFFF000000000000) | ((_UL(s)) << L4_SHIFT))

#define HYPERVISOR_FIRST_SLOT 256
#define HYPERVISOR_LAST_SLOT 271

#define HV_RANGE_START _UL(0xFFFF800000000000)
#define HV_RANGE_END _UL(0xFFFF880000000000)

#define RO_MPT_VIRT_START _UL(0xFFFF800000000000)
#define RO_MPT_VIRT_END _UL(0xFFFF804000000000)

#define IOREMAP_VIRT_START _UL(0xFFFF808000000000)
#define IOREMAP_VIRT_END _UL(0xFFFF810000000000)

#define LINEAR_PT_VIRT_START _UL(0xFFFF810000000000)
#define LINEAR_PT_VIRT_END _UL(0xFFFF818000000000)

/* Each CPU has a STACK_SIZE-aligned block; see asm/stack.h for its pages. */
#define STACKS_VIRT_START _UL(0xFFFF818000000000)
#define STACKS_VIRT_END _UL(0xFFFF820000000000)

#define PERDOMAIN_VIRT_START _UL(0xFFFF820000000000)
#define PERDOMAIN_VIRT_END _UL(0xFFFF828000000000)

#define RDWR_MPT_VIRT_START _UL(0xFFFF828000000000)
#define RDWR_MPT_VIRT_END _UL(0xFFFF82C000000000)

#define VMAP_VIRT_START _UL(0xFFFF82C000000000)
#define VMAP_VIRT_END _UL(0xFFFF82D000000000)

#define HV_IMAGE_VIRT_BASE _UL(0xFFFF82D040000000)
#define HV_IMAGE_VIRT_END _UL(0xFFFF82D080000000)

#define FRAMETABLE_VIRT_START _UL(0xFFFF82E000000000)
#define FRAMETABLE_VIRT_END _UL(0xFFFF830000000000)

#define DIRECTMAP_VIRT_START _UL(0xFFFF830000000000)
#define DIRECTMAP_VIRT_END _UL(0xFFFF880000000000)

/* Physical load addresses (see hypervisor.ld). */
#define HV_BOOT_PHYS _UL(0x100000)
#define HV_IMAGE_PHYS _UL(0x200000)

/* Most RAM the direct map can cover, and so the most Paravane manages. */
#define MAX_PHYS_ADDR (DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START)

#endif /* ASM_MEMLAYOUT_H */
