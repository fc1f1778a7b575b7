/* SPDX-License-Identifier: BSD-2-Clause */
#include "cli/commands.h"
#include "load/load.h"

int cli_load(int argc, char **argv)
{
	return load_main(argc, argv);
}
