/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The first download, timed per collection, against a running okno-central:
 *
 *   bench-download URL REPLICA
 *
 * Signs in as clerk, asks the server what the snapshot holds, then runs the
 * same okno_client_download the app and okno-cli run into a fresh replica.
 * Collections come in the server's order, so the moment the rows stored so
 * far pass a collection's end is when that collection (with its search
 * index) is in the replica. Prints rows, seconds and rows per second of
 * each, the whole, and the peak resident memory; asserts nothing. */

#include <libsoup/soup.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "okno-sync.h"
#include "okno-wire.h"

typedef struct
{
  OknoWireSnapshotInfo *info;
  guint next;     /* the first collection not finished yet */
  gint64 end;     /* rows up to the end of that collection */
  double started; /* when that collection started */
} Watch;

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static void
die (GError *error)
{
  g_printerr ("bench-download: %s\n", error->message);
  exit (1);
}

static gint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10);
}

static OknoWireSnapshotInfo *
snapshot_info (const char *url, OknoClient *client)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *address = g_strconcat (url, "/api/v1/snapshot", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", address);
  g_autofree char *token = NULL, *refresh = NULL, *auth = NULL;
  g_autoptr (GBytes) body = NULL;
  OknoWireSnapshotInfo *info = NULL;

  okno_client_get_tokens (client, &token, &refresh);
  auth = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  if (body == NULL || (info = okno_wire_parse_snapshot_info (body, &error)) == NULL)
    die (g_steal_pointer (&error));
  return info;
}

static void
advance (Watch *w, gint64 done)
{
  while (w->next < w->info->collections->len && done >= w->end)
    {
      OknoWireCollection *c = g_ptr_array_index (w->info->collections, w->next);
      double t = now_s () - w->started;

      if (c->count > 0)
        g_print ("  %-18s %10" G_GINT64_FORMAT " rows %8.2f s %10.0f rows/s\n", c->name, c->count,
                 t, c->count / MAX (t, 1e-6));
      w->started = now_s ();
      if (++w->next < w->info->collections->len)
        w->end += ((OknoWireCollection *)g_ptr_array_index (w->info->collections, w->next))->count;
    }
}

static void
on_progress (gint64 done, gint64 total, gpointer data)
{
  advance (data, done);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (OknoClient) client = NULL;
  g_autoptr (OknoStaff) staff = NULL;
  g_autoptr (OknoWireSnapshotInfo) info = NULL;
  Watch w = { 0 };
  gint64 total = 0;
  double t;

  setlocale (LC_ALL, "C.UTF-8");
  if (argc != 3)
    {
      g_printerr ("usage: bench-download URL REPLICA\n");
      return 2;
    }
  if ((store = okno_store_open (argv[2], &error)) == NULL
      || (client = okno_client_new (argv[1], &error)) == NULL
      || (staff = okno_client_sign_in (client, "clerk", "clerk", NULL, &error)) == NULL)
    die (g_steal_pointer (&error));
  if (okno_store_is_ready (store))
    {
      g_printerr ("bench-download: %s already holds a replica; give a new file\n", argv[2]);
      return 2;
    }
  info = snapshot_info (argv[1], client);
  for (guint i = 0; i < info->collections->len; i++)
    total += ((OknoWireCollection *)g_ptr_array_index (info->collections, i))->count;
  w.info = info;
  w.end = info->collections->len
            ? ((OknoWireCollection *)g_ptr_array_index (info->collections, 0))->count
            : 0;

  g_print ("first download of %" G_GINT64_FORMAT " rows from %s\n", total, argv[1]);
  t = w.started = now_s ();
  advance (&w, 0);
  if (!okno_client_download (client, store, on_progress, &w, NULL, &error))
    die (g_steal_pointer (&error));
  advance (&w, G_MAXINT64);
  t = now_s () - t;
  g_print ("  %-18s %10" G_GINT64_FORMAT " rows %8.2f s %10.0f rows/s\n", "whole snapshot", total,
           t, total / MAX (t, 1e-6));
  g_print ("  accounts in the replica: %" G_GINT64_FORMAT "\n",
           okno_store_count (store, "accounts", NULL));
  g_print ("  peak resident memory: %.1f MiB\n", peak_rss_kib () / 1024.0);
  return 0;
}
