/* SPDX-License-Identifier: BSD-2-Clause */
/* getaddrinfo for IPv4 addresses. */
#include "sys/resolve.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "base/error.h"

/* Digits and dots only: meant as an address, so it must be a dotted quad.
 * getaddrinfo would also take inet_aton's old forms ("10.1", "0x7f.1"). */
static int numeric_only(const char *host)
{
	return host[strspn(host, "0123456789.")] == '\0';
}

int sys_resolve_ipv4(const char *host, uint32_t *addrs, size_t max, size_t *count, const char **why)
{
	*count = 0;
	if (why)
		*why = NULL;
	if (!host || !host[0] || max == 0)
		return ERR_INVALID;
	struct in_addr literal;
	if (inet_pton(AF_INET, host, &literal) == 1) { /* dotted quad only */
		addrs[0] = ntohl(literal.s_addr);
		*count = 1;
		return 0;
	}
	if (numeric_only(host))
		return ERR_INVALID;
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
	struct addrinfo *list = NULL;
	int rc = getaddrinfo(host, NULL, &hints, &list);
	if (rc != 0) {
		if (why)
			*why = gai_strerror(rc);
		return rc == EAI_MEMORY ? ERR_NOMEM : ERR_NOT_FOUND;
	}
	for (const struct addrinfo *ai = list; ai && *count < max; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET || ai->ai_addrlen < sizeof(struct sockaddr_in))
			continue;
		const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)ai->ai_addr;
		uint32_t a = ntohl(sin->sin_addr.s_addr);
		size_t i = 0;
		while (i < *count && addrs[i] != a)
			i++;
		if (i == *count)
			addrs[(*count)++] = a;
	}
	freeaddrinfo(list);
	if (*count == 0) {
		if (why)
			*why = "no IPv4 address";
		return ERR_NOT_FOUND;
	}
	return 0;
}
