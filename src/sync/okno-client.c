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
  GMutex lock; /* guards token: sign-in and downloads run in worker threads */
  char *token;
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
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (okno_client_parent_class)->finalize (object);
}

static void
okno_client_class_init (OknoClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_client_finalize;
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
  else
    g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNREACHABLE,
                 _ ("Cannot reach the server at %s: %s"), self->base_url, cause->message);
  return FALSE;
}

static gboolean
status_error (OknoClient *self, guint status, GBytes *body, GError **error)
{
  g_autofree char *message = okno_wire_parse_error (body);
  const char *detail = message ? message : soup_status_get_phrase (status);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED,
                 _ ("The server did not accept the sign-in (%s)"), detail ? detail : "");
  else if (status >= 500)
    g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_SERVER,
                 _ ("The server failed to answer (%u %s)"), status, detail ? detail : "");
  else
    g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE,
                 _ ("The server refused the request (%u %s)"), status, detail ? detail : "");
  return FALSE;
}

static GBytes *
send (OknoClient *self, SoupSession *session, const char *method, const char *path,
      GBytes *request_body, GCancellable *cancellable, GError **error)
{
  g_autofree char *url = g_strconcat (self->base_url, API_PREFIX, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) local = NULL;
  const char *type;
  guint status;

  if (msg == NULL)
    {
      g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_INVALID_URL,
                   _ ("“%s” is not a server address. Enter one like http://server:8080"),
                   self->base_url);
      return NULL;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
    if (self->token)
      {
        g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
        soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                      auth);
      }
  }
  if (request_body)
    soup_message_set_request_body_from_bytes (msg, "application/json", request_body);

  body = soup_session_send_and_read (session, msg, cancellable, &local);
  if (body == NULL)
    {
      transport_error (self, local, error);
      return NULL;
    }
  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      status_error (self, status, body, error);
      return NULL;
    }
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (g_strcmp0 (type, "application/json") != 0)
    {
      g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE,
                   _ ("The server sent an invalid answer: %s"), _ ("it is not JSON"));
      return NULL;
    }
  return g_steal_pointer (&body);
}

/* --- sign-in ---------------------------------------------------------- */

static GBytes *
sign_in_body (OknoClient *self, const char *login, const char *password)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  gsize len;
  char *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "login");
  json_builder_add_string_value (b, login);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_set_member_name (b, "device_id");
  json_builder_add_string_value (b, self->device_id);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

OknoStaff *
okno_client_sign_in (OknoClient *self, const char *login, const char *password,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr (SoupSession) session = new_session ();
  g_autoptr (GBytes) request = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *token = NULL;
  OknoStaff *staff = NULL;
  gint64 expires_in;

  g_return_val_if_fail (OKNO_IS_CLIENT (self), NULL);

  request = sign_in_body (self, login, password);
  body = send (self, session, "POST", "/session", request, cancellable, error);
  if (body == NULL)
    return NULL;
  if (!okno_wire_parse_session (body, &token, &expires_in, &staff, error))
    return NULL;
  g_mutex_lock (&self->lock);
  g_free (self->token);
  self->token = g_steal_pointer (&token);
  g_mutex_unlock (&self->lock);
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

static gboolean
download_collection (OknoClient *self, SoupSession *session, OknoStore *store,
                     const OknoCollection *c, Progress *p, GCancellable *cancellable,
                     GError **error)
{
  g_autofree char *after = NULL;
  gboolean done;
  gint64 rows;

  if (!okno_store_snapshot_position (store, c->name, &after, &done, &rows, error))
    return FALSE;
  while (!done)
    {
      g_autofree char *escaped = after ? g_uri_escape_string (after, NULL, FALSE) : NULL;
      g_autofree char *path = g_strdup_printf ("/snapshot/%s?limit=%d%s%s", c->name, PAGE_LIMIT,
                                               escaped ? "&after=" : "", escaped ? escaped : "");
      g_autoptr (GBytes) body = send (self, session, "GET", path, NULL, cancellable, error);
      g_autoptr (OknoWirePage) page = NULL;
      const OknoValue *values;
      guint n_rows;

      if (body == NULL || (page = okno_wire_parse_snapshot_page (body, c, error)) == NULL)
        return FALSE;
      values = okno_wire_page_get_values (page, &n_rows);
      done = !okno_wire_page_has_more (page);
      /* A server that answers the same key again would loop forever. */
      if (!done && after && g_strcmp0 (okno_wire_page_get_next_after (page), after) <= 0)
        {
          g_set_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BAD_RESPONSE,
                       _ ("The server sent an invalid answer: %s"),
                       _ ("the pages do not move forward"));
          return FALSE;
        }
      if (!okno_store_apply_snapshot_page (store, c, values, n_rows,
                                           okno_wire_page_get_next_after (page), done, error))
        return FALSE;
      g_free (after);
      after = g_strdup (okno_wire_page_get_next_after (page));
      p->done += n_rows;
      if (p->progress)
        p->progress (MIN (p->done, p->total), p->total, p->data);
    }
  return TRUE;
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

      /* A newer server may share more than this version knows; what we
       * cannot store we leave, without failing the rest. */
      if (c == NULL)
        continue;
      if (!download_collection (self, session, store, c, &p, cancellable, error))
        return FALSE;
    }
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
