/* SPDX-License-Identifier: BSD-2-Clause */
/* The service manager's notification protocol, written by hand (no
 * libsystemd): datagrams of "KEY=value\n" lines to the AF_UNIX socket named
 * by $NOTIFY_SOCKET, a path or, with a leading '@', an abstract name
 * (sd_notify(3), "Protocol"). The socket is opened and connected once, at
 * start and before the privilege drop, so later messages need only send(). */
#ifndef OPENPPTP_SYS_SD_NOTIFY_H
#define OPENPPTP_SYS_SD_NOTIFY_H

#include <stdint.h>

struct sd_notify {
	int fd; /* -1: not run by a service manager that listens */
};

/* Opens the socket $NOTIFY_SOCKET names. Not set: fd stays -1 and 0 is
 * returned (every send is then a no-op). A name we cannot use: ERR_INVALID;
 * socket/connect failing: ERR_IO (fd -1 either way). */
int sd_notify_open_env(struct sd_notify *n);
/* The same with the name given (tests). */
int sd_notify_open(struct sd_notify *n, const char *name);
/* One datagram; 0, or ERR_IO (ERR_AGAIN when the manager's queue is full). */
int sd_notify_send(struct sd_notify *n, const char *text);
void sd_notify_close(struct sd_notify *n);

/* $WATCHDOG_USEC when the watchdog is meant for this process ($WATCHDOG_PID
 * unset or our pid), else 0. */
uint64_t sd_notify_watchdog_usec(void);

#endif
