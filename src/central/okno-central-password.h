/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Salted, deliberately slow password hashes (yescrypt through libxcrypt),
 * stored in crypt(3) form: "$y$…". */
char *okno_central_password_hash (const char *password, GError **error);

/* Compares in constant time; a malformed hash never matches. */
gboolean okno_central_password_verify (const char *password, const char *hash);

/* Costs as much as a real verification, so a wrong login takes as long
 * as a wrong password and does not reveal which logins exist. */
void okno_central_password_waste_time (const char *password);

G_END_DECLS
