/*
 * Domains: creation, vCPUs, the memory a domain owns, and shutdown.
 *
 * A domain's frames are linked on its page list through page_info.list
 * (free-list links are unused while a frame is allocated) and counted in
 * tot_pages, which never exceeds max_pages. Frames the hypervisor shares
 * with a guest (its shared_info page) are owned by the guest but not
 * counted.
 *
 * Lock order: domlist_lock, then d->page_alloc_lock, then the heap lock.
 */
#include <hv/grant_table.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/sched_credit.h>
#include <hv/softirq.h>
#include <hv/vcpu_time.h>

#include <asm/page.h>
#include <asm/page_type.h>
#include <asm/pv.h>
#include <asm/shutdown.h>

struct domain *idle_domain;
struct domain *hardware_domain;

static struct domain *domain_list;
static DEFINE_SPINLOCK(domlist_lock);

static const char *const shutdown_names[] = {
	[SHUTDOWN_poweroff] = "power off", [SHUTDOWN_reboot] = "reboot",
	[SHUTDOWN_suspend] = "suspend",	   [SHUTDOWN_crash] = "crash",
	[SHUTDOWN_watchdog] = "watchdog",  [SHUTDOWN_soft_reset] = "soft reset",
};

static const char *shutdown_name(unsigned int reason)
{
	return reason < ARRAY_SIZE(shutdown_names) && shutdown_names[reason]
		       ? shutdown_names[reason]
		       : "unknown reason";
}

static void unlink_domain(struct domain *d);

/*
 * The last reference went: only now does the domain leave the list, so
 * that, as in Xen, a destroyed domain whose frames someone still holds
 * (another domain's mapping) stays visible, dying, until they go.
 */
static void domain_free(struct domain *d)
{
	unlink_domain(d);
	grant_table_free(d);
	if (d->vcpu)
		for (unsigned int i = 0; i < d->max_vcpus; i++)
			xfree(d->vcpu[i]);
	xfree(d->vcpu);
	arch_domain_destroy(d);
	xfree(d);
}

/*
 * Create a domain with room for max_vcpus vCPUs (none created yet) and,
 * unless it is the idle domain, its shared_info page. NULL on failure.
 */
struct domain *domain_create(domid_t id, bool privileged,
			     unsigned int max_vcpus)
{
	struct domain *d = xzalloc(struct domain);
	struct domain **pp;

	if (!d)
		return NULL;
	d->domain_id = id;
	d->is_privileged = privileged;
	d->max_vcpus = max_vcpus;
	d->shutdown_code = SHUTDOWN_CODE_NONE;
	d->refcnt = 1; /* alive */
	d->page_list_head = PAGE_LIST_NULL;
	d->max_pages = ~0UL;
	d->weight = CSCHED_DEFAULT_WEIGHT;
	spin_lock_init(&d->lock);
	spin_lock_init(&d->page_alloc_lock);
	d->vcpu = xzalloc_array(struct vcpu *, max_vcpus);
	if (!d->vcpu || (id != DOMID_IDLE && arch_domain_create(d)))
		goto err_free;

	if (id != DOMID_IDLE) {
		d->shared_info = alloc_xenheap_pages(0);
		if (!d->shared_info)
			goto err_free;
		memset(d->shared_info, 0, PAGE_SIZE);
		for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
			d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
		share_hv_page_with_guest(d->shared_info, d);
		update_domain_wallclock(d);
		if (evtchn_init(d, privileged ? EVTCHN_2L_NR_CHANNELS
					      : DEFAULT_MAX_EVTCHNS))
			goto err_free;
		if (grant_table_init(d))
			goto err_free;

		spin_lock(&domlist_lock);
		for (pp = &domain_list; *pp && (*pp)->domain_id < id;
		     pp = &(*pp)->next_in_list)
			;
		d->next_in_list = *pp;
		*pp = d;
		spin_unlock(&domlist_lock);
	}
	return d;

err_free:
	domain_free(d);
	return NULL;
}

/* Create vCPU id of d, to run on the given CPU; it starts down. */
struct vcpu *vcpu_create(struct domain *d, unsigned int id, unsigned int cpu)
{
	struct vcpu *v;

