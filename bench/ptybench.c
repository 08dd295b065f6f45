/* Drives the editor in a pseudo-terminal, as a clerk's terminal would see it.
 * Usage: ptybench COLS ROWS KEYS PROGRAM [ARG]...   (e.g. nianbao edit FILE, or vim FILE)
 * Measures: start-up (exec to the last byte of the first screen), the bytes of that
 * first screen (a full repaint), then the keys in KEYS (C escapes allowed, e.g.
 * "\x1b[6~\x1b[6~7"), one at a time: the final key, or with "NAV|KEYS" each key after
 * the '|', is measured: the bytes written in reply and the time to the last of them (the
 * median over the keys measured); the
 * bytes of a full repaint of the screen reached (Ctrl-L); and the editor's peak RSS. The screen is "complete" when no byte arrives for QUIET_MS after the first byte of the
 * reply (which may take up to FIRST_BYTE_MS). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QUIET_MS 150
#define FIRST_BYTE_MS 3000

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static FILE *dump;

/* Reads until QUIET_MS pass without output; returns bytes read, *last the time of the last byte. */
static long
drain_for(int fd, double *last, int first_ms)
{
	long total = 0;
	char buf[65536];
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		/* a slow program may think longer than QUIET_MS before its first byte */
		int r = poll(&p, 1, total ? QUIET_MS : first_ms);
		if (r <= 0)
			return total;
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			return total;
		total += n;
		*last = now();
		if (dump)
			fwrite(buf, 1, (size_t)n, dump);
	}
}

static long
drain(int fd, double *last)
{
	return drain_for(fd, last, FIRST_BYTE_MS);
}

static size_t
unescape(const char *in, char *out)
{
	size_t n = 0;
	for (; *in; in++) {
		if (in[0] == '\\' && in[1] == 'x' && in[2] && in[3]) {
			char hex[3] = {in[2], in[3], 0};
			out[n++] = (char)strtol(hex, NULL, 16);
			in += 3;
		} else {
			out[n++] = *in;
		}
	}
	return n;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s COLS ROWS KEYS PROGRAM [ARG]...\n", argv[0]);
		return 2;
	}
	if (getenv("PTYBENCH_DUMP"))
		dump = fopen(getenv("PTYBENCH_DUMP"), "wb");
	struct winsize ws = {.ws_col = (unsigned short)atoi(argv[1]), .ws_row = (unsigned short)atoi(argv[2])};
	int fd;
	double start = now();
	pid_t pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		return 2;
	}
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		execvp(argv[4], argv + 4);
		_exit(127);
	}
	double last = start;
	long first = drain(fd, &last);
	printf("startup_ms=%.2f full_screen_bytes=%ld\n", (last - start) * 1000, first);
	char keys[1024];
	if (strlen(argv[3]) >= sizeof keys) {
		fprintf(stderr, "ptybench: KEYS too long\n");
		return 2;
	}
	size_t nkeys = unescape(argv[3], keys);
	/* keys before a '|' only navigate and each key after it is measured; without a '|',
	 * the final key is measured */
	size_t measure_from = nkeys;
	char *bar = memchr(keys, '|', nkeys);
	if (bar) {
		measure_from = (size_t)(bar - keys);
		memmove(bar, bar + 1, nkeys - measure_from - 1);
		nkeys--;
	}
	double times[1024];
	size_t measured = 0;
	long key_bytes = 0;
	for (size_t i = 0; i < nkeys; i++) {
		size_t len = 1;
		if (keys[i] == 0x1b) {   /* an escape sequence: up to its final byte */
			while (i + len < nkeys && !(keys[i + len] >= 0x40 && keys[i + len] <= 0x7e && len > 1))
				len++;
			len++;
		} else if ((unsigned char)keys[i] >= 0xC0) {   /* a UTF-8 character */
			while (i + len < nkeys && ((unsigned char)keys[i + len] & 0xC0) == 0x80)
				len++;
		}
		double sent = now();
		if (write(fd, keys + i, len) < 0)
			perror("write");
		last = sent;
		long bytes = drain(fd, &last);
		if (i >= measure_from || (measure_from == nkeys && i + len >= nkeys)) {
			times[measured++] = (last - sent) * 1000;
			key_bytes = bytes;
		}
		i += len - 1;
	}
	if (measured) {
		qsort(times, measured, sizeof *times, cmp_double);
		double median = measured % 2 ? times[measured / 2]
		                             : (times[measured / 2 - 1] + times[measured / 2]) / 2;
		printf("key_bytes=%ld key_ms=%.3f keys=%zu\n", key_bytes, median, measured);
	}
	/* Ctrl-L repaints the same screen in full: the reference for the key's bytes */
	double sent = now();
	if (write(fd, "\x0c", 1) < 0)
		perror("write");
	last = sent;
	printf("repaint_bytes=%ld\n", drain(fd, &last));
	kill(pid, SIGTERM);
	int status;
	struct rusage usage;
	for (int tries = 0; tries < 50; tries++) {
		double ignored;
		drain_for(fd, &ignored, QUIET_MS);
		if (wait4(pid, &status, WNOHANG, &usage) == pid)
			break;
		if (tries == 49) {
			kill(pid, SIGKILL);
			wait4(pid, &status, 0, &usage);
		}
	}
	printf("maxrss_kb=%ld\n", usage.ru_maxrss);
	return 0;
}
