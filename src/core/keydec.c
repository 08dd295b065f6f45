#include <config.h>

#include "nianbao/keydec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nianbao/diag.h"
#include "nianbao/utf8.h"

/* Where each sequence comes from (checked against the terminals' sources and xterm's
 * ctlseqs; doc/DESIGN.md lists them per terminal):
 *   CSI A..D, SS3 A..D        arrows (normal / application cursor mode), all terminals
 *   CSI 1;m A..D, H, F, P..S  the same with xterm modifiers m = 1 + bits (xterm, Windows
 *                             Terminal, PuTTY "Xterm 216+", tmux)
 *   CSI H, CSI F, SS3 H/F     Home, End (xterm, Windows Terminal)
 *   CSI 1~ 2~ 3~ 4~ 5~ 6~     Home Insert Delete End PgUp PgDn (PuTTY, Linux console,
 *                             screen, tmux); CSI 7~ 8~ Home End (rxvt)
 *   CSI 11~..15~              F1..F5 (PuTTY "ESC[n~" default and VT400 mode, rxvt)
 *   CSI 15~ 17~..21~ 23~ 24~  F5..F12 (everyone); 25~..34~ F13..F20 (PuTTY Shift-F3..)
 *   CSI [A..CSI [E            F1..F5 (Linux console, PuTTY "Linux" mode)
 *   SS3 P..S                  F1..F4 (xterm, Windows Terminal, PuTTY "Xterm R6", tmux);
 *                             the keypad's Num Lock, /, *, - on a terminal that sends
 *                             F1..F4 otherwise (PuTTY default, VT400 and Linux modes)
 *   CSI M..X, Y, a..v, w..{   SCO F1..F12, Shift-, Ctrl-, Ctrl-Shift-F1..F12 (PuTTY SCO)
 *   CSI H L F I G             SCO Home Insert End PgUp PgDn
 *   CSI Z                     Shift-Tab
 *   SS3 p..y n M k l m j o X  keypad 0..9 . Enter + + - * / = in application mode
 *                             (xterm; PuTTY sends l for +, m for Shift-+)
 *   SS3 T..Z                  F5..F11 (PuTTY "VT100+")
 *   CSI 200~ .. CSI 201~      bracketed paste
 *   CSI < b;x;y M/m           SGR mouse report (CSI M b x y with x10_mouse)
 *   ESC ESC [ ...             Alt with a key (PuTTY puts ESC before the key's sequence) */

enum { ESC = 0x1b };

void
keydec_init(struct keydec *d)
{
	memset(d, 0, sizeof *d);
}

void
keydec_free(struct keydec *d)
{
	free(d->buf);
	memset(d, 0, sizeof *d);
}

void
keydec_feed(struct keydec *d, const void *bytes, size_t n)
{
	if (d->len + n > d->cap) {
		d->cap = (d->len + n) * 2 + 64;
		d->buf = xrealloc(d->buf, d->cap);
	}
	memcpy(d->buf + d->len, bytes, n);
	d->len += n;
}

/* Parse results */
enum { NEED_MORE = 0, DONE = 1 };

static void
set_key(struct keyev *ev, int key, unsigned mods)
{
	*ev = (struct keyev){.kind = KEYEV_KEY, .key = key, .mods = mods};
}

static void
set_char(struct keyev *ev, uint32_t ch, unsigned mods, bool keypad)
{
	*ev = (struct keyev){.kind = KEYEV_CHAR, .ch = ch, .mods = mods, .keypad = keypad};
}

static void
set_unknown(struct keyev *ev, size_t len)
{
	*ev = (struct keyev){.kind = KEYEV_UNKNOWN, .len = len};
}

/* xterm's modifier parameter: 1 + bits (Meta, 9.., counts as Alt). */
static unsigned
mods_of(long m)
{
	if (m < 2 || m > 16)
		return 0;
	unsigned bits = (unsigned)(m - 1);
	return (bits & 7) | (bits & 8 ? KEYMOD_ALT : 0);
}

