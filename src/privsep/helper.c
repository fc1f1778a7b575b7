/* SPDX-License-Identifier: BSD-2-Clause */
/* The privileged helper: a fork of the daemon taken before the main process
 * drops root. It serves one request at a time, in order, from the main
 * process (the socketpair), each decoded with privsep_request_decode and
 * checked with privsep_policy_check before anything is done. A malformed
 * request means the main process is broken or hostile: the helper undoes
 * what it did and exits, and the main process, seeing EOF, shuts down.
 * When the main process goes (EOF) the helper also undoes everything (runs
 * --down if --up ran, restores DNS, unpins the server route, removes the
 * control socket) and exits. */
#include "privsep/helper_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "sys/privileges.h"

static void helper_execute(struct helper *h, const struct privsep_request *r, struct privsep_answer *a)
{
	switch (r->op) {
	case PRIVSEP_OP_ROUTE_ADD:
	case PRIVSEP_OP_ROUTE_DEL:
		helper_route(h, r, a);
		break;
	case PRIVSEP_OP_SECRETS_READ:
		helper_secrets_read(h, a);
		break;
	case PRIVSEP_OP_CONTROL_UNLINK:
		helper_control_unlink(h, a);
		break;
	case PRIVSEP_OP_TUN_OPEN:
		helper_tun_open(h, r, a);
		break;
	case PRIVSEP_OP_ROUTES_UP:
		helper_routes_up(h, a);
		break;
	case PRIVSEP_OP_SERVER_PIN:
		helper_server_pin(h, r, a);
		break;
	case PRIVSEP_OP_SERVER_UNPIN:
		helper_server_unpin(h, a);
		break;
	case PRIVSEP_OP_DNS_APPLY:
		helper_dns_apply(h, r, a);
		break;
	case PRIVSEP_OP_DNS_RESTORE:
		helper_dns_restore(h, a);
		break;
	case PRIVSEP_OP_HOOK_RUN:
		helper_hook_run(h, r, a);
		break;
	case PRIVSEP_OP_ADDR6_ADD:
		helper_addr6_add(h, r, a);
		break;
	case PRIVSEP_OP_ROUTES6_UP:
		helper_routes6_up(h, a);
		break;
	case PRIVSEP_OP_DNS6_ADD:
		helper_dns6_add(h, r, a);
		break;
	}
}

static int send_answer(int fd, const struct privsep_answer *a)
{
	uint8_t buf[PRIVSEP_MSG_MAX];
	int n = privsep_answer_encode(a, buf, sizeof(buf));
	if (n < 0)
		return n;
	union {
		struct cmsghdr h;
		uint8_t space[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = (size_t)n };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (a->fd >= 0) {
		memset(&control, 0, sizeof(control));
		m.msg_control = &control;
		m.msg_controllen = sizeof(control);
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &a->fd, sizeof(int));
	}
	for (;;) {
		ssize_t sent = sendmsg(fd, &m, MSG_NOSIGNAL);
		if (sent == n)
			return 0;
		if (sent < 0 && errno == EINTR)
			continue;
		return ERR_IO;
	}
}

/* Undo whatever is still in place, newest first. */
static void helper_finish(struct helper *h)
{
	struct privsep_answer ignored = { .fd = -1 };
	if (h->down_pending && h->cfg->down_hook) {
		struct privsep_request down = h->link;
		down.op = PRIVSEP_OP_HOOK_RUN;
		down.hook = PRIVSEP_HOOK_DOWN;
		helper_hook_run(h, &down, &ignored);
	}
	if (h->dns != HELPER_DNS_NONE)
		helper_dns_restore(h, &ignored);
	if (h->pinned_added)
		helper_server_unpin(h, &ignored);
	if (h->cfg->role == PRIVSEP_ROLE_SERVER && h->cfg->control_socket && !h->control_unlinked)
		helper_control_unlink(h, &ignored);
	if (h->nl_open)
		netlink_close(&h->nl);
	free(h->statics);
	free(h->resolv_backup);
}

