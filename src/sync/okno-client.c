/* The REST client of the central system (docs/api/openapi.yaml). */

#include "okno-client.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "okno-wire.h"

#define API_PREFIX      "/api/v1"
#define PAGE_LIMIT      5000
#define TIMEOUT_SECONDS 60

struct _OknoClient
{
  GObject parent_instance;
  char *base_url;
  char *device_id;
  GMutex lock; /* guards the tokens and figures: requests run in worker threads */
  char *token;
  char *refresh_token;
  guint retry_after;
  gint64 clock_skew;
};

G_DEFINE_FINAL_TYPE (OknoClient, okno_client, G_TYPE_OBJECT)
/* clang-format off */
G_DEFINE_QUARK (okno-sync-error-quark, okno_sync_error)
/* clang-format on */

OknoStaff *
okno_staff_copy (const OknoStaff *staff)
{
  OknoStaff *copy = g_new0 (OknoStaff, 1);

  copy->id = g_strdup (staff->id);
  copy->login = g_strdup (staff->login);
  copy->full_name = g_strdup (staff->full_name);
  copy->role = g_strdup (staff->role);
  copy->branch_id = g_strdup (staff->branch_id);
  return copy;
}

void
okno_staff_free (OknoStaff *staff)
{
  if (staff == NULL)
    return;
  g_free (staff->id);
  g_free (staff->login);
  g_free (staff->full_name);
  g_free (staff->role);
  g_free (staff->branch_id);
  g_free (staff);
}

static void
okno_client_finalize (GObject *object)
{
  OknoClient *self = OKNO_CLIENT (object);

  g_free (self->base_url);
  g_free (self->device_id);
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

OknoClient *
okno_client_new (const char *base_url, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  OknoClient *self;
  const char *scheme;
  g_autofree char *trimmed = g_strstrip (g_strdup (base_url ? base_url : ""));

  uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
      || g_uri_get_query (uri) != NULL)
    {
      g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_INVALID_URL,
                   _ ("“%s” is not a server address. Enter one like http://server:8080"), trimmed);
      return NULL;
    }
  self = g_object_new (OKNO_TYPE_CLIENT, NULL);
  /* One trailing slash or none: the API paths are appended as they are. */
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  self->base_url = g_steal_pointer (&trimmed);
  return self;
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

static SoupSession *
new_session (void)
{
  /* A session per operation and thread: libsoup sessions are bound to the
   * thread that uses them, and an operation is the unit we cancel. */
  return soup_session_new_with_options ("timeout", TIMEOUT_SECONDS, "idle-timeout", TIMEOUT_SECONDS,
                                        "user-agent", "Okno/" OKNO_VERSION, NULL);
}

static gboolean
transport_error (OknoClient *self, GError *cause, GError **error)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_CANCELLED, _ ("Cancelled"));
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

static GBytes *
send_once (OknoClient *self, SoupSession *session, const char *method, const char *path,
           GBytes *request_body, GCancellable *cancellable, GError **error)
{
  g_autofree char *url = g_strconcat (self->base_url, API_PREFIX, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) local = NULL;
  const char *type;

  if (msg == NULL)
    {
      g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_INVALID_URL,
                   _ ("“%s” is not a server address. Enter one like http://server:8080"),
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

  body = soup_session_send_and_read (session, msg, cancellable, &local);
  if (body == NULL)
    {
      transport_error (self, local, error);
      return NULL;
    }
  note_clock (self, msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      status_error (self, msg, body, error);
      return NULL;
    }
  if (soup_message_get_status (msg) == SOUP_STATUS_NO_CONTENT)
    return g_steal_pointer (&body);
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (g_strcmp0 (type, "application/json") != 0)
    {
      g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE,
                   _ ("The server sent an invalid answer: %s"), _ ("it is not JSON"));
      return NULL;
    }
  return g_steal_pointer (&body);
}

static gboolean refresh (OknoClient *self, SoupSession *session, GCancellable *cancellable,
                         GError **error);

/* One request; an expired access token is refreshed once and the same
 * request sent again, so a queue survives a long time offline. */
