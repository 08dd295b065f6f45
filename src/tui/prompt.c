#include <config.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "editor.h"
#include "nianbao/atomicio.h"
#include "nianbao/i18n.h"
#include "nianbao/utf8.h"
#include "nianbao/width.h"

/* ---- the one modal loop ---- */

static void
autosave_when_due(struct editor *e)
{
	if (time(NULL) >= e->autosave_due) {
		autosave(e);
		e->autosave_due = time(NULL) + guard_autosave_interval();
	}
}

bool
screen_run(struct screen *sc)
{
	struct editor *e = sc->e;
	for (;;) {
		if (term_hangup)
			return false;
		if (term_interrupt) {
			/* term_read reads nothing while the flag is up: take it down here, for every screen */
			term_interrupt = 0;
			if (e)
				say(e, true, _("Ctrl-C does not quit: use Ctrl-Q (or F10)."));
		}
		sc->draw(sc);
		struct tkey k;
		/* with a draft open, wake up every second for the autosave timer */
		int r = term_read(&k, e ? 1000 : -1);
		if (r < 0)
			return false;
		if (r == 0) {
			if (e && e->s)
				autosave_when_due(e);
			continue;
		}
		long before = e && e->s ? session_state(e->s) : 0;
		bool more = sc->key(sc, &k);
		free(k.text);
		if (e && e->s) {
			if (session_state(e->s) != before)
				e->autosave_pending = true;
			if (!term_scripted())
				autosave_when_due(e);
		}
		if (!more)
			return true;
	}
}

/* The main screen, or a blank one before a draft is open. */
static void
draw_under(struct editor *e)
{
	if (e)
		draw(e);
	else if (!too_small())
		erase();
}

/* ---- a scrollable page (help, preview) ---- */

struct pager_screen {
	struct screen base;
	const char *title;
	const char **starts;
	int count, top;
};

static void
pager_draw(struct screen *sc)
{
	struct pager_screen *p = (struct pager_screen *)sc;
	if (too_small())
		return;
	erase();
	attron(A_REVERSE);
	move(0, 0);
	put_fit(p->title, COLS);
	attroff(A_REVERSE);
	int body = LINES - 2;
	if (p->top > p->count - body)
		p->top = p->count - body;
	if (p->top < 0)
		p->top = 0;
	for (int y = 0; y < body && p->top + y < p->count; y++) {
		const char *s = p->starts[p->top + y];
		const char *eol = strchr(s, '\n');
		move(1 + y, 0);
		put_clipped(s, eol ? (size_t)(eol - s) : strlen(s), COLS);
	}
	move(LINES - 1, 0);
	attron(A_REVERSE);
	char *hint = xasprintf(_(" lines %d-%d of %d   ↑↓ PgUp PgDn Home End scroll   q, Esc close"),
	                       p->count ? p->top + 1 : 0, p->top + body < p->count ? p->top + body : p->count,
	                       p->count);
	put_fit(hint, COLS);
	free(hint);
	attroff(A_REVERSE);
	curs_set(0);
	refresh();
}

static bool
pager_key(struct screen *sc, const struct tkey *k)
{
	struct pager_screen *p = (struct pager_screen *)sc;
	int section, body = LINES - 2;
	switch (key_request(KEYMAP_PAGER, k, &section)) {
	case REQ_UP: p->top--; break;
	case REQ_DOWN: p->top++; break;
	case REQ_PREV_SECTION: p->top -= body; break;
	case REQ_NEXT_SECTION: case REQ_PAGE_DOWN: p->top += body; break;
	case REQ_HOME: p->top = 0; break;
	case REQ_END: p->top = p->count; break;
	case REQ_HELP: case REQ_PREVIEW: case REQ_QUIT: case REQ_CANCEL: case REQ_PAGE_CLOSE: return false;
	default: break;
	}
	return true;
}

void
pager(struct editor *e, const char *title, const char *text)
{
	struct pager_screen p = {{pager_draw, pager_key, e}, title, NULL, 0, 0};
	/* split into lines once */
	int cap = 256;
	p.starts = xmalloc((size_t)cap * sizeof *p.starts);
	for (const char *s = text; *s;) {
		if (p.count == cap) {
			cap *= 2;
			p.starts = xrealloc(p.starts, (size_t)cap * sizeof *p.starts);
		}
		p.starts[p.count++] = s;
		const char *eol = strchr(s, '\n');
		s = eol ? eol + 1 : s + strlen(s);
	}
	screen_run(&p.base);
	free(p.starts);
}

