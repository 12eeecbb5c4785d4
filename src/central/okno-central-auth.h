/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

#include "okno-central-store.h"
#include "okno-throttle.h"

G_BEGIN_DECLS

/* Seconds an access token stays valid unless set otherwise. */
#define OKNO_CENTRAL_TOKEN_LIFETIME 3600
/* Seconds a refresh token stays valid: 30 days. */
#define OKNO_CENTRAL_REFRESH_LIFETIME (30 * 24 * 3600)

/* What a sign-in or a refresh hands out (the API's Session). */
typedef struct
{
  char *access_token;
  char *refresh_token;
  gint64 expires_in;
  gint64 refresh_expires_in;
  JsonObject *staff;
  gint64 device_code; /* this desktop's desk code in the staff's branch */
} OknoCentralTokens;

void okno_central_tokens_free (OknoCentralTokens *tokens);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoCentralTokens, okno_central_tokens_free)

#define OKNO_TYPE_CENTRAL_AUTH (okno_central_auth_get_type ())
G_DECLARE_FINAL_TYPE (OknoCentralAuth, okno_central_auth, OKNO, CENTRAL_AUTH, GObject)

/* Staff sign-in and bearer tokens. Tokens are 32 random bytes in hex; the
 * server keeps only their SHA-256 digests, so a copy of the database does
 * not let anyone act as a signed-in clerk. */
OknoCentralAuth *okno_central_auth_new (OknoCentralStore *store);

/* Tests shorten the access tokens' life to see them expire. */
void okno_central_auth_set_token_ttl (OknoCentralAuth *self, guint seconds);

/* The sign-in throttle's policy (okno-throttle.h); the defaults unless
 * set. Setting it forgets the failures counted so far. */
void okno_central_auth_set_throttle_policy (OknoCentralAuth *self,
                                            const OknoThrottlePolicy *policy);

/* New tokens and the staff member as the API's Staff object. A wrong
 * login, a wrong password and an inactive staff member all give the same
 * OKNO_CENTRAL_ERROR_UNAUTHORIZED, and count as failures of the login and
 * of address (the client's IP address, as text). After too many of them,
 * OKNO_CENTRAL_ERROR_THROTTLED, unchecked, with the seconds to wait in
 * *retry_after. Every failure is logged (g_message), never the password. */
OknoCentralTokens *okno_central_auth_sign_in (OknoCentralAuth *self, const char *login,
                                              const char *password, const char *device_id,
                                              const char *address, gint64 *retry_after,
                                              GError **error);

/* Rotation: new tokens for a valid refresh token of that device, which
 * stops working. Anything else is OKNO_CENTRAL_ERROR_UNAUTHORIZED, counted
 * against address like a failed sign-in, and throttled the same way. */
OknoCentralTokens *okno_central_auth_refresh (OknoCentralAuth *self, const char *refresh_token,
                                              const char *device_id, const char *address,
                                              gint64 *retry_after, GError **error);

/* Ends the session of an Authorization header: its access token and the
 * refresh token it came with. */
gboolean okno_central_auth_sign_out (OknoCentralAuth *self, const char *authorization,
                                     GError **error);

/* Checks an Authorization header ("Bearer <token>"); returns the staff
 * id, or NULL with OKNO_CENTRAL_ERROR_UNAUTHORIZED. device_id, if not
 * NULL, receives the device the session signed in from (a refresh keeps
 * it: it must name the same device), so a request may be held to it. */
char *okno_central_auth_check (OknoCentralAuth *self, const char *authorization, char **device_id,
                               GError **error);

G_END_DECLS
