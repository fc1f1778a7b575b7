/* SPDX-License-Identifier: BSD-2-Clause */
/* Dropping root once sockets and the TUN are open, and narrowing what the
 * privileged helper keeps. Capability numbers are <linux/capability.h>'s. */
#ifndef OPENPPTP_SYS_PRIVILEGES_H
#define OPENPPTP_SYS_PRIVILEGES_H

#include <linux/capability.h>
#include <stddef.h>

/* Become `user` (name or numeric uid) with group `group` (name or numeric
 * gid; NULL = the user's primary group): no supplementary groups; real,
 * effective and saved IDs all changed; then sys_clear_capabilities().
 * Needs root. Verifies that root cannot be regained. Returns 0 or a
 * negative error (logged). */
int sys_drop_privileges(const char *user, const char *group);

/* Keep no capability at all, whatever the uid: the bounding set emptied
 * (when CAP_SETPCAP allows), effective, permitted, inheritable and ambient
 * sets cleared, NO_NEW_PRIVS set; then verified with capget. 0 or ERR_IO. */
int sys_clear_capabilities(void);

/* Keep only the capabilities in keep (effective and permitted: those of
 * them held now; bounding set narrowed to them; inheritable and ambient
 * empty) and set NO_NEW_PRIVS. Needs CAP_SETPCAP. 0 or ERR_IO. */
int sys_limit_capabilities(const int *keep, size_t n);

#endif
