/* SPDX-License-Identifier: BSD-2-Clause */
/* `openpptp profile`: client profiles (src/client/client_profile_cli.c). */
#include "cli/commands.h"
#include "client/client_profile.h"

int cli_profile(int argc, char **argv)
{
	return client_profile_main(argc, argv);
}
