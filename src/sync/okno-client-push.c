/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Sending the outbox to the server in batches. */

#include "okno-client-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "okno-wire.h"

#define PUSH_BATCH     100
#define PUSH_MAX_BYTES (1024 * 1024)

static JsonNode *
mutation_node (OknoOutboxEntry *e, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonBuilder) b = json_builder_new ();

  /* The payload was written by SQLite's json_object: parse it back so that
   * it travels as JSON, not as a string inside JSON. */
  if (!json_parser_load_from_data (parser, e->payload, -1, error))
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mutation_id");
  json_builder_add_string_value (b, e->mutation_id);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, e->seq);
  json_builder_set_member_name (b, "collection");
  json_builder_add_string_value (b, e->collection);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, e->op);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, e->key);
  json_builder_set_member_name (b, "base_version");
  if (e->base_version >= 0)
    json_builder_add_int_value (b, e->base_version);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "data");
  json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static GBytes *
push_body (OknoClient *self, GPtrArray *entries, guint n, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "device_id");
  json_builder_add_string_value (b, self->device_id);
  json_builder_set_member_name (b, "mutations");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *m = mutation_node (g_ptr_array_index (entries, i), error);

      if (m == NULL)
        return NULL;
      json_builder_add_value (b, m);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return _okno_client_node_bytes (root);
}

static void
log_results (const OknoPushResult *r, guint n)
{
  guint count[OKNO_PUSH_REJECTED + 1] = { 0 };

  for (guint i = 0; i < n; i++)
    count[r[i].status]++;
  g_debug ("push: %u applied, %u duplicate, %u conflict, %u rejected", count[OKNO_PUSH_APPLIED],
           count[OKNO_PUSH_DUPLICATE], count[OKNO_PUSH_CONFLICT], count[OKNO_PUSH_REJECTED]);
}

/* Sends the first n entries; TRUE when the answers were stored. */
static gboolean
push_batch (OknoClient *self, SoupSession *session, OknoStore *store, GPtrArray *entries, guint n,
            GCancellable *cancellable, GError **error)
{
  g_autoptr (GBytes) request = push_body (self, entries, n, error);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (OknoWirePushResults) results = NULL;
  g_autofree const char **ids = g_new0 (const char *, n + 1);
  const OknoPushResult *r;
  guint n_results;

  if (request == NULL)
    return FALSE;
  if (g_bytes_get_size (request) > PUSH_MAX_BYTES && n > 1)
    {
      g_set_error_literal (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_TOO_LARGE, "local size limit");
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    ids[i] = ((OknoOutboxEntry *)g_ptr_array_index (entries, i))->mutation_id;
  g_debug ("push: a batch of %u changes, %" G_GSIZE_FORMAT " bytes", n, g_bytes_get_size (request));
  body = _okno_client_send (self, session, "POST", "/mutations", request, cancellable, error);
  if (body == NULL || (results = okno_wire_parse_push_results (body, ids, n, error)) == NULL)
    return FALSE;
  r = okno_wire_push_results_get (results, &n_results);
  log_results (r, n_results);
  return okno_store_outbox_settle (store, r, n_results, error);
}

/* A single entry the server finds too large can never be sent: it is
 * quarantined like a rejection, for staff to see, instead of blocking. */
static gboolean
quarantine_too_large (OknoStore *store, OknoOutboxEntry *e, GError **error)
{
  OknoPushResult r
    = { e->mutation_id, OKNO_PUSH_REJECTED, 0, _ ("The server refused this change as too large") };

  return okno_store_outbox_settle (store, &r, 1, error);
}

gboolean
okno_client_push (OknoClient *self, OknoStore *store, guint *n_pushed, GCancellable *cancellable,
                  GError **error)
{
  g_autoptr (SoupSession) session = _okno_client_new_session ();
  guint batch = PUSH_BATCH, pushed = 0;

  while (TRUE)
    {
      g_autoptr (GPtrArray) entries = okno_store_outbox_next (store, batch, error);
      GError *local = NULL;
      guint n;

      if (entries == NULL)
        return FALSE;
      if (entries->len == 0)
        break;
      n = MIN (batch, entries->len);
      if (push_batch (self, session, store, entries, n, cancellable, &local))
        {
          pushed += n;
          continue;
        }
      if (!g_error_matches (local, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_TOO_LARGE))
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      g_clear_error (&local);
      if (n == 1)
        g_debug ("push: a single change is too large: it waits for staff");
      else
        g_debug ("push: a batch of %u is too large: sending half as many", n);
      if (n == 1 && !quarantine_too_large (store, g_ptr_array_index (entries, 0), error))
        return FALSE;
      batch = MAX (1, n / 2);
    }
  g_debug ("push: %u changes sent", pushed);
  if (n_pushed)
    *n_pushed = pushed;
  return TRUE;
}
