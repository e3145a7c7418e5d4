/*
 * Unit tests for xenstored's permissions (Xen's semantics): the owner's
 * rights, the default entry, per-domain n/r/w/b entries, dom0 above
 * them all, inheritance on creation (unprivileged creators own what
 * they make), a missing node's absence hidden (EACCES) under an
 * ancestor that does not grant the access, who may change a list (the
 * owner, who may not give the node away), SET_TARGET, and malformed
 * lists refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xs_fixture.h"
#include <paravane/errno.h>

static int try_read(struct xsc *c, const char *path)
{
	char *v = NULL;
	int rc = xsc_read(c, XS_TX_NONE, path, &v, NULL);

	xsd_free(v);
	return rc;
}

static int try_write(struct xsc *c, const char *path)
{
	return xsc_write_str(c, XS_TX_NONE, path, "v");
}

static void perms_are(struct xsc *c, const char *path, const char *want)
{
	char *p = xs_perms_str(c, path);

	assert_string_equal(p, want);
	free(p);
}

static int set_perms(struct xsc *c, const char *path, const char *perms)
{
	char buf[128];
	size_t plen = strlen(path) + 1, len = strlen(perms) + 1;

	memcpy(buf, path, plen);
	memcpy(buf + plen, perms, len);
	for (size_t i = plen; i < plen + len; i++)
		buf[i] = buf[i] == ' ' ? '\0' : buf[i];
	return xsc_call(c, XS_SET_PERMS, XS_TX_NONE, buf,
			(uint32_t)(plen + len), NULL, NULL);
}

static void new_nodes_inherit_their_parents_list(void **state)
{
	xs_must_write(dom0, "/p", "");
	xs_set_perms_str(dom0, "/p", "n0 r1 w2");
	xs_must_write(dom0, "/p/c/d", "");
	perms_are(dom0, "/p/c", "n0 r1 w2");
	perms_are(dom0, "/p/c/d", "n0 r1 w2");
}

static void unprivileged_creators_own_what_they_create(void **state)
{
	struct xsc *d1 = xs_domain(1);

	xs_must_write(dom0, "/local/domain/1", "");
	xs_set_perms_str(dom0, "/local/domain/1", "n0 b1");
	assert_int_equal(try_write(d1, "/local/domain/1/data/x"), 0);
	perms_are(dom0, "/local/domain/1/data", "n1 b1");
	perms_are(dom0, "/local/domain/1/data/x", "n1 b1");
}

static void the_owner_may_do_anything(void **state)
{
	struct xsc *d1 = xs_domain(1);

	xs_must_write(dom0, "/o", "");
	xs_set_perms_str(dom0, "/o", "n1");
	assert_int_equal(try_read(d1, "/o"), 0);
	assert_int_equal(try_write(d1, "/o"), 0);
	assert_int_equal(set_perms(d1, "/o", "n1 r2"), 0);
	perms_are(d1, "/o", "n1 r2");
}

static void others_get_the_default_entry(void **state)
{
	struct xsc *d2 = xs_domain(2);

	xs_must_write(dom0, "/r", "");
	xs_set_perms_str(dom0, "/r", "r0");
	assert_int_equal(try_read(d2, "/r"), 0);
	assert_int_equal(try_write(d2, "/r"), -EACCES);
	xs_set_perms_str(dom0, "/r", "n0");
	assert_int_equal(try_read(d2, "/r"), -EACCES);
	xs_set_perms_str(dom0, "/r", "b0");
	assert_int_equal(try_write(d2, "/r"), 0);
}

static void entries_name_domains(void **state)
{
	struct xsc *d2 = xs_domain(2), *d3 = xs_domain(3), *d4 = xs_domain(4);

	xs_must_write(dom0, "/e", "");
	xs_set_perms_str(dom0, "/e", "n0 w2 r3 b4");
	assert_int_equal(try_read(d2, "/e"), -EACCES);
	assert_int_equal(try_write(d2, "/e"), 0);
	assert_int_equal(try_read(d3, "/e"), 0);
	assert_int_equal(try_write(d3, "/e"), -EACCES);
	assert_int_equal(try_read(d4, "/e"), 0);
	assert_int_equal(try_write(d4, "/e"), 0);
	/* The first entry naming a domain counts. */
	xs_set_perms_str(dom0, "/e", "n0 r2 b2");
	assert_int_equal(try_write(d2, "/e"), -EACCES);
}

static void dom0_is_above_every_list(void **state)
{
	xs_must_write(dom0, "/z", "");
	xs_set_perms_str(dom0, "/z", "n5");
	assert_int_equal(try_read(dom0, "/z"), 0);
	assert_int_equal(try_write(dom0, "/z"), 0);
	assert_int_equal(set_perms(dom0, "/z", "n6"), 0);
	perms_are(dom0, "/z", "n6");
}

static void absence_is_hidden_under_unreadable_ancestors(void **state)
{
	struct xsc *d1 = xs_domain(1);

	xs_must_write(dom0, "/secret", "");
	assert_int_equal(try_read(d1, "/secret/x/y"), -EACCES);
	xs_set_perms_str(dom0, "/secret", "r0");
	assert_int_equal(try_read(d1, "/secret/x/y"), -ENOENT);
}

