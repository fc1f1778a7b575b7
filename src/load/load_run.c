/* SPDX-License-Identifier: BSD-2-Clause */
/* The load run: settings, the fd limit, the sockets, then the phases
 *
 *   RAMP (start --rate sessions per second until --clients)
 *     -> HOLD (until --duration from the start)
 *     -> DRAIN (echoes stopped; up to LOAD_DRAIN_MS for the last replies)
 *     -> CLOSE (every session closed in order; up to LOAD_CLOSE_MS)
 *     -> DONE (report)
 * A stop signal jumps to DRAIN; a second one ends the loop at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/crypto.h"
#include "base/error.h"
#include "config/ipv4.h"
#include "load/load_internal.h"
#include "load/load_icmp.h"
#include "load/load_sources.h"
#include "sys/gre_socket.h"
#include "sys/sys_file.h"
#include "sys/sys_random.h"

#define LOAD_RAMP_TICK_MS 10u
#define LOAD_DRAIN_MS 2000u
#define LOAD_CLOSE_MS 15000u
#define LOAD_FD_SPARE 32u

uint64_t load_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- settings ---- */

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "openpptp load: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	return ERR_INVALID;
}

static int load_credentials(struct load_run *run, const struct load_config *cfg)
{
	char *text;
	size_t len;
	const char *path = cfg->users ? cfg->users : cfg->password_file;
	if (cfg->users && cfg->user)
		return usage_error("give --users FILE or --user with --password-file, not both", NULL);
	if (!cfg->users && (!cfg->user || !cfg->password_file))
		return usage_error("--users FILE, or --user NAME with --password-file FILE, is required", NULL);
	int rc = sys_read_file(path, 16u << 20, &text, &len);
	if (rc < 0)
		return usage_error("cannot read", path);
	run->creds_text = text;
	if (cfg->users) {
		const char *why = "?";
		rc = load_users_parse(text, &run->creds, &run->ncreds, &why);
		return rc < 0 ? usage_error(why, path) : 0;
	}
	text[strcspn(text, "\r\n")] = '\0';
	run->creds = malloc(sizeof(*run->creds));
	if (!run->creds)
		return ERR_NOMEM;
	run->creds[0] = (struct load_credential){ .user = cfg->user, .password = text };
	run->ncreds = 1;
	return 0;
}

static int parse_traffic(struct load_run *run, const char *text)
{
	if (!text)
		return 0;
	char *end;
	long pps = strtol(text, &end, 10), size = 64;
	if (*end == ',')
		size = strtol(end + 1, &end, 10);
	if (*end || pps < 1 || pps > 1000 || size < LOAD_ICMP_MIN_SIZE || size > LOAD_ICMP_MAX_SIZE)
		return usage_error("--traffic PPS[,SIZE]: PPS 1-1000 per session, SIZE 36-1400 bytes", text);
	run->traffic_pps = (uint32_t)pps;
	run->traffic_size = (uint32_t)size;
	return 0;
}

static int load_settings(struct load_run *run, struct load_config *cfg, const char *const *positional, size_t npos)
{
	log_set_level((enum log_level)cfg->log_level);
	const char *server = npos == 1 ? positional[0] : cfg->server;
	if (npos > 1 || !server)
		return usage_error("give one SERVER address (try --help)", NULL);
	/* An address, not a name: the load goes to exactly what was given. */
	if (ipv4_parse(server, &run->server) < 0 || run->server == 0)
		return usage_error("SERVER must be an IPv4 address", server);
	if (daemon_tunnel_settings_init(&run->tunnel, PPTP_ROLE_PNS, "load", cfg->auth, cfg->mppe, cfg->name,
					cfg->pptp_echo_interval, cfg->lcp_echo_interval, cfg->lcp_echo_failures) < 0)
		return ERR_INVALID;
	if (parse_traffic(run, cfg->traffic) < 0)
		return ERR_INVALID;
	return load_credentials(run, cfg);
}

static void free_settings(struct load_run *run, struct load_config *cfg)
{
	if (run->creds_text) {
		crypto_wipe(run->creds_text, strlen(run->creds_text));
		free(run->creds_text);
	}
	free(run->creds);
	struct options o = { .table = &load_option_table, .cfg = cfg };
	options_destroy(&o);
}

