/* SPDX-License-Identifier: GPL-3.0-or-later */

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

/* okno-cli keeps a session of its own, apart from the app's: refresh
 * tokens are single-use (each refresh revokes the one it used) and bound to
 * the replica's device id, so two processes holding one pair would revoke
 * each other's. Its items use the schema "ru.eens.Okno.Cli.Session" with
 * the same attributes plus
 *   device  the replica's device id ("device_id" in its meta)
 * and the app's requests, which name their own schema, never see them. The
 * forms below block: okno-cli has no main loop. */
#define OKNO_CREDENTIALS_CLI_SCHEMA_NAME "ru.eens.Okno.Cli.Session"

const SecretSchema *okno_credentials_get_cli_schema (void);

gboolean okno_credentials_cli_store (const char *server_url, const char *login,
                                     const char *device_id, const char *access_token,
                                     const char *refresh_token, GCancellable *cancellable,
                                     GError **error);
/* FALSE without an error when nothing is stored. */
gboolean okno_credentials_cli_lookup (const char *server_url, const char *login,
                                      const char *device_id, char **access_token,
                                      char **refresh_token, GCancellable *cancellable,
                                      GError **error);
gboolean okno_credentials_cli_clear (const char *server_url, const char *login,
                                     const char *device_id, GCancellable *cancellable,
                                     GError **error);

/* Wipes a token's memory before freeing it. */
void okno_credentials_free_token (char *token);

/* Closes the connection to the Secret Service, if one was opened; for the
 * end of a process. */
void okno_credentials_shutdown (void);

G_END_DECLS
