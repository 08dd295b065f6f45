#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nianbao/keydec.h"

/* Decodes bytes (fed all at once, then one at a time) and returns the events' names
 * joined by spaces, settling a cut-off sequence at the end as after the Esc delay. */
static void
decode_into(const char *bytes, size_t n, bool bytewise, char *out, size_t size)
{
	struct keydec d;
	keydec_init(&d);
	out[0] = '\0';
	size_t len = 0;
	struct keyev ev;
	for (size_t i = 0; i < n; i += bytewise ? 1 : n) {
		keydec_feed(&d, bytes + i, bytewise ? 1 : n);
		while (keydec_next(&d, &ev, false)) {
			char name[64];
			len += (size_t)snprintf(out + len, size - len, "%s%s", len ? " " : "", keydec_name(&ev, name, sizeof name));
			if (ev.kind == KEYEV_PASTE) {
				len += (size_t)snprintf(out + len, size - len, "[%s]", ev.text);
				free(ev.text);
			}
		}
	}
	while (keydec_next(&d, &ev, true)) {
		char name[64];
		len += (size_t)snprintf(out + len, size - len, "%s%s", len ? " " : "", keydec_name(&ev, name, sizeof name));
		if (ev.kind == KEYEV_PASTE) {
			len += (size_t)snprintf(out + len, size - len, "[%s]", ev.text);
			free(ev.text);
		}
	}
	keydec_free(&d);
}

static void
decodes(const char *bytes, const char *expected)
{
	char whole[512], bytewise[512];
	decode_into(bytes, strlen(bytes), false, whole, sizeof whole);
	decode_into(bytes, strlen(bytes), true, bytewise, sizeof bytewise);
	if (strcmp(whole, expected) || strcmp(bytewise, expected))
		fail_msg("decoding %s: got '%s' (byte by byte '%s'), expected '%s'", bytes + (bytes[0] == 27),
		         whole, bytewise, expected);
}

struct seq {
	const char *bytes;
	const char *key;
};

/* Each terminal's keys, as its source or manual says it sends them. */
static void
check_table(const struct seq *t)
{
	for (; t->bytes; t++)
		decodes(t->bytes, t->key);
}

static void
test_putty_default(void **state)
{
	(void)state;
	/* PuTTY, Keyboard "ESC[n~" (the default), cursor keys normal, keypad numeric */
	static const struct seq t[] = {
		{"\033[11~", "F1"}, {"\033[12~", "F2"}, {"\033[13~", "F3"}, {"\033[14~", "F4"},
		{"\033[15~", "F5"}, {"\033[17~", "F6"}, {"\033[18~", "F7"}, {"\033[19~", "F8"},
		{"\033[20~", "F9"}, {"\033[21~", "F10"}, {"\033[23~", "F11"}, {"\033[24~", "F12"},
		/* Shift-F1..F10 are sent as F11..F20 */
		{"\033[25~", "F13"}, {"\033[34~", "F20"},
		{"\033[1~", "Home"}, {"\033[2~", "Insert"}, {"\033[3~", "Delete"}, {"\033[4~", "End"},
		{"\033[5~", "PgUp"}, {"\033[6~", "PgDn"},
		{"\033[A", "Up"}, {"\033[B", "Down"}, {"\033[C", "Right"}, {"\033[D", "Left"},
		/* Ctrl-arrows switch to application mode */
		{"\033OA", "Up"}, {"\033OD", "Left"},
		/* Alt puts ESC before the key */
		{"\033\033[A", "Alt-Up"}, {"\033\033[11~", "Alt-F1"}, {"\0331", "Alt-'1'"},
		{"\177", "Backspace"}, {"\033[Z", "Shift-Tab"}, {"\r", "Enter"}, {"\t", "Tab"},
		/* the keypad in numeric mode sends plain characters */
		{"1.5+-*/\r", "'1' '.' '5' '+' '-' '*' '/' Enter"},
		{NULL, NULL},
	};
	check_table(t);
}

