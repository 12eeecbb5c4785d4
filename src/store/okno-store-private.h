/* SPDX-License-Identifier: GPL-3.0-or-later */

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
  /* Who writes records and pushes the outbox (okno_store_set_author),
   * under author_lock, which is taken last; NULL: the one signed in last
   * (the session's meta). */
  GMutex author_lock;
  char *author_staff_id;
  char *author_branch_id;
};

#define TEXT(stmt, i) ((const char *)sqlite3_column_text ((stmt), (i)))

/* Helpers every file of the store uses (okno-store.c). */
char *_okno_store_now_utc (void);
gboolean _okno_store_step_done (OknoDb *db, sqlite3_stmt *stmt, GError **error);
gboolean _okno_store_exec_key (OknoStore *self, const char *sql, const char *key, GError **error);
/* The same with key bound as the key of a record of c. */
gboolean _okno_store_exec_record (OknoStore *self, const char *sql, const OknoCollection *c,
                                  const char *key, GError **error);

char *_okno_store_get_meta (OknoDb *db, const char *key, GError **error);
gboolean _okno_store_set_meta (OknoDb *db, const char *key, const char *value, GError **error);
const char *_okno_store_upsert_sql (OknoStore *self, const OknoCollection *c);
/* A field's value and its column (okno-store-snapshot.c): UUID fields are
 * stored as 16 bytes (schema step 7), text to everyone outside the store.
 * Bind with these; read a column as text with the SQL of field_sql
 * (optionally qualified by table), and turn SQL giving text (json_extract
 * ...) into the column's value with from_text_sql. */
void _okno_store_bind_value (sqlite3_stmt *stmt, int col, const OknoField *field,
                             const OknoValue *v);
void _okno_store_bind_field_text (sqlite3_stmt *stmt, int col, const OknoField *field,
                                  const char *text);
void _okno_store_bind_key (sqlite3_stmt *stmt, int col, const OknoCollection *c, const char *key);
void _okno_store_bind_uuid (sqlite3_stmt *stmt, int col, const char *text);
char *_okno_store_field_sql (const OknoField *field, const char *table);
char *_okno_store_from_text_sql (const OknoField *field, const char *text_sql);
gboolean _okno_store_upsert_rows (OknoStore *self, const OknoCollection *c, const OknoValue *values,
                                  guint n_rows, GError **error);

/* The staff member records are written and pushed for: the one set, else
 * the session's meta as db (whose lock the caller holds) has it. */
char *_okno_store_author (OknoStore *self, OknoDb *db, char **branch_id);

/* Local changes (okno-store-records.c, okno-store-outbox.c): the rules a
 * changed value must keep, and the outbox entry written with a change. */
gboolean _okno_store_check_value (const OknoField *field, const OknoValue *v, GError **error);
gboolean _okno_store_patchable (const OknoCollection *c, const char *name, const OknoField **out,
                                GError **error);
/* okno_store_create inside the caller's transaction, on the writer with
 * its lock held: the author claimed, the rules checked, the row and its
 * outbox entry written; the caller rolls back on failure. */
gboolean _okno_store_create_in_transaction (OknoStore *self, const OknoCollection *collection,
                                            const OknoValue *values, GError **error);
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

/* Every synchronous entry point takes its connection's mutex here, which
 * checks first that it is not the UI thread (okno_store_forbid_thread). */
GMutexLocker *_okno_store_lock (OknoStore *self, GMutex *lock, const char *function);
void _okno_store_check_thread (const char *function);

/* The asynchronous API (see the top of okno-store.h). A job runs the
 * synchronous call in a worker thread; args are the call's strings,
 * copied (NULL ones stay NULL). It returns the result, or NULL with error
 * set; NULL without an error is a result too (an unset key). */
typedef gpointer (*OknoStoreJob) (OknoStore *self, const char *const *args,
                                  GCancellable *cancellable, GError **error);

/* A read is skipped when cancelled before it starts; free_result frees
 * a result nobody collected. */
void _okno_store_read_async (OknoStore *self, gpointer source_tag, OknoStoreJob job,
                             GDestroyNotify free_result, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data, guint n_args, ...);
/* The same with a NULL-terminated list of strings for arguments. */
void _okno_store_read_strv_async (OknoStore *self, gpointer source_tag, OknoStoreJob job,
                                  GDestroyNotify free_result, const char *const *args,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data);
/* A write always runs to its end; cancelling only tells the callback that
 * its caller is gone. The job returns GINT_TO_POINTER (ok). */
void _okno_store_write_async (OknoStore *self, gpointer source_tag, OknoStoreJob job,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data, guint n_args, ...);
gpointer _okno_store_finish (OknoStore *self, GAsyncResult *result, gpointer source_tag,
                             GError **error);
gboolean _okno_store_finish_boolean (OknoStore *self, GAsyncResult *result, gpointer source_tag,
                                     GError **error);
/* Counts: the job returns _okno_store_int64_result (n), freed with g_free. */
gpointer _okno_store_int64_result (gint64 n);
gint64 _okno_store_finish_int64 (OknoStore *self, GAsyncResult *result, gpointer source_tag,
                                 GError **error);

G_END_DECLS
