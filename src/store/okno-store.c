/* The branch's replica of the central system. */

#include "okno-store.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "okno-account-list.h"
#include "okno-schema.h"
#include "okno-store-private.h"
#include "okno-uuid.h"

/* WAL pages between checkpoints while a download runs (64 MiB). */
#define DOWNLOAD_CHECKPOINT 16384

G_DEFINE_FINAL_TYPE (OknoStore, okno_store, G_TYPE_OBJECT)

static void
okno_store_finalize (GObject *object)
{
  OknoStore *self = OKNO_STORE (object);

  g_clear_object (&self->searcher);
  g_clear_object (&self->reader);
  if (self->writer)
    okno_db_exec (self->writer, "PRAGMA optimize", NULL);
  g_clear_object (&self->writer);
  g_mutex_clear (&self->writer_lock);
  g_mutex_clear (&self->reader_lock);
  g_mutex_clear (&self->searcher_lock);
  g_hash_table_unref (self->upsert_sql);
  g_free (self->path);
  G_OBJECT_CLASS (okno_store_parent_class)->finalize (object);
}

static void
okno_store_class_init (OknoStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_store_finalize;
}

static void
okno_store_init (OknoStore *self)
{
  g_mutex_init (&self->writer_lock);
  g_mutex_init (&self->reader_lock);
  g_mutex_init (&self->searcher_lock);
  self->upsert_sql = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

char *
okno_store_default_path (void)
{
  const char *env = g_getenv ("OKNO_REPLICA");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "okno", "replica.db", NULL);
}

