/* libFuzzer target: save -> load. The input is turned into a draft (the template, the
 * organization, `previous:`, every text field and cell taken from its bytes, whatever
 * they are: controls, separators, noncharacters, bad UTF-8 made good), which is then
 * serialised and loaded back: it must load, be equal, and serialise to the same text. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/draft.h"
#include "nianbao/utf8.h"

static struct template_cache *cache;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *data;
	size_t size, at;
};

static uint8_t
byte(struct input *in)
{
	return in->at < in->size ? in->data[in->at++] : 0;
}

/* The next text: bytes up to a 0xFF, as valid UTF-8 (a bad sequence becomes U+FFFD,
 * NUL becomes U+0001: a C string cannot hold NUL and a file holding one is refused). */
static char *
text(struct input *in)
{
	size_t start = in->at;
	while (in->at < in->size && in->data[in->at] != 0xFF)
		in->at++;
	size_t len = in->at - start;
	if (in->at < in->size)
		in->at++;
	char *out = malloc(len * 3 + 1), *o = out;
	const char *s = (const char *)in->data + start;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (cp == UTF8_INVALID)
			cp = UTF8_REPLACEMENT;
		if (cp == 0)
			cp = 1;
		o += utf8_encode(cp, o);
		i += n;
	}
	*o = '\0';
	return out;
}

static void
same_or_abort(const char *a, const char *b)
{
	if (!a != !b || (a && strcmp(a, b)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cache)
		cache = template_cache_new(getenv("NIANBAO_TEMPLATES"));
	struct input in = {data, size, 0};
	struct diag_list diags = {0};
	const struct template *tpl =
		template_cache_get(cache, byte(&in) & 1 ? "gov-info-2019" : "gov-info-2021", (struct srcpos){0}, &diags);
	if (!tpl)
		abort();
	struct draft *d = draft_new(tpl);
	d->year = DRAFT_YEAR_MIN + byte(&in) % (DRAFT_YEAR_MAX - DRAFT_YEAR_MIN + 1);
	free(d->organization);
	d->organization = text(&in);
	char *previous = text(&in);
	if (previous[0])
		d->previous = previous;
	else
		free(previous);
	for (int t = 0; t < tpl->text_count && in.at < in.size; t++) {
		char *s = text(&in);
		draft_set_text(d, t, s);
		free(s);
	}
	for (int c = 0; c < tpl->cell_count && in.at < in.size; c++) {
		if (tpl->cells[c].formula >= 0)
			continue;
		uint8_t b = byte(&in);
		if (b < 64)
			continue;   /* blank */
		struct value v = value_units((int64_t)(b - 64) * (byte(&in) + 1));
		if (tpl->cells[c].type == VALUE_MONEY)
			v.scaled += byte(&in) % 100;   /* some fractions of a unit */
		draft_set_cell(d, c, v);
	}
	size_t len;
	char *yaml = draft_serialize(d, &len);
	struct draft *back = draft_load_buffer("saved.yaml", yaml, len, cache, &diags);
	if (!back) {
		diag_print(&diags, stderr);
		fprintf(stderr, "%s\n", yaml);
		abort();   /* what we write, we must read */
	}
	same_or_abort(d->organization, back->organization);
	same_or_abort(d->previous, back->previous);
	if (d->year != back->year)
		abort();
	for (int t = 0; t < tpl->text_count; t++)
		same_or_abort(d->texts[t], back->texts[t]);
	for (int c = 0; c < tpl->cell_count; c++)
		if (d->cells[c].set != back->cells[c].set || d->cells[c].scaled != back->cells[c].scaled)
			abort();
	size_t len2;
	char *again = draft_serialize(back, &len2);
	if (len != len2 || memcmp(yaml, again, len))
		abort();   /* and it is stable */
	free(again);
	free(yaml);
	draft_free(back);
	draft_free(d);
	diag_free(&diags);
	return 0;
}
