/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Strict decoding of the server's JSON answers (docs/api/openapi.yaml). */

#include "okno-wire-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "okno-appeal-number.h"

#define bad        _okno_wire_bad
#define wrong_type _okno_wire_wrong_type

gboolean
_okno_wire_bad (GError **error, const char *what)
{
  g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE,
               /* Translators: %s says what was wrong in the server's answer */
               _ ("The server sent an invalid answer: %s"), what);
  return FALSE;
}

static JsonObject *
parse_object (JsonParser *parser, GBytes *body, GError **error)
{
  g_autoptr (GError) local = NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  JsonNode *root;

  if (size == 0)
    {
      bad (error, _ ("the answer is empty"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize)size, &local))
    {
      bad (error, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      bad (error, _ ("the answer is not a JSON object"));
      return NULL;
    }
  return json_node_get_object (root);
}

/* Type-checked member access: json-glib's plain getters return 0 or NULL
 * for a mistyped member, which would turn garbage into plausible data. */
static JsonNode *
member (JsonObject *obj, const char *name, GError **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL)
    {
      g_autofree char *what = g_strdup_printf (_ ("member “%s” is missing"), name);
      bad (error, what);
    }
  return node;
}

gboolean
_okno_wire_wrong_type (const char *name, GError **error)
{
  g_autofree char *what = g_strdup_printf (_ ("member “%s” has the wrong type"), name);
  return bad (error, what);
}

