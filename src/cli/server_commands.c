/* SPDX-License-Identifier: BSD-2-Clause */
#include "cli/commands.h"
#include "server/server.h"

int cli_server(int argc, char **argv)
{
	return server_main(argc, argv);
}

int cli_status(int argc, char **argv)
{
	return server_status_main(argc, argv);
}

int cli_kick(int argc, char **argv)
{
	return server_kick_main(argc, argv);
}

int cli_user(int argc, char **argv)
{
	return server_user_main(argc, argv);
}