/* CSI n ~ codes */
static int
tilde_key(long code, struct keydec *d)
{
	switch (code) {
	case 1: case 7: return KEYN_HOME;
	case 2: return KEYN_INSERT;
	case 3: return KEYN_DELETE;
	case 4: case 8: return KEYN_END;
	case 5: return KEYN_PGUP;
	case 6: return KEYN_PGDN;
	case 11: case 12: case 13: case 14:
		d->pf_keypad = true;
		return KEYN_F(code - 10);
	case 15: return KEYN_F(5);
	case 17: case 18: case 19: case 20: case 21: return KEYN_F(code - 11);
	case 23: case 24: case 25: case 26: return KEYN_F(code - 12);
	case 28: case 29: return KEYN_F(code - 13);
	case 31: case 32: case 33: case 34: return KEYN_F(code - 14);
	}
	return 0;
}

/* The final byte of a CSI or SS3 cursor-like key (arrows, Home, End, Begin). */
static int
cursor_key(unsigned char f)
{
	switch (f) {
	case 'A': return KEYN_UP;
	case 'B': return KEYN_DOWN;
	case 'C': return KEYN_RIGHT;
	case 'D': return KEYN_LEFT;
	case 'H': return KEYN_HOME;
	case 'F': return KEYN_END;
	case 'E': return KEYN_BEGIN;
	}
	return 0;
}

/* PuTTY's SCO function keys: CSI followed by one of these, no parameters. */
static const char sco_codes[] = "MNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@[\\]^_`{";

static bool
sco_fkey(unsigned char f, int *key, unsigned *mods)
{
	const char *p = f ? strchr(sco_codes, f) : NULL;
	if (!p)
		return false;
	int index = (int)(p - sco_codes);
	*key = KEYN_F(index % 12 + 1);
	*mods = (index / 12 & 1 ? KEYMOD_SHIFT : 0) | (index / 12 >= 2 ? KEYMOD_CTRL : 0);
	return true;
}

/* Scans a control sequence body from b[i]: parameter bytes 0x30-0x3F, intermediate bytes
 * 0x20-0x2F, one final byte 0x40-0x7E. Returns the index just past the final byte, 0 when
 * the bytes ran out, or -(index) of a byte that cannot be part of it (a control, ESC, a
 * byte >= 0x7F): the sequence is broken there. */
static long
scan_body(const unsigned char *b, size_t n, size_t i)
{
	for (; i < n; i++) {
		unsigned char c = b[i];
		if (c >= 0x40 && c <= 0x7e)
			return (long)i + 1;
		if (c < 0x20 || c > 0x7e)
			return -(long)i;
	}
	return 0;
}

/* Reads up to max numeric parameters separated by ';' from b[from..to) (sub-parameters
 * after ':' are skipped). Returns the count; an empty parameter is 0; -1 when other
 * bytes are present. */
static int
read_params(const unsigned char *b, size_t from, size_t to, long *out, int max)
{
	int count = 0;
	long cur = 0;
	bool any = false, sub = false;
	for (size_t i = from; i < to; i++) {
		unsigned char c = b[i];
		if (c >= '0' && c <= '9') {
			if (!sub && cur < 100000)
				cur = cur * 10 + (c - '0');
			any = true;
		} else if (c == ';') {
			if (count < max)
				out[count] = cur;
			count++;
			cur = 0;
			sub = false;
			any = true;
		} else if (c == ':') {
			sub = true;
		} else {
			return -1;
		}
	}
	if (any) {
		if (count < max)
			out[count] = cur;
		count++;
	}
	return count < max ? count : max;
}

static bool
decode_sgr_mouse(const unsigned char *b, size_t from, size_t to, unsigned char final, struct keyev *ev)
{
	long p[3];
	if (read_params(b, from, to, p, 3) != 3 || p[1] < 1 || p[2] < 1)
		return false;
	long cb = p[0];
	*ev = (struct keyev){.kind = KEYEV_MOUSE};
	ev->mouse.x = (int)p[1] - 1;
	ev->mouse.y = (int)p[2] - 1;
	ev->mods = (cb & 4 ? KEYMOD_SHIFT : 0) | (cb & 8 ? KEYMOD_ALT : 0) | (cb & 16 ? KEYMOD_CTRL : 0);
	if (cb & 64) {
		ev->mouse.kind = cb & 1 ? MOUSE_WHEEL_DOWN : MOUSE_WHEEL_UP;
	} else {
		ev->mouse.button = (int)(cb & 3);
		ev->mouse.kind = final == 'm' ? MOUSE_RELEASE : cb & 32 ? MOUSE_DRAG : MOUSE_PRESS;
	}
	return true;
}

