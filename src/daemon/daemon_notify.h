/* SPDX-License-Identifier: BSD-2-Clause */
/* Telling systemd how the daemon is doing (Type=notify units): READY=1 once
 * listening, RELOADING=1 then READY=1 around a SIGHUP reload, STATUS= with
 * the session count, WATCHDOG=1 from a loop timer at half of
 * $WATCHDOG_USEC, STOPPING=1 at the end. Without $NOTIFY_SOCKET every call
 * is a no-op, so the daemon calls them unconditionally. */
#ifndef OPENPPTP_DAEMON_DAEMON_NOTIFY_H
#define OPENPPTP_DAEMON_DAEMON_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "sys/loop.h"
#include "sys/sd_notify.h"

/* STATUS= lines at most this often: a burst of logins is one update. */
#define DAEMON_NOTIFY_STATUS_MIN_MS 1000

struct daemon_notify {
	struct sd_notify sock;
	struct loop *loop;
	const char *tag;
	struct loop_timer watchdog;
	uint64_t watchdog_ms; /* interval; 0: no watchdog */
	struct loop_timer status_timer;
	unsigned sessions;     /* the count last reported... */
	unsigned sessions_now; /* ...and the current one */
	uint64_t status_sent_ms;
	bool ready;
};

/* Opens $NOTIFY_SOCKET: call before dropping privileges (and before a
 * seccomp filter that allows send but not socket/connect). */
void daemon_notify_init(struct daemon_notify *dn, struct loop *loop, const char *tag);
void daemon_notify_ready(struct daemon_notify *dn);
void daemon_notify_reloading(struct daemon_notify *dn);
/* The session count changed: STATUS= now, or once the rate limit allows. */
void daemon_notify_sessions(struct daemon_notify *dn, unsigned sessions);
/* STOPPING=1, timers off, socket closed. */
void daemon_notify_close(struct daemon_notify *dn);

/* "READY=1\nSTATUS=..." style text, exposed for the unit tests. */
int daemon_notify_status_text(char *out, size_t size, unsigned sessions);

#endif
