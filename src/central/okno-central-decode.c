/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The decoders of request bodies and query parameters (moved out of
 * okno-central-server.c so that a fuzz target can reach them). The
 * messages go to the client as they are. */

#include "okno-central-decode.h"

#include <string.h>

#include "okno-collection.h"

/* clang-format off */
G_DEFINE_QUARK (okno-central-decode-error-quark, okno_central_decode_error)
/* clang-format on */

static gboolean invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, OKNO_CENTRAL_DECODE_ERROR, OKNO_CENTRAL_DECODE_ERROR_INVALID,
                       message);
  return FALSE;
}

/* json-glib parses recursively, so a body of a million "[" overflows the
 * stack (it did: a clerk's token and 1 MiB of "[" killed the server); and
 * it takes what JSON is not, such as 'strings' and comments, in which
 * brackets would hide from a count. So before it sees a body: no quote or
 * slash outside a "string", and no deeper nesting than the API's own
 * (a patch of a field in a batch is 5 levels down). A \u0000 would reach
 * the routes as a string cut short at it ("<account id>\u0000junk" was
 * taken as the account id), so no string may hold one. And json-glib
 * takes a stream of values, keeping the last and leaking the others
 * ({"a":1}{"b":2} and 1 {"a":1} leaked the first value), so a body is
 * one object: white space, then "{", and nothing but white space after its
 * "}". */
#define MAX_NESTING 32

static gboolean
check_text (const char *data, gsize length, GError **error)
{
  gboolean in_string = FALSE;
  gboolean closed = FALSE;
  guint depth = 0;
  gsize first = 0;

  while (first < length && g_ascii_isspace (data[first]))
    first++;
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (g_ascii_isspace (c) && !in_string)
        continue;
      if (closed || (i == first && c != '{'))
        return invalid (error, "The request body must be one JSON object");
      if (in_string && c == '\\' && length - i > 5 && memcmp (data + i + 1, "u0000", 5) == 0)
        return invalid (error, "The request body holds a NUL character (\\u0000)");
      else if (in_string && c == '\\')
        i++;
      else if (c == '"')
        in_string = !in_string;
      else if (in_string)
        continue;
      else if (c == '\'' || c == '/')
        return invalid (error, "The request body is not valid JSON");
      else if ((c == '[' || c == '{') && ++depth > MAX_NESTING)
        return invalid (error, "The request body is nested more than %u levels deep", MAX_NESTING);
      else if ((c == ']' || c == '}') && depth > 0)
        closed = --depth == 0;
    }
  return TRUE;
}

JsonObject *
okno_central_decode_object (GBytes *body, JsonParser *parser, GError **error)
{
  gsize length = 0;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;
  JsonNode *root;

  if (length > 0 && !check_text (data, length, error))
    return NULL;
  if (length == 0 || !g_utf8_validate (data, (gssize)length, NULL)
      || !json_parser_load_from_data (parser, data, (gssize)length, NULL))
    {
      invalid (error, "The request body is not valid JSON");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, "The request body must be a JSON object");
      return NULL;
    }
  return json_node_get_object (root);
}

/* --- POST /session and /session/refresh ------------------------------------ */

/* A string member of at most max_chars characters, not empty. */
static const char *
string_member (JsonObject *object, const char *name, guint max_chars, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      invalid (error, "The member “%s” must be a string", name);
      return NULL;
    }
  value = json_node_get_string (node);
  if (value[0] == '\0' || g_utf8_strlen (value, -1) > (glong)max_chars)
    {
      invalid (error, "The member “%s” must have 1 to %u characters", name, max_chars);
      return NULL;
    }
  return value;
}

static gboolean
check_device (const char *device_id, GError **error)
{
  if (g_uuid_string_is_valid (device_id))
    return TRUE;
  return invalid (error, "The member “device_id” must be a UUID");
}