static void
test_putty_app_keypad(void **state)
{
	(void)state;
	/* PuTTY's keypad in application mode, ESC[n~ / Linux / VT400 function keys:
	 * 0..9 . Enter + are SS3 p..y n M l, and Num Lock / * - are SS3 P Q R S (the VT100
	 * PF keys). A terminal that sends ESC[11~ for F1 sends SS3 P..S only for the keypad. */
	decodes("\033[11~\033Oq\033Or\033OM", "F1 KP '1' KP '2' KP Enter");
	decodes("\033[12~\033Op\033On\033Ol\033Om", "F2 KP '0' KP '.' KP '+' KP '-'");
	decodes("\033[14~\033OQ\033OR\033OS\033OP\033Ox", "F4 KP '/' KP '*' KP '-' unknown (3 bytes) KP '8'");
	/* Linux mode F1..F5 are ESC[[A..E: the same learning */
	decodes("\033[[A\033OS5", "F1 KP '-' '5'");
	/* every digit */
	decodes("\033Op\033Oq\033Or\033Os\033Ot\033Ou\033Ov\033Ow\033Ox\033Oy",
	        "KP '0' KP '1' KP '2' KP '3' KP '4' KP '5' KP '6' KP '7' KP '8' KP '9'");
}

static void
test_putty_modes(void **state)
{
	(void)state;
	static const struct seq t[] = {
		/* "Linux" */
		{"\033[[A", "F1"}, {"\033[[B", "F2"}, {"\033[[C", "F3"}, {"\033[[D", "F4"}, {"\033[[E", "F5"},
		{"\033[17~", "F6"}, {"\033[24~", "F12"},
		/* "Xterm R6" */
		{"\033OP", "F1"}, {"\033OQ", "F2"}, {"\033OR", "F3"}, {"\033OS", "F4"}, {"\033[15~", "F5"},
		/* Xterm R6 application keypad: + / * - are SS3 k o j m */
		{"\033Ok\033Oo\033Oj\033Om", "KP '+' KP '/' KP '*' KP '-'"},
		/* "VT400": F1..F4 as ESC[11~..; the edit keys in VT220 positions (same bytes) */
		{"\033[11~\033[2~\033[1~", "F1 Insert Home"},
		/* "SCO" */
		{"\033[M", "F1"}, {"\033[N", "F2"}, {"\033[O", "F3"}, {"\033[P", "F4"}, {"\033[Q", "F5"},
		{"\033[R", "F6"}, {"\033[S", "F7"}, {"\033[T", "F8"}, {"\033[U", "F9"}, {"\033[V", "F10"},
		{"\033[W", "F11"}, {"\033[X", "F12"}, {"\033[Y", "Shift-F1"}, {"\033[a", "Shift-F3"},
		{"\033[k", "Ctrl-F1"}, {"\033[v", "Ctrl-F12"}, {"\033[w", "Ctrl-Shift-F1"},
		{"\033[{", "Ctrl-Shift-F12"},
		{"\033[H", "Home"}, {"\033[F", "End"}, {"\033[L", "Insert"}, {"\033[I", "PgUp"},
		{"\033[G", "PgDn"},
		/* "Xterm 216+": modifiers in the sequence */
		{"\033[1;2P", "Shift-F1"}, {"\033[15;5~", "Ctrl-F5"}, {"\033[3;2~", "Shift-Delete"},
		/* "VT100+" */
		{"\033OT", "F5"}, {"\033OY", "F10"},
		/* rxvt Home/End */
		{"\033[7~", "Home"}, {"\033[8~", "End"},
		{NULL, NULL},
	};
	check_table(t);
}

