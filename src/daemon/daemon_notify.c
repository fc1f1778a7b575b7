/* SPDX-License-Identifier: BSD-2-Clause */
/* sd_notify messages from the event loop (see daemon_notify.h). */
#include "daemon/daemon_notify.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "base/error.h"
#include "base/log.h"

int daemon_notify_status_text(char *out, size_t size, unsigned sessions)
{
	return snprintf(out, size, "STATUS=%u session%s up", sessions, sessions == 1 ? "" : "s");
}

static void daemon_notify_send(struct daemon_notify *dn, const char *text)
{
	int rc = sd_notify_send(&dn->sock, text);
	if (rc < 0)
		log_msg(LOG_LEVEL_DEBUG, dn->tag, "sd_notify: %s", error_name(rc));
}

static void daemon_notify_status_now(struct daemon_notify *dn)
{
	char text[64];
	daemon_notify_status_text(text, sizeof(text), dn->sessions_now);
	daemon_notify_send(dn, text);
	dn->sessions = dn->sessions_now;
	dn->status_sent_ms = loop_now(dn->loop);
}

static void daemon_notify_status_due(struct loop *loop, struct loop_timer *t, void *ctx)
{
	(void)loop;
	(void)t;
	struct daemon_notify *dn = ctx;
	if (dn->sessions_now != dn->sessions)
		daemon_notify_status_now(dn);
}

/* Half the interval systemd waits, as sd_watchdog_enabled(3) advises, so one
 * late iteration does not get the service killed. */
static void daemon_notify_watchdog_due(struct loop *loop, struct loop_timer *t, void *ctx)
{
	struct daemon_notify *dn = ctx;
	daemon_notify_send(dn, "WATCHDOG=1");
	loop_timer_set(loop, t, loop_now(loop) + dn->watchdog_ms);
}

void daemon_notify_init(struct daemon_notify *dn, struct loop *loop, const char *tag)
{
	*dn = (struct daemon_notify){ .loop = loop, .tag = tag };
	loop_timer_init(&dn->watchdog, daemon_notify_watchdog_due, dn);
	loop_timer_init(&dn->status_timer, daemon_notify_status_due, dn);
	if (sd_notify_open_env(&dn->sock) < 0)
		log_msg(LOG_LEVEL_WARN, tag, "NOTIFY_SOCKET is set but cannot be used: systemd will not hear from us");
	uint64_t usec = dn->sock.fd >= 0 ? sd_notify_watchdog_usec() : 0;
	if (usec)
		dn->watchdog_ms = usec / 2000 ? usec / 2000 : 1;
}

void daemon_notify_ready(struct daemon_notify *dn)
{
	char text[80];
	int n = snprintf(text, sizeof(text), "READY=1\n");
	daemon_notify_status_text(text + n, sizeof(text) - (size_t)n, dn->sessions_now);
	daemon_notify_send(dn, text);
	dn->sessions = dn->sessions_now;
	dn->status_sent_ms = loop_now(dn->loop);
	if (!dn->ready && dn->watchdog_ms) {
		daemon_notify_send(dn, "WATCHDOG=1");
		loop_timer_set(dn->loop, &dn->watchdog, loop_now(dn->loop) + dn->watchdog_ms);
	}
	dn->ready = true;
}

/* systemd >= 253 (Type=notify-reload) wants MONOTONIC_USEC with
 * RELOADING=1 to tell this reload from an older one; 252 ignores it. */
void daemon_notify_reloading(struct daemon_notify *dn)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t usec = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
	char text[64];
	snprintf(text, sizeof(text), "RELOADING=1\nMONOTONIC_USEC=%" PRIu64, usec);
	daemon_notify_send(dn, text);
}

void daemon_notify_sessions(struct daemon_notify *dn, unsigned sessions)
{
	dn->sessions_now = sessions;
	if (!dn->ready || dn->sock.fd < 0 || sessions == dn->sessions)
		return;
	uint64_t due = dn->status_sent_ms + DAEMON_NOTIFY_STATUS_MIN_MS;
	if (loop_now(dn->loop) >= due)
		daemon_notify_status_now(dn);
	else if (!timer_armed(&dn->status_timer))
		loop_timer_set(dn->loop, &dn->status_timer, due);
}

void daemon_notify_close(struct daemon_notify *dn)
{
	if (!dn->loop)
		return;
	if (dn->ready)
		daemon_notify_send(dn, "STOPPING=1");
	loop_timer_cancel(dn->loop, &dn->watchdog);
	loop_timer_cancel(dn->loop, &dn->status_timer);
	sd_notify_close(&dn->sock);
	dn->ready = false;
}
