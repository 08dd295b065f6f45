#ifndef NIANBAO_YNODE_H
#define NIANBAO_YNODE_H

#include <stdbool.h>
#include <stddef.h>

#include "nianbao/diag.h"

/* A small YAML tree for the files we read, templates and drafts alike: every node keeps
 * its position; aliases, anchors and duplicate mapping keys are refused. */
enum ynode_kind { YNODE_SCALAR, YNODE_SEQUENCE, YNODE_MAPPING };

struct ynode {
	enum ynode_kind kind;
	struct srcpos pos;
	char *scalar;          /* YNODE_SCALAR: the text */
	bool plain;            /* YNODE_SCALAR: unquoted (so `~` means null) */
	struct ynode **items;  /* YNODE_SEQUENCE: items; YNODE_MAPPING: key, value, key, value… */
	size_t count;          /* number of items (pairs count twice) */
	struct yarena *arena;  /* the root only: owns the whole tree */
};

/* No draft or template is nested this deep; deeper input is refused with an error (the
 * tree builder recurses once per level). */
#define YNODE_MAX_DEPTH 32
/* ynode_load_file refuses larger files (and anything that is not a regular file). */
#define YNODE_MAX_FILE_BYTES ((size_t)1 << 20)

/* Parses the first document of a file; file is kept as the srcpos file name (the caller
 * keeps the string alive). Returns NULL with an error in diags. */
struct ynode *ynode_load_file(const char *file, struct diag_list *diags);
/* The same from memory (UTF-8); name is used in positions. */
struct ynode *ynode_load_buffer(const char *name, const char *bytes, size_t len, struct diag_list *diags);
/* Frees a whole tree, given its root. */
void ynode_free(struct ynode *root);

/* The value of key in a mapping, or NULL. */
struct ynode *ynode_get(const struct ynode *map, const char *key);
bool ynode_is_null(const struct ynode *node);

#endif
