/* SPDX-License-Identifier: BSD-2-Clause */
#include "cli/commands.h"
#include "client/client.h"

int cli_connect(int argc, char **argv)
{
	return client_main(argc, argv);
}
