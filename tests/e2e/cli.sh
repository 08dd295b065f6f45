#!/bin/sh
# The command line's contract: --help, --version, usage errors, exit statuses.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e

run "$NIANBAO" --help
check_status "--help exits 0" 0
check_contains "--help lists the commands" "$WORK/out" "render [--width N]"
check_contains "--help names the exit statuses" "$WORK/out" "Exit status"

run env LANGUAGE=zh_CN "$NIANBAO" --help
check_status "--help in Chinese exits 0" 0
check_contains "--help is Chinese under LANGUAGE=zh_CN" "$WORK/out" "用法"

run "$NIANBAO" --version
check_status "--version exits 0" 0
check_contains "--version names the program and version" "$WORK/out" "nianbao (nianbao) "

run "$NIANBAO" --frobnicate
check_status "an unknown option exits 2" 2
check_contains "an unknown option is named" "$WORK/err" "unknown option '--frobnicate'"
check_contains "a usage error points to --help" "$WORK/err" "Try 'nianbao --help'"

run "$NIANBAO"
check_status "no arguments exits 2" 2

done_testing
