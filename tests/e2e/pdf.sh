#!/bin/sh
# nianbao import of real PDFs: our own Word output of every draft in examples/ (the demo
# drafts and the reference reports), printed to PDF by LibreOffice, read back through
# pdftotext -layout.  No cell may come back wrong; blank is allowed and counted.
# Skipped when soffice, pdftotext or python3 with yaml is missing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
set -e
cd "$WORK"
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
command -v soffice >/dev/null 2>&1 || skip_all "soffice (LibreOffice) is not installed"
command -v pdftotext >/dev/null 2>&1 || skip_all "pdftotext (poppler-utils) is not installed"
python3 -c 'import yaml' >/dev/null 2>&1 || skip_all "python3 with yaml is not installed"

# the Word files: this build's own when it writes DOCX, else the ones kept in tests/data/docx
names=
for src in "$top_srcdir"/examples/*.yaml; do
	name=$(basename "$src" .yaml)
	names="$names $name"
	if ! "$NIANBAO" render --format docx -f -o "$name.docx" "$src" >/dev/null 2>&1; then
		rm -f "$name.docx"
		cp "$top_srcdir/tests/data/docx/$name.docx" "$name.docx"
		chmod u+w "$name.docx"
	fi
done

# one LibreOffice run converts them all (it takes seconds); its profile stays in $WORK
HOME="$WORK" soffice --headless --norestore --convert-to pdf --outdir "$WORK" ./*.docx \
	>soffice.log 2>&1 </dev/null || true
for name in $names; do
	[ -s "$name.pdf" ] || skip_all "soffice did not convert $name.docx: $(head -c 300 soffice.log)"
done

total_right=0 total_blank=0
for name in $names; do
	run "$NIANBAO" import "$name.pdf" "$name.imported.yaml"
	check_status "$name.pdf imports" 0
	[ -s "$name.imported.yaml" ] || continue
	python3 "$top_srcdir/tests/e2e/pdfcells.py" "$top_srcdir/examples/$name.yaml" \
		"$name.imported.yaml" > "$name.cells"
	read -r _ right _ blank _ wrong < "$name.cells"
	echo "# $name.pdf: right $right blank $blank wrong $wrong"
	total_right=$((total_right + right)) total_blank=$((total_blank + blank))
	if [ "$wrong" = 0 ]; then ok "$name.pdf: no cell wrong ($right right, $blank blank)"; else
		not_ok "$name.pdf: no cell wrong" "$(sed -n '2,12p' "$name.cells")"
	fi
done
echo "# all PDFs: right $total_right blank $total_blank"
done_testing
