#!/bin/sh
# The terminal matrix: what each terminal a clerk uses really sends (PuTTY in each of its
# function-key modes and keypad modes, xterm, Windows Terminal, the Linux console, tmux
# and screen), fed as bytes into a draft, first through a key script ("bytes") and then
# through a real pty (tmux send-keys -H). No key may type a digit that was not typed,
# and an escape sequence that is no key is swallowed whole. Also: spreadsheet pastes.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"

"$NIANBAO" new --org 测试局 --year 2021 blank.yaml >/dev/null
fresh() { cp blank.yaml t.yaml; rm -f .t.yaml.* t.yaml~; }

# One profile a line: NAME|F2|HOME|END|UP|DOWN|DELETE|KP4|KP0|KP2|KP_ENTER|PGDN
# (\e is ESC; the keypad as the terminal sends it in the mode it is in)
cat > profiles <<'P'
putty-default|\e[12~|\e[1~|\e[4~|\e[A|\e[B|\e[3~|4|0|2|\r|\e[6~
putty-app-keypad|\e[12~|\e[1~|\e[4~|\eOA|\eOB|\e[3~|\eOt|\eOp|\eOr|\eOM|\e[6~
putty-linux|\e[[B|\e[1~|\e[4~|\e[A|\e[B|\e[3~|\eOt|\eOp|\eOr|\eOM|\e[6~
putty-xterm-r6|\eOQ|\e[1~|\e[4~|\e[A|\e[B|\e[3~|\eOt|\eOp|\eOr|\eOM|\e[6~
putty-vt400|\e[12~|\e[1~|\e[4~|\e[A|\e[B|\e[3~|4|0|2|\r|\e[6~
putty-sco|\e[N|\e[H|\e[F|\e[A|\e[B|\e[3~|4|0|2|\r|\e[G
putty-alt-arrows|\e[12~|\e\e[1~|\e\e[4~|\e\e[A|\e\e[B|\e[3~|4|0|2|\r|\e[6~
xterm|\eOQ|\e[H|\e[F|\e[A|\e[B|\e[3~|\eOt|\eOp|\eOr|\eOM|\e[6~
xterm-app-cursor|\eOQ|\eOH|\eOF|\eOA|\eOB|\e[3~|4|0|2|\r|\e[6~
xterm-modifiers|\e[1;2Q|\e[1;5H|\e[1;5F|\e[1;5A|\e[1;2B|\e[3;5~|4|0|2|\r|\e[6;5~
windows-terminal|\eOQ|\e[H|\e[F|\e[A|\e[B|\e[3~|4|0|2|\r|\e[6~
linux-console|\e[[B|\e[1~|\e[4~|\e[A|\e[B|\e[3~|\eOt|\eOp|\eOr|\eOM|\e[6~
tmux|\eOQ|\e[1~|\e[4~|\eOA|\eOB|\e[3~|\eOt|\eOp|\eOr|\eOM|\e[6~
screen|\eOQ|\e[1~|\e[4~|\e[A|\e[B|\e[3~|4|0|2|\r|\e[6~
P

# The same moves in every terminal, on section 三 (Alt-3 is ESC 3 everywhere):
#   keypad 4 0 2, keypad Enter      -> 一 自然人 = 402, the cursor goes down to 二
#   Up, Home, End, Home             -> back on 一, nothing typed (PuTTY's Home/End were 1 and 4)
#   Down, 7, keypad Enter, Up, Up, Delete -> 二 自然人 = 7, then 一 自然人 blanked and ...
#   ... Ctrl-Z                      -> ... back to 402
#   unknown sequences               -> "Unknown key", nothing typed
#   PgDn, PgUp keys move sections; F2 saves
script_for() {
	IFS='|' read -r name f2 home end up down del kp4 kp0 kp2 kpenter pgdn <<EOF
$1
EOF
	cat <<EOF
bytes \\e3
bytes $kp4$kp0$kp2$kpenter
bytes $up$home$end$home
bytes ${down}7$kpenter$up$up$del
dump
key C-z
bytes \\e[99~\\e[1;2;3q\\eOz\\e[?1;2c
dump
bytes $pgdn
dump
key PgUp
bytes $f2
dump
EOF
}

while IFS= read -r line; do
	name=${line%%|*}
	fresh
	script_for "$line" > "$name.keys"
	edit t.yaml < "$name.keys"
	check_status "$name: the editor exits 0" 0
	check_contains "$name: keypad digits, keypad Enter, Home and End: 一 is 402" t.yaml "  new: {natural: 402, business: ~,"
	check_contains "$name: 二 is 7 and nothing else was typed" t.yaml "  carried_in: {natural: 7, business: ~,"
	check_contains "$name: the F2 key saved" "$WORK/out" "Saved t.yaml."
	screen 1
	check_contains "$name: Delete blanked 一 (arrows reached it)" screen "一、本年新收                        _      _"
	screen 2
	check_contains "$name: an unknown sequence says so and types nothing" screen "Unknown key: nothing was typed"
	screen 3
	check_contains "$name: PgDn goes to the next section" screen "四、政府信息公开行政复议、行政诉讼情况"
done < profiles

# ---- signed cells and the keypad's minus (2019 template: 本年增/减) ----
"$NIANBAO" new --org 测试局 --year 2020 b2019.yaml >/dev/null
cp b2019.yaml d19.yaml
edit d19.yaml <<'K'
key C-g
type proactive.art20_5.licensing.change
key Enter
bytes \eOm\eOt\r
bytes \e[11~
key Esc
bytes \eOS\eOs\r\e[12~
K
check_contains "keypad minus (xterm SS3 m) types a minus" d19.yaml "licensing: {prev_items: ~, change: -4,"
check_contains "after ESC[11~ (PuTTY), SS3 S is the keypad's minus, not F4" d19.yaml "other_services: {prev_items: ~, change: -3,"

# ---- Esc then Alt-digit within the Esc delay: both keys count ----
fresh
edit t.yaml <<'K'
bytes \e3
type 5
bytes \e\e4
dump
K
screen 1
check_contains "Esc cancels the 5 and Alt-4 still goes to section 四" screen "四、政府信息公开行政复议、行政诉讼情况"
check_not_contains "the cancelled 5 is gone" t.yaml "natural: 5"

# ---- a fuzz of random CSI and SS3 sequences that are no key: nothing changes ----
fresh
awk 'BEGIN {
	srand(15)
	csi_final = "IJKLMNOTUVWXYabcdefghijklmnopqrstuvwxyz{|}"
	ss3_final = "efghiJKLNz{|}~"
	for (k = 0; k < 3; k++) {
		if (k == 0) print "bytes \\e3"
		if (k == 1) print "key PgUp PgUp Enter"
		if (k == 2) { print "key Esc"; print "key PgDn PgDn PgDn" }
		for (i = 0; i < 300; i++) {
			s = "\\e"
			if (rand() < 0.3) {
				s = s "O" substr(ss3_final, int(rand() * length(ss3_final)) + 1, 1)
			} else {
				s = s "["
				n = 1 + int(rand() * 5)
				for (j = 0; j < n; j++) s = s substr("0123456789;:<=>?", int(rand() * 16) + 1, 1)
				if (rand() < 0.2) s = s substr(" !\"#$%&()*+,-./", int(rand() * 15) + 1, 1)
				s = s substr(csi_final, int(rand() * length(csi_final)) + 1, 1)
			}
			print "bytes " s
		}
	}
	print "dump"
	print "key C-s"
}' > fuzz.keys
cp t.yaml before.yaml
edit t.yaml < fuzz.keys
check_status "the fuzz ends with the editor running" 0
grep -v '^#' before.yaml > b.txt; grep -v '^#' t.yaml > a.txt
check_same "900 random CSI/SS3 sequences in a number cell, a text field and a table of 四 change nothing" b.txt a.txt
screen 1
check_contains "the fuzz leaves the status saying so" screen "Unknown key"

# ---- spreadsheet pastes (bracketed) into section 三 ----
paste_case() {   # NAME TEXT EXPECTED-LINE...
	name=$1 text=$2
	shift 2
	fresh
	printf 'bytes \\e3\npaste %s\ndump\nkey C-s\n' "$text" > p.keys
	edit t.yaml < p.keys
	for want in "$@"; do check_contains "paste $name" t.yaml "$want"; done
}
paste_case "Excel row with CRLF" '12\t3\t0\t1\t2\t0\r\n' "  new: {natural: 12, business: 3, research: 0, nonprofit: 1, legal: 2, other: 0}"
paste_case "a short row is three cells, not 123" '1\t2\t3' "  new: {natural: 1, business: 2, research: 3, nonprofit: ~,"
paste_case "WPS trailing tab, two rows" '1\t2\t\r\n3\t4\t\r\n' "  new: {natural: 1, business: 2, research: ~," "  carried_in: {natural: 3, business: 4, research: ~,"
paste_case "LibreOffice LF, an empty cell is blank" '5\t\t6\n7\t8\t9\n' "  new: {natural: 5, business: ~, research: 6," "  carried_in: {natural: 7, business: 8, research: 9,"
paste_case "a column" '1\r\n2\r\n3\r\n' "  new: {natural: 1," "  carried_in: {natural: 2," "  granted: {natural: 3,"
paste_case "a row with its total" '1\t1\t1\t1\t1\t1\t6\r\n' "  new: {natural: 1, business: 1, research: 1, nonprofit: 1, legal: 1, other: 1}"
paste_case "full-width digits" '１２\t３' "  new: {natural: 12, business: 3,"
screen 1
check_contains "the paste reports what it did" screen "Pasted a block of 1×2: 2 cells changed"

fresh
edit t.yaml <<'K'
bytes \e3
paste 1\t2\r\n3\t12 345\r\n
dump
paste 1\t1\t1\t1\t1\t1\t7
dump
key C-z
dump
key C-s
K
screen 1
check_contains "a block with a non-number is refused, naming it" screen "Nothing was pasted: '12 345' (row 2, column 2"
screen 2
check_contains "a total that does not add up is reported" screen "the pasted total 7"
screen 3
check_contains "Ctrl-Z undoes the whole paste" screen "一、本年新收                        _      _"
check_contains "nothing of the refused block was written" t.yaml "  new: {natural: ~, business: ~,"

# ---- typing: a space never joins two numbers; full-width digits; Backspace on a value ----
fresh
edit t.yaml <<'K'
bytes \e3
type 12 345
key Enter
dump
key Esc
type ４０２
key Enter Up BS Enter
key C-s
K
screen 1
check_contains "12 345 typed is refused at Enter" screen '"12 345" is not a value for this cell'
check_contains "full-width digits typed, then Backspace on the saved 402 makes 40" t.yaml "  new: {natural: 40, business: ~,"

# ---- a dense table 三 typed with Tab alone, and pasted: the keystrokes it takes ----
# 24 input rows (一, 二, the 21 result rows, 四) x 6 columns of 2-digit numbers; Tab skips
# the 总计 column and the （七）总计 row, so typing a row goes across its 6 input cells
fresh
awk 'BEGIN {
	keys = 1; print "bytes \\e3"
	for (r = 0; r < 24; r++)
		for (c = 0; c < 6; c++) {
			v = 10 + (r * 6 + c) % 90
			print "type " v; keys += 2
			print "key Tab"; keys += 1
		}
	print "key C-s"
	print keys > "typed.count"
}' > dense.keys
edit t.yaml < dense.keys
check_contains "typing with Tab: 一 across its 6 cells" t.yaml "  new: {natural: 10, business: 11, research: 12, nonprofit: 13, legal: 14, other: 15}"
check_contains "typing with Tab: the last result row" t.yaml "  other_misc: {natural: 52, business: 53, research: 54, nonprofit: 55, legal: 56, other: 57}"
check_contains "typing with Tab: past （七）总计 to 四" t.yaml "  carried_out: {natural: 58, business: 59, research: 60, nonprofit: 61, legal: 62, other: 63}"
typed=$(cat typed.count)
echo "# dense table 三 (24 rows x 6 columns, 288 digits): $typed keys typed ($(awk -v k="$typed" 'BEGIN { printf "%.2f", k / 288 }') a digit), 2 to paste (Alt-3, the paste)"
# the form as a spreadsheet holds it: with the （七）总计 row (compared, not written)
awk 'BEGIN {
	for (r = 0; r < 24; r++) {
		if (r == 23) {
			for (c = 0; c < 6; c++) printf "%s%d", c ? "\\t" : "", sum[c]
			printf "\\r\\n"
		}
		for (c = 0; c < 6; c++) {
			v = 10 + (r * 6 + c) % 90
			if (r >= 2) sum[c] += v
			printf "%s%d", c ? "\\t" : "", v
		}
		printf "\\r\\n"
	}
}' > dense.txt
fresh
printf 'bytes \\e3\npaste %s\nkey C-s\n' "$(cat dense.txt)" > dense-paste.keys
edit t.yaml < dense-paste.keys
check_not_contains "the pasted totals agree with the sums" "$WORK/out" "differs"
check_contains "one paste of the 25 rows: 四 is filled" t.yaml "  carried_out: {natural: 58, business: 59, research: 60, nonprofit: 61, legal: 62, other: 63}"

# ---- a new draft: cells to fill apart from errors; F8 errors first; a balance marks its column ----
fresh
edit t.yaml <<'K'
dump
key F8
dump
K
screen 1
check_contains "a new draft counts cells to fill apart from errors" screen "166 cells to fill, 3 errors"
check_not_contains "a new draft does not say 169 errors" screen "169 errors"
screen 2
check_contains "F8 visits a real error before the blank cells" screen "[empty-section] 一、总体情况 is empty"
cp "$top_srcdir/examples/demo-2021.yaml" bal.yaml
edit bal.yaml <<'K'
resize 120x40
key M-3
type 99
key Enter
dump
dumpattr
K
screen 1
row=$(awk '/^四、结转下年度/ { print NR; exit }' screen)
screen 2
# (the dump shows a computed cell as b, bold, whatever else it has: （七）总计 cannot be seen here)
if awk -v r="$row" 'NR == r { if (index($0, "u") == 0) bad = 1 } END { exit bad }' screen; then
	ok "a failing balance underlines 四 of its column too, not only the cell typed"
else
	not_ok "a failing balance underlines 四 of its column too, not only the cell typed" "$(cat screen)"
fi

# ---- Ctrl-E without $VISUAL or $EDITOR: the system's editor, never vi without a word ----
mkdir -p bin-nano bin-vi
printf '#!/bin/sh\necho "在 nano 里写的。" > "$1"\n' > bin-nano/nano
printf '#!/bin/sh\necho "在 vi 里写的。" > "$1"\n' > bin-vi/vi
chmod +x bin-nano/nano bin-vi/vi
fresh
printf 'key C-e\nkey C-s\n' > e.keys
env -u VISUAL -u EDITOR PATH="$WORK/bin-nano" NIANBAO_KEYSCRIPT=e.keys "$NIANBAO" edit t.yaml >/dev/null 2>&1 </dev/null || true
check_contains "Ctrl-E without \$EDITOR opens nano" t.yaml "在 nano 里写的。"
fresh
printf 'key C-e\ndump\ntype n\ndump\nkey C-s\n' > e.keys
env -u VISUAL -u EDITOR PATH="$WORK/bin-vi" NIANBAO_KEYSCRIPT=e.keys "$NIANBAO" edit t.yaml > e.out 2>/dev/null </dev/null || true
check_contains "with only vi, Ctrl-E asks first and says how to leave vi" e.out "Esc then :wq saves"
check_contains "saying no leaves the text and says how to choose" e.out "Set EDITOR"
check_not_contains "vi was not run" t.yaml "在 vi 里写的"

# ---- the year prompt of a new draft: the first digit replaces the pre-filled year ----
rm -f new2.yaml
edit new2.yaml <<'K'
type y
key Enter
type 新建局
key Enter
type 20x1
key Enter
dump
type 2020
key Enter
key C-s
K
screen 1
check_contains "a year that is no year says why" screen '"20x1" is not a year from 1990 to 2200'
check_contains "typing over the pre-filled year replaces it" new2.yaml "year: 2020"

# ---- the mouse (SGR reports): a click moves to the cell under it, the wheel scrolls ----
fresh
edit t.yaml <<'K'
bytes \e3
bytes \e[<0;41;8M\e[<0;41;8m
type 5
key Enter
bytes \e[<65;41;8M
dump
key C-s
K
check_contains "a click on 二 商业企业 puts the typing there" t.yaml "  carried_in: {natural: ~, business: 5,"
screen 1
check_contains "Enter then the wheel: down three rows from 三（一）" screen "requests.denied_prohibited.business"

# ---- Ctrl-G by Chinese label; Ctrl-U clears a text field; Ctrl-Home / Ctrl-End ----
fresh
edit t.yaml <<'K'
key C-g
type 行政许可
key Enter
dump
key C-g
type 结转
key Enter
dump
type 2
key Enter
dump
type 7
key Enter
key M-1 Down Enter
type 第一行\n第二行
bytes \e[1;5H
type 开头
bytes \e[1;5F
type 结尾
key Tab
dump
key BTab C-u
dump
key C-z
key C-s
K
screen 1
check_contains "Ctrl-G 行政许可 goes to its row" screen "proactive.art20_5.licensing.decisions"
screen 2
check_contains "Ctrl-G 结转 offers both rows" screen '2 places match "结转"'
screen 3
check_contains "choosing 2 goes to 四" screen "requests.carried_out.natural"
check_contains "Ctrl-Home and Ctrl-End go to the start and end of the text" t.yaml "  开头第一行"
check_contains "... the end" t.yaml "  第二行结尾"
screen 5
check_contains "Ctrl-U clears the field and says how to get it back" screen "Ctrl-Z brings it back"
check_contains "Ctrl-Z brings the cleared text back (one step)" t.yaml "  开头第一行"

# ---- while the window is too small, keys do not change the draft ----
fresh
edit t.yaml <<'K'
bytes \e3
resize 70x20
type 5
key Enter Delete C-o
paste 1\t2
resize 80x24
key C-s
K
check_contains "keys and pastes on the too-small screen changed nothing" t.yaml "  new: {natural: ~, business: ~,"

# ---- the key hints follow the context: a question says its own keys ----
fresh
edit t.yaml <<'K'
key C-g
dump
key Esc
bytes \e3
type 4
key Enter C-q
dump
key Esc
K
screen 1
check_contains "a line prompt shows Enter and Esc" screen " Enter OK  Esc cancel"
screen 2
check_contains "a yes/no question shows y, n and Esc" screen " y yes  n no  Esc back"

# ---- the same through a real pty: tmux send-keys -H sends the exact bytes ----
TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
if [ -z "$TMUX_BIN" ] || ! "$TMUX_BIN" -V >/dev/null 2>&1; then
	echo "# tmux is not installed: the pty half is skipped"
	done_testing
	exit $?
fi
SOCK="$WORK/tmux.sock"
tm() { "$TMUX_BIN" -u -S "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$WORK"' EXIT
# send BYTES: the bytes (\e for ESC, \r) exactly as a terminal would
send() {
	hex=$(printf '%s' "$1" | sed -e 's/\\e/\x1b/g' -e 's/\\r/\r/g' -e 's/\\t/\t/g' -e 's/\\n/\n/g' | od -An -tx1 | tr -s ' \n' ' ')
	# shellcheck disable=SC2086
	tm send-keys -t t -H $hex
	sleep 0.2
}
cat > run.sh <<S
#!/bin/sh
"$NIANBAO" edit t.yaml
echo "EXIT=\$?"
sleep 60
S
chmod +x run.sh
first=1
for name in putty-default putty-app-keypad putty-sco xterm linux-console; do
	line=$(grep "^$name|" profiles)
	IFS='|' read -r name f2 home end up down del kp4 kp0 kp2 kpenter pgdn <<EOF
$line
EOF
	fresh
	if [ $first = 1 ]; then
		tm -f /dev/null new-session -d -s t -x 100 -y 30 \
			"env TERM=xterm LANGUAGE=en LC_ALL=C.UTF-8 NIANBAO_TEMPLATES='$NIANBAO_TEMPLATES' sh ./run.sh"
		first=0
	else
		tm respawn-pane -k -t t "env TERM=xterm LANGUAGE=en LC_ALL=C.UTF-8 NIANBAO_TEMPLATES='$NIANBAO_TEMPLATES' sh ./run.sh"
	fi
	wait_for "t.yaml" || true
	send '\e3'
	send "$kp4$kp0$kp2$kpenter"
	send "$up$home$end$home"
	send "${down}7$kpenter"
	send '\e[99~\e[1;2;3q'
	if wait_for "Unknown key"; then ok "pty $name: an unknown sequence is reported"; else not_ok "pty $name: an unknown sequence is reported" "$(cat "$WORK/pane")"; fi
	send "$f2"
	if wait_for "Saved t.yaml."; then ok "pty $name: F2 saves"; else not_ok "pty $name: F2 saves" "$(cat "$WORK/pane")"; fi
	check_contains "pty $name: 一 is 402" t.yaml "  new: {natural: 402, business: ~,"
	check_contains "pty $name: 二 is 7" t.yaml "  carried_in: {natural: 7, business: ~,"
	tm send-keys -t t C-q
	wait_for "EXIT=" || true
done
# two spreadsheet rows pasted through the terminal's bracketed paste (a terminal sends a
# line break as CR, as tmux paste-buffer -p does with the LF of this file)
fresh
tm respawn-pane -k -t t "env TERM=xterm LANGUAGE=en LC_ALL=C.UTF-8 NIANBAO_TEMPLATES='$NIANBAO_TEMPLATES' sh ./run.sh"
wait_for "t.yaml" || true
send '\e3'
printf '12\t3\t0\t1\t2\t0\n4\t5\t6\t7\t8\t9\n' > row.txt
tm load-buffer row.txt
tm paste-buffer -p -t t
if wait_for "Pasted a block of 2×6"; then ok "pty: a bracketed paste of two Excel rows is a block"; else not_ok "pty: a bracketed paste of two Excel rows is a block" "$(cat "$WORK/pane")"; fi
# and as a burst of bytes from a terminal without bracketed paste
send '\e[B\e[B'
send '1\t2\t3\r\n'
if wait_for "Pasted a block of 1×3"; then ok "pty: a fast burst with tabs is a block too"; else not_ok "pty: a fast burst with tabs is a block too" "$(cat "$WORK/pane")"; fi
tm send-keys -t t C-s
wait_for "Saved t.yaml." || true
check_contains "pty: the pasted rows are saved" t.yaml "  carried_in: {natural: 4, business: 5, research: 6, nonprofit: 7, legal: 8, other: 9}"
check_contains "pty: the burst is saved as three cells" t.yaml "  granted: {natural: 1, business: 2, research: 3,"
# text copied from Word or a web page arrives with CRLF: no blank paragraph appears
send '\e1\e[B\r'
printf '第一段\r\n第二段' > crlf.txt
tm load-buffer crlf.txt
tm paste-buffer -p -r -t t
send '\t'
tm send-keys -t t C-s
wait_for "Saved t.yaml." || true
if grep -A2 "^overview: |" t.yaml | tr '\n' '/' | grep -qF "overview: |/  第一段/  第二段/"; then
	ok "pty: a CRLF paste into a text field keeps its two paragraphs, no blank one between"
else
	not_ok "pty: a CRLF paste into a text field keeps its two paragraphs, no blank one between" "$(grep -A3 '^overview' t.yaml)"
fi
flags=$(tm display -p -t t '#{mouse_standard_flag}#{mouse_sgr_flag}')
[ "$flags" = 11 ] && ok "pty: the editor asks for mouse reports (SGR)" || not_ok "pty: the editor asks for mouse reports (SGR)" "flags $flags"
tm send-keys -t t C-q
wait_for "EXIT=" || true
flags=$(tm display -p -t t '#{mouse_standard_flag}#{mouse_sgr_flag}')
[ "$flags" = 00 ] && ok "pty: mouse reports are off again after quitting" || not_ok "pty: mouse reports are off again after quitting" "flags $flags"
fresh
tm respawn-pane -k -t t "env TERM=xterm LANGUAGE=en LC_ALL=C.UTF-8 NIANBAO_MOUSE=0 NIANBAO_TEMPLATES='$NIANBAO_TEMPLATES' sh ./run.sh"
wait_for "t.yaml" || true
flags=$(tm display -p -t t '#{mouse_standard_flag}#{mouse_sgr_flag}')
[ "$flags" = 00 ] && ok "pty: NIANBAO_MOUSE=0 leaves the mouse to the terminal" || not_ok "pty: NIANBAO_MOUSE=0 leaves the mouse to the terminal" "flags $flags"
tm send-keys -t t C-q
wait_for "EXIT=" || true

done_testing
