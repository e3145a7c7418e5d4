/*
 * Unit tests for xenstored's requests on nodes (tools/xenstore/core):
 * the initial tree, READ/WRITE (binary values, missing parents created
 * empty), MKDIR, RM (trees, missing nodes, "/"), DIRECTORY in creation
 * order, DIRECTORY_PART over a list too long for one reply, relative
 * paths, GET_DOMAIN_PATH, and that nothing leaks.
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

static void value_is(struct xsc *c, const char *path, const char *want)
{
	char *v = xs_must_read(c, path);

	assert_string_equal(v, want);
	xsd_free(v);
}

static void children_are(struct xsc *c, const char *path, const char *want)
{
	char *names, joined[4096] = "";
	unsigned int n;
	size_t off = 0;

	assert_int_equal(xsc_directory(c, XS_TX_NONE, path, &names, &n), 0);
	for (unsigned int i = 0; i < n; i++) {
		strcat(joined, i ? " " : "");
		strcat(joined, names + off);
		off += strlen(names + off) + 1;
	}
	xsd_free(names);
	assert_string_equal(joined, want);
}

static void the_initial_tree_is_xens(void **state)
{
	children_are(dom0, "/", "tool");
	children_are(dom0, "/tool", "xenstored");
	value_is(dom0, "/tool/xenstored", "");
	assert_int_equal(xsd_conn_domid(xsc_conn(dom0)), 0);
}

static void write_then_read(void **state)
{
	xs_must_write(dom0, "/a", "hello");
	value_is(dom0, "/a", "hello");
	xs_must_write(dom0, "/a", "");
	value_is(dom0, "/a", "");
}

static void write_creates_missing_parents_empty(void **state)
{
	xs_must_write(dom0, "/x/y/z", "v");
	value_is(dom0, "/x", "");
	value_is(dom0, "/x/y", "");
	value_is(dom0, "/x/y/z", "v");
	children_are(dom0, "/", "tool x");
	children_are(dom0, "/x/y", "z");
}

static void values_are_binary(void **state)
{
	static const char bin[] = {'a', 0, 'b', 0, 0, (char)0xff};
	uint32_t len;
	char *v;

	assert_int_equal(xsc_write(dom0, XS_TX_NONE, "/bin", bin, sizeof(bin)),
			 0);
	assert_int_equal(xsc_read(dom0, XS_TX_NONE, "/bin", &v, &len), 0);
	assert_int_equal(len, sizeof(bin));
	assert_memory_equal(v, bin, sizeof(bin));
	xsd_free(v);
}

static void reading_a_missing_node_is_enoent(void **state)
{
	char *v;

	assert_int_equal(xsc_read(dom0, XS_TX_NONE, "/nope", &v, NULL),
			 -ENOENT);
	assert_int_equal(xsc_read(dom0, XS_TX_NONE, "/nope/deeper", &v, NULL),
			 -ENOENT);
}

static void mkdir_keeps_an_existing_value(void **state)
{
	assert_int_equal(xsc_mkdir(dom0, XS_TX_NONE, "/m/n"), 0);
	value_is(dom0, "/m/n", "");
	xs_must_write(dom0, "/m/n", "kept");
	assert_int_equal(xsc_mkdir(dom0, XS_TX_NONE, "/m/n"), 0);
	value_is(dom0, "/m/n", "kept");
}

static void rm_removes_the_whole_tree(void **state)
{
	char *v;

	xs_must_write(dom0, "/t/a/b", "1");
	xs_must_write(dom0, "/t/a/c", "2");
	xs_must_write(dom0, "/t/d", "3");
	assert_int_equal(xsc_rm(dom0, XS_TX_NONE, "/t/a"), 0);
	assert_int_equal(xsc_read(dom0, XS_TX_NONE, "/t/a/b", &v, NULL),
			 -ENOENT);
	assert_int_equal(xsc_read(dom0, XS_TX_NONE, "/t/a", &v, NULL), -ENOENT);
	children_are(dom0, "/t", "d");
}

static void rm_of_a_missing_node_needs_its_parent(void **state)
{
	xs_must_write(dom0, "/p", "");
	assert_int_equal(xsc_rm(dom0, XS_TX_NONE, "/p/missing"), 0);
	assert_int_equal(xsc_rm(dom0, XS_TX_NONE, "/q/missing"), -ENOENT);
}

static void the_root_cannot_be_removed(void **state)
{
	assert_int_equal(xsc_rm(dom0, XS_TX_NONE, "/"), -EINVAL);
	children_are(dom0, "/", "tool");
}

static void children_are_listed_in_creation_order(void **state)
{
	xs_must_write(dom0, "/d/zeta", "");
	xs_must_write(dom0, "/d/alpha", "");
	xs_must_write(dom0, "/d/mid", "");
	children_are(dom0, "/d", "zeta alpha mid");
	assert_int_equal(xsc_rm(dom0, XS_TX_NONE, "/d/alpha"), 0);
	children_are(dom0, "/d", "zeta mid");
	xs_must_write(dom0, "/d/alpha", "");
	children_are(dom0, "/d", "zeta mid alpha");
}

static void directory_of_a_leaf_is_empty(void **state)
{
	xs_must_write(dom0, "/leaf", "x");
	children_are(dom0, "/leaf", "");
}

/* 300 children of 20-byte names: over 4096 bytes of list. */
static void long_lists_come_in_directory_parts(void **state)
{
	char path[64], *names, *reply;
	unsigned int n;
	uint32_t len;

	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "/big/child-number-%04d", i);
		xs_must_write(dom0, path, "");
	}
	assert_int_equal(xsc_call(dom0, XS_DIRECTORY, XS_TX_NONE, "/big", 5,
				  &reply, &len),
			 -E2BIG);
	assert_int_equal(xsc_directory(dom0, XS_TX_NONE, "/big", &names, &n),
			 0);
	assert_int_equal(n, 300);
	assert_string_equal(names, "child-number-0000");
	assert_string_equal(names + 299 * 18, "child-number-0299");
	xsd_free(names);
}

