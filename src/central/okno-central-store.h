/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

#include "okno-collection.h"
#include "okno-db.h"
#include "okno-demo.h"

G_BEGIN_DECLS

#define OKNO_CENTRAL_PAGE_MAX     5000
#define OKNO_CENTRAL_PAGE_DEFAULT 1000

#define OKNO_TYPE_CENTRAL_STORE (okno_central_store_get_type ())
G_DECLARE_FINAL_TYPE (OknoCentralStore, okno_central_store, OKNO, CENTRAL_STORE, GObject)

/* The central database on one SQLite connection. Not thread-safe: the
 * server uses it from the main loop only. */
OknoCentralStore *okno_central_store_open (const char *path, GError **error);
OknoDb *okno_central_store_get_db (OknoCentralStore *self);

/* TRUE when no collection holds a row. A dataset whose generation was cut
 * short is neither empty nor usable: OKNO_CENTRAL_ERROR_INTERRUPTED. */
gboolean okno_central_store_is_empty (OknoCentralStore *self, gboolean *empty, GError **error);

/* Called after each batch and once more with done set at the end of a
 * collection. */
typedef void (*OknoCentralProgress) (const OknoCollection *collection, gint64 rows, gboolean done,
                                     gpointer user_data);

/* Fills an empty database with demo data as one commit, and gives every
 * demo staff member the login as password. */
gboolean okno_central_store_generate (OknoCentralStore *self, const OknoDemoOptions *options,
                                      OknoCentralProgress progress, gpointer user_data,
                                      GError **error);

/* The last committed sequence number; 0 for an empty database. */
gint64 okno_central_store_get_cursor (OknoCentralStore *self, GError **error);

/* Rows in a collection, cached until the next commit. */
gboolean okno_central_store_count (OknoCentralStore *self, const OknoCollection *collection,
                                   gint64 *count, GError **error);

/* One keyset page as the API's SnapshotPage object, serialised: rows with
 * a key greater than after (NULL for the first page), in key order; dense,
 * as a DenseSnapshotPage (column names once, each row an array). */
char *okno_central_store_read_page (OknoCentralStore *self, const OknoCollection *collection,
                                    const char *after, guint limit, gboolean dense, guint *n_rows,
                                    gsize *length, GError **error);

/* --- writes and the change log ------------------------------------------- */

/* Every write is one transaction that takes the next commit seq: the rows
 * it writes get version = seq and one change-log row each, logged with
 * okno_central_store_log_change before okno_central_store_end_commit. */
gboolean okno_central_store_begin_commit (OknoCentralStore *self, const char *origin, gint64 *seq,
                                          GError **error);
gboolean okno_central_store_log_change (OknoCentralStore *self, gint64 seq,
                                        const OknoCollection *collection, const char *key,
                                        gboolean deleted, GError **error);
/* Prunes the log to the retention and commits. */
gboolean okno_central_store_end_commit (OknoCentralStore *self, GError **error);
void okno_central_store_abort_commit (OknoCentralStore *self);

/* Keep the change log of the last commits only (0, the default, keeps it
 * all); takes effect at once and after every commit. */
gboolean okno_central_store_set_retention (OknoCentralStore *self, gint64 commits, GError **error);

/* The highest seq whose changes the log may no longer hold: a cursor below
 * it is OKNO_CENTRAL_ERROR_GONE. */
gboolean okno_central_store_get_floor (OknoCentralStore *self, gint64 *floor, GError **error);

/* The API's ChangesPage: changes after cursor, oldest first, each record
 * once with its current row, never ending inside a commit. */
JsonNode *okno_central_store_read_changes (OknoCentralStore *self, gint64 cursor, guint limit,
                                           guint *n_rows, GError **error);

/* One row by key as the API's row object, or NULL without an error when
 * there is none. */
JsonObject *okno_central_store_read_row (OknoCentralStore *self, const OknoCollection *collection,
                                         const char *key, GError **error);

G_END_DECLS
