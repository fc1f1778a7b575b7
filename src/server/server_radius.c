/* SPDX-License-Identifier: BSD-2-Clause */
/* The server's RADIUS client: its settings (--auth-source, --radius-*),
 * the shared secret's file (read at start, still root, like the secrets
 * file; never on the command line), and the client on the daemon core. */
#include "server/server_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/crypto.h"
#include "base/error.h"
#include "sys/sys_file.h"
#include "sys/sys_random.h"
#include "sys/udp_socket.h"

#define RADIUS_TAG "radius"
#define RADIUS_SECRET_FILE_LIMIT 4096

static int parse_server(const char *text, uint16_t default_port, struct daemon_radius_server *out, bool any_ok);

/* "ADDR" or "ADDR:PORT"; any_ok: 0.0.0.0 allowed (a listener). */
int server_parse_addr_port(const char *text, uint16_t default_port, uint32_t *addr_out, uint16_t *port_out,
			   bool any_ok)
{
	struct daemon_radius_server out;
	int rc = parse_server(text, default_port, &out, any_ok);
	*addr_out = out.addr;
	*port_out = out.port;
	return rc;
}

static int parse_server(const char *text, uint16_t default_port, struct daemon_radius_server *out, bool any_ok)
{
	if (ipv4_addr_port_parse(text, default_port, &out->addr, &out->port) < 0 || (out->addr == 0 && !any_ok))
		return ERR_INVALID;
	return 0;
}

static int parse_list(const struct option_list *list, const char *option, uint16_t port,
		      struct daemon_radius_server *out, unsigned *n)
{
	*n = 0;
	for (size_t i = 0; i < list->count; i++) {
		if (*n == RADIUS_CLIENT_MAX_SERVERS) {
			fprintf(stderr, "openpptp server: --%s: at most %d servers\n", option, RADIUS_CLIENT_MAX_SERVERS);
			return ERR_INVALID;
		}
		if (parse_server(list->items[i], port, &out[*n], false) < 0) {
			fprintf(stderr, "openpptp server: --%s %s: not ADDRESS[:PORT]\n", option, list->items[i]);
			return ERR_INVALID;
		}
		(*n)++;
	}
	return 0;
}

int server_pool_pick(void *ctx, const char *name, uint32_t *addr)
{
	const struct server *s = ctx;
	return server_named_pool_pick(&s->named_pools, &s->pool, name, addr);
}

static int named_pools_settings(struct server *s)
{
	const struct server_config *cfg = s->cfg;
	for (size_t i = 0; i < cfg->named_pools.count; i++) {
		const char *why = "";
		if (server_named_pool_add(&s->named_pools, cfg->named_pools.items[i], cfg->pool.first, cfg->pool.last,
					  &why) < 0) {
			fprintf(stderr, "openpptp server: --named-pool %s: %s\n", cfg->named_pools.items[i], why);
			return ERR_INVALID;
		}
	}
	return 0;
}

static int framed_allow_settings(struct server *s)
{
	const struct option_list *l = &s->cfg->framed_route_allow;
	for (size_t i = 0; i < l->count; i++) {
		const char *why = "";
		if (server_framed_allow_add(&s->framed, l->items[i], &why) < 0) {
			fprintf(stderr, "openpptp server: --framed-route-allow %s: %s\n", l->items[i], why);
			return ERR_INVALID;
		}
	}
	return 0;
}

int server_radius_settings(struct server *s)
{
	const struct server_config *cfg = s->cfg;
	struct daemon_radius_config *rc = &s->radius.cfg;
	if (named_pools_settings(s) < 0 || framed_allow_settings(s) < 0)
		return ERR_INVALID;
	if (parse_list(&cfg->radius_servers, "radius-server", 1812, rc->servers[RADIUS_SERVICE_AUTH],
		       &rc->n_servers[RADIUS_SERVICE_AUTH]) < 0 ||
	    parse_list(&cfg->radius_acct_servers, "radius-acct-server", 1813, rc->servers[RADIUS_SERVICE_ACCT],
		       &rc->n_servers[RADIUS_SERVICE_ACCT]) < 0)
		return ERR_INVALID;
	bool wants_radius = cfg->auth_source != SERVER_AUTH_SECRETS;
	if (wants_radius && !rc->n_servers[RADIUS_SERVICE_AUTH]) {
		fprintf(stderr, "openpptp server: --auth-source %s needs --radius-server\n",
			cfg->auth_source == SERVER_AUTH_RADIUS ? "radius" : "radius,secrets");
		return ERR_INVALID;
	}
	if ((rc->n_servers[RADIUS_SERVICE_AUTH] || rc->n_servers[RADIUS_SERVICE_ACCT]) && !cfg->radius_secret_file) {
		fprintf(stderr, "openpptp server: RADIUS servers need --radius-secret-file\n");
		return ERR_INVALID;
	}
	rc->timeout_ms = (unsigned)cfg->radius_timeout * 1000u;
	rc->retries = (unsigned)cfg->radius_retries;
	rc->local_addr = 0; /* the source the route to each server gives */
	return server_dae_settings(s);
}