/* ESC [ ... at b[0]. */
static int
parse_csi(struct keydec *d, const unsigned char *b, size_t n, bool final, struct keyev *ev, size_t *used)
{
	if (n < 3) {
		if (!final)
			return NEED_MORE;
		set_char(ev, '[', KEYMOD_ALT, false);   /* Alt-[ */
		*used = 2;
		return DONE;
	}
	/* Linux console F1..F5: ESC [ [ A .. E */
	if (b[2] == '[') {
		if (n < 4) {
			if (!final)
				return NEED_MORE;
		} else if (b[3] >= 'A' && b[3] <= 'E') {
			d->pf_keypad = true;
			set_key(ev, KEYN_F(b[3] - 'A' + 1), 0);
			*used = 4;
			return DONE;
		}
		/* PuTTY SCO Ctrl-Shift-F6 */
		set_key(ev, KEYN_F(6), KEYMOD_CTRL | KEYMOD_SHIFT);
		*used = 3;
		return DONE;
	}
	/* X10 mouse: ESC [ M b x y, three raw bytes */
	if (b[2] == 'M' && d->x10_mouse) {
		if (n < 6) {
			if (!final)
				return NEED_MORE;
			set_unknown(ev, n);
			*used = n;
			return DONE;
		}
		int cb = b[3] - 32;
		*ev = (struct keyev){.kind = KEYEV_MOUSE};
		ev->mouse.x = b[4] - 33;
		ev->mouse.y = b[5] - 33;
		ev->mods = (cb & 4 ? KEYMOD_SHIFT : 0) | (cb & 8 ? KEYMOD_ALT : 0) | (cb & 16 ? KEYMOD_CTRL : 0);
		if (cb & 64)
			ev->mouse.kind = cb & 1 ? MOUSE_WHEEL_DOWN : MOUSE_WHEEL_UP;
		else if ((cb & 3) == 3)
			ev->mouse.kind = MOUSE_RELEASE;
		else {
			ev->mouse.button = cb & 3;
			ev->mouse.kind = cb & 32 ? MOUSE_DRAG : MOUSE_PRESS;
		}
		if (ev->mouse.x < 0 || ev->mouse.y < 0)
			set_unknown(ev, 6);
		*used = 6;
		return DONE;
	}
	long end = scan_body(b, n, 2);
	if (end == 0) {
		if (!final)
			return NEED_MORE;
		set_unknown(ev, n);
		*used = n;
		return DONE;
	}
	if (end < 0) {
		/* broken by a control or another ESC: swallow what came, decode that byte anew */
		set_unknown(ev, (size_t)-end);
		*used = (size_t)-end;
		return DONE;
	}
	*used = (size_t)end;
	unsigned char f = b[end - 1];
	size_t pstart = 2, pend = (size_t)end - 1;
	/* intermediates at the end of the parameters make it no key of ours */
	bool intermediates = false;
	while (pend > pstart && b[pend - 1] >= 0x20 && b[pend - 1] <= 0x2f) {
		pend--;
		intermediates = true;
	}
	unsigned char prefix = pend > pstart && b[pstart] >= 0x3c && b[pstart] <= 0x3f ? b[pstart] : 0;
	set_unknown(ev, *used);
	if (intermediates)
		return DONE;
	if (prefix == '<') {
		if ((f == 'M' || f == 'm') && !decode_sgr_mouse(b, pstart + 1, pend, f, ev))
			set_unknown(ev, *used);
		return DONE;
	}
	if (prefix)
		return DONE;
	long p[4] = {0};
	int count = read_params(b, pstart, pend, p, 4);
	if (count < 0)
		return DONE;
	if (count == 0) {
		int key = cursor_key(f);
		unsigned mods = 0;
		if (f == 'Z')
			set_key(ev, KEYN_BTAB, 0);
		else if (f == 'E')
			;   /* xterm's keypad 5 is CSI E, but nobody needs it: unknown */
		else if (key)
			set_key(ev, key, 0);
		else if (f == 'L')
			set_key(ev, KEYN_INSERT, 0);
		else if (f == 'I')
			set_key(ev, KEYN_PGUP, 0);
		else if (f == 'G')
			set_key(ev, KEYN_PGDN, 0);   /* SCO PgDn; the Linux console's keypad 5 too */
		else if (sco_fkey(f, &key, &mods))
			set_key(ev, key, mods);
		return DONE;
	}
	if (f == '~' || f == '^' || f == '@') {
		if (count > 2)
			return DONE;
		if (p[0] == 200 && count == 1 && f == '~') {
			d->in_paste = true;
			*ev = (struct keyev){.kind = KEYEV_PASTE};
			return DONE;
		}
		int key = tilde_key(p[0], d);
		if (!key)
			return DONE;
		unsigned mods = count == 2 ? mods_of(p[1]) : 0;
		if (f == '^')
			mods |= KEYMOD_CTRL;          /* rxvt */
		else if (f == '@')
			mods |= KEYMOD_CTRL | KEYMOD_SHIFT;
		set_key(ev, key, mods);
		return DONE;
	}
	/* CSI 1;m X: a cursor key or F1..F4 with modifiers */
	if (count == 2 && p[0] <= 1) {
		int key = cursor_key(f);
		if (f >= 'P' && f <= 'S')
			key = KEYN_F(f - 'P' + 1);
		unsigned mods = mods_of(p[1]);
		if (f == 'Z') {
			key = KEYN_BTAB;
			mods &= ~(unsigned)KEYMOD_SHIFT;
		}
		if (key && key != KEYN_BEGIN)
			set_key(ev, key, mods);
		return DONE;
	}
	if (count == 1 && p[0] <= 1 && f == 'Z')
		set_key(ev, KEYN_BTAB, 0);
	return DONE;
}

