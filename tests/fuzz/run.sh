#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS.
# Usage: tests/fuzz/run.sh SECONDS [TARGET...]   (targets: draft template import save)
# With FUZZ_RUNS=N each target instead runs exactly N inputs from FUZZ_SEED (default 1)
# and a fresh corpus: the same inputs on every machine, as CI needs.
# Exits 1 when a target finds a crash; the input is left in tests/fuzz/crashes/.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
[ $# -eq 0 ] || shift
targets=${*:-draft template import save}
CC=${FUZZ_CC:-clang}
out=${FUZZ_OUT:-$top/tests/fuzz/build}
mkdir -p "$out" "$top/tests/fuzz/crashes"
# The core loads libxml2 and libzip with dlopen by their run-time names (configure.ac finds
# them the same way: from the NEEDED entries of a program linked against them), and names
# the Debian package that holds each when it cannot.
runtime_lib() {   # pkg-config module, library name -> "soname package"
	echo 'int main(void) { return 0; }' > "$out/soname.c"
	$CC "$out/soname.c" -Wl,--no-as-needed $(pkg-config --libs "$1") -o "$out/soname"
	so=$(objdump -p "$out/soname" | sed -n "s/^ *NEEDED *\($2\.so[^ ]*\) *\$/\1/p" | sed 1q)
	path=$($CC -print-file-name="$so")
	pkg=$(dpkg-query -S "$(cd "${path%/*}" && pwd -P)/$so" 2>/dev/null | sed -n '1s/[,:].*//p')
	echo "$so ${pkg:-$so}"
}
set -- $(runtime_lib libxml-2.0 libxml2) $(runtime_lib libzip libzip)
cat > "$out/config.h" <<H
#define _GNU_SOURCE 1
#define PACKAGE "nianbao"
#define PACKAGE_VERSION "fuzz"
#define ENABLE_NLS 0
#define NIANBAO_PKGDATADIR "$top"
#define NIANBAO_LOCALEDIR "$top/locale"
#define NIANBAO_SRCDIR "$top"
#define NIANBAO_BUILDDIR "$out"
#define NIANBAO_LIBXML2_SONAME "$1"
#define NIANBAO_LIBXML2_PACKAGE "$2"
#define NIANBAO_LIBZIP_SONAME "$3"
#define NIANBAO_LIBZIP_PACKAGE "$4"
H
flags="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -I$out -I$top/include $(pkg-config --cflags yaml-0.1 libxml-2.0 libzip)"
objs=
for src in "$top"/src/core/*.c; do
	obj="$out/$(basename "$src" .c).o"
	$CC $flags -std=c11 -c "$src" -o "$obj"
	objs="$objs $obj"
done
export NIANBAO_TEMPLATES="$top/forms"
status=0
for t in $targets; do
	$CC $flags -std=c11 -fsanitize=fuzzer "$top/tests/fuzz/fuzz_$t.c" $objs $(pkg-config --libs yaml-0.1) -o "$out/fuzz_$t"
	corpus="$out/corpus-$t"
	[ -n "${FUZZ_RUNS:-}" ] && rm -rf "$corpus"
	mkdir -p "$corpus"
	case $t in
	draft) cp "$top"/examples/*.yaml "$corpus"/ ;;
	save) cp "$top"/examples/*.yaml "$top"/tests/data/reports/*.txt "$corpus"/ ;;
	template) cp "$top"/forms/*.yaml "$top"/forms/parts/*.yaml "$corpus"/ ;;
	import) cp "$top"/tests/data/reports/*.txt "$top"/tests/golden/demo-*.txt "$corpus"/ ;;
	esac
	cp "$top"/tests/fuzz/regress/$t-* "$corpus"/ 2>/dev/null || true
	if [ -n "${FUZZ_RUNS:-}" ]; then
		limit="-runs=$FUZZ_RUNS -seed=${FUZZ_SEED:-1}"
		what="seed ${FUZZ_SEED:-1}"
	else
		limit="-max_total_time=$seconds"
		what="${seconds}s"
	fi
	echo "== fuzz_$t ($what)"
	start=$(date +%s)
	if "$out/fuzz_$t" $limit -dict="$top/tests/fuzz/yaml.dict" -max_len=65536 \
		-artifact_prefix="$top/tests/fuzz/crashes/$t-" -print_final_stats=1 "$corpus" 2>"$out/fuzz_$t.log"; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz_$t.log" | tail -1)
		echo "fuzz_$t: ok, $runs runs ($what) in $(($(date +%s) - start))s, no crash"
	else
		status=1
		tail -40 "$out/fuzz_$t.log"
		echo "fuzz_$t: FAILED (input kept in tests/fuzz/crashes/)"
	fi
done
exit $status
