#ifndef NIANBAO_KEYDEC_H
#define NIANBAO_KEYDEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Key-sequence decoding: the bytes a terminal sends, turned into key events, without
 * curses and without terminfo. It knows what these send (doc/DESIGN.md, "Keys from real
 * terminals"): xterm and Windows Terminal (CSI/SS3 with xterm modifiers), PuTTY in each
 * function-key mode (ESC[n~, Linux, Xterm R6, VT400, SCO), the Linux console, rxvt,
 * tmux and screen, with the keypad in numeric or application mode; bracketed paste; SGR
 * mouse reports.
 *
 * The rule: an escape sequence is never typed. Any CSI (ESC [) or SS3 (ESC O) sequence
 * it does not know is consumed whole and reported as KEYEV_UNKNOWN; so is an invalid
 * UTF-8 byte. Characters come only from plain bytes.
 *
 * Feed the bytes as they arrive, then take events with keydec_next until it returns
 * false. A sequence that stops half-way (a lone ESC, ESC [ 1 ;) waits for more bytes; when
 * none arrived within the Esc delay (about 50 ms), call keydec_next with timed_out, which
 * settles it: a lone ESC is the Esc key, a cut-off CSI is an unknown key. */

enum keyev_kind {
	KEYEV_CHAR,      /* ch: a Unicode character, or a control character below 32 */
	KEYEV_KEY,       /* key: one of enum keyname */
	KEYEV_PASTE,     /* text/len: a bracketed paste, as sent (CR, LF, tabs included) */
	KEYEV_MOUSE,     /* mouse */
	KEYEV_UNKNOWN,   /* a sequence (or byte) that is no key we know; len bytes were eaten */
};

enum keyname {
	KEYN_UP = 1, KEYN_DOWN, KEYN_RIGHT, KEYN_LEFT,
	KEYN_HOME, KEYN_END, KEYN_INSERT, KEYN_DELETE, KEYN_PGUP, KEYN_PGDN,
	KEYN_BEGIN,        /* keypad 5 without Num Lock */
	KEYN_BTAB,         /* Shift-Tab */
	KEYN_BACKSPACE,    /* DEL (0x7F) or BS (0x08) */
	KEYN_F1,           /* KEYN_F1 + n - 1 is Fn, n = 1..20 */
	KEYN_F20 = KEYN_F1 + 19,
};
#define KEYN_F(n) (KEYN_F1 + (n) - 1)

/* Modifier bits, as xterm encodes them minus one (CSI 1;5A is Ctrl-Up). */
enum { KEYMOD_SHIFT = 1, KEYMOD_ALT = 2, KEYMOD_CTRL = 4 };

enum keyev_mouse_kind { MOUSE_PRESS, MOUSE_RELEASE, MOUSE_DRAG, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN };

struct keyev {
	enum keyev_kind kind;
	uint32_t ch;          /* KEYEV_CHAR */
	int key;              /* KEYEV_KEY */
	unsigned mods;        /* KEYMOD_* bits; Alt also for ESC before a character */
	bool keypad;          /* from the numeric keypad in application mode (ESC O p is '0') */
	char *text;           /* KEYEV_PASTE: malloc'd, NUL-terminated; the caller frees it */
	size_t len;           /* KEYEV_PASTE: length of text; KEYEV_UNKNOWN: bytes eaten */
	struct {
		enum keyev_mouse_kind kind;
		int button;       /* 0 left, 1 middle, 2 right */
		int x, y;         /* 0-based column and row */
	} mouse;
};

struct keydec {
	unsigned char *buf;   /* bytes not yet decoded */
	size_t len, cap;
	bool in_paste;        /* between ESC[200~ and ESC[201~ */
	bool pf_keypad;       /* the terminal sends F1-F4 as ESC[11~ .. or ESC[[A ..: then
	                       * ESC O P..S are keypad keys (Num Lock / * -), not F1-F4 */
	bool x10_mouse;       /* ESC [ M b x y is a mouse report (only while the editor has
	                       * asked for mouse reports without SGR); else it is SCO F1 */
};

void keydec_init(struct keydec *d);
void keydec_free(struct keydec *d);

/* Appends bytes read from the terminal. */
void keydec_feed(struct keydec *d, const void *bytes, size_t n);

/* Decodes the next event into *ev and returns true; false when the bytes left are empty
 * or only the start of a sequence (then wait up to the Esc delay and call again with
 * timed_out true, or feed more). In a bracketed paste, false until its end arrives;
 * timed_out then delivers what came (give a paste a longer delay, say a second). */
bool keydec_next(struct keydec *d, struct keyev *ev, bool timed_out);

/* Whether bytes are waiting that keydec_next could not yet decode. */
static inline bool keydec_pending(const struct keydec *d) { return d->len > 0; }

/* A readable name for an event ("F2", "Ctrl-Up", "KP 1", "'a'"), for messages and
 * tests; buf of 32 bytes suffices. */
const char *keydec_name(const struct keyev *ev, char *buf, size_t size);

#endif
