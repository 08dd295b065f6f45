#!/bin/sh
# nianbao review: the roster in text, CSV (read back with Python's csv module) and HTML
# (parsed with html5lib); --previous; hostile text from drafts; check's batch options.
. "$(dirname "$0")/lib.sh"
cd "$WORK"
PY=/usr/bin/python3

mkdir -p units/sub last
sed 's|^previous: .*|previous: ../last/demo-2020.yaml|' "$top_srcdir/examples/demo-2021.yaml" > units/demo-2021.yaml
cp "$top_srcdir/examples/2021-jining-jkq-zzb.yaml" "$top_srcdir/examples/2021-haiyang-bicheng.yaml" units/sub/
cp "$top_srcdir/examples/demo-2020.yaml" last/
# last year's draft of a unit that sent nothing this year
sed 's/^organization: .*/organization: 已撤销局/' "$top_srcdir/examples/demo-2020.yaml" > last/gone.yaml
# a unit with errors whose name is hostile: a terminal escape, a formula, HTML
sed 's/^organization: .*/organization: "=HYPERLINK(\\"x\\")<script>alert(1)<\/script>, \\e]0;pwned\\a局"/; s/new: {natural: 18,/new: {natural: 19,/; s/^previous: .*//' \
	"$top_srcdir/examples/demo-2021.yaml" > units/bad.yaml
printf 'nianbao: 1\ntemplate: [oops\n' > units/broken.yaml
touch -d '2027-01-15 09:30' units/demo-2021.yaml

run "$NIANBAO" review units
check_status "review with an unreadable draft exits 2, as check" 2
check_contains "text: a header" "$WORK/out" "organization"
check_contains "text: the clean unit" "$WORK/out" "示例市数据局"
check_contains "text: status ok" "$WORK/out" "  ok  "
check_contains "text: errors by check" "$WORK/out" "errors by check: balance:2"
check_contains "text: warnings by check" "$WORK/out" "warnings by check: fee-mention:1"
check_contains "text: the unreadable draft and why" "$WORK/out" "units/broken.yaml"
check_contains "text: the file's modification time" "$WORK/out" "2027-01-15 09:30"
check_contains "text: the summary counts units" "$WORK/out" "units                           5"
check_contains "text: totals of the key figures" "$WORK/out" "total received"
if grep -q "$(printf '\033')" "$WORK/out"; then not_ok "text: no raw escape from a draft reaches the terminal"; else ok "text: no raw escape from a draft reaches the terminal"; fi
check_contains "text: the escape is shown escaped" "$WORK/out" '\x1b]0;pwned\x07局'
# sorted by organization: 2021 haiyang (海) after jining (济)? byte order of UTF-8
$PY - "$WORK/out" <<'PY'
import sys
rows = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n\n")[0].splitlines()[1:] if not l.startswith("    ")]
orgs = [r.split("  ")[0] for r in rows]
readable = [o for o in orgs if o.strip()]
assert readable == sorted(readable), readable
PY
[ $? -eq 0 ] && ok "text: rows sorted by organization" || not_ok "text: rows sorted by organization"

rm units/broken.yaml
run "$NIANBAO" review units
check_status "review with errors exits 1, as check" 1
run "$NIANBAO" review units/demo-2021.yaml units/sub
check_status "review of clean and warned drafts exits 0" 0

# CSV for Excel and WPS: a BOM, CRLF, one row a draft, read back with Python's csv module
run "$NIANBAO" review --format csv --previous last units
check_status "csv: exit 1 for the unit with errors" 1
if [ "$(head -c 3 "$WORK/out" | od -An -tx1 | tr -d ' ')" = "efbbbf" ]; then ok "csv: starts with a UTF-8 BOM"; else not_ok "csv: starts with a UTF-8 BOM"; fi
cp "$WORK/out" roster.csv
cat > readcsv.py <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
head = rows[0]
body = rows[1:rows.index([])]
col = {h: i for i, h in enumerate(head)}
assert len(body) == 4, body
by_org = {r[col["organization"]]: r for r in body}
demo = by_org["示例市数据局"]
assert demo[col["status"]] == "ok", demo
assert demo[col["received"]] == "27", demo
assert demo[col["received last year"]] == "20", demo
assert demo[col["received change"]] == "+7", demo
assert demo[col["fees (10k yuan)"]] == "0.35", demo
assert demo[col["modified"]] == "2027-01-15 09:30", demo
bad = [r for r in body if r[col["status"]] == "errors"][0]
org = bad[col["organization"]]
assert org.startswith("'=HYPERLINK"), org          # a formula is kept as text
assert "<script>" in org and "\\x1b" in org and "\x1b" not in org, org
assert bad[col["errors by check"]] == "balance:2", bad
assert bad[col["note"]] == "not in last year's drafts", bad
summary = {r[0]: r[1] for r in rows[rows.index([]) + 1:] if r}
assert summary["units"] == "4" and summary["with errors"] == "1", summary
assert summary["present last year, missing now"] == "1", summary
assert summary["missing"].startswith("已撤销局"), summary
assert open(sys.argv[1], "rb").read().count(b"\r\n") == len(rows)
print("csv ok")
PY
run $PY readcsv.py roster.csv
check_status "csv: read back by Python's csv module" 0
check_contains "csv: every assertion ran" "$WORK/out" "csv ok"

