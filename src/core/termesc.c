#include <config.h>

#include <stdio.h>
#include <string.h>

#include "nianbao/diag.h"
#include "nianbao/termesc.h"
#include "nianbao/utf8.h"

char *
term_escape(const char *text)
{
	size_t len = strlen(text);
	/* the widest escape, "<U+202E>", is 8 bytes for a 3-byte character; "\xNN" 4 for 1 */
	char *out = xmalloc(4 * len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(text + i, len - i, &cp);
		if (cp == UTF8_INVALID) {
			for (size_t j = 0; j < k; j++)
				n += (size_t)sprintf(out + n, "\\x%02x", (unsigned char)text[i + j]);
		} else if (cp < 0x20 || cp == 0x7f) {
			n += (size_t)sprintf(out + n, "\\x%02x", (unsigned)cp);
		} else if ((cp >= 0x80 && cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
			n += (size_t)sprintf(out + n, "<U+%04X>", (unsigned)cp);
		} else {
			memcpy(out + n, text + i, k);
			n += k;
		}
		i += k;
	}
	out[n] = '\0';
	return out;
}
