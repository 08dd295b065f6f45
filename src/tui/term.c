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
#include <unistd.h>

#include "nianbao/diag.h"
#include "nianbao/i18n.h"
#include "nianbao/utf8.h"
#include "term.h"

volatile sig_atomic_t term_hangup;
volatile sig_atomic_t term_interrupt;

static bool started;
static bool scripted;
static SCREEN *screen;
static FILE *null_out, *null_in;

#define KEY_PASTE_BEGIN (KEY_MAX + 1)
#define KEY_PASTE_END (KEY_MAX + 2)

/* ---- signals: flags only ---- */

static void on_hangup(int sig) { (void)sig; term_hangup = 1; }
static void on_interrupt(int sig) { (void)sig; term_interrupt = 1; }

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

/* "\n", "\t", "\\", "\e" in paste and type arguments */
static char *
unescape(const char *s, size_t *len)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
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
		define_key("\033[200~", KEY_PASTE_BEGIN);
		define_key("\033[201~", KEY_PASTE_END);
		set_escdelay(50);
		/* bracketed paste on */
		fputs("\033[?2004h", stdout);
		fflush(stdout);
	}
	started = true;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
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
		fflush(stdout);
	}
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
	fputs("\033[?2004h", stdout);
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

/* Collects a bracketed paste up to its end marker. */
static void
read_paste(struct tkey *key)
{
	size_t cap = 256, len = 0;
	char *text = xmalloc(cap);
	timeout(1000);
	for (;;) {
		wint_t ch;
		int r = get_wch(&ch);
		if (r == ERR || (r == KEY_CODE_YES && ch == KEY_PASTE_END))
			break;
		if (r == KEY_CODE_YES) {
			if (ch == KEY_ENTER)
				ch = '\n';
			else
				continue;
		}
		if (ch == '\r')
			ch = '\n';
		char buf[UTF8_MAX_BYTES];
		size_t n = utf8_encode((uint32_t)ch, buf);
		if (len + n + 1 > cap) {
			cap *= 2;
			text = xrealloc(text, cap);
		}
		memcpy(text + len, buf, n);
		len += n;
	}
	text[len] = '\0';
	*key = (struct tkey){.kind = TK_PASTE, .text = text, .len = len};
}

int
term_read(struct tkey *key, int timeout_ms)
{
	memset(key, 0, sizeof *key);
	if (term_hangup || term_interrupt)
		return 0;
	if (scripted)
		return scripted_read(key);
	timeout(timeout_ms);
	wint_t ch;
	int r = get_wch(&ch);
	if (r == ERR) {
		/* a terminal that went away reads as end of input, not as a timeout */
		if (timeout_ms < 0 || (errno != EINTR && !isatty(STDIN_FILENO)))
			return term_hangup || term_interrupt ? 0 : -1;
		return 0;
	}
	if (r == KEY_CODE_YES) {
		if (ch == KEY_RESIZE) {
			key->kind = TK_RESIZE;
		} else if (ch == KEY_PASTE_BEGIN) {
			read_paste(key);
		} else {
			key->kind = TK_KEY;
			key->code = (int)ch;
		}
		return 1;
	}
	if (ch == 27) {
		/* Alt-key arrives as ESC and the key at once */
		timeout(0);
		wint_t next;
		int r2 = get_wch(&next);
		if (r2 == OK && next != 27) {
			key->kind = TK_CHAR;
			key->ch = (wchar_t)next;
			key->alt = true;
			return 1;
		}
		if (r2 == KEY_CODE_YES)
			ungetch((int)next);
	}
	key->kind = TK_CHAR;
	key->ch = (wchar_t)ch;
	return 1;
}
