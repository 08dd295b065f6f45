#!/bin/sh
# make bench: measures what users feel (see the README's performance section).
# Usage: bench/run.sh BUILDDIR SRCDIR [RUNS]
# Prints one table; never fails because the machine is slow.
set -u
B=$1
S=$2
RUNS=${3:-5}
NB="$B/nianbao"
export NIANBAO_TEMPLATES="$S/forms"
export LC_ALL=C.UTF-8
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# stats V1 V2 ...: "median min max" of the values
stats() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.6g %.6g %.6g", m, v[1], v[NR] }'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2" | head -1; }
# row LABEL MEDIAN MIN MAX; printf pads by bytes, so a Chinese character (3 bytes,
# 2 columns) gets one space added back
row() {
	local wide=$(( ($(printf %s "$1" | wc -c) - $(printf %s "$1" | wc -m)) / 2 ))
	printf "| %-$((56 + wide))s | %12s | %12s | %12s |\n" "$1" "$2" "$3" "$4"
}

echo "nianbao benchmark: $(uname -m), $(nproc) cores, $RUNS runs each, $(date -u +%Y-%m-%d)"
echo
row "measure" "median" "min" "max"
row "--------------------------------------------------------" "------------" "------------" "------------"

for n in 1000 10000; do
	mkdir -p "$tmp/d$n"
	"$B/bench/gen_drafts" gov-info-2021 "$n" "$tmp/d$n" 42 || { echo "gen_drafts failed"; exit 0; }
	check_rates= floor_rates= ratios= rss=
	for r in $(seq "$RUNS"); do
		"$B/bench/runstat" "$NB" check --quiet "$tmp/d$n"/*.yaml >/dev/null 2>"$tmp/check.err"
		cs=$(field seconds "$tmp/check.err")
		rss="$rss $(field maxrss_kb "$tmp/check.err")"
		"$B/bench/parse_floor" "$tmp/d$n"/*.yaml >"$tmp/floor.out"
		fs=$(field seconds "$tmp/floor.out")
		check_rates="$check_rates $(echo "$n $cs" | awk '{ printf "%.0f", $1 / $2 }')"
		floor_rates="$floor_rates $(echo "$n $fs" | awk '{ printf "%.0f", $1 / $2 }')"
		ratios="$ratios $(echo "$cs $fs" | awk '{ printf "%.3f", $1 / $2 }')"
	done
	set -- $(stats $check_rates); row "check --quiet, $n drafts (drafts/s)" "$1" "$2" "$3"
	set -- $(stats $floor_rates); row "libyaml parse only, $n drafts (drafts/s)" "$1" "$2" "$3"
	set -- $(stats $ratios); row "check / parse time ratio, $n drafts (goal <= 1.5)" "$1" "$2" "$3"
	set -- $(stats $rss); row "check peak RSS, $n drafts (KiB)" "$1" "$2" "$3"
done

# Wall time on a shared machine is noisy; instruction counts are not. One callgrind run
# each (deterministic), so median = min = max.
if command -v valgrind >/dev/null 2>&1; then
	irefs() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : *//p' | tail -1; }
	ci=$(irefs "$NB" check --quiet "$tmp/d1000"/*.yaml)
	fi=$(irefs "$B/bench/parse_floor" "$tmp/d1000"/*.yaml)
	if [ -n "$ci" ] && [ -n "$fi" ]; then
		cm=$(echo "$ci" | awk '{ printf "%.1f", $1 / 1e6 }')
		fm=$(echo "$fi" | awk '{ printf "%.1f", $1 / 1e6 }')
		row "check, 1000 drafts (million instructions, callgrind)" "$cm" "$cm" "$cm"
		row "libyaml parse only, 1000 drafts (million instructions)" "$fm" "$fm" "$fm"
		r=$(echo "$ci $fi" | awk '{ printf "%.3f", $1 / $2 }')
		row "check / parse instruction ratio (goal <= 1.5)" "$r" "$r" "$r"
	fi
fi

if [ -x "$B/bench/render_bench" ]; then
	rates=
	for r in $(seq "$RUNS"); do
		"$B/bench/render_bench" "$tmp/d1000"/*.yaml >"$tmp/render.out" 2>&1
		rates="$rates $(field rate "$tmp/render.out")"
	done
	set -- $(stats $rates); row "render in one process, 1000 drafts (drafts/s)" "$1" "$2" "$3"
fi
rates=
for r in $(seq "$RUNS"); do
	start=$(date +%s.%N)
	for f in $(ls "$tmp/d1000"/*.yaml | head -200); do "$NB" render "$f" >/dev/null; done
	end=$(date +%s.%N)
	rates="$rates $(echo "$start $end" | awk '{ printf "%.0f", 200 / ($2 - $1) }')"
done
set -- $(stats $rates); row "nianbao render, a process per draft (drafts/s)" "$1" "$2" "$3"

draft="$S/examples/demo-2021.yaml"
[ -f "$draft" ] || draft="$tmp/d1000/draft-00000.yaml"
for size in "80 24" "120 40"; do
	set -- $size
	up= keyb= keyms= full= erss= ratio= key2= ratio2=
	for r in $(seq "$RUNS"); do
		cp "$draft" "$tmp/edit.yaml"
		rm -f "$tmp/.edit.yaml.lock" "$tmp/.edit.yaml.autosave"
		# PgDn twice to section 三, then one digit into the first cell of the table
		"$B/bench/ptybench" "$1" "$2" '\x1b[6~\x1b[6~7' "$NB" edit "$tmp/edit.yaml" >"$tmp/pty.out" 2>&1
		up="$up $(field startup_ms "$tmp/pty.out")"
		full="$full $(field repaint_bytes "$tmp/pty.out")"
		ratio="$ratio $(awk -F= '/^key_bytes/ { k = $2 + 0 } /^repaint_bytes/ { r = $2 } END { printf "%.2f", 100 * k / r }' "$tmp/pty.out")"
		keyb="$keyb $(field key_bytes "$tmp/pty.out")"
		keyms="$keyms $(field key_ms "$tmp/pty.out")"
		erss="$erss $(field maxrss_kb "$tmp/pty.out")"
		# the steady state: a second digit into the same cell
		rm -f "$tmp/.edit.yaml.lock" "$tmp/.edit.yaml.autosave"
		"$B/bench/ptybench" "$1" "$2" '\x1b[6~\x1b[6~73' "$NB" edit "$tmp/edit.yaml" >"$tmp/pty2.out" 2>&1
		key2="$key2 $(field key_bytes "$tmp/pty2.out")"
		ratio2="$ratio2 $(awk -F= '/^key_bytes/ { k = $2 + 0 } /^repaint_bytes/ { r = $2 } END { printf "%.2f", 100 * k / r }' "$tmp/pty2.out")"
	done
	set -- $(stats $up); row "editor start-up to first screen, ${size% *}x${size#* } (ms, goal < 20)" "$1" "$2" "$3"
	set -- $(stats $full); row "  bytes of a full repaint of table 三 (Ctrl-L)" "$1" "$2" "$3"
	set -- $(stats $keyb); row "  bytes for one digit in table 三" "$1" "$2" "$3"
	set -- $(stats $ratio); row "  digit / full repaint (%, goal < 5)" "$1" "$2" "$3"
	set -- $(stats $key2); row "  bytes for a second digit in the same cell" "$1" "$2" "$3"
	set -- $(stats $ratio2); row "  second digit / full repaint (%)" "$1" "$2" "$3"
	set -- $(stats $keyms); row "  key to last byte written (ms)" "$1" "$2" "$3"
	set -- $(stats $erss); row "  editor peak RSS (KiB)" "$1" "$2" "$3"
done
echo
echo "Start-up and key times run to the last byte the editor wrote; the 150 ms of silence"
echo "that ends each measurement is not counted."
