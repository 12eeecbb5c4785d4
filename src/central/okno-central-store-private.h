/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-central-store.h"

G_BEGIN_DECLS

/* Internals OknoCentralStore shares with the files that read the change
 * feed and apply pushed mutations. */

char *_okno_central_now_iso8601 (void);

/* Every field of the row at stmt's current result, by the descriptor's
 * type (SQL NULL becomes null, 0/1 become booleans). */
JsonObject *_okno_central_row_object (sqlite3_stmt *stmt, const OknoCollection *collection);

/* SELECT of every field of one row, its key bound as ?1. */
char *_okno_central_select_sql (const OknoCollection *collection);

/* INSERT of every field, bound in the descriptor's order from ?1. */
char *_okno_central_insert_sql (const OknoCollection *collection);

void _okno_central_bind_value (sqlite3_stmt *stmt, int column, const OknoField *field,
                               const OknoValue *value);

G_END_DECLS
