/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The REST client of the central system (docs/api/openapi.yaml): the type,
 * its properties, and one request with its errors, Retry-After and clock. */

#include "okno-client-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "okno-wire.h"

G_DEFINE_FINAL_TYPE (OknoClient, okno_client, G_TYPE_OBJECT)

static void
okno_client_finalize (GObject *object)
{
  OknoClient *self = OKNO_CLIENT (object);

  g_free (self->base_url);
  g_free (self->device_id);
  g_free (self->ca_file);
  g_clear_object (&self->tls_database);
  g_free (self->token);
  g_free (self->refresh_token);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (okno_client_parent_class)->finalize (object);
}

enum
{
  TOKENS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_okno_client_tokens_changed (OknoClient *self)
{
  g_signal_emit (self, signals[TOKENS_CHANGED], 0);
}

static void
okno_client_class_init (OknoClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_client_finalize;

  /* A refresh rotated the tokens; the server has revoked the old refresh
   * token, so whoever keeps them must store the new pair now. Emitted in
   * the thread that made the request. */
  signals[TOKENS_CHANGED] = g_signal_new ("tokens-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
okno_client_init (OknoClient *self)
{
  g_mutex_init (&self->lock);
  self->device_id = g_uuid_string_random ();
}

gboolean
okno_client_host_is_loopback (const char *host)
{
  g_autoptr (GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  /* Any other name could resolve anywhere: only literal addresses count. */
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static GUri *
parse_url (const char *text, GError **error)
{
  g_autoptr (GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
      || g_uri_get_query (uri) != NULL)
    {
      g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_INVALID_URL,
                   _ ("“%s” is not a server address. Enter one like https://server:8443"), text);
      return NULL;
    }
  return g_steal_pointer (&uri);
}

/* Personal data crosses the network encrypted; over loopback it never
 * leaves the computer, and tests and a local okno-central live there. */
static gboolean
check_plain_http (GUri *uri, const char *text, gboolean allow_plain_http, GError **error)
{
  if (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 || allow_plain_http
      || okno_client_host_is_loopback (g_uri_get_host (uri)))
    return TRUE;
  g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_PLAIN_HTTP,
               _ ("Plain HTTP is allowed only to this computer. Use an https:// address instead "
                  "of “%s”, or ask your administrator to allow plain HTTP in Preferences."),
               text);
  return FALSE;
}

gboolean
okno_client_check_url (const char *base_url, gboolean allow_plain_http, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (base_url ? base_url : ""));
  g_autoptr (GUri) uri = parse_url (trimmed, error);

  return uri != NULL && check_plain_http (uri, trimmed, allow_plain_http, error);
}

OknoClient *
okno_client_new_with_trust (const char *base_url, const OknoClientTrust *trust, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (base_url ? base_url : ""));
  gboolean allow_plain_http = trust != NULL && trust->allow_plain_http;
  g_autoptr (GUri) uri = parse_url (trimmed, error);
  OknoClient *self;

  if (uri == NULL || !check_plain_http (uri, trimmed, allow_plain_http, error))
    return NULL;
  self = g_object_new (OKNO_TYPE_CLIENT, NULL);
  self->unencrypted = g_strcmp0 (g_uri_get_scheme (uri), "http") == 0
                      && !okno_client_host_is_loopback (g_uri_get_host (uri));
  if (trust != NULL && trust->ca_file != NULL && *trust->ca_file != '\0')
    self->ca_file = g_strdup (trust->ca_file);
  /* One trailing slash or none: the API paths are appended as they are. */
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  self->base_url = g_steal_pointer (&trimmed);
  return self;
}

OknoClient *
okno_client_new (const char *base_url, GError **error)
{
  return okno_client_new_with_trust (base_url, NULL, error);
}

gboolean
okno_client_is_unencrypted (OknoClient *self)
{
  g_return_val_if_fail (OKNO_IS_CLIENT (self), FALSE);
  return self->unencrypted;
}

const char *
okno_client_get_base_url (OknoClient *self)
{
  g_return_val_if_fail (OKNO_IS_CLIENT (self), NULL);
  return self->base_url;
}

gboolean
okno_client_is_signed_in (OknoClient *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->token != NULL;
}

void
okno_client_set_device_id (OknoClient *self, const char *device_id)
{
  g_return_if_fail (OKNO_IS_CLIENT (self));
  g_return_if_fail (device_id != NULL);
  g_free (self->device_id);
  self->device_id = g_strdup (device_id);
}

/* --- one request ------------------------------------------------------ */

SoupSession *
_okno_client_new_session (void)
{
  /* A session per operation and thread: libsoup sessions are bound to the
   * thread that uses them, and an operation is the unit we cancel. */
  return soup_session_new_with_options ("timeout", TIMEOUT_SECONDS, "idle-timeout", TIMEOUT_SECONDS,
                                        "user-agent", "Okno/" OKNO_VERSION, NULL);
}

/* What is wrong with the certificate, in words; NULL when the flags say
 * nothing more than "bad". */
static const char *
certificate_problem (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _ ("it is not signed by an authority this computer trusts");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _ ("it was issued for another server name");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return _ ("it has expired");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _ ("it is not valid yet");
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return _ ("it has been revoked");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return _ ("it uses an insecure algorithm");
  return NULL;
}

/* A certificate we do not trust ends the connection in the handshake,
 * before a byte of the request (a password, a payment) is written. */
static void
tls_error (OknoClient *self, GError *cause, GTlsCertificateFlags flags, GError **error)
{
  const char *problem = certificate_problem (flags);

  if (g_error_matches (cause, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) || problem != NULL)
    g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_TLS,
                 _ ("The server's certificate is not trusted: %s. Nothing was sent to %s."),
                 problem ? problem : cause->message, self->base_url);
  else
    g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_TLS,
                 _ ("The secure connection to the server at %s failed: %s"), self->base_url,
                 cause->message);
}