/* ESC O ... at b[0]. */
static int
parse_ss3(struct keydec *d, const unsigned char *b, size_t n, bool final, struct keyev *ev, size_t *used)
{
	if (n < 3) {
		if (!final)
			return NEED_MORE;
		set_char(ev, 'O', KEYMOD_ALT, false);   /* Alt-O */
		*used = 2;
		return DONE;
	}
	/* SS3 takes one final character; old xterms put a modifier digit before it. (The
	 * VT100 keypad's space, SS3 SP, is on no PC keyboard.) Anything else shaped like a control sequence is eaten
	 * whole, as for CSI. */
	long end = scan_body(b, n, 2);
	if (end == 0) {
		if (!final)
			return NEED_MORE;
		set_unknown(ev, n);
		*used = n;
		return DONE;
	}
	if (end < 0) {
		set_unknown(ev, (size_t)-end);
		*used = (size_t)-end;
		return DONE;
	}
	*used = (size_t)end;
	set_unknown(ev, *used);
	unsigned char f = b[end - 1];
	size_t i = 2;
	while (i < (size_t)end - 1 && b[i] >= '0' && b[i] <= '9')
		i++;
	if (i != (size_t)end - 1)
		return DONE;   /* other parameter or intermediate bytes: no key of ours */
	unsigned mods = 0;
	if (i > 2) {
		long m = 0;
		for (size_t k = 2; k < i && m < 100; k++)
			m = m * 10 + (b[k] - '0');
		mods = mods_of(m);
	}
	int key = cursor_key(f);
	if (key) {
		if (key != KEYN_BEGIN)
			set_key(ev, key, mods);
		return DONE;
	}
	if (f >= 'P' && f <= 'S') {
		if (!d->pf_keypad) {
			set_key(ev, KEYN_F(f - 'P' + 1), mods);
		} else if (f != 'P') {
			/* VT100 PF2..PF4 where PuTTY puts the keypad's / * - */
			set_char(ev, "/*-"[f - 'Q'], mods, true);
		}
		return DONE;
	}
	if (f >= 'T' && f <= 'Z' && f != 'X') {
		set_key(ev, KEYN_F(f - 'T' + 5), mods);   /* PuTTY VT100+ F5..F11 (X: F9) */
		return DONE;
	}
	if (f >= 'a' && f <= 'd') {
		set_key(ev, cursor_key((unsigned char)(f - 'a' + 'A')), mods | KEYMOD_CTRL);   /* rxvt */
		return DONE;
	}
	uint32_t ch = 0;
	if (f >= 'p' && f <= 'y')
		ch = (uint32_t)('0' + (f - 'p'));
	else
		switch (f) {
		case 'n': ch = '.'; break;
		case 'M': ch = '\r'; break;
		case 'k': case 'l': ch = '+'; break;
		case 'm': ch = '-'; break;
		case 'j': ch = '*'; break;
		case 'o': ch = '/'; break;
		case 'X': ch = '='; break;
		case 'I': ch = '\t'; break;
		}
	if (ch)
		set_char(ev, ch, mods, true);
	return DONE;
}

