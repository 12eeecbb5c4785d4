/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The central database: opening and migrating it, loading the demo
 * dataset, and reading snapshot pages. */

#include "okno-central-store.h"

#include "okno-central-error.h"
#include "okno-central-password.h"
#include "okno-central-schema.h"
#include "okno-central-store-private.h"

/* Rows per transaction while loading: large enough that commits cost
 * nothing, small enough that the WAL file stays far below the database. */
#define LOAD_ROWS_PER_TRANSACTION 200000

struct _OknoCentralStore
{
  GObject parent_instance;
  OknoDb *db;
  GHashTable *counts;   /* collection name -> gint64 *, valid at counts_cursor */
  gint64 counts_cursor; /* -1 when nothing is cached */
  gint64 retention;     /* commits the change log keeps; 0 keeps all */
};

G_DEFINE_FINAL_TYPE (OknoCentralStore, okno_central_store, G_TYPE_OBJECT)

static void
okno_central_store_finalize (GObject *object)
{
  OknoCentralStore *self = OKNO_CENTRAL_STORE (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->counts, g_hash_table_unref);
  G_OBJECT_CLASS (okno_central_store_parent_class)->finalize (object);
}

static void
okno_central_store_class_init (OknoCentralStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_central_store_finalize;
}

static void
okno_central_store_init (OknoCentralStore *self)
{
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->counts_cursor = -1;
}

OknoCentralStore *
okno_central_store_open (const char *path, GError **error)
{
  g_autoptr (OknoCentralStore) self = g_object_new (OKNO_TYPE_CENTRAL_STORE, NULL);
  const OknoMigration *steps;
  guint n_steps;

  g_return_val_if_fail (path != NULL, NULL);

  self->db = okno_db_open (path, OKNO_DB_READ_WRITE, error);
  if (self->db == NULL)
    return NULL;
  steps = okno_central_schema_steps (&n_steps);
  if (!okno_db_migrate (self->db, steps, n_steps, error)
      || !okno_central_schema_check (self->db, error))
    return NULL;
  return g_steal_pointer (&self);
}

OknoDb *
okno_central_store_get_db (OknoCentralStore *self)
{
  g_return_val_if_fail (OKNO_IS_CENTRAL_STORE (self), NULL);
  return self->db;
}

