/*
 * The domain list and domain references of common/domain.c, for tests of
 * code that looks domains up (event channels, the scheduler's accounting,
 * domain control) without creating them through domain_create(). A test
 * builds its own struct domain and lists it with fake_domain_add(); the
 * lookups then behave as the real ones: by id, in id order, never a dying
 * domain (but for get_dying_or_live_domain), each with a reference taken
 * on d->refcnt. A reference is never freed here: put_domain() only counts
 * down, and dropping one that was never taken is an assertion failure,
 * so a test can check that every lookup was paired with its put.
 */
#include <hv/sched.h>

#include "fake.h"

struct domain *hardware_domain;
struct domain *idle_domain;

static struct domain *domain_list;
static DEFINE_SPINLOCK(domlist_lock);

/* List d (its refcnt becomes 1, "alive", if it was 0). */
void fake_domain_add(struct domain *d)
{
	struct domain **pp = &domain_list;

	while (*pp && (*pp)->domain_id < d->domain_id)
		pp = &(*pp)->next_in_list;
	d->next_in_list = *pp;
	*pp = d;
	if (!d->refcnt)
		d->refcnt = 1;
}

/* Take d off the list. */
void fake_domain_remove(struct domain *d)
{
	struct domain **pp = &domain_list;

	while (*pp && *pp != d)
		pp = &(*pp)->next_in_list;
	if (*pp)
		*pp = d->next_in_list;
	d->next_in_list = NULL;
}

/* Forget every listed domain and the hardware domain. */
void fake_domains_clear(void)
{
	while (domain_list)
		fake_domain_remove(domain_list);
	hardware_domain = NULL;
}

void domlist_read_lock(void)
{
	spin_lock(&domlist_lock);
}

void domlist_read_unlock(void)
{
	spin_unlock(&domlist_lock);
}

struct domain *first_domain(void)
{
	return domain_list;
}

struct domain *next_domain(struct domain *d)
{
	return d->next_in_list;
}

bool get_domain(struct domain *d)
{
	if (d->refcnt <= 0)
		return false;
	d->refcnt++;
	return true;
}

void put_domain(struct domain *d)
{
	if (d->refcnt <= 0)
		assert_failed("put_domain: no reference held", __FILE__,
			      __LINE__);
	d->refcnt--;
}

static struct domain *find(domid_t id, bool dying_too)
{
	struct domain *d;

	spin_lock(&domlist_lock);
	for (d = domain_list; d && d->domain_id != id; d = d->next_in_list)
		;
	if (d && ((d->is_dying && !dying_too) || !get_domain(d)))
		d = NULL;
	spin_unlock(&domlist_lock);
	return d;
}

struct domain *get_domain_by_id(domid_t id)
{
	return find(id, false);
}

struct domain *get_dying_or_live_domain(domid_t id)
{
	return find(id, true);
}

struct domain *get_domain_by_any_id(domid_t id)
{
	struct domain *curr = current->domain;

	if (id == DOMID_SELF || id == curr->domain_id)
		return get_domain(curr) ? curr : NULL;
	return get_domain_by_id(id);
}
