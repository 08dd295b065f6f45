#!/bin/sh
# Screen goldens of the editor on the demo draft: a table section and a text section with
# CJK, at 80x24 and 120x40. NIANBAO_REGEN=1 rewrites them (review the diff).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"
cp "$top_srcdir/examples/demo-2021.yaml" "$top_srcdir/examples/demo-2020.yaml" .

for size in 80x24 120x40; do
	for view in table text; do
		case $view in
		table) keys="key M-3 Down Down Right" ;;
		text) keys="key M-1 Down" ;;
		esac
		edit demo-2021.yaml <<K
resize $size
$keys
dump
K
		golden="$top_srcdir/tests/golden/screen-$view-$size.txt"
		if [ "${NIANBAO_REGEN:-}" = 1 ]; then
			cp "$WORK/out" "$golden"
		fi
		if [ -e "$golden" ]; then
			check_same "screen golden $view $size" "$golden" "$WORK/out"
		else
			not_ok "screen golden $view $size" "missing $golden; run NIANBAO_REGEN=1 make check TESTS=tests/e2e/screens.sh"
		fi
	done
done
[ ! -e .demo-2021.yaml.autosave ] && ok "looking around changes nothing" || not_ok "looking around changes nothing"

done_testing
