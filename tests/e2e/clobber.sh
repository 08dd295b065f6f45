#!/bin/sh
# No hostile file, link or other editor costs a clerk their work (issue 13, items 1-7 and
# the smaller ones): planted links, a read-only viewer's quit, render -o onto a draft,
# new and import over a file, a failing autosave, a draft changed on disk while open,
# a read-only (444) draft, TERM=dumb.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"
host=$(hostname)
"$NIANBAO" new --org 测试局 --year 2021 blank.yaml >/dev/null
sed -e 's/: ~/: 0/g' blank.yaml > clean.yaml
fresh() { cp clean.yaml d.yaml; rm -f .d.yaml.* d.yaml~; }

# ---- item 1: a link planted as the autosave is neither followed nor replaced ----
fresh
echo precious > important.txt
ln -s "$WORK/important.txt" .d.yaml.autosave
mkdir -p home
HOME="$WORK/home" edit d.yaml <<'K'
key M-3
type 5
key Enter
signal HUP
K
check_contains "the link's target is untouched" important.txt "precious"
[ -L .d.yaml.autosave ] && ok "the planted link is left as it was" || not_ok "the planted link is left as it was"
check_status "a hangup whose autosave failed exits 1" 1
check_contains "and says where the work went" "$WORK/err" "the autosave of d.yaml failed; the unsaved work was written to"
rescue=$(ls home/nianbao-unsaved-*-d.yaml 2>/dev/null | head -1)
[ -n "$rescue" ] && check_contains "the rescued copy holds the work" "$rescue" "  new: {natural: 5," ||
	not_ok "the rescued copy holds the work" "$(ls -a home)"
rm -f .d.yaml.autosave home/*

# ---- item 5: a failed autosave is said at the next save ----
fresh
mkdir .d.yaml.autosave
edit d.yaml <<'K'
key M-3
type 4
key Enter
signal HUP
K
rmdir .d.yaml.autosave 2>/dev/null || true
check_status "an autosave that cannot be written (a directory in its place): exit 1" 1
check_contains "says why" "$WORK/err" "the autosave of d.yaml failed"

# ---- item 2: a read-only viewer's quit leaves the owner's autosave ----
fresh
sleep 300 & holder=$!
echo "$holder $host colleague" > .d.yaml.lock
echo "the owner's unsaved work" > .d.yaml.autosave
edit d.yaml <<'K'
type y
key C-q
K
kill "$holder" 2>/dev/null || true
check_contains "the read-only viewer quits without touching the autosave" .d.yaml.autosave "the owner's unsaved work"
check_contains "nor the lock" .d.yaml.lock "$holder $host colleague"
rm -f .d.yaml.lock .d.yaml.autosave

# ---- item 6: a draft changed on disk while open ----
cat > other.sh <<'S'
#!/bin/sh
# an "editor" for the text field that, meanwhile, has someone else rewrite the draft
sed "s/^  new: {natural: 0,/  new: {natural: 77,/" "$PWD/d.yaml" > "$PWD/d.tmp" && mv "$PWD/d.tmp" "$PWD/d.yaml"
S
chmod +x other.sh
for answer in Esc y n; do
	fresh
	rm -f copy.yaml
	case $answer in
	Esc) keys='key Esc' ;;
	y) keys='type y' ;;
	n) keys='type n
type copy.yaml
key Enter' ;;
	esac
	EDITOR="$WORK/other.sh" VISUAL= edit d.yaml <<K
key M-1
key Down
key C-e
key M-3
type 3
key Enter
key C-s
dump
$keys
dump
key C-q
type n
K
	screen 1; check_contains "a change on disk is noticed before saving ($answer)" "$WORK/screen" "The draft was changed on disk since you opened it"
	case $answer in
	Esc) check_contains "Esc: the other version stays" d.yaml "  new: {natural: 77," ;;
	y) check_contains "y: overwritten on purpose" d.yaml "  new: {natural: 3," ;;
	n) check_contains "n: the other version stays" d.yaml "  new: {natural: 77,"
	   check_contains "n: ours is saved under the other name" copy.yaml "  new: {natural: 3," ;;
	esac
done

# ---- the smaller items: a 444 draft is not replaced ----
fresh
chmod 444 d.yaml
edit d.yaml <<'K'
key M-3
type 2
key Enter
key C-s
dump
key C-q
type n
K
screen 1; check_contains "saving a 444 draft is refused with the reason" "$WORK/screen" "NOT SAVED"
check_contains "the message says it is read-only" "$WORK/screen" "read-only (mode 0444)"
check_contains "the 444 draft is untouched" d.yaml "  new: {natural: 0,"
chmod 644 d.yaml

# ---- item 3: render -o never writes over a draft ----
fresh
cp d.yaml keep.yaml
ln -s d.yaml link.yaml
for out in d.yaml ./d.yaml link.yaml "$WORK/d.yaml" keep.yaml; do
	run "$NIANBAO" render --force -o "$out" d.yaml
	check_status "render -o $out d.yaml is refused" 2
	check_contains "saying it is a draft ($out)" "$WORK/err" "is a draft; render does not write over drafts"
done
cmp -s d.yaml clean.yaml && ok "the draft is unchanged" || not_ok "the draft is unchanged"
run "$NIANBAO" render --force -o report.txt d.yaml
check_status "render -o to a new file works" 0
run "$NIANBAO" render --force -o report.txt d.yaml
check_status "and may replace an earlier report" 0

# ---- new and import never replace a file ----
run "$NIANBAO" new --year 2021 d.yaml
check_status "new over an existing draft is refused" 2
run "$NIANBAO" import report.txt d.yaml
check_status "import over an existing draft is refused" 2
ln -s important.txt dangling-new.yaml
run "$NIANBAO" new --year 2021 dangling-new.yaml
check_status "new over a link is refused" 2
check_contains "the link's target is untouched by new" important.txt "precious"
cmp -s d.yaml clean.yaml && ok "the draft is still unchanged" || not_ok "the draft is still unchanged"

# ---- stale temporary files of a killed save are cleared on the next open ----
fresh
echo "left by a killed save" > .d.yaml.Ab12Cd
touch -d '2 hours ago' .d.yaml.Ab12Cd
echo "not ours to judge" > .d.yaml.keepme
edit d.yaml <<'K'
key C-q
K
[ ! -e .d.yaml.Ab12Cd ] && ok "a stale temporary file is cleared on open" || not_ok "a stale temporary file is cleared on open"
[ -e .d.yaml.keepme ] && ok "other files are left alone" || not_ok "other files are left alone"

# ---- TERM=dumb is refused with a message ----
if command -v script >/dev/null 2>&1; then
	set +e
	TERM=dumb script -qec "'$NIANBAO' edit d.yaml" /dev/null > "$WORK/out" 2>&1
	set -e
	check_contains "TERM=dumb is refused" "$WORK/out" "cannot move the cursor"
else
	ok "# SKIP script(1) is not installed"
fi
done_testing
