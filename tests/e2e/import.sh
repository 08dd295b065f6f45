#!/bin/sh
# nianbao import: the reference reports, the summary, refusals, and render -> import.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"
R="$top_srcdir/tests/data/reports"

run "$NIANBAO" import "$R/2021-jining-jkq-zzb.txt" jining.yaml
check_status "a published report imports" 0
check_contains "the summary names the template found" "$WORK/out" "template: gov-info-2021"
check_contains "the summary names the organization and year" "$WORK/out" "organization: 济宁经济技术开发区党工委组织部; year: 2021"
check_contains "the summary counts the cells read" "$WORK/out" "cells read: 166 of 166; blank: 0"
check_contains "the numbers land in their cells" jining.yaml "    normative: {issued: 24, repealed: 0, in_force: 24}"
check_contains "and the narrative in its field" jining.yaml "  （二）依申请公开情况"
run "$NIANBAO" check jining.yaml
check_status "the imported draft checks without errors" 0
check_contains "check then finds what the report lacks" "$WORK/err" "[fee-mention]"

run "$NIANBAO" import "$R/2021-haiyang-bicheng.txt" haiyang.yaml
check_status "a tab-separated report imports" 0
check_contains "its organization is read from a title with spaces" "$WORK/out" "organization: 海阳市碧城工业区管理服务中心; year: 2021"

# a title year no report can have: the year stays blank, and check says so
sed -e 's/2021 年政府信息公开/2437 年政府信息公开/' "$R/2021-haiyang-bicheng.txt" > year.txt
run "$NIANBAO" import year.txt year.yaml
check_status "a report with an impossible year imports" 0
check_contains "the summary shows the year as unknown" "$WORK/out" "year: ?"
check_contains "and says why" "$WORK/out" "the title's year 2437 is not a report year"
run "$NIANBAO" check year.yaml
check_status "check fails a draft without a year" 1
check_contains "naming the year line" "$WORK/err" "year.yaml:4:7: error: [template-year] the report has no year"

# a cell left empty and a dash: blank, listed by row
sed -e 's/^规章\t0\t0\t0$/规章\t\t—\t0/' "$R/2021-haiyang-bicheng.txt" > gaps.txt
run "$NIANBAO" import gaps.txt gaps.yaml
check_status "a report with gaps imports" 0
check_contains "empty and dashed cells are blank, not 0" gaps.yaml "    rules: {issued: ~, repealed: ~, in_force: 0}"
check_contains "the summary lists the blank cells by row" "$WORK/out" "blank: proactive.art20_1.rules: issued repealed"

before=$(sha256sum jining.yaml)
run "$NIANBAO" import "$R/2021-shanhaiguan-fgj.txt" jining.yaml
check_status "import refuses to overwrite a draft" 2
[ "$(sha256sum jining.yaml)" = "$before" ] && ok "the existing draft is unchanged" || not_ok "the existing draft is unchanged"

printf '会议纪要\n今天开会。\n' > notes.txt
run "$NIANBAO" import notes.txt notes.yaml
check_status "text that is not an annual report exits 2" 2
check_contains "and says why" "$WORK/err" "notes.txt: error: does not look like a government information disclosure annual report"
[ ! -e notes.yaml ] && ok "no draft is written for it" || not_ok "no draft is written for it"

# "-": the draft on standard output, the summary on standard error, no file named "-"
"$NIANBAO" import "$R/2021-jining-jkq-zzb.txt" - > stdout.yaml 2> stdout.err && st=0 || st=$?
[ "$st" = 0 ] && ok "import REPORT - exits 0" || not_ok "import REPORT - exits 0 (got $st)"
check_same "import REPORT - writes the same draft to standard output" jining.yaml stdout.yaml
check_contains "and its summary to standard error" stdout.err "cells read: 166 of 166; blank: 0"
[ ! -e ./- ] && ok "no file named - is written" || not_ok "no file named - is written"

# the reports that came back wrong before: amounts in 元, space-aligned columns, Markdown
run "$NIANBAO" import "$R/2019-shanghai-bgt.txt" shanghai.yaml
check_status "a browser's copy of a portal page imports" 0
check_contains "its organization is read from a title that starts with the year" "$WORK/out" "organization: 上海市人民政府办公厅; year: 2019"
check_contains "an amount in 元 is converted to 万元" shanghai.yaml "    procurement: {projects: 6, amount: 25.1}"
check_contains "with a note" "$WORK/out" "converted exactly to 25.1 万元"
run "$NIANBAO" import "$R/2024-hongze-qzf-layout.txt" hongze.yaml
check_status "pdftotext -layout text imports" 0
check_contains "space-aligned numbers stay apart" hongze.yaml "  partial: {natural: 9, business: 0, research: 0, nonprofit: 0, legal: 0, other: 0}"
run "$NIANBAO" import "$R/2025-shuyang-xzf-ocr.txt" shuyang.yaml
check_status "an OCR conversion to Markdown imports" 0
check_contains "its pipe tables are read" shuyang.yaml "  other_misc: {natural: 142, business: 1, research: 0, nonprofit: 0, legal: 0, other: 0}"
check_contains "money keeps its decimals" shuyang.yaml "    fees: {amount: 4068.208}"

