/* The routes of the Okno central API (docs/api/openapi.yaml). Requests are
 * answered on the main loop, one at a time, on the store's single
 * connection; every answer is complete JSON with a Content-Length. */

#include "okno-central-server.h"

#include <libsoup/soup.h>
#include <string.h>

#include "okno-central-error.h"

#define API_PREFIX "/api/v1"
/* Nothing the API accepts comes near this; larger bodies are refused before
 * they are read. */
#define MAX_REQUEST_BODY (64 * 1024)
/* Below this a gzip header and a compressor's start-up cost more than they save. */
#define GZIP_MIN_BODY 1024

struct _OknoCentralServer
{
  GObject parent_instance;
  SoupServer *server;
  OknoCentralStore *store;
  OknoCentralAuth *auth;
  int gzip_level;
  gboolean log_requests;
};

G_DEFINE_FINAL_TYPE (OknoCentralServer, okno_central_server, G_TYPE_OBJECT)

/* What the request log reports about one answer. */
typedef struct
{
  SoupServerMessage *msg;
  const char *path;
  GHashTable *query;
  guint rows;
  gsize bytes;
  gboolean gzipped;
} Request;

static void
okno_central_server_dispose (GObject *object)
{
  OknoCentralServer *self = OKNO_CENTRAL_SERVER (object);

  if (self->server)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->auth);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (okno_central_server_parent_class)->dispose (object);
}

static void
okno_central_server_class_init (OknoCentralServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = okno_central_server_dispose;
}

static void
okno_central_server_init (OknoCentralServer *self)
{
  self->gzip_level = -1;
  self->log_requests = TRUE;
}

void
okno_central_server_set_gzip_level (OknoCentralServer *self, int level)
{
  g_return_if_fail (OKNO_IS_CENTRAL_SERVER (self));
  g_return_if_fail (level >= -1 && level <= 9);
  self->gzip_level = level;
}

void
okno_central_server_set_log_requests (OknoCentralServer *self, gboolean log_requests)
{
  g_return_if_fail (OKNO_IS_CENTRAL_SERVER (self));
  self->log_requests = log_requests;
}

/* --- answers ------------------------------------------------------------ */

static gboolean
accepts_gzip (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept-Encoding");
  GSList *codings;
  gboolean gzip = FALSE;

  if (header == NULL)
    return FALSE;
  codings = soup_header_parse_quality_list (header, NULL);
  for (GSList *l = codings; l && !gzip; l = l->next)
    gzip = g_ascii_strcasecmp (l->data, "gzip") == 0;
  soup_header_free_list (codings);
  return gzip;
}

static GBytes *
gzip_bytes (const char *data, gsize length, int level, GError **error)
{
  g_autoptr (GZlibCompressor) compressor
    = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, level);
  g_autoptr (GByteArray) out = g_byte_array_sized_new (length / 4 + 256);
  gsize consumed = 0;

  for (;;)
    {
      gsize read = 0, written = 0;
      GConverterResult result;
      guint used = out->len;

      g_byte_array_set_size (out, MAX (used * 2, used + 64 * 1024));
      result = g_converter_convert (G_CONVERTER (compressor), data + consumed, length - consumed,
                                    out->data + used, out->len - used, G_CONVERTER_INPUT_AT_END,
                                    &read, &written, error);
      g_byte_array_set_size (out, used + (guint)written);
      consumed += read;
      if (result == G_CONVERTER_FINISHED)
        return g_byte_array_free_to_bytes (g_steal_pointer (&out));
      if (result == G_CONVERTER_ERROR)
        return NULL;
    }
}

static void
set_body (OknoCentralServer *self, Request *request, char *data, gsize length)
{
  SoupServerMessage *msg = request->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr (GBytes) packed = NULL;

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (self->gzip_level >= 0 && length >= GZIP_MIN_BODY && accepts_gzip (msg))
    packed = gzip_bytes (data, length, self->gzip_level, NULL);
  soup_message_headers_append (headers, "Vary", "Accept-Encoding");
  if (packed != NULL)
    {
      g_free (data);
      soup_message_headers_replace (headers, "Content-Encoding", "gzip");
      request->gzipped = TRUE;
      data = g_bytes_unref_to_data (g_steal_pointer (&packed), &request->bytes);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data,
                                        request->bytes);
      return;
    }
  request->bytes = length;
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, length);
}