# HTML: one self-contained page, parsed strictly by html5lib; text from drafts escaped
run "$NIANBAO" review --format html --previous last units
check_status "html: exit 1 for the unit with errors" 1
cp "$WORK/out" roster.html
cat > readhtml.py <<'PY'
import sys, html5lib
doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(open(sys.argv[1], "rb").read())
assert not doc.findall(".//script"), "a script element"
assert not doc.findall(".//link") and not doc.findall(".//img"), "external resources"
rows = doc.findall(".//table")[0].findall("./tbody/tr")
assert len(rows) == 4, len(rows)
texts = ["".join(td.itertext()) for td in rows[0].findall("td")]
cells = ["".join(td.itertext()) for r in rows for td in r.findall("td")]
assert any("<script>alert(1)</script>" in c for c in cells), "the hostile name is text"
assert any(c == "示例市数据局" for c in cells)
assert doc.find(".//meta").get("charset") == "utf-8"
missing = doc.findall(".//ul/li")
assert len(missing) == 1 and missing[0].text.startswith("已撤销局"), missing
print("html ok")
PY
run $PY readhtml.py roster.html
check_status "html: parsed strictly by html5lib" 0
check_contains "html: every assertion ran" "$WORK/out" "html ok"

# text with --previous: last year's figures and the units missing now
run "$NIANBAO" review --previous last units
check_contains "text --previous: last year's figures and the change" "$WORK/out" "last year: received 20 (+7)"
check_contains "text --previous: units missing this year" "$WORK/out" "已撤销局 (last/gone.yaml)"

# Chinese
LANGUAGE=zh_CN run "$NIANBAO" review units
check_contains "zh_CN: the roster speaks Chinese" "$WORK/out" "单位"

# --files-from and bad options
ls units/demo-2021.yaml units/sub/*.yaml > list.txt
run "$NIANBAO" review --files-from list.txt --format csv
check_status "--files-from: exit 0" 0
if [ "$(grep -c 'gov-info-2021' "$WORK/out")" -eq 3 ]; then ok "--files-from: three rows"; else not_ok "--files-from: three rows" "$(cat "$WORK/out")"; fi
run "$NIANBAO" review --format pdf units
check_status "an unknown format exits 2" 2

# check takes directories and lists too, and shows progress only on a terminal
run "$NIANBAO" check units/sub
check_status "check DIR: exit 0 for warnings" 0
check_contains "check DIR: every draft under it" "$WORK/out" "units/sub/2021-jining-jkq-zzb.yaml: 0 errors, 1 warning"
set +e
printf 'units/sub\nunits/demo-2021.yaml\n' | "$NIANBAO" check --files-from - >"$WORK/out" 2>"$WORK/err"
status=$?
set -e
check_status "check --files-from -: exit 0" 0
check_contains "check --files-from -: a directory line" "$WORK/out" "units/sub/2021-haiyang-bicheng.yaml: ok"
check_contains "check --files-from -: a file line" "$WORK/out" "units/demo-2021.yaml: ok"
mkdir many
i=0
while [ $i -lt 360 ]; do cp units/sub/2021-haiyang-bicheng.yaml many/u$i.yaml; i=$((i + 1)); done
run "$NIANBAO" check --quiet many
check_not_contains "no progress line when stderr is not a terminal" "$WORK/err" "drafts done"
if command -v script >/dev/null 2>&1; then
	script -qec "'$NIANBAO' check --quiet many" /dev/null > tty.out 2>&1 || true
	check_contains "a progress line on a terminal for a long batch" tty.out "350 drafts done"
	check_contains "the progress line is erased at the end" tty.out "$(printf '\r\033[K')"
fi

done_testing