static const char *
get_string (JsonObject *obj, const char *name, gboolean nullable, GError **error)
{
  JsonNode *node = member (obj, name, error);

  if (node == NULL)
    return NULL;
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      wrong_type (name, error);
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *obj, const char *name, gint64 *out, GError **error)
{
  JsonNode *node = member (obj, name, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong_type (name, error);
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_bool (JsonObject *obj, const char *name, gboolean *out, GError **error)
{
  JsonNode *node = member (obj, name, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (name, error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

char *
okno_wire_parse_error (GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonObject *obj = body ? parse_object (parser, body, NULL) : NULL;
  const char *message;

  if (obj == NULL)
    return NULL;
  message = get_string (obj, "message", FALSE, NULL);
  return message && g_utf8_validate (message, -1, NULL) ? g_strndup (message, 500) : NULL;
}

gboolean
okno_wire_parse_session (GBytes *body, char **access_token, gint64 *expires_in,
                         char **refresh_token, OknoStaff **staff, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonObject *obj = parse_object (parser, body, error);
  JsonNode *staff_node;
  JsonObject *s;
  const char *token, *type, *id, *login, *name, *role, *branch;
  gint64 desk_code = 0;
  GError *local = NULL;

  if (obj == NULL)
    return FALSE;
  token = get_string (obj, "access_token", FALSE, error);
  if (token == NULL)
    return FALSE;
  if (*token == '\0' || strlen (token) > 512)
    return bad (error, _ ("the access token is not valid"));
  type = get_string (obj, "token_type", FALSE, error);
  if (type == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (type, "Bearer") != 0)
    return bad (error, _ ("the token type is not Bearer"));
  if (!get_int (obj, "expires_in", expires_in, error))
    return FALSE;
  staff_node = member (obj, "staff", error);
  if (staff_node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (staff_node))
    return wrong_type ("staff", error);
  s = json_node_get_object (staff_node);

  id = get_string (s, "id", FALSE, &local);
  login = id ? get_string (s, "login", FALSE, &local) : NULL;
  name = login ? get_string (s, "full_name", FALSE, &local) : NULL;
  role = name ? get_string (s, "role", FALSE, &local) : NULL;
  if (role == NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  branch = get_string (s, "branch_id", TRUE, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (!okno_text_is_uuid (id) || (branch && !okno_text_is_uuid (branch)))
    return bad (error, _ ("a staff identifier is not valid"));
  if (!okno_choice_is_valid (okno_roles, role))
    return bad (error, _ ("the staff role is unknown"));
  if (!g_utf8_validate (login, -1, NULL) || !g_utf8_validate (name, -1, NULL))
    return bad (error, _ ("the staff name is not valid text"));

  /* An older server gives no desk code; then the desktop numbers nothing
   * offline until a sign-in brings one. */
  if (json_object_has_member (obj, "device_code"))
    {
      if (!get_int (obj, "device_code", &desk_code, error))
        return FALSE;
      if (desk_code < 1 || desk_code > OKNO_DESK_CODE_MAX)
        return bad (error, _ ("the desk code is out of range"));
    }

  if (refresh_token != NULL)
    {
      const char *refresh = NULL;

      if (json_object_has_member (obj, "refresh_token")
          && (refresh = get_string (obj, "refresh_token", FALSE, error)) == NULL)
        return FALSE;
      if (refresh != NULL && (*refresh == '\0' || strlen (refresh) > 512))
        return bad (error, _ ("the refresh token is not valid"));
      *refresh_token = g_strdup (refresh);
    }
  *access_token = g_strdup (token);
  *staff = g_new0 (OknoStaff, 1);
  (*staff)->id = g_strdup (id);
  (*staff)->login = g_strdup (login);
  (*staff)->full_name = g_strdup (name);
  (*staff)->role = g_strdup (role);
  (*staff)->branch_id = g_strdup (branch);
  (*staff)->desk_code = desk_code;
  return TRUE;
}

static void
wire_collection_free (gpointer data)
{
  OknoWireCollection *c = data;

  g_free (c->name);
  g_free (c);
}

void
okno_wire_snapshot_info_free (OknoWireSnapshotInfo *info)
{
  if (info == NULL)
    return;
  g_ptr_array_unref (info->collections);
  g_free (info);
}

OknoWireSnapshotInfo *
okno_wire_parse_snapshot_info (GBytes *body, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (OknoWireSnapshotInfo) info = g_new0 (OknoWireSnapshotInfo, 1);
  JsonObject *obj = parse_object (parser, body, error);
  JsonNode *node;
  JsonArray *array;

  info->collections = g_ptr_array_new_with_free_func (wire_collection_free);
  if (obj == NULL || !get_int (obj, "cursor", &info->cursor, error))
    return NULL;
  if (info->cursor < 0)
    {
      bad (error, _ ("the cursor is negative"));
      return NULL;
    }
  node = member (obj, "collections", error);
  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      wrong_type ("collections", error);
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *el = json_array_get_element (array, i);
      OknoWireCollection *c;
      const char *name;
      gint64 count;

      if (!JSON_NODE_HOLDS_OBJECT (el))
        {
          wrong_type ("collections", error);
          return NULL;
        }
      name = get_string (json_node_get_object (el), "name", FALSE, error);
      if (name == NULL || !get_int (json_node_get_object (el), "count", &count, error))
        return NULL;
      if (count < 0)
        {
          bad (error, _ ("a collection has a negative count"));
          return NULL;
        }
      c = g_new0 (OknoWireCollection, 1);
      c->name = g_strdup (name);
      c->count = count;
      g_ptr_array_add (info->collections, c);
    }
  return g_steal_pointer (&info);
}

void
okno_wire_page_free (OknoWirePage *page)
{
  if (page == NULL)
    return;
  g_clear_object (&page->parser);
  g_clear_pointer (&page->strings, g_string_chunk_free);
  g_free (page->values);
  g_free (page->next_after);
  g_free (page);
}

const OknoValue *
okno_wire_page_get_values (OknoWirePage *page, guint *n_rows)
{
  *n_rows = page->n_rows;
  return page->values;
}

const char *
okno_wire_page_get_next_after (OknoWirePage *page)
{
  return page->next_after;
}

gboolean
okno_wire_page_has_more (OknoWirePage *page)
{
  return page->has_more;
}

gboolean
_okno_wire_check_value (const OknoField *field, const OknoValue *v, GError **error)
{
  if (!okno_field_check (field, v, error))
    {
      GError *e = error ? *error : NULL;
      if (e != NULL)
        {
          /* A value against the rules is the server's fault, whatever core calls it. */
          e->domain = OKNO_SYNC_ERROR;
          e->code = OKNO_SYNC_ERROR_BAD_RESPONSE;
        }
      return FALSE;
    }
  return TRUE;
}

static gboolean
decode_value (const OknoField *field, JsonNode *node, OknoValue *v, GError **error)
{
  GType type;

  memset (v, 0, sizeof *v);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    v->is_null = TRUE;
  else if (!JSON_NODE_HOLDS_VALUE (node))
    return wrong_type (field->name, error);
  else
    {
      type = json_node_get_value_type (node);
      switch (field->type)
        {
          case OKNO_FIELD_INTEGER:
            if (type != G_TYPE_INT64)
              return wrong_type (field->name, error);
            v->integer = json_node_get_int (node);
            break;
          case OKNO_FIELD_REAL:
            if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
              return wrong_type (field->name, error);
            v->real = json_node_get_double (node);
            if (!isfinite (v->real))
              return wrong_type (field->name, error);
            break;
          case OKNO_FIELD_BOOLEAN:
            if (type != G_TYPE_BOOLEAN)
              return wrong_type (field->name, error);
            v->integer = json_node_get_boolean (node) ? 1 : 0;
            break;
          default:
            if (type != G_TYPE_STRING)
              return wrong_type (field->name, error);
            v->text = json_node_get_string (node);
            break;
        }
    }
  return _okno_wire_check_value (field, v, error);
}

/* One row object into c->n_fields values. */
static gboolean
decode_row (JsonNode *el, const OknoCollection *c, OknoValue *out, GError **error)
{
  JsonObject *row;

  if (!JSON_NODE_HOLDS_OBJECT (el))
    return wrong_type ("items", error);
  row = json_node_get_object (el);
  for (guint f = 0; f < c->n_fields; f++)
    {
      const OknoField *field = &c->fields[f];
      JsonNode *node = json_object_get_member (row, field->name);

      if (node == NULL && !field->nullable)
        {
          g_autofree char *what = g_strdup_printf (_ ("member “%s” is missing"), field->name);
          return bad (error, what);
        }
      if (!decode_value (field, node, &out[f], error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
decode_rows (OknoWirePage *page, JsonArray *items, const OknoCollection *c, GError **error)
{
  guint n = json_array_get_length (items);

  page->values = g_new (OknoValue, (gsize)n * c->n_fields);
  for (guint r = 0; r < n; r++)
    if (!decode_row (json_array_get_element (items, r), c, &page->values[(gsize)r * c->n_fields],
                     error))
      return FALSE;
  page->n_rows = n;
  return TRUE;
}

gboolean
_okno_wire_page_check_paging (OknoWirePage *page, const OknoCollection *collection, GError **error)
{
  const char *next = page->next_after;

  if (page->n_rows > 0 && next == NULL)
    return bad (error, _ ("a page with rows has no next key"));
  if (page->n_rows > 0)
    {
      const OknoValue *last_key = &page->values[(gsize)(page->n_rows - 1) * collection->n_fields];

      /* Resuming from next_after must never skip a row of this page. */
      if (g_strcmp0 (last_key->text, next) != 0)
        return bad (error, _ ("the next key is not the key of the last row"));
    }
  if (page->has_more && page->n_rows == 0)
    return bad (error, _ ("an empty page says more rows follow"));
  return TRUE;
}

static OknoWirePage *
parse_object_page (GBytes *body, const OknoCollection *collection, GError **error)
{
  g_autoptr (OknoWirePage) page = g_new0 (OknoWirePage, 1);
  JsonObject *obj;
  JsonNode *items;
  const char *name, *next;
  GError *local = NULL;

  page->parser = json_parser_new_immutable ();
  obj = parse_object (page->parser, body, error);
  if (obj == NULL)
    return NULL;
  name = get_string (obj, "collection", FALSE, error);
  if (name == NULL)
    return NULL;
  if (g_strcmp0 (name, collection->name) != 0)
    {
      bad (error, _ ("the page belongs to another collection"));
      return NULL;
    }
  items = member (obj, "items", error);
  if (items == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (items))
    {
      wrong_type ("items", error);
      return NULL;
    }
  next = get_string (obj, "next_after", TRUE, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  page->next_after = g_strdup (next);
  if (!get_bool (obj, "has_more", &page->has_more, error)
      || !decode_rows (page, json_node_get_array (items), collection, error)
      || !_okno_wire_page_check_paging (page, collection, error))
    return NULL;
  return g_steal_pointer (&page);
}

/* Either format: the client asks for dense pages, and a server that does
 * not know them answers with objects. */
OknoWirePage *
okno_wire_parse_snapshot_page (GBytes *body, const OknoCollection *collection, GError **error)
{
  gboolean is_object = FALSE;
  OknoWirePage *page = _okno_wire_parse_dense_page (body, collection, &is_object, error);

  if (page == NULL && is_object)
    return parse_object_page (body, collection, error);
  return page;
}

/* --- the change feed --------------------------------------------------- */

struct _OknoWireChanges
{
  JsonParser *parser;
  GArray *changes;  /* OknoChange */
  GPtrArray *owned; /* values arrays and JSON texts */
  gint64 cursor;
  gboolean has_more;
};

void
okno_wire_changes_free (OknoWireChanges *changes)
{
  if (changes == NULL)
    return;
  g_clear_object (&changes->parser);
  g_array_unref (changes->changes);
  g_ptr_array_unref (changes->owned);
  g_free (changes);
}

const OknoChange *
okno_wire_changes_get (OknoWireChanges *changes, guint *n)
{
  *n = changes->changes->len;
  return (const OknoChange *)(gpointer)changes->changes->data;
}

gint64
okno_wire_changes_get_cursor (OknoWireChanges *changes)
{
  return changes->cursor;
}

gboolean
okno_wire_changes_has_more (OknoWireChanges *changes)
{
  return changes->has_more;
}

static gboolean
decode_change (OknoWireChanges *out, JsonNode *el, GError **error)
{
  OknoChange ch = { 0 };
  JsonObject *obj;
  const char *collection, *op;
  JsonNode *data;
  OknoValue *values;

  if (!JSON_NODE_HOLDS_OBJECT (el))
    return wrong_type ("changes", error);
  obj = json_node_get_object (el);
  if ((collection = get_string (obj, "collection", FALSE, error)) == NULL
      || (ch.key = get_string (obj, "key", FALSE, error)) == NULL
      || !get_int (obj, "version", &ch.version, error)
      || (op = get_string (obj, "op", FALSE, error)) == NULL)
    return FALSE;
  ch.collection = okno_collection_lookup (collection);
  if (ch.collection == NULL)
    return TRUE; /* shared by a newer server; this version keeps nothing of it */
  if (g_str_equal (op, "delete"))
    {
      ch.deleted = TRUE;
      g_array_append_val (out->changes, ch);
      return TRUE;
    }
  if (!g_str_equal (op, "upsert"))
    return bad (error, _ ("a change has an unknown operation"));
  if ((data = member (obj, "data", error)) == NULL)
    return FALSE;
  values = g_new0 (OknoValue, ch.collection->n_fields);
  g_ptr_array_add (out->owned, values);
  if (!decode_row (data, ch.collection, values, error))
    return FALSE;
  if (g_strcmp0 (values[0].text, ch.key) != 0)
    return bad (error, _ ("a change's key is not its row's key"));
  ch.values = values;
  ch.json = json_to_string (data, FALSE);
  g_ptr_array_add (out->owned, (gpointer)ch.json);
  g_array_append_val (out->changes, ch);
  return TRUE;
}

OknoWireChanges *
okno_wire_parse_changes (GBytes *body, GError **error)
{
  g_autoptr (OknoWireChanges) out = g_new0 (OknoWireChanges, 1);
  JsonObject *obj;
  JsonNode *list;

  out->parser = json_parser_new_immutable ();
  out->changes = g_array_new (FALSE, TRUE, sizeof (OknoChange));
  out->owned = g_ptr_array_new_with_free_func (g_free);
  if ((obj = parse_object (out->parser, body, error)) == NULL
      || !get_int (obj, "cursor", &out->cursor, error)
      || !get_bool (obj, "has_more", &out->has_more, error)
      || (list = member (obj, "changes", error)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (list))
    {
      wrong_type ("changes", error);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    if (!decode_change (out, json_array_get_element (json_node_get_array (list), i), error))
      return NULL;
  if (out->cursor < 0)
    {
      bad (error, _ ("the cursor is negative"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* --- push results -------------------------------------------------------- */

struct _OknoWirePushResults
{
  JsonParser *parser;
  GArray *results; /* OknoPushResult */
};

void
okno_wire_push_results_free (OknoWirePushResults *results)
{
  if (results == NULL)
    return;
  g_clear_object (&results->parser);
  g_array_unref (results->results);
  g_free (results);
}

const OknoPushResult *
okno_wire_push_results_get (OknoWirePushResults *results, guint *n)
{
  *n = results->results->len;
  return (const OknoPushResult *)(gpointer)results->results->data;
}

static gboolean
decode_result (JsonNode *el, const char *expected_id, OknoPushResult *r, GError **error)
{
  const char *status;
  JsonObject *obj;

  if (!JSON_NODE_HOLDS_OBJECT (el))
    return wrong_type ("results", error);
  obj = json_node_get_object (el);
  if ((r->mutation_id = get_string (obj, "mutation_id", FALSE, error)) == NULL
      || (status = get_string (obj, "status", FALSE, error)) == NULL)
    return FALSE;
  if (g_strcmp0 (r->mutation_id, expected_id) != 0)
    return bad (error, _ ("the results do not answer the changes sent"));
  if (g_str_equal (status, "rejected"))
    {
      r->status = OKNO_PUSH_REJECTED;
      r->message = json_object_has_member (obj, "message")
                     ? get_string (obj, "message", FALSE, error)
                     : NULL;
      return r->message != NULL || !json_object_has_member (obj, "message");
    }
  if (g_str_equal (status, "applied"))
    r->status = OKNO_PUSH_APPLIED;
  else if (g_str_equal (status, "duplicate"))
    r->status = OKNO_PUSH_DUPLICATE;
  else if (g_str_equal (status, "conflict"))
    r->status = OKNO_PUSH_CONFLICT;
  else
    return bad (error, _ ("a result has an unknown status"));
  if (!get_int (obj, "version", &r->version, error))
    return FALSE;
  return r->version > 0 || bad (error, _ ("a result has no version"));
}

OknoWirePushResults *
okno_wire_parse_push_results (GBytes *body, const char *const *sent_ids, guint n_sent,
                              GError **error)
{
  g_autoptr (OknoWirePushResults) out = g_new0 (OknoWirePushResults, 1);
  JsonObject *obj;
  JsonNode *list;
  JsonArray *array;

  out->parser = json_parser_new_immutable ();
  out->results = g_array_new (FALSE, TRUE, sizeof (OknoPushResult));
  if ((obj = parse_object (out->parser, body, error)) == NULL
      || (list = member (obj, "results", error)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (list))
    {
      wrong_type ("results", error);
      return NULL;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) != n_sent)
    {
      bad (error, _ ("the results do not answer the changes sent"));
      return NULL;
    }
  g_array_set_size (out->results, n_sent);
  for (guint i = 0; i < n_sent; i++)
    if (!decode_result (json_array_get_element (array, i), sent_ids[i],
                        &g_array_index (out->results, OknoPushResult, i), error))
      return NULL;
  return g_steal_pointer (&out);
}
