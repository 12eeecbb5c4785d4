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
} OknoSessionError;

GQuark okno_session_error_quark (void);

/* Who works at this counter and with which replica.
 *
 * Every start asks for a password. Signing in tries the server first; on
 * success the session's tokens go to the keyring (OknoCredentials) and a
 * slow password verifier, with the staff member's id, name and role, goes
 * to the replica's meta under that login. When the server is out of reach
 * and the replica is complete, that verifier lets the same person sign in
 * offline. Signing out removes the tokens and keeps the verifier. */
#define OKNO_TYPE_SESSION (okno_session_get_type ())
G_DECLARE_FINAL_TYPE (OknoSession, okno_session, OKNO, SESSION, GObject)

OknoSession *okno_session_new (OknoStore *store, GSettings *settings);

OknoStore *okno_session_get_store (OknoSession *self);
GSettings *okno_session_get_settings (OknoSession *self);
/* TRUE once the replica holds a whole download. */
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
/* Whether login has signed in online on this computer (has a verifier). */
gboolean okno_session_knows_login (OknoSession *self, const char *login);

/* Online first; offline (see above) when the server is unreachable. Emits
 * "changed" on success. Errors: OKNO_SYNC_ERROR from the server or the
 * address, OKNO_SESSION_ERROR offline, G_IO_ERROR from the replica. */
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
 * stays. Emits "changed". */
void okno_session_sign_out (OknoSession *self);

/* Records who signed in and where, in the replica, so later starts know. */
gboolean okno_session_remember_staff (OknoSession *self, const OknoStaff *staff,
                                      const char *server_url, GError **error);
/* This computer's id in the replica's meta, created on first use. */
char *okno_session_ensure_device_id (OknoSession *self, GError **error);
/* Reads the staff and branch again (after a download); emits "changed". */
void okno_session_reload (OknoSession *self);

G_END_DECLS
