#!/bin/sh
# The editor in a real terminal (tmux): key decoding, bracketed paste, Chinese input,
# resizing, and the terminal restored afterwards.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
if [ -z "$TMUX_BIN" ] || ! "$TMUX_BIN" -V >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi
cd "$WORK"
SOCK="$WORK/tmux.sock"
tm() { "$TMUX_BIN" -u -S "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$WORK"' EXIT

expect() {   # expect NAME TEXT
	if wait_for "$2"; then ok "$1"; else not_ok "$1" "pane lacks: $2" "$(cat "$WORK/pane")"; fi
}

"$NIANBAO" new --org 测试局 --year 2021 blank.yaml >/dev/null
sed -e 's/: ~/: 0/g' blank.yaml > d.yaml
sed -i -e 's/^preface: 0$/preface: ~/' -e 's/^overview: 0$/overview: 见下表。/' \
	-e 's/^problems: 0$/problems: 无。/' -e 's/^other_matters: 0$/other_matters: 未收取信息处理费。/' d.yaml

cat > run.sh <<S
#!/bin/sh
stty -g > stty.before
"$NIANBAO" edit d.yaml
rc=\$?
# the settings are written before EXIT shows, which is what the test waits for
stty -g > stty.after
echo "EXIT=\$rc"
sleep 60
S
chmod +x run.sh
tm -f /dev/null new-session -d -s t -x 100 -y 30 \
	"env TERM=tmux-256color LC_ALL=C.UTF-8 NIANBAO_TEMPLATES='$NIANBAO_TEMPLATES' NIANBAO_LOCALEDIR='${NIANBAO_LOCALEDIR:-}' sh ./run.sh"

expect "the editor starts in a real terminal" "gov-info-2021  d.yaml"
tm send-keys -t t M-3
expect "Alt-3 (ESC 3) goes to section 三" "三、收到和处理政府信息公开申请情况"
tm send-keys -t t 7
expect "a digit is typed and the checks follow at once" "一+二=7, 三+四=0"
tm send-keys -t t Enter F5
expect "F5 (an escape sequence) opens the preview" "Preview of the report"
tm send-keys -t t q
expect "q closes the preview" "F1 help"
tm send-keys -t t NPage NPage
expect "PgDn PgDn go to section 五" "五、存在的主要问题及改进情况"
tm send-keys -t t Enter
tm send-keys -t t -l "中文输入法"
expect "Chinese input arrives as text" "无。中文输入法"
printf '粘贴第一段\n粘贴第二段' > paste.txt
tm load-buffer paste.txt
tm paste-buffer -p -t t
expect "a bracketed paste keeps its newline" "  粘贴第二段"
tm send-keys -t t Tab
tm resize-window -t t -x 70 -y 20
expect "a small window says so" "The window is too small"
tm resize-window -t t -x 100 -y 30
expect "the editor recovers when the window grows" "gov-info-2021  d.yaml [+]"
tm send-keys -t t F2
expect "F2 saves" "Saved d.yaml."
tm send-keys -t t F10
expect "F10 quits with status 0" "EXIT=0"
check_contains "the pasted and typed text is saved" d.yaml "  无。中文输入法粘贴第一段"
check_contains "the paste's second line is a paragraph" d.yaml "  粘贴第二段"
check_same "the terminal settings are restored on exit" stty.before stty.after

# SIGHUP: the connection drops; the work is autosaved and the terminal restored
tm respawn-pane -k -t t "env TERM=screen LC_ALL=C.UTF-8 NIANBAO_TEMPLATES='$NIANBAO_TEMPLATES' sh ./run.sh"
expect "the editor starts with TERM=screen" "gov-info-2021  d.yaml"
tm send-keys -t t M-3 4 Enter
expect "the change is on screen" "[+]"
# this test's own editor: another checkout's tests may run "nianbao edit d.yaml" too
pid=$(pgrep -f "^$NIANBAO edit d.yaml" | head -1)
kill -HUP "$pid"
expect "SIGHUP ends the editor cleanly" "EXIT=0"
[ -e .d.yaml.autosave ] && ok "SIGHUP writes the autosave" || not_ok "SIGHUP writes the autosave"
check_contains "the autosave holds the change" .d.yaml.autosave "  new: {natural: 4,"
check_same "the terminal is restored after SIGHUP" stty.before stty.after
[ ! -e .d.yaml.lock ] && ok "the lock is gone after SIGHUP" || not_ok "the lock is gone after SIGHUP"

# the other terminal types clerks have: xterm-256color (PuTTY, Xshell) and the Linux console.
# tmux encodes function keys for its own terminal type, so with TERM=linux only keys that
# every terminal sends alike are used.
for term in xterm-256color linux; do
	rm -f .d.yaml.autosave
	tm respawn-pane -k -t t "env TERM=$term LC_ALL=C.UTF-8 NIANBAO_TEMPLATES='$NIANBAO_TEMPLATES' sh ./run.sh"
	expect "the editor starts with TERM=$term" "gov-info-2021  d.yaml"
	if [ "$term" = xterm-256color ]; then
		tm send-keys -t t F1
		expect "F1 works with TERM=$term" "fill every blank cell of the current table with 0"
		tm send-keys -t t q
	else
		tm send-keys -t t M-3
		expect "Alt-3 works with TERM=$term" "三、收到和处理政府信息公开申请情况"
	fi
	expect "the editor is back at its main screen with TERM=$term" "F1 help"
	tm send-keys -t t C-q
	expect "it quits cleanly with TERM=$term" "EXIT=0"
	check_same "the terminal is restored with TERM=$term" stty.before stty.after
done

done_testing