static gboolean
transport_error (OknoClient *self, GError *cause, GTlsCertificateFlags flags, GError **error)
{
  /* Cancelled stays what GIO calls it: one code for every layer; an
   * answer refused as too large is already ours. */
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED) || cause->domain == OKNO_SYNC_ERROR)
    g_propagate_error (error, g_error_copy (cause));
  else if (cause->domain == G_TLS_ERROR || flags != 0)
    tls_error (self, cause, flags, error);
  /* The server answered, but its body does not decompress: a bad answer,
   * not a network that is down (the header must not say "offline"). */
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_INVALID_DATA)
           || g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE,
                 _ ("The server sent an invalid answer: %s"), cause->message);
  else
    g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNREACHABLE,
                 _ ("Cannot reach the server at %s: %s"), self->base_url, cause->message);
  return FALSE;
}

static guint
parse_retry_after (SoupMessage *msg)
{
  const char *v
    = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  guint64 secs;

  /* Seconds only; an HTTP date or garbage waits a minute, never zero. */
  if (v == NULL || !g_ascii_string_to_unsigned (v, 10, 0, 24 * 3600, &secs, NULL))
    return 60;
  return (guint)secs;
}

static gboolean
status_error (OknoClient *self, SoupMessage *msg, GBytes *body, GError **error)
{
  guint status = soup_message_get_status (msg);
  g_autofree char *message = okno_wire_parse_error (body);
  const char *detail = message ? message : soup_status_get_phrase (status);

  if (!detail)
    detail = "";
  switch (status)
    {
      case SOUP_STATUS_UNAUTHORIZED:
        g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED,
                     _ ("The server did not accept the sign-in (%s)"), detail);
        break;
      case 429: /* Too Many Requests */
      case SOUP_STATUS_SERVICE_UNAVAILABLE:
        g_mutex_lock (&self->lock);
        self->retry_after = parse_retry_after (msg);
        g_debug ("the server asks to wait %u s", self->retry_after);
        g_mutex_unlock (&self->lock);
        g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_RETRY_LATER,
                     _ ("The server is busy and asked to try again later (%s)"), detail);
        break;
      case 410:
        g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_CURSOR_EXPIRED,
                     _ ("The server no longer keeps changes that old (%s)"), detail);
        break;
      case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
        g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_TOO_LARGE,
                     _ ("The server refused a batch as too large (%s)"), detail);
        break;
      case 426:
        g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UPGRADE_REQUIRED,
                     _ ("This version of Okno is too old for the server; update it (%s)"), detail);
        break;
      default:
        if (status >= 500)
          g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_SERVER,
                       _ ("The server failed to answer (%u %s)"), status, detail);
        else
          g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE,
                       _ ("The server refused the request (%u %s)"), status, detail);
    }
  return FALSE;
}

