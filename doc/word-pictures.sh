#!/bin/sh
# Renders the pictures of the Word output in the README: the demo draft as a Word document,
# converted by LibreOffice to PDF, its first page and the page of table 三 as PNG.
# Usage: doc/word-pictures.sh [NIANBAO]  (needs soffice and pdftoppm)
# Machines without the official fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 宋体) show the
# picture in Noto CJK through a fontconfig alias, so that it looks like print, not a UI font.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
nianbao=${1:-$top/nianbao}
export NIANBAO_TEMPLATES="$top/forms"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/fonts.conf" <<'CONF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>方正小标宋简体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
</fontconfig>
CONF
"$nianbao" render --date 2022-01-20 -o "$tmp/demo-2021.docx" "$top/examples/demo-2021.yaml"
HOME="$tmp" FONTCONFIG_FILE="$tmp/fonts.conf" soffice --headless --convert-to pdf --outdir "$tmp" "$tmp/demo-2021.docx" >/dev/null
for page in 1 3; do
	pdftoppm -r 60 -f $page -l $page -singlefile -png "$tmp/demo-2021.pdf" "$top/doc/word-page-$page"
done
