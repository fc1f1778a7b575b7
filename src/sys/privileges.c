/* SPDX-License-Identifier: BSD-2-Clause */
#include "sys/privileges.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"

#define TAG "privileges"

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

/* The kernel's capability sets, two 32-bit words each (version 3). */
struct caps {
	struct __user_cap_data_struct d[2];
};

static int caps_get(struct caps *c)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	return (int)syscall(SYS_capget, &h, c->d);
}

static int caps_set(const struct caps *c)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	return (int)syscall(SYS_capset, &h, c->d);
}

static bool keeps(const int *keep, size_t n, int cap)
{
	for (size_t i = 0; i < n; i++)
		if (keep[i] == cap)
			return true;
	return false;
}

/* Empty the bounding set but for keep: no later exec can gain anything
 * else, even from a file capability. EPERM (no CAP_SETPCAP: not root) is
 * not an error; the other sets are cleared regardless. */
static int bounding_drop(const int *keep, size_t n)
{
	for (int cap = 0; cap <= 63; cap++) {
		if (keeps(keep, n, cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL)
			return 0; /* past the kernel's last capability */
		if (errno == EPERM && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
			return ERR_IO;
	}
	return 0;
}

/* Keep those of keep[] we hold now (a service manager may have given us
 * fewer: keeping is never gaining). */
static int caps_keep_only(const int *keep, size_t n)
{
	struct caps held, c;
	memset(&c, 0, sizeof(c));
	if (caps_get(&held) < 0)
		memset(&held, 0, sizeof(held));
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < 0 || keep[i] > 63)
			return ERR_INVALID;
		uint32_t bit = 1u << (keep[i] % 32);
		if (!(held.d[keep[i] / 32].permitted & bit))
			continue;
		c.d[keep[i] / 32].effective |= bit;
		c.d[keep[i] / 32].permitted |= bit;
	}
	if (caps_set(&c) < 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "capset: %s", strerror(errno));
		return ERR_IO;
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "NO_NEW_PRIVS: %s", strerror(errno));
		return ERR_IO;
	}
	/* Verify: what the kernel reports is what we asked for. */
	struct caps now;
	if (caps_get(&now) < 0 || memcmp(&now, &c, sizeof(c)) != 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "capabilities still held after dropping them");
		return ERR_STATE;
	}
	return 0;
}

int sys_limit_capabilities(const int *keep, size_t n)
{
	if (bounding_drop(keep, n) < 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "cannot narrow the bounding set: %s", strerror(errno));
		return ERR_IO;
	}
	return caps_keep_only(keep, n);
}

int sys_clear_capabilities(void)
{
	if (bounding_drop(NULL, 0) < 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "cannot empty the bounding set: %s", strerror(errno));
		return ERR_IO;
	}
	return caps_keep_only(NULL, 0);
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
		log_msg(LOG_LEVEL_ERROR, TAG, "unknown user '%s'", user);
		return ERR_NOT_FOUND;
	}
	if (group) {
		const struct group *gr = getgrnam(group);
		if (gr)
			gid = gr->gr_gid;
		else if (parse_id(group, &id) == 0)
			gid = (gid_t)id;
		else {
			log_msg(LOG_LEVEL_ERROR, TAG, "unknown group '%s'", group);
			return ERR_NOT_FOUND;
		}
	}
	if (uid == 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "refusing to 'drop' to uid 0");
		return ERR_INVALID;
	}
	/* The bounding set needs CAP_SETPCAP: empty it while still root. */
	if (bounding_drop(NULL, 0) < 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "cannot empty the bounding set: %s", strerror(errno));
		return ERR_IO;
	}
	/* Capabilities are cleared on the uid change unless KEEPCAPS is set. */
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	if (setgroups(1, &gid) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "dropping to %s: %s", user, strerror(errno));
		return ERR_IO;
	}
	if (setuid(0) == 0 || seteuid(0) == 0 || setgid(0) == 0) {
		log_msg(LOG_LEVEL_ERROR, TAG, "could regain root after dropping");
		return ERR_STATE;
	}
	/* The uid change cleared effective and permitted; inheritable and
	 * ambient survive it, so clear (and check) every set explicitly. */
	int rc = caps_keep_only(NULL, 0);
	if (rc < 0)
		return rc;
	/* debug: privsep_drop says it once with the seccomp filter */
	log_msg(LOG_LEVEL_DEBUG, TAG, "running as uid %u gid %u, no capabilities", (unsigned)uid, (unsigned)gid);
	return 0;
}
