#!/bin/sh
# nianbao import of real PDFs: our own Word output of every draft in examples/ (the demo
# drafts and the reference reports) printed to PDF by LibreOffice, and our HTML output
# printed by headless Chromium, read back through pdftotext -layout.  No cell may come back
# wrong; blank is allowed and counted.  Skipped when soffice, pdftotext or python3 with yaml
# is missing; the Chromium half when chromium is.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
command -v soffice >/dev/null 2>&1 || skip_all "soffice (LibreOffice) is not installed"
command -v pdftotext >/dev/null 2>&1 || skip_all "pdftotext (poppler-utils) is not installed"
python3 -c 'import yaml' >/dev/null 2>&1 || skip_all "python3 with yaml is not installed"

# this build's Word files
names=
for src in "$top_srcdir"/examples/*.yaml; do
	name=$(basename "$src" .yaml)
	names="$names $name"
	run "$NIANBAO" render --format docx -f -o "$name.docx" "$src"
	check_status "$name.docx is written" 0
done

# and drafts like demo-2021 with other numbers: five-digit ones that wrap in their cells,
# and blank cells (tests/e2e/pdfvary.py)
python3 "$top_srcdir/tests/e2e/pdfvary.py" "$top_srcdir/examples/demo-2021.yaml" 1 5
for src in vary-*.yaml; do
	name=$(basename "$src" .yaml)
	names="$names $name"
	run "$NIANBAO" render --format docx -f -o "$name.docx" "$src"
	check_status "$name.docx is written" 0
done

# one LibreOffice run converts them all (it takes seconds); its profile stays in $WORK
HOME="$WORK" soffice --headless --norestore --convert-to pdf --outdir "$WORK" ./*.docx \
	>soffice.log 2>&1 </dev/null || true
converted=yes
for name in $names; do [ -s "$name.pdf" ] || converted=no; done

total_right=0 total_blank=0
# check_pdfs KIND: imports $name.pdf for every name and counts its cells against the draft
check_pdfs() {
	for name in $names; do
		run "$NIANBAO" import "$name.pdf" "$name.$1.yaml"
		check_status "$name.pdf ($1) imports" 0
		[ -s "$name.$1.yaml" ] || continue
		source="$top_srcdir/examples/$name.yaml"
		[ -f "$source" ] || source="$WORK/$name.yaml"
		python3 "$top_srcdir/tests/e2e/pdfcells.py" "$source" "$name.$1.yaml" > "$name.$1.cells"
		read -r _ right _ blank _ wrong < "$name.$1.cells"
		echo "# $name.pdf ($1): right $right blank $blank wrong $wrong"
		total_right=$((total_right + right)) total_blank=$((total_blank + blank))
		if [ "$wrong" = 0 ]; then ok "$name.pdf ($1): no cell wrong ($right right, $blank blank)"; else
			not_ok "$name.pdf ($1): no cell wrong" "$(sed -n '2,12p' "$name.$1.cells")"
		fi
	done
}
if [ $converted = yes ]; then
	check_pdfs docx
else
	ok "the Word files as PDF # SKIP soffice did not convert them: $(head -c 200 soffice.log | tr '\n' ' ')"
fi

# this build's web pages, printed by Chromium
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$chromium" ]; then
	for name in $names; do
		rm -f "$name.pdf"
		source="$top_srcdir/examples/$name.yaml"
		[ -f "$source" ] || source="$WORK/$name.yaml"
		run "$NIANBAO" render --format html -f -o "$name.html" "$source"
		check_status "$name.html is written" 0
		HOME="$WORK" "$chromium" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
			--user-data-dir="$WORK/chromium" --print-to-pdf="$WORK/$name.pdf" "file://$WORK/$name.html" \
			>chromium.log 2>&1 </dev/null || true
	done
	printed=yes
	for name in $names; do [ -s "$name.pdf" ] || printed=no; done
	if [ $printed = yes ]; then
		check_pdfs html
	else
		ok "the web pages as PDF # SKIP chromium did not print them: $(head -c 200 chromium.log | tr '\n' ' ')"
	fi
else
	echo "# chromium is not installed: the HTML half is left out"
fi
echo "# all PDFs: right $total_right blank $total_blank"
done_testing