/* The server's Date only warns of a wrong desktop clock; it never orders
 * anything. */
static void
note_clock (OknoClient *self, SoupMessage *msg)
{
  g_autoptr (GDateTime) server = NULL;
  const char *date = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Date");

  if (date == NULL || (server = soup_date_time_new_from_http_string (date)) == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->clock_skew = g_date_time_to_unix (server) - g_get_real_time () / G_USEC_PER_SEC;
  g_mutex_unlock (&self->lock);
}

static SoupMessage *
new_message (OknoClient *self, const char *method, const char *path, GBytes *request_body,
             GError **error)
{
  g_autofree char *url = g_strconcat (self->base_url, API_PREFIX, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL)
    {
      g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_INVALID_URL,
                   _ ("“%s” is not a server address. Enter one like https://server:8443"),
                   self->base_url);
      return NULL;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  g_mutex_lock (&self->lock);
  if (self->token)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  g_mutex_unlock (&self->lock);
  if (request_body)
    soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
  return msg;
}

/* One line per request for G_MESSAGES_DEBUG=okno-sync: the path without
 * its query (which may hold a record's key), never a header or a body. */
static void
log_request (const char *method, const char *path, SoupMessage *msg, GBytes *body, gint64 started,
             const GError *cause)
{
  g_autofree char *resource = g_strndup (path, strcspn (path, "?"));
  gint64 ms = (g_get_monotonic_time () - started) / 1000;

  if (body == NULL)
    g_debug ("%s " API_PREFIX "%s: no answer after %" G_GINT64_FORMAT " ms (%s)", method, resource,
             ms, cause ? cause->message : "");
  else
    g_debug ("%s " API_PREFIX "%s: %u in %" G_GINT64_FORMAT " ms, %" G_GSIZE_FORMAT " bytes",
             method, resource, soup_message_get_status (msg), ms, g_bytes_get_size (body));
}

/* What a successful status still has to be: JSON, unless there is no
 * content at all. */
static GBytes *
check_answer (OknoClient *self, SoupMessage *msg, GBytes *body, GError **error)
{
  const char *type;

  note_clock (self, msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      status_error (self, msg, body, error);
      return NULL;
    }
  if (soup_message_get_status (msg) == SOUP_STATUS_NO_CONTENT)
    return g_bytes_ref (body);
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (g_strcmp0 (type, "application/json") != 0)
    {
      g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE,
                   _ ("The server sent an invalid answer: %s"), _ ("it is not JSON"));
      return NULL;
    }
  return g_bytes_ref (body);
}

/* The CA file, read once, by the first request that needs it. */
static GTlsDatabase *
tls_database (OknoClient *self, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr (GError) local = NULL;

  if (self->tls_database == NULL)
    self->tls_database = g_tls_file_database_new (self->ca_file, &local);
  if (self->tls_database == NULL)
    {
      g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_TLS,
                   _ ("The CA file %s cannot be used: %s"), self->ca_file, local->message);
      return NULL;
    }
  return g_object_ref (self->tls_database);
}

static gboolean
use_tls_database (OknoClient *self, SoupSession *session, GError **error)
{
  g_autoptr (GTlsDatabase) database = NULL;

  if (self->ca_file == NULL)
    return TRUE; /* libsoup's default: the system's CAs */
  if ((database = tls_database (self, error)) == NULL)
    return FALSE;
  if (soup_session_get_tls_database (session) != database)
    soup_session_set_tls_database (session, database);
  return TRUE;
}

/* How much of an answer's body is read at a time. */
#define READ_CHUNK (64 * 1024)

/* Reads the body libsoup has already decompressed, up to ANSWER_MAX_BYTES:
 * a gzip bomb (a small body that inflates to gigabytes) is refused when
 * the limit is passed, not after it has filled the memory. Beyond the
 * limit one byte more is read, to tell a body of exactly the limit from a
 * longer one. */