OknoStore *
okno_store_open (const char *path, GError **error)
{
  g_autoptr (OknoStore) self = g_object_new (OKNO_TYPE_STORE, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  const OknoMigration *steps;
  guint n_steps;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _ ("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }
  self->path = g_strdup (path);
  self->writer = okno_db_open (path, OKNO_DB_READ_WRITE, error);
  if (self->writer == NULL)
    return NULL;
  steps = okno_schema_migrations (&n_steps);
  if (!okno_db_migrate (self->writer, steps, n_steps, error))
    return NULL;
  /* What staff enter must survive a power cut the moment it is committed,
   * so the writer syncs the WAL at every commit; only what can be fetched
   * again is written with less (see _okno_store_refetchable_begin). */
  if (!okno_db_exec (self->writer, "PRAGMA synchronous = FULL", error))
    return NULL;
  self->reader = okno_db_open (path, OKNO_DB_READ_ONLY, error);
  if (self->reader == NULL)
    return NULL;
  self->searcher = okno_db_open (path, OKNO_DB_READ_ONLY, error);
  if (self->searcher == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

const char *
okno_store_get_path (OknoStore *self)
{
  g_return_val_if_fail (OKNO_IS_STORE (self), NULL);
  return self->path;
}

/* --- meta ------------------------------------------------------------- */

char *
_okno_store_get_meta (OknoDb *db, const char *key, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (db, "SELECT value FROM meta WHERE key = ?", error);
  char *value = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = okno_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
_okno_store_set_meta (OknoDb *db, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (value == NULL)
    stmt = okno_db_prepare (db, "DELETE FROM meta WHERE key = ?", error);
  else
    stmt = okno_db_prepare (db,
                            "INSERT INTO meta (key, value) VALUES (?, ?)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  ok = okno_db_step (db, stmt, error) == SQLITE_DONE;
  sqlite3_reset (stmt);
  return ok;
}

char *
okno_store_get_meta (OknoStore *self, const char *key, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);

  return _okno_store_get_meta (self->reader, key, error);
}

gboolean
okno_store_set_meta (OknoStore *self, const char *key, const char *value, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->writer_lock);

  return _okno_store_set_meta (self->writer, key, value, error);
}

gint64
okno_store_count (OknoStore *self, const char *collection, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 n = -1;

  if (okno_collection_lookup (collection) == NULL && g_strcmp0 (collection, "outbox") != 0
      && g_strcmp0 (collection, "server_rows") != 0)
    {
      g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND,
                   _ ("There is no collection “%s”"), collection);
      return -1;
    }
  sql = g_strdup_printf ("SELECT count(*) FROM %s", collection);
  stmt = okno_db_prepare (self->reader, sql, error);
  if (stmt != NULL && okno_db_step (self->reader, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt)
    sqlite3_reset (stmt);
  return n;
}

/* --- snapshot --------------------------------------------------------- */

/* Rows pulled from the server (snapshot pages, the change feed) come again
 * if a power cut takes them: they are committed without waiting for the disk
 * (WAL stays consistent), and the next commit of staff's own work syncs them
 * too. Their references are not checked row by row: the feed sends a record
 * at its latest change, not in the order records refer to each other, and a
 * resumed snapshot spans time, so references are whole once the pull is
 * done; a lookup per row would only slow it down. Both pragmas must be set
 * outside a transaction. */
gboolean
_okno_store_refetchable_begin (OknoStore *self, GError **error)
{
  return okno_db_exec (self->writer, "PRAGMA foreign_keys = OFF", error)
         && okno_db_exec (self->writer, "PRAGMA synchronous = NORMAL", error)
         && okno_db_begin (self->writer, error);
}

void
_okno_store_refetchable_end (OknoStore *self)
{
  okno_db_exec (self->writer, "PRAGMA synchronous = FULL", NULL);
  okno_db_exec (self->writer, "PRAGMA foreign_keys = ON", NULL);
}

/* The first download into an empty replica builds the search index once,
 * after the last page of accounts, rather than row by row (schema step 4). */
static gboolean
defer_search_index (OknoStore *self, GError **error)
{
  g_autofree char *ready = _okno_store_get_meta (self->writer, "replica_ready", NULL);
  sqlite3_stmt *stmt;
  gboolean empty;

  if (g_strcmp0 (ready, "1") == 0)
    return TRUE;
  stmt = okno_db_prepare (self->writer, "SELECT NOT EXISTS (SELECT 1 FROM accounts)", error);
  if (stmt == NULL || okno_db_step (self->writer, stmt, error) != SQLITE_ROW)
    return FALSE;
  empty = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return !empty || _okno_store_set_meta (self->writer, "search_index_deferred", "1", error);
}

static gboolean
build_deferred_search_index (OknoStore *self, GError **error)
{
  g_autofree char *deferred = _okno_store_get_meta (self->writer, "search_index_deferred", NULL);

  if (deferred == NULL)
    return TRUE;
  return okno_db_exec (self->writer, "INSERT INTO accounts_fts (accounts_fts) VALUES ('rebuild')",
                       error)
         && _okno_store_set_meta (self->writer, "search_index_deferred", NULL, error);
}

gboolean
okno_store_snapshot_begin (OknoStore *self, gint64 cursor, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->writer_lock);
  g_autofree char *old = NULL;
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, cursor);

  if (!okno_db_begin (self->writer, error))
    return FALSE;
  old = _okno_store_get_meta (self->writer, "snapshot_cursor", NULL);
  /* Resuming keeps the first cursor: rows changed since then were either
   * fetched already in their newer state or will come through the feed. */
  if (((old == NULL || g_ascii_strtoll (old, NULL, 10) > cursor)
       && !_okno_store_set_meta (self->writer, "snapshot_cursor", value, error))
      || !defer_search_index (self, error))
    {
      okno_db_rollback (self->writer);
      return FALSE;
    }
  if (!okno_db_commit (self->writer, error))
    return FALSE;
  /* A download writes hundreds of megabytes: checkpointing the WAL less
   * often writes hot index pages to the database once rather than many
   * times. snapshot_finish goes back to SQLite's default. */
  okno_db_exec (self->writer, "PRAGMA wal_autocheckpoint = " G_STRINGIFY (DOWNLOAD_CHECKPOINT),
                NULL);
  return TRUE;
}

gboolean
okno_store_snapshot_position (OknoStore *self, const char *collection, char **after_key,
                              gboolean *done, gint64 *rows, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->writer_lock);
  sqlite3_stmt *stmt;
  int rc;

  stmt = okno_db_prepare (
    self->writer, "SELECT after_key, done, rows FROM snapshot_progress WHERE collection = ?",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  rc = okno_db_step (self->writer, stmt, error);
  if (rc < 0)
    return FALSE;
  *after_key = rc == SQLITE_ROW ? g_strdup ((const char *)sqlite3_column_text (stmt, 0)) : NULL;
  *done = rc == SQLITE_ROW && sqlite3_column_int (stmt, 1);
  *rows = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 2) : 0;
  sqlite3_reset (stmt);
  return TRUE;
}

const char *
_okno_store_upsert_sql (OknoStore *self, const OknoCollection *c)
{
  GString *sql;
  const char *cached = g_hash_table_lookup (self->upsert_sql, c->name);

  if (cached)
    return cached;
  sql = g_string_new (NULL);
  g_string_append_printf (sql, "INSERT INTO %s (", c->name);
  for (guint i = 0; i < c->n_fields; i++)
    g_string_append_printf (sql, "%s%s", i ? ", " : "", c->fields[i].name);
  g_string_append (sql, ") VALUES (");
  for (guint i = 0; i < c->n_fields; i++)
    g_string_append (sql, i ? ", ?" : "?");
  g_string_append_printf (sql, ") ON CONFLICT (%s) DO UPDATE SET ", c->fields[0].name);
  for (guint i = 1; i < c->n_fields; i++)
    g_string_append_printf (sql, "%s%s = excluded.%s", i > 1 ? ", " : "", c->fields[i].name,
                            c->fields[i].name);
  /* A page fetched again must never move a row back to an older version. */
  /* Nor overwrite what the branch changed and has not pushed yet. */
  g_string_append_printf (
    sql, " WHERE excluded.version >= %s.version AND %s.local_state = 'synced'", c->name, c->name);
  cached = g_string_free (sql, FALSE);
  g_hash_table_insert (self->upsert_sql, (gpointer)c->name, (gpointer)cached);
  return cached;
}

void
_okno_store_bind_value (sqlite3_stmt *stmt, int col, const OknoField *field, const OknoValue *v)
{
  if (v->is_null)
    sqlite3_bind_null (stmt, col);
  else if (field->type == OKNO_FIELD_INTEGER || field->type == OKNO_FIELD_BOOLEAN)
    sqlite3_bind_int64 (stmt, col, v->integer);
  else if (field->type == OKNO_FIELD_REAL)
    sqlite3_bind_double (stmt, col, v->real);
  else
    sqlite3_bind_text (stmt, col, v->text, -1, SQLITE_STATIC);
}

gboolean
_okno_store_upsert_rows (OknoStore *self, const OknoCollection *c, const OknoValue *values,
                         guint n_rows, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (self->writer, _okno_store_upsert_sql (self, c), error);

  if (stmt == NULL)
    return FALSE;
  for (guint r = 0; r < n_rows; r++)
    {
      const OknoValue *row = values + (gsize)r * c->n_fields;

      for (guint i = 0; i < c->n_fields; i++)
        _okno_store_bind_value (stmt, (int)i + 1, &c->fields[i], &row[i]);
      if (okno_db_step (self->writer, stmt, error) != SQLITE_DONE)
        {
          g_prefix_error (error, _ ("Row “%s” of “%s”: "), row[0].text ? row[0].text : "?",
                          c->name);
          return FALSE;
        }
      sqlite3_reset (stmt);
    }
  return TRUE;
}

static gboolean
save_position (OknoStore *self, const char *collection, const char *after, gboolean done,
               guint n_rows, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (
    self->writer,
    "INSERT INTO snapshot_progress (collection, after_key, done, rows) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (collection) DO UPDATE SET after_key = coalesce (?2, after_key), done = ?3,"
    " rows = rows + ?4",
    error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, after, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, done ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, n_rows);
  ok = okno_db_step (self->writer, stmt, error) == SQLITE_DONE;
  sqlite3_reset (stmt);
  return ok;
}

/* A page holds every key of its collection in (after, next_after], or in
 * (after, ...) for the last page. So in a new snapshot over an existing
 * replica, a synced row in that range that the page lacks was deleted on the
 * server meanwhile. Rows with local changes are never swept. */
static gboolean
sweep_range (OknoStore *self, const OknoCollection *c, const OknoValue *values, guint n_rows,
             const char *after, const char *next_after, gboolean done, GError **error)
{
  OknoDb *db = self->writer;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!okno_db_exec (db,
                     "CREATE TEMP TABLE IF NOT EXISTS page_keys (k TEXT PRIMARY KEY);"
                     "DELETE FROM temp.page_keys",
                     error)
      || (stmt = okno_db_prepare (db, "INSERT OR IGNORE INTO temp.page_keys VALUES (?)", error))
           == NULL)
    return FALSE;
  for (guint r = 0; r < n_rows; r++)
    {
      sqlite3_bind_text (stmt, 1, values[(gsize)r * c->n_fields].text, -1, SQLITE_STATIC);
      if (okno_db_step (db, stmt, error) != SQLITE_DONE)
        return FALSE;
      sqlite3_reset (stmt);
    }
  sql = g_strdup_printf ("DELETE FROM %s WHERE (?1 IS NULL OR %s > ?1) AND (?2 IS NULL OR %s <= ?2)"
                         " AND local_state = 'synced' AND %s NOT IN (SELECT k FROM temp.page_keys)",
                         c->name, c->fields[0].name, c->fields[0].name, c->fields[0].name);
  stmt = okno_db_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, after, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, done ? NULL : next_after, -1, SQLITE_STATIC);
  ok = okno_db_step (db, stmt, error) == SQLITE_DONE;
  sqlite3_reset (stmt);
  return ok;
}

