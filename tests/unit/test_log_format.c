/* SPDX-License-Identifier: BSD-2-Clause */
/* Log lines for stderr, journald (priority prefixes and native fields) and
 * where they go: --log-target and $JOURNAL_STREAM. */
#include "support/test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/log_format.h"
#include "sys/log_target.h"

static void priorities_follow_syslog(void **state)
{
	(void)state;
	assert_int_equal(log_syslog_priority(LOG_LEVEL_ERROR), 3);
	assert_int_equal(log_syslog_priority(LOG_LEVEL_WARN), 4);
	assert_int_equal(log_syslog_priority(LOG_LEVEL_INFO), 6);
	assert_int_equal(log_syslog_priority(LOG_LEVEL_DEBUG), 7);
}

static void stderr_and_prefixed_lines(void **state)
{
	(void)state;
	char line[128];
	log_format_stderr(line, sizeof(line), LOG_LEVEL_WARN, "server", "no control socket");
	assert_string_equal(line, "openpptp: warning: [server] no control socket");
	log_format_stderr(line, sizeof(line), LOG_LEVEL_INFO, NULL, "stopped");
	assert_string_equal(line, "openpptp: info: stopped");
	log_format_prefixed(line, sizeof(line), LOG_LEVEL_ERROR, "server", "cannot listen");
	assert_string_equal(line, "<3>[server] cannot listen");
	log_format_prefixed(line, sizeof(line), LOG_LEVEL_DEBUG, "", "x");
	assert_string_equal(line, "<7>x");
	char tiny[8];
	assert_int_equal(log_format_prefixed(tiny, sizeof(tiny), LOG_LEVEL_INFO, "server", "long"), 7);
	assert_string_equal(tiny, "<6>[ser");
}

static void fields_come_from_the_tags(void **state)
{
	(void)state;
	struct log_fields f;
	log_fields_from_tag("192.0.2.2:40000 user alice smith", &f);
	assert_string_equal(f.session, "192.0.2.2:40000");
	assert_string_equal(f.peer, "192.0.2.2");
	assert_string_equal(f.user, "alice smith");
	assert_string_equal(f.call_id, "");
	log_fields_from_tag("192.0.2.2:40000 call 4711", &f);
	assert_string_equal(f.session, "192.0.2.2:40000");
	assert_string_equal(f.call_id, "4711");
	assert_string_equal(f.user, "");
	log_fields_from_tag("pptp pac peer 192.0.2.2", &f);
	assert_string_equal(f.session, "");
	assert_string_equal(f.peer, "192.0.2.2");
	log_fields_from_tag("client call 7", &f);
	assert_string_equal(f.call_id, "7");
	assert_string_equal(f.peer, "");
	log_fields_from_tag("server", &f);
	assert_string_equal(f.session, "");
	assert_string_equal(f.peer, "");
	log_fields_from_tag(NULL, &f);
	assert_string_equal(f.user, "");
	/* a call word that is not a number is not a call ID */
	log_fields_from_tag("192.0.2.2:1 call up", &f);
	assert_string_equal(f.call_id, "");
}

static void journal_entries_carry_the_fields(void **state)
{
	(void)state;
	char entry[512];
	size_t len = log_format_journal(entry, sizeof(entry), LOG_LEVEL_INFO, "openpptp",
					"192.0.2.2:40000 user alice", "session up");
	assert_string_equal(entry, "PRIORITY=6\nSYSLOG_IDENTIFIER=openpptp\nSESSION=192.0.2.2:40000\n"
				   "PEER=192.0.2.2\nUSER=alice\nMESSAGE=[192.0.2.2:40000 user alice] session up\n");
	assert_int_equal(len, strlen(entry));
	/* A newline from the wire cannot start a field of its own. */
	log_format_journal(entry, sizeof(entry), LOG_LEVEL_WARN, "openpptp", NULL, "user \"x\nUSER=root\"");
	assert_string_equal(entry, "PRIORITY=4\nSYSLOG_IDENTIFIER=openpptp\nMESSAGE=user \"x USER=root\"\n");
	/* Cut to fit, still ending in the newline journald needs. */
	len = log_format_journal(entry, 50, LOG_LEVEL_INFO, "openpptp", NULL, "a long message");
	assert_int_equal(len, 49);
	assert_string_equal(entry + 38, "MESSAGE=a \n");
}

