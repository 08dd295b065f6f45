#!/bin/sh
# nianbao render --format html|docx: the choice of format, the same refusal and safety rules
# as the text, the goldens, and the real readers (python-docx, html5lib, tidy, LibreOffice,
# Chromium) when they are installed (.ci/run installs them all).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"
PY=/usr/bin/python3
CHECK="$top_srcdir/tests/e2e/publish_check.py"
export HOME="$WORK/home"     # LibreOffice and Chromium keep a profile there
mkdir -p "$HOME"

has_py() { [ -x "$PY" ] && "$PY" -c "import $1" 2>/dev/null; }
is_zip() { [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = 'PK003004' ]; }

run "$NIANBAO" new --org 测试局 --year 2021 blank.yaml
sed -e 's/: ~/: 0/g' blank.yaml > clean.yaml
sed -i -e 's/^preface: 0$/preface: ~/' -e 's/^overview: 0$/overview: 本年度未收到政府信息公开申请。/' \
	-e 's/^problems: 0$/problems: 无。/' -e 's/^other_matters: 0$/other_matters: 本年度未收取信息处理费。/' clean.yaml
run "$NIANBAO" check clean.yaml
check_status "the test draft is clean" 0

# ---- the format: --format, or -o's extension; text by default ----
run "$NIANBAO" render --format html clean.yaml
check_status "--format html renders" 0
if head -1 "$WORK/out" | grep -qx '<!DOCTYPE html>'; then ok "--format html writes an HTML page"; else not_ok "--format html writes an HTML page" "$(head -2 "$WORK/out")"; fi
run "$NIANBAO" render -o page.html clean.yaml
check_status "-o page.html renders" 0
check_contains "-o page.html writes HTML" page.html '<html lang="zh-CN">'
run "$NIANBAO" render -o page.HTM clean.yaml
check_contains "-o page.HTM writes HTML too" page.HTM '<!DOCTYPE html>'
run "$NIANBAO" render -o report.docx clean.yaml
check_status "-o report.docx renders" 0
if is_zip report.docx; then ok "-o report.docx writes a zip"; else not_ok "-o report.docx writes a zip"; fi
run "$NIANBAO" render --format docx -o report2.docx clean.yaml
check_same "the same document from --format docx" report.docx report2.docx
run "$NIANBAO" render -o report.txt clean.yaml
check_contains "-o report.txt writes text" report.txt "+----"
run "$NIANBAO" render -o report clean.yaml
check_contains "-o without an extension writes text" report "+----"
run "$NIANBAO" render --format text -o clash.html clean.yaml
check_status "--format and an extension that disagree are a usage error" 2
[ -e clash.html ] && not_ok "nothing is written on a format clash" || ok "nothing is written on a format clash"
run "$NIANBAO" render --format pdf clean.yaml
check_status "an unknown format is a usage error" 2
check_contains "the format error lists the formats" "$WORK/err" "text, html or docx"
run "$NIANBAO" render --format html --width 100 clean.yaml
check_status "--width with html is a usage error" 2
run "$NIANBAO" render --encoding GB18030 -o x.docx clean.yaml
check_status "--encoding with docx is a usage error" 2
run "$NIANBAO" render --date 2022-02-30 -o x.html clean.yaml
check_status "a date that is no day is a usage error" 2