static gboolean
apply_page_locked (OknoStore *self, const OknoCollection *collection, const OknoValue *values,
                   guint n_rows, const char *next_after, gboolean done, GError **error)
{
  g_autofree char *ready = _okno_store_get_meta (self->writer, "replica_ready", NULL);
  g_autofree char *after = NULL;
  sqlite3_stmt *stmt;

  if (!_okno_store_upsert_rows (self, collection, values, n_rows, error))
    return FALSE;
  /* Only a snapshot over a replica that was complete before can hold
   * rows the server no longer has. */
  if (g_strcmp0 (ready, "1") == 0)
    {
      stmt = okno_db_prepare (self->writer,
                              "SELECT after_key, done, rows FROM snapshot_progress"
                              " WHERE collection = ?",
                              error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, collection->name, -1, SQLITE_STATIC);
      if (okno_db_step (self->writer, stmt, error) == SQLITE_ROW)
        after = g_strdup (TEXT (stmt, 0));
      sqlite3_reset (stmt);
      if (!sweep_range (self, collection, values, n_rows, after, next_after, done, error))
        return FALSE;
    }
  /* The index is built in the same transaction as the last page: a
   * download cut while building it fetches that page again. */
  if (done && strcmp (collection->name, "accounts") == 0
      && !build_deferred_search_index (self, error))
    return FALSE;
  return save_position (self, collection->name, next_after, done, n_rows, error);
}

