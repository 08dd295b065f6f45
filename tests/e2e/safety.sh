#!/bin/sh
# Never lose a clerk's work: the lock, read-only opening, autosave on signals, recovery,
# and saving that fails with the work kept (doc/DESIGN.md §8).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"

"$NIANBAO" new --org 测试局 --year 2021 blank.yaml >/dev/null
sed -e 's/: ~/: 0/g' blank.yaml > clean.yaml
sed -i -e 's/^preface: 0$/preface: ~/' -e 's/^overview: 0$/overview: 本年度未收到政府信息公开申请。/' \
	-e 's/^problems: 0$/problems: 无。/' -e 's/^other_matters: 0$/other_matters: 本年度未收取信息处理费。/' clean.yaml
fresh() { cp clean.yaml d.yaml; rm -f .d.yaml.* d.yaml~; }
host=$(hostname)

# ---- a lock held by a live editor ----
# a live process stands in for the other editor; it must not outlive the test (nor hold
# the test's output open), whatever happens
holder=
trap '[ -z "$holder" ] || kill "$holder" 2>/dev/null || true; rm -rf "$WORK"' EXIT
fresh
sleep 300 >/dev/null 2>&1 & holder=$!
echo "$holder $host colleague" > .d.yaml.lock
edit d.yaml <<'K'
dump
type y
key M-3
type 5
key C-s
dump
key C-q
K
kill "$holder" 2>/dev/null || true
screen 1; check_contains "a second editor is told who has the draft" screen "d.yaml is open in another editor: user colleague on $host, process $holder."
check_contains "and is offered to open it read-only" screen "read-only? (y/n)"
screen 2; check_contains "saving read-only is refused with a message" screen "The draft is open read-only; it was not saved."
check_contains "the draft on disk is unchanged" d.yaml "  new: {natural: 0,"
check_contains "the other editor's lock is left alone" .d.yaml.lock "$holder $host colleague"
rm -f .d.yaml.lock

fresh
sleep 300 >/dev/null 2>&1 & holder=$!
echo "$holder $host colleague" > .d.yaml.lock
edit d.yaml <<'K'
type n
K
kill "$holder" 2>/dev/null || true
check_status "declining read-only exits 0" 0
check_contains "declining leaves the draft alone" d.yaml "  new: {natural: 0,"
rm -f .d.yaml.lock

# ---- a stale lock (its process is gone) is cleared ----
fresh
sh -c 'exit 0' & dead=$!
wait "$dead" 2>/dev/null || true
echo "$dead $host colleague" > .d.yaml.lock
edit d.yaml <<'K'
key M-3
type 6
key C-s
key C-q
K
check_contains "a stale lock does not stop the clerk" d.yaml "  new: {natural: 6,"
[ ! -e .d.yaml.lock ] && ok "the stale lock is gone afterwards" || not_ok "the stale lock is gone afterwards"

# ---- SIGHUP and SIGTERM: autosave, then a clean exit ----
for sig in HUP TERM; do
	fresh
	edit d.yaml <<K
key M-3
type 7
key Enter
key M-1
key Down
key Enter
type 未保存的文字
signal $sig
dump
K
	check_status "SIG$sig ends the editor with status 0" 0
	[ -e .d.yaml.autosave ] && ok "SIG$sig writes the autosave" || not_ok "SIG$sig writes the autosave"
	check_contains "the autosave holds the typed cell (SIG$sig)" .d.yaml.autosave "  new: {natural: 7,"
	check_contains "the autosave holds text still being edited (SIG$sig)" .d.yaml.autosave "未保存的文字"
	check_contains "the draft itself is untouched (SIG$sig)" d.yaml "  new: {natural: 0,"
	[ ! -e .d.yaml.lock ] && ok "the lock is removed (SIG$sig)" || not_ok "the lock is removed (SIG$sig)"
done

# ---- recovery ----
touch -d '1 minute ago' d.yaml
edit d.yaml <<'K'
dump
type y
key M-3
dump
key C-s
key C-q
K
screen 1; check_contains "a newer autosave is offered, with what differs" screen "is newer than the draft (cells changed: 1;"
check_contains "the offer counts the text fields too" screen "text fields changed: 1). Recover it? (y/n)"
screen 2; check_contains "the recovered value is on screen" screen "一、本年新收                        7"
check_contains "saving keeps the recovered work" d.yaml "  new: {natural: 7,"
[ ! -e .d.yaml.autosave ] && ok "a clean save removes the autosave" || not_ok "a clean save removes the autosave"

fresh
edit d.yaml <<'K'
key M-3
type 3
signal TERM
K
touch -d '1 minute ago' d.yaml
edit d.yaml <<'K'
type n
key C-q
K
check_contains "declining the recovery keeps the draft as saved" d.yaml "  new: {natural: 0,"
[ ! -e .d.yaml.autosave ] && ok "quitting cleanly removes the declined autosave" || not_ok "quitting cleanly removes the declined autosave"

fresh
edit d.yaml <<'K'
key M-3
type 4
signal HUP
K
touch -d '1 minute ago' d.yaml
edit --recover d.yaml <<'K'
dump
key C-s
key C-q
K
screen 1; check_contains "--recover takes the autosave without asking" screen "Recovered the autosave."
check_contains "--recover's work is saved" d.yaml "  new: {natural: 4,"

# ---- SIGINT is not a quit ----
fresh
edit d.yaml <<'K'
key M-3
type 2
signal INT
dump
key C-s
key C-q
K
screen 1; check_contains "SIGINT says how to quit instead" screen "Ctrl-C does not quit: use Ctrl-Q (or F10)."
check_contains "after SIGINT the editor goes on" d.yaml "  new: {natural: 2,"

# ---- a save that fails keeps the work in memory ----
mkdir -p sub
cp clean.yaml sub/d.yaml
cat > gone.sh <<'S'
#!/bin/sh
# an "editor" that makes the draft's directory disappear, as a lost mount would
mv "$PWD/sub" "$PWD/sub.moved"
S
chmod +x gone.sh
EDITOR="$WORK/gone.sh" VISUAL= edit sub/d.yaml <<'K'
key M-3
type 8
key Enter
key M-1
key Down
key C-e
key C-s
dump
type y
dump
key C-q
key Esc
key M-3
dump
K
screen 1; check_contains "a draft gone from disk is noticed before saving" screen "The draft was changed on disk since you opened it"
screen 2; check_contains "a failed save says NOT SAVED and why" screen "NOT SAVED:"
screen 3; check_contains "the work is still on screen after a failed save" screen "一、本年新收                        8"
check_contains "the draft that moved away is intact" sub.moved/d.yaml "  new: {natural: 0,"
[ "$(ls -a sub.moved | grep -c '^\.d\.yaml\.[A-Za-z0-9]\{6\}$')" -eq 0 ] && ok "no temporary file is left behind" || not_ok "no temporary file is left behind" "$(ls -a sub.moved)"

# ---- a symlinked draft: the lock and temporary files stay beside the link ----
mkdir -p real
cp clean.yaml real/target.yaml
ln -s real/target.yaml link.yaml
edit link.yaml <<'K'
key M-3
type 9
key C-s
key C-q
K
check_contains "saving through a symlink writes its target" real/target.yaml "  new: {natural: 9,"
[ -L link.yaml ] && ok "the symlink stays a symlink" || not_ok "the symlink stays a symlink"
[ ! -e real/.target.yaml.lock ] && [ ! -e .link.yaml.lock ] && ok "no lock is left anywhere" || not_ok "no lock is left anywhere"

done_testing