gboolean
okno_central_decode_sign_in (GBytes *body, JsonParser *parser, const char **login,
                             const char **password, const char **device_id, GError **error)
{
  JsonObject *object = okno_central_decode_object (body, parser, error);

  return object != NULL && (*login = string_member (object, "login", 64, error)) != NULL
         && (*password = string_member (object, "password", 256, error)) != NULL
         && (*device_id = string_member (object, "device_id", 64, error)) != NULL
         && check_device (*device_id, error);
}

gboolean
okno_central_decode_refresh (GBytes *body, JsonParser *parser, const char **refresh_token,
                             const char **device_id, GError **error)
{
  JsonObject *object = okno_central_decode_object (body, parser, error);

  return object != NULL
         && (*refresh_token = string_member (object, "refresh_token", 256, error)) != NULL
         && (*device_id = string_member (object, "device_id", 64, error)) != NULL
         && check_device (*device_id, error);
}

/* --- POST /mutations ------------------------------------------------------------ */

static gboolean
uuid_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING
         && okno_text_is_uuid (json_node_get_string (node));
}

/* The shape of a batch; what is inside each mutation is judged one by one. */
static gboolean
check_batch (JsonObject *body, GError **error)
{
  JsonNode *node = json_object_get_member (body, "mutations");
  JsonArray *mutations;

  if (!uuid_member (body, "device_id"))
    return invalid (error, "The member “device_id” must be a lower-case UUID");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "The member “mutations” must be an array");
  mutations = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (mutations); i++)
    {
      JsonNode *element = json_array_get_element (mutations, i);

      if (!JSON_NODE_HOLDS_OBJECT (element)
          || !uuid_member (json_node_get_object (element), "mutation_id"))
        return invalid (error,
                        "Mutation %u must be an object with a lower-case UUID "
                        "“mutation_id”",
                        i);
    }
  return TRUE;
}

static gboolean
too_large (GError **error, guint max_mutations, gsize max_bytes)
{
  g_set_error (error, OKNO_CENTRAL_DECODE_ERROR, OKNO_CENTRAL_DECODE_ERROR_TOO_LARGE,
               "A batch holds at most %u mutations and %" G_GSIZE_FORMAT " bytes", max_mutations,
               max_bytes);
  return FALSE;
}

JsonArray *
okno_central_decode_mutations (GBytes *body, JsonParser *parser, gsize max_bytes,
                               guint max_mutations, const char **device_id, GError **error)
{
  JsonObject *batch;
  JsonNode *node;

  /* A chunked body has no length up front: it is measured here. */
  if (body != NULL && g_bytes_get_size (body) > max_bytes)
    {
      too_large (error, max_mutations, max_bytes);
      return NULL;
    }
  batch = okno_central_decode_object (body, parser, error);
  if (batch == NULL)
    return NULL;
  node = json_object_get_member (batch, "mutations");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node)
      && json_array_get_length (json_node_get_array (node)) > max_mutations)
    {
      too_large (error, max_mutations, max_bytes);
      return NULL;
    }
  if (!check_batch (batch, error))
    return NULL;
  *device_id = json_object_get_string_member (batch, "device_id");
  return json_node_get_array (node);
}

/* --- query parameters ----------------------------------------------------------- */

gboolean
okno_central_decode_limit (GHashTable *query, guint default_limit, guint max, guint *limit)
{
  const char *text = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 value = 0;

  *limit = default_limit;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, max, &value, NULL))
    return FALSE;
  *limit = (guint)value;
  return TRUE;
}

gboolean
okno_central_decode_cursor (GHashTable *query, gint64 *cursor)
{
  const char *text = query ? g_hash_table_lookup (query, "cursor") : NULL;

  return text != NULL && g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, cursor, NULL);
}

gboolean
okno_central_decode_after (GHashTable *query, const char **after)
{
  *after = query ? g_hash_table_lookup (query, "after") : NULL;
  return *after == NULL || (strlen (*after) <= 64 && g_utf8_validate (*after, -1, NULL));
}

gboolean
okno_central_decode_format (GHashTable *query, gboolean *dense)
{
  const char *text = query ? g_hash_table_lookup (query, "format") : NULL;

  *dense = g_strcmp0 (text, "dense") == 0;
  return text == NULL || *dense || strcmp (text, "items") == 0;
}
