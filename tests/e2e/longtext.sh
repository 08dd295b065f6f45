#!/bin/sh
# A paragraph of 300 KB without a line break (text pasted from a PDF) in the editor: the
# screen lays out only the rows it shows, and those rows are the text's own, in order.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"

"$NIANBAO" new --org 测试局 --year 2021 blank.yaml >/dev/null
awk 'BEGIN { for (i = 1; i <= 18000; i++) printf "第%05d句，", i; printf "\n" }' > para.txt
awk 'NR == FNR { p = $0; next } /^overview:/ { print "overview: " p; next } { print }' para.txt blank.yaml > d.yaml

# the rows on screen (the text field's, without their two-column indent), joined
shown() { grep '^  .*[句尾中]' "$WORK/screen" | sed 's/^  //' | tr -d '\n'; }
# how many of the 19 body lines of an 80x24 screen hold text rows
rows_shown() { sed -n '4,22p' "$WORK/screen" | grep -c '^  .*[句尾中]'; }

edit d.yaml <<'K'
key Down Enter
type 尾
dump
key Up*30
dump
key Down*10
type 中
dump
key C-s
K
check_status "the editor edits a 300 KB paragraph and exits 0" 0
screen 1
s=$(shown)
case $s in *第17990句，*第18000句，尾) ok "typing at the end of the paragraph shows the last rows";;
*) not_ok "typing at the end of the paragraph shows the last rows" "shown: $s";; esac
row=$(sed -n 's/^--- screen 80x24 cursor \([0-9]*\),.*/\1/p' "$WORK/screen")
sed -n "$((row + 2))p" "$WORK/screen" | grep -q '尾$' \
	&& ok "the cursor is on the row typed into" || not_ok "the cursor is on the row typed into" "cursor row $row"
screen 2
s=$(shown)
[ "$(rows_shown)" = 19 ] && grep -qF -- "$s" para.txt && ok "30 rows up, the rows shown are the text's, in order, none blank" \
	|| not_ok "30 rows up, the rows shown are the text's, in order, none blank" "shown: $s"
screen 3
s=$(shown | sed 's/中//')
[ "$(rows_shown)" = 19 ] && grep -qF -- "$s" para.txt && ok "typing in the middle keeps the rows around it whole" \
	|| not_ok "typing in the middle keeps the rows around it whole" "shown: $s"
check_contains "the typed character is shown" screen "中"
sed -n '/^overview:/,/^proactive:/p' d.yaml | grep -q '第00001句.*中.*第18000句，尾$' && ok "the edits are saved" || not_ok "the edits are saved" "$(grep -c 中 d.yaml)"

done_testing