gboolean
okno_store_apply_snapshot_page (OknoStore *self, const OknoCollection *collection,
                                const OknoValue *values, guint n_rows, const char *next_after,
                                gboolean done, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->writer_lock);
  gboolean ok;

  g_return_val_if_fail (OKNO_IS_STORE (self), FALSE);
  g_return_val_if_fail (collection != NULL, FALSE);

  ok = _okno_store_refetchable_begin (self, error);
  if (ok && !(ok = apply_page_locked (self, collection, values, n_rows, next_after, done, error)))
    okno_db_rollback (self->writer);
  else if (ok)
    ok = okno_db_commit (self->writer, error);
  _okno_store_refetchable_end (self);
  return ok;
}

/* How many whole snapshots this replica took: the first download, then one
 * per cursor the change feed no longer reached. */
static gboolean
count_snapshot (OknoDb *db, GError **error)
{
  g_autofree char *n = _okno_store_get_meta (db, "snapshots", NULL);
  g_autofree char *next
    = g_strdup_printf ("%" G_GINT64_FORMAT, (n ? g_ascii_strtoll (n, NULL, 10) : 0) + 1);

  return _okno_store_set_meta (db, "snapshots", next, error);
}

gboolean
okno_store_snapshot_finish (OknoStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->writer_lock);
  g_autofree char *cursor = NULL;

  if (!okno_db_begin (self->writer, error))
    return FALSE;
  cursor = _okno_store_get_meta (self->writer, "snapshot_cursor", error);
  if (cursor == NULL)
    {
      okno_db_rollback (self->writer);
      if (error && *error == NULL)
        g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID,
                     _ ("No download was started"));
      return FALSE;
    }
  if (!count_snapshot (self->writer, error) || !build_deferred_search_index (self, error)
      || !_okno_store_set_meta (self->writer, "cursor", cursor, error)
      || !_okno_store_set_meta (self->writer, "replica_ready", "1", error)
      || !_okno_store_set_meta (self->writer, "snapshot_cursor", NULL, error)
      || !okno_db_exec (self->writer, "DELETE FROM snapshot_progress", error))
    {
      okno_db_rollback (self->writer);
      return FALSE;
    }
  if (!okno_db_commit (self->writer, error))
    return FALSE;
  okno_db_exec (self->writer, "PRAGMA wal_autocheckpoint = 1000", NULL);
  okno_db_exec (self->writer, "PRAGMA wal_checkpoint (TRUNCATE)", NULL);
  /* Fresh statistics make the planner pick the search indexes at once. */
  okno_db_exec (self->writer, "PRAGMA optimize", NULL);
  return TRUE;
}

