#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The metrics' companions: promtool accepts the alert rules, the Grafana
# dashboard is valid JSON, and the metric names the rules, the dashboard
# and docs/metrics.md use are exactly those src/server/server_metrics.c
# writes (a metric renamed in one place fails here).
# pkg: once
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
trap 'net_cleanup' EXIT
rules=contrib/prometheus/openpptp-rules.yml
dash=contrib/grafana/openpptp.json
if ! command -v promtool >/dev/null; then
	t_fail "promtool" "not installed (scripts/deps.sh installs prometheus)"; net_report; exit 1
fi
if out=$(promtool check rules "$rules" 2>&1); then t_pass "promtool check rules $(basename "$rules")"
else t_fail "promtool check rules" "$(tail -3 <<<"$out")"; fi
if python3 -m json.tool "$dash" >/dev/null 2>&1; then t_pass "the dashboard is valid JSON"
else t_fail "dashboard JSON" "$(python3 -m json.tool "$dash" 2>&1 | tail -1)"; fi

# names: metric names in a file, histogram series folded into their family
names() { grep -oE '\b(openpptp|process)_[a-z_]+' "$@" | sed -E 's/_(bucket|sum|count)$//' | sort -u; }
emitted=$(grep -oE '"(openpptp|process)_[a-z_]+"' src/server/server_metrics.c | tr -d '"' | sort -u)
[ "$(wc -l <<<"$emitted")" -ge 30 ] && t_pass "the server writes $(wc -l <<<"$emitted") metric families" ||
	t_fail "emitted names" "only $(wc -l <<<"$emitted") found"
for f in "$rules" "$dash"; do
	unknown=$(comm -23 <(names "$f") <(echo "$emitted"))
	[ -z "$unknown" ] && t_pass "$(basename "$f") names only metrics the server writes" ||
		t_fail "$(basename "$f")" "unknown: $(echo $unknown)"
done
documented=$(grep -oE '^\| `(openpptp|process)_[a-z_]+`' docs/metrics.md | grep -oE '(openpptp|process)_[a-z_]+' | sort -u)
missing=$(comm -23 <(echo "$emitted") <(echo "$documented"))
extra=$(comm -13 <(echo "$emitted") <(echo "$documented"))
[ -z "$missing" ] && [ -z "$extra" ] && t_pass "docs/metrics.md lists every metric, and only those" ||
	t_fail "docs/metrics.md" "undocumented: $(echo $missing); not written: $(echo $extra)"
net_report
