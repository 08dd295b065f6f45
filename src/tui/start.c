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
#include "nianbao/opening.h"
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
		struct draft *d = draft_start(opt->path, from, 0, NULL, NULL, opt->cache, &diags);
		char *why = !diags.count ? xstrdup("?")
		          : diags.items[0].pos.line ? xasprintf("%s:%d: %s", diags.items[0].pos.file ? diags.items[0].pos.file : from,
		                                                diags.items[0].pos.line, diags.items[0].message)
		                                    : xasprintf("%s: %s", from, diags.items[0].message);
		diag_free(&diags);
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
	char *question = xstrdup(_("Year of the report:"));
	while (!year) {
		char *y = ask_line(NULL, question, def);
		if (!y)
			break;
		year = draft_year_parse(y);
		if (!year) {
			/* say why, and ask again with what was typed */
			free(question);
			question = xasprintf(_("\"%s\" is not a year from %d to %d, written with digits (such as %s). "
			                       "Year of the report:"), y, DRAFT_YEAR_MIN, DRAFT_YEAR_MAX, def);
		}
		free(y);
	}
	free(question);
	free(def);
	struct draft *d = NULL;
	if (year) {
		struct diag_list diags = {0};
		d = draft_start(opt->path, NULL, year, NULL, org, opt->cache, &diags);
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

	/* the facts first, then the questions */
	struct opening o;
	opening_inspect(&o, e.path, d, opt->cache);
	guard_start(&e.guard, e.path);
	bool readonly = false;
	if (o.lock == LOCK_TAKEN) {
		e.locked = true;
	} else {
		char *q = o.lock == LOCK_HELD
			? xasprintf(_("%s is open in another editor: user %s on %s, process %ld. Open it read-only? (y/n)"),
			            opt->path, o.owner.user, o.owner.host, o.owner.pid)
			: xasprintf(_("%s cannot be locked (%s). Open it read-only? (y/n)"), opt->path, o.lock_error);
		int answer = ask(NULL, q);
		free(q);
		if (answer != 'y') {
			opening_free(&o);
			draft_free(d);
			free_sections(e.sections, e.tpl->section_count);
			free(e.path);
			term_stop();
			return 0;
		}
		readonly = true;
	}
	bool recover = false;
	if (o.autosave) {
		char stamp[64];
		struct tm tm;
		localtime_r(&o.autosave_time, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
		recover = opt->recover;
		if (!recover) {
			char *q = xasprintf(_("An autosave from %s is newer than the draft (cells changed: %d; text fields "
			                      "changed: %d). Recover it? (y/n)"), stamp, o.autosave_cells, o.autosave_texts);
			recover = ask(NULL, q) == 'y';
			free(q);
		}
	}
	bool recovered;
	e.s = opening_session(&o, d, recover, readonly, created, opt->cache, &recovered);
	opening_free(&o);
	e.autosaved_state = session_state(e.s);
	if (recovered)
		say(&e, false, _("Recovered the autosave. Save (Ctrl-S) to keep it."));
	else if (readonly)
		say(&e, true, _("Read-only: another editor has this draft; changes cannot be saved."));
	focus_section(&e, 0);
	e.autosave_due = time(NULL) + guard_autosave_interval();

	struct screen main_screen = {main_draw, main_key, &e};
	if (!screen_run(&main_screen)) {
		e.ending = true;
		autosave(&e);   /* hangup, or the terminal or the key script is gone */
	}
	bool clean = e.quit;
	if (clean && e.locked)
		autosave_remove(e.path);   /* only the lock holder's: a read-only viewer leaves it */
	if (e.locked)
		lock_release(e.path);
	term_stop();
	textedit_free(e.te);
	session_free(e.s);
	free_sections(e.sections, e.tpl->section_count);
	free(e.message);
	free(e.path);
	guard_free(&e.guard);
	return e.work_lost ? 1 : 0;
}