gboolean
okno_store_is_ready (OknoStore *self)
{
  g_autofree char *ready = okno_store_get_meta (self, "replica_ready", NULL);

  return g_strcmp0 (ready, "1") == 0;
}

/* --- search ----------------------------------------------------------- */

static gboolean
is_phone_or_number_query (const char *query)
{
  gboolean any_digit = FALSE;

  for (const char *p = query; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        any_digit = TRUE;
      else if (!strchr (" +-()./", *p))
        return FALSE;
    }
  return any_digit;
}

static char *
digits_of (const char *query)
{
  GString *d = g_string_new (NULL);

  for (const char *p = query; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (d, *p);
  return g_string_free (d, FALSE);
}

/* A query's words, folded as the index folds them (Ё as Е). */
typedef struct
{
  char *text;
  gboolean numeric;
} Token;

static GArray *
tokenize (const char *query)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  g_autoptr (GString) tok = g_string_new (NULL);

  for (const char *p = query;; p = g_utf8_next_char (p))
    {
      gunichar c = *p ? g_utf8_get_char (p) : 0;

      if (c != 0 && g_unichar_isalnum (c))
        g_string_append_unichar (tok, c == 0x0451 ? 0x0435 : c == 0x0401 ? 0x0415 : c);
      else if (tok->len > 0)
        {
          Token t = { g_strdup (tok->str), TRUE };
          for (gsize i = 0; i < tok->len; i++)
            t.numeric = t.numeric && g_ascii_isdigit (tok->str[i]);
          g_array_append_val (tokens, t);
          g_string_truncate (tok, 0);
        }
      if (c == 0)
        break;
    }
  return tokens;
}

static void
free_tokens (GArray *tokens)
{
  for (guint i = 0; i < tokens->len; i++)
    g_free (g_array_index (tokens, Token, i).text);
  g_array_unref (tokens);
}

/* Search stages, best first. Ranking by stage rather than by bm25 lets each
 * stage stream matches in index order and stop at the limit, instead of
 * scoring every holder whose patronymic starts like the surname typed. */
typedef enum
{
  STAGE_HOLDER_EXACT,  /* every word whole, in the holder's name */
  STAGE_HOLDER_PREFIX, /* the last word may be unfinished */
  STAGE_ANY_PREFIX,    /* the same over name, address and phones */
  STAGE_ALL_PREFIX,    /* every word may be unfinished */
  N_STAGES
} Stage;

/* Quotes keep every token a plain string whatever the clerk typed; bare
 * numbers stay whole so that house 5 does not find house 51. */
static char *
fts_expression (GArray *tokens, Stage stage)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (stage <= STAGE_HOLDER_PREFIX)
    g_string_append (out, "holder : (");
  for (guint i = 0; i < tokens->len; i++)
    {
      Token *t = &g_array_index (tokens, Token, i);
      gboolean last = i + 1 == tokens->len;
      gboolean prefix
        = !t->numeric && (stage == STAGE_ALL_PREFIX || (last && stage != STAGE_HOLDER_EXACT));

      g_string_append_printf (out, "%s\"%s\"%s", i ? " " : "", t->text, prefix ? "*" : "");
    }
  if (stage <= STAGE_HOLDER_PREFIX)
    g_string_append (out, ")");
  return g_strdup (out->str);
}

typedef struct
{
  GArray *rowids;
  GHashTable *seen;
  guint cap;
} Hits;

