/* SPDX-License-Identifier: BSD-2-Clause */
/* Live heap blocks, for the simulation's "memory back to baseline" check:
 * malloc and friends interposed in the sim binary only (never in a
 * library: every test linking it would be counted). Under AddressSanitizer
 * its own allocator is in charge; the scenario asks LeakSanitizer instead. */
#include <stddef.h>

long sim_alloc_live_blocks(void);

#if defined(__SANITIZE_ADDRESS__)
long sim_alloc_live_blocks(void)
{
	return -1;
}
#else
#include <stdatomic.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static atomic_long live;

long sim_alloc_live_blocks(void)
{
	return atomic_load(&live);
}

void *malloc(size_t n)
{
	void *p = __libc_malloc(n);
	if (p)
		atomic_fetch_add(&live, 1);
	return p;
}

void *calloc(size_t n, size_t size)
{
	void *p = __libc_calloc(n, size);
	if (p)
		atomic_fetch_add(&live, 1);
	return p;
}

void *realloc(void *old, size_t n)
{
	void *p = __libc_realloc(old, n);
	if (!old && p)
		atomic_fetch_add(&live, 1);
	else if (old && !n)
		atomic_fetch_sub(&live, 1);
	return p;
}

void free(void *p)
{
	if (p)
		atomic_fetch_sub(&live, 1);
	__libc_free(p);
}
#endif
