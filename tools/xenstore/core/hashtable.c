/*
 * A string-keyed hash table whose entries live inside their owners
 * (struct hentry as a member): the database's records and a
 * transaction's entries. Chained buckets, FNV-1a hashes kept in the
 * entries; the table doubles when it holds twice as many entries as
 * buckets. If growing fails for want of memory the table just stays
 * smaller: inserting never fails.
 */
#include "core.h"

static uint32_t hash_key(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

/* An empty table of nbuckets buckets (a power of two). */
int ht_init(struct htable *t, uint32_t nbuckets)
{
	t->buckets = xsd_alloc(nbuckets * sizeof(*t->buckets));
	if (!t->buckets)
		return -ENOMEM;
	memset(t->buckets, 0, nbuckets * sizeof(*t->buckets));
	t->nbuckets = nbuckets;
	t->count = 0;
	return 0;
}

/* Free the buckets; the entries are their owners' to free. */
void ht_destroy(struct htable *t)
{
	xsd_free(t->buckets);
	t->buckets = NULL;
	t->nbuckets = t->count = 0;
}

/* The entry keyed key, or NULL. */
struct hentry *ht_find(const struct htable *t, const char *key)
{
	uint32_t h = hash_key(key);

	for (struct hentry *e = t->buckets[h & (t->nbuckets - 1)]; e;
	     e = e->next)
		if (e->hash == h && streq(e->key, key))
			return e;
	return NULL;
}

static void grow(struct htable *t)
{
	uint32_t n = t->nbuckets * 2;
	struct hentry **b = xsd_alloc(n * sizeof(*b));

	if (!b)
		return;
	memset(b, 0, n * sizeof(*b));
	for (uint32_t i = 0; i < t->nbuckets; i++) {
		while (t->buckets[i]) {
			struct hentry *e = t->buckets[i];

			t->buckets[i] = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	xsd_free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

/* Add e (its key set, not already in the table). */
void ht_insert(struct htable *t, struct hentry *e)
{
	struct hentry **b;

	if (t->count >= 2 * t->nbuckets && t->nbuckets < (1u << 30))
		grow(t);
	e->hash = hash_key(e->key);
	b = &t->buckets[e->hash & (t->nbuckets - 1)];
	e->next = *b;
	*b = e;
	t->count++;
}

/* Take e out of the table. */
void ht_remove(struct htable *t, struct hentry *e)
{
	struct hentry **p = &t->buckets[e->hash & (t->nbuckets - 1)];

	while (*p && *p != e)
		p = &(*p)->next;
	if (*p) {
		*p = e->next;
		t->count--;
	}
}

/*
 * Iterate: the entry after e (NULL: the first), *bucket being e's bucket
 * (0 to start). NULL at the end. The table must not change meanwhile.
 */
struct hentry *ht_next(const struct htable *t, struct hentry *e,
		       uint32_t *bucket)
{
	if (e && e->next)
		return e->next;
	for (uint32_t i = e ? *bucket + 1 : 0; i < t->nbuckets; i++) {
		if (t->buckets[i]) {
			*bucket = i;
			return t->buckets[i];
		}
	}
	return NULL;
}