	if (id >= d->max_vcpus || d->vcpu[id])
		return NULL;
	v = xzalloc(struct vcpu);
	if (!v)
		return NULL;
	v->vcpu_id = id;
	v->domain = d;
	v->processor = cpu;
	v->pause_flags = VPF_down;
	v->runstate.state = RUNSTATE_offline;
	v->runstate.state_entry_time = (uint64_t)NOW();
	if (d->shared_info && id < XEN_LEGACY_MAX_VCPUS)
		v->vcpu_info = &d->shared_info->vcpu_info[id];
	vcpu_timers_init(v);
	csched_vcpu_init(v);
	if (arch_vcpu_create(v)) {
		xfree(v);
		return NULL;
	}
	d->vcpu[id] = v;
	return v;
}

/* Hold the domain list still for a walk (first_domain/next_domain). */
void domlist_read_lock(void)
{
	spin_lock(&domlist_lock);
}

/* End a walk of the domain list. */
void domlist_read_unlock(void)
{
	spin_unlock(&domlist_lock);
}

/* The first domain in id order; the caller holds domlist_read_lock. */
struct domain *first_domain(void)
{
	return domain_list;
}

/* The domain after d in id order, or NULL (domlist_read_lock held). */
struct domain *next_domain(struct domain *d)
{
	return d->next_in_list;
}

/* A domain by id even while it is being destroyed, with a reference. */
struct domain *get_dying_or_live_domain(domid_t id)
{
	struct domain *d;

	spin_lock(&domlist_lock);
	for (d = domain_list; d && d->domain_id != id; d = d->next_in_list)
		;
	if (d && !get_domain(d))
		d = NULL;
	spin_unlock(&domlist_lock);
	return d;
}

