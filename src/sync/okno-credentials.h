#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/* The session's tokens in the desktop's keyring (Secret Service, through
 * libsecret), one pair per server and login. Tokens never go to files or
 * logs; the keyring is the only place they are written.
 *
 * Items use the schema "ru.eens.Okno.Session" with the attributes
 *   server  the server's root URL, as OknoClient has it
 *   login   the staff member's login
 *   token   "access" or "refresh"
 */
#define OKNO_CREDENTIALS_SCHEMA_NAME "ru.eens.Okno.Session"

const SecretSchema *okno_credentials_get_schema (void);

/* Replaces both tokens for (server_url, login). refresh_token may be NULL:
 * any stored one is then removed, so a stale token never outlives its pair. */
void okno_credentials_store_async (const char *server_url, const char *login,
                                   const char *access_token, const char *refresh_token,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
gboolean okno_credentials_store_finish (GAsyncResult *result, GError **error);

/* Both tokens, or FALSE without an error when none is stored; each out
 * argument may be NULL. Free the tokens with okno_credentials_free_token. */
void okno_credentials_lookup_async (const char *server_url, const char *login,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean okno_credentials_lookup_finish (GAsyncResult *result, char **access_token,
                                         char **refresh_token, GError **error);

/* Removes both tokens for (server_url, login); nothing stored is no error. */
void okno_credentials_clear_async (const char *server_url, const char *login,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
gboolean okno_credentials_clear_finish (GAsyncResult *result, GError **error);

/* Wipes a token's memory before freeing it. */
void okno_credentials_free_token (char *token);

G_END_DECLS
