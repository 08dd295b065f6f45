#!/bin/sh
# Damaged and hostile drafts: each gets a clear error naming the file (and the line and
# column where there is one), exit status 2, and no file is changed or left behind.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
# the drafts sit in a directory of their own, apart from the test's output files
mkdir "$WORK/d"
cd "$WORK/d"
cp "$top_srcdir/examples/demo-2020.yaml" "$top_srcdir/examples/demo-2021.yaml" .

printf 'nianbao: 1\ntemplate: gov-info-2021\norganization: \377\376\n' > badutf8.yaml
printf 'nianbao: 1\ntemplate: gov-info-2021\norganization: a\000b\n' > nul.yaml
{
	echo 'nianbao: 1'
	echo 'template: gov-info-2021'
	echo 'a: &a [x, x, x, x, x, x, x, x, x]'
	prev=a
	for n in b c d e f g h i j k; do
		echo "$n: &$n [*$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev]"
		prev=$n
	done
} > bomb.yaml
# 20 MB of text in a narrative field
awk 'BEGIN { s = "很长很长很长很长很长很长很长很长很长很长"; for (i = 0; i < 16; i++) s = s s }
     /^problems: \|$/ { print; for (i = 0; i < 10; i++) print "  " s; next } { print }' demo-2021.yaml > huge.yaml
sed 's/^  new: {natural: 18,/  new: {natural: 99999999999999999999,/' demo-2021.yaml > int64.yaml
sed 's/^  new: {natural: 18,/  new: {natural: -0,/' demo-2021.yaml > minus0.yaml
sed 's/^  new: {natural: 18,/  new: {natural: 1e3,/' demo-2021.yaml > exp.yaml
sed 's/^  new:/	new:/' demo-2021.yaml > tabs.yaml
: > empty.yaml
mkdir dir.yaml

[ "$(wc -c < huge.yaml)" -gt 20000000 ] && ok "the huge draft is over 20 MB" || not_ok "the huge draft is over 20 MB"

# expect_refused FILE MESSAGE: check and edit both refuse FILE with MESSAGE; nothing changes
expect_refused() {
	f=$1
	shift
	before=$(ls -lA --time-style=full-iso . | sha256sum)
	sum=$( [ -f "$f" ] && sha256sum "$f" || echo dir)
	run "$NIANBAO" check "$f"
	check_status "check refuses $f" 2
	check_contains "check says what is wrong with $f" "$WORK/err" "${check_says:-$1}"
	edit "$f" <<'K'
dump
key C-q
K
	check_status "the editor refuses $f" 2
	check_contains "the editor says what is wrong with $f" "$WORK/err" "$1"
	[ ! -s "$WORK/out" ] && ok "the editor never took the screen for $f" || not_ok "the editor never took the screen for $f"
	run "$NIANBAO" render -o report.txt "$f"
	check_status "render refuses $f" 2
	[ ! -e report.txt ] && ok "render wrote nothing for $f" || not_ok "render wrote nothing for $f"
	after=$(ls -lA --time-style=full-iso . | sha256sum)
	[ "$before" = "$after" ] && [ "$sum" = "$( [ -f "$f" ] && sha256sum "$f" || echo dir)" ] \
		&& ok "no file changed or appeared for $f" || not_ok "no file changed or appeared for $f" "$(ls -la)"
}

expect_refused badutf8.yaml "badutf8.yaml:3:15: error: the file is not UTF-8 (byte 0xFF); save it as UTF-8"
expect_refused nul.yaml "nul.yaml:3:16: error: the file contains a NUL byte; it is not a text file"
expect_refused bomb.yaml "bomb.yaml:3:4: error: anchors (&name) are not allowed"
expect_refused huge.yaml "huge.yaml: error: is too large ("
expect_refused int64.yaml "int64.yaml:32:18: error: requests.new.natural: 99999999999999999999 is far too large for any cell"
expect_refused minus0.yaml "minus0.yaml:32:18: error: requests.new.natural: '-0' is not a valid number; write 0"
expect_refused exp.yaml "exp.yaml:32:18: error: requests.new.natural: '1e3' is not a number (write digits only, such as 12)"
expect_refused tabs.yaml "tabs.yaml:32:1: error: malformed YAML: found character that cannot start any token (tabs are not allowed in YAML indentation; use spaces)"
expect_refused empty.yaml "empty.yaml:1:1: error: the file is empty"
# check, sum and review walk a directory for drafts; this one has none
check_says="dir.yaml: error: no drafts (*.yaml files) in this directory"
expect_refused dir.yaml "dir.yaml: error: is a directory, not a file"
check_says=

# last year's draft broken: new --from refuses and creates nothing
run "$NIANBAO" new --from bomb.yaml next.yaml
check_status "new --from a broken draft exits 2" 2
[ ! -e next.yaml ] && ok "new --from a broken draft creates nothing" || not_ok "new --from a broken draft creates nothing"

# CRLF line ends and a BOM are fine
sed 's/$/\r/' demo-2021.yaml > crlf.yaml
printf '\357\273\277' > bom.yaml
cat demo-2021.yaml >> bom.yaml
run "$NIANBAO" check crlf.yaml
check_status "a draft with CRLF line ends loads" 0
run "$NIANBAO" check bom.yaml
check_status "a draft with a BOM loads" 0
edit crlf.yaml <<'K'
key M-3
type 19
key Enter
key C-s
key C-q
K
check_contains "saving a CRLF draft writes it back with LF" crlf.yaml "  new: {natural: 19,"
grep -q "$(printf '\r')" crlf.yaml && not_ok "no CR is left after saving" || ok "no CR is left after saving"

# a symlink to a draft elsewhere: read through it; lock and temporary files never follow links
mkdir -p elsewhere
cp demo-2021.yaml demo-2020.yaml elsewhere/
ln -s elsewhere/demo-2021.yaml link.yaml
run "$NIANBAO" check link.yaml
check_status "check reads through a symlink" 0
ln -s elsewhere/planted .link.yaml.lock
edit link.yaml <<'K'
dump
type n
K
screen 1; check_contains "a symlink planted as the lock is refused" "$WORK/screen" "is a symbolic link, not a lock"
[ ! -e elsewhere/planted ] && ok "the planted link's target is never created" || not_ok "the planted link's target is never created"
rm .link.yaml.lock

# a file without read permission (root reads anything: skipped then)
cp demo-2021.yaml noread.yaml
chmod 000 noread.yaml
if [ "$(id -u)" -eq 0 ]; then
	ok "a file without read permission # SKIP running as root, which may read it"
	ok "the editor refuses an unreadable file # SKIP running as root"
else
	run "$NIANBAO" check noread.yaml
	check_contains "an unreadable file is named with the reason" "$WORK/err" "noread.yaml: error: cannot open: Permission denied"
	edit noread.yaml <<'K'
K
	check_status "the editor refuses an unreadable file" 2
fi
chmod 644 noread.yaml

done_testing
