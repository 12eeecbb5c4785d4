/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The decoders of what a client sends, kept apart from the server so that
 * they need neither a socket nor a database: the routes call them, and so
 * does the fuzz target (tests/fuzz/fuzz-central.c). Each judges the bytes
 * alone; whether the sender may do what they ask is the routes' business. */

#define OKNO_CENTRAL_DECODE_ERROR (okno_central_decode_error_quark ())

typedef enum
{
  OKNO_CENTRAL_DECODE_ERROR_INVALID,   /* 400, the message says what is wrong */
  OKNO_CENTRAL_DECODE_ERROR_TOO_LARGE, /* 413 */
} OknoCentralDecodeError;

GQuark okno_central_decode_error_quark (void);

/* The body as a JSON object, which parser keeps: non-empty UTF-8 JSON
 * whose root is an object, nested at most 32 levels, with no \u0000 in
 * its strings and nothing json-glib takes that JSON has not ('strings',
 * comments). */
JsonObject *okno_central_decode_object (GBytes *body, JsonParser *parser, GError **error);

/* POST /session: login (1-64 characters), password (1-256) and a UUID
 * device_id; the strings are borrowed from parser. */
gboolean okno_central_decode_sign_in (GBytes *body, JsonParser *parser, const char **login,
                                      const char **password, const char **device_id,
                                      GError **error);

/* POST /session/refresh: refresh_token (1-256 characters) and a UUID
 * device_id, borrowed from parser. */
gboolean okno_central_decode_refresh (GBytes *body, JsonParser *parser, const char **refresh_token,
                                      const char **device_id, GError **error);

/* POST /mutations: a batch of at most max_mutations in max_bytes, a
 * lower-case UUID device_id and mutations that are objects with a
 * lower-case UUID mutation_id each (what is inside a mutation is judged by
 * okno_central_push ()). Returns the mutations, borrowed from parser. */
JsonArray *okno_central_decode_mutations (GBytes *body, JsonParser *parser, gsize max_bytes,
                                          guint max_mutations, const char **device_id,
                                          GError **error);

/* Query parameters (query may be NULL). limit: 1 to max, default_limit
 * when absent; cursor: required, 0 to G_MAXINT64; after: absent (NULL) or
 * valid UTF-8 of at most 64 bytes. */
gboolean okno_central_decode_limit (GHashTable *query, guint default_limit, guint max,
                                    guint *limit);
gboolean okno_central_decode_cursor (GHashTable *query, gint64 *cursor);
gboolean okno_central_decode_after (GHashTable *query, const char **after);
/* format: absent or "items" (rows as objects), or "dense" (rows as arrays). */
gboolean okno_central_decode_format (GHashTable *query, gboolean *dense);

G_END_DECLS
