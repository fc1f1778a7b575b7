/* SPDX-License-Identifier: BSD-2-Clause */
/* Privilege separation (model: OpenBSD npppd): the daemon opens what needs
 * root, forks a small privileged helper, and the main process, which parses
 * everything that comes from the network, drops to an unprivileged user with
 * no capabilities, NO_NEW_PRIVS and a seccomp allow-list. The helper serves
 * the fixed request set of privsep_msg.h over a SOCK_SEQPACKET socketpair,
 * validating each request (privsep_policy.h) against what this config fixed
 * at start. docs/privsep.md has the whole picture. */
#ifndef OPENPPTP_PRIVSEP_PRIVSEP_H
#define OPENPPTP_PRIVSEP_PRIVSEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/ipv4.h"
#include "privsep/privsep_msg.h"
#include "privsep/privsep_policy.h"
#include "sys/loop.h"

#define PRIVSEP_HOOK_TIMEOUT_S 30
#define PRIVSEP_RESOLVCONF_TIMEOUT_S 10
#define PRIVSEP_SECRETS_LIMIT (16u << 20)
/* Requests queued in the main process at most (sent or not, unanswered). */
#define PRIVSEP_QUEUE_MAX 4096

struct privsep_prefix {
	uint32_t dst; /* host order */
	uint8_t len;
};

/* Everything the helper will ever act on, fixed before the fork. Pointers
 * stay valid in the helper (it is a fork of this process). */
struct privsep_config {
	enum privsep_role role;
	/* server */
	int tun_ifindex;
	uint32_t local_ip;
	struct ipv4_range pool;
	const char *secrets_path;
	const char *control_socket; /* NULL: none */
	uint32_t tun_mtu;           /* route MTUs (issue 12 §1) are at most this */
	const struct ipv4_prefix *framed_allow; /* --framed-route-allow */
	size_t framed_allow_count;
	bool ipv6_pool_set;
	struct ipv6_prefix ipv6_pool;
	/* client */
	const char *ifname; /* TUN name or template ("pptp%d") */
	bool tun_offload;   /* --tun-offload on: IFF_VNET_HDR + TUNSETOFFLOAD */
	uint32_t server;
	const uint32_t *servers; /* every address of the server's name: SERVER_PIN pins one of these */
	size_t server_count;
	const struct privsep_prefix *routes;
	size_t route_count;
	bool default_route;
	const char *up_hook, *down_hook;
	bool dns;
	const char *resolv_conf;
	bool ipv6; /* --ipv6: addresses on the TUN, and these routes */
	const struct ipv6_prefix *routes6;
	size_t route6_count;
	unsigned hook_timeout_s; /* 0: PRIVSEP_HOOK_TIMEOUT_S */
};

/* ---- start ---- */

/* The user the main process runs as when --user is not given: "openpptp"
 * when that system user exists, else "nobody". */
const char *privsep_default_user(void);

struct privsep_channel;

/* Fork the helper. In the child this never returns (the helper serves
 * requests until the socketpair closes, then undoes what it did and exits).
 * In the parent, ch is ready (not yet on a loop). 0 or a negative error. */
int privsep_start(const struct privsep_config *cfg, struct privsep_channel *ch);

/* Drop the main process: to user/group with every capability set empty
 * (sys/privileges.h), then the seccomp allow-list for the role
 * (sys/sandbox.h). no_privsep: stay root without seccomp (debugging). */
int privsep_drop(enum privsep_role role, const char *user, const char *group, bool no_privsep);

/* ---- the main process's side of the channel ---- */

/* Called with the answer to a request (a->fd >= 0 is the callee's to close
 * or keep). ctx must live until the answer comes or privsep_drain returns. */
typedef void (*privsep_answer_fn)(void *ctx, const struct privsep_answer *a);
/* The helper is gone (EOF, error, or a malformed answer). */
typedef void (*privsep_lost_fn)(void *ctx);

struct privsep_pending {
	uint32_t id;
	enum privsep_op op;
	uint8_t len;
	uint8_t msg[PRIVSEP_MSG_MAX];
	privsep_answer_fn fn;
	void *ctx;
};

enum privsep_channel_state {
	PRIVSEP_CHANNEL_CLOSED = 0,
	PRIVSEP_CHANNEL_OPEN,
	PRIVSEP_CHANNEL_LOST, /* the helper died or misbehaved */
};

struct privsep_channel {
	enum privsep_channel_state state;
	int fd;
	pid_t helper;
	uint32_t next_id;
	/* Ring of unanswered requests, oldest first: the helper serves them
	 * one at a time, so answers come in this order. The first nsent are
	 * on the socket; the rest wait for room. */
	struct privsep_pending *queue;
	size_t head, count, cap, nsent;
	struct loop *loop; /* NULL: not attached */
	struct loop_fd watch;
	privsep_lost_fn on_lost;
	void *lost_ctx;
};

/* Watch the channel on loop: answers are dispatched as readable events,
 * queued requests written as the socket drains. */
int privsep_channel_attach(struct privsep_channel *ch, struct loop *loop, privsep_lost_fn on_lost, void *ctx);
void privsep_channel_detach(struct privsep_channel *ch);

/* Queue a request (id assigned here); never blocks. 0, ERR_LIMIT (queue
 * full), ERR_CLOSED (helper gone), ERR_INVALID. */
int privsep_send(struct privsep_channel *ch, const struct privsep_request *r, privsep_answer_fn fn, void *ctx);

/* Blocking, for start and teardown only (no data path then): send r after
 * everything queued, dispatch earlier answers to their callbacks, and copy
 * r's answer to out (out->fd is the caller's). 0 when answered (the helper's
 * verdict is out->status), ERR_TIMEOUT, ERR_CLOSED. */
int privsep_call(struct privsep_channel *ch, const struct privsep_request *r, struct privsep_answer *out,
		 int timeout_ms);
/* Blocking: wait until every queued request is answered. */
int privsep_drain(struct privsep_channel *ch, int timeout_ms);

/* Forget every waiting request's callback (its answer, when it comes, is
 * dropped and any descriptor closed): for an owner that goes away first. */
void privsep_forget(struct privsep_channel *ch);

/* Close our end (the helper undoes what it did and exits) and reap the
 * helper, waiting at most timeout_ms. */
void privsep_channel_close(struct privsep_channel *ch, int timeout_ms);

/* For tests: a channel over an existing socket (no helper process). */
void privsep_channel_init_fd(struct privsep_channel *ch, int fd);

#endif
