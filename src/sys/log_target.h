/* SPDX-License-Identifier: BSD-2-Clause */
/* Where log lines go (--log-target):
 *   stderr   the default; when stderr is journald's stream ($JOURNAL_STREAM
 *            names its device and inode, systemd.exec(5)) it becomes journal
 *   journal  native fields to journald's socket (base/log_format.h), so
 *            `journalctl -u openpptp-server SESSION=192.0.2.2:40000` finds a
 *            session's lines; without the socket, "<N>" priority prefixes
 *            on stderr (sd-daemon(3)), which journald files by severity too
 *   syslog   syslog(3), facility daemon
 * Set up before the privilege drop: the journal and syslog sockets are
 * opened and connected here, so logging later needs only send(). */
#ifndef OPENPPTP_SYS_LOG_TARGET_H
#define OPENPPTP_SYS_LOG_TARGET_H

#include <stdbool.h>

enum log_target {
	LOG_TARGET_STDERR = 0, /* the order of the option's choices */
	LOG_TARGET_JOURNAL = 1,
	LOG_TARGET_SYSLOG = 2,
};

/* What the lines really look like once set up. */
enum log_mode {
	LOG_MODE_STDERR,
	LOG_MODE_PREFIXED,
	LOG_MODE_JOURNAL,
	LOG_MODE_SYSLOG,
};

#define LOG_JOURNAL_SOCKET "/run/systemd/journal/socket"

/* Installs the sink for target (journal_socket: NULL for journald's). */
enum log_mode log_target_setup(enum log_target target, const char *journal_socket);
/* Back to plain stderr; closes what setup opened. */
void log_target_close(void);
/* $JOURNAL_STREAM is "DEV:INO" of our stderr. */
bool log_stderr_is_journal(void);

#endif
