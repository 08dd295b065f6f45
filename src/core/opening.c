#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "nianbao/opening.h"

void
opening_inspect(struct opening *o, const char *path, const struct draft *draft, struct template_cache *cache)
{
	memset(o, 0, sizeof *o);
	struct diag_list diags = {0};
	o->lock = lock_acquire(path, &o->owner, &diags);
	if (o->lock == LOCK_FAILED)
		o->lock_error = xstrdup(diags.count ? diags.items[0].message : "?");
	diag_free(&diags);
	if (o->lock != LOCK_TAKEN)
		return;
	time_t when = autosave_newer(path);
	if (!when)
		return;
	char *auto_path = autosave_path_for(path);
	struct draft *saved = draft_load(auto_path, cache, &diags);
	diag_free(&diags);
	free(auto_path);
	if (saved && saved->tpl == draft->tpl) {
		o->autosave = saved;
		o->autosave_time = when;
		session_count_differences(draft, saved, &o->autosave_cells, &o->autosave_texts);
	} else {
		draft_free(saved);
	}
}

struct session *
opening_session(struct opening *o, struct draft *draft, bool recover, bool readonly, bool created,
                struct template_cache *cache, bool *recovered)
{
	*recovered = false;
	if (recover && o->autosave) {
		struct draft *saved = o->autosave;
		o->autosave = NULL;
		free(saved->path);
		saved->path = draft->path ? xstrdup(draft->path) : NULL;
		draft_free(draft);
		draft = saved;
		*recovered = true;
	}
	struct diag_list diags = {0};
	struct draft *prev = draft_load_previous(draft, cache, &diags);
	diag_free(&diags);
	struct session *s = session_new(draft, prev);
	s->readonly = readonly;
	if (created || *recovered)
		session_mark_unsaved(s);
	return s;
}

void
opening_free(struct opening *o)
{
	free(o->lock_error);
	draft_free(o->autosave);
	memset(o, 0, sizeof *o);
}
