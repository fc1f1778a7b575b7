/* SPDX-License-Identifier: BSD-2-Clause */
/* Forking the helper and dropping the main process. */
#include "privsep/privsep.h"

#include <pwd.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "sys/privileges.h"
#include "sys/sandbox.h"

#define TAG "privsep"

void privsep_helper_main(const struct privsep_config *cfg, int fd);

const char *privsep_default_user(void)
{
	return getpwnam("openpptp") ? "openpptp" : "nobody";
}

int privsep_start(const struct privsep_config *cfg, struct privsep_channel *ch)
{
	int sv[2];
	privsep_channel_init_fd(ch, -1);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "socketpair: %m");
		return ERR_IO;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "fork: %m");
		close(sv[0]);
		close(sv[1]);
		return ERR_IO;
	}
	if (pid == 0) {
		close(sv[0]);
		privsep_helper_main(cfg, sv[1]); /* does not return */
		_exit(1);
	}
	close(sv[1]);
	privsep_channel_init_fd(ch, sv[0]);
	ch->helper = pid;
	return 0;
}

int privsep_drop(enum privsep_role role, const char *user, const char *group, bool no_privsep)
{
	if (no_privsep) {
		log_msg(LOG_LEVEL_WARN, TAG,
			"--no-privsep: the process that parses the network keeps root and has no seccomp filter "
			"(for debugging only)");
		return 0;
	}
	int rc;
	if (geteuid() == 0) {
		rc = sys_drop_privileges(user ? user : privsep_default_user(), group);
	} else {
		/* Started without root (file capabilities, say): the uid stays,
		 * every capability goes. */
		rc = sys_clear_capabilities();
		if (rc == 0)
			log_msg(LOG_LEVEL_INFO, TAG, "not started as root: running as uid %u, no capabilities",
				(unsigned)getuid());
	}
	if (rc < 0)
		return rc;
	unsigned uid = (unsigned)getuid(), gid = (unsigned)getgid(); /* not allowed once the filter is in */
	enum sandbox_profile profile = role == PRIVSEP_ROLE_CLIENT ? SANDBOX_CLIENT : SANDBOX_SERVER;
	rc = sys_sandbox_enter(profile);
	if (rc < 0)
		return rc;
	/* One line for an admin reading the server's log; a client's user
	 * needs none (debug shows it). */
	log_msg(role == PRIVSEP_ROLE_CLIENT ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO, TAG,
		"running as uid %u gid %u, no capabilities; seccomp: %zu system calls allowed", uid, gid,
		sys_sandbox_allowed_count(profile));
	return 0;
}