static void directory_part_past_the_end_is_empty(void **state)
{
	static const char req[] = "/tool\0"
				  "999";
	char *reply;
	uint32_t len;

	assert_int_equal(xsc_call(dom0, XS_DIRECTORY_PART, XS_TX_NONE, req,
				  sizeof(req), &reply, &len),
			 0);
	/* "<generation>|" and an empty name. */
	assert_int_equal(len, strlen(reply) + 2);
	assert_int_equal(reply[len - 1], '\0');
	xsd_free(reply);
}

static void relative_paths_are_under_the_domains_home(void **state)
{
	struct xsc *d1 = xs_domain(1);

	xs_must_write(dom0, "/local/domain/1/x", "");
	xs_set_perms_str(dom0, "/local/domain/1", "b1");
	xs_must_write(d1, "data/v", "rel");
	value_is(dom0, "/local/domain/1/data/v", "rel");
	value_is(d1, "data/v", "rel");
	xs_must_write(dom0, "name", "dom0's");
	value_is(dom0, "/local/domain/0/name", "dom0's");
}

static void get_domain_path(void **state)
{
	char *path;

	assert_int_equal(xsc_get_domain_path(dom0, 7, &path), 0);
	assert_string_equal(path, "/local/domain/7");
	xsd_free(path);
	assert_int_equal(xsc_get_domain_path(xs_domain(3), 65535, &path), 0);
	assert_string_equal(path, "/local/domain/65535");
	xsd_free(path);
}

static void stats_count_nodes_and_requests(void **state)
{
	struct xsd_stats st;

	xs_must_write(dom0, "/s/t", "");
	xsd_get_stats(xs_store, &st);
	assert_int_equal(st.nodes, 5);
	assert_true(st.requests >= 1);
	assert_int_equal(st.connections, 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, xs_setup, xs_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(the_initial_tree_is_xens),
		T(write_then_read),
		T(write_creates_missing_parents_empty),
		T(values_are_binary),
		T(reading_a_missing_node_is_enoent),
		T(mkdir_keeps_an_existing_value),
		T(rm_removes_the_whole_tree),
		T(rm_of_a_missing_node_needs_its_parent),
		T(the_root_cannot_be_removed),
		T(children_are_listed_in_creation_order),
		T(directory_of_a_leaf_is_empty),
		T(long_lists_come_in_directory_parts),
		T(directory_part_past_the_end_is_empty),
		T(relative_paths_are_under_the_domains_home),
		T(get_domain_path),
		T(stats_count_nodes_and_requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