static void
test_xterm_and_windows_terminal(void **state)
{
	(void)state;
	/* xterm (ctlseqs "PC-Style Function Keys") and Windows Terminal with OpenSSH */
	static const struct seq t[] = {
		{"\033OP", "F1"}, {"\033OQ", "F2"}, {"\033OR", "F3"}, {"\033OS", "F4"},
		{"\033[15~", "F5"}, {"\033[17~", "F6"}, {"\033[18~", "F7"}, {"\033[19~", "F8"},
		{"\033[20~", "F9"}, {"\033[21~", "F10"}, {"\033[23~", "F11"}, {"\033[24~", "F12"},
		{"\033[H", "Home"}, {"\033[F", "End"}, {"\033OH", "Home"}, {"\033OF", "End"},
		{"\033[2~", "Insert"}, {"\033[3~", "Delete"}, {"\033[5~", "PgUp"}, {"\033[6~", "PgDn"},
		{"\033[A", "Up"}, {"\033OB", "Down"},
		{"\033[1;2A", "Shift-Up"}, {"\033[1;3B", "Alt-Down"}, {"\033[1;5C", "Ctrl-Right"},
		{"\033[1;6D", "Ctrl-Shift-Left"}, {"\033[1;5H", "Ctrl-Home"}, {"\033[1;5F", "Ctrl-End"},
		{"\033[1;2P", "Shift-F1"}, {"\033[1;5S", "Ctrl-F4"}, {"\033[19;2~", "Shift-F8"},
		{"\033[5;5~", "Ctrl-PgUp"}, {"\033[6;3~", "Alt-PgDn"}, {"\033[1;9A", "Alt-Up"},
		/* old xterm modifiers inside SS3 */
		{"\033O5P", "Ctrl-F1"}, {"\033O2A", "Shift-Up"},
		/* application keypad (DECKPAM) */
		{"\033Op\033Oy\033On\033OM\033Ok\033Om\033Oj\033Oo\033OX",
		 "KP '0' KP '9' KP '.' KP Enter KP '+' KP '-' KP '*' KP '/' KP '='"},
		{"\033[Z", "Shift-Tab"}, {"\033[1;2Z", "Shift-Tab"},
		{NULL, NULL},
	};
	check_table(t);
}

static void
test_linux_console_and_tmux(void **state)
{
	(void)state;
	static const struct seq t[] = {
		/* Linux console: F1..F5 ESC[[A..E, edit keys ESC[n~, application keypad */
		{"\033[[A", "F1"}, {"\033[[E", "F5"}, {"\033[17~", "F6"}, {"\033[21~", "F10"},
		{"\033[1~", "Home"}, {"\033[4~", "End"}, {"\033[2~", "Insert"}, {"\033[3~", "Delete"},
		/* tmux and screen (TERM=screen/tmux): kf1=\EOP, khome=\E[1~, kend=\E[4~ */
		{"\033OP", "F1"}, {"\033[1~", "Home"}, {"\033[4~", "End"}, {"\033[1;5A", "Ctrl-Up"},
		{"\033OA", "Up"},
		{NULL, NULL},
	};
	check_table(t);
}

static void
test_unknown_swallowed(void **state)
{
	(void)state;
	/* nothing of a sequence is ever typed */
	decodes("\033[99~1", "unknown (5 bytes) '1'");
	decodes("\033[1;2;3;4q", "unknown (10 bytes)");
	decodes("\033[?25h", "unknown (6 bytes)");
	decodes("\033[>0;136;0c", "unknown (11 bytes)");
	decodes("\033[27;5;49~", "unknown (10 bytes)");
	decodes("\033[57399u", "unknown (8 bytes)");
	decodes("\033[E\033OE", "unknown (3 bytes) unknown (3 bytes)");
	decodes("\033O", "Alt-'O'");
	decodes("\033O9", "unknown (3 bytes)");
	decodes("\033O1;", "unknown (4 bytes)");
	decodes("\033Oz", "unknown (3 bytes)");
	decodes("\033[1 q", "unknown (5 bytes)");
	/* cut off: swallowed at the Esc delay */
	decodes("\033[1;5", "unknown (5 bytes)");
	decodes("\033[12", "unknown (4 bytes)");
	/* broken by a control or another ESC: the sequence so far is swallowed */
	decodes("\033[12\r", "unknown (4 bytes) Enter");
	decodes("\033[1\033[A", "unknown (3 bytes) Up");
	/* a bad UTF-8 byte or a C1 control is no character */
	decodes("\xff" "7", "unknown (1 bytes) '7'");
	decodes("\xc2\x9b" "5", "unknown (2 bytes) '5'");
	/* a stray paste end */
	decodes("\033[201~", "unknown (6 bytes)");
}

