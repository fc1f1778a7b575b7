/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>
#include <string.h>

#include <nettle/version.h>

#include "cli/commands.h"

int cli_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("openpptp %s (%s)\n", OPENPPTP_VERSION, OPENPPTP_GIT_REV);
	printf("nettle %d.%d\n", nettle_version_major(), nettle_version_minor());
	return 0;
}

int cli_help(int argc, char **argv)
{
	if (argc > 1 && strncmp(argv[1], "--", 2) == 0)
		return cli_help_doc(argc, argv);
	size_t count;
	const struct cli_command *table = cli_command_table(&count);
	printf("usage: openpptp COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < count; i++)
		printf("  %-10s %s\n", table[i].name, table[i].summary);
	return 0;
}
