/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The routes of the Okno central API (docs/api/openapi.yaml). Requests are
 * answered on the main loop, one at a time, on the store's single
 * connection; every answer is complete JSON with a Content-Length. */

#include "okno-central-server.h"

#include <libsoup/soup.h>
#include <string.h>

#include "okno-central-decode.h"
#include "okno-central-error.h"
#include "okno-central-push.h"

#define API_PREFIX "/api/v1"
/* Nothing the API accepts comes near this; larger bodies are refused before
 * they are read. */
#define MAX_REQUEST_BODY (64 * 1024)
/* Below this a gzip header and a compressor's start-up cost more than they save. */
#define GZIP_MIN_BODY 1024
/* RFC 6585; libsoup 3.0 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

struct _OknoCentralServer
{
  GObject parent_instance;
  SoupServer *server;
  OknoCentralStore *store;
  OknoCentralAuth *auth;
  int gzip_level;
  gboolean log_requests;
  OknoCentralFaults *faults; /* NULL unless --faults */
  gboolean https;
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
  g_clear_object (&self->faults);
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
  self->gzip_level = OKNO_CENTRAL_GZIP_AUTO;
  self->log_requests = TRUE;
}

void
okno_central_server_set_gzip_level (OknoCentralServer *self, int level)
{
  g_return_if_fail (OKNO_IS_CENTRAL_SERVER (self));
  g_return_if_fail (level >= OKNO_CENTRAL_GZIP_AUTO && level <= 9);
  self->gzip_level = level;
}

void
okno_central_server_set_faults (OknoCentralServer *self, gboolean enabled)
{
  g_return_if_fail (OKNO_IS_CENTRAL_SERVER (self));
  g_clear_object (&self->faults);
  if (enabled)
    self->faults = okno_central_faults_new ();
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

/* Across a network compression pays; over loopback it only costs time
 * (docs/benchmarks.md), so by default only other machines get it. */
static int
gzip_level_for (OknoCentralServer *self, SoupServerMessage *msg)
{
  GSocketAddress *peer;

  if (self->gzip_level != OKNO_CENTRAL_GZIP_AUTO)
    return self->gzip_level;
  peer = soup_server_message_get_remote_address (msg);
  if (G_IS_INET_SOCKET_ADDRESS (peer)
      && g_inet_address_get_is_loopback (
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (peer))))
    return -1;
  return 1;
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
  int level = gzip_level_for (self, msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (level >= 0 && length >= GZIP_MIN_BODY && accepts_gzip (msg))
    packed = gzip_bytes (data, length, level, NULL);
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

/* allow lists the methods the path takes, as in an Allow header. */
static gboolean
require_method (OknoCentralServer *self, Request *request, const char *allow)
{
  g_auto (GStrv) methods = g_strsplit (allow, ", ", -1);
  g_autofree char *message = NULL;

  if (g_strv_contains ((const char *const *)methods, soup_server_message_get_method (request->msg)))
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Allow",
                                allow);
  message = g_strdup_printf ("Only %s is allowed here", allow);
  respond_error (self, request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", message);
  return FALSE;
}

static const char *
authorization (Request *request)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (request->msg),
                                       "Authorization");
}

/* staff_id and device_id, if not NULL, receive who signed in and from
 * which device. */
static gboolean
require_session (OknoCentralServer *self, Request *request, char **staff_id, char **device_id)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *who
    = okno_central_auth_check (self->auth, authorization (request), device_id, &error);

  if (who != NULL)
    {
      if (staff_id)
        *staff_id = g_steal_pointer (&who);
      return TRUE;
    }
  if (g_error_matches (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_UNAUTHORIZED))
    respond_error (self, request, SOUP_STATUS_UNAUTHORIZED, "invalid_token", error->message);
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

/* The request's body, whole. */
static GBytes *
request_body (Request *request)
{
  return soup_message_body_flatten (soup_server_message_get_request_body (request->msg));
}

static void
respond_invalid (OknoCentralServer *self, Request *request, const GError *error)
{
  respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "invalid_request", error->message);
}

