/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Client search latency over a real replica: prints p50/p95/p99/max.
 *
 *   bench-search REPLICA [N_QUERIES]
 *
 * Queries are drawn from the replica itself, in the mix a counter sees:
 * full account numbers, number prefixes, phones as typed, surnames,
 * surname with first name, and street with house. Each query runs as the
 * app runs it: ranked ids, then the first screen of rows read. */

#include <locale.h>
#include <stdlib.h>
#include <time.h>

#include "okno-account-list.h"
#include "okno-store.h"

#define SCREEN_ROWS 20

/* The thread's CPU time: on a machine busy with other work, wall time also
 * counts the waits for a core; this is the search's own work. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static char *
first_words (const char *text, guint n)
{
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; words[i] && i < n; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "", words[i]);
  return g_strdup (out->str);
}

/* "г. Екатеринбург, ул. Малышева, д. 51, кв. 12" -> "Малышева 51" */
static char *
street_and_house (const char *address)
{
  g_auto (GStrv) parts = g_strsplit (address, ", ", -1);
  const char *street = NULL, *house = NULL;

  for (guint i = 0; parts[i]; i++)
    {
      if (g_str_has_prefix (parts[i], "д. "))
        house = parts[i] + strlen ("д. ");
      else if (i == 1)
        street = strchr (parts[i], ' ') ? strchr (parts[i], ' ') + 1 : parts[i];
    }
  return street && house ? g_strdup_printf ("%s %s", street, house) : g_strdup (address);
}

static const char *const kinds[]
  = { "number",         "number prefix",     "phone", "surname", "surname + first name",
      "street + house", "unfinished surname" };

static GPtrArray *
draw_queries (OknoStore *store, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoDb) db = okno_db_open (okno_store_get_path (store), OKNO_DB_READ_ONLY, &error);
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gint64 max_rowid;
  GRand *rand = g_rand_new_with_seed (20261127);

  stmt = okno_db_prepare (db, "SELECT max (rowid) FROM accounts", &error);
  okno_db_step (db, stmt, &error);
  max_rowid = sqlite3_column_int64 (stmt, 0);
  stmt = okno_db_prepare (
    db, "SELECT number, holder, address, phones FROM accounts WHERE rowid >= ? LIMIT 1", &error);
  while (queries->len < n)
    {
      const char *number, *holder, *address, *phones;

      sqlite3_bind_int64 (stmt, 1, g_rand_int_range (rand, 1, (gint32)max_rowid + 1));
      if (okno_db_step (db, stmt, &error) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          continue;
        }
      number = (const char *)sqlite3_column_text (stmt, 0);
      holder = (const char *)sqlite3_column_text (stmt, 1);
      address = (const char *)sqlite3_column_text (stmt, 2);
      phones = (const char *)sqlite3_column_text (stmt, 3);
      switch (queries->len % G_N_ELEMENTS (kinds))
        {
          case 0:
            g_ptr_array_add (queries, g_strdup (number));
            break;
          case 1:
            g_ptr_array_add (queries, g_strndup (number, 6));
            break;
          case 2:
            if (phones && strlen (phones) >= 12)
              g_ptr_array_add (queries, g_strdup_printf ("8 (%.3s) %.3s-%.2s-%.2s", phones + 2,
                                                         phones + 5, phones + 8, phones + 10));
            else
              g_ptr_array_add (queries, g_strdup (number));
            break;
          case 3:
            g_ptr_array_add (queries, first_words (holder, 1));
            break;
          case 4:
            g_ptr_array_add (queries, first_words (holder, 2));
            break;
          case 5:
            g_ptr_array_add (queries, street_and_house (address));
            break;
          default:
            /* What the search sees while the clerk is still typing. */
            g_ptr_array_add (queries, g_utf8_substring (holder, 0, 4));
            break;
        }
      sqlite3_reset (stmt);
    }
  g_rand_free (rand);
  return queries;
}