/* Take a reference on d, unless it is being freed. */
bool get_domain(struct domain *d)
{
	int x = __atomic_load_n(&d->refcnt, __ATOMIC_RELAXED);

	do {
		if (x <= 0)
			return false;
	} while (!__atomic_compare_exchange_n(&d->refcnt, &x, x + 1, false,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

/* Drop a reference; the last one frees the structure. */
void put_domain(struct domain *d)
{
	if (__atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_ACQ_REL) == 0)
		domain_free(d);
}

/* The live domain with this id, with a reference (put_domain), or NULL. */
struct domain *get_domain_by_id(domid_t id)
{
	struct domain *d;

	spin_lock(&domlist_lock);
	for (d = domain_list; d && d->domain_id != id; d = d->next_in_list)
		;
	if (d && (d->is_dying || !get_domain(d)))
		d = NULL;
	spin_unlock(&domlist_lock);
	return d;
}

/* DOMID_SELF or an id, with a reference, as get_domain_by_id(). */
struct domain *get_domain_by_any_id(domid_t id)
{
	struct domain *curr = current->domain;

	if (id == DOMID_SELF || id == curr->domain_id)
		return get_domain(curr) ? curr : NULL;
	return get_domain_by_id(id);
}

static void page_list_add(struct domain *d, struct page_info *pg)
{
	uint32_t idx = (uint32_t)mfn_x(page_to_mfn(pg));

	pg->list.prev = PAGE_LIST_NULL;
	pg->list.next = d->page_list_head;
	if (d->page_list_head != PAGE_LIST_NULL)
		frame_table[d->page_list_head].list.prev = idx;
	d->page_list_head = idx;
}

static void page_list_del(struct domain *d, struct page_info *pg)
{
	if (pg->list.prev == PAGE_LIST_NULL)
		d->page_list_head = pg->list.next;
	else
		frame_table[pg->list.prev].list.next = pg->list.next;
	if (pg->list.next != PAGE_LIST_NULL)
		frame_table[pg->list.next].list.prev = pg->list.prev;
	pg->list.next = pg->list.prev = PAGE_LIST_NULL;
}

/*
 * d gained (or, negative, lost) frames naming it as owner. The first holds
 * a reference on d; the last one's release drops it, so a domain is never
 * freed while a frame still points at it.
 */
static void note_owned_frames(struct domain *d, long n)
{
	unsigned long was = __atomic_fetch_add(
		&d->owned_frames, (unsigned long)n, __ATOMIC_ACQ_REL);

	if (!was && n > 0)
		get_domain(d);
	else if (was == (unsigned long)-n)
		put_domain(d);
}

/* A frame that named d as owner went back to the heap (page_alloc.c). */
static void frame_released(struct domain *d)
{
	note_owned_frames(d, -1);
}

/*
 * Give 2^order fresh frames to d and count them; -ENOMEM if that would
 * take d over max_pages.
 */
int domain_assign_pages(struct domain *d, struct page_info *pg,
			unsigned int order)
{
	unsigned long n = 1UL << order;

	spin_lock(&d->page_alloc_lock);
	if (d->tot_pages + n > d->max_pages || d->is_shutting_down) {
		spin_unlock(&d->page_alloc_lock);
		return -ENOMEM;
	}
	assign_pages(pg, order, d);
	for (unsigned long i = 0; i < n; i++)
		page_list_add(d, &pg[i]);
	d->tot_pages += n;
	note_owned_frames(d, (long)n);
	spin_unlock(&d->page_alloc_lock);
	return 0;
}

/*
 * The owner gives a frame up: drop its allocation reference. The frame
 * is freed once nothing else references it (a mapping, a page type).
 */
void domain_release_page(struct page_info *pg)
{
	struct domain *d = pg->owner;
	unsigned long old = __atomic_fetch_and(&pg->count_info, ~PGC_allocated,
					       __ATOMIC_SEQ_CST);

	if (!(old & PGC_allocated))
		return;
	if (!(old & PGC_hv_heap)) {
		spin_lock(&d->page_alloc_lock);
		page_list_del(d, pg);
		d->tot_pages--;
		spin_unlock(&d->page_alloc_lock);
	}
	put_page(pg);
}

/* Let d map a hypervisor heap page (e.g. its shared_info) writable. */
void share_hv_page_with_guest(void *page, struct domain *d)
{
	struct page_info *pg = mfn_to_page(virt_to_mfn(page));

	pg->owner = d;
	pg->u.inuse.type_info = PGT_none;
	pg->count_info = PGC_state_inuse | PGC_hv_heap | PGC_allocated | 1;
	note_owned_frames(d, 1);
}

/* Stop every vCPU of d (nested; see domain_unpause). */
void domain_pause(struct domain *d)
{
	__atomic_fetch_add(&d->pause_count, 1, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i])
			vcpu_sleep(d->vcpu[i]);
}

/* Undo one domain_pause(); the vCPUs run again at zero. */
void domain_unpause(struct domain *d)
{
	if (__atomic_sub_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST))
		return;
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i])
			vcpu_wake(d->vcpu[i]);
}

/*
 * Shut d down for reason (SHUTDOWN_*), unless a code was latched with
 * SCHEDOP_shutdown_code, which wins. Its vCPUs stop; the domain stays
 * until destroyed.
 */
void domain_shutdown(struct domain *d, unsigned int reason)
{
	spin_lock(&d->lock);
	if (d->is_shutting_down) {
		spin_unlock(&d->lock);
		return;
	}
	if (d->shutdown_code != SHUTDOWN_CODE_NONE)
		reason = d->shutdown_code;
	d->shutdown_code = reason;
	d->is_shutting_down = true;
	spin_unlock(&d->lock);

	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		if (d->vcpu[i]) {
			__atomic_fetch_or(&d->vcpu[i]->pause_flags, VPF_crashed,
					  __ATOMIC_SEQ_CST);
			vcpu_sleep(d->vcpu[i]);
		}
	}
	d->is_shut_down = true;
	printk("Domain %u shut down: %s (reason %u)\n", d->domain_id,
	       shutdown_name(reason), reason);
	if (d == hardware_domain)
		hardware_domain_shutdown(reason);
	else
		send_global_virq(VIRQ_DOM_EXC); /* dom0's toolstack looks */
}

/*
 * A guest did something it cannot survive: report it, with the
 * registers of the vCPU running it here, and shut it down as crashed.
 * Only this domain is affected.
 */
void domain_crash(struct domain *d, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("Domain %u crashed: %s\n", d->domain_id, msg);
	if (current->domain == d)
		show_guest_registers(current, guest_cpu_user_regs());
	domain_shutdown(d, SHUTDOWN_crash);
}

