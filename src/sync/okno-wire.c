/* Strict decoding of the server's JSON answers (docs/api/openapi.yaml). */

#include "okno-wire.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

struct _OknoWirePage
{
  JsonParser *parser; /* owns every string the values point to */
  OknoValue *values;
  guint n_rows;
  char *next_after;
  gboolean has_more;
};

static gboolean
bad (GError **error, const char *what)
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

static gboolean
wrong_type (const char *name, GError **error)
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
okno_wire_parse_session (GBytes *body, char **access_token, gint64 *expires_in, OknoStaff **staff,
                         GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonObject *obj = parse_object (parser, body, error);
  JsonNode *staff_node;
  JsonObject *s;
  const char *token, *type, *id, *login, *name, *role, *branch;
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

  *access_token = g_strdup (token);
  *staff = g_new0 (OknoStaff, 1);
  (*staff)->id = g_strdup (id);
  (*staff)->login = g_strdup (login);
  (*staff)->full_name = g_strdup (name);
  (*staff)->role = g_strdup (role);
  (*staff)->branch_id = g_strdup (branch);
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
decode_rows (OknoWirePage *page, JsonArray *items, const OknoCollection *c, GError **error)
{
  guint n = json_array_get_length (items);

  page->values = g_new (OknoValue, (gsize)n * c->n_fields);
  for (guint r = 0; r < n; r++)
    {
      JsonNode *el = json_array_get_element (items, r);
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
          if (!decode_value (field, node, &page->values[(gsize)r * c->n_fields + f], error))
            return FALSE;
        }
    }
  page->n_rows = n;
  return TRUE;
}

OknoWirePage *
okno_wire_parse_snapshot_page (GBytes *body, const OknoCollection *collection, GError **error)
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
  if (!get_bool (obj, "has_more", &page->has_more, error)
      || !decode_rows (page, json_node_get_array (items), collection, error))
    return NULL;
  if (page->n_rows > 0 && next == NULL)
    {
      bad (error, _ ("a page with rows has no next key"));
      return NULL;
    }
  if (page->n_rows > 0)
    {
      const OknoValue *last_key = &page->values[(gsize)(page->n_rows - 1) * collection->n_fields];

      /* Resuming from next_after must never skip a row of this page. */
      if (g_strcmp0 (last_key->text, next) != 0)
        {
          bad (error, _ ("the next key is not the key of the last row"));
          return NULL;
        }
    }
  if (page->has_more && page->n_rows == 0)
    {
      bad (error, _ ("an empty page says more rows follow"));
      return NULL;
    }
  page->next_after = g_strdup (next);
  return g_steal_pointer (&page);
}
