/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "okno-staff.h"
#include "okno-store.h"
#include "okno-sync-error.h"

G_BEGIN_DECLS

#define OKNO_TYPE_CLIENT (okno_client_get_type ())
G_DECLARE_FINAL_TYPE (OknoClient, okno_client, OKNO, CLIENT, GObject)

/* Whom the client trusts (docs/sync-protocol.md, "TLS"). */
typedef struct
{
  /* A PEM file of the CAs that sign the server's certificate, trusted
   * instead of the system's; NULL or "": the system's CAs. */
  const char *ca_file;
  /* http:// to a host other than this computer: an administrator's choice
   * (the "allow-plain-http" setting), never the default. */
  gboolean allow_plain_http;
} OknoClientTrust;

/* base_url is the server's root, e.g. "https://server:8443"; "/api/v1" is
 * added by the client. Returns NULL with OKNO_SYNC_ERROR_INVALID_URL for
 * anything but an absolute http(s) URL, and OKNO_SYNC_ERROR_PLAIN_HTTP for
 * http:// to anything but loopback unless trust allows it. trust may be
 * NULL: the system's CAs, plain HTTP to loopback only. The CA file is read
 * with the first request (in its thread); a file that cannot be read fails
 * that request with OKNO_SYNC_ERROR_TLS. */
OknoClient *okno_client_new_with_trust (const char *base_url, const OknoClientTrust *trust,
                                        GError **error);
/* The same with trust NULL. */
OknoClient *okno_client_new (const char *base_url, GError **error);
/* The address checks of okno_client_new_with_trust, without a client. */
gboolean okno_client_check_url (const char *base_url, gboolean allow_plain_http, GError **error);
/* Whether the host of an absolute URL is this computer: 127.0.0.0/8, ::1
 * or "localhost". */
gboolean okno_client_host_is_loopback (const char *host);
/* TRUE when the client talks plain http:// to another computer (allowed
 * in settings): what it sends crosses the network unencrypted. */
gboolean okno_client_is_unencrypted (OknoClient *self);
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

/* Ends the session on the server (both tokens stop working) and forgets
 * the tokens here; an expired access token is refreshed once first. Without
 * an answer the local tokens are forgotten anyway. */
gboolean okno_client_sign_out (OknoClient *self, GCancellable *cancellable, GError **error);
void okno_client_sign_out_async (OknoClient *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean okno_client_sign_out_finish (OknoClient *self, GAsyncResult *result, GError **error);

/* The session's tokens, for the keyring; NULL when there are none. Each
 * refresh emits "tokens-changed" (in the requesting thread). */
void okno_client_get_tokens (OknoClient *self, char **access_token, char **refresh_token);
void okno_client_set_tokens (OknoClient *self, const char *access_token, const char *refresh_token);
/* Seconds the server asked to wait with its last 429 or 503. */
guint okno_client_get_retry_after (OknoClient *self);
/* What a clerk reads when sign-in is throttled (a 429 of POST /session,
 * or offline on this computer): the wait, in minutes or seconds. */
char *okno_client_describe_sign_in_wait (gint64 seconds);
/* The server's clock minus ours, in seconds, from its last Date header. */
gint64 okno_client_get_clock_skew (OknoClient *self);
/* Beyond this many seconds the desktop's clock is shown as wrong
 * (docs/sync-protocol.md); within it, it is normal drift. Clocks never
 * order anything. */
#define OKNO_CLOCK_SKEW_LIMIT (5 * 60)

/* Sends pending outbox entries until none is left, in batches of at most
 * 100 (fewer when the server finds them too large). Only the entries of the
 * staff member signed in go (okno_store_outbox_next): the server refuses a
 * record under another's token, so those wait for their author. */
gboolean okno_client_push (OknoClient *self, OknoStore *store, guint *n_pushed,
                           GCancellable *cancellable, GError **error);
/* Applies the change feed from the replica's cursor; a cursor the feed no
 * longer reaches (410) makes a new snapshot, keeping the outbox. */
gboolean okno_client_pull (OknoClient *self, OknoStore *store, guint *n_changes,
                           GCancellable *cancellable, GError **error);

typedef struct
{
  guint pushed;
  guint pulled;
  gint64 pending;     /* still in the outbox afterwards */
  gint64 quarantined; /* waiting for staff */
  gint64 others;      /* of pending, those waiting for another staff member to sign in */
  gint64 conflicts;   /* unresolved appeal conflicts */
} OknoSyncReport;

/* One whole sync: push, then pull, under the replica's sync lock (shared
 * with okno-cli); the first download when the replica is not ready yet. */
gboolean okno_client_sync (OknoClient *self, OknoStore *store, OknoSyncReport *report,
                           GCancellable *cancellable, GError **error);
void okno_client_sync_async (OknoClient *self, OknoStore *store, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
gboolean okno_client_sync_finish (OknoClient *self, GAsyncResult *result, OknoSyncReport *report,
                                  GError **error);

/* Blocking forms for okno-cli, tests and benchmarks. */
OknoStaff *okno_client_sign_in (OknoClient *self, const char *login, const char *password,
                                GCancellable *cancellable, GError **error);
gboolean okno_client_download (OknoClient *self, OknoStore *store, OknoDownloadProgress progress,
                               gpointer progress_data, GCancellable *cancellable, GError **error);

G_END_DECLS
