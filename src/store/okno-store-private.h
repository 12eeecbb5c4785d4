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

char *_okno_store_get_meta (OknoDb *db, const char *key, GError **error);
gboolean _okno_store_set_meta (OknoDb *db, const char *key, const char *value, GError **error);
const char *_okno_store_upsert_sql (OknoStore *self, const OknoCollection *c);
void _okno_store_bind_value (sqlite3_stmt *stmt, int col, const OknoField *field,
                             const OknoValue *v);
gboolean _okno_store_upsert_rows (OknoStore *self, const OknoCollection *c, const OknoValue *values,
                                  guint n_rows, GError **error);

/* A transaction of rows pulled from the server: a power cut may take it
 * back (its rows are fetched again) and references are not checked row by
 * row; _end restores full durability and foreign keys. */
gboolean _okno_store_refetchable_begin (OknoStore *self, GError **error);
void _okno_store_refetchable_end (OknoStore *self);

G_END_DECLS
