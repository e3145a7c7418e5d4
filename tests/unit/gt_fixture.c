/*
 * The grant-table test machine (see gt_fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/guest_access.h>
#include <asm/page.h>
#include <asm/page_type.h>

#include "fake/fake.h"
#include "gt_fixture.h"

#define GT_NR_FRAMES 2048
static const struct ram_range ram[] = {{16, GT_NR_FRAMES - 16}};

struct domain *gdom0, *gdom1, *gdom2;
struct gt_pte gt_ptes[GT_NR_PTES];
unsigned int gt_crashes, gt_continuations;
unsigned long gt_continuation_args[3];
bool gt_preempt;

/* ---- What the grant code calls outside itself --------------------------- */

void share_hv_page_with_guest(void *page, struct domain *d)
{
	struct page_info *pg = mfn_to_page(virt_to_mfn(page));

	pg->owner = d;
	pg->u.inuse.type_info = PGT_none;
	pg->count_info = PGC_state_inuse | PGC_hv_heap | PGC_allocated | 1;
}

void domain_release_page(struct page_info *pg)
{
	unsigned long old = __atomic_fetch_and(&pg->count_info, ~PGC_allocated,
					       __ATOMIC_SEQ_CST);

	if (old & PGC_allocated)
		put_page(pg);
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
	gt_crashes++;
}

bool hypercall_preempt_check(void)
{
	return gt_preempt;
}

void hypercall_create_continuation(unsigned int op, unsigned int nargs,
				   const unsigned long *args)
{
	assert_int_equal(op, __HYPERVISOR_grant_table_op);
	assert_int_equal(nargs, 3);
	memcpy(gt_continuation_args, args, sizeof(gt_continuation_args));
	gt_continuations++;
}

struct gt_pte *gt_pte_at(struct domain *d, uint64_t addr)
{
	for (unsigned int i = 0; i < GT_NR_PTES; i++)
		if (gt_ptes[i].used && gt_ptes[i].d == d &&
		    gt_ptes[i].addr == addr)
			return &gt_ptes[i];
	return NULL;
}

int16_t create_grant_host_mapping(uint64_t addr, mfn_t frame,
				  unsigned int flags)
{
	struct domain *d = current->domain;

	if (addr == GT_BAD_ADDR || gt_pte_at(d, addr))
		return GNTST_general_error;
	for (unsigned int i = 0; i < GT_NR_PTES; i++) {
		if (!gt_ptes[i].used) {
			gt_ptes[i] = (struct gt_pte){.d = d,
						     .addr = addr,
						     .mfn = frame,
						     .flags = flags,
						     .used = true};
			return GNTST_okay;
		}
	}
	fail_msg("fake page tables full");
	return GNTST_general_error;
}

int16_t replace_grant_host_mapping(uint64_t addr, mfn_t frame,
				   uint64_t new_addr, unsigned int flags)
{
	struct gt_pte *p = gt_pte_at(current->domain, addr);

	if (new_addr || !p || !mfn_eq(p->mfn, frame) ||
	    ((p->flags ^ flags) & GNTMAP_readonly))
		return GNTST_general_error;
	p->used = false;
	return GNTST_okay;
}

/* ---- Domains -------------------------------------------------------------- */

static struct domain *domain_new(domid_t id, bool privileged)
{
	struct domain *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	d->domain_id = id;
	d->is_privileged = privileged;
	d->max_vcpus = GT_NR_VCPUS;
	d->vcpu = calloc(GT_NR_VCPUS, sizeof(*d->vcpu));
	assert_non_null(d->vcpu);
	for (unsigned int i = 0; i < GT_NR_VCPUS; i++) {
		d->vcpu[i] = calloc(1, sizeof(struct vcpu));
		assert_non_null(d->vcpu[i]);
		d->vcpu[i]->vcpu_id = i;
		d->vcpu[i]->domain = d;
	}
	assert_int_equal(grant_table_init(d), 0);
	fake_domain_add(d);
	return d;
}

static void domain_free(struct domain *d)
{
	if (!d)
		return;
	fake_domain_remove(d);
	if (d->grant_table && !d->grant_table->shared_released)
		grant_table_release_shared(d);
	grant_table_free(d);
	for (unsigned int i = 0; i < GT_NR_VCPUS; i++)
		free(d->vcpu[i]);
	free(d->vcpu);
	free(d);
}