static void
answer_session (OknoCentralServer *self, Request *request, OknoCentralTokens *tokens)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "access_token", tokens->access_token);
  json_object_set_string_member (body, "token_type", "Bearer");
  json_object_set_int_member (body, "expires_in", tokens->expires_in);
  json_object_set_string_member (body, "refresh_token", tokens->refresh_token);
  json_object_set_int_member (body, "refresh_expires_in", tokens->refresh_expires_in);
  json_object_set_object_member (body, "staff", json_object_ref (tokens->staff));
  json_object_set_int_member (body, "device_code", tokens->device_code);
  respond_object (self, request, SOUP_STATUS_OK, body);
}

/* The client's IP address as text, which the sign-in throttle counts. */
static char *
peer_address (Request *request)
{
  GSocketAddress *peer = soup_server_message_get_remote_address (request->msg);

  if (!G_IS_INET_SOCKET_ADDRESS (peer))
    return g_strdup ("unknown");
  return g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (peer)));
}

/* A failed sign-in or refresh: 401, or 429 with Retry-After when throttled. */
static void
respond_auth_error (OknoCentralServer *self, Request *request, const GError *error,
                    const char *code, gint64 retry_after)
{
  g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, retry_after);

  if (g_error_matches (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_UNAUTHORIZED))
    respond_error (self, request, SOUP_STATUS_UNAUTHORIZED, code, error->message);
  else if (g_error_matches (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_THROTTLED))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                    "Retry-After", seconds);
      respond_error (self, request, STATUS_TOO_MANY_REQUESTS, "too_many_attempts", error->message);
      soup_server_message_set_status (request->msg, STATUS_TOO_MANY_REQUESTS, "Too Many Requests");
    }
  else
    respond_internal (self, request, error);
}

static void
handle_sign_in (OknoCentralServer *self, Request *request)
{
  g_autofree char *address = peer_address (request);
  gint64 retry_after = 0;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GBytes) body = request_body (request);
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoCentralTokens) tokens = NULL;
  const char *login, *password, *device_id = NULL;

  if (!okno_central_decode_sign_in (body, parser, &login, &password, &device_id, &error))
    {
      respond_invalid (self, request, error);
      return;
    }
  tokens = okno_central_auth_sign_in (self->auth, login, password, device_id, address, &retry_after,
                                      &error);
  if (tokens != NULL)
    answer_session (self, request, tokens);
  else
    respond_auth_error (self, request, error, "invalid_credentials", retry_after);
  /* Neither the password nor the token is ever logged. */
}

static void
handle_sign_out (OknoCentralServer *self, Request *request)
{
  g_autoptr (GError) error = NULL;

  if (okno_central_auth_sign_out (self->auth, authorization (request), &error))
    soup_server_message_set_status (request->msg, SOUP_STATUS_NO_CONTENT, NULL);
  else if (g_error_matches (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_UNAUTHORIZED))
    respond_error (self, request, SOUP_STATUS_UNAUTHORIZED, "invalid_token", error->message);
  else
    respond_internal (self, request, error);
}

static void
handle_session (OknoCentralServer *self, Request *request)
{
  if (!require_method (self, request, "POST, DELETE"))
    return;
  if (strcmp (soup_server_message_get_method (request->msg), "DELETE") == 0)
    handle_sign_out (self, request);
  else
    handle_sign_in (self, request);
}

/* --- POST /session/refresh ----------------------------------------------------------- */

static void
handle_refresh (OknoCentralServer *self, Request *request)
{
  g_autofree char *address = peer_address (request);
  gint64 retry_after = 0;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoCentralTokens) tokens = NULL;
  const char *refresh_token, *device_id = NULL;

  if (!require_method (self, request, "POST"))
    return;
  body = request_body (request);
  if (!okno_central_decode_refresh (body, parser, &refresh_token, &device_id, &error))
    {
      respond_invalid (self, request, error);
      return;
    }
  tokens = okno_central_auth_refresh (self->auth, refresh_token, device_id, address, &retry_after,
                                      &error);
  if (tokens != NULL)
    answer_session (self, request, tokens);
  else
    respond_auth_error (self, request, error, "invalid_refresh_token", retry_after);
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

  if (!require_method (self, request, "GET") || !require_session (self, request, NULL, NULL))
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

