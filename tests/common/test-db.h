/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

/* One value read from a database file (a replica or okno-central's) through
 * a read-only connection of its own, for the checks of a test. A replica
 * stores the UUIDs of its collections as 16 bytes (schema step 7); these
 * read them as text and bind a UUID argument as bytes, so a test reads a
 * replica as it reads okno-central's database. A replica's outbox keeps
 * text: compare with okno_uuid_text (?) there (OknoDb registers it). */

#include <glib.h>

G_BEGIN_DECLS

/* The first column of the first row of sql as an integer: a count, most
 * often. arg, when not NULL, is bound to the one "?" of sql. The query
 * must give a row. */
gint64 test_db_count (const char *path, const char *sql, const char *arg);
/* The rows of a table. */
gint64 test_db_count_rows (const char *path, const char *table);
/* The same as text; NULL when there is no row or the value is NULL. */
char *test_db_text (const char *path, const char *sql, const char *arg);

G_END_DECLS
