#pragma once

#include <json-glib/json-glib.h>

#include "okno-central-store.h"

G_BEGIN_DECLS

/* Seconds an access token stays valid. */
#define OKNO_CENTRAL_TOKEN_LIFETIME 3600

#define OKNO_TYPE_CENTRAL_AUTH (okno_central_auth_get_type ())
G_DECLARE_FINAL_TYPE (OknoCentralAuth, okno_central_auth, OKNO, CENTRAL_AUTH, GObject)

/* Staff sign-in and bearer tokens. Tokens are 32 random bytes in hex; the
 * server keeps only their SHA-256 digests, so a copy of the database does
 * not let anyone act as a signed-in clerk. */
OknoCentralAuth *okno_central_auth_new (OknoCentralStore *store);

/* Returns a new access token and the staff member as the API's Staff
 * object. A wrong login, a wrong password and an inactive staff member
 * all give the same OKNO_CENTRAL_ERROR_UNAUTHORIZED. */
char *okno_central_auth_sign_in (OknoCentralAuth *self, const char *login, const char *password,
                                 const char *device_id, JsonObject **staff, GError **error);

/* Checks an Authorization header ("Bearer <token>"); returns the staff
 * id, or NULL with OKNO_CENTRAL_ERROR_UNAUTHORIZED. */
char *okno_central_auth_check (OknoCentralAuth *self, const char *authorization, GError **error);

G_END_DECLS