static void
handle_snapshot_page (OknoCentralServer *self, Request *request, const char *name)
{
  const OknoCollection *collection = okno_collection_lookup (name);
  const char *after = NULL;
  g_autoptr (GError) error = NULL;
  char *page;
  gsize length = 0;
  gboolean dense = FALSE;
  guint limit;

  if (!require_method (self, request, "GET") || !require_session (self, request, NULL, NULL))
    return;
  if (collection == NULL)
    {
      respond_error (self, request, SOUP_STATUS_NOT_FOUND, "not_found",
                     "There is no such collection");
      return;
    }
  if (!okno_central_decode_limit (request->query, OKNO_CENTRAL_PAGE_DEFAULT, OKNO_CENTRAL_PAGE_MAX,
                                  &limit))
    {
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "invalid_parameter",
                     "The parameter “limit” must be a whole number from 1 to 5000");
      return;
    }
  if (!okno_central_decode_after (request->query, &after))
    {
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "invalid_parameter",
                     "The parameter “after” must be a key of at most 64 characters");
      return;
    }
  if (!okno_central_decode_format (request->query, &dense))
    {
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "invalid_parameter",
                     "The parameter “format” must be “items” or “dense”");
      return;
    }
  page = okno_central_store_read_page (self->store, collection, after, limit, dense, &request->rows,
                                       &length, &error);
  if (page == NULL)
    respond_internal (self, request, error);
  else
    {
      soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
      set_body (self, request, page, length);
    }
}

/* --- GET /changes ----------------------------------------------------------------------------- */

static void
handle_changes (OknoCentralServer *self, Request *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) page = NULL;
  gint64 cursor = 0;
  guint limit;

  if (!require_method (self, request, "GET") || !require_session (self, request, NULL, NULL))
    return;
  if (!okno_central_decode_cursor (request->query, &cursor)
      || !okno_central_decode_limit (request->query, OKNO_CENTRAL_PAGE_DEFAULT,
                                     OKNO_CENTRAL_PAGE_MAX, &limit))
    {
      respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "invalid_parameter",
                     "The parameter “cursor” must be a whole number from 0 and “limit” one "
                     "from 1 to 5000");
      return;
    }
  page = okno_central_store_read_changes (self->store, cursor, limit, &request->rows, &error);
  if (page != NULL)
    respond_json (self, request, SOUP_STATUS_OK, page);
  else if (g_error_matches (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_GONE))
    respond_error (self, request, SOUP_STATUS_GONE, "cursor_expired", error->message);
  else
    respond_internal (self, request, error);
}

/* --- POST /mutations --------------------------------------------------------------------------- */

static void
respond_too_large (OknoCentralServer *self, Request *request)
{
  respond_error (self, request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "batch_too_large",
                 "A batch holds at most 100 mutations and 1 MiB; send half as many");
}

static void
push_batch (OknoCentralServer *self, Request *request, const char *staff_id, const char *device_id,
            JsonArray *mutations)
{
  g_autoptr (GError) error = NULL;
  JsonArray *results;
  JsonObject *body;

  results = okno_central_push (self->store, staff_id, device_id, mutations, &error);
  if (results == NULL)
    {
      respond_internal (self, request, error);
      return;
    }
  request->rows = json_array_get_length (results);
  body = json_object_new ();
  json_object_set_array_member (body, "results", results);
  respond_object (self, request, SOUP_STATUS_OK, body);
}

/* The ledger keys mutations by (device_id, mutation_id), and a mutation's
 * author is the session's: a token used for another device's outbox would
 * write under that device's ids and could answer its resends. */
static void
respond_wrong_device (OknoCentralServer *self, Request *request)
{
  respond_error (self, request, SOUP_STATUS_FORBIDDEN, "wrong_device",
                 "The batch's device_id is not the device this token signed in from; "
                 "sign in from that device");
}

static void
handle_mutations (OknoCentralServer *self, Request *request)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *staff_id = NULL;
  g_autofree char *session_device = NULL;
  const char *device_id = NULL;
  JsonArray *mutations;

  if (!require_method (self, request, "POST")
      || !require_session (self, request, &staff_id, &session_device))
    return;
  body = request_body (request);
  mutations = okno_central_decode_mutations (body, parser, OKNO_CENTRAL_PUSH_MAX_BYTES,
                                             OKNO_CENTRAL_PUSH_MAX_MUTATIONS, &device_id, &error);
  if (g_error_matches (error, OKNO_CENTRAL_DECODE_ERROR, OKNO_CENTRAL_DECODE_ERROR_TOO_LARGE))
    respond_too_large (self, request);
  else if (mutations == NULL)
    respond_invalid (self, request, error);
  else if (strcmp (device_id, session_device) != 0)
    respond_wrong_device (self, request);
  else
    push_batch (self, request, staff_id, device_id, mutations);
}

