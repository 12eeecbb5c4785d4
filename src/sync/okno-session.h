/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "okno-client.h"
#include "okno-store.h"

G_BEGIN_DECLS

#define OKNO_SESSION_ERROR (okno_session_error_quark ())

typedef enum
{
  /* The server is out of reach and this login never signed in online here. */
  OKNO_SESSION_ERROR_NEVER_ONLINE,
  /* Checked on this computer (offline sign-in, unlock): the wrong password. */
  OKNO_SESSION_ERROR_WRONG_PASSWORD,
  /* Checked on this computer: too many wrong passwords, wait (okno-throttle.h). */
  OKNO_SESSION_ERROR_THROTTLED,
} OknoSessionError;

GQuark okno_session_error_quark (void);

/* Which keyring items hold the session's tokens (okno-credentials.h): the
 * app's pair, or okno-cli's own, bound to the replica's device id. */
typedef enum
{
  OKNO_SESSION_KEYRING_APP,
  OKNO_SESSION_KEYRING_CLI,
} OknoSessionKeyring;

#define OKNO_TYPE_SESSION_KEYRING (okno_session_keyring_get_type ())
GType okno_session_keyring_get_type (void);

/* Who works at this counter and with which replica; the app and okno-cli
 * share it.
 *
 * Every start asks for a password. Signing in tries the server first; on
 * success the session's tokens go to the keyring (OknoCredentials) and a
 * slow password verifier, with the staff member's id, name and role, goes
 * to the replica's meta under that login (okno-meta-keys.h). When the
 * server is out of reach and the replica is complete, that verifier lets
 * the same person sign in offline. Signing out removes the tokens and
 * keeps the verifier.
 *
 * The replica is read and written in worker threads only: the getters
 * answer from what a worker loaded last. Its properties (staff-id,
 * staff-login, staff-name, staff-role, branch-name, signed-in, offline,
 * ready, client) notify when their value changes. */
#define OKNO_TYPE_SESSION (okno_session_get_type ())
G_DECLARE_FINAL_TYPE (OknoSession, okno_session, OKNO, SESSION, GObject)

/* The app's session. settings (ru.eens.Okno) names the branch; it may be
 * NULL, then the staff member's branch is shown. Reads the replica once,
 * in a worker, with the caller waiting for it; okno_session_new_async
 * waits for nothing and is the UI's form. */
