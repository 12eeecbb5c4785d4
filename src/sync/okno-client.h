#pragma once

#include <gio/gio.h>

#include "okno-store.h"

G_BEGIN_DECLS

#define OKNO_SYNC_ERROR (okno_sync_error_quark ())

typedef enum
{
  OKNO_SYNC_ERROR_UNREACHABLE,  /* no answer: network down, refused, timed out */
  OKNO_SYNC_ERROR_BAD_RESPONSE, /* the server answered something that breaks the contract */
  OKNO_SYNC_ERROR_UNAUTHORIZED, /* wrong login or password, or the session expired */
  OKNO_SYNC_ERROR_SERVER,       /* the server reported its own failure (5xx) */
  OKNO_SYNC_ERROR_INVALID_URL,
  OKNO_SYNC_ERROR_CANCELLED,
} OknoSyncError;

GQuark okno_sync_error_quark (void);

/* Who signed in, as the server told us. */
typedef struct
{
  char *id;
  char *login;
  char *full_name;
  char *role;      /* clerk | administrator | supervisor */
  char *branch_id; /* may be NULL */
} OknoStaff;

OknoStaff *okno_staff_copy (const OknoStaff *staff);
void okno_staff_free (OknoStaff *staff);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoStaff, okno_staff_free)

#define OKNO_TYPE_CLIENT (okno_client_get_type ())
G_DECLARE_FINAL_TYPE (OknoClient, okno_client, OKNO, CLIENT, GObject)

/* base_url is the server's root, e.g. "http://127.0.0.1:8080"; "/api/v1" is
 * added by the client. Returns NULL with OKNO_SYNC_ERROR_INVALID_URL for
 * anything but an absolute http(s) URL. */
OknoClient *okno_client_new (const char *base_url, GError **error);
const char *okno_client_get_base_url (OknoClient *self);
gboolean okno_client_is_signed_in (OknoClient *self);
/* The device's id, kept in the replica's meta ("device_id"). */
void okno_client_set_device_id (OknoClient *self, const char *device_id);

void okno_client_sign_in_async (OknoClient *self, const char *login, const char *password,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
OknoStaff *okno_client_sign_in_finish (OknoClient *self, GAsyncResult *result, GError **error);

/* The initial download of the replica. progress is called on the thread
 * default main context of the caller with rows stored so far and the total
 * the server announced; it resumes where an interrupted download stopped. */
typedef void (*OknoDownloadProgress) (gint64 done, gint64 total, gpointer user_data);

void okno_client_download_async (OknoClient *self, OknoStore *store, OknoDownloadProgress progress,
                                 gpointer progress_data, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean okno_client_download_finish (OknoClient *self, GAsyncResult *result, GError **error);

/* Blocking forms for okno-cli, tests and benchmarks. */
OknoStaff *okno_client_sign_in (OknoClient *self, const char *login, const char *password,
                                GCancellable *cancellable, GError **error);
gboolean okno_client_download (OknoClient *self, OknoStore *store, OknoDownloadProgress progress,
                               gpointer progress_data, GCancellable *cancellable, GError **error);

G_END_DECLS