/* --- POST and DELETE /_faults -------------------------------------------------------------------- */

static gboolean
peer_is_loopback (SoupServerMessage *msg)
{
  GSocketAddress *peer = soup_server_message_get_remote_address (msg);

  return G_IS_INET_SOCKET_ADDRESS (peer)
         && g_inet_address_get_is_loopback (
           g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (peer)));
}

static void
add_fault (OknoCentralServer *self, Request *request)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GBytes) body = request_body (request);
  g_autoptr (GError) error = NULL;
  JsonObject *spec = okno_central_decode_object (body, parser, &error);

  if (spec == NULL)
    respond_invalid (self, request, error);
  else if (!okno_central_faults_add (self->faults, spec, &error))
    respond_error (self, request, SOUP_STATUS_BAD_REQUEST, "invalid_request", error->message);
  else
    soup_server_message_set_status (request->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* Tests only: absent without --faults, and never for another host. */
static void
handle_faults (OknoCentralServer *self, Request *request)
{
  if (self->faults == NULL)
    respond_error (self, request, SOUP_STATUS_NOT_FOUND, "not_found", "There is nothing here");
  else if (!peer_is_loopback (request->msg))
    respond_error (self, request, SOUP_STATUS_FORBIDDEN, "forbidden",
                   "Faults can be staged from loopback only");
  else if (!require_method (self, request, "POST, DELETE"))
    return;
  else if (strcmp (soup_server_message_get_method (request->msg), "POST") == 0)
    add_fault (self, request);
  else
    {
      okno_central_faults_clear (self->faults);
      soup_server_message_set_status (request->msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
}

/* --- routing --------------------------------------------------------------------------------- */

/* Every client sends JSON as such; a body under another type is refused
 * before any decoder reads it, whatever it holds. */
static gboolean
body_is_json (SoupServerMessage *msg)
{
  const char *type
    = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);

  return soup_server_message_get_request_body (msg)->length == 0
         || (type != NULL && g_ascii_strcasecmp (type, "application/json") == 0);
}

static void
route (OknoCentralServer *self, Request *request)
{
  const char *path = request->path;

  if (!g_str_has_prefix (path, API_PREFIX "/"))
    respond_error (self, request, SOUP_STATUS_NOT_FOUND, "not_found", "There is nothing here");
  /* A chunked body has no length for early_cb to judge; /mutations
   * measures its own against its larger limit. */
  else if (strcmp (path, API_PREFIX "/mutations") != 0
           && soup_server_message_get_request_body (request->msg)->length > MAX_REQUEST_BODY)
    respond_error (self, request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                   "The request body is too large");
  else if (!body_is_json (request->msg))
    respond_error (self, request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                   "The request body must be application/json");
  else if (strcmp (path, API_PREFIX "/health") == 0)
    {
      if (require_method (self, request, "GET"))
        handle_health (self, request);
    }
  else if (strcmp (path, API_PREFIX "/session") == 0)
    handle_session (self, request);
  else if (strcmp (path, API_PREFIX "/session/refresh") == 0)
    handle_refresh (self, request);
  else if (strcmp (path, API_PREFIX "/changes") == 0)
    handle_changes (self, request);
  else if (strcmp (path, API_PREFIX "/mutations") == 0)
    handle_mutations (self, request);
  else if (strcmp (path, API_PREFIX "/_faults") == 0)
    handle_faults (self, request);
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

/* Clients compare it with their clock (docs/sync-protocol.md). */
static void
set_date (SoupServerMessage *msg)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Date", date);
}

/* --- staged faults ------------------------------------------------------------------------------ */

typedef struct
{
  OknoCentralServer *self;
  SoupServerMessage *msg;
  char *path;
  GHashTable *query;
} Delayed;

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_object_unref (delayed->self);
  g_object_unref (delayed->msg);
  g_free (delayed->path);
  g_clear_pointer (&delayed->query, g_hash_table_unref);
  g_free (delayed);
}

static gboolean
delayed_cb (gpointer data)
{
  Delayed *delayed = data;
  Request request = { delayed->msg, delayed->path, delayed->query, 0, 0, FALSE };

  route (delayed->self, &request);
  log_request (delayed->self, &request, g_get_monotonic_time ());
  soup_server_unpause_message (delayed->self->server, delayed->msg);
  return G_SOURCE_REMOVE;
}

/* The main loop goes on serving others while this request waits. */
static void
serve_later (OknoCentralServer *self, Request *request, guint delay_ms)
{
  Delayed *delayed = g_new0 (Delayed, 1);

  delayed->self = g_object_ref (self);
  delayed->msg = g_object_ref (request->msg);
  delayed->path = g_strdup (request->path);
  delayed->query = request->query ? g_hash_table_ref (request->query) : NULL;
  soup_server_pause_message (self->server, request->msg);
  g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, delayed_cb, delayed, delayed_free);
}