# a title without the organization: import says so, check fails it
printf '2021年政府信息公开工作年度报告\n一、总体情况\n好。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n' > noorg.txt
run "$NIANBAO" import noorg.txt noorg.yaml
check_status "a report whose tables were images imports" 0
check_contains "the summary says the title names no organization" "$WORK/out" "the title names no organization"
check_contains "and that the tables were not in the text" "$WORK/out" "the tables are not in the text"
run "$NIANBAO" check noorg.yaml
check_status "check fails a draft without an organization" 1
check_contains "naming the organization line" "$WORK/err" "noorg.yaml:2:11: error: [organization] the organization is empty"

# documents, recognised by content: a web page with the tables as <table>, a PDF
awk 'BEGIN { print "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>年报</title></head><body>" }
	/\t/ { if (!t) print "<table>"; t = 1; sub(/\t+$/, ""); n = split($0, c, "\t"); printf "<tr>"; for (i = 1; i <= n; i++) printf "<td>%s</td>", c[i]; print "</tr>"; next }
	{ if (t) print "</table>"; t = 0; print "<p>" $0 "</p>" }
	END { if (t) print "</table>"; print "</body></html>" }' "$R/2021-haiyang-bicheng.txt" > page.txt
run "$NIANBAO" import page.txt page.yaml
check_status "a web page imports, whatever its name" 0
check_contains "it is read as HTML" "$WORK/out" "read as: HTML"
check_contains "every cell of its tables" "$WORK/out" "cells read: 166 of 166; blank: 0"
grep -A200 '^proactive:' haiyang.yaml | grep -B200 '^appeals:' > haiyang.cells
grep -A200 '^proactive:' page.yaml | grep -B200 '^appeals:' > page.cells
check_same "the same cells as its text" haiyang.cells page.cells
printf '%%PDF-1.4\nnot really\n' > broken.pdf
run "$NIANBAO" import broken.pdf broken.yaml
check_status "a PDF pdftotext cannot read exits 2" 2
if command -v pdftotext >/dev/null 2>&1; then
	check_contains "and says so" "$WORK/err" "pdftotext could not read this PDF"
else
	check_contains "and says what to install" "$WORK/err" "poppler-utils"
fi
PATH=/nonexistent run "$NIANBAO" import broken.pdf broken.yaml
check_contains "without pdftotext, import says what to install" "$WORK/err" "apt-get install poppler-utils"
[ ! -e broken.yaml ] && ok "no draft is written for an unreadable PDF" || not_ok "no draft is written for an unreadable PDF"

# a long report costs time in proportion: 150 000 lines of narrative that never end a
# sentence, repeated lines everywhere (once quadratic: minutes)
awk 'BEGIN { print "某局"; print "2021年政府信息公开工作年度报告"; print "一、总体情况"
	for (i = 0; i < 150000; i++) printf "这是第%d行的文字，页眉页脚测试 %d\n", i % 50, i
	print "二、主动公开政府信息情况"; print "三、收到和处理政府信息公开申请情况"
	print "四、政府信息公开行政复议、行政诉讼情况"; print "五、存在的主要问题及改进情况"; print "无"
	print "六、其他需要报告的事项"; print "无" }' > long.txt
start=$(date +%s)
run "$NIANBAO" import long.txt long.yaml
check_status "a report of 150 000 lines imports" 0
[ $(($(date +%s) - start)) -lt 60 ] && ok "in well under a minute" || not_ok "in well under a minute"

run "$NIANBAO" import nosuch.txt x.yaml
check_status "a missing report exits 2" 2

# render, then import: the same draft
for ex in demo-2020 demo-2021; do
	"$NIANBAO" render --width 72 "$top_srcdir/examples/$ex.yaml" > "$ex.txt"
	run "$NIANBAO" import "$ex.txt" "$ex.yaml"
	grep -v '^previous:' "$top_srcdir/examples/$ex.yaml" > "$ex.want"
	check_same "render then import gives $ex back" "$ex.want" "$ex.yaml"
done

done_testing
