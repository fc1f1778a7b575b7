/* SPDX-License-Identifier: BSD-2-Clause */
/* The privileged helper's state, shared by its files (helper*.c). */
#ifndef OPENPPTP_PRIVSEP_HELPER_INTERNAL_H
#define OPENPPTP_PRIVSEP_HELPER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "privsep/privsep.h"
#include "sys/netlink.h"

#define HELPER_TAG "privsep-helper"

/* What --dns changed, to undo it. */
enum helper_dns_state {
	HELPER_DNS_NONE = 0,
	HELPER_DNS_RESOLVCONF, /* resolvconf -a IFNAME was run */
	HELPER_DNS_FILE,       /* --resolv-conf rewritten; backup kept */
};

struct helper {
	const struct privsep_config *cfg;
	int fd;
	struct privsep_policy policy;
	uint32_t *statics; /* server: static addresses of the secrets file */
	struct netlink nl;
	bool nl_open;
	/* client */
	char ifname[PRIVSEP_IFNAME_SIZE]; /* the TUN we opened last */
	struct netlink_route pinned;
	bool pinned_added;
	uint32_t server; /* the server address of this attempt (SERVER_PIN; PEERNAME) */
	enum helper_dns_state dns;
	uint8_t dns6[2][16]; /* DNS6_ADD since the last TUN_OPEN */
	unsigned dns6_count;
	char *resolv_backup; /* NULL with dns == FILE: there was no file */
	size_t resolv_backup_len;
	/* A TUN was opened and --down has not run since: at EOF the helper
	 * runs it with the addresses it saw last (TUN_OPEN, DNS_APPLY). */
	bool down_pending;
	struct privsep_request link;
	/* server */
	bool control_unlinked;
	/* The channel while the main process lives; -1 once it is gone (the
	 * undoing at EOF must not be cut short by the hang-up itself). */
	int abort_fd;
};

/* helper_ops.c: the requests that are one netlink or file operation. */
void helper_route(struct helper *h, const struct privsep_request *r, struct privsep_answer *a);
void helper_dns6_add(struct helper *h, const struct privsep_request *r, struct privsep_answer *a);
void helper_addr6_add(struct helper *h, const struct privsep_request *r, struct privsep_answer *a);
void helper_routes6_up(struct helper *h, struct privsep_answer *a);
void helper_secrets_read(struct helper *h, struct privsep_answer *a);
int helper_statics_load(struct helper *h, const char *text, size_t len);
void helper_control_unlink(struct helper *h, struct privsep_answer *a);
void helper_tun_open(struct helper *h, const struct privsep_request *r, struct privsep_answer *a);
void helper_routes_up(struct helper *h, struct privsep_answer *a);
void helper_server_pin(struct helper *h, const struct privsep_request *r, struct privsep_answer *a);
void helper_server_unpin(struct helper *h, struct privsep_answer *a);

/* helper_client.c: --dns and the hooks, which run programs. */
void helper_dns_apply(struct helper *h, const struct privsep_request *r, struct privsep_answer *a);
void helper_dns_restore(struct helper *h, struct privsep_answer *a);
void helper_hook_run(struct helper *h, const struct privsep_request *r, struct privsep_answer *a);

/* helper_spawn.c: execve path with argv and env, stdin from input (NULL:
 * /dev/null), and wait at most timeout_s, or until abort_fd (the channel;
 * -1: none) hangs up; then SIGKILL to its process group, logged with
 * `what`. Returns the exit code, 128 + signal, ERR_TIMEOUT, ERR_CLOSED, or
 * another negative error. */
int helper_spawn_wait(const char *what, const char *path, char *const argv[], char *const env[], const char *input,
		      size_t input_len, unsigned timeout_s, int abort_fd);

#endif
