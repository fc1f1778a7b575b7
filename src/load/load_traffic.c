/* SPDX-License-Identifier: BSD-2-Clause */
/* Echo traffic of the load sessions: each UP session sends ICMP echo
 * requests to the server's tunnel address at --traffic PPS, through its
 * engine (MPPE-encrypted on the wire); the engines write what they decrypt
 * to one datagram socketpair standing in for a TUN, read here and matched
 * to the session by ICMP identifier = session index. */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "load/load_icmp.h"
#include "load/load_internal.h"

#define LOAD_TRAFFIC_SOCKBUF (4 * 1024 * 1024)
#define LOAD_TRAFFIC_READS 256

static uint64_t interval_ms(const struct load_run *run)
{
	uint64_t ms = 1000u / run->traffic_pps;
	return ms ? ms : 1;
}

void load_traffic_start(struct load_session *s)
{
	struct load_run *run = s->run;
	s->next_seq = 0;
	/* The first echo one interval after the link is up, spread over the
	 * next: a server may still be installing the session's route when it
	 * reports the link up (openpptp's privilege-separated server asks its
	 * helper and hears back later), and an echo sent at once was lost. */
	uint64_t first = sys_now_ms() + interval_ms(run) + s->index % interval_ms(run);
	(void)loop_timer_set(&run->loop, &s->timer, first);
}

void load_traffic_on_timer(struct load_session *s)
{
	struct load_run *run = s->run;
	if (!s->call || run->phase >= LOAD_PHASE_DRAIN)
		return;
	struct pkt *p = pkt_new(PKT_SIZE, PKT_HEADROOM);
	if (p) {
		struct load_echo e = {
			.src = s->tunnel_local,
			.dst = s->tunnel_peer,
			.id = (uint16_t)s->index,
			.seq = s->next_seq++,
			.sent_us = load_now_us(),
		};
		uint8_t *buf = pkt_put(p, run->traffic_size);
		if (buf && load_icmp_build(buf, run->traffic_size, run->traffic_size, &e) > 0) {
			run->echo_sent++;
			daemon_tunnel_send_ip(&s->dt, s->call, p, sys_now_ms());
		} else {
			pkt_free(p);
		}
	}
	if (s->state == LOAD_SESSION_UP)
		(void)loop_timer_set(&run->loop, &s->timer, sys_now_ms() + interval_ms(run));
}

static void on_reply(struct load_run *run, const uint8_t *ip, size_t len, uint64_t now_us)
{
	struct load_echo e;
	enum load_icmp_verdict v = load_icmp_parse_reply(ip, len, &e);
	if (v == LOAD_ICMP_NOT_ICMP || e.id >= run->nsessions) {
		run->echo_stray++;
		return;
	}
	struct load_session *s = &run->sessions[e.id];
	if (e.dst != s->tunnel_local) {
		run->echo_stray++;
		return;
	}
	if (v == LOAD_ICMP_CORRUPT) {
		run->echo_corrupt++;
		return;
	}
	run->echo_received++;
	uint64_t rtt = now_us > e.sent_us ? now_us - e.sent_us : 0;
	(void)load_samples_add(&run->rtt, rtt > UINT32_MAX ? UINT32_MAX : (uint32_t)rtt);
}

static void on_readable(struct loop *loop, struct loop_fd *w, uint32_t events, void *ctx)
{
	struct load_run *run = ctx;
	(void)loop;
	(void)w;
	(void)events;
	uint8_t buf[PKT_SIZE];
	for (int i = 0; i < LOAD_TRAFFIC_READS; i++) {
		ssize_t n = recv(run->tun_read_fd, buf, sizeof(buf), 0);
		if (n < 0)
			return; /* EAGAIN: drained; anything else shows up as loss */
		on_reply(run, buf, (size_t)n, load_now_us());
	}
}

static enum daemon_tun_drop no_route(void *ctx, struct pkt *ip, uint64_t now_ms)
{
	(void)ctx;
	(void)ip;
	(void)now_ms;
	return DAEMON_TUN_DROP_NO_SESSION; /* nothing reads this end */
}

static void grow_buffer(int fd, int opt_force, int opt)
{
	int size = LOAD_TRAFFIC_SOCKBUF;
	/* FORCE beyond net.core.*mem_max needs CAP_NET_ADMIN; else the capped size. */
	if (setsockopt(fd, SOL_SOCKET, opt_force, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
}

int load_traffic_open(struct load_run *run)
{
	int sv[2];
	daemon_tun_init(&run->tun, &run->loop, no_route, run);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
		return errno == EMFILE || errno == ENFILE ? ERR_LIMIT : ERR_IO;
	grow_buffer(sv[0], SO_SNDBUFFORCE, SO_SNDBUF);
	grow_buffer(sv[1], SO_RCVBUFFORCE, SO_RCVBUF);
	run->tun.dev.fd = sv[0];
	run->tun_read_fd = sv[1];
	return loop_fd_add(&run->loop, &run->tun_watch, sv[1], LOOP_READ, on_readable, run);
}

void load_traffic_close(struct load_run *run)
{
	loop_fd_remove(&run->loop, &run->tun_watch);
	if (run->tun_read_fd >= 0)
		close(run->tun_read_fd);
	run->tun_read_fd = -1;
	daemon_tun_close(&run->tun);
}