static double
load_average (void)
{
  g_autofree char *text = NULL;

  return g_file_get_contents ("/proc/loadavg", &text, NULL, NULL) ? g_ascii_strtod (text, NULL)
                                                                  : -1;
}

/* The same figures per kind of query, to see where the time goes: wall
 * time, and the search's own CPU time. */
static void
report_kinds (GPtrArray *queries, const double *ms, const double *cpu, guint n)
{
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr (GArray) v = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) c = g_array_new (FALSE, FALSE, sizeof (double));
      guint worst = k;

      for (guint i = k; i < n; i += G_N_ELEMENTS (kinds))
        {
          g_array_append_val (v, ms[i]);
          g_array_append_val (c, cpu[i]);
          if (ms[i] > ms[worst])
            worst = i;
        }
      if (v->len == 0)
        continue;
      qsort (v->data, v->len, sizeof (double), cmp_double);
      qsort (c->data, c->len, sizeof (double), cmp_double);
      g_print ("  %-22s p50 %6.2f ms  p95 %6.2f ms  max %6.2f ms  cpu p95 %6.2f ms"
               "  (slowest: “%s”)\n",
               kinds[k], g_array_index (v, double, v->len / 2),
               g_array_index (v, double, (guint)(v->len * 0.95)),
               g_array_index (v, double, v->len - 1),
               g_array_index (c, double, (guint)(c->len * 0.95)),
               (char *)g_ptr_array_index (queries, worst));
    }
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (GPtrArray) queries = NULL;
  g_autofree double *ms = NULL;
  g_autofree double *cpu = NULL;
  guint n = argc > 2 ? (guint)atoi (argv[2]) : 3000;
  double total = 0;
  guint64 found = 0;

  setlocale (LC_ALL, "C.UTF-8");
  if (argc < 2)
    {
      g_printerr ("usage: bench-search REPLICA [N_QUERIES]\n");
      return 2;
    }
  store = okno_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  queries = draw_queries (store, n);
  ms = g_new0 (double, n);
  cpu = g_new0 (double, n);
  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_ms ();
      g_autoptr (GListModel) model = NULL;
      guint matches = 0, shown;

      model = okno_store_search (store, g_ptr_array_index (queries, i), OKNO_STORE_SEARCH_LIMIT,
                                 &matches, NULL, &error);
      if (model == NULL)
        {
          g_printerr ("query “%s”: %s\n", (char *)g_ptr_array_index (queries, i), error->message);
          return 1;
        }
      shown = MIN (SCREEN_ROWS, g_list_model_get_n_items (model));
      /* The first screen, read as the app's worker thread reads it. */
      for (guint r = 0; r < shown; r++)
        {
          g_autoptr (OknoAccount) row
            = okno_account_list_get_item_sync (OKNO_ACCOUNT_LIST (model), r, &error);
          if (row == NULL)
            {
              g_printerr ("reading the results: %s\n", error->message);
              return 1;
            }
        }
      ms[i] = (g_get_monotonic_time () - start) / 1000.0;
      cpu[i] = cpu_ms () - cpu_start;
      total += ms[i];
      found += matches > 0;
    }
  report_kinds (queries, ms, cpu, n);
  qsort (ms, n, sizeof (double), cmp_double);
  g_print ("search over %" G_GINT64_FORMAT " accounts, %u queries (%" G_GUINT64_FORMAT " found)\n",
           okno_store_count (store, "accounts", NULL), n, found);
  g_print ("mean %.2f ms  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms\n", total / n,
           ms[n / 2], ms[(guint)(n * 0.95)], ms[(guint)(n * 0.99)], ms[n - 1]);
  qsort (cpu, n, sizeof (double), cmp_double);
  g_print ("cpu time: p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms (load %.2f)\n", cpu[n / 2],
           cpu[(guint)(n * 0.95)], cpu[(guint)(n * 0.99)], cpu[n - 1], load_average ());
  return 0;
}