static int
parse(struct keydec *d, const unsigned char *b, size_t n, bool final, struct keyev *ev, size_t *used)
{
	unsigned char c = b[0];
	if (c != ESC) {
		if (c == 0x7f || c == 0x08) {
			set_key(ev, KEYN_BACKSPACE, 0);
			*used = 1;
			return DONE;
		}
		if (c < 0x80) {
			set_char(ev, c, 0, false);
			*used = 1;
			return DONE;
		}
		if (!final && utf8_incomplete_tail((const char *)b, n) == n)
			return NEED_MORE;
		uint32_t cp;
		size_t k = utf8_decode((const char *)b, n, &cp);
		*used = k;
		if (cp == UTF8_INVALID || cp < 0xa0)
			set_unknown(ev, k);   /* a bad byte or a C1 control: never a character */
		else
			set_char(ev, cp, 0, false);
		return DONE;
	}
	if (n < 2) {
		if (!final)
			return NEED_MORE;
		set_char(ev, ESC, 0, false);
		*used = 1;
		return DONE;
	}
	if (b[1] == '[')
		return parse_csi(d, b, n, final, ev, used);
	if (b[1] == 'O')
		return parse_ss3(d, b, n, final, ev, used);
	if (b[1] == ESC) {
		/* ESC ESC [ ... is Alt with a key (PuTTY); otherwise the first ESC is the Esc key
		 * and the second starts what follows (Esc then Alt-1 over a slow link) */
		if (n < 3 && !final)
			return NEED_MORE;
		if (n >= 3 && (b[2] == '[' || b[2] == 'O')) {
			size_t sub_used;
			if (parse(d, b + 1, n - 1, final, ev, &sub_used) == NEED_MORE)
				return NEED_MORE;
			if (ev->kind == KEYEV_KEY || ev->kind == KEYEV_MOUSE || ev->kind == KEYEV_UNKNOWN ||
			    (ev->kind == KEYEV_CHAR && ev->keypad)) {
				if (ev->kind == KEYEV_UNKNOWN)
					ev->len++;
				else
					ev->mods |= KEYMOD_ALT;
				*used = sub_used + 1;
				return DONE;
			}
			if (ev->kind == KEYEV_PASTE)
				d->in_paste = false;
		}
		set_char(ev, ESC, 0, false);
		*used = 1;
		return DONE;
	}
	/* Alt with a character */
	size_t sub_used;
	if (parse(d, b + 1, n - 1, final, ev, &sub_used) == NEED_MORE)
		return NEED_MORE;
	if (ev->kind == KEYEV_UNKNOWN) {
		ev->len++;
	} else {
		ev->mods |= KEYMOD_ALT;
	}
	*used = sub_used + 1;
	return DONE;
}

static const unsigned char paste_end[] = "\033[201~";

