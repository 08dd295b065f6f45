#include <config.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <term.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "nianbao/diag.h"
#include "nianbao/keydec.h"
#include "nianbao/i18n.h"
#include "nianbao/utf8.h"
#include "term.h"

volatile sig_atomic_t term_hangup;
volatile sig_atomic_t term_interrupt;

static bool started;
static bool scripted;
static SCREEN *screen;
static FILE *null_out, *null_in;
static struct keydec dec;
static volatile sig_atomic_t winch_flag;
/* mouse reports (clicks and the wheel, SGR encoded), unless NIANBAO_MOUSE=0 */
static bool mouse;
#define MOUSE_ON "\033[?1000h\033[?1006h"
#define MOUSE_OFF "\033[?1006l\033[?1000l"


/* How long the rest of an escape sequence may take to arrive (ms), and a paste */
enum { ESC_DELAY_MS = 50, PASTE_DELAY_MS = 1000, BURST_DELAY_MS = 30 };

/* ---- signals: flags only ---- */

static void on_hangup(int sig) { (void)sig; term_hangup = 1; }
static void on_interrupt(int sig) { (void)sig; term_interrupt = 1; }
static void on_winch(int sig) { (void)sig; winch_flag = 1; }

static void
install_signals(void)
{
	struct sigaction sa = {0};
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_hangup;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_interrupt;
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* ---- key scripts ---- */

enum step_kind { STEP_KEY, STEP_DUMP, STEP_DUMP_ATTRS, STEP_RESIZE, STEP_SIGNAL };
struct step {
	enum step_kind kind;
	struct tkey key;
	int a, b;
};
static struct step *steps;
static size_t step_count, step_next;

static void
add_step(struct step st)
{
	steps = xrealloc(steps, (step_count + 1) * sizeof *steps);
	steps[step_count++] = st;
}

static void
add_char(wchar_t ch, bool alt)
{
	add_step((struct step){.kind = STEP_KEY, .key = {.kind = TK_CHAR, .ch = ch, .alt = alt}});
}

static void
add_code(int code)
{
	add_step((struct step){.kind = STEP_KEY, .key = {.kind = TK_KEY, .code = code}});
}

/* A decoded event as the editor takes it: named keys as curses KEY_* codes, so that the
 * key table (keys.c) is written in one vocabulary. */
static void
from_event(struct keyev *ev, struct tkey *k)
{
	*k = (struct tkey){0};
	switch (ev->kind) {
	case KEYEV_CHAR:
		k->kind = TK_CHAR;
		k->ch = (wchar_t)ev->ch;
		k->alt = ev->mods & KEYMOD_ALT;
		break;
	case KEYEV_KEY: {
		static const int codes[] = {
			[KEYN_UP] = KEY_UP, [KEYN_DOWN] = KEY_DOWN, [KEYN_RIGHT] = KEY_RIGHT,
			[KEYN_LEFT] = KEY_LEFT, [KEYN_HOME] = KEY_HOME, [KEYN_END] = KEY_END,
			[KEYN_INSERT] = KEY_IC, [KEYN_DELETE] = KEY_DC, [KEYN_PGUP] = KEY_PPAGE,
			[KEYN_PGDN] = KEY_NPAGE, [KEYN_BEGIN] = KEY_B2, [KEYN_BTAB] = KEY_BTAB,
			[KEYN_BACKSPACE] = KEY_BACKSPACE,
		};
		k->kind = TK_KEY;
		k->code = ev->key >= KEYN_F1 ? KEY_F(ev->key - KEYN_F1 + 1) : codes[ev->key];
		k->mods = (ev->mods & KEYMOD_SHIFT ? TMOD_SHIFT : 0) | (ev->mods & KEYMOD_ALT ? TMOD_ALT : 0) |
		          (ev->mods & KEYMOD_CTRL ? TMOD_CTRL : 0);
		break;
	}
	case KEYEV_PASTE:
		k->kind = TK_PASTE;
		k->text = ev->text;
		k->len = ev->len;
		ev->text = NULL;
		break;
	case KEYEV_MOUSE:
		k->kind = TK_MOUSE;
		k->code = ev->mouse.kind == MOUSE_PRESS ? TMOUSE_PRESS : ev->mouse.kind == MOUSE_RELEASE ? TMOUSE_RELEASE
		        : ev->mouse.kind == MOUSE_DRAG ? TMOUSE_DRAG : ev->mouse.kind == MOUSE_WHEEL_UP ? TMOUSE_WHEEL_UP
		        : TMOUSE_WHEEL_DOWN;
		k->ch = ev->mouse.button;
		k->x = ev->mouse.x;
		k->y = ev->mouse.y;
		break;
	case KEYEV_UNKNOWN:
		k->kind = TK_UNKNOWN;
		k->len = ev->len;
		break;
	}
}

/* Bytes as a terminal sends them, decoded now as if they arrived together and then
 * nothing for the Esc delay. */
static void
add_bytes(const char *bytes, size_t len)
{
	keydec_feed(&dec, bytes, len);
	struct keyev ev;
	while (keydec_next(&dec, &ev, true)) {
		struct step st = {.kind = STEP_KEY};
		from_event(&ev, &st.key);
		add_step(st);
	}
}

/* "\n", "\t", "\\", "\e" in paste and type arguments */
static char *
unescape(const char *s, size_t *len)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	for (; *s; s++) {
		if (*s == '\\' && s[1] == 'x' && strspn(s + 2, "0123456789abcdefABCDEF") >= 2) {
			char hex[3] = {s[2], s[3], 0};
			*o++ = (char)strtol(hex, NULL, 16);
			s += 3;
		} else if (*s == '\\' && s[1]) {
			s++;
			*o++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s == 'r' ? '\r' : *s == 'e' ? 27 : *s;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

static const struct {
	const char *name;
	int code;
	wchar_t ch;
} key_names[] = {
	{"Up", KEY_UP, 0}, {"Down", KEY_DOWN, 0}, {"Left", KEY_LEFT, 0}, {"Right", KEY_RIGHT, 0},
	{"Home", KEY_HOME, 0}, {"End", KEY_END, 0}, {"PgUp", KEY_PPAGE, 0}, {"PgDn", KEY_NPAGE, 0},
	{"BTab", KEY_BTAB, 0}, {"Del", KEY_DC, 0}, {"Ins", KEY_IC, 0}, {"BS", KEY_BACKSPACE, 0},
	{"Tab", 0, '\t'}, {"Enter", 0, '\r'}, {"Esc", 0, 27}, {"Space", 0, ' '},
};

static bool
parse_key(const char *name, int line, const char *path)
{
	for (size_t i = 0; i < sizeof key_names / sizeof *key_names; i++)
		if (!strcmp(name, key_names[i].name)) {
			if (key_names[i].code)
				add_code(key_names[i].code);
			else
				add_char(key_names[i].ch, false);
			return true;
		}
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		int n = atoi(name + 1);
		if (n >= 1 && n <= 12) {
			add_code(KEY_F(n));
			return true;
		}
	}
	if (name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z' && !name[3]) {
		add_char(name[2] - 'a' + 1, false);
		return true;
	}
	if (name[0] == 'M' && name[1] == '-' && name[2] && !name[3]) {
		add_char((unsigned char)name[2], true);
		return true;
	}
	fprintf(stderr, "%s:%d: error: unknown key '%s'\n", path, line, name);
	return false;
}

static bool
load_script(const char *path)
{
	struct diag_list diags = {0};
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: error: cannot read the key script: %s\n", path, strerror(errno));
		return false;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0;
	bool ok = true;
	while (ok && (n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		char *arg = strchr(line, ' ');
		if (arg)
			*arg++ = '\0';
		else
			arg = line + n;
		if (!line[0] || line[0] == '#')
			continue;
		if (!strcmp(line, "type")) {
			size_t len;
			char *text = unescape(arg, &len);
			for (size_t i = 0; i < len;) {
				uint32_t cp;
				size_t k = utf8_decode(text + i, len - i, &cp);
				add_char((wchar_t)cp, false);
				i += k;
			}
			free(text);
		} else if (!strcmp(line, "bytes")) {
			size_t len;
			char *bytes = unescape(arg, &len);
			add_bytes(bytes, len);
			free(bytes);
		} else if (!strcmp(line, "paste")) {
			struct step st = {.kind = STEP_KEY, .key = {.kind = TK_PASTE}};
			st.key.text = unescape(arg, &st.key.len);
			add_step(st);
		} else if (!strcmp(line, "key")) {
			char *save, *name;
			for (name = strtok_r(arg, " ", &save); ok && name; name = strtok_r(NULL, " ", &save)) {
				char *star = strchr(name, '*');
				int times = 1;
				if (star) {
					*star = '\0';
					times = atoi(star + 1);
				}
				for (int t = 0; ok && t < times; t++)
					ok = parse_key(name, lineno, path);
			}
		} else if (!strcmp(line, "dump")) {
			add_step((struct step){.kind = STEP_DUMP});
		} else if (!strcmp(line, "dumpattr")) {
			add_step((struct step){.kind = STEP_DUMP_ATTRS});
		} else if (!strcmp(line, "resize")) {
			int w, h;
			if (sscanf(arg, "%dx%d", &w, &h) != 2 || w < 2 || h < 2 || w > 1000 || h > 1000) {
				fprintf(stderr, "%s:%d: error: resize wants WIDTHxHEIGHT\n", path, lineno);
				ok = false;
			}
			add_step((struct step){.kind = STEP_RESIZE, .a = w, .b = h});
		} else if (!strcmp(line, "signal")) {
			int sig = !strcmp(arg, "HUP") ? SIGHUP : !strcmp(arg, "TERM") ? SIGTERM : !strcmp(arg, "INT") ? SIGINT : 0;
			if (!sig) {
				fprintf(stderr, "%s:%d: error: signal wants HUP, TERM or INT\n", path, lineno);
				ok = false;
			}
			add_step((struct step){.kind = STEP_SIGNAL, .a = sig});
		} else {
			fprintf(stderr, "%s:%d: error: unknown directive '%s'\n", path, lineno, line);
			ok = false;
		}
	}
	free(line);
	fclose(f);
	diag_free(&diags);
	return ok;
}

/* ---- start and stop ---- */

bool
term_start(const char *script)
{
	/* curses needs a UTF-8 character type to show Chinese; an SSH session that did not
	 * pass the locale on still gets one */
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	install_signals();
	keydec_init(&dec);
	if (script) {
		if (!load_script(script))
			return false;
		scripted = true;
		null_out = fopen("/dev/null", "w");
		null_in = fopen("/dev/null", "r");
		screen = newterm("xterm-256color", null_out, null_in);
		if (!screen)
			screen = newterm("vt100", null_out, null_in);
		if (!screen) {
			fprintf(stderr, "nianbao: error: no terminal description for the key script\n");
			return false;
		}
		set_term(screen);
		resizeterm(24, 80);
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr, _("nianbao: the editor needs a terminal\n"));
			return false;
		}
		const char *term = getenv("TERM");
		char *shown = diag_escape(term ? term : "");
		/* a terminal that cannot move the cursor (TERM=dumb, an emacs shell buffer) would
		 * show a garbled form that looks like data: refuse it plainly instead */
		int err = 0;
		bool addressable = false;
		if (setupterm(term && *term ? term : "vt100", STDOUT_FILENO, &err) == OK) {
			const char *cup = tigetstr("cup");
			addressable = cup && cup != (char *)-1 && !tigetflag("hc");
			del_curterm(cur_term);
			if (!addressable) {
				fprintf(stderr, _("nianbao: the terminal '%s' cannot move the cursor, which the editor needs; "
				                  "use a terminal such as xterm (in PuTTY: TERM=xterm), or the command line "
				                  "(nianbao check, nianbao render)\n"), shown);
				free(shown);
				return false;
			}
		}
		screen = newterm(term && *term ? term : "vt100", stdout, stdin);
		if (!screen) {
			fprintf(stderr, _("nianbao: the terminal type '%s' is unknown; try TERM=xterm\n"), shown);
			free(shown);
			return false;
		}
		free(shown);
		set_term(screen);
		/* keys are read as bytes (term_read), so curses must not read or wait on them */
		typeahead(-1);
		struct sigaction sa = {0};
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = on_winch;
		sigaction(SIGWINCH, &sa, NULL);
		/* the keypad sends its digits as digits (DECKPNM); bracketed paste on; mouse reports */
		const char *m = getenv("NIANBAO_MOUSE");
		mouse = !(m && !strcmp(m, "0"));
		fputs("\033>\033[?2004h", stdout);
		if (mouse)
			fputs(MOUSE_ON, stdout);
		fflush(stdout);
	}
	started = true;
	raw();
	noecho();
	nonl();
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	atexit(term_stop);
	return true;
}

void
term_stop(void)
{
	if (!started)
		return;
	started = false;
	if (!scripted) {
		fputs("\033[?2004l", stdout);
		if (mouse)
			fputs(MOUSE_OFF, stdout);
		fflush(stdout);
	}
	keydec_free(&dec);
	endwin();
	delscreen(screen);
	screen = NULL;
	if (null_out)
		fclose(null_out);
	if (null_in)
		fclose(null_in);
	null_out = null_in = NULL;
	for (size_t i = step_next; i < step_count; i++)
		free(steps[i].key.text);
	free(steps);
	steps = NULL;
	step_count = step_next = 0;
}

bool term_scripted(void) { return scripted; }

void
term_suspend(void)
{
	if (scripted)
		return;
	fputs("\033[?2004l", stdout);
	if (mouse)
		fputs(MOUSE_OFF, stdout);
	fflush(stdout);
	def_prog_mode();
	endwin();
}

void
term_resume(void)
{
	if (scripted)
		return;
	reset_prog_mode();
	fputs("\033>\033[?2004h", stdout);
	if (mouse)
		fputs(MOUSE_ON, stdout);
	fflush(stdout);
	clearok(curscr, TRUE);
	refresh();
}

/* ---- dumps ---- */

void
term_dump(bool attrs)
{
	int h = LINES, w = COLS, cy, cx;
	getyx(stdscr, cy, cx);
	printf("--- screen %dx%d cursor %d,%d\n", w, h, cy, cx);
	char *line = xmalloc((size_t)w * 8 + 1);
	for (int y = 0; y < h; y++) {
		size_t len = 0;
		for (int x = 0; x < w;) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1] = {0};
			attr_t a = 0;
			short pair;
			int step = 1;
			if (mvwin_wch(stdscr, y, x, &cc) == OK && getcchar(&cc, wch, &a, &pair, NULL) != ERR) {
				int cw = wch[0] ? wcwidth(wch[0]) : 1;
				step = cw > 1 ? cw : 1;
				if (attrs) {
					char c = a & A_REVERSE ? 'r' : a & A_BOLD ? 'b' : a & A_UNDERLINE ? 'u' : a & A_DIM ? 'd' : '.';
					for (int k = 0; k < step; k++)
						line[len++] = c;
				} else {
					for (int k = 0; wch[k] && k < CCHARW_MAX; k++) {
						char buf[UTF8_MAX_BYTES];
						size_t n = utf8_encode((uint32_t)wch[k], buf);
						memcpy(line + len, buf, n);
						len += n;
					}
					if (!wch[0])
						line[len++] = ' ';
				}
			} else {
				line[len++] = ' ';
			}
			x += step;
		}
		while (len > 0 && line[len - 1] == ' ')
			len--;
		fwrite(line, 1, len, stdout);
		fputc('\n', stdout);
	}
	free(line);
	puts("---");
	fflush(stdout);
	wmove(stdscr, cy, cx);
}