static gboolean
collect (OknoDb *db, sqlite3_stmt *stmt, Hits *hits, GError **error)
{
  int rc;

  while (hits->rowids->len < hits->cap && (rc = okno_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      if (g_hash_table_add (hits->seen, GINT_TO_POINTER (rowid)) || sizeof (gpointer) < 8)
        g_array_append_val (hits->rowids, rowid);
    }
  sqlite3_reset (stmt);
  return rc != -1;
}

static gboolean
search_numbers (OknoDb *db, const char *query, Hits *hits, GError **error)
{
  g_autofree char *digits = digits_of (query);
  g_autofree char *upper = g_strconcat (digits, "\xf4\x8f\xbf\xbf", NULL);
  g_autofree char *fts = NULL;
  sqlite3_stmt *stmt;

  /* Exact number first, then longer numbers that start with it. */
  stmt = okno_db_prepare (db,
                          "SELECT rowid FROM accounts WHERE number >= ?1 AND number < ?2"
                          " ORDER BY number != ?1, number LIMIT ?3",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, digits, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int)hits->cap);
  if (!collect (db, stmt, hits, error))
    return FALSE;
  if (strlen (digits) < 3 || hits->rowids->len >= hits->cap)
    return TRUE;

  /* Contract numbers with letters ("ЭС-1143780") are found by their
   * digits in the index; phones are indexed as ten digits, and a leading 7
   * or 8 may be the country code the clerk typed or the number's own. */
  if ((digits[0] == '7' || digits[0] == '8') && strlen (digits) > 1)
    fts = g_strdup_printf ("{number phones} : (\"%s\"* OR \"%s\"*)", digits, digits + 1);
  else
    fts = g_strdup_printf ("{number phones} : \"%s\"*", digits);
  stmt = okno_db_prepare (db,
                          "SELECT rowid FROM accounts WHERE rowid IN (SELECT rowid FROM"
                          " accounts_fts WHERE accounts_fts MATCH ?1 LIMIT ?2)"
                          " ORDER BY holder, address",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, fts, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, (int)hits->cap);
  return collect (db, stmt, hits, error);
}

static gboolean
search_words (OknoDb *db, const char *query, Hits *hits, GError **error)
{
  GArray *tokens = tokenize (query);
  g_autofree char *previous = NULL;
  gboolean ok = TRUE;

  for (Stage stage = 0; ok && stage < N_STAGES && tokens->len > 0 && hits->rowids->len < hits->cap;
       stage++)
    {
      g_autofree char *fts = fts_expression (tokens, stage);
      sqlite3_stmt *stmt;

      if (g_strcmp0 (fts, previous) == 0)
        continue;
      /* Within a stage, holders in alphabetical order: a clerk scans names.
       * Rows a better stage found come again, so each asks for the whole cap. */
      stmt = okno_db_prepare (db,
                              "SELECT rowid FROM accounts WHERE rowid IN (SELECT rowid FROM"
                              " accounts_fts WHERE accounts_fts MATCH ?1 LIMIT ?2)"
                              " ORDER BY holder, address",
                              error);
      if (stmt == NULL)
        ok = FALSE;
      else
        {
          sqlite3_bind_text (stmt, 1, fts, -1, SQLITE_STATIC);
          sqlite3_bind_int (stmt, 2, (int)hits->cap);
          ok = collect (db, stmt, hits, error);
        }
      g_free (previous);
      previous = g_steal_pointer (&fts);
    }
  free_tokens (tokens);
  return ok;
}

GListModel *
okno_store_search (OknoStore *self, const char *query, guint limit, guint *n_matches,
                   GCancellable *cancellable, GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  /* Whatever was typed or pasted, the tokenizer walks valid UTF-8 only. */
  g_autofree char *q = g_strstrip (g_utf8_make_valid (query ? query : "", -1));
  Hits hits = { g_array_new (FALSE, FALSE, sizeof (gint64)),
                g_hash_table_new (g_direct_hash, g_direct_equal), limit + 1 };
  gboolean ok;

  g_return_val_if_fail (OKNO_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->searcher_lock);
  okno_db_set_cancellable (self->searcher, cancellable);
  if (*q == '\0')
    ok = TRUE;
  else if (is_phone_or_number_query (q))
    ok = search_numbers (self->searcher, q, &hits, error);
  else
    ok = search_words (self->searcher, q, &hits, error);
  okno_db_set_cancellable (self->searcher, NULL);
  g_hash_table_unref (hits.seen);

  if (!ok)
    {
      g_array_unref (hits.rowids);
      return NULL;
    }
  if (n_matches)
    *n_matches = hits.rowids->len;
  if (hits.rowids->len > limit)
    g_array_set_size (hits.rowids, limit);
  return G_LIST_MODEL (okno_account_list_new (self, hits.rowids));
}

