/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds,
 * then random bits, lower-case canonical text. Records made at a branch
 * and their mutations take these ids, so they sort by creation time. */
char *okno_uuid7_new (void);

/* The same from a given time (ms since the epoch) and random source, for tests. */
char *okno_uuid7_from (gint64 unix_ms, GRand *rand);

/* A UUID's 16 bytes, as the replica stores it. Only the canonical
 * lower-case 8-4-4-4-12 text converts, so that text and bytes map one to
 * one and compare in the same order (memcmp of the bytes sorts as the text
 * does). */
#define OKNO_UUID_BYTES       16
#define OKNO_UUID_TEXT_LENGTH 36
gboolean okno_uuid_to_bytes (const char *text, gsize length, guint8 out[OKNO_UUID_BYTES]);
/* out receives the canonical text and a NUL. */
void okno_uuid_format (const guint8 bytes[OKNO_UUID_BYTES], char out[OKNO_UUID_TEXT_LENGTH + 1]);

G_END_DECLS