static GBytes *
send (OknoClient *self, SoupSession *session, const char *method, const char *path,
      GBytes *request_body, GCancellable *cancellable, GError **error)
{
  GError *local = NULL;
  GBytes *body = send_once (self, session, method, path, request_body, cancellable, &local);
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
  if (!can_refresh || !refresh (self, session, cancellable, NULL))
    {
      g_propagate_error (error, local);
      return NULL;
    }
  g_clear_error (&local);
  return send_once (self, session, method, path, request_body, cancellable, error);
}

/* --- sign-in ---------------------------------------------------------- */

static GBytes *
node_bytes (JsonNode *root)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  gsize len;
  char *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

/* {"k1": "v1", ...} from NULL-terminated pairs of strings. */
static GBytes *
string_object (const char *first_key, ...)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  va_list ap;

  json_builder_begin_object (b);
  va_start (ap, first_key);
  for (const char *k = first_key; k; k = va_arg (ap, const char *))
    {
      json_builder_set_member_name (b, k);
      json_builder_add_string_value (b, va_arg (ap, const char *));
    }
  va_end (ap);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return node_bytes (root);
}

static gboolean
refresh (OknoClient *self, SoupSession *session, GCancellable *cancellable, GError **error)
{
  g_autofree char *old_refresh = NULL, *token = NULL, *refresh_token = NULL;
  g_autoptr (GBytes) request = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (OknoStaff) staff = NULL;
  gint64 expires_in;

  g_mutex_lock (&self->lock);
  old_refresh = g_strdup (self->refresh_token);
  g_mutex_unlock (&self->lock);
  request = string_object ("refresh_token", old_refresh, "device_id", self->device_id, NULL);
  body = send_once (self, session, "POST", "/session/refresh", request, cancellable, error);
  if (body == NULL
      || !okno_wire_parse_session (body, &token, &expires_in, &refresh_token, &staff, error))
    return FALSE;
  okno_client_set_tokens (self, token, refresh_token ? refresh_token : old_refresh);
  g_signal_emit (self, signals[TOKENS_CHANGED], 0);
  return TRUE;
}

void
okno_client_get_tokens (OknoClient *self, char **access_token, char **refresh_token)
{
  g_return_if_fail (OKNO_IS_CLIENT (self));
  g_mutex_lock (&self->lock);
  if (access_token)
    *access_token = g_strdup (self->token);
  if (refresh_token)
    *refresh_token = g_strdup (self->refresh_token);
  g_mutex_unlock (&self->lock);
}

void
okno_client_set_tokens (OknoClient *self, const char *access_token, const char *refresh_token)
{
  g_return_if_fail (OKNO_IS_CLIENT (self));
  g_mutex_lock (&self->lock);
  g_free (self->token);
  self->token = g_strdup (access_token);
  g_free (self->refresh_token);
  self->refresh_token = g_strdup (refresh_token);
  g_mutex_unlock (&self->lock);
}

gboolean
okno_client_sign_out (OknoClient *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (SoupSession) session = new_session ();
  g_autoptr (GBytes) body = NULL;

  g_return_val_if_fail (OKNO_IS_CLIENT (self), FALSE);

  if (!okno_client_is_signed_in (self))
    return TRUE;
  body = send (self, session, "DELETE", "/session", NULL, cancellable, error);
  okno_client_set_tokens (self, NULL, NULL);
  return body != NULL;
}