# ---- the same rules as text ----
run "$NIANBAO" render -o refused.html blank.yaml
check_status "html refuses a draft with errors" 1
[ -e refused.html ] && not_ok "a refused html render writes nothing" || ok "a refused html render writes nothing"
echo keep > refused.docx
run "$NIANBAO" render -o refused.docx blank.yaml
check_status "docx refuses a draft with errors" 1
check_contains "a refused docx render leaves -o as it was" refused.docx keep
run "$NIANBAO" render --force -o blank.html blank.yaml
check_status "--force renders html" 0
check_contains "--force html is marked 草稿 at the top" blank.html '<p class="draft-mark">【草稿】</p>'
check_contains "--force html is marked 草稿 in the title" blank.html '<title>【草稿】'
run "$NIANBAO" render --force -o blank.docx blank.yaml
check_status "--force renders docx" 0
cp clean.yaml keep.yaml
run "$NIANBAO" render -o clean.yaml clean.yaml
check_status "-o naming the draft itself is refused" 2
check_contains "the refusal says why" "$WORK/err" "render does not write over drafts"
check_same "the draft is untouched" keep.yaml clean.yaml
mkdir -p y && cp clean.yaml y/2020.yaml && sed 's/^year: 2021$/year: 2021\nprevious: 2020.yaml/' clean.yaml > y/2021.yaml
cp y/2020.yaml keep2020.yaml
run "$NIANBAO" render -o y/2020.yaml y/2021.yaml
check_status "-o naming last year's draft is refused" 2
check_same "last year's draft is untouched" keep2020.yaml y/2020.yaml
run "$NIANBAO" render -o no/such/dir/out.docx clean.yaml
check_status "an unwritable -o is an error" 2
ls -a | grep -E '^\.?(report|page).*(tmp|~)' && not_ok "no temporary or backup file is left" || ok "no temporary or backup file is left"
run "$NIANBAO" render -o again.docx clean.yaml
check_same "a document is the same bytes every time" report.docx again.docx
run "$NIANBAO" render --date 2022-01-20 -o dated.html clean.yaml
check_contains "--date signs the page" dated.html '<span>2022年1月20日</span>'
run "$NIANBAO" render --date 2022年1月20日 clean.yaml
check_contains "--date signs the text report" "$WORK/out" "2022年1月20日"

# ---- hostile text: < & quotes, control characters, very long lines ----
long=$(head -c 30000 /dev/zero | tr '\0' 'x')
cjk=$(i=0; while [ $i -lt 400 ]; do printf '政务公开'; i=$((i + 1)); done)
sed -e 's/^organization: .*/organization: "示例<b>局 \&amp; \\"引号\\" '"'"'单'"'"' \\x01\\u0085\\x7f尾"/' \
	-e "s/^problems: .*/problems: \"<script>alert(1)<\/script> \& \\\\\"q\\\\\" '\\\\x02\\\\u0085\\\\uFFFE'\\\\n$long\\\\n$cjk\"/" \
	clean.yaml > hostile.yaml
run "$NIANBAO" render --force -o hostile.html hostile.yaml
check_status "a hostile draft renders to html" 0
check_not_contains "no markup gets through" hostile.html '<script>'
check_contains "markup is escaped" hostile.html '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;'
check_contains "an escaped entity stays visible" hostile.html '示例&lt;b&gt;局 &amp;amp; &quot;引号&quot;'
run "$NIANBAO" render --force -o hostile.docx hostile.yaml
check_status "a hostile draft renders to docx" 0