typedef struct
{
  char *query;
  guint limit;
  guint n_matches;
} SearchData;

static void
search_data_free (gpointer data)
{
  SearchData *sd = data;

  g_free (sd->query);
  g_free (sd);
}

static void
search_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SearchData *sd = task_data;
  GError *error = NULL;
  GListModel *model;

  model = okno_store_search (source, sd->query, sd->limit, &sd->n_matches, cancellable, &error);
  if (model == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, model, g_object_unref);
}

void
okno_store_search_async (OknoStore *self, const char *query, guint limit, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  SearchData *sd = g_new0 (SearchData, 1);

  sd->query = g_strdup (query);
  sd->limit = limit;
  g_task_set_source_tag (task, okno_store_search_async);
  g_task_set_task_data (task, sd, search_data_free);
  g_task_run_in_thread (task, search_thread);
}

GListModel *
okno_store_search_finish (OknoStore *self, GAsyncResult *result, guint *n_matches, GError **error)
{
  SearchData *sd = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  if (n_matches)
    *n_matches = sd->n_matches;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- reading one client ------------------------------------------------ */

gboolean
_okno_store_read_summaries (OknoStore *self, const gint64 *rowids, guint n, OknoAccount **out,
                            GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  sqlite3_stmt *stmt;

  stmt = okno_db_prepare (self->reader,
                          "SELECT id, number, kind, holder, address, special_category,"
                          " capacity_kw FROM accounts WHERE rowid = ?",
                          error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, rowids[i]);
      rc = okno_db_step (self->reader, stmt, error);
      if (rc < 0)
        return FALSE;
      if (rc == SQLITE_ROW)
        out[i] = _okno_account_new (rowids[i], TEXT (stmt, 0), TEXT (stmt, 1), TEXT (stmt, 2),
                                    TEXT (stmt, 3), TEXT (stmt, 4), TEXT (stmt, 5),
                                    sqlite3_column_double (stmt, 6));
      sqlite3_reset (stmt);
    }
  return TRUE;
}

OknoAccount *
okno_store_load_account (OknoStore *self, const char *id, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  OknoAccount *account = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = okno_db_prepare (self->reader,
                          "SELECT rowid, id, number, kind, holder, address, special_category,"
                          " capacity_kw, inn, phones, email, answer_channel, balance_kop,"
                          " updated_at FROM accounts WHERE id = ?",
                          error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = okno_db_step (self->reader, stmt, error);
  if (rc == SQLITE_ROW)
    {
      account = _okno_account_new (sqlite3_column_int64 (stmt, 0), TEXT (stmt, 1), TEXT (stmt, 2),
                                   TEXT (stmt, 3), TEXT (stmt, 4), TEXT (stmt, 5), TEXT (stmt, 6),
                                   sqlite3_column_double (stmt, 7));
      _okno_account_set_details (account, TEXT (stmt, 8), TEXT (stmt, 9), TEXT (stmt, 10),
                                 TEXT (stmt, 11), sqlite3_column_int64 (stmt, 12), TEXT (stmt, 13));
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND,
                 _ ("The account is not in the local database"));
  sqlite3_reset (stmt);
  return account;
}

GListModel *
okno_store_list_meters (OknoStore *self, const char *account_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  g_autoptr (GListStore) meters = g_list_store_new (OKNO_TYPE_METER);
  sqlite3_stmt *stmt;
  int rc;

  stmt = okno_db_prepare (
    self->reader,
    "SELECT m.id, m.serial, m.model, m.zones, m.location, m.verification_due,"
    " r.taken_on, r.t1, r.t2, r.t3 FROM meters m"
    " LEFT JOIN readings r ON r.id = (SELECT id FROM readings WHERE meter_id = m.id"
    "   ORDER BY taken_on DESC, accepted_at DESC LIMIT 1)"
    " WHERE m.account_id = ? ORDER BY m.serial",
    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_STATIC);
  while ((rc = okno_db_step (self->reader, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr (OknoMeter) m = _okno_meter_new (
        TEXT (stmt, 0), TEXT (stmt, 1), TEXT (stmt, 2), sqlite3_column_int (stmt, 3),
        TEXT (stmt, 4), TEXT (stmt, 5), TEXT (stmt, 6), sqlite3_column_int64 (stmt, 7),
        sqlite3_column_type (stmt, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 8),
        sqlite3_column_type (stmt, 9) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 9));
      g_list_store_append (meters, m);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&meters));
}

char *
okno_store_get_policy (OknoStore *self, const char *key, const char *fallback)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  sqlite3_stmt *stmt
    = okno_db_prepare (self->reader, "SELECT value FROM policy WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return g_strdup (fallback);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (okno_db_step (self->reader, stmt, NULL) == SQLITE_ROW)
    value = g_strdup (TEXT (stmt, 0));
  sqlite3_reset (stmt);
  return value ? value : g_strdup (fallback);
}

OknoCalendar *
okno_store_load_calendar (OknoStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  g_autoptr (OknoCalendar) calendar = okno_calendar_new ();
  sqlite3_stmt *stmt = okno_db_prepare (self->reader, "SELECT day, kind FROM calendar_days", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = okno_db_step (self->reader, stmt, error)) == SQLITE_ROW)
    if (!okno_calendar_set_day (calendar, TEXT (stmt, 0), TEXT (stmt, 1), error))
      {
        sqlite3_reset (stmt);
        return NULL;
      }
  sqlite3_reset (stmt);
  return rc < 0 ? NULL : g_steal_pointer (&calendar);
}

