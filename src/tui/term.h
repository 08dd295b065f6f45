#ifndef NIANBAO_TUI_TERM_H
#define NIANBAO_TUI_TERM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* The one module that owns the terminal: curses set-up and tear-down, keys (from the
 * terminal, or from a key script), signals (handlers only set flags) and screen dumps. */

enum tkey_kind {
	TK_CHAR,      /* ch: a character, or a control character below 32 */
	TK_KEY,       /* code: a curses KEY_* code */
	TK_PASTE,     /* text: bracketed paste (or a burst of typed text with tabs or line
	               * breaks, from a terminal without it), as sent: CR LF, tabs included */
	TK_RESIZE,
	TK_UNKNOWN,   /* an escape sequence that is no key we know, swallowed whole */
	TK_MOUSE,     /* code: TMOUSE_*; x, y: the screen cell */
};

enum { TMOUSE_PRESS, TMOUSE_RELEASE, TMOUSE_DRAG, TMOUSE_WHEEL_UP, TMOUSE_WHEEL_DOWN };

/* Modifiers of a TK_KEY, when the terminal says (xterm's CSI 1;5H is Ctrl-Home). */
enum { TMOD_SHIFT = 1, TMOD_ALT = 2, TMOD_CTRL = 4 };

struct tkey {
	enum tkey_kind kind;
	wchar_t ch;
	int code;
	bool alt;       /* Alt (Meta) held: ESC before the key */
	unsigned mods;  /* TK_KEY: TMOD_* */
	int x, y;       /* TK_MOUSE */
	char *text;     /* TK_PASTE: malloc'd UTF-8, owned by the caller */
	size_t len;
};

/* Keys are read as bytes and decoded by keydec (nianbao/keydec.h), not by curses: every
 * terminal's sequences are known, and one that is not is a TK_UNKNOWN, never typed. */

/* Starts the terminal. With script non-NULL, keys come from that key-script file
 * (tests/e2e/README: one directive a line) and the screen goes nowhere; dumps go to
 * stdout. Returns false with a message on stderr when the terminal cannot be used. */
bool term_start(const char *script);
/* Restores the terminal; safe to call more than once and from atexit. */
void term_stop(void);
bool term_scripted(void);

/* Waits up to timeout_ms (-1 forever) for a key. Returns 1 with a key, 0 on timeout or when
 * a signal flag was raised, -1 when input has ended (the script ran out, the terminal is
 * gone). */
int term_read(struct tkey *key, int timeout_ms);

/* Hands the terminal to another program (Ctrl-E) and takes it back. */
void term_suspend(void);
void term_resume(void);

/* Raised by signal handlers; the main loop acts on them. */
extern volatile sig_atomic_t term_hangup;     /* SIGHUP or SIGTERM: autosave, then exit */
extern volatile sig_atomic_t term_interrupt;  /* SIGINT: not a quit; say how to quit */

/* Writes the screen as UTF-8 text to stdout: "--- screen WxH cursor ROW,COL" then one
 * line a row (trailing spaces removed), then "---". With attrs, one letter per column
 * instead: r reverse, b bold, u underline, d dim, . plain. */
void term_dump(bool attrs);

#endif
