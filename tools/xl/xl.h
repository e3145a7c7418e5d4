/*
 * dom0's xl: the commands (xl list, create, destroy, ...), the table of
 * domains dom0 knows by name, dom0's ramdisk and console prompt. Private
 * to tools/xl; the hypercall wrappers it uses are <ctrl/ctrl.h>.
 *
 * xl keeps no state in the hypervisor beyond the domains themselves:
 * names, configurations and shutdown actions live in the table in
 * domains.c (in a later issue, in xenstore).
 */
#ifndef XL_XL_H
#define XL_XL_H

#include <ctrl/build.h>
#include <ctrl/ctrl.h>
#include <ctrl/xlcfg.h>
#include <paravane/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XL_MAX_ARGS 16
#define XL_LINE_MAX 512
#define XL_MAX_DOMAINS 64

/* A domain dom0 created (or dom0 itself), as the table holds it. */
struct xl_domain {
	domid_t domid;
	char name[XLCFG_NAME_MAX];
	struct xl_config *cfg; /* NULL for dom0 */
	bool shutdown_handled; /* its shutdown was reported and acted on */
	uint64_t console_pos;  /* in its console log: where expect matched */
};

// tools/xl/commands.c
int xl_run_line(char *line);
int xl_split(char *line, char **argv, int max);

// tools/xl/domains.c
void domains_init(void);
struct xl_domain *domains_add(domid_t domid, const char *name,
			      struct xl_config *cfg);
void domains_remove(struct xl_domain *d);
struct xl_domain *domains_by_id(domid_t domid);
struct xl_domain *domains_by_name(const char *name);
const char *domains_name(domid_t domid);
int domains_lookup(const char *arg, domid_t *domid);
int domains_destroy(domid_t domid);
void domains_check_shutdowns(void);
int domains_list(ctrl_dominfo_t *info, unsigned int max, unsigned int *nr);
const char *shutdown_reason_name(unsigned int reason);

// tools/xl/create.c
int create_domains(struct xl_config **cfgs, unsigned int n, bool paused,
		   domid_t *domids);
int create_from_file(const char *path, bool paused, domid_t *domid);
void create_autostart(void);

// tools/xl/ramdisk.c
void ramdisk_init(void);
int ramdisk_file(const char *path, const void **data, size_t *len);
int ramdisk_dir(const char *dir, void (*fn)(const char *path, void *arg),
		void *arg);
bool ramdisk_present(void);

// tools/xl/events.c
void xl_events_init(void);
int xl_events_wait(uint64_t deadline, bool *console_input);
void xl_events_sleep_ms(unsigned int ms);

// tools/xl/prompt.c
void prompt_show(void);
void prompt_hide(void);
void prompt_input(void);
int prompt_read_input(char *buf, int max);
void prompt_show_output(const char *text, size_t len);
void prompt_output_quiet(void);
void xl_log(const char *fmt, ...) __printf(1, 2);

// tools/xl/cmd_domain.c
int cmd_list(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_unpause(int argc, char **argv);
int cmd_shutdown(int argc, char **argv);
int cmd_wait(int argc, char **argv);

// tools/xl/cmd_info.c
int cmd_info(int argc, char **argv);
int cmd_dmesg(int argc, char **argv);
int cmd_top(int argc, char **argv);

// tools/xl/cmd_console.c
void xl_console_init(void);
void xl_console_attach(const struct build_info *bi, const char *name);
int cmd_console(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_expect(int argc, char **argv);

// tools/xl/cmd_vcpu.c
int cmd_vcpu_list(int argc, char **argv);
int cmd_vcpu_pin(int argc, char **argv);
int cmd_sched_credit(int argc, char **argv);

// tools/xl/store.c
struct build_info;
int store_domain_created(const struct xl_config *cfg,
			 const struct build_info *bi);
void store_domain_gone(domid_t domid);
void store_domain_shutdown(domid_t domid);
int store_request_shutdown(domid_t domid, const char *reason);

// tools/xl/cmd_xenstore.c
int cmd_xenstore_ls(int argc, char **argv);
int cmd_xenstore_read(int argc, char **argv);
int cmd_xenstore_write(int argc, char **argv);
int cmd_xenstore_rm(int argc, char **argv);

#endif /* XL_XL_H */