static bool
take_paste(struct keydec *d, struct keyev *ev, bool timed_out)
{
	size_t end_len = sizeof paste_end - 1;
	size_t at = d->len;
	for (size_t i = 0; i + end_len <= d->len; i++)
		if (d->buf[i] == ESC && !memcmp(d->buf + i, paste_end, end_len)) {
			at = i;
			break;
		}
	if (at == d->len && !timed_out)
		return false;
	*ev = (struct keyev){.kind = KEYEV_PASTE, .len = at};
	ev->text = xmalloc(at + 1);
	memcpy(ev->text, d->buf, at);
	ev->text[at] = '\0';
	size_t used = at < d->len ? at + end_len : at;
	memmove(d->buf, d->buf + used, d->len - used);
	d->len -= used;
	d->in_paste = false;
	return true;
}

bool
keydec_next(struct keydec *d, struct keyev *ev, bool timed_out)
{
	memset(ev, 0, sizeof *ev);
	if (d->in_paste)
		return take_paste(d, ev, timed_out);
	if (d->len == 0)
		return false;
	size_t used = 0;
	if (parse(d, d->buf, d->len, timed_out, ev, &used) == NEED_MORE)
		return false;
	if (used > d->len)
		used = d->len;
	memmove(d->buf, d->buf + used, d->len - used);
	d->len -= used;
	if (ev->kind == KEYEV_PASTE)
		return take_paste(d, ev, false);   /* false until the end marker is in */
	return true;
}

static const char *const key_names[] = {
	[KEYN_UP] = "Up", [KEYN_DOWN] = "Down", [KEYN_RIGHT] = "Right", [KEYN_LEFT] = "Left",
	[KEYN_HOME] = "Home", [KEYN_END] = "End", [KEYN_INSERT] = "Insert", [KEYN_DELETE] = "Delete",
	[KEYN_PGUP] = "PgUp", [KEYN_PGDN] = "PgDn", [KEYN_BEGIN] = "Begin", [KEYN_BTAB] = "Shift-Tab",
	[KEYN_BACKSPACE] = "Backspace",
};

const char *
keydec_name(const struct keyev *ev, char *buf, size_t size)
{
	char mods[24];
	snprintf(mods, sizeof mods, "%s%s%s", ev->mods & KEYMOD_CTRL ? "Ctrl-" : "",
	         ev->mods & KEYMOD_ALT ? "Alt-" : "", ev->mods & KEYMOD_SHIFT ? "Shift-" : "");
	switch (ev->kind) {
	case KEYEV_CHAR:
		if (ev->ch == '\r')
			snprintf(buf, size, "%s%sEnter", mods, ev->keypad ? "KP " : "");
		else if (ev->ch == ESC)
			snprintf(buf, size, "%sEsc", mods);
		else if (ev->ch == '\t')
			snprintf(buf, size, "%sTab", mods);
		else if (ev->ch < 32)
			snprintf(buf, size, "%sCtrl-%c", mods, (char)(ev->ch + 'A' - 1));
		else {
			char u[UTF8_MAX_BYTES + 1] = {0};
			utf8_encode(ev->ch, u);
			snprintf(buf, size, "%s%s'%s'", mods, ev->keypad ? "KP " : "", u);
		}
		break;
	case KEYEV_KEY:
		if (ev->key >= KEYN_F1 && ev->key <= KEYN_F20)
			snprintf(buf, size, "%sF%d", mods, ev->key - KEYN_F1 + 1);
		else if (ev->key > 0 && ev->key < (int)(sizeof key_names / sizeof *key_names) && key_names[ev->key])
			snprintf(buf, size, "%s%s", mods, key_names[ev->key]);
		else
			snprintf(buf, size, "key %d", ev->key);
		break;
	case KEYEV_PASTE:
		snprintf(buf, size, "paste of %zu bytes", ev->len);
		break;
	case KEYEV_MOUSE:
		snprintf(buf, size, "%smouse %d at %d,%d", mods, (int)ev->mouse.kind, ev->mouse.x, ev->mouse.y);
		break;
	case KEYEV_UNKNOWN:
		snprintf(buf, size, "unknown (%zu bytes)", ev->len);
		break;
	}
	return buf;
}