/* ---- prompts ---- */

struct ask_screen {
	struct screen base;
	const char *question;
	int answer;
};

static void
ask_draw(struct screen *sc)
{
	struct ask_screen *a = (struct ask_screen *)sc;
	draw_under(sc->e);
	if (!too_small()) {
		draw_question(a->question, LINES - 2);
		curs_set(1);
		refresh();
	}
}

static bool
ask_key(struct screen *sc, const struct tkey *k)
{
	struct ask_screen *a = (struct ask_screen *)sc;
	if (k->kind != TK_CHAR)
		return true;
	if (k->ch == 'y' || k->ch == 'Y')
		a->answer = 'y';
	else if (k->ch == 'n' || k->ch == 'N')
		a->answer = 'n';
	else if (k->ch == 27)
		a->answer = 0;
	else
		return true;
	return false;
}

int
ask(struct editor *e, const char *question)
{
	struct ask_screen a = {{ask_draw, ask_key, e}, question, 0};
	int before = e ? e->prompt : 0;
	if (e)
		e->prompt = PROMPT_YES_NO;
	int answer = screen_run(&a.base) ? a.answer : 0;
	if (e)
		e->prompt = before;
	return answer;
}

struct line_screen {
	struct screen base;
	const char *question;
	struct textedit *te;
	char *result;
	bool pristine;   /* the pre-filled answer, untouched: the first character typed replaces it */
};

static void
line_draw(struct screen *sc)
{
	struct line_screen *ls = (struct line_screen *)sc;
	draw_under(sc->e);
	if (too_small())
		return;
	/* the question above, the answer on the status line */
	draw_question(ls->question, LINES - 3);
	move(LINES - 2, 0);
	addstr("> ");
	int used = 2;
	size_t len;
	const char *text = textedit_text(ls->te, &len);
	size_t cur = textedit_cursor(ls->te);
	int room = COLS - used - 1;
	/* show the end of a long answer */
	size_t from = 0;
	while ((int)width_of_utf8(text + from, cur - from) >= room && from < cur)
		from = width_cluster_next(text, len, from, NULL);
	int x = used + (int)width_of_utf8(text + from, cur - from);
	put_clipped(text + from, len - from, room);
	fill_line(LINES - 2);
	move(LINES - 2, x);
	curs_set(1);
	refresh();
}

static bool
line_key(struct screen *sc, const struct tkey *k)
{
	struct line_screen *ls = (struct line_screen *)sc;
	bool typing = k->kind == TK_PASTE || (k->kind == TK_CHAR && k->ch >= 32 && k->ch != 127 && !k->alt);
	if (ls->pristine && typing) {
		textedit_free(ls->te);
		ls->te = textedit_new("", 0);
	}
	if (k->kind != TK_RESIZE)
		ls->pristine = false;
	struct textedit *te = ls->te;
	if (k->kind == TK_PASTE) {
		char *flat = xmalloc(k->len + 1);
		for (size_t i = 0; i < k->len; i++)
			flat[i] = k->text[i] == '\n' ? ' ' : k->text[i];
		textedit_paste(te, flat, k->len);
		free(flat);
		return true;
	}
	int section;
	switch (key_request(KEYMAP_EDITOR, k, &section)) {
	case REQ_LEFT: textedit_move_left(te); return true;
	case REQ_RIGHT: textedit_move_right(te); return true;
	case REQ_HOME: textedit_move_text_start(te); return true;
	case REQ_END: textedit_move_text_end(te); return true;
	case REQ_BACKSPACE: textedit_delete_backward(te); return true;
	case REQ_DELETE: textedit_delete_forward(te); return true;
	case REQ_ENTER: ls->result = xstrdup(textedit_text(te, NULL)); return false;
	case REQ_CANCEL: return false;
	default: break;
	}
	if (k->kind == TK_CHAR && k->ch >= 32 && !k->alt) {
		char buf[UTF8_MAX_BYTES];
		size_t n = utf8_encode((uint32_t)k->ch, buf);
		textedit_type(te, buf, n);
	}
	return true;
}

