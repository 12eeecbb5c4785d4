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

/* One keyset page as the API's SnapshotPage object: rows with a key
 * greater than after (NULL for the first page), in key order. */
JsonNode *okno_central_store_read_page (OknoCentralStore *self, const OknoCollection *collection,
                                        const char *after, guint limit, guint *n_rows,
                                        GError **error);

G_END_DECLS
