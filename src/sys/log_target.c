/* SPDX-License-Identifier: BSD-2-Clause */
/* Log sinks for journald and syslog (see log_target.h). */
#include "sys/log_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "base/log.h"
#include "base/log_format.h"

#define LOG_IDENTIFIER "openpptp"

static int log_journal_fd = -1;
static bool log_syslog_open;

bool log_stderr_is_journal(void)
{
	const char *stream = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	char end;
	if (!stream || sscanf(stream, "%llu:%llu%c", &dev, &ino, &end) != 2)
		return false;
	struct stat st;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static void log_prefixed_sink(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx;
	char line[768];
	log_format_prefixed(line, sizeof(line), level, tag, message);
	fprintf(stderr, "%s\n", line);
}

/* One datagram per line; if journald cannot take it (its queue is full,
 * it restarted), the line goes to stderr with its prefix rather than away. */
static void log_journal_sink(void *ctx, enum log_level level, const char *tag, const char *message)
{
	char entry[1024];
	size_t len = log_format_journal(entry, sizeof(entry), level, LOG_IDENTIFIER, tag, message);
	if (send(log_journal_fd, entry, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_prefixed_sink(ctx, level, tag, message);
}

static void log_syslog_sink(void *ctx, enum log_level level, const char *tag, const char *message)
{
	(void)ctx;
	if (tag && tag[0])
		syslog(log_syslog_priority(level), "[%s] %s", tag, message);
	else
		syslog(log_syslog_priority(level), "%s", message);
}

static int log_journal_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path));
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

enum log_mode log_target_setup(enum log_target target, const char *journal_socket)
{
	log_target_close();
	if (target == LOG_TARGET_STDERR && log_stderr_is_journal())
		target = LOG_TARGET_JOURNAL;
	switch (target) {
	case LOG_TARGET_STDERR:
		return LOG_MODE_STDERR;
	case LOG_TARGET_JOURNAL:
		log_journal_fd = log_journal_connect(journal_socket ? journal_socket : LOG_JOURNAL_SOCKET);
		if (log_journal_fd < 0) {
			log_set_sink(log_prefixed_sink, NULL);
			return LOG_MODE_PREFIXED;
		}
		log_set_sink(log_journal_sink, NULL);
		return LOG_MODE_JOURNAL;
	case LOG_TARGET_SYSLOG:
		/* LOG_NDELAY: connect to /dev/log now, before the privilege drop. */
		openlog(LOG_IDENTIFIER, LOG_PID | LOG_NDELAY, LOG_DAEMON);
		log_syslog_open = true;
		log_set_sink(log_syslog_sink, NULL);
		return LOG_MODE_SYSLOG;
	}
	return LOG_MODE_STDERR;
}

void log_target_close(void)
{
	log_set_sink(NULL, NULL);
	if (log_journal_fd >= 0)
		close(log_journal_fd);
	log_journal_fd = -1;
	if (log_syslog_open)
		closelog();
	log_syslog_open = false;
}