void
okno_branch_free (OknoBranch *branch)
{
  if (branch == NULL)
    return;
  g_free (branch->id);
  g_free (branch->code);
  g_free (branch->name);
  g_free (branch->kind);
  g_free (branch);
}

GPtrArray *
okno_store_list_branches (OknoStore *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  g_autoptr (GPtrArray) branches
    = g_ptr_array_new_with_free_func ((GDestroyNotify)okno_branch_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = okno_db_prepare (self->reader,
                          "SELECT id, code, name, kind FROM branches ORDER BY name, code", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = okno_db_step (self->reader, stmt, error)) == SQLITE_ROW)
    {
      OknoBranch *b = g_new0 (OknoBranch, 1);

      b->id = g_strdup (TEXT (stmt, 0));
      b->code = g_strdup (TEXT (stmt, 1));
      b->name = g_strdup (TEXT (stmt, 2));
      b->kind = g_strdup (TEXT (stmt, 3));
      g_ptr_array_add (branches, b);
    }
  sqlite3_reset (stmt);
  return rc < 0 ? NULL : g_steal_pointer (&branches);
}

/* One text column of the row with that key, or NULL. */
static char *
lookup_text (OknoStore *self, const char *sql, const char *key)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  sqlite3_stmt *stmt;
  char *text = NULL;

  if (key == NULL || *key == '\0')
    return NULL;
  stmt = okno_db_prepare (self->reader, sql, NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (okno_db_step (self->reader, stmt, NULL) == SQLITE_ROW)
    text = g_strdup (TEXT (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

char *
okno_store_get_branch_name (OknoStore *self, const char *branch_id)
{
  return lookup_text (self, "SELECT name FROM branches WHERE id = ?", branch_id);
}

char *
okno_store_get_staff_name (OknoStore *self, const char *staff_id)
{
  return lookup_text (self, "SELECT full_name FROM staff WHERE id = ?", staff_id);
}

char *
okno_store_get_account_number (OknoStore *self, const char *account_id)
{
  return lookup_text (self, "SELECT number FROM accounts WHERE id = ?", account_id);
}

gboolean
okno_store_log_disclosure (OknoStore *self, const char *staff_id, const char *account_id,
                           const char *basis, const char *what, GError **error)
{
  const OknoCollection *c = okno_collection_lookup ("disclosures");
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *id = okno_uuid7_new ();
  OknoValue v[8] = { { 0 } };

  /* id, at, staff_id, account_id, visit_id, basis, what, version: the log
   * reaches the central system through the outbox like any other record. */
  g_assert (c->n_fields == G_N_ELEMENTS (v));
  v[0].text = id;
  v[1].text = at;
  v[2].text = staff_id;
  v[3].text = account_id;
  v[4].is_null = TRUE;
  v[5].text = basis;
  v[6].text = what;
  return okno_store_create (self, c, v, error);
}

gint64
okno_store_count_disclosures (OknoStore *self, const char *account_id, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->reader_lock);
  sqlite3_stmt *stmt = okno_db_prepare (
    self->reader, "SELECT count(*) FROM disclosures WHERE account_id = ?", error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_STATIC);
  if (okno_db_step (self->reader, stmt, error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}
