/* SPDX-License-Identifier: GPL-3.0-or-later */

/* How fast the client decodes snapshot pages, without the network or
 * SQLite: okno-central's own pages of a central database, in each format,
 * through okno_wire_parse_snapshot_page. Prints CPU time per row; asserts
 * nothing about time.
 *
 *   bench-wire CENTRAL_DB [PAGES_PER_COLLECTION [items|dense]] */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "okno-central-store.h"
#include "okno-wire.h"

#define LIMIT 5000

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first n_pages pages of a collection, serialised as the server sends them. */
static GPtrArray *
read_pages (OknoCentralStore *store, const OknoCollection *c, gboolean dense, guint n_pages,
            guint *rows)
{
  GPtrArray *pages = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  g_autofree char *after = NULL;

  *rows = 0;
  for (guint i = 0; i < n_pages; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (OknoWirePage) page = NULL;
      gsize length = 0;
      guint n = 0;
      char *text
        = okno_central_store_read_page (store, c, after, LIMIT, dense, &n, &length, &error);
      GBytes *body;

      if (text == NULL)
        g_error ("%s", error->message);
      body = g_bytes_new_take (text, length);
      g_ptr_array_add (pages, body);
      *rows += n;
      page = okno_wire_parse_snapshot_page (body, c, &error);
      if (page == NULL)
        g_error ("%s: %s", c->name, error->message);
      if (!okno_wire_page_has_more (page))
        break;
      g_free (after);
      after = g_strdup (okno_wire_page_get_next_after (page));
    }
  return pages;
}

static double
decode_all (GPtrArray *pages, const OknoCollection *c)
{
  double t0 = cpu_now ();

  for (guint i = 0; i < pages->len; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (OknoWirePage) page
        = okno_wire_parse_snapshot_page (g_ptr_array_index (pages, i), c, &error);

      if (page == NULL)
        g_error ("%s: %s", c->name, error->message);
    }
  return cpu_now () - t0;
}

int
main (int argc, char **argv)
{
  static const char *const names[] = { "accounts", "meters", "readings", "payments" };
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoCentralStore) store = NULL;
  guint n_pages = argc > 2 ? (guint)atoi (argv[2]) : 20;
  const char *only = argc > 3 ? argv[3] : NULL; /* one format, for a profile */

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-wire CENTRAL_DB [PAGES_PER_COLLECTION]\n");
      return 2;
    }
  store = okno_central_store_open (argv[1], &error);
  if (store == NULL)
    g_error ("%s", error->message);
  printf ("  %-10s %8s %10s %12s %12s\n", "collection", "rows", "format", "µs/row", "MiB/page");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const OknoCollection *c = okno_collection_lookup (names[i]);

      for (int dense = 0; dense < 2; dense++)
        {
          guint rows = 0;
          g_autoptr (GPtrArray) pages = NULL;
          gsize bytes = 0;
          double best = G_MAXDOUBLE;

          if (only && g_strcmp0 (only, dense ? "dense" : "items") != 0)
            continue;
          pages = read_pages (store, c, dense, n_pages, &rows);
          for (guint p = 0; p < pages->len; p++)
            bytes += g_bytes_get_size (g_ptr_array_index (pages, p));
          /* The best of three runs: the least disturbed by a busy machine. */
          for (int run = 0; run < 3; run++)
            best = MIN (best, decode_all (pages, c));
          printf ("  %-10s %8u %10s %12.3f %12.2f\n", c->name, rows, dense ? "dense" : "items",
                  best * 1e6 / rows, (double)bytes / pages->len / 1048576.0);
        }
    }
  return 0;
}
