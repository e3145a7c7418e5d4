/*
 * The PV page-table test machine (see pt_fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/pv.h>

#include "fake/fake.h"
#include "pt_fixture.h"

static const struct ram_range ram[] = {{PT_RAM_FIRST, PT_RAM_FRAMES}};

struct domain dom_a, dom_b, dom_io;
struct vcpu vcpu_a;
unsigned int pt_crashes;
struct domain *pt_crashed;

void domain_crash(struct domain *d, const char *fmt, ...)
{
	pt_crashes++;
	pt_crashed = d;
}

/*
 * A fresh machine for each case: the domains, a per-domain area for
 * dom_a, CPU 0 with no flush owed and zeroed TLB counters (fake/cpu.c
 * has CPUs 0 and 1 online).
 */
int pt_fixture_setup(void **state)
{
	/* Scrubbed on allocation: every new frame is an empty table. */
	mm_fixture_init(PT_NR_FRAMES, ram, ARRAY_SIZE(ram), true, 0xa5);
	/* dom_a has run on both CPUs: its owed flushes reach both. */
	dom_a = (struct domain){.domain_id = 1, .dirty_cpumask = 0x3};
	dom_b = (struct domain){.domain_id = 2};
	dom_io = (struct domain){.domain_id = 0, .is_privileged = true};
	dom_io.arch.iomem_allowed = true;
	dom_a.arch.perdomain_l3 = alloc_xenheap_pages(0);
	assert_non_null(dom_a.arch.perdomain_l3);
	vcpu_a = (struct vcpu){.domain = &dom_a};
	boot_cpu.phys_addr_bits = 40;
	fake_cpu_info.current_vcpu = &vcpu_a;
	/* Settle flushes owed by an earlier case, then count from zero. */
	for (unsigned int cpu = 0; cpu < 2; cpu++) {
		fake_set_cpu(cpu);
		pv_pay_owed_tlb_flush();
	}
	fake_set_cpu(0);
	fake_tlb = (struct fake_tlb){0};
	fake_gdt_maps = 0;
	pt_crashes = 0;
	pt_crashed = NULL;
	return 0;
}

/* Free the machine; every case must have released the locks it took. */
int pt_fixture_teardown(void **state)
{
	unsigned int held = fake_locks_held();

	fake_cpu_info.current_vcpu = NULL;
	mm_fixture_fini();
	assert_int_equal(held, 0);
	return 0;
}

/* A fresh frame owned by d: zeroed, no type, its allocation reference. */
unsigned long new_frame(struct domain *d)
{
	struct page_info *p = alloc_domheap_pages(d, 0);

	assert_non_null(p);
	return mfn_x(page_to_mfn(p));
}

/* A validated L1 of d, holding one type reference, with no entries. */
unsigned long new_l1(struct domain *d)
{
	unsigned long m = new_frame(d);

	assert_int_equal(take(m, d, L1), 0);
	return m;
}

/*
 * Validate a fresh table of d of the given type whose entry 0 is e;
 * returns the result. A refused table is left with no type and only its
 * allocation reference; an accepted one is released again.
 */
int validate_with(struct domain *d, unsigned long type, pte_t e)
{
	unsigned long t = new_frame(d);
	int rc;

	tab(t)[0] = e;
	rc = take(t, d, type);
	if (rc) {
		assert_int_equal(type_of(t), PGT_none);
		assert_refs(t, 1, 0);
	} else {
		drop(t);
	}
	return rc;
}

/* Change entry 0 of validated L1 l1 of d to e, mapping a frame of d. */
int set_l1e(struct domain *d, unsigned long l1, pte_t e)
{
	return mod_l1_entry(&tab(l1)[0], e, _mfn(l1), d, d, false);
}

/* Change entry i of validated level-lvl table t of dom_a to e. */
int set_entry(unsigned long t, unsigned int lvl, unsigned int i, pte_t e)
{
	pte_t *p = &tab(t)[i];

	switch (lvl) {
	case 1: return mod_l1_entry(p, e, _mfn(t), &dom_a, &dom_a, false);
	case 2: return mod_l2_entry(p, e, _mfn(t), &dom_a, false);
	case 3: return mod_l3_entry(p, e, _mfn(t), &dom_a, false);
	default: return mod_l4_entry(p, e, _mfn(t), &dom_a, false);
	}
}