/* The connection ends without an answer, as when a proxy or the network
 * drops it. */
static void
reset_connection (SoupServerMessage *msg)
{
  g_autoptr (GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
append_header_cb (const char *name, const char *value, gpointer user_data)
{
  if (g_ascii_strcasecmp (name, "Content-Length") != 0
      && g_ascii_strcasecmp (name, "Connection") != 0)
    g_string_append_printf (user_data, "%s: %s\r\n", name, value);
}

/* The answer as prepared, its full Content-Length declared, but only the
 * first half of the body sent before the connection closes. */
static void
send_truncated (SoupServerMessage *msg)
{
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  g_autoptr (GString) head = g_string_new (NULL);
  g_autoptr (GIOStream) stream = NULL;
  guint status = soup_server_message_get_status (msg);
  GOutputStream *out;

  g_string_printf (head, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  soup_message_headers_foreach (soup_server_message_get_response_headers (msg), append_header_cb,
                                head);
  g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          g_bytes_get_size (body));
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  out = g_io_stream_get_output_stream (stream);
  if (g_output_stream_write_all (out, head->str, head->len, NULL, NULL, NULL))
    g_output_stream_write_all (out, g_bytes_get_data (body, NULL), g_bytes_get_size (body) / 2,
                               NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

/* Setting a response appends to the body already there. */
static void
discard_answer (SoupServerMessage *msg)
{
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_message_headers_remove (soup_server_message_get_response_headers (msg), "Content-Encoding");
}

static void
send_invalid_json (SoupServerMessage *msg)
{
  static const char garbage[] = "{\"results\": [ <html>502 Bad Gateway</html>";

  discard_answer (msg);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, garbage,
                                    sizeof garbage - 1);
}

/* RFC 1952: a 10-byte header (GZlibCompressor writes no name), the deflate
 * stream, then CRC-32 and length, 4 bytes each. */
#define GZIP_HEADER  10
#define GZIP_TRAILER 8

/* The answer as prepared, gzip-compressed whatever the client asked for and
 * then damaged, with a Content-Length that matches what is sent: the HTTP
 * framing is sound, only the gzip stream is not. */
static void
send_bad_gzip (OknoCentralServer *self, Request *request, OknoCentralFaultMode mode)
{
  SoupServerMessage *msg = request->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  g_autoptr (GBytes) packed = NULL;
  gsize size, deflated;
  guint8 *data;

  if (request->gzipped)
    packed = g_bytes_ref (body);
  else
    packed = gzip_bytes (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 6, NULL);
  if (packed == NULL || g_bytes_get_size (packed) < GZIP_HEADER + GZIP_TRAILER + 2)
    {
      reset_connection (msg);
      return;
    }
  data = g_bytes_unref_to_data (g_steal_pointer (&packed), &size);
  deflated = size - GZIP_HEADER - GZIP_TRAILER;
  if (mode == OKNO_CENTRAL_FAULT_GZIP_CORRUPT)
    /* Bytes in the middle of the compressed data flipped; the header and the
     * trailer stay as they were. */
    for (gsize i = GZIP_HEADER + deflated / 2;
         i < GZIP_HEADER + deflated / 2 + 4 && i < size - GZIP_TRAILER; i++)
      data[i] ^= 0xff;
  else if (mode == OKNO_CENTRAL_FAULT_GZIP_BAD_CRC)
    /* Every byte of the body right, only the check that proves it wrong. */
    data[size - GZIP_TRAILER] ^= 0xff;
  else
    /* The stream ends halfway, without its trailer. */
    size = GZIP_HEADER + deflated / 2;
  discard_answer (msg);
  soup_message_headers_replace (headers, "Content-Encoding", "gzip");
  request->gzipped = TRUE;
  request->bytes = size;
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, (char *)data, size);
}

static void
fail_after_commit (OknoCentralServer *self, Request *request, guint status)
{
  route (self, request);
  if (status == 0)
    {
      reset_connection (request->msg);
      return;
    }
  discard_answer (request->msg);
  respond_error (self, request, status, "internal_error",
                 "The server failed after committing (a staged fault)");
}

static void
serve_with_fault (OknoCentralServer *self, Request *request, const OknoCentralFault *fault)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);
  g_autofree char *seconds = g_strdup_printf ("%u", fault->retry_after);

  switch (fault->mode)
    {
      case OKNO_CENTRAL_FAULT_STATUS:
        respond_error (self, request, fault->status, "injected_fault", "A fault staged for a test");
        break;
      case OKNO_CENTRAL_FAULT_RETRY_AFTER:
        soup_message_headers_replace (headers, "Retry-After", seconds);
        respond_error (self, request, STATUS_TOO_MANY_REQUESTS, "rate_limited",
                       "Too many requests; retry after Retry-After seconds");
        soup_server_message_set_status (request->msg, STATUS_TOO_MANY_REQUESTS,
                                        "Too Many Requests");
        break;
      case OKNO_CENTRAL_FAULT_RESET:
        reset_connection (request->msg);
        break;
      case OKNO_CENTRAL_FAULT_DELAY:
        serve_later (self, request, fault->delay_ms);
        break;
      case OKNO_CENTRAL_FAULT_TRUNCATE:
        route (self, request);
        send_truncated (request->msg);
        break;
      case OKNO_CENTRAL_FAULT_INVALID_JSON:
        route (self, request);
        send_invalid_json (request->msg);
        break;
      case OKNO_CENTRAL_FAULT_GZIP_CORRUPT:
      case OKNO_CENTRAL_FAULT_GZIP_BAD_CRC:
      case OKNO_CENTRAL_FAULT_GZIP_CUT:
        route (self, request);
        send_bad_gzip (self, request, fault->mode);
        break;
      case OKNO_CENTRAL_FAULT_FAIL_AFTER_COMMIT:
      default:
        fail_after_commit (self, request, fault->status);
    }
}