/* A bound datagram socket standing in for journald's. */
static int journal_bind(char *path, size_t size)
{
	snprintf(path, size, "/tmp/openpptp-journal-%d", (int)getpid());
	unlink(path);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	memcpy(sa.sun_path, path, strlen(path));
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void journal_target_sends_native_entries(void **state)
{
	(void)state;
	char path[108];
	int fd = journal_bind(path, sizeof(path));
	assert_int_equal(log_target_setup(LOG_TARGET_JOURNAL, path), LOG_MODE_JOURNAL);
	log_msg(LOG_LEVEL_ERROR, "192.0.2.9:1723 call 12", "link down");
	char got[512];
	ssize_t n = recv(fd, got, sizeof(got) - 1, 0);
	assert_true(n > 0);
	got[n] = '\0';
	assert_non_null(strstr(got, "PRIORITY=3\n"));
	assert_non_null(strstr(got, "SESSION=192.0.2.9:1723\n"));
	assert_non_null(strstr(got, "CALL_ID=12\n"));
	assert_non_null(strstr(got, "MESSAGE=[192.0.2.9:1723 call 12] link down\n"));
	log_target_close();
	close(fd);
	unlink(path);
}

/* Runs fn with stderr going to a temporary file; returns what it wrote. */
static const char *with_stderr_file(void (*fn)(int stderr_fd))
{
	static char text[1024];
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	assert_int_equal(dup2(fileno(tmp), STDERR_FILENO), STDERR_FILENO);
	fn(STDERR_FILENO);
	fflush(stderr);
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	rewind(tmp);
	size_t n = fread(text, 1, sizeof(text) - 1, tmp);
	text[n] = '\0';
	fclose(tmp);
	return text;
}

static enum log_mode stream_mode;

static void log_under_journal_stream(int stderr_fd)
{
	struct stat st;
	assert_int_equal(fstat(stderr_fd, &st), 0);
	char stream[64];
	snprintf(stream, sizeof(stream), "%llu:%llu", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", stream, 1);
	assert_true(log_stderr_is_journal());
	/* stderr is the journal; journald's socket is missing: prefixes. */
	stream_mode = log_target_setup(LOG_TARGET_STDERR, "/nonexistent/openpptp/journal");
	log_msg(LOG_LEVEL_ERROR, "server", "cannot listen");
	log_msg(LOG_LEVEL_WARN, NULL, "weak");
	log_msg(LOG_LEVEL_INFO, "192.0.2.2:5 user bob", "session up");
	log_target_close();
	log_msg(LOG_LEVEL_INFO, NULL, "plain again");
	unsetenv("JOURNAL_STREAM");
}

static void journal_stream_gets_priority_prefixes(void **state)
{
	(void)state;
	const char *text = with_stderr_file(log_under_journal_stream);
	assert_int_equal(stream_mode, LOG_MODE_PREFIXED);
	assert_string_equal(text, "<3>[server] cannot listen\n<4>weak\n<6>[192.0.2.2:5 user bob] session up\n"
				  "openpptp: info: plain again\n");
}

static void other_streams_are_not_the_journal(void **state)
{
	(void)state;
	setenv("JOURNAL_STREAM", "1:2", 1);
	assert_false(log_stderr_is_journal());
	setenv("JOURNAL_STREAM", "garbage", 1);
	assert_false(log_stderr_is_journal());
	unsetenv("JOURNAL_STREAM");
	assert_false(log_stderr_is_journal());
	assert_int_equal(log_target_setup(LOG_TARGET_STDERR, NULL), LOG_MODE_STDERR);
	log_target_close();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(priorities_follow_syslog),
		cmocka_unit_test(stderr_and_prefixed_lines),
		cmocka_unit_test(fields_come_from_the_tags),
		cmocka_unit_test(journal_entries_carry_the_fields),
		cmocka_unit_test(journal_target_sends_native_entries),
		cmocka_unit_test(journal_stream_gets_priority_prefixes),
		cmocka_unit_test(other_streams_are_not_the_journal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
