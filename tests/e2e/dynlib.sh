#!/bin/sh
# libxml2 and libzip are loaded only by the commands that need them (src/core/dynlib.c):
# the program does not list them (nor what they pull in) among the libraries every process
# loads; and when one cannot be loaded, import and render --format docx fail with a message
# naming the library and its Debian package, and write nothing.
. "$(dirname "$0")/lib.sh"
set -e
builddir=$(dirname "$NIANBAO")
heavy='libxml2\|libzip\|libicu\|libstdc++\|libcrypto\|liblzma\|libbz2\|libz\.'

if command -v readelf >/dev/null 2>&1; then
	readelf -d "$NIANBAO" > "$WORK/needed"
	check_contains "readelf reads nianbao's NEEDED entries" "$WORK/needed" "libyaml"
	if grep NEEDED "$WORK/needed" | grep -q "$heavy"; then
		not_ok "nianbao does not link libxml2, libzip or their dependencies" "$(grep NEEDED "$WORK/needed")"
	else ok "nianbao does not link libxml2, libzip or their dependencies"; fi
	readelf -d "$builddir/tests/unit/test_render" > "$WORK/needed"
	if grep NEEDED "$WORK/needed" | grep -q "$heavy"; then
		not_ok "a program using the core library does not link them either" "$(grep NEEDED "$WORK/needed")"
	else ok "a program using the core library does not link them either"; fi
else
	echo "# readelf is not installed: NEEDED entries not checked"
fi
if command -v ldd >/dev/null 2>&1; then
	ldd "$NIANBAO" > "$WORK/ldd"
	# (the sanitizers' own run-time libraries need libstdc++)
	[ "${NIANBAO_SANITIZERS:-no}" = yes ] && sed -i '/libstdc++/d' "$WORK/ldd"
	if grep -q "$heavy" "$WORK/ldd"; then
		not_ok "nianbao loads none of them at start-up (ldd)" "$(cat "$WORK/ldd")"
	else ok "nianbao loads none of them at start-up (ldd)"; fi
fi

# the run-time names configure found
soname() { sed -n "s/^#define NIANBAO_$1_SONAME \"\(.*\)\"$/\1/p" "$builddir/config.h"; }
package() { sed -n "s/^#define NIANBAO_$1_PACKAGE \"\(.*\)\"$/\1/p" "$builddir/config.h"; }
zip_so=$(soname LIBZIP) zip_pkg=$(package LIBZIP) xml_so=$(soname LIBXML2) xml_pkg=$(package LIBXML2)

cd "$WORK"
cp "$top_srcdir/examples/demo-2021.yaml" d.yaml
run "$NIANBAO" render -o real.docx d.yaml
check_status "with the libraries, render writes a Word file" 0
printf '<!DOCTYPE html><html><body><p>x</p></body></html>\n' > page.html

# Stand-ins for the libraries, found first through LD_LIBRARY_PATH: a libzip without its
# functions (an old or broken copy), a libxml2 whose own dependency is missing.
if ! command -v cc >/dev/null 2>&1 || [ -z "$zip_so" ] || [ -z "$xml_so" ]; then
	echo "# no C compiler or no config.h: the failing loads are not tried"
	done_testing
	exit $?
fi
mkdir fake gone
echo 'int nianbao_gone(void) { return 1; }' > gone.c
echo 'int nianbao_gone(void); int nianbao_fake(void) { return nianbao_gone(); }' > fake.c
cc -shared -fPIC -o gone/libnianbao-gone.so.1 -Wl,-soname,libnianbao-gone.so.1 gone.c
cc -shared -fPIC -o "fake/$zip_so" -Wl,-soname,"$zip_so" gone.c
cc -shared -fPIC -o "fake/$xml_so" -Wl,-soname,"$xml_so" fake.c gone/libnianbao-gone.so.1
rm -r gone
fake() { LD_LIBRARY_PATH="$WORK/fake${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@"; }

cp real.docx kept.docx
run fake "$NIANBAO" render -f -o kept.docx d.yaml
check_status "render --format docx without a usable libzip exits 2" 2
check_contains "and names the library, the function and the package" err \
	"error: cannot write Word files: $zip_so has no function zip_error_init: it is older than the one nianbao was built with (Debian: apt-get install $zip_pkg)"
if cmp -s real.docx kept.docx; then ok "the Word file it would replace is unchanged"; else
	not_ok "the Word file it would replace is unchanged"; fi
run fake "$NIANBAO" render -o new.docx d.yaml
if [ "$status" -ne 0 ] && [ ! -e new.docx ]; then ok "no new Word file is written"; else
	not_ok "no new Word file is written" "status $status"; fi
run fake "$NIANBAO" render d.yaml
check_status "the text report needs neither library" 0

run fake "$NIANBAO" import real.docx from-docx.yaml
check_status "import of a Word file without a usable libzip exits 2" 2
check_contains "and says which library to install" err "real.docx: error: cannot read Word files: $zip_so has no function"
if [ -e from-docx.yaml ]; then not_ok "no draft is written from the Word file"; else ok "no draft is written from the Word file"; fi

run fake "$NIANBAO" import page.html from-html.yaml
check_status "import of a web page when libxml2 cannot be loaded exits 2" 2
check_contains "and names the library, what it lacks and the package" err \
	"page.html: error: cannot read web pages: $xml_so cannot be loaded: libnianbao-gone.so.1: cannot open shared object file"
check_contains "with the package to reinstall" err "(Debian: apt-get install --reinstall $xml_pkg)"
if [ -e from-html.yaml ]; then not_ok "no draft is written from the web page"; else ok "no draft is written from the web page"; fi

run fake "$NIANBAO" check d.yaml
check_status "check needs neither library" 0

done_testing
