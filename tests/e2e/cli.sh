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

# ---- templates ----
run "$NIANBAO" templates
check_status "templates exits 0" 0
check_contains "templates lists the 2021 format with its years and basis" "$WORK/out" \
	"gov-info-2021    2021-      国办公开办函〔2021〕30号 中华人民共和国政府信息公开工作年度报告格式"
check_contains "templates lists the 2019 trial format" "$WORK/out" \
	"gov-info-2019    -2020      国办公开办函〔2019〕60号 中华人民共和国政府信息公开工作年度报告格式（试行）"
if [ "$(wc -l < "$WORK/out")" -eq "$(ls "$NIANBAO_TEMPLATES"/*.yaml | wc -l)" ]; then
	ok "one line a template file"; else not_ok "one line a template file" "$(cat "$WORK/out")"; fi
run "$NIANBAO" templates extra
check_status "templates takes no arguments" 2
mkdir "$WORK/empty"
run env NIANBAO_TEMPLATES="$WORK/empty" "$NIANBAO" templates
check_status "no templates at all exits 2" 2
check_contains "and says where it looked" "$WORK/err" "no templates found in $WORK/empty"
mkdir "$WORK/broken"
printf 'nianbao-template: 1\nid: broken\nsections: [\n' > "$WORK/broken/broken.yaml"
run env NIANBAO_TEMPLATES="$WORK/broken" "$NIANBAO" templates
check_status "a broken template exits 2" 2
check_contains "and is located" "$WORK/err" "broken.yaml:"

done_testing
