#!/bin/sh
# Regenerates the report goldens (text, HTML, DOCX) from the examples: tests/golden/regen.sh [NIANBAO]
# Review the diff before committing it: a golden is the report as the public reads it.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
nianbao=${1:-$top/nianbao}
export NIANBAO_TEMPLATES="$top/forms"
for draft in "$top"/examples/*.yaml; do
	name=$(basename "$draft" .yaml)
	"$nianbao" render --force --width 80 "$draft" > "$top/tests/golden/$name.80.txt"
	"$nianbao" render --force --width 60 "$draft" > "$top/tests/golden/$name.60.txt"
	"$nianbao" render --force --borders unicode "$draft" > "$top/tests/golden/$name.unicode.txt"
done
# the web page and the Word document (every part of its zip, as text)
for draft in "$top"/examples/*.yaml; do
	name=$(basename "$draft" .yaml)
	"$nianbao" render --force -o "$top/tests/golden/$name.html" "$draft"
	tmp=$(mktemp -d)
	"$nianbao" render --force -o "$tmp/$name.docx" "$draft"
	/usr/bin/python3 "$top/tests/e2e/publish_check.py" dump "$tmp/$name.docx" > "$top/tests/golden/$name.docx.txt"
	rm -rf "$tmp"
done
