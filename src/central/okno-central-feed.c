/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The change feed: GET /changes reads the log that every commit writes
 * together with its rows (see docs/sync-protocol.md). */

#include "okno-central-error.h"
#include "okno-central-store-private.h"

/* Each record once, at its latest change after the cursor, in commit order
 * so that a page can stop between two commits. */
#define FEED_SQL                                                                                   \
  "SELECT c.seq, c.collection, c.key, c.op FROM changes c WHERE c.seq > ?1"                        \
  " AND NOT EXISTS (SELECT 1 FROM changes d WHERE d.collection = c.collection"                     \
  " AND d.key = c.key AND d.seq > c.seq) ORDER BY c.seq, c.collection, c.key"

static gboolean
check_cursor (OknoCentralStore *self, gint64 cursor, gint64 *current, GError **error)
{
  gint64 floor = 0;

  *current = okno_central_store_get_cursor (self, error);
  if (*current < 0 || !okno_central_store_get_floor (self, &floor, error))
    return FALSE;
  if (cursor < floor)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_GONE,
                   "The cursor %" G_GINT64_FORMAT " is older than the change log kept "
                   "(from %" G_GINT64_FORMAT "); download a new snapshot",
                   cursor, floor);
      return FALSE;
    }
  /* A cursor from another database's history cannot be served either. */
  if (cursor > *current)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_GONE,
                   "The cursor %" G_GINT64_FORMAT " is ahead of this server (%" G_GINT64_FORMAT
                   "); download a new snapshot",
                   cursor, *current);
      return FALSE;
    }
  return TRUE;
}

/* The log row at stmt as one element of ChangesPage.changes. */
static JsonObject *
change_object (OknoCentralStore *self, sqlite3_stmt *stmt, GError **error)
{
  const char *name = (const char *)sqlite3_column_text (stmt, 1);
  const char *key = (const char *)sqlite3_column_text (stmt, 2);
  gboolean deleted = g_strcmp0 ((const char *)sqlite3_column_text (stmt, 3), "delete") == 0;
  const OknoCollection *collection = okno_collection_lookup (name);
  g_autoptr (JsonObject) change = json_object_new ();
  JsonObject *row = NULL;

  if (collection == NULL)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_FAILED,
                   "The change log names an unknown collection “%s”", name);
      return NULL;
    }
  if (!deleted && (row = okno_central_store_read_row (self, collection, key, error)) == NULL
      && error && *error)
    return NULL;
  json_object_set_string_member (change, "collection", name);
  json_object_set_string_member (change, "key", key);
  json_object_set_int_member (change, "version", sqlite3_column_int64 (stmt, 0));
  /* The latest change is logged with the row, so a missing row is a delete. */
  json_object_set_string_member (change, "op", row ? "upsert" : "delete");
  if (row)
    json_object_set_object_member (change, "data", row);
  else
    json_object_set_null_member (change, "data");
  return g_steal_pointer (&change);
}

typedef struct
{
  JsonArray *changes;
  gint64 last_seq;
  gboolean has_more;
} Page;

static gboolean
fill_page (OknoCentralStore *self, gint64 cursor, guint limit, Page *page, GError **error)
{
  OknoDb *db = okno_central_store_get_db (self);
  sqlite3_stmt *stmt = okno_db_prepare (db, FEED_SQL, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  while ((rc = okno_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      JsonObject *change;

      /* Past the limit only to finish the commit in hand. */
      if (json_array_get_length (page->changes) >= limit && seq != page->last_seq)
        {
          page->has_more = TRUE;
          break;
        }
      change = change_object (self, stmt, error);
      if (change == NULL)
        break;
      json_array_add_object_element (page->changes, change);
      page->last_seq = seq;
    }
  sqlite3_reset (stmt);
  return rc != -1 && (rc != SQLITE_ROW || page->has_more);
}

static JsonNode *
page_node (Page *page, gint64 current)
{
  JsonObject *body = json_object_new ();
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);

  json_object_set_array_member (body, "changes", json_array_ref (page->changes));
  /* The last page moves the cursor to the newest commit, past commits that
   * changed nothing shared. */
  json_object_set_int_member (body, "cursor", page->has_more ? page->last_seq : current);
  json_object_set_boolean_member (body, "has_more", page->has_more);
  json_node_take_object (root, body);
  return root;
}

JsonNode *
okno_central_store_read_changes (OknoCentralStore *self, gint64 cursor, guint limit, guint *n_rows,
                                 GError **error)
{
  OknoDb *db = okno_central_store_get_db (self);
  Page page = { json_array_new (), cursor, FALSE };
  JsonNode *root = NULL;
  gint64 current = 0;

  g_return_val_if_fail (limit >= 1 && limit <= OKNO_CENTRAL_PAGE_MAX, NULL);

  /* One transaction: the floor, the log and the rows seen at one moment. */
  if (okno_db_begin (db, error))
    {
      if (check_cursor (self, cursor, &current, error)
          && fill_page (self, cursor, limit, &page, error))
        root = page_node (&page, current);
      if (root != NULL && !okno_db_commit (db, error))
        g_clear_pointer (&root, json_node_unref);
      else if (root == NULL)
        okno_db_rollback (db);
    }
  if (n_rows && root)
    *n_rows = json_array_get_length (page.changes);
  json_array_unref (page.changes);
  return root;
}
