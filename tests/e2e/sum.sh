#!/bin/sh
# nianbao sum: the level's draft from the demo drafts and the imported published reports,
# totals verified independently with Python; every refusal leaves the files as they were.
. "$(dirname "$0")/lib.sh"
cd "$WORK"
PY=/usr/bin/python3

mkdir units
cp "$top_srcdir/examples/demo-2021.yaml" "$top_srcdir/examples/demo-2020.yaml" units/
for r in 2021-haiyang-bicheng 2021-jining-jkq-zzb 2021-shanhaiguan-fgj; do
	"$NIANBAO" import "$top_srcdir/tests/data/reports/$r.txt" "units/$r.yaml" >/dev/null 2>&1
done
# sidecars a real folder has: a backup, an autosave, a lock, a temporary file, a loop
cp units/demo-2021.yaml units/demo-2021.yaml~
cp units/demo-2021.yaml units/.demo-2021.yaml.autosave
echo "pid: 1" > units/.demo-2021.yaml.lock
cp units/demo-2021.yaml units/.demo-2021.yaml.Ab12Cd
ln -s .. units/loop

# the folder has a 2020 draft in the 2019 format: refused, naming it and what differs
run "$NIANBAO" sum --org 某区人民政府 -o level.yaml units
check_status "a mismatched unit stops the sum (exit 2)" 2
check_contains "the odd one out is named" "$WORK/err" "示例市数据局 (units/demo-2020.yaml): template gov-info-2019 and year 2020, while 4 units have template gov-info-2021 and year 2021"
if [ -e level.yaml ]; then not_ok "nothing is written on a mismatch"; else ok "nothing is written on a mismatch"; fi

mv units/demo-2020.yaml .
run "$NIANBAO" sum --org 某区人民政府 -o level.yaml units
check_status "sum over the demo and the imported reports exits 0" 0
check_contains "sum says what it did" "$WORK/out" "level.yaml: the sum of 4 units, gov-info-2021, 2021"
run "$NIANBAO" check level.yaml
check_contains "the sum is an ordinary draft: check reads it" "$WORK/err" "[empty-section] 一、总体情况 is empty"
check_not_contains "the sum adds up to its sources" "$WORK/err" "sum-sources"
check_not_contains "the sum has no blank cell" "$WORK/err" "[blank]"

# every input cell of the level is the exact sum of the units' cells (money in 1/10000 万元)
cat > verify.py <<'PY'
import sys, yaml
from decimal import Decimal
def cells(d, prefix=""):
    out = {}
    for k, v in d.items():
        if prefix == "" and k in ("nianbao", "template", "organization", "year", "previous", "sources",
                                  "preface", "overview", "problems", "other_matters"):
            continue
        if isinstance(v, dict):
            out.update(cells(v, prefix + k + "."))
        else:
            out[prefix + k] = v
    return out
level = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
units = [yaml.safe_load(open(f, encoding="utf-8")) for f in sys.argv[2:]]
want = {}
for u in units:
    for k, v in cells(u).items():
        want[k] = want.get(k, Decimal(0)) + Decimal(str(v))
have = cells(level)
bad = [k for k in want if Decimal(str(have.get(k))) != want[k]]
assert set(have) == set(want), "cells differ"
assert not bad, bad
assert level["overview"] is None and level["problems"] is None and level["other_matters"] is None
assert [s["organization"] for s in level["sources"]] and len(level["sources"]) == len(units)
print(len(want), "cells")
PY
run $PY verify.py level.yaml units/2021-*.yaml units/demo-2021.yaml
check_status "every cell is the exact sum (checked with Python)" 0
check_contains "Python compared the cells" "$WORK/out" " cells"
check_contains "sources name the unit files relative to the level's draft" level.yaml "  - file: units/demo-2021.yaml"
check_contains "sources name the organization" level.yaml "    organization: 示例市数据局"
if grep 'file:' level.yaml | grep -q "autosave\|\.lock\|~\|Ab12Cd\|loop"; then not_ok "sidecars are skipped" "$(grep -n 'file:' level.yaml)"; else ok "sidecars are skipped"; fi

# the editor opens the sum
edit level.yaml <<'K'
dump
key C-q
K
check_contains "the editor opens the sum" "$WORK/out" "某区人民政府"

# the level's clerk writes the narrative; a second sum keeps it and keeps the old file as ~
$PY - <<'PY'
import re
t = open("level.yaml", encoding="utf-8").read()
t = t.replace("overview: ~", "overview: |\n  本区汇总的总体情况。", 1)
open("level.yaml", "w", encoding="utf-8").write(t)
PY
run "$NIANBAO" sum -o level.yaml units
check_status "a second sum over the same units exits 0" 0
check_contains "a second sum keeps the narrative" level.yaml "本区汇总的总体情况。"
check_contains "a second sum keeps the organization" level.yaml "organization: 某区人民政府"
check_contains "the old sum is kept as level.yaml~" level.yaml~ "本区汇总的总体情况。"