static void
respond_json (OknoCentralServer *self, Request *request, guint status, JsonNode *root)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  soup_server_message_set_status (request->msg, status, NULL);
  set_body (self, request, data, length);
}

static void
respond_object (OknoCentralServer *self, Request *request, guint status, JsonObject *object)
{
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (root, object);
  respond_json (self, request, status, root);
}

static void
respond_error (OknoCentralServer *self, Request *request, guint status, const char *code,
               const char *message)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "error", code);
  json_object_set_string_member (body, "message", message);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                  "WWW-Authenticate", "Bearer realm=\"okno\"");
  respond_object (self, request, status, body);
}

/* The database failed: the details go to the log, not to the client. */
static void
respond_internal (OknoCentralServer *self, Request *request, const GError *error)
{
  g_printerr ("okno-central: %s %s failed: %s\n", soup_server_message_get_method (request->msg),
              request->path, error->message);
  respond_error (self, request, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                 "The server could not complete the request");
}

static gboolean
require_method (OknoCentralServer *self, Request *request, const char *method)
{
  if (strcmp (soup_server_message_get_method (request->msg), method) == 0)
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Allow",
                                method);
  respond_error (self, request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                 strcmp (method, "GET") == 0 ? "Only GET is allowed here"
                                             : "Only POST is allowed here");
  return FALSE;
}

static gboolean
require_session (OknoCentralServer *self, Request *request)
{
  const char *header = soup_message_headers_get_one (
    soup_server_message_get_request_headers (request->msg), "Authorization");
  g_autoptr (GError) error = NULL;
  g_autofree char *staff_id = okno_central_auth_check (self->auth, header, &error);

  if (staff_id != NULL)
    return TRUE;
  if (g_error_matches (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_UNAUTHORIZED))
    respond_error (self, request, SOUP_STATUS_UNAUTHORIZED, "unauthorized", error->message);
  else
    respond_internal (self, request, error);
  return FALSE;
}

/* --- GET /health --------------------------------------------------------------- */

static void
handle_health (OknoCentralServer *self, Request *request)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "status", "ok");
  json_object_set_string_member (body, "server_time", stamp);
  json_object_set_int_member (body, "api_version", OKNO_CENTRAL_API_VERSION);
  respond_object (self, request, SOUP_STATUS_OK, body);
}

/* --- POST /session ---------------------------------------------------------------- */

/* A string member of at most max_chars characters, not empty. */
static const char *
string_member (JsonObject *object, const char *name, guint max_chars, GString *problem)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_string_printf (problem, "The member “%s” must be a string", name);
      return NULL;
    }
  value = json_node_get_string (node);
  if (value[0] == '\0' || g_utf8_strlen (value, -1) > (glong)max_chars)
    {
      g_string_printf (problem, "The member “%s” must have 1 to %u characters", name, max_chars);
      return NULL;
    }
  return value;
}

static JsonObject *
parse_body_object (SoupServerMessage *msg, JsonParser *parser, GString *problem)
{
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);
  JsonNode *root;

  if (length == 0 || !g_utf8_validate (data, (gssize)length, NULL)
      || !json_parser_load_from_data (parser, data, (gssize)length, NULL))
    {
      g_string_assign (problem, "The request body is not valid JSON");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_string_assign (problem, "The request body must be a JSON object");
      return NULL;
    }
  return json_node_get_object (root);
}

static void
answer_session (OknoCentralServer *self, Request *request, const char *token, JsonObject *staff)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "access_token", token);
  json_object_set_string_member (body, "token_type", "Bearer");
  json_object_set_int_member (body, "expires_in", OKNO_CENTRAL_TOKEN_LIFETIME);
  json_object_set_object_member (body, "staff", staff);
  respond_object (self, request, SOUP_STATUS_OK, body);
}

