/*
 * The test side of the fake arch layer: what a unit test can inspect and
 * steer in the fakes that stand in for the hardware and the console (the
 * printk log, the RAM behind the direct map, the interrupt flag, held
 * locks, the current CPU and its TLB (fake_tlb in fake/asm/processor.h),
 * the idle page table, and the PV services outside the code under test).
 * fake/domain.c and fake/xmalloc.c are linked only by the programs that
 * use them (others link the real allocator).
 */
#ifndef UNIT_FAKE_H
#define UNIT_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// fake/host.c
const char *fake_log(void);
void fake_log_clear(void);
bool fake_log_contains(const char *s);

// fake/page.c
void fake_ram_init(unsigned long nr_frames, uint8_t fill);
void fake_ram_free(void);
bool fake_frame_filled(unsigned long mfn, uint8_t byte);

// fake/cpu.c
unsigned int fake_locks_held(void);
void fake_cpu_recover(void);
void fake_set_cpu(unsigned int cpu);

// fake/paging.c
uint64_t fake_idle_l4_entry(unsigned int slot);

// fake/pv.c
extern unsigned long fake_gdt_maps; /* calls of pv_map_gdt() */

// fake/domain.c
struct domain;
void fake_domain_add(struct domain *d);
void fake_domain_remove(struct domain *d);
void fake_domains_clear(void);

// fake/xmalloc.c
void fake_xmalloc_fail_after(long n);
unsigned long fake_xmalloc_live(void);

#endif /* UNIT_FAKE_H */
