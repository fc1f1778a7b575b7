/* SPDX-License-Identifier: BSD-2-Clause */
/* Named sys_file.h, not file.h: src/sys/file.h would shadow <sys/file.h>. */
/* Small files: configuration and secrets in, secrets out. */
#ifndef OPENPPTP_SYS_SYS_FILE_H
#define OPENPPTP_SYS_SYS_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Read the whole regular file at path into a malloc'd buffer (NUL-terminated
 * for convenience; *len excludes the NUL). Files larger than limit give
 * ERR_LIMIT; ERR_NOT_FOUND when missing, ERR_IO otherwise (logged). */
int sys_read_file(const char *path, size_t limit, char **out, size_t *len);

/* The same over a descriptor already open (the secrets memfd the privsep
 * helper passes): read from its offset to EOF, then closed. name is for
 * log lines. */
int sys_read_fd(int fd, const char *name, size_t limit, char **out, size_t *len);

/* A file of secrets that others than its owner may read or write (any of
 * mode 077, as ssh judges key files): true, with its mode in *mode. False
 * for a private file or one that cannot be examined (the read says why). */
bool sys_file_is_shared(const char *path, mode_t *mode);

/* Replace path atomically: write a temporary file in the same directory
 * with `mode`, fsync, rename over path, fsync the directory. */
int sys_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);
/* Write value into an existing file in place (a /proc/sys setting):
 * 0, ERR_NOT_FOUND or ERR_IO. */
int sys_write_setting(const char *path, const char *value);

#endif
