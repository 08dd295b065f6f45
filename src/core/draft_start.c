#include <config.h>

#include <stdlib.h>

#include "nianbao/draft.h"
#include "nianbao/i18n.h"

struct draft *
draft_start(const char *path, const char *from, int year, const char *template_id, const char *org,
            struct template_cache *cache, struct diag_list *diags)
{
	struct draft *last = NULL, *d = NULL;
	if (from) {
		last = draft_load(from, cache, diags);
		if (!last)
			return NULL;
		if (!year)
			year = draft_next_year(last->year);
	}
	if (!year) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){from, 0, 0},
		         from ? _("it has no year, so the year of the new draft is unknown")
		              : _("the year of the new draft is unknown"));
		draft_free(last);
		return NULL;
	}
	char *id = template_id ? xstrdup(template_id) : template_id_for_year(NULL, year, diags);
	const struct template *tpl = id ? template_cache_get(cache, id, (struct srcpos){0}, diags) : NULL;
	free(id);
	if (tpl) {
		if (last) {
			char *ref = draft_previous_reference(from, path);
			d = draft_carry_over(last, tpl, ref);
			free(ref);
		} else {
			d = draft_new(tpl);
		}
		d->year = year;
		if (org) {
			free(d->organization);
			d->organization = xstrdup(org);
		}
	}
	draft_free(last);
	return d;
}