/* Serve requests until the main process goes. Returns the exit status. */
static int helper_serve(struct helper *h)
{
	for (;;) {
		uint8_t buf[PRIVSEP_MSG_MAX];
		union {
			struct cmsghdr h;
			uint8_t space[CMSG_SPACE(sizeof(int) * 4)];
		} control;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof(control) };
		ssize_t n = recvmsg(h->fd, &m, MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0; /* the main process is gone */
		/* The main process never sends descriptors: any that came are
		 * closed, and the request is refused with the rest. */
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len >= CMSG_LEN(0))
				for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
					int fd;
					memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
					close(fd);
				}
		}
		struct privsep_request r;
		int rc = (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || m.msg_controllen ? ERR_MALFORMED
										      : privsep_request_decode(buf, (size_t)n, &r);
		if (rc < 0) {
			log_msg(LOG_LEVEL_ERROR, HELPER_TAG, "malformed request (%zd bytes): %s: closing", n, error_name(rc));
			return 1;
		}
		struct privsep_answer a = { .op = r.op, .id = r.id, .fd = -1 };
		const char *why;
		a.status = privsep_policy_check(&h->policy, &r, &why);
		if (a.status < 0)
			log_msg(LOG_LEVEL_WARN, HELPER_TAG, "refused %s: %s", privsep_op_name(r.op), why);
		else
			helper_execute(h, &r, &a);
		rc = send_answer(h->fd, &a);
		if (a.fd >= 0)
			close(a.fd);
		if (rc < 0)
			return 0;
	}
}

/* The helper keeps root, but only what it needs: with no program to run
 * (no hooks, no resolvconf) that is CAP_NET_ADMIN (routes, addresses, the
 * client's TUN) and CAP_DAC_READ_SEARCH (a secrets file owned by another
 * user), with NO_NEW_PRIVS. Hooks are administrators' scripts that pppd
 * runs as full root; with one configured, so does the helper. */
static void helper_limit(const struct privsep_config *cfg)
{
	bool runs_programs = cfg->up_hook || cfg->down_hook || cfg->dns;
	if (runs_programs || geteuid() != 0)
		return;
	static const int keep[] = { CAP_NET_ADMIN, CAP_DAC_READ_SEARCH };
	if (sys_limit_capabilities(keep, sizeof(keep) / sizeof(keep[0])) < 0)
		log_msg(LOG_LEVEL_WARN, HELPER_TAG, "could not narrow the helper's capabilities");
}

void privsep_helper_main(const struct privsep_config *cfg, int fd);
void privsep_helper_main(const struct privsep_config *cfg, int fd)
{
	prctl(PR_SET_NAME, "openpptp-priv", 0, 0, 0);
	/* A terminal's ^C or a service manager's SIGTERM reaches the whole
	 * group; the helper ends when the main process does, after undoing. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Nothing of the daemon's but stdio and the channel: no listening
	 * socket, no raw socket, no TUN. */
	if (fd != 3) {
		if (dup2(fd, 3) < 0)
			_exit(1);
		close(fd);
	}
	close_range(4, ~0u, 0);

	struct helper h = { .cfg = cfg, .fd = 3, .abort_fd = 3 };
	h.policy.role = cfg->role;
	h.policy.tun_ifindex = cfg->role == PRIVSEP_ROLE_SERVER ? cfg->tun_ifindex : 0;
	h.policy.local_ip = cfg->local_ip;
	h.policy.pool = cfg->pool;
	h.policy.control_socket = cfg->control_socket != NULL;
	h.policy.tun_mtu = cfg->tun_mtu;
	h.policy.framed_allow = cfg->framed_allow;
	h.policy.framed_allow_count = cfg->framed_allow_count;
	h.policy.up_hook = cfg->up_hook != NULL;
	h.policy.down_hook = cfg->down_hook != NULL;
	h.policy.dns = cfg->dns;
	h.policy.servers = cfg->servers;
	h.policy.server_count = cfg->server_count;
	h.server = cfg->server;
	h.policy.ipv6 = cfg->ipv6;
	h.policy.ipv6_pool_set = cfg->ipv6_pool_set;
	h.policy.ipv6_pool = cfg->ipv6_pool;
	h.nl_open = netlink_open(&h.nl) == 0;
	if (!h.nl_open)
		log_msg(LOG_LEVEL_WARN, HELPER_TAG, "netlink unavailable: routes will not be managed");
	if (cfg->role == PRIVSEP_ROLE_SERVER && cfg->secrets_path) {
		struct privsep_answer a = { .fd = -1 };
		helper_secrets_read(&h, &a); /* learns the static addresses */
		if (a.fd >= 0)
			close(a.fd);
	}
	helper_limit(cfg);
	int status = helper_serve(&h);
	h.abort_fd = -1;
	helper_finish(&h);
	_exit(status);
}