char *
ask_line(struct editor *e, const char *question, const char *initial)
{
	struct line_screen ls = {{line_draw, line_key, e}, question, textedit_new(initial, strlen(initial)), NULL,
	                         initial[0] != '\0'};
	textedit_move_text_end(ls.te);
	int before = e ? e->prompt : 0;
	if (e)
		e->prompt = PROMPT_LINE;
	screen_run(&ls.base);
	if (e)
		e->prompt = before;
	textedit_free(ls.te);
	curs_set(0);
	return ls.result;
}

/* ---- another program on the terminal ---- */

/* Whether a program of that name is in $PATH. */
static bool
in_path(const char *name)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/bin:/bin";
	char *copy = xstrdup(path), *save;
	bool found = false;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *full = xasprintf("%s/%s", *dir ? dir : ".", name);
		found = access(full, X_OK) == 0;
		free(full);
	}
	free(copy);
	return found;
}

/* Opens the text in $VISUAL or $EDITOR (no shell: the words of the variable are argv), or
 * without them in the system's sensible editor (see below). */
void
external_edit(struct editor *e)
{
	int ti = cur_text(e);
	if (ti < 0) {
		say(e, true, _("Ctrl-E edits a text field; move to one first."));
		return;
	}
	if (e->s->readonly) {
		say(e, true, _("The draft is open read-only."));
		return;
	}
	const char *editor = getenv("VISUAL");
	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor) {
		/* the system's choice (Debian's sensible-editor, nano by default), else nano; vi
		 * only when the clerk says so, with how to leave it */
		editor = in_path("sensible-editor") ? "sensible-editor" : in_path("nano") ? "nano" : NULL;
		if (!editor) {
			if (ask(e, _("No editor is set ($VISUAL, $EDITOR) and nano is not installed. Open the text in vi? "
			             "(y/n; in vi, Esc then :wq saves and :q! leaves without saving)")) != 'y') {
				say(e, false, _("The text is unchanged. Set EDITOR (for example EDITOR=nano) to choose an editor."));
				return;
			}
			editor = "vi";
		}
	}
	const char *tmpdir = getenv("TMPDIR");
	char *path = xasprintf("%s/nianbao-%s-XXXXXX.txt", tmpdir && *tmpdir ? tmpdir : "/tmp", e->tpl->texts[ti].id);
	int fd = mkstemps(path, 4);
	if (fd < 0) {
		say(e, true, _("Cannot create a temporary file: %s"), strerror(errno));
		free(path);
		return;
	}
	const char *text = e->s->draft->texts[ti] ? e->s->draft->texts[ti] : "";
	size_t len = strlen(text);
	bool ok = write(fd, text, len) == (ssize_t)len && (len == 0 || write(fd, "\n", 1) == 1);
	close(fd);
	char *words = xstrdup(editor);
	char *argv[34];
	int argc = 0;
	char *save;
	for (char *w = strtok_r(words, " \t", &save); w && argc < 32; w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	argv[argc++] = path;
	argv[argc] = NULL;
	int status = -1;
	if (ok) {
		term_suspend();
		pid_t pid = fork();
		if (pid == 0) {
			execvp(argv[0], argv);
			fprintf(stderr, "nianbao: %s: %s\n", argv[0], strerror(errno));
			_exit(127);
		}
		if (pid > 0)
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
		term_resume();
	}
	if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		say(e, true, _("The editor %s did not finish cleanly; the text is unchanged."), argv[0]);
	} else {
		struct diag_list diags = {0};
		size_t n;
		char *edited = read_file(path, 16u << 20, &n, &diags);
		if (!edited) {
			say(e, true, "%s", diags.count ? diags.items[0].message : "?");
		} else {
			size_t clean_len = textedit_normalize(edited, n, NULL);
			char *clean = xmalloc(clean_len + 1);
			textedit_normalize(edited, n, clean);
			clean[clean_len] = '\0';
			session_set_text(e->s, ti, clean);
			free(clean);
			free(edited);
		}
		diag_free(&diags);
	}
	unlink(path);
	free(path);
	free(words);
}