void gt_as(struct domain *d)
{
	fake_cpu_info.current_vcpu = d->vcpu[0];
}

/* A fresh machine for each case. */
int gt_setup(void **state)
{
	mm_fixture_init(GT_NR_FRAMES, ram, ARRAY_SIZE(ram), false, 0);
	fake_set_cpu(0);
	fake_domains_clear();
	memset(gt_ptes, 0, sizeof(gt_ptes));
	gt_crashes = gt_continuations = 0;
	gt_preempt = false;
	gdom0 = domain_new(0, true);
	gdom1 = domain_new(1, false);
	gdom2 = domain_new(2, false);
	hardware_domain = gdom0;
	gt_as(gdom1);
	return 0;
}

/*
 * Every case must leave no lock held and no domain reference taken; the
 * tables are then freed, and with them every block they allocated.
 * (Everything is freed first, so that one failed case fails alone.)
 */
int gt_teardown(void **state)
{
	struct domain *doms[] = {gdom0, gdom1, gdom2};
	unsigned int held = fake_locks_held(), refs_left = 0;
	unsigned long live;

	fake_cpu_recover();
	for (unsigned int i = 0; i < ARRAY_SIZE(doms); i++)
		if (doms[i] && doms[i]->refcnt != 1)
			refs_left++;
	for (unsigned int i = 0; i < ARRAY_SIZE(doms); i++) {
		/* A failed case may have left mappings: drop them too. */
		if (doms[i])
			doms[i]->is_dying = true;
		if (doms[i] && doms[i]->grant_table)
			while (gnttab_release_mappings(doms[i]))
				;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(doms); i++)
		domain_free(doms[i]);
	gdom0 = gdom1 = gdom2 = NULL;
	fake_domains_clear();
	fake_cpu_info.current_vcpu = NULL;
	live = fake_xmalloc_live();
	mm_fixture_fini();
	assert_int_equal(held, 0);
	assert_int_equal(refs_left, 0);
	assert_int_equal(live, 0);
	return 0;
}

/* Handles of d that are neither free nor never used. */
unsigned int gt_handles_in_use(struct domain *d)
{
	struct grant_table *gt = d->grant_table;
	unsigned int free = 0;

	for (grant_handle_t h = gt->maptrack_free; h != MAPTRACK_NONE;
	     h = maptrack_entry(gt, h)->ref)
		free++;
	return maptrack_limit(gt) - free;
}

/* ---- Frames and grants ----------------------------------------------------- */

mfn_t gt_frame(struct domain *d, uint8_t fill)
{
	struct page_info *pg = alloc_domheap_pages(d, 0);

	assert_non_null(pg);
	memset(mfn_to_virt(page_to_mfn(pg)), fill, PAGE_SIZE);
	return page_to_mfn(pg);
}

grant_entry_v1_t *gt_entry(struct domain *d, grant_ref_t ref)
{
	return shared_entry(d->grant_table, ref);
}

struct active_grant_entry *gt_active(struct domain *d, grant_ref_t ref)
{
	return active_entry(d->grant_table, ref);
}

grant_ref_t gt_grant(struct domain *d, grant_ref_t ref, domid_t domid,
		     mfn_t mfn, uint16_t flags)
{
	grant_entry_v1_t *e = gt_entry(d, ref);

	e->domid = domid;
	e->frame = (uint32_t)mfn_x(mfn);
	e->flags = flags;
	return ref;
}

/* ---- Hypercalls ----------------------------------------------------------- */

long gt_op(unsigned int cmd, void *arg, unsigned int count)
{
	return do_grant_table_op(cmd, guest_handle_from_arg(void, arg), count);
}

int16_t gt_map(domid_t dom, grant_ref_t ref, uint64_t addr, uint32_t flags,
	       grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = addr, .flags = flags, .ref = ref, .dom = dom};

	assert_int_equal(gt_op(GNTTABOP_map_grant_ref, &op, 1), 0);
	if (handle)
		*handle = op.handle;
	return op.status;
}

int16_t gt_unmap(uint64_t addr, uint64_t bus, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = addr, .dev_bus_addr = bus, .handle = handle};

	assert_int_equal(gt_op(GNTTABOP_unmap_grant_ref, &op, 1), 0);
	return op.status;
}
