#!/bin/sh
# Regenerates the report goldens from the examples: tests/golden/regen.sh [NIANBAO]
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
