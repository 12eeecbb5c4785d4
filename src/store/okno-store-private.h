#pragma once

/* What OknoStore's files share: the struct and the helpers that run on the
 * writer connection with its lock held. */

#include "okno-store.h"

G_BEGIN_DECLS

struct _OknoStore
{
  GObject parent_instance;
  char *path;
  OknoDb *writer;
  GMutex writer_lock;
  OknoDb *reader;
  GMutex reader_lock;
  OknoDb *searcher;
  GMutex searcher_lock;
  GHashTable *upsert_sql; /* collection name -> SQL */
};

#define TEXT(stmt, i) ((const char *)sqlite3_column_text ((stmt), (i)))

/* Helpers every file of the store uses (okno-store.c). */
char *_okno_store_now_utc (void);
gboolean _okno_store_step_done (OknoDb *db, sqlite3_stmt *stmt, GError **error);
gboolean _okno_store_exec_key (OknoStore *self, const char *sql, const char *key, GError **error);

char *_okno_store_get_meta (OknoDb *db, const char *key, GError **error);
gboolean _okno_store_set_meta (OknoDb *db, const char *key, const char *value, GError **error);
const char *_okno_store_upsert_sql (OknoStore *self, const OknoCollection *c);
void _okno_store_bind_value (sqlite3_stmt *stmt, int col, const OknoField *field,
                             const OknoValue *v);
gboolean _okno_store_upsert_rows (OknoStore *self, const OknoCollection *c, const OknoValue *values,
                                  guint n_rows, GError **error);

/* Local changes (okno-store-records.c, okno-store-outbox.c): the rules a
 * changed value must keep, and the outbox entry written with a change. */
gboolean _okno_store_check_value (const OknoField *field, const OknoValue *v, GError **error);
gboolean _okno_store_patchable (const OknoCollection *c, const char *name, const OknoField **out,
                                GError **error);
gboolean _okno_store_add_outbox (OknoStore *self, const OknoCollection *c, const char *key,
                                 const char *op, gint64 base_version, const char *payload_sql,
                                 GError **error);
/* Whether an entry of the record waits in the outbox. */
gboolean _okno_store_has_outbox (OknoStore *self, const char *collection, const char *key,
                                 gboolean *out, GError **error);

/* A transaction of rows pulled from the server: a power cut may take it
 * back (its rows are fetched again) and references are not checked row by
 * row; _end restores full durability and foreign keys. */
gboolean _okno_store_refetchable_begin (OknoStore *self, GError **error);
void _okno_store_refetchable_end (OknoStore *self);

G_END_DECLS
