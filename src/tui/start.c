#include <config.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "editor.h"
#include "nianbao/atomicio.h"
#include "nianbao/i18n.h"
#include "nianbao/lockfile.h"
#include "tui.h"

/* Opening a draft for editing (create, lock, recover) and the main screen. */

/* ---- start-up: creating, locking, recovering ---- */

/* Asks whether to create a missing draft, and its organization and year. */
static struct draft *
ask_create(struct tui_options *opt)
{
	char *q = xasprintf(_("%s does not exist. Create a new draft there? (y/n)"), opt->path);
	int answer = ask(NULL, q);
	free(q);
	if (answer != 'y')
		return NULL;
	/* this year's report usually starts from last year's (doc/DESIGN.md §6) */
	char *prompt = xstrdup(_("Last year's draft to start from (Enter for none):"));
	for (;;) {
		char *from = ask_line(NULL, prompt, "");
		free(prompt);
		if (!from)
			return NULL;
		if (!*from) {
			free(from);
			break;
		}
		struct diag_list diags = {0};
		struct draft *last = draft_load(from, opt->cache, &diags);
		struct draft *d = NULL;
		if (last) {
			int year = draft_next_year(last->year);
			char *id = year ? template_id_for_year(NULL, year, &diags) : NULL;
			const struct template *tpl = id ? template_cache_get(opt->cache, id, (struct srcpos){0}, &diags) : NULL;
			if (tpl) {
				char *ref = draft_previous_reference(from, opt->path);
				d = draft_carry_over(last, tpl, ref);
				d->year = year;
				free(ref);
			}
			free(id);
		}
		char *why = !diags.count ? xstrdup(_("it has no year"))
		          : diags.items[0].pos.line ? xasprintf("%s:%d: %s", diags.items[0].pos.file ? diags.items[0].pos.file : from,
		                                                diags.items[0].pos.line, diags.items[0].message)
		                                    : xasprintf("%s: %s", from, diags.items[0].message);
		diag_free(&diags);
		draft_free(last);
		free(from);
		if (d) {
			free(why);
			return d;
		}
		prompt = xasprintf(_("Cannot start from it (%s). Last year's draft (Enter for none):"), why);
		free(why);
	}
	char *org = ask_line(NULL, _("Organization (机关名称):"), "");
	if (!org)
		return NULL;
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	char *def = xasprintf("%d", tm.tm_year + 1900 - 1);
	int year = 0;
	while (!year) {
		char *y = ask_line(NULL, _("Year of the report:"), def);
		if (!y)
			break;
		year = draft_year_parse(y);
		free(y);
	}
	free(def);
	struct draft *d = NULL;
	if (year) {
		struct diag_list diags = {0};
		char *id = template_id_for_year(NULL, year, &diags);
		const struct template *tpl = id ? template_cache_get(opt->cache, id, (struct srcpos){0}, &diags) : NULL;
		if (tpl) {
			d = draft_new(tpl);
			free(d->organization);
			d->organization = org;
			org = NULL;
			d->year = year;
		}
		free(id);
		diag_free(&diags);
	}
	free(org);
	return d;
}

static void
main_draw(struct screen *sc)
{
	draw(sc->e);
}

static bool
main_key(struct screen *sc, const struct tkey *k)
{
	struct editor *e = sc->e;
	free(e->message);
	e->message = NULL;
	handle_key(e, k);
	return !e->quit;
}

int
tui_run(struct tui_options *opt)
{
	if (!term_start(opt->keyscript)) {
		draft_free(opt->draft);
		return 2;
	}
	struct draft *d = opt->draft;
	opt->draft = NULL;
	bool created = false;
	if (!d) {
		d = ask_create(opt);
		if (!d) {
			term_stop();
			return 0;
		}
		created = true;
	}
	struct editor e = {0};
	e.path = xstrdup(opt->path);
	e.tpl = d->tpl;
	e.sections = build_sections(e.tpl);
	if (has_colors()) {
		init_pair(PAIR_COMPUTED, COLOR_CYAN, -1);
		init_pair(PAIR_ERROR, COLOR_RED, -1);
		init_pair(PAIR_BLANK, COLOR_YELLOW, -1);
		init_pair(PAIR_UNREVISED, COLOR_MAGENTA, -1);
	}

	/* the lock */
	struct lock_owner owner;
	struct diag_list diags = {0};
	enum lock_result lock = lock_acquire(e.path, &owner, &diags);
	if (lock == LOCK_TAKEN) {
		e.locked = true;
	} else {
		char *q = lock == LOCK_HELD
			? xasprintf(_("%s is open in another editor: user %s on %s, process %ld. Open it read-only? (y/n)"),
			            opt->path, owner.user, owner.host, owner.pid)
			: xasprintf(_("%s cannot be locked (%s). Open it read-only? (y/n)"), opt->path,
			            diags.count ? diags.items[0].message : "?");
		int answer = ask(NULL, q);
		free(q);
		if (answer != 'y') {
			diag_free(&diags);
			draft_free(d);
			free_sections(e.sections, e.tpl->section_count);
			free(e.path);
			term_stop();
			return 0;
		}
		e.readonly = true;
	}
	diag_free(&diags);

	/* a newer autosave */
	bool recovered = false;
	time_t when = e.readonly ? 0 : autosave_newer(e.path);
	if (when) {
		char *auto_path = autosave_path_for(e.path);
		struct draft *saved = draft_load(auto_path, opt->cache, &diags);
		if (saved && saved->tpl == d->tpl) {
			int cells, texts;
			session_count_differences(d, saved, &cells, &texts);
			char stamp[64];
			struct tm tm;
			localtime_r(&when, &tm);
			strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
			int answer = 'y';
			if (!opt->recover) {
				char *q = xasprintf(_("An autosave from %s is newer than the draft (cells changed: %d; text fields "
				                      "changed: %d). Recover it? (y/n)"), stamp, cells, texts);
				answer = ask(NULL, q);
				free(q);
			}
			if (answer == 'y') {
				free(saved->path);
				saved->path = d->path ? xstrdup(d->path) : NULL;
				draft_free(d);
				d = saved;
				saved = NULL;
				recovered = true;
			}
		}
		draft_free(saved);
		diag_free(&diags);
		free(auto_path);
	}

	struct diag_list prev_diags = {0};
	struct draft *prev = draft_load_previous(d, opt->cache, &prev_diags);
	diag_free(&prev_diags);
	e.s = session_new(d, prev);
	if (created || recovered)
		session_mark_unsaved(e.s);
	e.autosaved_state = session_state(e.s);
	if (recovered)
		say(&e, false, _("Recovered the autosave. Save (Ctrl-S) to keep it."));
	else if (e.readonly)
		say(&e, true, _("Read-only: another editor has this draft; changes cannot be saved."));
	focus_section(&e, 0);
	e.autosave_due = time(NULL) + AUTOSAVE_SECONDS;

	struct screen main_screen = {main_draw, main_key, &e};
	if (!screen_run(&main_screen))
		autosave(&e);   /* hangup, or the terminal or the key script is gone */
	bool clean = e.quit;
	if (clean)
		autosave_remove(e.path);
	if (e.locked)
		lock_release(e.path);
	term_stop();
	textedit_free(e.te);
	session_free(e.s);
	free_sections(e.sections, e.tpl->section_count);
	free(e.message);
	free(e.path);
	return 0;
}
