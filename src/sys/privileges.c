#include "sys/privileges.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"

static int parse_id(const char *s, unsigned long *out)
{
	char *end;
	if (!*s)
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v >= (unsigned long)(uid_t)-1)
		return -1;
	*out = v;
	return 0;
}

int sys_drop_privileges(const char *user, const char *group)
{
	unsigned long id;
	uid_t uid;
	gid_t gid;
	if (!user)
		return ERR_INVALID;
	const struct passwd *pw = getpwnam(user);
	if (pw) {
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	} else if (parse_id(user, &id) == 0) {
		uid = (uid_t)id;
		gid = (gid_t)id;
	} else {
		log_msg(LOG_LEVEL_ERROR, "privileges", "unknown user '%s'", user);
		return ERR_NOT_FOUND;
	}
	if (group) {
		const struct group *gr = getgrnam(group);
		if (gr)
			gid = gr->gr_gid;
		else if (parse_id(group, &id) == 0)
			gid = (gid_t)id;
		else {
			log_msg(LOG_LEVEL_ERROR, "privileges", "unknown group '%s'", group);
			return ERR_NOT_FOUND;
		}
	}
	/* Capabilities are cleared on the uid change unless KEEPCAPS is set. */
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	if (setgroups(1, &gid) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0) {
		log_msg(LOG_LEVEL_ERROR, "privileges", "dropping to %s: %s", user, strerror(errno));
		return ERR_IO;
	}
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		log_msg(LOG_LEVEL_ERROR, "privileges", "could regain root after dropping");
		return ERR_STATE;
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	log_msg(LOG_LEVEL_INFO, "privileges", "running as uid %u gid %u", (unsigned)uid, (unsigned)gid);
	return 0;
}
