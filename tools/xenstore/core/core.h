/*
 * xenstored's core, inside: private to tools/xenstore/core.
 *
 * The database is a hash table of node records keyed by absolute path,
 * as Xen's is (a TDB of records): a record holds the node's value, the
 * names of its children (NUL-terminated, back to back, in creation
 * order), its permission list and its generation. Records are never
 * changed in place: a change builds a new record and replaces the old
 * one (copy on write), which is what lets a transaction keep its own
 * records beside the global ones.
 *
 * Generations: every record written gets the store's next generation
 * number; a path with no record has NO_GENERATION. A transaction records
 * the generation of every path it reads (including absent ones, and the
 * parents it looks at) and keeps its changes as records of its own; at
 * its end it commits only if every path it read still has the generation
 * it saw, else it fails with EAGAIN (see transaction.c).
 *
 * Requests run to completion, one at a time: a struct req says which
 * connection asked and in which transaction. Handlers return 0 after
 * queueing their reply, or a negative errno, which message.c turns into
 * an XS_ERROR reply.
 *
 * Ownership: the store owns its connections, domains and records; a
 * connection owns its watches, transactions and queued output.
 */
#ifndef XENSTORE_CORE_H
#define XENSTORE_CORE_H

#include <paravane/compiler.h>
#include <paravane/errno.h>
#include <paravane/string.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>
#include <xenstore/xenstored.h>

#define NO_GENERATION UINT64_MAX

/* perm_for_conn() also says whether the connection owns the node. */
#define XS_PERM_OWNER 4

/* Xen's accounting of a record's size: a header, 8 bytes a permission. */
#define NODE_RECORD_HEADER 24
#define NODE_RECORD_PERM 8

#define DOMAIN_PATH_MAX 24 /* "/local/domain/65535" */

/* A string-keyed hash table of entries embedded in their owners. */
struct hentry {
	struct hentry *next;
	const char *key;
	uint32_t hash;
};

struct htable {
	struct hentry **buckets;
	uint32_t nbuckets;
	uint32_t count;
};

/* One database record (global, or a transaction's own). */
struct node {
	struct hentry h; /* keyed by path */
	uint64_t generation;
	uint32_t value_len;
	uint32_t children_len;
	uint16_t nperms;
	struct xs_perm *perms; /* perms[0]: owner, and everyone's default */
	char *value;
	char *children;
	char path[]; /* then perms, value and children, in one block */
};

/* A watch: a path (canonical, or special) and the client's token. */
struct watch {
	struct watch *next;
	uint32_t prefix_len; /* what a relative watch's events leave out */
	char *token;
	char path[]; /* then the token */
};

/* A change a transaction makes, fired as a watch event on commit. */
struct tx_event {
	struct tx_event *next;
	bool exact;
	uint16_t nperms;
	struct xs_perm *perms; /* the node's permissions at the change */
	char path[];
};

/* A path a transaction touched, with its record in the transaction. */
struct tx_entry {
	struct hentry h;
	struct node *node;   /* the transaction's view; NULL: absent */
	uint64_t generation; /* the global generation when first read */
	bool modified;
	char path[];
};

struct transaction {
	struct transaction *next;
	uint32_t id;
	struct htable entries;
	struct tx_event *events, **events_tail;
	int node_delta; /* nodes the connection's domain gains on commit */
	int failed;	/* a change went half way: the error END gives */
};

/* A queued message for the client: header and payload. */
struct outmsg {
	struct outmsg *next;
	uint32_t len; /* header + payload */
	bool event;
	uint8_t data[];
};

struct domain {
	struct domain *next;
	domid_t domid;
	bool introduced;
	bool shutdown;	 /* @releaseDomain fired for its shutdown */
	bool has_target; /* SET_TARGET: acts for target's nodes */
	domid_t target;
	unsigned int nodes;    /* nodes it owns */
	struct xsd_conn *conn; /* its ring's connection, once introduced */
};

struct xsd_conn {
	struct xsd_store *store;
	struct xsd_conn *next;
	domid_t domid;
	bool privileged;
	bool broken;	   /* broke the protocol: no more input */
	bool domain_owned; /* created by INTRODUCE, freed by RELEASE */
	void *priv;
	/* The request being read. */
	struct xsd_sockmsg hdr;
	uint32_t in_have; /* bytes of header, then of payload */
	bool in_header;
	char in[XENSTORE_PAYLOAD_MAX];
	/* Output queue. */
	struct outmsg *out, **out_tail;
	uint32_t out_off;	  /* bytes of the head already taken */
	unsigned int out_replies; /* replies queued (not events) */
	size_t out_bytes;
	/* State. */
	struct watch *watches;
	unsigned int nwatches;
	struct transaction *txs;
	unsigned int ntxs;
	uint32_t next_txid;
};

/* A permission list as a special node keeps it. */
struct perm_list {
	struct xs_perm *p;
	uint16_t n;
};

struct xsd_store {
	const struct xsd_ops *ops;
	void *ctx;
	struct xsd_limits limits;
	struct htable nodes;
	uint64_t generation;
	struct xsd_conn *conns;
	struct domain *domains;
	struct perm_list introduce_perms, release_perms;
	uint32_t *owned; /* nodes each domain owns, by domid */
	struct xsd_stats stats;
};

/* The request being run. */
struct req {
	struct xsd_store *s;
	struct xsd_conn *conn;
	struct transaction *tx; /* NULL: outside any transaction */
	const struct xsd_sockmsg *hdr;
	const char *data;
	uint32_t len;
};