char *
_okno_central_now_iso8601 (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* --- reading ------------------------------------------------------------ */

static gboolean
query_int (OknoCentralStore *self, const char *sql, gint64 *value, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (self->db, sql, error);

  if (stmt == NULL || okno_db_step (self->db, stmt, error) != SQLITE_ROW)
    return FALSE;
  *value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

gint64
okno_central_store_get_cursor (OknoCentralStore *self, GError **error)
{
  gint64 cursor = -1;

  g_return_val_if_fail (OKNO_IS_CENTRAL_STORE (self), -1);

  if (!query_int (self, "SELECT coalesce (max (seq), 0) FROM commits", &cursor, error))
    return -1;
  return cursor;
}

static gboolean
has_meta (OknoCentralStore *self, const char *key, gboolean *present, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (self->db, "SELECT 1 FROM meta WHERE key = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = okno_db_step (self->db, stmt, error);
  sqlite3_reset (stmt);
  *present = rc == SQLITE_ROW;
  return rc >= 0;
}

static gboolean
table_has_rows (OknoCentralStore *self, const char *table, gboolean *has_rows, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT EXISTS (SELECT 1 FROM \"%s\")", table);
  gint64 exists = 0;

  if (!query_int (self, sql, &exists, error))
    return FALSE;
  *has_rows = exists != 0;
  return TRUE;
}

gboolean
okno_central_store_is_empty (OknoCentralStore *self, gboolean *empty, GError **error)
{
  const OknoCollection *const *all = okno_collection_all (NULL);
  gboolean complete = FALSE;
  gboolean rows = FALSE;

  g_return_val_if_fail (OKNO_IS_CENTRAL_STORE (self), FALSE);

  if (!has_meta (self, "dataset", &complete, error))
    return FALSE;
  for (guint i = 0; !complete && !rows && all[i] != NULL; i++)
    if (!table_has_rows (self, all[i]->name, &rows, error))
      return FALSE;
  if (!complete && rows)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_INTERRUPTED,
                   "The database holds an unfinished dataset (its generation was interrupted); "
                   "delete %s and generate again",
                   okno_db_get_path (self->db));
      return FALSE;
    }
  *empty = !complete && !rows;
  return TRUE;
}

gboolean
okno_central_store_count (OknoCentralStore *self, const OknoCollection *collection, gint64 *count,
                          GError **error)
{
  gint64 cursor = okno_central_store_get_cursor (self, error);
  gint64 *cached;
  g_autofree char *sql = NULL;

  if (cursor < 0)
    return FALSE;
  /* Counting a million rows takes a while; only a commit changes it. */
  if (cursor != self->counts_cursor)
    {
      g_hash_table_remove_all (self->counts);
      self->counts_cursor = cursor;
    }
  cached = g_hash_table_lookup (self->counts, collection->name);
  if (cached != NULL)
    {
      *count = *cached;
      return TRUE;
    }
  sql = g_strdup_printf ("SELECT count (*) FROM \"%s\"", collection->name);
  if (!query_int (self, sql, count, error))
    return FALSE;
  g_hash_table_insert (self->counts, (gpointer)collection->name, g_memdup2 (count, sizeof *count));
  return TRUE;
}

/* A keyset page whose rows SQLite itself writes as JSON: its JSON functions
 * are several times faster than building a json-glib tree per row, and the
 * page is the server's hottest path. The result's columns are the row as a
 * JSON object (or, dense, a JSON array in the descriptor's field order) and
 * its key as a JSON string. */
static char *
page_sql (const OknoCollection *collection, gboolean after, gboolean dense)
{
  GString *sql = g_string_new (dense ? "SELECT json_array (" : "SELECT json_object (");
  const char *key = collection->fields[0].name;

  for (guint i = 0; i < collection->n_fields; i++)
    {
      const char *name = collection->fields[i].name;

      if (i > 0)
        g_string_append (sql, ", ");
      if (!dense)
        g_string_append_printf (sql, "'%s', ", name);
      /* Booleans are stored as 0/1 and sent as true/false. */
      if (collection->fields[i].type == OKNO_FIELD_BOOLEAN)
        g_string_append_printf (sql,
                                "CASE WHEN \"%s\" IS NULL THEN NULL WHEN \"%s\" THEN json ('true')"
                                " ELSE json ('false') END",
                                name, name);
      else
        g_string_append_printf (sql, "\"%s\"", name);
    }
  g_string_append_printf (sql, "), json_quote (\"%s\") FROM \"%s\"", key, collection->name);
  if (after)
    g_string_append_printf (sql, " WHERE \"%s\" > ?1", key);
  g_string_append_printf (sql, " ORDER BY \"%s\" LIMIT ?2", key);
  return g_string_free (sql, FALSE);
}

/* The dense page's "columns": the descriptor's names, once per page. */
static void
append_columns (GString *page, const OknoCollection *collection)
{
  g_string_append (page, "\"columns\":[");
  for (guint i = 0; i < collection->n_fields; i++)
    g_string_append_printf (page, "%s\"%s\"", i ? "," : "", collection->fields[i].name);
  g_string_append (page, "],\"rows\":[");
}

/* Every field of the row, by the descriptor's type: SQL NULL becomes null,
 * booleans stored as 0/1 become true/false. */
JsonObject *
_okno_central_row_object (sqlite3_stmt *stmt, const OknoCollection *collection)
{
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < collection->n_fields; i++)
    {
      const char *name = collection->fields[i].name;

      if (sqlite3_column_type (stmt, (int)i) == SQLITE_NULL)
        {
          json_object_set_null_member (object, name);
          continue;
        }
      switch (collection->fields[i].type)
        {
          case OKNO_FIELD_INTEGER:
            json_object_set_int_member (object, name, sqlite3_column_int64 (stmt, (int)i));
            break;
          case OKNO_FIELD_REAL:
            json_object_set_double_member (object, name, sqlite3_column_double (stmt, (int)i));
            break;
          case OKNO_FIELD_BOOLEAN:
            json_object_set_boolean_member (object, name, sqlite3_column_int64 (stmt, (int)i) != 0);
            break;
          default:
            json_object_set_string_member (object, name,
                                           (const char *)sqlite3_column_text (stmt, (int)i));
        }
    }
  return object;
}

