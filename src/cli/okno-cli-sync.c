/* SPDX-License-Identifier: GPL-3.0-or-later */

/* okno-cli download and sync: the server's work, in the stored session. */

#include "okno-cli-session.h"

#include <glib/gi18n.h>

#include "okno-meta-keys.h"

static void
print_progress (gint64 done, gint64 total, gpointer data)
{
  gint64 *start = data;
  double secs = (g_get_monotonic_time () - *start) / 1e6;

  g_printerr ("\r%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " rows, %.0f rows/s   ", done, total,
              secs > 0 ? done / secs : 0.0);
}

static gboolean
download_work (OknoSession *s, gpointer data, GError **error)
{
  return okno_client_download (okno_session_get_client (s), okno_session_get_store (s),
                               print_progress, data, NULL, error);
}

static void
print_downloaded (OknoStore *store, double secs)
{
  guint n_collections;
  const OknoCollection *const *collections = okno_collection_all (&n_collections);
  gint64 rows = 0;
  g_autofree char *n_rows = NULL, *n_accounts = NULL;

  for (guint i = 0; i < n_collections; i++)
    rows += MAX (0, okno_store_count (store, collections[i]->name, NULL));
  g_printerr ("\n");
  /* Format macros cannot stand inside a translatable string. */
  n_rows = g_strdup_printf ("%" G_GINT64_FORMAT, rows);
  n_accounts = g_strdup_printf ("%" G_GINT64_FORMAT, okno_store_count (store, "accounts", NULL));
  g_print (_ ("Downloaded %s rows (%s accounts) in %.1f s: %.0f rows/s\n"), n_rows, n_accounts,
           secs, rows / MAX (secs, 1e-6));
}

int
okno_cli_download (int argc, char **argv)
{
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (OknoSession) session = NULL; /* freed before the store it uses */
  g_autoptr (GError) error = NULL;
  gint64 start;
  int status = okno_cli_open_session ("download", argc, argv, &store, &session);

  if (status != 0)
    return status;
  start = g_get_monotonic_time ();
  if (!okno_cli_run (session, download_work, &start, &error))
    {
      g_printerr ("\n");
      return okno_cli_fail (error);
    }
  print_downloaded (store, (g_get_monotonic_time () - start) / 1e6);
  return 0;
}

/* The push sends only its author's outbox entries (okno_store_outbox_next):
 * the session's staff member, as okno-cli's record commands name them, not
 * whoever signed in last in the app on this replica. */
static void
push_as_session (OknoSession *s, OknoStore *store)
{
  const char *login = okno_session_get_login (s);
  g_autofree char *key = login ? okno_meta_key_for (OKNO_META_STAFF_ID, login) : NULL;
  g_autofree char *branch_key = login ? okno_meta_key_for (OKNO_META_STAFF_BRANCH_ID, login) : NULL;
  g_autofree char *staff = key ? okno_store_get_meta (store, key, NULL) : NULL;
  g_autofree char *branch = branch_key ? okno_store_get_meta (store, branch_key, NULL) : NULL;

  if (staff != NULL)
    okno_store_set_author (store, staff, branch);
}

static gboolean
sync_work (OknoSession *s, gpointer data, GError **error)
{
  return okno_client_sync (okno_session_get_client (s), okno_session_get_store (s), data, NULL,
                           error);
}

int
okno_cli_sync (int argc, char **argv)
{
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (OknoSession) session = NULL; /* freed before the store it uses */
  g_autoptr (GError) error = NULL;
  OknoSyncReport r = { 0 };
  int status = okno_cli_open_session ("sync", argc, argv, &store, &session);

  if (status != 0)
    return status;
  push_as_session (session, store);
  if (!okno_cli_run (session, sync_work, &r, &error))
    return okno_cli_fail (error);
  g_print ("{\"pushed\": %u, \"pulled\": %u, \"pending\": %" G_GINT64_FORMAT
           ", \"pending_other_staff\": %" G_GINT64_FORMAT ", \"quarantined\": %" G_GINT64_FORMAT
           ", \"conflicts\": %" G_GINT64_FORMAT "}\n",
           r.pushed, r.pulled, r.pending, r.others, r.quarantined, r.conflicts);
  return 0;
}
