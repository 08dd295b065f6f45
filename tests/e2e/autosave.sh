#!/bin/sh
# A failing autosave is never silent (issue 13, item 5), in a real terminal (tmux): the
# status line says NOT AUTOSAVED and why, the next save says so too, and an autosave that
# works again clears it. NIANBAO_AUTOSAVE_SECONDS=1 lets the test watch the timer. (The draft
# has a name of its own: tmux.sh signals the editor of d.yaml.)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
tmux_or_skip
cd "$WORK"

"$NIANBAO" new --org 测试局 --year 2021 blank.yaml >/dev/null
sed -e "s/: ~/: 0/g" blank.yaml > as.yaml
# a directory where the autosave goes: it cannot be written
mkdir .as.yaml.autosave
cat > run.sh <<S
#!/bin/sh
"$NIANBAO" edit as.yaml
echo "EXIT=\$?"
sleep 60
S
chmod +x run.sh
tm -f /dev/null new-session -d -s t -x 120 -y 30 \
	"env TERM=xterm LC_ALL=C.UTF-8 NIANBAO_AUTOSAVE_SECONDS=1 NIANBAO_TEMPLATES='$NIANBAO_TEMPLATES' sh ./run.sh"
expect "the editor starts" "gov-info-2021  as.yaml"
tm send-keys -t t M-3 7 Enter
expect "the status line says the work is not autosaved" "NOT AUTOSAVED"
expect "and why" "not a regular file"
tm send-keys -t t C-s
expect "the next save says so too" "Saved as.yaml. But: NOT AUTOSAVED"
check_contains "the save itself worked" as.yaml "  new: {natural: 7,"
# the autosave can be written again: the next one clears the warning
rmdir .as.yaml.autosave
tm send-keys -t t 8 Enter
wait_for "[+]" || true
i=0
while [ $i -lt 100 ] && [ ! -f .as.yaml.autosave ]; do sleep 0.05; i=$((i + 1)); done
[ -f .as.yaml.autosave ] && ok "the autosave is written once it can be" || not_ok "the autosave is written once it can be"
sleep 0.3
tm capture-pane -p -t t > "$WORK/pane"
check_not_contains "and the warning is gone" "$WORK/pane" "NOT AUTOSAVED"
tm send-keys -t t C-s
expect "a save after that is a plain save" "Saved as.yaml."
tm send-keys -t t C-q
expect "it quits cleanly" "EXIT=0"
done_testing