/* ---- keys ---- */

static int
scripted_read(struct tkey *key)
{
	while (step_next < step_count) {
		struct step *st = &steps[step_next++];
		switch (st->kind) {
		case STEP_KEY:
			*key = st->key;
			st->key.text = NULL;
			return 1;
		case STEP_DUMP:
		case STEP_DUMP_ATTRS:
			term_dump(st->kind == STEP_DUMP_ATTRS);
			break;
		case STEP_RESIZE:
			resizeterm(st->b, st->a);
			*key = (struct tkey){.kind = TK_RESIZE};
			return 1;
		case STEP_SIGNAL:
			raise(st->a);
			return 0;
		}
	}
	return -1;
}

/* The window's size changed: curses learns it here (the handler only set a flag). */
static void
take_resize(void)
{
	winch_flag = 0;
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

/* Waits up to ms (-1: forever) for bytes and feeds what came to the decoder. Returns the
 * number of bytes, 0 on timeout, -1 when interrupted by a signal, -2 at the end of input. */
static ssize_t
read_bytes(int ms, char *buf, size_t size)
{
	struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
	int r = poll(&pfd, 1, ms);
	if (r < 0)
		return errno == EINTR ? -1 : -2;
	if (r == 0)
		return 0;
	ssize_t n = read(STDIN_FILENO, buf, size);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? -1 : -2;
	return n == 0 ? -2 : n;
}

/* Whether bytes that arrived in one read are text typed faster than a hand can: printable
 * characters with a tab or a line break between them and no escape sequence. A terminal
 * without bracketed paste (screen, the Linux console, an old PuTTY) pastes that way. */
static bool
is_burst(const char *b, size_t n)
{
	if (n < 3)
		return false;
	bool breaks = false, text = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if (c == '\t' || c == '\r' || c == '\n') {
			if (text && i + 1 < n)
				breaks = true;
		} else if (c < 32 || c == 127) {
			return false;
		} else {
			text = true;
		}
	}
	return breaks;
}

