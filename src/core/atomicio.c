#include <config.h>

#include "nianbao/atomicio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nianbao/i18n.h"

static void
io_error(struct diag_list *diags, const char *path, const char *what, int err)
{
	diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, "%s: %s", what, strerror(err));
}

/* The file to replace: the target of a symlink (so the link itself survives), else path. */
static char *
resolve_target(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *real = realpath(path, NULL);
		if (real)
			return real;
	}
	return xstrdup(path);
}

static bool
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		data += n;
		len -= (size_t)n;
	}
	return true;
}

static void
sync_directory(const char *file)
{
	const char *slash = strrchr(file, '/');
	char *dir = slash ? xstrndup(file, slash == file ? 1 : (size_t)(slash - file)) : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

bool
atomic_write(const char *path, const char *data, size_t len, bool keep_backup, struct diag_list *diags)
{
	char *target = resolve_target(path);
	struct stat st;
	bool exists = lstat(target, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, _("not a regular file; nothing was written"));
		free(target);
		return false;
	}
	const char *slash = strrchr(target, '/');
	char *tmp = slash ? xasprintf("%.*s.%s.XXXXXX", (int)(slash - target + 1), target, slash + 1)
	                  : xasprintf(".%s.XXXXXX", target);
	int fd = mkstemp(tmp);   /* O_CREAT|O_EXCL: never follows a planted link */
	if (fd < 0) {
		io_error(diags, path, _("cannot create a temporary file beside it"), errno);
		free(tmp);
		free(target);
		return false;
	}
	if (exists)
		fchmod(fd, st.st_mode & 07777);
	else {
		mode_t mask = umask(0);
		umask(mask);
		fchmod(fd, 0644 & ~mask);
	}
	int err = 0;
	if (!write_all(fd, data, len))
		err = errno;
	else if (fsync(fd) != 0)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	if (!err && keep_backup && exists) {
		char *backup = xasprintf("%s~", target);
		unlink(backup);
		if (link(target, backup) != 0) {
			/* a file system without hard links: copy instead */
			size_t old_len;
			struct diag_list ignored = {0};
			char *old = read_file(target, SIZE_MAX, &old_len, &ignored);
			diag_free(&ignored);
			if (old) {
				int bfd = open(backup, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, st.st_mode & 07777);
				if (bfd >= 0) {
					write_all(bfd, old, old_len);
					fsync(bfd);
					close(bfd);
				}
				free(old);
			}
		}
		free(backup);
	}
	if (!err && rename(tmp, target) != 0)
		err = errno;
	if (err) {
		unlink(tmp);
		io_error(diags, path, _("cannot save; the file on disk is unchanged"), err);
	} else {
		sync_directory(target);
	}
	free(tmp);
	free(target);
	return err == 0;
}

char *
read_file(const char *path, size_t max_size, size_t *len, struct diag_list *diags)
{
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		io_error(diags, path, _("cannot open"), errno);
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		io_error(diags, path, _("cannot read"), errno);
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, _("is a directory, not a file"));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, _("is not a regular file"));
		close(fd);
		return NULL;
	}
	if ((uintmax_t)st.st_size > max_size) {
		diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0},
		         _("is too large (%jd bytes; the limit is %zu)"), (intmax_t)st.st_size, max_size);
		close(fd);
		return NULL;
	}
	size_t capacity = (size_t)st.st_size + 1, used = 0;
	char *buf = xmalloc(capacity);
	for (;;) {
		if (used + 1 >= capacity) {
			if (capacity > max_size) {
				diag_add(diags, DIAG_ERROR, (struct srcpos){path, 0, 0}, _("is too large (the limit is %zu bytes)"), max_size);
				free(buf);
				close(fd);
				return NULL;
			}
			capacity *= 2;
			buf = xrealloc(buf, capacity);
		}
		ssize_t n = read(fd, buf + used, capacity - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			io_error(diags, path, _("cannot read"), errno);
			free(buf);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	*len = used;
	return buf;
}