static void creating_needs_write_on_the_nearest_ancestor(void **state)
{
	struct xsc *d1 = xs_domain(1);

	xs_must_write(dom0, "/w", "");
	xs_set_perms_str(dom0, "/w", "r0");
	assert_int_equal(try_write(d1, "/w/new"), -EACCES);
	assert_int_equal(xsc_mkdir(d1, XS_TX_NONE, "/w/new"), -EACCES);
	xs_set_perms_str(dom0, "/w", "n0 w1");
	assert_int_equal(try_write(d1, "/w/new/deep"), 0);
	perms_are(dom0, "/w/new/deep", "n1 w1");
}

static void only_the_owner_changes_the_list(void **state)
{
	struct xsc *d1 = xs_domain(1), *d2 = xs_domain(2);

	xs_must_write(dom0, "/s", "");
	xs_set_perms_str(dom0, "/s", "n1 b2");
	assert_int_equal(set_perms(d2, "/s", "n1 b2 r3"), -EACCES);
	assert_int_equal(set_perms(d1, "/s", "n1 r2"), 0);
	/* An unprivileged owner may not give the node away. */
	assert_int_equal(set_perms(d1, "/s", "n2"), -EPERM);
	assert_int_equal(set_perms(dom0, "/s", "n2"), 0);
	perms_are(dom0, "/s", "n2");
}

static void reading_the_list_needs_read(void **state)
{
	struct xsc *d1 = xs_domain(1);
	struct xs_perm *p;
	unsigned int n;

	xs_must_write(dom0, "/g", "");
	assert_int_equal(xsc_get_perms(d1, XS_TX_NONE, "/g", &p, &n), -EACCES);
	xs_set_perms_str(dom0, "/g", "n0 r1");
	assert_int_equal(xsc_get_perms(d1, XS_TX_NONE, "/g", &p, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(p[1].id, 1);
	assert_int_equal(p[1].perms, XS_PERM_READ);
	xsd_free(p);
}

static void removing_and_listing_need_rights(void **state)
{
	struct xsc *d1 = xs_domain(1);
	char *names;
	unsigned int n;

	xs_must_write(dom0, "/k/child", "");
	xs_set_perms_str(dom0, "/k", "n0");
	assert_int_equal(xsc_directory(d1, XS_TX_NONE, "/k", &names, &n),
			 -EACCES);
	xs_set_perms_str(dom0, "/k", "r0");
	assert_int_equal(xsc_directory(d1, XS_TX_NONE, "/k", &names, &n), 0);
	xsd_free(names);
	assert_int_equal(xsc_rm(d1, XS_TX_NONE, "/k"), -EACCES);
	xs_set_perms_str(dom0, "/k", "b0");
	assert_int_equal(xsc_rm(d1, XS_TX_NONE, "/k"), 0);
}

static void malformed_lists_are_refused(void **state)
{
	xs_must_write(dom0, "/m", "");
	assert_int_equal(set_perms(dom0, "/m", "x1"), -EINVAL);
	assert_int_equal(set_perms(dom0, "/m", "r"), -EINVAL);
	assert_int_equal(set_perms(dom0, "/m", "r1x"), -EINVAL);
	assert_int_equal(set_perms(dom0, "/m", "r32752"), -EINVAL);
	assert_int_equal(set_perms(dom0, "/m", "b0 "), -EINVAL);
	assert_int_equal(xsc_call(dom0, XS_SET_PERMS, XS_TX_NONE, "/m", 3, NULL,
				  NULL),
			 -EINVAL);
	perms_are(dom0, "/m", "n0");
}

static void set_target_acts_for_the_target(void **state)
{
	struct xsc *d2;

	assert_int_equal(xsc_introduce(dom0, 1, 100, 5), 0);
	assert_int_equal(xsc_introduce(dom0, 2, 101, 6), 0);
	d2 = xs_domain(2);
	xs_must_write(dom0, "/tg", "");
	xs_set_perms_str(dom0, "/tg", "n1");
	assert_int_equal(try_read(d2, "/tg"), -EACCES);
	assert_int_equal(xsc_call(dom0, XS_SET_TARGET, XS_TX_NONE, "2\0001", 4,
				  NULL, NULL),
			 0);
	assert_int_equal(try_read(d2, "/tg"), 0);
	assert_int_equal(try_write(d2, "/tg"), 0);
	assert_int_equal(xsc_call(dom0, XS_SET_TARGET, XS_TX_NONE, "2\0009", 4,
				  NULL, NULL),
			 -ENOENT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, xs_setup, xs_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(new_nodes_inherit_their_parents_list),
		T(unprivileged_creators_own_what_they_create),
		T(the_owner_may_do_anything),
		T(others_get_the_default_entry),
		T(entries_name_domains),
		T(dom0_is_above_every_list),
		T(absence_is_hidden_under_unreadable_ancestors),
		T(creating_needs_write_on_the_nearest_ancestor),
		T(only_the_owner_changes_the_list),
		T(reading_the_list_needs_read),
		T(removing_and_listing_need_rights),
		T(malformed_lists_are_refused),
		T(set_target_acts_for_the_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
