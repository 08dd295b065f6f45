#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "nianbao/i18n.h"

/* A PDF's text, column by column as it is laid out: `pdftotext -layout` (poppler-utils)
 * in a child process, so that a hostile PDF can crash nothing of ours. */
char *
pdf_to_text(const char *path, size_t max, size_t *len, struct diag_list *diags)
{
	struct srcpos where = {path, 0, 0};
	int fds[2], err[2];
	if (pipe(fds) < 0 || pipe(err) < 0) {
		diag_add(diags, DIAG_ERROR, where, _("cannot run pdftotext: %s"), strerror(errno));
		return NULL;
	}
	fcntl(err[1], F_SETFD, FD_CLOEXEC);
	pid_t pid = fork();
	if (pid < 0) {
		diag_add(diags, DIAG_ERROR, where, _("cannot run pdftotext: %s"), strerror(errno));
		close(fds[0]);
		close(fds[1]);
		close(err[0]);
		close(err[1]);
		return NULL;
	}
	if (pid == 0) {
		close(fds[0]);
		close(err[0]);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[1]);
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDERR_FILENO);
		}
		execlp("pdftotext", "pdftotext", "-layout", "-enc", "UTF-8", "-q", "--", path, "-", (char *)NULL);
		int e = errno;
		if (write(err[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(127);
	}
	close(fds[1]);
	close(err[1]);
	size_t cap = 1 << 16, n = 0;
	char *buf = xmalloc(cap + 1);
	bool too_big = false;
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				too_big = true;
				break;
			}
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t got = read(fds[0], buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	close(fds[0]);
	if (too_big)
		kill(pid, SIGKILL);
	int exec_errno = 0;
	ssize_t e = read(err[0], &exec_errno, sizeof exec_errno);
	close(err[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (e == (ssize_t)sizeof exec_errno) {
		free(buf);
		if (exec_errno == ENOENT)
			diag_add(diags, DIAG_ERROR, where,
			         _("is a PDF: reading it needs pdftotext, which is not installed (Debian: apt-get install "
			           "poppler-utils); or copy its text into a file and import that"));
		else
			diag_add(diags, DIAG_ERROR, where, _("cannot run pdftotext: %s"), strerror(exec_errno));
		return NULL;
	}
	if (too_big) {
		free(buf);
		diag_add(diags, DIAG_ERROR, where, _("the text of this PDF is larger than %zu bytes"), max);
		return NULL;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(buf);
		diag_add(diags, DIAG_ERROR, where,
		         _("pdftotext could not read this PDF (damaged, encrypted, or its pages are images)"));
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}
