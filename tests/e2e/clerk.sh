#!/bin/sh
# What a clerk meets outside the editor: the language of the messages (Chinese when the
# locale names no language, English when LANGUAGE or the locale asks for it); `previous:`
# written relative to the new draft's folder; render's refusal of an unfinished draft; the
# GB18030 report's table borders in a GBK font.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"

for loc in C.UTF-8 C POSIX; do
	run env -u LANGUAGE LC_ALL=$loc "$NIANBAO" --help
	check_contains "--help is Chinese under LC_ALL=$loc" "$WORK/out" "用法"
done
run env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG "$NIANBAO" --help
check_contains "--help is Chinese with no locale at all (a fresh server, an SSH session)" "$WORK/out" "用法"
run env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8 "$NIANBAO" --help
check_contains "--help is Chinese under LANG=zh_CN.UTF-8, installed or not" "$WORK/out" "用法"
run env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 "$NIANBAO" --help
check_contains "--help is English under LANG=en_US.UTF-8" "$WORK/out" "Usage:"
run env LANGUAGE=en LC_ALL=C.UTF-8 "$NIANBAO" --help
check_contains "--help is English under LANGUAGE=en" "$WORK/out" "Usage:"

# diagnostics keep their GNU form for tools whatever the language
"$NIANBAO" new --org 测试局 --year 2021 d.yaml >/dev/null 2>&1
run env -u LANGUAGE LC_ALL=C.UTF-8 "$NIANBAO" check d.yaml
check_contains "check speaks Chinese by default" "$WORK/err" "d.yaml:19:18: error: [blank]"
check_not_contains "the default is not English" "$WORK/err" " is blank ("

# the editor: its key hints follow the same rule
cat > keys <<'K'
dump
K
env -u LANGUAGE LC_ALL=C.UTF-8 NIANBAO_KEYSCRIPT=keys "$NIANBAO" edit d.yaml > out1 2>/dev/null || true
check_contains "the editor opens in Chinese under C.UTF-8" out1 "F1帮助"
env LANGUAGE=en LC_ALL=C.UTF-8 NIANBAO_KEYSCRIPT=keys "$NIANBAO" edit d.yaml > out2 2>/dev/null || true
check_contains "the editor is English under LANGUAGE=en" out2 "F1 help"

# ---- new --from: previous: relative to the new draft's folder ----
mkdir -p units/2020 units/2021 elsewhere
"$NIANBAO" new --org 测试局 --year 2020 units/2020/2020.yaml >/dev/null
"$NIANBAO" new --from units/2020/2020.yaml units/2021/2021.yaml >/dev/null
check_contains "previous: is relative to the new draft's folder" units/2021/2021.yaml "previous: ../2020/2020.yaml"
"$NIANBAO" new --from units/2020/2020.yaml units/2020/2021.yaml >/dev/null
check_contains "previous: is the file name in the same folder" units/2020/2021.yaml "previous: 2020.yaml"
cp -r units moved
sed -i 's/^  new: {natural: ~/  new: {natural: 1/' moved/2021/2021.yaml
run "$NIANBAO" check moved/2021/2021.yaml
check_not_contains "a copied pair of folders still finds last year's draft" "$WORK/err" "could not be read"

# ---- GB18030: table borders line up in a GBK font ----
sed -e 's/: ~/: 0/g' d.yaml > clean.yaml
sed -i -e 's/^preface: 0$/preface: ~/' -e 's/^overview: 0$/overview: 本年度未收到申请。/' \
	-e 's/^problems: 0$/problems: 无。/' -e 's/^other_matters: 0$/other_matters: 本年度未收取信息处理费。/' clean.yaml
# table lines (+---, |...) of each table must be equally wide, counting East Asian
# Ambiguous characters (the “ ” of “三安全一稳定”) as the font does: 2 in GBK, 1 in UTF-8
widths() {   # FILE AMBIGUOUS-WIDTH: prints the distinct widths of each table's lines
	python3 - "$1" "$2" <<'PY'
import sys, unicodedata
amb = int(sys.argv[2])
def w(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else amb if unicodedata.east_asian_width(c) == "A" else 1 for c in s)
bad, table = [], set()
for line in open(sys.argv[1], encoding="utf-8").read().split("\n") + [""]:
    if line[:1] in "+|" and line:
        table.add(w(line))
    else:
        if len(table) > 1: bad.append(sorted(table))
        table = set()
print("ok" if not bad else bad)
PY
}
"$NIANBAO" render --encoding GB18030 -o gb.txt clean.yaml
iconv -f GB18030 -t UTF-8 gb.txt > gb-utf8.txt
check_contains "the report has the ambiguous quotes" gb-utf8.txt "“三安全一稳定”"
widths gb-utf8.txt 2 > w.txt
check_contains "GB18030: every table's borders line up when “” are 2 columns (GBK fonts)" w.txt "ok"
"$NIANBAO" render -o u.txt clean.yaml
widths u.txt 1 > w.txt
check_contains "UTF-8: every table's borders line up when “” are 1 column" w.txt "ok"

done_testing
