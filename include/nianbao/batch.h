#ifndef NIANBAO_BATCH_H
#define NIANBAO_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "nianbao/diag.h"

/* The drafts a batch command (check, sum, review) works on, streamed one path at a time
 * so that memory stays flat in the number of files (DESIGN.md §2):
 * - each argument is a file, or a directory: every *.yaml / *.yml draft under it,
 *   recursively, in name order, skipping sidecars (batch_is_sidecar) and hidden entries;
 *   a directory reached twice (a symlink loop, or the same directory named twice) is
 *   walked once;
 * - then, with --files-from, the lines of that file ("-" is stdin): one path a line
 *   (a directory walks as above), CR LF line ends and a byte-order mark allowed, blank
 *   lines skipped.
 * A name that does not exist is handed on as a file, so that the command reports it. */
struct batch;

struct batch *batch_open(char *const *args, int arg_count, const char *files_from);
/* The next path (valid until the next call), or NULL at the end. Problems reading a
 * directory or the list are added to diags as errors (file and reason). */
const char *batch_next(struct batch *batch, struct diag_list *diags);
/* The path batch_next returned last, open for reading, when it was named (an argument or
 * a line of the list) and is not a directory: the descriptor (the caller closes it) and
 * its fstat in *st; -1 otherwise, or when taken already. */
struct stat;
int batch_take_file(struct batch *batch, struct stat *st);
/* How many paths batch_next returned so far. */
size_t batch_count(const struct batch *batch);
/* Whether any directory or list could not be read (its errors went to diags). */
bool batch_failed(const struct batch *batch);
void batch_close(struct batch *batch);

/* Whether a file name (no directory part) met in a directory is not a draft to take:
 * backups ("x.yaml~"), autosaves and locks (".x.yaml.autosave", ".x.yaml.lock"), temporary
 * files of a save in progress (".x.yaml.AbC123"), office lock files ("~$x.yaml"), editor
 * swap files, hidden files, and anything not named *.yaml or *.yml. */
bool batch_is_sidecar(const char *name);

/* A progress line on a terminal for long batches: shown only when stream is a terminal
 * and more than BATCH_PROGRESS_AFTER files have gone by, refreshed every few dozen files,
 * and erased by batch_progress_end. */
#define BATCH_PROGRESS_AFTER 300
struct batch_progress {
	FILE *stream;
	bool tty;
	bool shown;
};
void batch_progress_init(struct batch_progress *progress, FILE *stream);
/* done: files handled so far; verb: what is being done, translated ("checked"). */
void batch_progress_step(struct batch_progress *progress, size_t done);
void batch_progress_end(struct batch_progress *progress);
/* batch_next for a command that shows problems as they come: each problem with the list
 * is printed on the progress line's stream, below the erased progress line. */
const char *batch_next_shown(struct batch *batch, struct batch_progress *progress);

#endif
