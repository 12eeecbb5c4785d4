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

G_END_DECLS