OknoSession *okno_session_new (OknoStore *store, GSettings *settings);
void okno_session_new_async (OknoStore *store, GSettings *settings, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
OknoSession *okno_session_new_finish (GAsyncResult *result, GError **error);

OknoStore *okno_session_get_store (OknoSession *self);
/* NULL for okno-cli's session. */
GSettings *okno_session_get_settings (OknoSession *self);
/* TRUE once the replica holds a whole download (as loaded last). */
gboolean okno_session_is_ready (OknoSession *self);

/* The staff member who signed in last on this replica (NULL before anyone
 * did); while okno_session_is_signed_in, the one at the counter now. */
const char *okno_session_get_staff_id (OknoSession *self);
const char *okno_session_get_staff_login (OknoSession *self);
const char *okno_session_get_staff_name (OknoSession *self);
const char *okno_session_get_staff_role (OknoSession *self);
/* The role as the clerk reads it ("Clerk"), or NULL when unknown. */
const char *okno_session_get_role_label (OknoSession *self);
/* The branch from Preferences, else the staff member's; NULL if unknown. */
const char *okno_session_get_branch_name (OknoSession *self);

gboolean okno_session_is_signed_in (OknoSession *self);
/* Signed in by the verifier on this computer: the server was out of reach. */
gboolean okno_session_is_offline (OknoSession *self);
/* The client of the server signed in at; NULL when signed out. Offline, it
 * holds the tokens the keyring had, for when the server is back. */
OknoClient *okno_session_get_client (OknoSession *self);
/* The client holds tokens and may sync; offline, TRUE once the keyring's
 * tokens arrived. Notifies ("has-tokens") when that changes. */
gboolean okno_session_has_tokens (OknoSession *self);
/* The server and the login the session signed in (or was restored) at
 * and as, as given; NULL before. */
const char *okno_session_get_server_url (OknoSession *self);
const char *okno_session_get_login (OknoSession *self);
/* Whether the client's tokens are in the keyring and follow each refresh. */
gboolean okno_session_keeps_tokens (OknoSession *self);

/* Online first; offline (see above) when the server is unreachable.
 * Errors: OKNO_SYNC_ERROR from the server or the address,
 * OKNO_SESSION_ERROR offline, G_IO_ERROR from the replica. */
void okno_session_sign_in_async (OknoSession *self, const char *server_url, const char *login,
                                 const char *password, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean okno_session_sign_in_finish (OknoSession *self, GAsyncResult *result, GError **error);

/* Checks the signed-in staff member's password on this computer, without
 * the network (the idle lock). OKNO_SESSION_ERROR_WRONG_PASSWORD if wrong. */
void okno_session_unlock_async (OknoSession *self, const char *password, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
gboolean okno_session_unlock_finish (OknoSession *self, GAsyncResult *result, GError **error);

/* Puts the client's tokens in the keyring when they differ from those
 * stored last: a sync may have refreshed them. Call after each sync. */
void okno_session_keep_tokens (OknoSession *self);

/* Removes the tokens from the keyring and forgets the client; the verifier
 * stays. */
void okno_session_sign_out (OknoSession *self);

/* Reads the staff and branch again (after a download), in a worker; the
 * properties notify when it is done. */
void okno_session_reload (OknoSession *self);

/* --- blocking: for okno-cli and tests, never from the UI ------------------ */

/* Records who signed in and where, in the replica, so later starts know. */
gboolean okno_session_remember_staff (OknoSession *self, const OknoStaff *staff,
                                      const char *server_url, GError **error);
/* This computer's id in the replica's meta, created on first use. */
char *okno_session_ensure_device_id (OknoSession *self, GError **error);
/* Whether login has signed in online on this computer (has a verifier). */
gboolean okno_session_knows_login (OknoSession *self, const char *login);

/* --- okno-cli: blocking, for a process without a main loop ----------------- */

/* okno-cli's session: its own keyring items, no settings. A refresh's
 * rotated tokens go to the keyring at once, in the refreshing thread. */
OknoSession *okno_session_new_for_cli (OknoStore *store);
/* Whom okno-cli's clients trust (OknoClientTrust): its --ca-file and
 * --allow-plain-http. The app's session reads the settings "tls-ca-file"
 * and "allow-plain-http" instead, each time it makes a client. */
void okno_session_set_trust (OknoSession *self, const char *ca_file, gboolean allow_plain_http);
/* Online only, with a new client. Remembers the staff member as the app
 * does; the tokens stay in memory until okno_session_keep_sync. */
gboolean okno_session_sign_in_sync (OknoSession *self, const char *server_url, const char *login,
                                    const char *password, GError **error);
/* A new client with the tokens the keyring holds for (server_url, login)
 * and this replica: FALSE without an error when there are none. */
gboolean okno_session_restore_sync (OknoSession *self, const char *server_url, const char *login,
                                    GError **error);
/* Makes this the replica's stored session: the tokens to the keyring, and
 * where and as whom to the meta. */
gboolean okno_session_keep_sync (OknoSession *self, GError **error);
/* Removes the stored session's tokens from the keyring and its server and
 * login from the meta (the server is not told: see okno_client_sign_out). */
gboolean okno_session_forget_sync (OknoSession *self, GError **error);
/* Makes and keeps the verifier the app's offline sign-in checks. */
gboolean okno_session_keep_verifier_sync (OknoSession *self, const char *password, GError **error);

G_END_DECLS