int
term_read(struct tkey *key, int timeout_ms)
{
	memset(key, 0, sizeof *key);
	if (term_hangup || term_interrupt)
		return 0;
	if (scripted)
		return scripted_read(key);
	for (;;) {
		if (winch_flag) {
			take_resize();
			key->kind = TK_RESIZE;
			return 1;
		}
		struct keyev ev;
		if (keydec_next(&dec, &ev, false)) {
			from_event(&ev, key);
			return 1;
		}
		int wait = dec.in_paste ? PASTE_DELAY_MS : keydec_pending(&dec) ? ESC_DELAY_MS : timeout_ms;
		char buf[4096];
		ssize_t n = read_bytes(wait, buf, sizeof buf);
		if (n > 0 && !dec.in_paste && !keydec_pending(&dec) && is_burst(buf, (size_t)n)) {
			/* take the whole burst as one paste: what follows within a moment belongs to it */
			size_t cap = (size_t)n * 2, len = (size_t)n;
			char *text = xmalloc(cap + 1);
			memcpy(text, buf, len);
			ssize_t more;
			while ((more = read_bytes(BURST_DELAY_MS, buf, sizeof buf)) > 0) {
				if (len + (size_t)more > cap) {
					cap = (len + (size_t)more) * 2;
					text = xrealloc(text, cap + 1);
				}
				memcpy(text + len, buf, (size_t)more);
				len += (size_t)more;
			}
			text[len] = '\0';
			*key = (struct tkey){.kind = TK_PASTE, .text = text, .len = len};
			return 1;
		}
		if (n > 0) {
			keydec_feed(&dec, buf, (size_t)n);
			continue;
		}
		if (n == 0 && (keydec_pending(&dec) || dec.in_paste)) {
			/* the rest of the sequence did not come: settle it */
			if (keydec_next(&dec, &ev, true)) {
				from_event(&ev, key);
				return 1;
			}
			continue;
		}
		if (n == 0)
			return 0;
		if (n == -1) {
			if (term_hangup || term_interrupt)
				return 0;
			continue;   /* SIGWINCH: taken at the top */
		}
		/* the terminal is gone: what was read is still keys, then the end */
		if (keydec_next(&dec, &ev, true)) {
			from_event(&ev, key);
			return 1;
		}
		return term_hangup || term_interrupt ? 0 : -1;
	}
}
