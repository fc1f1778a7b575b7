#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# clang-tidy and cppcheck over the sources (or the files given; tests/unit
# files too: their support/ headers are found).
set -uo pipefail
files=("$@")
[ ${#files[@]} -eq 0 ] && mapfile -t files < <(find src -name '*.c' | sort)
status=0
cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	--inline-suppr --suppress=missingIncludeSystem -Isrc -Itests/unit -D_GNU_SOURCE "${files[@]}" || status=1
clang-tidy --quiet "${files[@]}" -- -std=gnu11 -Isrc -Itests/unit -D_GNU_SOURCE \
	-DOPENPPTP_VERSION='"lint"' -DOPENPPTP_GIT_REV='"lint"' 2>/dev/null | grep -E 'warning:|error:' && status=1
exit $status
