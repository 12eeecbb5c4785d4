/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Applying the server's change feed from the replica's cursor. */

#include "okno-client-private.h"

#include <glib/gi18n-lib.h>

#include "okno-wire.h"

#define FEED_LIMIT 1000

gboolean
okno_client_pull (OknoClient *self, OknoStore *store, guint *n_changes, GCancellable *cancellable,
                  GError **error)
{
  g_autoptr (SoupSession) session = _okno_client_new_session ();
  guint pulled = 0;
  gboolean more = TRUE;

  while (more)
    {
      gint64 cursor = okno_store_get_cursor (store);
      g_autofree char *path = g_strdup_printf ("/changes?cursor=%" G_GINT64_FORMAT "&limit=%d",
                                               MAX (cursor, 0), FEED_LIMIT);
      g_autoptr (GBytes) body = NULL;
      g_autoptr (OknoWireChanges) page = NULL;
      GError *local = NULL;
      const OknoChange *changes;
      guint n;

      if (cursor < 0)
        g_debug ("pull: no cursor yet: downloading the snapshot");
      if (cursor < 0)
        return okno_client_download (self, store, NULL, NULL, cancellable, error);
      body = _okno_client_send (self, session, "GET", path, NULL, cancellable, &local);
      if (body == NULL && g_error_matches (local, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_CURSOR_EXPIRED))
        {
          /* Too far behind: a new snapshot; the outbox stays as it is. */
          g_debug ("pull: cursor %" G_GINT64_FORMAT " has expired: downloading a new snapshot",
                   cursor);
          g_clear_error (&local);
          if (!okno_client_download (self, store, NULL, NULL, cancellable, error))
            return FALSE;
          continue;
        }
      if (body == NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      if ((page = okno_wire_parse_changes (body, error)) == NULL)
        return FALSE;
      changes = okno_wire_changes_get (page, &n);
      if (okno_wire_changes_get_cursor (page) < cursor)
        {
          g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE,
                       _ ("The server sent an invalid answer: %s"), _ ("the cursor went back"));
          return FALSE;
        }
      g_debug ("pull: a page of %u changes, cursor %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT "%s",
               n, cursor, okno_wire_changes_get_cursor (page),
               okno_wire_changes_has_more (page) ? ", more to come" : "");
      if (!okno_store_apply_changes (store, changes, n, okno_wire_changes_get_cursor (page), error))
        return FALSE;
      pulled += n;
      more = okno_wire_changes_has_more (page) && okno_wire_changes_get_cursor (page) > cursor;
    }
  g_debug ("pull: %u changes applied", pulled);
  if (n_changes)
    *n_changes = pulled;
  return TRUE;
}