/* Soft to hard: one fd per session's control connection, plus the GRE
 * sockets and a few. */
static uint64_t raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	return (uint64_t)rl.rlim_cur;
}

static int open_sources(struct load_run *run, const struct load_config *cfg)
{
	uint32_t *addrs = calloc(LOAD_SOURCES_MAX, sizeof(*addrs));
	if (!addrs)
		return ERR_NOMEM;
	size_t n = 1;
	if (cfg->sources) {
		int rc = load_sources_expand(cfg->sources, addrs, LOAD_SOURCES_MAX, &n);
		if (rc < 0) {
			free(addrs);
			return usage_error(rc == ERR_UNSUPPORTED ? "--sources must lie inside 198.18.0.0/15"
					   : rc == ERR_LIMIT     ? "--sources: at most 4096 addresses"
								 : "--sources: not an IPv4 prefix",
					   cfg->sources);
		}
	}
	run->gre = calloc(n, sizeof(*run->gre));
	if (!run->gre) {
		free(addrs);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct load_gre_source *g = &run->gre[i];
		g->addr = addrs[i];
		daemon_gre_init(&g->gre, &run->loop, load_gre_lookup, run, LOAD_TAG, LOG_LEVEL_DEBUG, &run->log_limit);
		run->ngre++;
		int fd = gre_socket_open(g->addr);
		if (fd < 0 || daemon_gre_attach(&g->gre, fd) < 0) {
			char a[IPV4_STR_MAX];
			fprintf(stderr, "openpptp load: cannot open a raw GRE socket on %s (CAP_NET_RAW; is the address local?): %s\n",
				ipv4_format(g->addr, a), error_name(fd));
			if (fd >= 0)
				close(fd);
			free(addrs);
			return ERR_IO;
		}
	}
	free(addrs);
	return 0;
}

/* ---- phases ---- */

static void enter_close(struct load_run *run)
{
	run->phase = LOAD_PHASE_CLOSE;
	loop_timer_cancel(&run->loop, &run->ramp_timer);
	(void)loop_timer_set(&run->loop, &run->phase_timer, sys_now_ms() + LOAD_CLOSE_MS);
	for (uint32_t i = 0; i < run->nsessions; i++)
		load_session_stop(&run->sessions[i]);
	if (run->ended == run->started)
		loop_stop(&run->loop);
}

static void enter_drain(struct load_run *run)
{
	if (run->phase >= LOAD_PHASE_DRAIN)
		return;
	run->phase = LOAD_PHASE_DRAIN;
	loop_timer_cancel(&run->loop, &run->ramp_timer);
	if (!run->traffic_pps) {
		enter_close(run);
		return;
	}
	(void)loop_timer_set(&run->loop, &run->phase_timer, sys_now_ms() + LOAD_DRAIN_MS);
}

static void on_phase_timer(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct load_run *run = ctx;
	(void)t;
	if (run->phase < LOAD_PHASE_DRAIN)
		enter_drain(run);
	else if (run->phase == LOAD_PHASE_DRAIN)
		enter_close(run);
	else
		loop_stop(loop); /* closes that never completed: counted unfinished */
}

static void on_ramp_timer(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct load_run *run = ctx;
	uint64_t elapsed = load_now_us() - run->t0_us;
	uint64_t due = (uint64_t)run->cfg->rate * elapsed / 1000000u + 1;
	if (due > run->nsessions)
		due = run->nsessions;
	while (run->started < due)
		load_session_start(&run->sessions[run->started]);
	if (run->started == run->nsessions) {
		run->phase = LOAD_PHASE_HOLD;
		return;
	}
	uint64_t tick = 1000u / (uint64_t)run->cfg->rate;
	(void)loop_timer_set(loop, t, sys_now_ms() + (tick > LOAD_RAMP_TICK_MS ? tick : LOAD_RAMP_TICK_MS));
}

static uint32_t failed_total(const struct load_run *run)
{
	uint32_t n = 0;
	for (int i = 0; i < LOAD_FAIL_COUNT; i++)
		n += run->failed[i];
	return n;
}