# ---- goldens: the examples ----
goldens=0
for draft in "$top_srcdir"/examples/*.yaml; do
	name=$(basename "$draft" .yaml)
	"$NIANBAO" render --force -o "$name.html" "$draft" 2>/dev/null || true
	"$NIANBAO" render --force -o "$name.docx" "$draft" 2>/dev/null || true
	"$NIANBAO" render --force "$draft" > "$name.txt" 2>/dev/null || true
	check_same "golden $name.html" "$top_srcdir/tests/golden/$name.html" "$name.html"
	goldens=$((goldens + 1))
	if [ -x "$PY" ]; then
		"$PY" "$CHECK" dump "$name.docx" > "$name.docx.txt"
		check_same "golden $name.docx" "$top_srcdir/tests/golden/$name.docx.txt" "$name.docx.txt"
		goldens=$((goldens + 1))
	fi
done
[ "$goldens" -ge 5 ] && ok "goldens were compared ($goldens)" || not_ok "goldens were compared ($goldens)"

# ---- the real readers ----
drafts="blank hostile"
for draft in "$top_srcdir"/examples/*.yaml; do drafts="$drafts $(basename "$draft" .yaml)"; done
path_of() { if [ -f "$1.yaml" ]; then echo "$1.yaml"; else echo "$top_srcdir/examples/$1.yaml"; fi; }
"$NIANBAO" render --force blank.yaml > blank.txt 2>/dev/null || true
"$NIANBAO" render --force hostile.yaml > hostile.txt 2>/dev/null || true

if has_py docx && has_py yaml; then
	for d in $drafts; do
		run "$PY" "$CHECK" docx "$d.docx" "$(path_of "$d")"
		if [ "$status" -eq 0 ]; then ok "python-docx reads $d.docx back"; else not_ok "python-docx reads $d.docx back" "$(cat "$WORK/out" "$WORK/err")"; fi
	done
else
	echo "# SKIP python-docx or PyYAML is missing (apt-get install python3-docx python3-yaml)"
fi
if has_py html5lib && has_py yaml; then
	for d in $drafts; do
		run "$PY" "$CHECK" html "$d.html" "$(path_of "$d")" "$d.txt"
		if [ "$status" -eq 0 ]; then ok "html5lib parses $d.html strictly, its grid as drafted"; else not_ok "html5lib parses $d.html strictly, its grid as drafted" "$(cat "$WORK/out" "$WORK/err")"; fi
	done
else
	echo "# SKIP html5lib or PyYAML is missing (apt-get install python3-html5lib python3-yaml)"
fi
if command -v tidy >/dev/null 2>&1; then
	for d in $drafts; do
		run tidy -q -e "$d.html"
		if [ "$status" -eq 0 ]; then ok "tidy finds nothing in $d.html"; else not_ok "tidy finds nothing in $d.html" "$(head -20 "$WORK/err")"; fi
	done
else
	echo "# SKIP tidy is missing (apt-get install tidy)"
fi
if command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && has_py docx; then
	mkdir -p lo
	for d in $drafts; do
		run soffice --headless --norestore --convert-to pdf --outdir lo "$d.docx"
		if [ -s "lo/$d.pdf" ]; then ok "LibreOffice converts $d.docx"; else not_ok "LibreOffice converts $d.docx" "$(cat "$WORK/out" "$WORK/err")"; continue; fi
		pdftotext -raw "lo/$d.pdf" "lo/$d.txt"
		run "$PY" "$CHECK" order "lo/$d.txt" "$d.docx"
		if [ "$status" -eq 0 ]; then ok "its PDF has every label and number of $d in order"; else not_ok "its PDF has every label and number of $d in order" "$(cat "$WORK/out" "$WORK/err")"; fi
	done
else
	echo "# SKIP LibreOffice, pdftotext or python-docx is missing (apt-get install libreoffice-writer-nogui poppler-utils python3-docx)"
fi
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$chrome" ] && command -v pdftotext >/dev/null 2>&1 && has_py html5lib; then
	mkdir -p ch
	for d in $drafts; do
		run "$chrome" --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$WORK/ch/$d.pdf" "file://$WORK/$d.html"
		if [ -s "ch/$d.pdf" ]; then ok "Chromium prints $d.html"; else not_ok "Chromium prints $d.html" "$(tail -5 "$WORK/err")"; continue; fi
		pdftotext -raw "ch/$d.pdf" "ch/$d.txt"
		run "$PY" "$CHECK" order "ch/$d.txt" "$d.html"
		if [ "$status" -eq 0 ]; then ok "its print has every label and number of $d in order"; else not_ok "its print has every label and number of $d in order" "$(cat "$WORK/out" "$WORK/err")"; fi
		# the tables alone (Chromium lets a line's closing punctuation hang into the margin)
		sed 's|</style>|main>:not(table){display:none}\n</style>|' "$d.html" > "ch/$d.tables.html"
		"$chrome" --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$WORK/ch/$d.tables.pdf" "file://$WORK/ch/$d.tables.html" >/dev/null 2>&1 || true
		pdftotext -bbox "ch/$d.tables.pdf" "ch/$d.bbox.html"
		run "$PY" "$CHECK" width "ch/$d.bbox.html"
		if [ "$status" -eq 0 ]; then ok "no table of $d runs past the A4 text width"; else not_ok "no table of $d runs past the A4 text width" "$(cat "$WORK/out" "$WORK/err")"; fi
	done
else
	echo "# SKIP Chromium, pdftotext or html5lib is missing (apt-get install chromium poppler-utils python3-html5lib)"
fi

done_testing
