/* SPDX-License-Identifier: BSD-2-Clause */
/* openpptp: one multi-call binary. The first argument names the command;
 * invoked through a link named openpptp-COMMAND, the name does. */
#include <stdio.h>
#include <string.h>

#include "base/pkt.h"
#include "cli/commands.h"

static const struct cli_command cli_commands[] = {
	{ "server", cli_server, "run the PPTP server" },
	{ "connect", cli_connect, "connect to a PPTP server (client)" },
	{ "status", cli_status, "show the sessions of a running server" },
	{ "load", cli_load, "load a PPTP server with many client sessions (benchmark)" },
	{ "kick", cli_kick, "close the sessions of a user or address" },
	{ "user", cli_user, "add, remove or list users in the secrets file" },
	{ "profile", cli_profile, "add, remove or list client profiles (connect --profile NAME)" },
	{ "version", cli_version, "print the version" },
	{ "help", cli_help, "list the commands" },
};

const struct cli_command *cli_command_table(size_t *count)
{
	*count = sizeof(cli_commands) / sizeof(cli_commands[0]);
	return cli_commands;
}

static const struct cli_command *cli_find(const char *name)
{
	size_t count;
	const struct cli_command *table = cli_command_table(&count);
	for (size_t i = 0; i < count; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const char *self = argc > 0 ? strrchr(argv[0], '/') : NULL;
	self = self ? self + 1 : (argc > 0 ? argv[0] : "openpptp");
	if (strncmp(self, "openpptp-", 9) == 0) {
		const struct cli_command *cmd = cli_find(self + 9);
		if (cmd) {
			int rc = cmd->run(argc, argv);
			pkt_pool_drain();
			return rc;
		}
	}
	if (argc < 2) {
		cli_help(argc, argv);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cli_help(argc, argv);
	if (strcmp(argv[1], "--version") == 0)
		return cli_version(argc - 1, argv + 1);
	const struct cli_command *cmd = cli_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "openpptp: unknown command '%s' (try 'openpptp help')\n", argv[1]);
		return 2;
	}
	int rc = cmd->run(argc - 1, argv + 1);
	pkt_pool_drain();
	return rc;
}