static void on_progress(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct load_run *run = ctx;
	uint64_t now = load_now_us();
	struct load_summary hs;
	(void)load_samples_summary(&run->handshake, &hs);
	double dt = (double)(now - run->last_progress_us) / 1e6;
	struct load_progress p = {
		.elapsed_s = (double)(now - run->t0_us) / 1e6,
		.up = run->up,
		.negotiating = run->negotiating,
		.failed = failed_total(run),
		.done = run->closed_clean,
		.setups_per_s = dt > 0 ? (run->up_total - run->last_progress_up) / dt : 0,
		.p50_us = hs.p50,
		.p99_us = hs.p99,
	};
	run->last_progress_up = run->up_total;
	run->last_progress_us = now;
	char line[256];
	load_progress_format(&p, line, sizeof(line));
	fprintf(stderr, "%s\n", line);
	(void)loop_timer_set(loop, t, sys_now_ms() + 1000u);
}

static bool stop_begin(void *ctx, int signo)
{
	struct load_run *run = ctx;
	(void)signo;
	enter_drain(run);
	return true;
}

static void stop_end(void *ctx)
{
	struct load_run *run = ctx;
	loop_stop(&run->loop);
}

static const struct daemon_shutdown_ops load_shutdown_ops = {
	.begin = stop_begin,
	.end = stop_end,
};

/* ---- the report ---- */

static int report(struct load_run *run, const struct load_config *cfg, uint64_t end_us)
{
	struct load_report r;
	memset(&r, 0, sizeof(r));
	ipv4_format(run->server, r.server);
	r.clients = run->nsessions;
	r.rate = (uint32_t)cfg->rate;
	r.sources = (uint32_t)run->ngre;
	r.fd_limit = run->fd_limit;
	r.started = run->started;
	r.up_peak = run->up_peak;
	r.up_total = run->up_total;
	r.closed_clean = run->closed_clean;
	memcpy(r.failed, run->failed, sizeof(r.failed));
	r.redials = run->redials;
	r.recovered = run->recovered;
	if (run->recovered)
		r.recovered_at_s = (double)(run->last_recovered_us - run->t0_us) / 1e6;
	if (run->up_total) {
		r.ramp_s = (double)(run->last_up_us - run->t0_us) / 1e6;
		r.setup_rate = r.ramp_s > 0 ? run->up_total / r.ramp_s : 0;
	}
	r.duration_s = (double)(end_us - run->t0_us) / 1e6;
	r.loop_worst_stall_ms = (double)run->loop.stall_worst_us / 1e3;
	(void)load_samples_summary(&run->handshake, &r.handshake);
	(void)load_samples_summary(&run->rtt, &r.rtt);
	r.echo_sent = run->echo_sent;
	r.echo_received = run->echo_received;
	r.echo_corrupt = run->echo_corrupt;
	uint64_t answered = run->echo_received + run->echo_corrupt;
	r.echo_lost = run->echo_sent > answered ? run->echo_sent - answered : 0;
	uint64_t drops[DAEMON_GRE_DROP_COUNT] = { 0 }, rx = 0;
	for (size_t i = 0; i < run->ngre; i++) {
		r.gre_foreign += daemon_gre_foreign(&run->gre[i].gre.stats);
		rx += run->gre[i].gre.stats.rx_datagrams;
		for (int k = 0; k < DAEMON_GRE_DROP_COUNT; k++)
			drops[k] += run->gre[i].gre.stats.dropped[k];
	}
	for (int k = 0; k < DAEMON_GRE_DROP_COUNT; k++)
		if (drops[k])
			log_msg(LOG_LEVEL_INFO, LOAD_TAG, "GRE: %llu of %llu datagrams dropped: %s",
				(unsigned long long)drops[k], (unsigned long long)rx,
				daemon_gre_drop_name((enum daemon_gre_drop)k));
	size_t need = (cfg->json ? load_report_json : load_report_text)(&r, NULL, 0) + 1;
	char *buf = malloc(need);
	if (buf) {
		(cfg->json ? load_report_json : load_report_text)(&r, buf, need);
		fputs(buf, stdout);
		fflush(stdout);
		free(buf);
	}
	bool ok = r.up_total == r.clients && load_report_failed_total(&r) == 0 && r.echo_lost == 0 &&
		  r.echo_corrupt == 0;
	return ok ? LOAD_EXIT_OK : LOAD_EXIT_FAILURES;
}

/* ---- entry point ---- */