static void
test_escape_timing(void **state)
{
	(void)state;
	decodes("\033", "Esc");
	decodes("\033\033", "Esc Esc");
	/* Esc, then Alt-1 within the Esc delay: both keys survive */
	decodes("\033\0331", "Esc Alt-'1'");
	decodes("\033\033\0332", "Esc Esc Alt-'2'");
	decodes("\0332", "Alt-'2'");
	decodes("\033[", "Alt-'['");
	decodes("\033\177", "Alt-Backspace");
	/* a lone ESC waits for more bytes, then is settled by the delay */
	struct keydec d;
	keydec_init(&d);
	struct keyev ev;
	keydec_feed(&d, "\033", 1);
	assert_false(keydec_next(&d, &ev, false));
	assert_true(keydec_pending(&d));
	keydec_feed(&d, "[", 1);
	assert_false(keydec_next(&d, &ev, false));
	keydec_feed(&d, "1", 1);
	assert_false(keydec_next(&d, &ev, false));
	keydec_feed(&d, "1~", 2);
	assert_true(keydec_next(&d, &ev, false));
	assert_int_equal(ev.kind, KEYEV_KEY);
	assert_int_equal(ev.key, KEYN_F1);
	assert_false(keydec_pending(&d));
	keydec_feed(&d, "\033", 1);
	assert_false(keydec_next(&d, &ev, false));
	assert_true(keydec_next(&d, &ev, true));
	assert_int_equal(ev.kind, KEYEV_CHAR);
	assert_int_equal(ev.ch, 27);
	keydec_free(&d);
}

static void
test_utf8_and_paste(void **state)
{
	(void)state;
	decodes("中1", "'中' '1'");
	decodes("\xef\xbc\x91", "'１'");
	decodes("\033[200~12\t3\r\n4\t\033[201~x", "paste of 8 bytes[12\t3\r\n4\t] 'x'");
	decodes("\033[200~\033[A\033[201~", "paste of 3 bytes[\033[A]");
	decodes("\033[200~\033[201~", "paste of 0 bytes[]");
	/* a paste whose end never comes is delivered at the delay */
	decodes("\033[200~5\t6", "paste of 3 bytes[5\t6]");
	struct keydec d;
	keydec_init(&d);
	struct keyev ev;
	keydec_feed(&d, "\033[200~1\t", 8);
	assert_false(keydec_next(&d, &ev, false));
	assert_true(d.in_paste);
	keydec_feed(&d, "2\033[20", 5);
	assert_false(keydec_next(&d, &ev, false));
	keydec_feed(&d, "1~", 2);
	assert_true(keydec_next(&d, &ev, false));
	assert_int_equal(ev.kind, KEYEV_PASTE);
	assert_string_equal(ev.text, "1\t2");
	free(ev.text);
	keydec_free(&d);
}