# a unit changes after the sum: check warns sum-sources, exit 0 (warnings only)
sed -i 's/new: {natural: 18,/new: {natural: 20,/' units/demo-2021.yaml
run "$NIANBAO" check level.yaml
check_contains "check: the changed unit is named" "$WORK/err" "[sum-sources] the unit units/demo-2021.yaml has changed since it was summed; sum again"
check_contains "check: the figure that no longer adds up" "$WORK/err" "[sum-sources] requests.new.natural (一、本年新收政府信息公开申请数量 / 自然人) is 18, but the units add up to 20"
sed -i 's/new: {natural: 20,/new: {natural: 18,/' units/demo-2021.yaml

# a unit with errors: refused, listing it; --force sums and records it
cp units/demo-2021.yaml bad.yaml
sed -i 's/^organization: .*/organization: 错误局/; s/new: {natural: 18,/new: {natural: 19,/' bad.yaml
cp level.yaml level.before
run "$NIANBAO" sum -o level.yaml units bad.yaml
check_status "a unit with errors stops the sum (exit 1)" 1
check_contains "its errors are listed" "$WORK/err" "bad.yaml:"
check_contains "its errors are listed by check" "$WORK/err" "[balance]"
check_contains "the way out is named" "$WORK/err" "1 unit has errors (see above); send it back, or sum anyway with --force"
check_same "nothing is written when a unit has errors" level.before level.yaml
run "$NIANBAO" sum --force -o forced.yaml units bad.yaml
check_status "--force sums, and exits 1 for the errors" 1
check_contains "--force records the unit's errors" forced.yaml "    errors: 2"
check_contains "--force says so" "$WORK/out" "1 unit with errors was summed (--force)"

# the same unit twice: the same file, or the same organization
run "$NIANBAO" sum -o dup.yaml units units/demo-2021.yaml
check_status "the same file twice exits 2" 2
check_contains "the same file twice is named" "$WORK/err" "units/demo-2021.yaml: error: the same file is given twice (also as units/demo-2021.yaml)"
cp units/demo-2021.yaml copy.yaml
run "$NIANBAO" sum -o dup.yaml units copy.yaml
check_status "the same organization twice exits 2" 2
check_contains "the same organization twice is named" "$WORK/err" "the unit '示例市数据局' is already in the sum from units/demo-2021.yaml"
if [ -e dup.yaml ]; then not_ok "nothing is written for duplicates"; else ok "nothing is written for duplicates"; fi

# never over an input; never over a file that is not a draft
cp units/demo-2021.yaml units.before
run "$NIANBAO" sum -o units/demo-2021.yaml units
check_status "-o naming an input exits 2" 2
check_contains "-o naming an input is refused" "$WORK/err" "this is the output file"
check_same "the input is untouched" units.before units/demo-2021.yaml
echo "not a draft" > notes.yaml
run "$NIANBAO" sum -o notes.yaml units
check_status "-o naming a non-draft exits 2" 2
check_contains "a non-draft output is left alone" "$WORK/err" "notes.yaml exists and is not a draft; it is left alone"
check_contains "the non-draft is unchanged" notes.yaml "not a draft"

# --files-from - and --year

printf 'units/demo-2021.yaml\r\nunits/2021-haiyang-bicheng.yaml\r\n' > list.txt
run "$NIANBAO" sum --year 2021 --files-from list.txt -o two.yaml
check_status "--files-from sums the listed drafts" 0
check_contains "--files-from: two units" "$WORK/out" "the sum of 2 units"
set +e
"$NIANBAO" sum --files-from - -o stdin.yaml < list.txt >"$WORK/out" 2>"$WORK/err"
status=$?
set -e
check_status "--files-from - reads stdin" 0
run "$NIANBAO" sum --year 2022 -o y.yaml units
check_status "--year that no unit has exits 2" 2
check_contains "--year is explained" "$WORK/err" "no unit draft is for the year 2022"

# a blank cell in one unit stays blank in the sum, naming the unit (with --force)
cp units/demo-2021.yaml blank.yaml
sed -i 's/^organization: .*/organization: 空白局/; s/new: {natural: 18,/new: {natural: ~,/' blank.yaml
run "$NIANBAO" sum --force -o blank-sum.yaml units/2021-haiyang-bicheng.yaml blank.yaml
check_status "a blank unit cell: exit 1" 1
check_contains "the blank is named with its unit" "$WORK/err" "requests.new.natural (一、本年新收政府信息公开申请数量 / 自然人) is left blank: it is blank in 1 unit: 空白局 (blank.yaml)"
check_contains "the cell stays blank in the sum" blank-sum.yaml "new: {natural: ~,"

# usage
run "$NIANBAO" sum units
check_status "sum without -o exits 2" 2
run "$NIANBAO" sum -o x.yaml
check_status "sum without units exits 2" 2

done_testing
