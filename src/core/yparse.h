#ifndef NIANBAO_YPARSE_H
#define NIANBAO_YPARSE_H

/* The event side of ynode.c, private to the core: for a reader that walks a file's YAML
 * events itself (draft_load.c) and builds a tree (struct ynode) only for the values it
 * wants whole. Whatever the reader does, the file gets the checks the tree builder makes
 * (aliases, anchors, keys that are not text, duplicate keys, depth, one document), with
 * the same messages at the same places: a reader that walks a collection itself calls
 * yparse_enter on entering it and yparse_add_key for each of a mapping's keys. */

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "nianbao/diag.h"
#include "nianbao/ynode.h"

/* The keys of one mapping, hashed once it has more than a few, so that checking a new key
 * for a duplicate costs the same whatever the mapping's size. Zero it to start; free its
 * slots when done. */
struct keyset {
	size_t *slots;   /* index of the key in items + 1; 0 = empty */
	size_t size;     /* a power of two, or 0 while the mapping is small */
	size_t used;
};

struct yparse {
	yaml_parser_t parser;
	struct yarena *arena;    /* every node built, until yparse_close */
	const char *file;        /* the name in positions */
	struct diag_list *diags; /* where the YAML's errors go */
	int depth;               /* of the collection being read */
};

/* Starts reading bytes[0, len) (UTF-8); name is used in positions. */
void yparse_open(struct yparse *p, const char *name, const char *bytes, size_t len, struct diag_list *diags);
/* The same, reading through handler (see yaml_parser_set_input). */
void yparse_open_input(struct yparse *p, const char *name, yaml_read_handler_t *handler, void *data,
                       struct diag_list *diags);
/* Frees the parser and every node built. */
void yparse_close(struct yparse *p);
/* The next event (the caller deletes it); false, with an error, when the YAML is malformed. */
static inline bool yparse_event(struct yparse *p, yaml_event_t *ev);
/* The error for the event libyaml could not give; false. */
bool yparse_malformed(struct yparse *p);
/* The first event of the document's root node; false with an error when there is none
 * ("the file is empty") or the YAML is malformed. */
bool yparse_root(struct yparse *p, yaml_event_t *ev);
/* After the root node's last event: false with an error when another document follows. */
bool yparse_finish(struct yparse *p);
/* The node ev starts: a scalar, or a whole collection read to its end. NULL with an error. */
struct ynode *yparse_node(struct yparse *p, const yaml_event_t *ev);
/* The rest of the node ev starts, after yparse_enter let it in: a scalar, or a collection
 * read to its end. NULL with an error. */
struct ynode *yparse_rest(struct yparse *p, const yaml_event_t *ev);
/* For a reader that walks the node ev starts by itself: the checks yparse_node makes of
 * ev (no alias, no anchor, a node), and for a collection the depth, which goes one up;
 * yparse_leave takes it back at the collection's end. false with an error. */
bool yparse_enter(struct yparse *p, const yaml_event_t *ev);
void yparse_leave(struct yparse *p);
/* Adds key (a scalar node) to map, a mapping node the reader keeps for its keys; false,
 * with "duplicate key" and no change, when map has the key already. The value follows
 * with yparse_add_value (NULL for a value the reader keeps itself). */
bool yparse_add_key(struct yparse *p, struct ynode *map, struct keyset *keys, struct ynode *key);
void yparse_add_value(struct yparse *p, struct ynode *map, struct ynode *value);
/* The error for a key given twice, at the second; first_line is the first's line. */
void yparse_duplicate(struct yparse *p, struct srcpos pos, const char *key, int first_line);
/* The error for a mapping key that is not a scalar, at its position. */
void yparse_key_not_text(struct yparse *p, const struct ynode *key);
/* A scalar node for text[0, len) at pos, in p's arena (for keys a reader makes itself). */
struct ynode *yparse_scalar(struct yparse *p, struct srcpos pos, const char *text, size_t len, bool plain);
/* The position of a libyaml mark in p's file. */
static inline struct srcpos
yparse_pos(const struct yparse *p, yaml_mark_t mark)
{
	return (struct srcpos){p->file, (int)mark.line + 1, (int)mark.column + 1};
}

static inline bool
yparse_event(struct yparse *p, yaml_event_t *ev)
{
	return yaml_parser_parse(&p->parser, ev) || yparse_malformed(p);
}

#endif