static void
test_mouse(void **state)
{
	(void)state;
	struct keydec d;
	keydec_init(&d);
	struct keyev ev;
	keydec_feed(&d, "\033[<0;12;5M\033[<0;12;5m\033[<64;3;4M\033[<65;3;4M", 40);
	assert_true(keydec_next(&d, &ev, false));
	assert_int_equal(ev.kind, KEYEV_MOUSE);
	assert_int_equal(ev.mouse.kind, MOUSE_PRESS);
	assert_int_equal(ev.mouse.x, 11);
	assert_int_equal(ev.mouse.y, 4);
	assert_true(keydec_next(&d, &ev, false));
	assert_int_equal(ev.mouse.kind, MOUSE_RELEASE);
	assert_true(keydec_next(&d, &ev, false));
	assert_int_equal(ev.mouse.kind, MOUSE_WHEEL_UP);
	assert_true(keydec_next(&d, &ev, false));
	assert_int_equal(ev.mouse.kind, MOUSE_WHEEL_DOWN);
	assert_false(keydec_next(&d, &ev, true));
	/* X10 reports only while asked for */
	d.x10_mouse = true;
	keydec_feed(&d, "\033[M !!", 6);
	assert_true(keydec_next(&d, &ev, false));
	assert_int_equal(ev.kind, KEYEV_MOUSE);
	assert_int_equal(ev.mouse.x, 0);
	assert_int_equal(ev.mouse.y, 0);
	keydec_free(&d);
}

/* Random CSI and SS3 sequences that are no key: none yields a character, and the
 * character after each survives. Seeded, so a failure repeats. */
static void
test_fuzz_no_characters(void **state)
{
	(void)state;
	unsigned seed = 15;
	const char *env = getenv("KEYDEC_SEED");
	if (env)
		seed = (unsigned)strtoul(env, NULL, 10);
	srand(seed);
	for (int round = 0; round < 20000; round++) {
		char seq[64];
		size_t n = 0;
		seq[n++] = 27;
		bool ss3 = rand() % 4 == 0;
		seq[n++] = ss3 ? 'O' : '[';
		int params = rand() % 8;
		for (int i = 0; i < params; i++)
			seq[n++] = (char)(0x30 + rand() % 16);
		int inter = rand() % 3 == 0 ? rand() % 3 : 0;
		for (int i = 0; i < inter; i++)
			seq[n++] = (char)(0x20 + rand() % 16);
		char final = (char)(0x40 + rand() % 63);
		seq[n++] = final;
		seq[n++] = 'z';
		struct keydec d;
		keydec_init(&d);
		keydec_feed(&d, seq, n);
		struct keyev ev;
		int chars = 0;
		uint32_t last = 0;
		while (keydec_next(&d, &ev, true)) {
			if (ev.kind == KEYEV_PASTE)
				free(ev.text);
			/* the keypad's own SS3 p..y etc. are keys the user pressed; everything else
			 * from a sequence is a key or unknown */
			if (ev.kind == KEYEV_CHAR && !ev.keypad) {
				chars++;
				last = ev.ch;
				if (ev.ch != 'z' && !(ev.mods & KEYMOD_ALT))
					fail_msg("seed %u round %d: sequence ESC %.*s typed '%c'", seed, round,
					         (int)(n - 2), seq + 1, (char)ev.ch);
			}
		}
		/* a paste start swallows the rest until the delay: no 'z' then */
		if (!(chars >= 1 && last == 'z')) {
			bool paste_start = !ss3 && n >= 7 && !memcmp(seq + 2, "200~", 4);
			if (!paste_start)
				fail_msg("seed %u round %d: the key after ESC %.*s was lost", seed, round, (int)(n - 2), seq + 1);
		}
		keydec_free(&d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_putty_default),
		cmocka_unit_test(test_putty_app_keypad),
		cmocka_unit_test(test_putty_modes),
		cmocka_unit_test(test_xterm_and_windows_terminal),
		cmocka_unit_test(test_linux_console_and_tmux),
		cmocka_unit_test(test_unknown_swallowed),
		cmocka_unit_test(test_escape_timing),
		cmocka_unit_test(test_utf8_and_paste),
		cmocka_unit_test(test_mouse),
		cmocka_unit_test(test_fuzz_no_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