static void
sign_out_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (okno_client_sign_out (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
okno_client_sign_out_async (OknoClient *self, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, okno_client_sign_out_async);
  g_task_run_in_thread (task, sign_out_thread);
}

gboolean
okno_client_sign_out_finish (OknoClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
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

OknoStaff *
okno_client_sign_in (OknoClient *self, const char *login, const char *password,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr (SoupSession) session = new_session ();
  g_autoptr (GBytes) request = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *token = NULL;
  g_autofree char *refresh_token = NULL;
  OknoStaff *staff = NULL;
  gint64 expires_in;

  g_return_val_if_fail (OKNO_IS_CLIENT (self), NULL);

  request
    = string_object ("login", login, "password", password, "device_id", self->device_id, NULL);
  body = send (self, session, "POST", "/session", request, cancellable, error);
  if (body == NULL)
    return NULL;
  if (!okno_wire_parse_session (body, &token, &expires_in, &refresh_token, &staff, error))
    return NULL;
  okno_client_set_tokens (self, token, refresh_token);
  return staff;
}

typedef struct
{
  char *login;
  char *password;
} SignInData;

static void
sign_in_data_free (gpointer data)
{
  SignInData *d = data;

  g_free (d->login);
  /* The password leaves memory as soon as it is no longer needed. */
  if (d->password)
    memset (d->password, 0, strlen (d->password));
  g_free (d->password);
  g_free (d);
}

static void
sign_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SignInData *d = task_data;
  GError *error = NULL;
  OknoStaff *staff = okno_client_sign_in (source, d->login, d->password, cancellable, &error);

  if (staff == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, staff, (GDestroyNotify)okno_staff_free);
}

void
okno_client_sign_in_async (OknoClient *self, const char *login, const char *password,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  SignInData *d = g_new0 (SignInData, 1);

  d->login = g_strdup (login);
  d->password = g_strdup (password);
  g_task_set_source_tag (task, okno_client_sign_in_async);
  g_task_set_task_data (task, d, sign_in_data_free);
  g_task_run_in_thread (task, sign_in_thread);
}

OknoStaff *
okno_client_sign_in_finish (OknoClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- the initial download --------------------------------------------- */

typedef struct
{
  OknoDownloadProgress progress;
  gpointer data;
  gint64 done, total;
} Progress;

/* The download is a pipeline of two threads: a fetcher asks the server for
 * the next page and parses it while the caller's thread writes the previous
 * one into SQLite, so the network, json-glib and SQLite work at the same
 * time. At most PIPELINE_DEPTH parsed pages wait between them: memory stays
 * flat whatever the size of the replica. */
#define PIPELINE_DEPTH 2

typedef struct
{
  const OknoCollection *collection;
  char *after; /* where this collection resumes; NULL from the start */
} Planned;

typedef struct
{
  const OknoCollection *collection; /* NULL: the fetcher has finished */
  OknoWirePage *page;
  GError *error; /* the fetcher failed */
} Fetched;

typedef struct
{
  OknoClient *self;
  GPtrArray *plan;           /* of Planned, in the server's order */
  GAsyncQueue *pages;        /* of Fetched, fetcher → writer */
  GAsyncQueue *slots;        /* free places for pages, writer → fetcher */
  GCancellable *cancellable; /* stops the fetcher */
} Pipeline;

static void
planned_free (gpointer data)
{
  Planned *p = data;

  g_free (p->after);
  g_free (p);
}

static void
fetched_free (Fetched *f)
{
  g_clear_pointer (&f->page, okno_wire_page_free);
  g_clear_error (&f->error);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetched, fetched_free)

static void
hand_over (Pipeline *pl, const OknoCollection *c, OknoWirePage *page, GError *error)
{
  Fetched *f = g_new0 (Fetched, 1);

  f->collection = c;
  f->page = page;
  f->error = error;
  g_async_queue_push (pl->pages, f);
}

static OknoWirePage *
fetch_page (Pipeline *pl, SoupSession *session, const OknoCollection *c, const char *after,
            GError **error)
{
  g_autofree char *escaped = after ? g_uri_escape_string (after, NULL, FALSE) : NULL;
  g_autofree char *path = g_strdup_printf ("/snapshot/%s?limit=%d%s%s", c->name, PAGE_LIMIT,
                                           escaped ? "&after=" : "", escaped ? escaped : "");
  g_autoptr (GBytes) body = send (pl->self, session, "GET", path, NULL, pl->cancellable, error);
  g_autoptr (OknoWirePage) page = NULL;

  if (body == NULL || (page = okno_wire_parse_snapshot_page (body, c, error)) == NULL)
    return NULL;
  /* A server that answers the same key again would loop forever. */
  if (okno_wire_page_has_more (page) && after
      && g_strcmp0 (okno_wire_page_get_next_after (page), after) <= 0)
    {
      g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE,
                   _ ("The server sent an invalid answer: %s"),
                   _ ("the pages do not move forward"));
      return NULL;
    }
  return g_steal_pointer (&page);
}

static gpointer
fetcher_thread (gpointer data)
{
  Pipeline *pl = data;
  g_autoptr (SoupSession) session = new_session ();

  for (guint i = 0; i < pl->plan->len; i++)
    {
      Planned *p = g_ptr_array_index (pl->plan, i);
      g_autofree char *after = g_strdup (p->after);
      gboolean more = TRUE;

      while (more)
        {
          GError *error = NULL;
          OknoWirePage *page;

          /* Wait for a free place; the writer gives one back per page. */
          g_async_queue_pop (pl->slots);
          if (g_cancellable_set_error_if_cancelled (pl->cancellable, &error)
              || (page = fetch_page (pl, session, p->collection, after, &error)) == NULL)
            {
              hand_over (pl, p->collection, NULL, error);
              return NULL;
            }
          more = okno_wire_page_has_more (page);
          g_free (after);
          after = g_strdup (okno_wire_page_get_next_after (page));
          hand_over (pl, p->collection, page, NULL);
        }
    }
  hand_over (pl, NULL, NULL, NULL);
  return NULL;
}

static void
cancel_pipeline (GCancellable *cancellable, gpointer data)
{
  g_cancellable_cancel (data);
}

/* The writer's side: stores each page the fetcher parsed, in order. */
static gboolean
write_pages (Pipeline *pl, OknoStore *store, Progress *p, GError **error)
{
  for (;;)
    {
      g_autoptr (Fetched) f = g_async_queue_pop (pl->pages);
      const OknoValue *values;
      guint n_rows;

      if (f->error)
        {
          g_propagate_error (error, g_steal_pointer (&f->error));
          return FALSE;
        }
      if (f->collection == NULL)
        return TRUE;
      values = okno_wire_page_get_values (f->page, &n_rows);
      if (!okno_store_apply_snapshot_page (store, f->collection, values, n_rows,
                                           okno_wire_page_get_next_after (f->page),
                                           !okno_wire_page_has_more (f->page), error))
        return FALSE;
      g_async_queue_push (pl->slots, GUINT_TO_POINTER (1));
      p->done += n_rows;
      if (p->progress)
        p->progress (MIN (p->done, p->total), p->total, p->data);
    }
}

static gboolean
run_pipeline (OknoClient *self, OknoStore *store, GPtrArray *plan, Progress *p,
              GCancellable *cancellable, GError **error)
{
  Pipeline pl = { self, plan, g_async_queue_new_full ((GDestroyNotify)fetched_free),
                  g_async_queue_new (), g_cancellable_new () };
  gulong handler = 0;
  GThread *fetcher;
  gboolean ok;

  for (guint i = 0; i < PIPELINE_DEPTH; i++)
    g_async_queue_push (pl.slots, GUINT_TO_POINTER (1));
  if (cancellable)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_pipeline),
                                     g_object_ref (pl.cancellable), g_object_unref);
  fetcher = g_thread_new ("okno-fetch", fetcher_thread, &pl);
  ok = write_pages (&pl, store, p, error);
  /* Stop the fetcher wherever it is: in a request, or waiting for a place. */
  g_cancellable_cancel (pl.cancellable);
  g_async_queue_push (pl.slots, GUINT_TO_POINTER (1));
  g_thread_join (fetcher);
  if (cancellable)
    g_cancellable_disconnect (cancellable, handler);
  g_async_queue_unref (pl.pages); /* frees what the writer did not take */
  g_async_queue_unref (pl.slots);
  g_object_unref (pl.cancellable);
  return ok;
}

