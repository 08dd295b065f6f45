#!/bin/sh
# make bench: measures what users feel (see the README's performance section).
# Usage: bench/run.sh BUILDDIR SRCDIR [RUNS]
# Prints two tables; never fails because the machine is slow.
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
median() { set -- $(stats "$@"); echo "$1"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2" | head -1; }
# row LABEL MEDIAN MIN MAX; printf pads by bytes, so a Chinese character (3 bytes,
# 2 columns) gets one space added back
row() {
	local wide=$(( ($(printf %s "$1" | wc -c) - $(printf %s "$1" | wc -m)) / 2 ))
	printf "| %-$((62 + wide))s | %12s | %12s | %12s |\n" "$1" "$2" "$3" "$4"
}
rule() { row "--------------------------------------------------------------" "------------" "------------" "------------"; }
# irefs CMD...: instructions the command executes (callgrind), empty without valgrind
irefs() {
	command -v valgrind >/dev/null 2>&1 || return 0
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : *//p' | tail -1
}
# per_second N START END: N / (END - START)
per_second() { echo "$1 $2 $3" | awk '{ printf "%.0f", $1 / ($3 - $2) }'; }

echo "nianbao benchmark: $(uname -m), $(nproc) cores, $RUNS runs each, $(date -u +%Y-%m-%d)"
echo
row "measure" "median" "min" "max"
rule

# ---- check against its floor: a bare libyaml parse of the same files, each timed as a
# process (runstat), in pairs whose order alternates, so both see the same machine ----
for spec in 1000:1000 10000:1000 50000:200; do
	size=${spec%:*}
	n=${spec#*:}
	kb=$((size / 1000))
	d="$tmp/t$size"
	mkdir -p "$d"
	"$B/bench/gen_drafts" gov-info-2021 "$n" "$d" 42 "$size" || { echo "gen_drafts failed"; exit 0; }
	check_rates= floor_rates= ratios=
	for r in $(seq "$RUNS"); do
		for which in $( [ $((r % 2)) = 1 ] && echo "check floor" || echo "floor check"); do
			if [ "$which" = check ]; then
				"$B/bench/runstat" "$NB" check --quiet "$d"/*.yaml >/dev/null 2>"$tmp/check.err"
			else
				"$B/bench/runstat" "$B/bench/parse_floor" "$d"/*.yaml >/dev/null 2>"$tmp/floor.err"
			fi
		done
		cs=$(field seconds "$tmp/check.err")
		fs=$(field seconds "$tmp/floor.err")
		check_rates="$check_rates $(echo "$n $cs" | awk '{ printf "%.0f", $1 / $2 }')"
		floor_rates="$floor_rates $(echo "$n $fs" | awk '{ printf "%.0f", $1 / $2 }')"
		ratios="$ratios $(echo "$cs $fs" | awk '{ printf "%.3f", $1 / $2 }')"
	done
	set -- $(stats $check_rates); row "check --quiet, $n drafts with ${kb} KB of text (drafts/s)" "$1" "$2" "$3"
	set -- $(stats $floor_rates); row "  libyaml parse of the same files, a process (drafts/s)" "$1" "$2" "$3"
	set -- $(stats $ratios); row "  check / parse, paired wall time (goal <= 1.2)" "$1" "$2" "$3"
	files=$(ls "$d"/*.yaml | head -200)
	ci=$(irefs "$NB" check --quiet $files)
	fi=$(irefs "$B/bench/parse_floor" $files)
	if [ -n "$ci" ] && [ -n "$fi" ]; then
		r=$(echo "$ci $fi" | awk '{ printf "%.3f", $1 / $2 }')
		row "  check / parse, instructions (callgrind; goal <= 1.2)" "$r" "$r" "$r"
	fi
done

# ---- sum and review against check over the same 10 000 drafts (goal: each <= 1.5x check);
# wall time paired as above, instructions (callgrind) over 1000 of them, peak RSS 1k vs 10k ----
sd="$tmp/s10000"
mkdir -p "$sd"
if "$B/bench/gen_drafts" gov-info-2021 10000 "$sd" 7 1000 >/dev/null 2>&1; then
	ls "$sd"/*.yaml | head -1000 > "$tmp/s1k.list"
	for cmd in sum review; do
		ratios= rss10k= rss1k=
		for r in $(seq "$RUNS"); do
			for which in $( [ $((r % 2)) = 1 ] && echo "check $cmd" || echo "$cmd check"); do
				rm -f "$tmp/level.yaml" "$tmp/level.yaml~"
				case $which in
				check) "$B/bench/runstat" "$NB" check --quiet "$sd" >/dev/null 2>"$tmp/bc.err" ;;
				sum) "$B/bench/runstat" "$NB" sum -o "$tmp/level.yaml" "$sd" >/dev/null 2>"$tmp/bx.err" ;;
				review) "$B/bench/runstat" "$NB" review "$sd" >/dev/null 2>"$tmp/bx.err" ;;
				esac
			done
			ratios="$ratios $(echo "$(field seconds "$tmp/bx.err") $(field seconds "$tmp/bc.err")" | awk '{ printf "%.3f", $1 / $2 }')"
			rss10k="$rss10k $(field maxrss_kb "$tmp/bx.err")"
			rm -f "$tmp/level.yaml" "$tmp/level.yaml~"
			if [ "$cmd" = sum ]; then
				"$B/bench/runstat" "$NB" sum -o "$tmp/level.yaml" --files-from "$tmp/s1k.list" >/dev/null 2>"$tmp/b1.err"
			else
				"$B/bench/runstat" "$NB" review --files-from "$tmp/s1k.list" >/dev/null 2>"$tmp/b1.err"
			fi
			rss1k="$rss1k $(field maxrss_kb "$tmp/b1.err")"
		done
		set -- $(stats $ratios); row "$cmd / check, 10000 drafts, paired wall time (goal <= 1.5)" "$1" "$2" "$3"
		rm -f "$tmp/level.yaml" "$tmp/level.yaml~"
		if [ "$cmd" = sum ]; then
			xi=$(irefs "$NB" sum -o "$tmp/level.yaml" --files-from "$tmp/s1k.list")
		else
			xi=$(irefs "$NB" review --files-from "$tmp/s1k.list")
		fi
		ci=$(irefs "$NB" check --quiet --files-from "$tmp/s1k.list")
		if [ -n "$xi" ] && [ -n "$ci" ]; then
			r=$(echo "$xi $ci" | awk '{ printf "%.3f", $1 / $2 }')
			row "  $cmd / check, 1000 drafts, instructions (callgrind; goal <= 1.5)" "$r" "$r" "$r"
		fi
		set -- $(stats $rss1k); row "  $cmd, 1000 drafts: peak RSS (KiB)" "$1" "$2" "$3"
		set -- $(stats $rss10k); row "  $cmd, 10000 drafts: peak RSS (KiB)" "$1" "$2" "$3"
	done
	rm -f "$tmp/level.yaml"
	"$NB" sum -o "$tmp/level.yaml" "$sd" >/dev/null 2>&1
	ci=$(irefs "$NB" check --quiet "$tmp/level.yaml")
	[ -n "$ci" ] && row "check of the sum of 10000 drafts (sum-sources; million instructions)" \
		"$(echo "$ci" | awk '{ printf "%.0f", $1 / 1e6 }')" "" ""
	rm -rf "$sd"
fi

# ---- memory: flat in the number of files ----
d="$tmp/t1000"
if "$NB" check --help 2>&1 | grep -q -- --files-from; then
	ls "$d"/*.yaml > "$tmp/list1k"
	for i in $(seq 100); do cat "$tmp/list1k"; done > "$tmp/list100k"
	for list in list1k list100k; do
		rss=
		for r in $(seq "$RUNS"); do
			"$B/bench/runstat" "$NB" check --quiet --files-from "$tmp/$list" >/dev/null 2>"$tmp/rss.err"
			rss="$rss $(field maxrss_kb "$tmp/rss.err")"
		done
		count=$(wc -l < "$tmp/$list")
		set -- $(stats $rss); row "check --files-from, $count drafts: peak RSS (KiB)" "$1" "$2" "$3"
	done
else
	ls "$d"/*.yaml > "$tmp/list1k"
	for k in 1 10; do
		rss=
		for r in $(seq "$RUNS"); do
			"$B/bench/runstat" "$NB" check --quiet $(for i in $(seq $k); do cat "$tmp/list1k"; done) >/dev/null 2>"$tmp/rss.err"
			rss="$rss $(field maxrss_kb "$tmp/rss.err")"
		done
		set -- $(stats $rss); row "check, $((k * 1000)) drafts in argv: peak RSS (KiB)" "$1" "$2" "$3"
	done
fi

# ---- a process per draft, as a script calling nianbao for each file would ----
for cmd in check render; do
	rates=
	for r in $(seq "$RUNS"); do
		start=$(date +%s.%N)
		for f in $(ls "$d"/*.yaml | head -200); do "$NB" $cmd "$f" >/dev/null; done
		end=$(date +%s.%N)
		rates="$rates $(per_second 200 "$start" "$end")"
	done
	set -- $(stats $rates); row "nianbao $cmd, a process per draft (drafts/s)" "$1" "$2" "$3"
done
if [ -x "$B/bench/render_bench" ]; then
	# the text report, the portal page and the Word document (a zip) of the same drafts
	for format in text html docx; do
		rates=
		for r in $(seq "$RUNS"); do
			"$B/bench/render_bench" --format $format "$d"/*.yaml >"$tmp/render.out" 2>&1
			rates="$rates $(field rate "$tmp/render.out")"
		done
		set -- $(stats $rates); row "render --format $format in one process, 1000 drafts (drafts/s)" "$1" "$2" "$3"
	done
fi

# ---- the editor on a normal draft: a digit into table 三 ----
draft="$S/examples/demo-2021.yaml"
[ -f "$draft" ] || draft="$d/draft-00000.yaml"
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

# ---- the editor on one long paragraph (text pasted from a PDF), side by side with vim
# editing the same paragraph as a plain text file; 80x24, the cursor at the end of the
# paragraph; a key's cost is the median over 6 typed keys or 10 arrows (5 Up, 5 Down
# across wrapped rows), then the median over the runs ----
VIM=$(command -v vim 2>/dev/null)
# vim without a vimrc, swap or viminfo; arrows in insert mode move by screen row
printf '#!/bin/sh\nexec "%s" -u NONE -i NONE -N -n -c "set ttimeout ttimeoutlen=0" -c "imap <Up> <C-o>gk" -c "imap <Down> <C-o>gj" "$@"\n' "$VIM" > "$tmp/vim.sh"
chmod +x "$tmp/vim.sh"
echo
printf "| %-50s | %12s | %12s |\n" "one paragraph at 80x24 (median ms)" "nianbao" "vim"
printf "| %-50s | %12s | %12s |\n" "--------------------------------------------------" "------------" "------------"
for size in 25000 200000 1000000; do
	p="$tmp/p$size"
	mkdir -p "$p"
	"$B/bench/gen_drafts" gov-info-2021 1 "$p" 42 0 "$size" || { echo "gen_drafts failed"; exit 0; }
	awk '/^overview:/ { getline; sub(/^  /, ""); print; exit }' "$p/draft-00000.yaml" > "$p/para.txt"
	nkey= narrow= nup= vkey= varrow= vup=
	for r in $(seq "$RUNS"); do
		for keys in '\x1bOB\r|xyzxyz' '\x1bOB\r|\x1bOA\x1bOA\x1bOA\x1bOA\x1bOA\x1bOB\x1bOB\x1bOB\x1bOB\x1bOB'; do
			cp "$p/draft-00000.yaml" "$tmp/long.yaml"
			rm -f "$tmp/.long.yaml.lock" "$tmp/.long.yaml.autosave"
			"$B/bench/ptybench" 80 24 "$keys" "$NB" edit "$tmp/long.yaml" >"$tmp/pty.out" 2>&1
			case $keys in *xyz) nkey="$nkey $(field key_ms "$tmp/pty.out")"; nup="$nup $(field startup_ms "$tmp/pty.out")";;
			*) narrow="$narrow $(field key_ms "$tmp/pty.out")";; esac
			[ -n "$VIM" ] || continue
			cp "$p/para.txt" "$tmp/para.txt"
			"$B/bench/ptybench" 80 24 "A${keys#*\\r}" "$tmp/vim.sh" "$tmp/para.txt" >"$tmp/vim.out" 2>&1 ||:
			case $keys in *xyz) vkey="$vkey $(field key_ms "$tmp/vim.out")"; vup="$vup $(field startup_ms "$tmp/vim.out")";;
			*) varrow="$varrow $(field key_ms "$tmp/vim.out")";; esac
		done
	done
	kb=$((size / 1000))
	[ "$size" = 1000000 ] && kb="1 M" || kb="$kb K"
	v() { [ -n "$VIM" ] && median "$@" || echo "(no vim)"; }
	printf "| %-50s | %12s | %12s |\n" "typed key, ${kb}B paragraph (goal <= 2)" "$(median $nkey)" "$(v $vkey)"
	printf "| %-50s | %12s | %12s |\n" "Up/Down across wrapped rows, ${kb}B (goal <= 2)" "$(median $narrow)" "$(v $varrow)"
	printf "| %-50s | %12s | %12s |\n" "start-up, ${kb}B paragraph shown (goal < 20)" "$(median $nup)" "$(v $vup)"
done
echo
echo "Start-up and key times run to the last byte the editor wrote; the 150 ms of silence"
echo "that ends each measurement is not counted. Wall times on a shared machine are noisy:"
echo "the instruction counts are the reliable ratios."
