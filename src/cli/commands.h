/* SPDX-License-Identifier: BSD-2-Clause */
/* The commands of the multi-call binary. Each takes argc/argv with argv[0]
 * being the command's own name, and returns the process exit code. */
#ifndef OPENPPTP_CLI_COMMANDS_H
#define OPENPPTP_CLI_COMMANDS_H

#include <stddef.h>

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

const struct cli_command *cli_command_table(size_t *count);

int cli_server(int argc, char **argv);
int cli_connect(int argc, char **argv);
int cli_status(int argc, char **argv);
int cli_load(int argc, char **argv);
int cli_kick(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_profile(int argc, char **argv);
int cli_version(int argc, char **argv);
int cli_help(int argc, char **argv);
/* `openpptp help --man server` etc.: generated documentation (cli/help_doc.c). */
int cli_help_doc(int argc, char **argv);

#endif