static void
handle_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
           gpointer user_data)
{
  OknoCentralServer *self = user_data;
  Request request = { msg, path, query, 0, 0, FALSE };
  gint64 started = g_get_monotonic_time ();
  g_autoptr (OknoCentralFault) fault = NULL;

  set_date (msg);
  if (self->faults != NULL && strcmp (path, API_PREFIX "/_faults") != 0)
    fault = okno_central_faults_take (self->faults, path);
  if (fault == NULL)
    route (self, &request);
  else
    serve_with_fault (self, &request, fault);
  if (fault == NULL || fault->mode != OKNO_CENTRAL_FAULT_DELAY)
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
  gboolean push = strcmp (path, API_PREFIX "/mutations") == 0;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH
      || soup_message_headers_get_content_length (headers)
           <= (push ? OKNO_CENTRAL_PUSH_MAX_BYTES : MAX_REQUEST_BODY))
    return;
  set_date (msg);
  if (push)
    respond_too_large (self, &request);
  else
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

void
okno_central_server_set_tls_certificate (OknoCentralServer *self, GTlsCertificate *certificate)
{
  g_return_if_fail (OKNO_IS_CENTRAL_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  soup_server_set_tls_certificate (self->server, certificate);
  self->https = certificate != NULL;
}

gboolean
okno_central_server_is_https (OknoCentralServer *self)
{
  g_return_val_if_fail (OKNO_IS_CENTRAL_SERVER (self), FALSE);
  return self->https;
}

gboolean
okno_central_server_listen (OknoCentralServer *self, GInetAddress *address, guint port,
                            GError **error)
{
  g_autoptr (GSocketAddress) socket_address = NULL;

  g_return_val_if_fail (OKNO_IS_CENTRAL_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  socket_address = g_inet_socket_address_new (address, (guint16)port);
  /* One scheme per server: HTTPS only, when it has a certificate. */
  return soup_server_listen (self->server, socket_address,
                             self->https ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
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