char *
okno_central_store_read_page (OknoCentralStore *self, const OknoCollection *collection,
                              const char *after, guint limit, gboolean dense, guint *n_rows,
                              gsize *length, GError **error)
{
  g_autofree char *sql = page_sql (collection, after != NULL, dense);
  g_autoptr (GString) page = NULL;
  g_autofree char *next_after = NULL;
  sqlite3_stmt *stmt;
  gboolean has_more = FALSE;
  guint n = 0;
  int rc;

  g_return_val_if_fail (OKNO_IS_CENTRAL_STORE (self), NULL);
  g_return_val_if_fail (limit >= 1 && limit <= OKNO_CENTRAL_PAGE_MAX, NULL);

  stmt = okno_db_prepare (self->db, sql, error);
  if (stmt == NULL)
    return NULL;
  if (after != NULL)
    sqlite3_bind_text (stmt, 1, after, -1, SQLITE_TRANSIENT);
  /* One row more than asked tells whether another page follows. */
  sqlite3_bind_int (stmt, 2, (int)limit + 1);
  /* The names are the descriptor's own identifiers; every value is
   * SQLite's JSON. */
  page = g_string_sized_new (limit * 512);
  g_string_append_printf (page, "{\"collection\":\"%s\",", collection->name);
  if (dense)
    append_columns (page, collection);
  else
    g_string_append (page, "\"items\":[");
  while ((rc = okno_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      if (n == limit)
        {
          has_more = TRUE;
          break;
        }
      if (n++ > 0)
        g_string_append_c (page, ',');
      g_string_append_len (page, (const char *)sqlite3_column_text (stmt, 0),
                           sqlite3_column_bytes (stmt, 0));
      g_free (next_after);
      next_after = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  g_string_append_printf (page, "],\"next_after\":%s,\"has_more\":%s}",
                          next_after ? next_after : "null", has_more ? "true" : "false");
  if (n_rows)
    *n_rows = n;
  *length = page->len;
  return g_string_free (g_steal_pointer (&page), FALSE);
}

/* --- loading the demo dataset ----------------------------------------------- */

typedef struct
{
  OknoCentralStore *self;
  gint64 seq;                       /* the commit every generated row belongs to */
  const OknoCollection *collection; /* being loaded */
  char *insert_sql;
  int version_field;
  gint64 rows;    /* of this collection */
  gint64 pending; /* rows since the last commit */
  OknoCentralProgress progress;
  gpointer progress_data;
} Loader;

char *
_okno_central_insert_sql (const OknoCollection *collection)
{
  GString *sql = g_string_new (NULL);

  g_string_append_printf (sql, "INSERT INTO \"%s\" (", collection->name);
  for (guint i = 0; i < collection->n_fields; i++)
    g_string_append_printf (sql, "%s\"%s\"", i ? ", " : "", collection->fields[i].name);
  g_string_append (sql, ") VALUES (");
  for (guint i = 0; i < collection->n_fields; i++)
    g_string_append (sql, i ? ", ?" : "?");
  g_string_append (sql, ")");
  return g_string_free (sql, FALSE);
}

static void
loader_switch (Loader *loader, const OknoCollection *collection)
{
  if (loader->collection != NULL && loader->progress != NULL)
    loader->progress (loader->collection, loader->rows, TRUE, loader->progress_data);
  g_clear_pointer (&loader->insert_sql, g_free);
  loader->collection = collection;
  loader->rows = 0;
  if (collection == NULL)
    return;
  loader->insert_sql = _okno_central_insert_sql (collection);
  loader->version_field = okno_collection_field_index (collection, "version");
}

void
_okno_central_bind_value (sqlite3_stmt *stmt, int column, const OknoField *field,
                          const OknoValue *value)
{
  if (value->is_null)
    sqlite3_bind_null (stmt, column);
  else if (field->type == OKNO_FIELD_INTEGER || field->type == OKNO_FIELD_BOOLEAN)
    sqlite3_bind_int64 (stmt, column, value->integer);
  else if (field->type == OKNO_FIELD_REAL)
    sqlite3_bind_double (stmt, column, value->real);
  else
    sqlite3_bind_text (stmt, column, value->text, -1, SQLITE_STATIC);
}

static gboolean
insert_row (Loader *loader, sqlite3_stmt *stmt, const OknoValue *row, GError **error)
{
  const OknoCollection *c = loader->collection;

  for (guint f = 0; f < c->n_fields; f++)
    {
      if ((int)f == loader->version_field)
        sqlite3_bind_int64 (stmt, (int)f + 1, loader->seq);
      else
        _okno_central_bind_value (stmt, (int)f + 1, &c->fields[f], &row[f]);
    }
  if (okno_db_step (loader->self->db, stmt, error) != SQLITE_DONE)
    {
      g_prefix_error (error, "Could not store a row of %s: ", c->name);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
loader_commit_now (Loader *loader, GError **error)
{
  OknoDb *db = loader->self->db;

  loader->pending = 0;
  return okno_db_commit (db, error) && okno_db_begin (db, error);
}

static gboolean
load_sink (const OknoCollection *collection, const OknoValue *values, guint n_rows,
           gpointer user_data, GError **error)
{
  Loader *loader = user_data;
  sqlite3_stmt *stmt;

  if (collection != loader->collection)
    loader_switch (loader, collection);
  stmt = okno_db_prepare (loader->self->db, loader->insert_sql, error);
  if (stmt == NULL)
    return FALSE;
  for (guint r = 0; r < n_rows; r++)
    if (!insert_row (loader, stmt, values + (gsize)r * collection->n_fields, error))
      return FALSE;
  loader->rows += n_rows;
  loader->pending += n_rows;
  if (loader->progress != NULL)
    loader->progress (collection, loader->rows, FALSE, loader->progress_data);
  if (loader->pending >= LOAD_ROWS_PER_TRANSACTION)
    return loader_commit_now (loader, error);
  return TRUE;
}

static gboolean
begin_commit (OknoCentralStore *self, const char *origin, gint64 *seq, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (
    self->db, "INSERT INTO commits (committed_at, origin) VALUES (?1, ?2)", error);
  g_autofree char *now = _okno_central_now_iso8601 ();

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, origin, -1, SQLITE_TRANSIENT);
  if (okno_db_step (self->db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  *seq = sqlite3_last_insert_rowid (okno_db_get_handle (self->db));
  return TRUE;
}

static gboolean
set_meta_int (OknoCentralStore *self, const char *key, gint64 value, GError **error)
{
  sqlite3_stmt *stmt
    = okno_db_prepare (self->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, value);
  if (okno_db_step (self->db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
store_credential (OknoCentralStore *self, const char *staff_id, const char *password,
                  GError **error)
{
  g_autofree char *hash = okno_central_password_hash (password, error);
  g_autofree char *now = _okno_central_now_iso8601 ();
  sqlite3_stmt *stmt;

  if (hash == NULL)
    return FALSE;
  stmt = okno_db_prepare (self->db,
                          "INSERT OR REPLACE INTO credentials (staff_id, password_hash, changed_at)"
                          " VALUES (?1, ?2, ?3)",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, staff_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (okno_db_step (self->db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

/* The demo's convention: every staff member's password is the login. */
static gboolean
store_demo_credentials (OknoCentralStore *self, GError **error)
{
  g_autoptr (GPtrArray) staff = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = okno_db_prepare (self->db, "SELECT id, login FROM staff", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = okno_db_step (self->db, stmt, error)) == SQLITE_ROW)
    {
      g_ptr_array_add (staff, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (staff, g_strdup ((const char *)sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  for (guint i = 0; i + 1 < staff->len; i += 2)
    if (!store_credential (self, staff->pdata[i], staff->pdata[i + 1], error))
      return FALSE;
  return TRUE;
}

static gboolean
store_dataset_note (OknoCentralStore *self, const OknoDemoOptions *options, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (
    self->db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('dataset', ?1)", error);
  g_autofree char *note
    = g_strdup_printf ("demo accounts=%u seed=%" G_GUINT64_FORMAT " today=%s", options->accounts,
                       options->seed, options->today ? options->today : OKNO_DEMO_DEFAULT_TODAY);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, note, -1, SQLITE_TRANSIENT);
  if (okno_db_step (self->db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
generate_in_transaction (OknoCentralStore *self, const OknoDemoOptions *options, Loader *loader,
                         GError **error)
{
  /* The demo rows are not logged one by one: a snapshot's cursor is at
   * least this commit, so the feed never needs them. */
  if (!begin_commit (self, "demo", &loader->seq, error)
      || !set_meta_int (self, "changes_floor", loader->seq, error)
      || !okno_demo_generate (options, load_sink, loader, error))
    return FALSE;
  loader_switch (loader, NULL);
  /* The note goes last: a dataset without it was cut short. */
  return store_demo_credentials (self, error) && store_dataset_note (self, options, error);
}

/* Loading trades safety for speed while nothing else can see the file:
 * losing a half-made dataset to a power cut costs nothing, since it is
 * detected (no note) and made again, and the generator's references are
 * checked by its tests rather than row by row here. */
static gboolean
set_loading (OknoCentralStore *self, gboolean loading, GError **error)
{
  return okno_db_exec (self->db,
                       loading ? "PRAGMA synchronous = OFF" : "PRAGMA synchronous = NORMAL", error)
         && okno_db_exec (
           self->db, loading ? "PRAGMA foreign_keys = OFF" : "PRAGMA foreign_keys = ON", error);
}

gboolean
okno_central_store_generate (OknoCentralStore *self, const OknoDemoOptions *options,
                             OknoCentralProgress progress, gpointer user_data, GError **error)
{
  Loader loader = { self, 0, NULL, NULL, -1, 0, 0, progress, user_data };
  gboolean ok;

  g_return_val_if_fail (OKNO_IS_CENTRAL_STORE (self), FALSE);

  if (!set_loading (self, TRUE, error) || !okno_db_begin (self->db, error))
    return FALSE;
  ok = generate_in_transaction (self, options, &loader, error);
  g_free (loader.insert_sql);
  if (ok)
    ok = okno_db_commit (self->db, error);
  else
    okno_db_rollback (self->db);
  /* Restored even after a failure; the first error is the one reported. */
  if (!set_loading (self, FALSE, ok ? error : NULL))
    ok = FALSE;
  return ok && okno_db_exec (self->db, "PRAGMA wal_checkpoint (TRUNCATE)", error);
}

/* --- writes and the change log ------------------------------------------------ */

gboolean
okno_central_store_begin_commit (OknoCentralStore *self, const char *origin, gint64 *seq,
                                 GError **error)
{
  g_return_val_if_fail (OKNO_IS_CENTRAL_STORE (self), FALSE);

  if (!okno_db_begin (self->db, error))
    return FALSE;
  if (begin_commit (self, origin, seq, error))
    return TRUE;
  okno_db_rollback (self->db);
  return FALSE;
}

gboolean
okno_central_store_log_change (OknoCentralStore *self, gint64 seq, const OknoCollection *collection,
                               const char *key, gboolean deleted, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (self->db,
                                        "INSERT OR REPLACE INTO changes (seq, collection, key, op)"
                                        " VALUES (?1, ?2, ?3, ?4)",
                                        error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, collection->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, deleted ? "delete" : "upsert", -1, SQLITE_STATIC);
  if (okno_db_step (self->db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
okno_central_store_get_floor (OknoCentralStore *self, gint64 *floor, GError **error)
{
  g_return_val_if_fail (OKNO_IS_CENTRAL_STORE (self), FALSE);

  return query_int (self,
                    "SELECT coalesce ((SELECT CAST (value AS INTEGER) FROM meta"
                    " WHERE key = 'changes_floor'), 0)",
                    floor, error);
}

/* Drops log rows older than the retention and raises the floor with them,
 * inside the caller's transaction so the two never disagree. */
static gboolean
prune_log (OknoCentralStore *self, GError **error)
{
  gint64 cursor, floor = 0, cut;
  sqlite3_stmt *stmt;

  if (self->retention <= 0)
    return TRUE;
  cursor = okno_central_store_get_cursor (self, error);
  if (cursor < 0 || !okno_central_store_get_floor (self, &floor, error))
    return FALSE;
  cut = cursor - self->retention;
  if (cut <= floor)
    return TRUE;
  stmt = okno_db_prepare (self->db, "DELETE FROM changes WHERE seq <= ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cut);
  if (okno_db_step (self->db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return set_meta_int (self, "changes_floor", cut, error);
}

gboolean
okno_central_store_end_commit (OknoCentralStore *self, GError **error)
{
  g_return_val_if_fail (OKNO_IS_CENTRAL_STORE (self), FALSE);

  if (!prune_log (self, error))
    {
      okno_db_rollback (self->db);
      return FALSE;
    }
  /* okno_db_commit rolls back by itself when COMMIT fails. */
  return okno_db_commit (self->db, error);
}

void
okno_central_store_abort_commit (OknoCentralStore *self)
{
  g_return_if_fail (OKNO_IS_CENTRAL_STORE (self));
  okno_db_rollback (self->db);
}

gboolean
okno_central_store_set_retention (OknoCentralStore *self, gint64 commits, GError **error)
{
  g_return_val_if_fail (OKNO_IS_CENTRAL_STORE (self), FALSE);
  g_return_val_if_fail (commits >= 0, FALSE);

  self->retention = commits;
  if (commits == 0)
    return TRUE;
  if (!okno_db_begin (self->db, error))
    return FALSE;
  if (prune_log (self, error))
    return okno_db_commit (self->db, error);
  okno_db_rollback (self->db);
  return FALSE;
}

char *
_okno_central_select_sql (const OknoCollection *collection)
{
  GString *sql = g_string_new ("SELECT ");

  for (guint i = 0; i < collection->n_fields; i++)
    g_string_append_printf (sql, "%s\"%s\"", i ? ", " : "", collection->fields[i].name);
  g_string_append_printf (sql, " FROM \"%s\" WHERE \"%s\" = ?1", collection->name,
                          collection->fields[0].name);
  return g_string_free (sql, FALSE);
}

JsonObject *
okno_central_store_read_row (OknoCentralStore *self, const OknoCollection *collection,
                             const char *key, GError **error)
{
  g_autofree char *sql = _okno_central_select_sql (collection);
  sqlite3_stmt *stmt = okno_db_prepare (self->db, sql, error);
  JsonObject *row = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = okno_db_step (self->db, stmt, error);
  if (rc == SQLITE_ROW)
    row = _okno_central_row_object (stmt, collection);
  sqlite3_reset (stmt);
  return row;
}
