/* Dropping root once sockets and the TUN are open. */
#ifndef OPENPPTP_SYS_PRIVILEGES_H
#define OPENPPTP_SYS_PRIVILEGES_H

/* Become `user` (name or numeric uid) with group `group` (name or numeric
 * gid; NULL = the user's primary group): no supplementary groups, real,
 * effective and saved IDs all changed, no capabilities kept. Verifies that
 * root cannot be regained. Returns 0 or a negative error (logged). */
int sys_drop_privileges(const char *user, const char *group);

#endif