/* The first line of the file, without its line end. */
int server_read_secret_file(const char *path, uint8_t *out, size_t cap, size_t *len)
{
	char *text;
	size_t n;
	int rc = sys_read_file(path, RADIUS_SECRET_FILE_LIMIT, &text, &n);
	if (rc < 0)
		return rc;
	size_t line = 0;
	while (line < n && text[line] != '\n' && text[line] != '\r')
		line++;
	rc = line == 0 || line > cap ? ERR_INVALID : 0;
	if (rc == 0) {
		memcpy(out, text, line);
		*len = line;
	}
	crypto_wipe(text, n);
	free(text);
	return rc;
}

/* RFC 2865 §5.4: one NAS-IP-Address for the whole server, so that its
 * Accounting-On/-Off names the same NAS as its sessions (sqlippool and
 * radacct clear by it) and several servers never share one: the option,
 * else --listen, else our source toward the first RADIUS server. */
static uint32_t nas_ip_address(const struct server_config *cfg, const struct daemon_radius_config *rc)
{
	if (cfg->nas_ip_address)
		return cfg->nas_ip_address;
	if (cfg->listen)
		return cfg->listen;
	const struct daemon_radius_server *first = NULL;
	if (rc->n_servers[RADIUS_SERVICE_AUTH])
		first = &rc->servers[RADIUS_SERVICE_AUTH][0];
	else if (rc->n_servers[RADIUS_SERVICE_ACCT])
		first = &rc->servers[RADIUS_SERVICE_ACCT][0];
	uint32_t src = 0;
	if (first && udp_route_source(first->addr, first->port, &src) < 0)
		log_msg(LOG_LEVEL_WARN, RADIUS_TAG, "no route to the first RADIUS server: set --nas-ip-address");
	return src;
}

/* Before the drop: the secret's file and the UDP sockets. */
int server_radius_open(struct server *s)
{
	struct daemon_radius_config rc = s->radius.cfg;
	daemon_radius_init(&s->radius);
	struct random_source boot = sys_random_source();
	server_acct_init(s, random_u32(&boot));
	s->acct.nas_ip = nas_ip_address(s->cfg, &rc);
	int err = server_dae_open(s);
	if (err < 0)
		return err;
	if (!rc.n_servers[RADIUS_SERVICE_AUTH] && !rc.n_servers[RADIUS_SERVICE_ACCT]) {
		if (s->dae.fd >= 0)
			server_acct_arm(s); /* a CoA may set a session's timeouts */
		return 0;
	}
	uint8_t secret[RADIUS_SECRET_MAX];
	size_t secret_len = 0;
	err = server_read_secret_file(s->cfg->radius_secret_file, secret, sizeof(secret), &secret_len);
	if (err < 0) {
		log_msg(LOG_LEVEL_ERROR, RADIUS_TAG, "cannot read the RADIUS secret from %s: %s (one line, 1-%d bytes)",
			s->cfg->radius_secret_file, error_name(err), RADIUS_SECRET_MAX);
		return err;
	}
	rc.secret = secret;
	rc.secret_len = secret_len;
	struct random_source rs = sys_random_source();
	err = daemon_radius_open(&s->radius, s->loop, &rc, &rs, server_auth_radius_event, s);
	crypto_wipe(secret, sizeof(secret));
	s->radius.cfg.secret = NULL; /* copied into the engine */
	s->radius.cfg.secret_len = 0;
	if (err < 0)
		return err;
	char nas[IPV4_STR_MAX];
	log_msg(LOG_LEVEL_INFO, RADIUS_TAG,
		"%u authentication and %u accounting server(s), timeout %u ms, %u retries; we are NAS-IP-Address %s, "
		"NAS-Identifier \"%s\"",
		rc.n_servers[RADIUS_SERVICE_AUTH], rc.n_servers[RADIUS_SERVICE_ACCT], rc.timeout_ms, rc.retries,
		s->acct.nas_ip ? ipv4_format(s->acct.nas_ip, nas) : "(none)",
		s->cfg->nas_identifier ? s->cfg->nas_identifier : s->cfg->name);
	server_acct_on(s);
	server_acct_arm(s);
	return 0;
}

void server_radius_close(struct server *s)
{
	server_auth_log_summary(s);
	server_dae_close(s);
	if (s->loop)
		loop_timer_cancel(s->loop, &s->acct_timer);
	daemon_radius_close(&s->radius);
}