/* Create the idle domain and its per-CPU vCPUs' home. */
int idle_domain_init(void)
{
	heap_owner_released = frame_released;
	idle_domain = domain_create(DOMID_IDLE, false, NR_CPUS);
	return idle_domain ? 0 : -ENOMEM;
}

static void release_vcpu_state(struct vcpu *v)
{
	vcpu_timers_stop(v);
	if (mfn_x(v->arch.guest_table) != INVALID_MFN_RAW)
		put_page_and_type(mfn_to_page(v->arch.guest_table));
	if (mfn_x(v->arch.guest_table_user) != INVALID_MFN_RAW)
		put_page_and_type(mfn_to_page(v->arch.guest_table_user));
	v->arch.guest_table = v->arch.guest_table_user = _mfn(INVALID_MFN_RAW);
	pv_destroy_gdt(v);
	if (v->vcpu_info_page) {
		put_page_and_type(v->vcpu_info_page);
		v->vcpu_info_page = NULL;
	}
	v->vcpu_info = NULL;
}

static bool any_vcpu_running(const struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i] && READ_ONCE(d->vcpu[i]->is_running))
			return true;
	return false;
}

static void unlink_domain(struct domain *d)
{
	struct domain **pp;

	spin_lock(&domlist_lock);
	for (pp = &domain_list; *pp && *pp != d; pp = &(*pp)->next_in_list)
		;
	if (*pp)
		*pp = d->next_in_list;
	d->next_in_list = NULL;
	spin_unlock(&domlist_lock);
}

/* Give back up to a batch of d's frames; true when none are left. */
static bool relinquish_memory(struct domain *d)
{
	for (unsigned int n = 0; n < 256; n++) {
		struct page_info *pg;

		spin_lock(&d->page_alloc_lock);
		if (d->page_list_head == PAGE_LIST_NULL) {
			spin_unlock(&d->page_alloc_lock);
			return true;
		}
		pg = &frame_table[d->page_list_head];
		spin_unlock(&d->page_alloc_lock);
		/* A pinned table lets go of its type (and its entries). */
		if (__atomic_fetch_and(&pg->u.inuse.type_info, ~PGT_pinned,
				       __ATOMIC_SEQ_CST) &
		    PGT_pinned)
			put_page_and_type(pg);
		domain_release_page(pg);
	}
	return false;
}

/*
 * XEN_DOMCTL_destroydomain: stop d's vCPUs, close its event channels,
 * give up the grant mappings it holds, give back its memory (scrubbed),
 * its grant table's frames and its hypervisor state, tell dom0
 * (VIRQ_DOM_EXC). Long: returns -ERESTART to be called again until done.
 * Frames that other domains still map (its grants) stay, and with them
 * the domain, dying, until they are unmapped.
 */
int domain_destroy(struct domain *d)
{
	switch (d->destroy_stage) {
	case 0:
		if (d == current->domain || d == hardware_domain)
			return -EINVAL;
		d->is_dying = true;
		domain_pause(d);
		d->destroy_stage = 1;
		/* fall through */
	case 1:
		if (any_vcpu_running(d))
			return -ERESTART; /* their CPUs are switching away */
		for (unsigned int i = 0; i < d->max_vcpus; i++)
			if (d->vcpu[i])
				release_vcpu_state(d->vcpu[i]);
		evtchn_destroy(d);
		d->destroy_stage = 2;
		/* fall through */
	case 2:
		if (gnttab_release_mappings(d))
			return -ERESTART;
		d->destroy_stage = 3;
		/* fall through */
	case 3:
		if (!relinquish_memory(d))
			return -ERESTART;
		d->destroy_stage = 4;
		/* fall through */
	case 4:
		if (d->shared_info)
			domain_release_page(
				mfn_to_page(virt_to_mfn(d->shared_info)));
		d->shared_info = NULL;
		grant_table_release_shared(d);
		arch_domain_destroy(d);
		printk("Domain %u destroyed\n", d->domain_id);
		d->destroy_stage = 5;
		send_global_virq(VIRQ_DOM_EXC);
		put_domain(d); /* it is no longer alive */
		return 0;
	default: return 0; /* already destroyed: Xen's answer too */
	}
}
