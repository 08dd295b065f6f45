#!/bin/sh
# One source for the key list: the editor's F1 help is drawn from the key table it
# dispatches on (src/tui/keys.c); the README's key table, the man page's KEYS section and
# doc/DESIGN.md §7 must list the same keys in the same order, each action starting with the
# help's words (they may say more after them).
. "$(dirname "$0")/lib.sh"
set -e
cd "$WORK"

"$NIANBAO" new --org 测试 --year 2021 d.yaml >/dev/null
# a screen wide and tall enough for every help entry on one line
edit d.yaml <<'K'
resize 200x60
key F1
dump
K
screen 1
# "  KEYS<padding>  HELP": keys and help are separated by two or more spaces
awk 'NR > 2 && /^  [^ ]/ { sub(/^  /, ""); n = index($0, "   "); if (!n) n = index($0, "  ");
	k = substr($0, 1, n - 1); h = substr($0, n); sub(/^ +/, "", h); print k "\t" h }' screen > help.tsv
count=$(wc -l < help.tsv)
if [ "$count" -ge 15 ]; then ok "the help lists the key table ($count entries)"; else
	not_ok "the help lists the key table" "only $count entries: $(cat screen)"; fi

# rows of a markdown table whose header line is $2, as KEYS<TAB>ACTION, backticks removed
md_table() {
	awk -v head="$2" '$0 == head { on = 1; getline; next }
		on && /^\|/ { sub(/^\| /, ""); sub(/ \|$/, ""); n = index($0, " | ");
			print substr($0, 1, n - 1) "\t" substr($0, n + 3); next }
		on { exit }' "$1" | tr -d '`'
}

# compare NAME FILE: FILE (KEYS<TAB>ACTION lines) against the help, row by row
compare() {
	awk -F '\t' -v name="$1" 'NR == FNR { k[NR] = $1; h[NR] = $2; n = NR; next }
		{ m++; if (m > n) { print name ": an extra row: " $1; bad = 1; next }
		  if ($1 != k[m]) { print name ": row " m " is \"" $1 "\", the help says \"" k[m] "\""; bad = 1 }
		  else if (index($2, h[m]) != 1) { print name ": " $1 " says \"" $2 "\", the help \"" h[m] "\""; bad = 1 } }
		END { if (m < n) { print name ": missing from row " m + 1 ": " k[m + 1]; bad = 1 } exit bad }' \
		help.tsv "$2" > diff.txt || true
	if [ -s diff.txt ]; then not_ok "$1 lists the keys of the help" "$(cat diff.txt)"; else
		ok "$1 lists the keys of the help"; fi
}

md_table "$top_srcdir/README" '| key 按键 | action 功能 |' > readme.tsv
compare "the README's key table" readme.tsv
md_table "$top_srcdir/doc/DESIGN.md" '| key | action |' > design.tsv
compare "doc/DESIGN.md's key table" design.tsv
# the man page: ".TP", ".B KEYS", "ACTION" under .SH KEYS; \- is a minus
awk '/^\.SH KEYS/ { on = 1; next } on && /^\.SH/ { exit }
	on && /^\.B / { k = substr($0, 4); getline; print k "\t" $0 }' "$top_srcdir/doc/nianbao.1" \
	| sed 's/\\-/-/g' > man.tsv
compare "the man page's KEYS" man.tsv

done_testing
