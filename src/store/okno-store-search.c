/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Client search of OknoStore: ranked stages over the FTS5 index. */

#include <glib/gi18n-lib.h>
#include <string.h>

#include "okno-account-list.h"
#include "okno-store-private.h"

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

/* "ЭС-1143780", "эс-11": one word with a digit and a letter, as contract
 * numbers are written. Tried against the number index before the word
 * stages, which would match "ЭС" in every contract number. */
static gboolean
is_number_shaped (const char *query)
{
  gboolean digit = FALSE, letter = FALSE;

  for (const char *p = query; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isdigit (c))
        digit = TRUE;
      else if (g_unichar_isalpha (c))
        letter = TRUE;
      else if (!strchr ("-/.", *p))
        return FALSE;
    }
  return digit && letter;
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

/* One stage's matches of an FTS expression: the first cap rowids of the
 * index, of which only those no better stage found are read for their sort
 * key (holders in alphabetical order: a clerk scans names). Every stage
 * matches a superset of the one before, so most of its rows came already. */
static gboolean
collect_fts (OknoDb *db, const char *fts, Hits *hits, GError **error)
{
  g_autoptr (GString) fresh = g_string_new ("[");
  sqlite3_stmt *stmt;
  guint n_fresh = 0;
  int rc;

  stmt = okno_db_prepare (db, "SELECT rowid FROM accounts_fts WHERE accounts_fts MATCH ?1 LIMIT ?2",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, fts, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, (int)hits->cap);
  while ((rc = okno_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      if (!g_hash_table_contains (hits->seen, GINT_TO_POINTER (rowid)) || sizeof (gpointer) < 8)
        g_string_append_printf (fresh, "%s%" G_GINT64_FORMAT, n_fresh++ ? "," : "", rowid);
    }
  sqlite3_reset (stmt);
  if (rc == -1)
    return FALSE;
  if (n_fresh == 0)
    return TRUE;
  g_string_append_c (fresh, ']');

  stmt = okno_db_prepare (db,
                          "SELECT rowid FROM accounts WHERE rowid IN"
                          " (SELECT value FROM json_each (?1)) ORDER BY holder, address",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, fresh->str, (int)fresh->len, SQLITE_TRANSIENT);
  return collect (db, stmt, hits, error);
}

/* Exact number first, then longer numbers that start with it, in the
 * number index's order: two reads of the index rather than one ordered by
 * exactness, which would sort the whole range ("ЭС-6": every tenth
 * contract) to return its first rows. */
static gboolean
collect_number_range (OknoDb *db, const char *number, Hits *hits, GError **error)
{
  g_autofree char *upper = g_strconcat (number, "\xf4\x8f\xbf\xbf", NULL);
  sqlite3_stmt *stmt;

  stmt = okno_db_prepare (db, "SELECT rowid FROM accounts WHERE number = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  if (!collect (db, stmt, hits, error))
    return FALSE;

  stmt = okno_db_prepare (db,
                          "SELECT rowid FROM accounts WHERE number > ?1 AND number < ?2"
                          " ORDER BY number LIMIT ?3",
                          error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int)hits->cap);
  return collect (db, stmt, hits, error);
}

static gboolean
search_numbers (OknoDb *db, const char *query, Hits *hits, GError **error)
{
  g_autofree char *digits = digits_of (query);
  g_autofree char *fts = NULL;

  if (!collect_number_range (db, digits, hits, error))
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
  return collect_fts (db, fts, hits, error);
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

      if (g_strcmp0 (fts, previous) == 0)
        continue;
      ok = collect_fts (db, fts, hits, error);
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

  locker = _okno_store_lock (self, &self->searcher_lock, G_STRFUNC);
  okno_db_set_cancellable (self->searcher, cancellable);
  if (*q == '\0')
    ok = TRUE;
  else if (is_phone_or_number_query (q))
    ok = search_numbers (self->searcher, q, &hits, error);
  else if (is_number_shaped (q))
    {
      g_autofree char *number = g_utf8_strup (q, -1);

      ok = collect_number_range (self->searcher, number, &hits, error);
      /* Not a number after all ("32а"): the words may still match. */
      if (ok && hits.rowids->len == 0)
        ok = search_words (self->searcher, q, &hits, error);
    }
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