static gint64
rows_already_stored (OknoStore *store, OknoWireSnapshotInfo *info)
{
  gint64 sum = 0;

  for (guint i = 0; i < info->collections->len; i++)
    {
      OknoWireCollection *wc = g_ptr_array_index (info->collections, i);
      g_autofree char *after = NULL;
      gboolean done;
      gint64 rows = 0;

      if (okno_store_snapshot_position (store, wc->name, &after, &done, &rows, NULL))
        sum += rows;
    }
  return sum;
}

gboolean
okno_client_download (OknoClient *self, OknoStore *store, OknoDownloadProgress progress,
                      gpointer progress_data, GCancellable *cancellable, GError **error)
{
  g_autoptr (SoupSession) session = new_session ();
  g_autoptr (GBytes) body = NULL;
  g_autoptr (OknoWireSnapshotInfo) info = NULL;
  g_autoptr (GPtrArray) plan = g_ptr_array_new_with_free_func (planned_free);
  Progress p = { progress, progress_data, 0, 0 };

  g_return_val_if_fail (OKNO_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (OKNO_IS_STORE (store), FALSE);

  body = send (self, session, "GET", "/snapshot", NULL, cancellable, error);
  if (body == NULL || (info = okno_wire_parse_snapshot_info (body, error)) == NULL)
    return FALSE;
  if (!okno_store_snapshot_begin (store, info->cursor, error))
    return FALSE;
  for (guint i = 0; i < info->collections->len; i++)
    p.total += ((OknoWireCollection *)g_ptr_array_index (info->collections, i))->count;
  p.done = rows_already_stored (store, info);
  if (progress)
    progress (MIN (p.done, p.total), p.total, progress_data);

  for (guint i = 0; i < info->collections->len; i++)
    {
      OknoWireCollection *wc = g_ptr_array_index (info->collections, i);
      const OknoCollection *c = okno_collection_lookup (wc->name);
      g_autofree char *after = NULL;
      gboolean done;
      gint64 rows;
      Planned *planned;

      /* A newer server may share more than this version knows; what we
       * cannot store we leave, without failing the rest. */
      if (c == NULL)
        continue;
      if (!okno_store_snapshot_position (store, c->name, &after, &done, &rows, error))
        return FALSE;
      if (done)
        continue;
      planned = g_new0 (Planned, 1);
      planned->collection = c;
      planned->after = g_steal_pointer (&after);
      g_ptr_array_add (plan, planned);
    }
  if (!run_pipeline (self, store, plan, &p, cancellable, error))
    return FALSE;
  return okno_store_snapshot_finish (store, error);
}

typedef struct
{
  OknoStore *store;
  OknoDownloadProgress progress;
  gpointer progress_data;
  GMainContext *context;
} DownloadData;

typedef struct
{
  DownloadData *dd;
  gint64 done, total;
  GTask *task;
} ProgressEvent;

static void
download_data_free (gpointer data)
{
  DownloadData *dd = data;

  g_object_unref (dd->store);
  g_main_context_unref (dd->context);
  g_free (dd);
}

static gboolean
deliver_progress (gpointer data)
{
  ProgressEvent *ev = data;

  if (!g_task_get_completed (ev->task))
    ev->dd->progress (ev->done, ev->total, ev->dd->progress_data);
  g_object_unref (ev->task);
  g_free (ev);
  return G_SOURCE_REMOVE;
}

static void
thread_progress (gint64 done, gint64 total, gpointer data)
{
  GTask *task = data;
  DownloadData *dd = g_task_get_task_data (task);
  ProgressEvent *ev;

  if (dd->progress == NULL)
    return;
  ev = g_new0 (ProgressEvent, 1);
  ev->dd = dd;
  ev->done = done;
  ev->total = total;
  ev->task = g_object_ref (task);
  g_main_context_invoke (dd->context, deliver_progress, ev);
}

static void
download_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DownloadData *dd = task_data;
  GError *error = NULL;

  if (okno_client_download (source, dd->store, thread_progress, task, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
okno_client_download_async (OknoClient *self, OknoStore *store, OknoDownloadProgress progress,
                            gpointer progress_data, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  DownloadData *dd = g_new0 (DownloadData, 1);

  dd->store = g_object_ref (store);
  dd->progress = progress;
  dd->progress_data = progress_data;
  dd->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, okno_client_download_async);
  g_task_set_task_data (task, dd, download_data_free);
  g_task_run_in_thread (task, download_thread);
}

gboolean
okno_client_download_finish (OknoClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- push -------------------------------------------------------------- */

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
  return node_bytes (root);
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
  body = send (self, session, "POST", "/mutations", request, cancellable, error);
  if (body == NULL || (results = okno_wire_parse_push_results (body, ids, n, error)) == NULL)
    return FALSE;
  r = okno_wire_push_results_get (results, &n_results);
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
  g_autoptr (SoupSession) session = new_session ();
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
      if (n == 1 && !quarantine_too_large (store, g_ptr_array_index (entries, 0), error))
        return FALSE;
      batch = MAX (1, n / 2);
    }
  if (n_pushed)
    *n_pushed = pushed;
  return TRUE;
}

/* --- pull -------------------------------------------------------------- */

#define FEED_LIMIT 1000

gboolean
okno_client_pull (OknoClient *self, OknoStore *store, guint *n_changes, GCancellable *cancellable,
                  GError **error)
{
  g_autoptr (SoupSession) session = new_session ();
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
        return okno_client_download (self, store, NULL, NULL, cancellable, error);
      body = send (self, session, "GET", path, NULL, cancellable, &local);
      if (body == NULL && g_error_matches (local, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_CURSOR_EXPIRED))
        {
          /* Too far behind: a new snapshot; the outbox stays as it is. */
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
      if (!okno_store_apply_changes (store, changes, n, okno_wire_changes_get_cursor (page), error))
        return FALSE;
      pulled += n;
      more = okno_wire_changes_has_more (page) && okno_wire_changes_get_cursor (page) > cursor;
    }
  if (n_changes)
    *n_changes = pulled;
  return TRUE;
}

/* --- a whole sync ------------------------------------------------------ */

gboolean
okno_client_sync (OknoClient *self, OknoStore *store, OknoSyncReport *report,
                  GCancellable *cancellable, GError **error)
{
  OknoSyncReport r = { 0 };
  g_autoptr (GError) local = NULL;
  int lock = okno_store_lock_sync (store, &local);
  gboolean ok;

  if (lock < 0)
    {
      if (g_error_matches (local, OKNO_STORE_ERROR, OKNO_STORE_ERROR_BUSY))
        g_set_error_literal (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BUSY, local->message);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* Push first: what the branch did reaches the server, and the pull then
   * brings back the merged state. */
  ok = (okno_store_is_ready (store)
        || okno_client_download (self, store, NULL, NULL, cancellable, error))
       && okno_client_push (self, store, &r.pushed, cancellable, error)
       && okno_client_pull (self, store, &r.pulled, cancellable, error);
  if (ok)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

      g_autofree char *skew
        = g_strdup_printf ("%" G_GINT64_FORMAT, okno_client_get_clock_skew (self));

      /* Kept with the replica: a restart (and okno-cli status) still knows
       * how fresh it is and how far off the desktop's clock was. */
      okno_store_set_meta (store, "last_sync_at", at, NULL);
      okno_store_set_meta (store, "clock_skew", skew, NULL);
    }
  okno_store_unlock_sync (lock);
  r.pending = okno_store_outbox_count (store, "pending", NULL);
  r.quarantined = okno_store_outbox_count (store, "quarantined", NULL);
  r.conflicts = okno_store_count_conflicts (store, NULL);
  if (report)
    *report = r;
  return ok;
}

static void
sync_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  OknoSyncReport *report = g_new0 (OknoSyncReport, 1);
  GError *error = NULL;

  if (okno_client_sync (source, task_data, report, cancellable, &error))
    g_task_return_pointer (task, report, g_free);
  else
    {
      g_free (report);
      g_task_return_error (task, error);
    }
}

void
okno_client_sync_async (OknoClient *self, OknoStore *store, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, okno_client_sync_async);
  g_task_set_task_data (task, g_object_ref (store), g_object_unref);
  g_task_run_in_thread (task, sync_thread);
}

gboolean
okno_client_sync_finish (OknoClient *self, GAsyncResult *result, OknoSyncReport *report,
                         GError **error)
{
  g_autofree OknoSyncReport *r = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r && report)
    *report = *r;
  return r != NULL;
}