static void
handle_session (OknoCentralServer *self, Request *request)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GString) problem = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  const char *login, *password, *device_id = NULL;
  JsonObject *staff = NULL;
  JsonObject *body;

  if (!require_method (self, request, "POST"))
    return;
  body = parse_body_object (request->msg, parser, problem);
  if (body == NULL || (login = string_member (body, "login", 64, problem)) == NULL
      || (password = string_member (body, "password", 256, problem)) == NULL
      || (device_id = string_member (body, "device_id", 64, problem)) == NULL)
    {
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "invalid_request", problem->str);
      return;
    }
  if (!g_uuid_string_is_valid (device_id))
    {
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                     "The member “device_id” must be a UUID");
      return;
    }
  token = okno_central_auth_sign_in (self->auth, login, password, device_id, &staff, &error);
  if (token != NULL)
    answer_session (self, request, token, staff);
  else if (g_error_matches (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_UNAUTHORIZED))
    respond_error (self, request, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials", error->message);
  else
    respond_internal (self, request, error);
  /* Neither the password nor the token is ever logged. */
}

/* --- GET /snapshot ---------------------------------------------------------------------- */

static JsonArray *
collection_counts (OknoCentralServer *self, GError **error)
{
  const OknoCollection *const *all = okno_collection_all (NULL);
  g_autoptr (JsonArray) collections = json_array_new ();

  for (guint i = 0; all[i] != NULL; i++)
    {
      JsonObject *entry = json_object_new ();
      gint64 count = 0;

      json_array_add_object_element (collections, entry);
      if (!okno_central_store_count (self->store, all[i], &count, error))
        return NULL;
      json_object_set_string_member (entry, "name", all[i]->name);
      json_object_set_int_member (entry, "count", count);
    }
  return g_steal_pointer (&collections);
}

static void
handle_snapshot_info (OknoCentralServer *self, Request *request)
{
  g_autoptr (GError) error = NULL;
  gint64 cursor;
  JsonArray *collections;
  JsonObject *body;

  if (!require_method (self, request, "GET") || !require_session (self, request))
    return;
  cursor = okno_central_store_get_cursor (self->store, &error);
  collections = cursor < 0 ? NULL : collection_counts (self, &error);
  if (collections == NULL)
    {
      respond_internal (self, request, error);
      return;
    }
  body = json_object_new ();
  json_object_set_int_member (body, "cursor", cursor);
  json_object_set_array_member (body, "collections", collections);
  respond_object (self, request, SOUP_STATUS_OK, body);
}

/* --- GET /snapshot/{collection} ------------------------------------------------------------ */

static gboolean
parse_limit (GHashTable *query, guint *limit)
{
  const char *text = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 value = 0;

  *limit = OKNO_CENTRAL_PAGE_DEFAULT;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, OKNO_CENTRAL_PAGE_MAX, &value, NULL))
    return FALSE;
  *limit = (guint)value;
  return TRUE;
}

static void
handle_snapshot_page (OknoCentralServer *self, Request *request, const char *name)
{
  const OknoCollection *collection = okno_collection_lookup (name);
  const char *after = request->query ? g_hash_table_lookup (request->query, "after") : NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) page = NULL;
  guint limit;

  if (!require_method (self, request, "GET") || !require_session (self, request))
    return;
  if (collection == NULL)
    {
      respond_error (self, request, SOUP_STATUS_NOT_FOUND, "not_found",
                     "There is no such collection");
      return;
    }
  if (!parse_limit (request->query, &limit))
    {
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "invalid_parameter",
                     "The parameter “limit” must be a whole number from 1 to 5000");
      return;
    }
  if (after != NULL && (strlen (after) > 64 || !g_utf8_validate (after, -1, NULL)))
    {
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "invalid_parameter",
                     "The parameter “after” must be a key of at most 64 characters");
      return;
    }
  page
    = okno_central_store_read_page (self->store, collection, after, limit, &request->rows, &error);
  if (page == NULL)
    respond_internal (self, request, error);
  else
    respond_json (self, request, SOUP_STATUS_OK, page);
}

