/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Offline sign-in: a salted, deliberately slow verifier of a password
 * (yescrypt, through libxcrypt), kept in the replica after each online
 * sign-in so that the same person can sign in while the server is out of
 * reach. The password itself is never kept. A verifier is a crypt(5)
 * string: "$y$<params>$<salt>$<hash>". */

/* A new verifier with a fresh random salt. Slow on purpose (tens of
 * milliseconds): call it from a worker thread, or use the async form. */
char *okno_password_verifier_new (const char *password, GError **error);

/* Whether password matches verifier. The hashes are compared in constant
 * time; a verifier that is not a yescrypt string never matches. Slow, as
 * okno_password_verifier_new. */
gboolean okno_password_verifier_check (const char *verifier, const char *password);

/* The same, in a worker thread; the task keeps its own copy of password
 * and wipes it when done. */
void okno_password_verifier_new_async (const char *password, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
char *okno_password_verifier_new_finish (GAsyncResult *result, GError **error);

void okno_password_verifier_check_async (const char *verifier, const char *password,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
/* FALSE with no error when the password does not match. */
gboolean okno_password_verifier_check_finish (GAsyncResult *result, GError **error);

G_END_DECLS