static inline bool conn_limited(const struct xsd_conn *c)
{
	return !c->privileged;
}

static inline bool streq(const char *a, const char *b)
{
	return !strcmp(a, b);
}

// hashtable.c
int ht_init(struct htable *t, uint32_t nbuckets);
void ht_destroy(struct htable *t);
struct hentry *ht_find(const struct htable *t, const char *key);
void ht_insert(struct htable *t, struct hentry *e);
void ht_remove(struct htable *t, struct hentry *e);
struct hentry *ht_next(const struct htable *t, struct hentry *e,
		       uint32_t *bucket);

// db.c
struct node *node_new(const char *path, const struct xs_perm *perms,
		      uint16_t nperms, const char *value, uint32_t value_len,
		      const char *children, uint32_t children_len);
struct node *node_copy(const struct node *n, const char *path);
struct node *node_with_value(const struct node *n, const char *value,
			     uint32_t len);
struct node *node_with_perms(const struct node *n, const struct xs_perm *perms,
			     uint16_t nperms);
struct node *node_with_child(const struct node *n, const char *name);
struct node *node_without_child(const struct node *n, const char *name);
void node_free(struct node *n);
size_t node_record_size(const struct node *n);
struct node *db_get(const struct xsd_store *s, const char *path);
void db_put(struct xsd_store *s, struct node *n);
void db_del(struct xsd_store *s, const char *path);
void db_clear(struct xsd_store *s);

// path.c
int path_canonical(const struct req *r, const char *in, char **out);
bool path_valid(const char *path);
bool path_is_special(const char *path);
bool path_is_child(const char *child, const char *parent);
char *path_parent(const char *path);
char *path_join(const char *dir, const char *name);
const char *path_basename(const char *path);
void domain_path(domid_t domid, char *buf);
char *str_dup(const char *s);
int parse_decimal(const char *s, uint64_t max, uint64_t *out);

// perms.c
unsigned int perm_for_conn(const struct xsd_conn *c, const struct xs_perm *p,
			   uint16_t n);
int perms_parse(const char *strings, uint32_t len, struct xs_perm **out,
		uint16_t *n);
int perms_format(const struct xs_perm *p, uint16_t n, char **out,
		 uint32_t *len);
bool perms_mention(const struct xs_perm *p, uint16_t n, domid_t domid);
struct xs_perm *perms_dup(const struct xs_perm *p, uint16_t n);

// node.c
int node_read(const struct req *r, const char *path, const struct node **out);
int node_write(const struct req *r, struct node *n);
int node_delete(const struct req *r, const char *path);
int get_node(const struct req *r, const char *path, unsigned int perm,
	     const struct node **out);
int node_create(const struct req *r, const char *path, const char *value,
		uint32_t len);
int node_remove_tree(const struct req *r, const char *path);
int node_check_size(const struct req *r, const struct node *n);

// ops_node.c
int do_read(const struct req *r);
int do_write(const struct req *r);
int do_mkdir(const struct req *r);
int do_rm(const struct req *r);
int do_directory(const struct req *r);
int do_directory_part(const struct req *r);
int do_get_perms(const struct req *r);
int do_set_perms(const struct req *r);

// transaction.c
struct transaction *tx_find(const struct xsd_conn *c, uint32_t id);
struct tx_entry *tx_lookup(struct transaction *t, const char *path);
int tx_record(const struct req *r, const char *path, const struct node *n,
	      struct tx_entry **out);
int tx_queue_event(struct transaction *t, const char *path, bool exact,
		   const struct xs_perm *perms, uint16_t nperms);
void tx_free_all(struct xsd_conn *c);
int do_transaction_start(const struct req *r);
int do_transaction_end(const struct req *r);

// watch.c
void fire_watches(const struct req *r, const char *path, bool exact,
		  const struct xs_perm *perms, uint16_t nperms);
void fire_watches_now(struct xsd_store *s, const char *path, bool exact,
		      const struct xs_perm *perms, uint16_t nperms);
void fire_special(struct xsd_store *s, const char *name);
void watch_free_all(struct xsd_conn *c);
int do_watch(const struct req *r);
int do_unwatch(const struct req *r);
int do_reset_watches(const struct req *r);

// domain.c
struct domain *domain_find(const struct xsd_store *s, domid_t domid);
void domain_nodes_add(struct xsd_store *s, domid_t domid, int delta);
unsigned int domain_nodes(const struct xsd_store *s, domid_t domid);
bool domain_acts_for(const struct xsd_conn *c, domid_t owner);
void domain_free_all(struct xsd_store *s);
void domain_conn_gone(struct xsd_conn *c);
int do_introduce(const struct req *r);
int do_release(const struct req *r);
int do_resume(const struct req *r);
int do_get_domain_path(const struct req *r);
int do_is_domain_introduced(const struct req *r);
int do_set_target(const struct req *r);

// conn.c
int conn_queue(struct xsd_conn *c, uint32_t type, uint32_t req_id,
	       uint32_t tx_id, const void *data, uint32_t len, bool event);
void conn_queue_event(struct xsd_conn *c, const char *path, const char *token);
void conn_drop_output(struct xsd_conn *c);
void conn_free_state(struct xsd_conn *c);

// message.c
int reply(const struct req *r, const void *data, uint32_t len);
int reply_ok(const struct req *r);
int arg_one(const struct req *r, const char **arg);
int arg_strings(const struct req *r, const char **vec, unsigned int n);
unsigned int arg_count(const struct req *r);
void process_message(struct xsd_conn *c);
int do_control(const struct req *r);

#endif /* XENSTORE_CORE_H */