static int run_load(struct load_run *run, const struct load_config *cfg)
{
	/* Everything run_free touches is initialised before anything can fail. */
	loop_timer_init(&run->ramp_timer, on_ramp_timer, run);
	loop_timer_init(&run->progress_timer, on_progress, run);
	loop_timer_init(&run->phase_timer, on_phase_timer, run);
	daemon_tun_init(&run->tun, &run->loop, NULL, run);
	loop_fd_init(&run->tun_watch);
	run->tun_read_fd = -1;
	run->fd_limit = raise_fd_limit();
	uint64_t need = (uint64_t)cfg->clients + LOAD_FD_SPARE;
	if (run->fd_limit && run->fd_limit < need) {
		fprintf(stderr, "openpptp load: %d clients need %llu fds; the limit is %llu (ulimit -Hn)\n", cfg->clients,
			(unsigned long long)need, (unsigned long long)run->fd_limit);
		return LOAD_EXIT_USAGE;
	}
	run->nsessions = (uint32_t)cfg->clients;
	run->log_limit = (struct log_limit)LOG_LIMIT_INIT(20, 1000);
	call_ids_init(&run->call_ids, sys_random_source());
	load_samples_init(&run->handshake, 0);
	load_samples_init(&run->rtt, 0);
	run->by_call = calloc(65536, sizeof(*run->by_call));
	run->sessions = calloc(run->nsessions, sizeof(*run->sessions));
	if (!run->by_call || !run->sessions)
		return LOAD_EXIT_ERROR;
	int rc = open_sources(run, cfg);
	if (rc == ERR_INVALID)
		return LOAD_EXIT_USAGE;
	if (rc < 0 || load_traffic_open(run) < 0)
		return LOAD_EXIT_ERROR;
	for (uint32_t i = 0; i < run->nsessions; i++)
		load_session_init(&run->sessions[i], run, i);
	if (daemon_shutdown_init(&run->shutdown, &run->loop, LOAD_TAG, LOAD_CLOSE_MS, &load_shutdown_ops, run) < 0)
		return LOAD_EXIT_ERROR;
	run->t0_us = run->last_progress_us = load_now_us();
	uint64_t now = sys_now_ms();
	(void)loop_timer_set(&run->loop, &run->ramp_timer, now);
	(void)loop_timer_set(&run->loop, &run->progress_timer, now + 1000u);
	(void)loop_timer_set(&run->loop, &run->phase_timer, now + (uint64_t)cfg->duration * 1000u);
	loop_run(&run->loop);
	uint64_t end = load_now_us();
	for (uint32_t i = 0; i < run->nsessions; i++)
		load_session_free(&run->sessions[i]);
	return report(run, cfg, end);
}

static void run_free(struct load_run *run)
{
	loop_timer_cancel(&run->loop, &run->ramp_timer);
	loop_timer_cancel(&run->loop, &run->progress_timer);
	loop_timer_cancel(&run->loop, &run->phase_timer);
	if (run->shutdown.loop)
		daemon_shutdown_destroy(&run->shutdown);
	load_traffic_close(run);
	for (size_t i = 0; i < run->ngre; i++)
		daemon_gre_close(&run->gre[i].gre);
	free(run->gre);
	free(run->sessions);
	free(run->by_call);
	load_samples_free(&run->handshake);
	load_samples_free(&run->rtt);
	loop_destroy(&run->loop);
}

int load_main(int argc, char **argv)
{
	struct load_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	struct load_run *run = calloc(1, sizeof(*run));
	if (!run)
		return LOAD_EXIT_ERROR;
	run->cfg = &cfg;
	struct options o;
	const char *positional[2];
	size_t npos = 0;
	int rc = daemon_options_load(&o, &load_option_table, &cfg, &cfg.config, argc, argv, positional, 2, &npos);
	if (rc != 0) { /* the options are freed already */
		free(run);
		return rc == 1 ? 0 : LOAD_EXIT_USAGE;
	}
	if (load_settings(run, &cfg, positional, npos) < 0) {
		free_settings(run, &cfg);
		free(run);
		return LOAD_EXIT_USAGE;
	}
	if (loop_init(&run->loop) < 0) {
		free_settings(run, &cfg);
		free(run);
		return LOAD_EXIT_ERROR;
	}
	int code = run_load(run, &cfg);
	run_free(run);
	free_settings(run, &cfg);
	free(run);
	return code;
}
