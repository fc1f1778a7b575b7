#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The documentation generated from the option and command tables (see
# src/config/options_doc.h), so that --help, the INI parser, the man pages,
# the example configuration and the bash completion cannot drift apart.
#
#   scripts/gen-docs.sh expand BIN TEMPLATE   print TEMPLATE with each marker
#                                             line replaced by `BIN help ARGS`
#   scripts/gen-docs.sh contrib BIN           rewrite the committed generated
#                                             files (make docs)
#   scripts/gen-docs.sh check BIN             do the committed files equal what
#                                             BIN generates? (tests/pkg)
#
# A marker is a whole line `.\" @help ARGS` (roff) or `# @help ARGS` (shell);
# ARGS are the words after `openpptp help`, e.g. `--man server`.
set -euo pipefail
cd "$(dirname "$0")/.."

expand() {
	local bin=$1 template=$2 line args
	while IFS= read -r line || [ -n "$line" ]; do
		if [[ $line =~ ^(\.\\\"|#)\ @help\ (.+)$ ]]; then
			args=${BASH_REMATCH[2]}
			# shellcheck disable=SC2086 # ARGS are words by design
			"$bin" help $args || { echo "gen-docs: '$bin help $args' failed ($template)" >&2; return 1; }
		else
			printf '%s\n' "$line"
		fi
	done <"$template"
}

# Committed generated files: "OUTPUT SOURCE", SOURCE being a template or
# `-` for the plain output of `help --ini`.
GENERATED=(
	"docs/examples/openpptp.conf -"
	"contrib/bash-completion/openpptp contrib/bash-completion/openpptp.in"
)

generate() { # BIN OUTPUT SOURCE
	if [ "$3" = - ]; then "$1" help --ini; else expand "$1" "$3"; fi
}

case ${1:-} in
expand)
	expand "$2" "$3" ;;
contrib)
	for g in "${GENERATED[@]}"; do
		read -r out src <<<"$g"
		generate "$2" "$out" "$src" >"$out.tmp" && mv "$out.tmp" "$out"
		echo "  GEN     $out"
	done ;;
check)
	status=0
	for g in "${GENERATED[@]}"; do
		read -r out src <<<"$g"
		if ! generate "$2" "$out" "$src" | diff -u "$out" - >&2; then
			echo "gen-docs: $out differs from what $2 generates: run 'make docs' and commit it" >&2
			status=1
		fi
	done
	exit $status ;;
*)
	echo "usage: $0 expand BIN TEMPLATE | contrib BIN | check BIN" >&2; exit 2 ;;
esac
