#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "nianbao/opening.h"

void
opening_inspect(struct opening *o, const char *path, const struct draft *draft, struct template_cache *cache)
{
	memset(o, 0, sizeof *o);
	struct diag_list diags = {0};
	/* a read-only editor checks against last year too */
	o->previous = draft_load_previous(draft, cache, &diags);
	if (!o->previous && diags.count)
		o->previous_problem = xstrdup(diags.items[0].message);
	diag_free(&diags);
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
	struct draft *prev = o->previous;
	o->previous = NULL;
	if (recover && o->autosave) {
		struct draft *saved = o->autosave;
		o->autosave = NULL;
		free(saved->path);
		saved->path = draft->path ? xstrdup(draft->path) : NULL;
		const char *was = draft->previous ? draft->previous : "";
		bool same_previous = !strcmp(was, saved->previous ? saved->previous : "");
		draft_free(draft);
		draft = saved;
		*recovered = true;
		if (!same_previous) {
			struct diag_list diags = {0};
			draft_free(prev);
			prev = draft_load_previous(draft, cache, &diags);
			diag_free(&diags);
		}
	}
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
	free(o->previous_problem);
	draft_free(o->autosave);
	draft_free(o->previous);
	memset(o, 0, sizeof *o);
}
