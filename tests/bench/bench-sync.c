/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Push and pull figures against a running okno-central:
 *
 *   bench-sync URL WORKDIR [N_PUSH] [N_PULL]
 *
 * Two replicas (two branches) sign in as clerk and download. Branch A
 * writes N_PUSH payments offline (each with its outbox entry, as the counter
 * does) and pushes them; then branch B writes N_PULL payments and pushes,
 * and A's incremental sync of those N_PULL changes is timed. Prints figures;
 * asserts nothing about time. */

#include <locale.h>
#include <stdlib.h>

#include "okno-account-list.h"
#include "okno-sync.h"
#include "okno-uuid.h"

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static void
die (GError *error)
{
  g_printerr ("bench-sync: %s\n", error->message);
  exit (1);
}

static void
open_branch (const char *url, const char *dir, const char *name, OknoStore **store,
             OknoClient **client)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, "replica.db", NULL);
  g_autoptr (OknoStaff) staff = NULL;
  double t;

  if ((*store = okno_store_open (path, &error)) == NULL
      || (*client = okno_client_new (url, &error)) == NULL
      || (staff = okno_client_sign_in (*client, "clerk", "clerk", NULL, &error)) == NULL)
    die (error);
  t = now_s ();
  if (!okno_client_sync (*client, *store, NULL, NULL, &error))
    die (error);
  g_print ("branch %s: first download %.1f s (%" G_GINT64_FORMAT " accounts)\n", name, now_s () - t,
           okno_store_count (*store, "accounts", NULL));
}

static char *
some_account (OknoStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) m = okno_store_search (store, "Екатеринбург", 1, NULL, NULL, &error);
  g_autoptr (OknoAccount) a = m && g_list_model_get_n_items (m) > 0
                                ? okno_account_list_get_item_sync (OKNO_ACCOUNT_LIST (m), 0, &error)
                                : NULL;

  if (a == NULL)
    die (error ? g_steal_pointer (&error) : g_error_new (1, 1, "no account to pay into"));
  return g_strdup (okno_account_get_id (a));
}

static void
write_payments (OknoStore *store, const char *account, guint n)
{
  const OknoCollection *c = okno_collection_lookup ("payments");
  double t = now_s ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *id = okno_uuid7_new ();
      OknoValue v[9] = { { 0 } };

      for (guint f = 0; f < c->n_fields; f++)
        v[f].is_null = c->fields[f].nullable;
      v[0].text = id;
      v[1].text = account;
      v[2].integer = 100 + i;
      v[3].text = "2026-11-27T07:00:00Z";
      v[4].text = "cash";
      if (!okno_store_create (store, c, v, &error))
        die (g_steal_pointer (&error));
    }
  g_print ("  %u payments written offline with their outbox entries: %.2f s (%.0f/s)\n", n,
           now_s () - t, n / MAX (now_s () - t, 1e-6));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  OknoStore *a, *b;
  OknoClient *ca, *cb;
  g_autofree char *account = NULL;
  guint n_push = argc > 3 ? (guint)atoi (argv[3]) : 10000;
  guint n_pull = argc > 4 ? (guint)atoi (argv[4]) : 1000;
  guint pushed = 0, pulled = 0;
  double t;

  setlocale (LC_ALL, "C.UTF-8");
  if (argc < 3)
    {
      g_printerr ("usage: bench-sync URL WORKDIR [N_PUSH] [N_PULL]\n");
      return 2;
    }
  open_branch (argv[1], argv[2], "a", &a, &ca);
  open_branch (argv[1], argv[2], "b", &b, &cb);
  account = some_account (a);

  g_print ("push:\n");
  write_payments (a, account, n_push);
  t = now_s ();
  if (!okno_client_push (ca, a, &pushed, NULL, &error))
    die (g_steal_pointer (&error));
  g_print ("  pushed %u mutations in %.2f s (%.0f/s)\n", pushed, now_s () - t,
           pushed / MAX (now_s () - t, 1e-6));

  /* A's own changes come back through the feed once: not part of the figure. */
  if (!okno_client_pull (ca, a, NULL, NULL, &error))
    die (g_steal_pointer (&error));

  g_print ("incremental pull:\n");
  write_payments (b, account, n_pull);
  if (!okno_client_push (cb, b, NULL, NULL, &error))
    die (g_steal_pointer (&error));
  t = now_s ();
  if (!okno_client_pull (ca, a, &pulled, NULL, &error))
    die (g_steal_pointer (&error));
  g_print ("  pulled %u changes in %.2f s (%.0f/s)\n", pulled, now_s () - t,
           pulled / MAX (now_s () - t, 1e-6));
  return 0;
}