static GBytes *
read_bounded (GInputStream *stream, GCancellable *cancellable, gboolean *too_large, GError **error)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  guint8 beyond;
  gssize n;

  *too_large = FALSE;
  while (bytes->len < ANSWER_MAX_BYTES)
    {
      guint len = bytes->len;

      g_byte_array_set_size (bytes, len + MIN (READ_CHUNK, ANSWER_MAX_BYTES - len));
      n = g_input_stream_read (stream, bytes->data + len, bytes->len - len, cancellable, error);
      if (n < 0)
        return NULL;
      g_byte_array_set_size (bytes, len + (guint)n);
      if (n == 0)
        return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
    }
  n = g_input_stream_read (stream, &beyond, 1, cancellable, error);
  if (n < 0)
    return NULL;
  if (n > 0)
    {
      *too_large = TRUE;
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/* Sends msg and reads its whole answer, decompressed; an answer of more
 * than ANSWER_MAX_BYTES is an OKNO_SYNC_ERROR_BAD_RESPONSE, any other
 * failure the transport's error. */
static GBytes *
send_and_read (OknoClient *self, SoupSession *session, SoupMessage *msg, GCancellable *cancellable,
               GError **error)
{
  g_autoptr (GInputStream) stream = soup_session_send (session, msg, cancellable, error);
  gboolean too_large = FALSE;
  GBytes *body;

  if (stream == NULL)
    return NULL;
  body = read_bounded (stream, cancellable, &too_large, error);
  /* Closed before its end, the connection is dropped, not drained. */
  g_input_stream_close (stream, NULL, NULL);
  if (too_large)
    g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE,
                 _ ("The server at %s sent an answer larger than %d MB once unpacked. It was "
                    "refused and nothing of it was used."),
                 self->base_url, ANSWER_MAX_BYTES / (1024 * 1024));
  return body;
}

/* Refuses what the database did not verify (the default, made explicit):
 * the flags say why in the error. */
static gboolean
accept_certificate_cb (SoupMessage *msg, GTlsCertificate *certificate, GTlsCertificateFlags errors,
                       gpointer user_data)
{
  GTlsCertificateFlags *flags = user_data;

  *flags = errors;
  return FALSE;
}

GBytes *
_okno_client_send_once (OknoClient *self, SoupSession *session, const char *method,
                        const char *path, GBytes *request_body, GCancellable *cancellable,
                        GError **error)
{
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) local = NULL;
  gint64 started = g_get_monotonic_time ();
  GTlsCertificateFlags flags = 0;

  if (!use_tls_database (self, session, error)
      || (msg = new_message (self, method, path, request_body, error)) == NULL)
    return NULL;
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), &flags);
  body = send_and_read (self, session, msg, cancellable, &local);
  log_request (method, path, msg, body, started, local);
  if (body == NULL)
    {
      transport_error (self, local, flags, error);
      return NULL;
    }
  return check_answer (self, msg, body, error);
}

/* One request; an expired access token is refreshed once and the same
 * request sent again, so a queue survives a long time offline. */
GBytes *
_okno_client_send (OknoClient *self, SoupSession *session, const char *method, const char *path,
                   GBytes *request_body, GCancellable *cancellable, GError **error)
{
  GError *local = NULL;
  GBytes *body
    = _okno_client_send_once (self, session, method, path, request_body, cancellable, &local);
  gboolean can_refresh;

  /* Signing in and refreshing answer 401 for a wrong password or a dead
   * refresh token: nothing to refresh then. Signing out does refresh, so
   * that an expired access token still ends the session on the server. */
  if (body != NULL || !g_error_matches (local, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED)
      || (g_str_has_prefix (path, "/session") && g_strcmp0 (method, "DELETE") != 0))
    {
      if (local)
        g_propagate_error (error, local);
      return body;
    }
  g_mutex_lock (&self->lock);
  can_refresh = self->refresh_token != NULL;
  g_mutex_unlock (&self->lock);
  if (!can_refresh)
    g_debug ("the access token was refused and there is no refresh token");
  if (!can_refresh || !_okno_client_refresh (self, session, cancellable, NULL))
    {
      g_propagate_error (error, local);
      return NULL;
    }
  g_clear_error (&local);
  return _okno_client_send_once (self, session, method, path, request_body, cancellable, error);
}

GBytes *
_okno_client_node_bytes (JsonNode *root)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  gsize len;
  char *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

guint
okno_client_get_retry_after (OknoClient *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->retry_after;
}

gint64
okno_client_get_clock_skew (OknoClient *self)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->clock_skew;
}
