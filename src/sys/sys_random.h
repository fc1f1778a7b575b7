/* SPDX-License-Identifier: BSD-2-Clause */
/* Named sys_random.h, not random.h: with -Isrc, src/sys/random.h would
 * shadow the system <sys/random.h>. */
/* The daemons' randomness: getrandom(2) behind base/random.h's interface. */
#ifndef OPENPPTP_SYS_SYS_RANDOM_H
#define OPENPPTP_SYS_SYS_RANDOM_H

#include "base/random.h"

/* Never fails: if the kernel cannot give randomness the process aborts,
 * because every caller (challenges, call IDs, keys) would be unsafe. */
struct random_source sys_random_source(void);

#endif
