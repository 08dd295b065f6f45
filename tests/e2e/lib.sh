# Shared helpers for the shell end-to-end tests. Each test prints TAP.
# Environment (set by make check): NIANBAO, NIANBAO_TEMPLATES, top_srcdir.
set -u
: "${NIANBAO:?run through make check, or set NIANBAO to the built binary}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export LC_ALL=C.UTF-8
# the messages the tests expect are English; the default would be Chinese (lang.h)
export LANGUAGE=en

tap_count=0
tap_failed=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

ok() { tap_count=$((tap_count + 1)); echo "ok $tap_count - $1"; }
not_ok() {
	tap_count=$((tap_count + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_count - $1"
	shift
	for line in "$@"; do printf '#   %s\n' "$line"; done
}
done_testing() { echo "1..$tap_count"; [ "$tap_failed" -eq 0 ]; }

# run CMD...: runs with stdout/stderr captured in $WORK/out, $WORK/err, status in $status
run() {
	set +e
	"$@" >"$WORK/out" 2>"$WORK/err" </dev/null
	status=$?
	set -e
}

# check NAME EXPECTED_STATUS: asserts the status of the last run
check_status() {
	if [ "$status" -eq "$2" ]; then ok "$1"; else
		not_ok "$1" "exit status $status, expected $2" "stderr: $(head -c 600 "$WORK/err")"
	fi
}

# check_contains NAME FILE TEXT: asserts FILE contains the fixed string TEXT
check_contains() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else
		not_ok "$1" "$(basename "$2") lacks: $3" "it has: $(head -c 600 "$2")"
	fi
}

check_not_contains() {
	if grep -qF -- "$3" "$2"; then not_ok "$1" "$(basename "$2") has: $3"; else ok "$1"; fi
}

# check_same NAME EXPECTED_FILE ACTUAL_FILE
check_same() {
	if cmp -s "$2" "$3"; then ok "$1"; else
		not_ok "$1" "$(diff -u "$2" "$3" | head -40)"
	fi
}

# edit DRAFT [ARGS...]: runs the editor on DRAFT with the key script on stdin (see
# tests/e2e/README); stdout (the screen dumps) in $WORK/out, stderr in $WORK/err.
edit() {
	cat > "$WORK/keys"
	set +e
	NIANBAO_KEYSCRIPT="$WORK/keys" "$NIANBAO" edit "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
	status=$?
	set -e
}

# screen N: the Nth screen dump of the last edit run, into $WORK/screen
screen() {
	awk -v n="$1" '/^--- screen /{k++} k==n{print} /^---$/ && k==n {exit}' "$WORK/out" > "$WORK/screen"
}

# wait_for TEXT [SECONDS]: polls the tmux pane t (through the test's tm function) until
# TEXT appears; the pane is left in $WORK/pane
wait_for() {
	i=0
	limit=$(( ${2:-10} * 20 ))
	while [ $i -lt $limit ]; do
		tm capture-pane -p -t t > "$WORK/pane" 2>/dev/null || true
		grep -qF -- "$1" "$WORK/pane" && return 0
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}

# tmux_or_skip: for a test of the editor in a real terminal (tmux). Ends the test as
# skipped when tmux is missing; otherwise tm runs tmux on a private socket (its server is
# killed at exit), and wait_for and expect NAME TEXT watch its pane "t".
tmux_or_skip() {
	TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
	if [ -z "$TMUX_BIN" ] || ! "$TMUX_BIN" -V >/dev/null 2>&1; then
		echo "1..0 # SKIP tmux is not installed"
		exit 0
	fi
	SOCK="$WORK/tmux.sock"
	trap 'tm kill-server 2>/dev/null; rm -rf "$WORK"' EXIT
}
tm() { "$TMUX_BIN" -u -S "$SOCK" "$@"; }
expect() {   # expect NAME TEXT
	if wait_for "$2"; then ok "$1"; else not_ok "$1" "pane lacks: $2" "$(cat "$WORK/pane")"; fi
}
