#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Man pages, the example configurations and the bash completion: generated
# from the option tables, so the committed copies must equal what this
# binary writes, every option must be documented, the pages must pass
# mandoc's lint, and the examples must parse.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
trap 'net_cleanup' EXIT
BUILDDIR=${BUILDDIR:-build}
OPENPPTP=${OPENPPTP:-$PWD/$BUILDDIR/openpptp}
man_dir=$BUILDDIR/man

if scripts/gen-docs.sh check "$OPENPPTP" 2>"$NET_TMP/gen.err"; then t_pass "committed generated files equal the binary's output"
else t_fail "committed generated files" "$(head -5 "$NET_TMP/gen.err" | tr '\n' ' ')"; fi

# mandoc's lint, style level included. Whether another page named in SEE ALSO
# is installed on this machine is not the page's fault.
if command -v mandoc >/dev/null; then
	for page in "$man_dir"/*.[58]; do
		out=$(mandoc -T lint -W style "$page" 2>&1 | grep -v -e 'referenced manual not found' -e 'outdated mandoc.db')
		if [ -z "$out" ]; then t_pass "mandoc -T lint $(basename "$page")"
		else t_fail "mandoc -T lint $(basename "$page")" "$(head -3 <<<"$out" | tr '\n' ' ')"; fi
	done
else
	t_skip "mandoc -T lint" "mandoc is not installed (scripts/deps.sh installs it)"
fi
[ "$(ls "$man_dir"/*.[58] 2>/dev/null | wc -l)" -eq 6 ] && t_pass "six man pages built" ||
	t_fail "six man pages built" "$(ls "$man_dir" 2>&1 | tr '\n' ' ')"

# Every option --help lists is in the rendered page, every INI key in
# openpptp.conf(5) and in the example, every command in openpptp(8).
render() { mandoc -T ascii -O width=200 "$1" 2>/dev/null | sed 's/.\x08//g'; }
render "$man_dir/openpptp.conf.5" >"$NET_TMP/conf.txt"
for cmd in server connect; do
	render "$man_dir/openpptp-$cmd.8" >"$NET_TMP/$cmd.txt"
	missing=() missing_ini=() missing_example=()
	for opt in $("$OPENPPTP" "$cmd" --help | grep -oE '^  --(\[no-\])?[a-z0-9-]+' | sed 's/\[no-\]//; s/^ *//'); do
		grep -qF -- "$opt" "$NET_TMP/$cmd.txt" || missing+=("$opt")
		key=${opt#--}
		case $key in help | config) continue ;; esac
		grep -qE "^ +$key = " "$NET_TMP/conf.txt" || missing_ini+=("$key")
		grep -qE "^#$key = " docs/examples/openpptp.conf || missing_example+=("$key")
	done
	[ ${#missing[@]} -eq 0 ] && t_pass "openpptp-$cmd(8) documents every option" ||
		t_fail "openpptp-$cmd(8) documents every option" "missing: ${missing[*]}"
	[ ${#missing_ini[@]} -eq 0 ] && t_pass "openpptp.conf(5) documents every [$cmd] key" ||
		t_fail "openpptp.conf(5) documents every [$cmd] key" "missing: ${missing_ini[*]}"
	[ ${#missing_example[@]} -eq 0 ] && t_pass "the example has every [$cmd] key" ||
		t_fail "the example has every [$cmd] key" "missing: ${missing_example[*]}"
done
render "$man_dir/openpptp.8" >"$NET_TMP/openpptp.txt"
missing=()
for c in $("$OPENPPTP" help | awk '/^  [a-z]/ {print $1}'); do
	grep -qE "^ +$c\b" "$NET_TMP/openpptp.txt" || missing+=("$c")
done
[ ${#missing[@]} -eq 0 ] && t_pass "openpptp(8) lists every command" || t_fail "openpptp(8) lists every command" "missing: ${missing[*]}"

# The example with every key that has a default uncommented must parse: the
# commands then stop at what only a real setup gives (the server's tunnel
# addresses, the client's server), not at a line of the file.
sed -E 's/^#([a-z-]+ = )/\1/' docs/examples/openpptp.conf |
	grep -vE '^(local-ip|pool|dns|wins|user|group|server|password-file|password|password-nt-hash|profile|route|up|down) = ' >"$NET_TMP/all.conf"
grep -q '^listen = 0.0.0.0' "$NET_TMP/all.conf" || t_fail "example uncommented" "sed found no key"
"$OPENPPTP" server --config "$NET_TMP/all.conf" >"$NET_TMP/s.out" 2>&1; rc=$?
if [ "$rc" = 2 ] && grep -q -- "--local-ip and --pool are required" "$NET_TMP/s.out"; then t_pass "example [server] parses"
else t_fail "example [server] parses" "exit $rc: $(head -2 "$NET_TMP/s.out" | tr '\n' ' ')"; fi
"$OPENPPTP" connect --config "$NET_TMP/all.conf" --user u </dev/null >"$NET_TMP/c.out" 2>&1; rc=$?
if [ "$rc" = 2 ] && grep -q "give one server" "$NET_TMP/c.out"; then t_pass "example [connect] parses"
else t_fail "example [connect] parses" "exit $rc: $(head -2 "$NET_TMP/c.out" | tr '\n' ' ')"; fi
# The client example stops at its password file, which is not here; its
# server argument is an address, so nothing is looked up.
"$OPENPPTP" connect 192.0.2.1 --config docs/examples/client.conf </dev/null >"$NET_TMP/c.out" 2>&1; rc=$?
if [ "$rc" = 2 ] && grep -q "cannot read /etc/openpptp/client/office.pass" "$NET_TMP/c.out"; then t_pass "docs/examples/client.conf parses"
else t_fail "docs/examples/client.conf parses" "exit $rc: $(head -2 "$NET_TMP/c.out" | tr '\n' ' ')"; fi

# Bash completion, driven as bash would drive it (words split at '=' as
# COMP_WORDBREAKS does).
if [ -f /usr/share/bash-completion/bash_completion ]; then
	printf 'alice * "pw" *\n"bob" * nthash:8846F7EAEE8FB117AD06BDD830B7586C *\n# carol * x *\n' >"$NET_TMP/secrets"
	cat >"$NET_TMP/complete.sh" <<'SH'
. /usr/share/bash-completion/bash_completion
. contrib/bash-completion/openpptp
compopt() { :; } # only works inside a real completion
complete_words() { # WORD...: the last word is the one being completed
	COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"; COMP_LINE=${COMP_LINE// = /=}; COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_openpptp openpptp "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}
SH
	check_completion() { # NAME EXPECTED WORD...
		local name=$1 want=$2; shift 2
		local got
		got=$(bash -c '. "$1"; shift; complete_words "$@"' _ "$NET_TMP/complete.sh" "$@" 2>&1)
		if [ "$got" = "$want" ]; then t_pass "completion: $name"
		else t_fail "completion: $name" "got '$got', want '$want'"; fi
	}
	check_completion "commands" "server status " openpptp s
	check_completion "server options" "--local-ip= --log-level= --log-target= --login-failure-rate= " openpptp server --lo
	check_completion "connect booleans" "--default-route " openpptp connect --def
	check_completion "enum choices" "debug " openpptp connect --log-level de
	check_completion "enum choices after =" "debug " openpptp server --log-level = de
	check_completion "user verbs" "add del list " openpptp user ""
	check_completion "users of --secrets" "alice bob " openpptp user del --secrets "$NET_TMP/secrets" ""
	check_completion "a file name after --secrets" "$NET_TMP/secrets " openpptp user list --secrets "$NET_TMP/sec"
	printf '[connect]\nsecrets = /nonexistent\n[server]\nsecrets = %s\n' "$NET_TMP/secrets" >"$NET_TMP/openpptp.conf"
	OPENPPTP_CONF=$NET_TMP/openpptp.conf check_completion "kick: users of the server's secrets file" "alice " openpptp kick a
else
	t_skip "bash completion" "bash-completion is not installed (scripts/deps.sh installs it)"
fi
net_report