/* --- routing --------------------------------------------------------------------------------- */

static void
route (OknoCentralServer *self, Request *request)
{
  const char *path = request->path;

  if (!g_str_has_prefix (path, API_PREFIX "/"))
    respond_error (self, request, SOUP_STATUS_NOT_FOUND, "not_found", "There is nothing here");
  else if (strcmp (path, API_PREFIX "/health") == 0)
    {
      if (require_method (self, request, "GET"))
        handle_health (self, request);
    }
  else if (strcmp (path, API_PREFIX "/session") == 0)
    handle_session (self, request);
  else if (strcmp (path, API_PREFIX "/snapshot") == 0)
    handle_snapshot_info (self, request);
  else if (g_str_has_prefix (path, API_PREFIX "/snapshot/")
           && strchr (path + strlen (API_PREFIX "/snapshot/"), '/') == NULL)
    handle_snapshot_page (self, request, path + strlen (API_PREFIX "/snapshot/"));
  else
    respond_error (self, request, SOUP_STATUS_NOT_FOUND, "not_found", "There is nothing here");
}

static void
log_request (OknoCentralServer *self, Request *request, gint64 started)
{
  double ms = (double)(g_get_monotonic_time () - started) / 1000.0;

  if (!self->log_requests)
    return;
  g_printerr ("okno-central: %s %s %u %" G_GSIZE_FORMAT " bytes%s",
              soup_server_message_get_method (request->msg), request->path,
              soup_server_message_get_status (request->msg), request->bytes,
              request->gzipped ? " gzip" : "");
  if (request->rows > 0)
    g_printerr (" %u rows", request->rows);
  g_printerr (" %.1f ms\n", ms);
}

static void
handle_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
           gpointer user_data)
{
  OknoCentralServer *self = user_data;
  Request request = { msg, path, query, 0, 0, FALSE };
  gint64 started = g_get_monotonic_time ();

  route (self, &request);
  log_request (self, &request, started);
}

/* Refuses a declared body that is too large before libsoup reads it. */
static void
early_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
          gpointer user_data)
{
  OknoCentralServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Request request = { msg, path, query, 0, 0, FALSE };

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH
      || soup_message_headers_get_content_length (headers) <= MAX_REQUEST_BODY)
    return;
  respond_error (self, &request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                 "The request body is too large");
  log_request (self, &request, g_get_monotonic_time ());
}

OknoCentralServer *
okno_central_server_new (OknoCentralStore *store, OknoCentralAuth *auth)
{
  OknoCentralServer *self = g_object_new (OKNO_TYPE_CENTRAL_SERVER, NULL);

  self->store = g_object_ref (store);
  self->auth = g_object_ref (auth);
  self->server = soup_server_new ("server-header", "okno-central/" OKNO_VERSION " ", NULL);
  soup_server_add_early_handler (self->server, NULL, early_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, handle_cb, self, NULL);
  return self;
}

gboolean
okno_central_server_listen (OknoCentralServer *self, GInetAddress *address, guint port,
                            GError **error)
{
  g_autoptr (GSocketAddress) socket_address = NULL;

  g_return_val_if_fail (OKNO_IS_CENTRAL_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  socket_address = g_inet_socket_address_new (address, (guint16)port);
  return soup_server_listen (self->server, socket_address, 0, error);
}

guint
okno_central_server_get_port (OknoCentralServer *self)
{
  GSList *listeners = soup_server_get_listeners (self->server);
  g_autoptr (GSocketAddress) address = NULL;

  /* Not soup_server_get_uris (): libsoup 3.2 leaks an address there. */
  if (listeners == NULL)
    return 0;
  address = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

void
okno_central_server_disconnect (OknoCentralServer *self)
{
  g_return_if_fail (OKNO_IS_CENTRAL_SERVER (self));
  soup_server_disconnect (self->server);
}
