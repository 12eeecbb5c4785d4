/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Staff sign-in and access tokens. */

#include "okno-central-auth.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "okno-central-error.h"
#include "okno-central-password.h"
#include "okno-central-throttle.h"

#define TOKEN_BYTES 32

struct _OknoCentralAuth
{
  GObject parent_instance;
  OknoCentralStore *store;
  OknoCentralThrottle *throttle;
  guint token_ttl;
};

G_DEFINE_FINAL_TYPE (OknoCentralAuth, okno_central_auth, G_TYPE_OBJECT)

static void
okno_central_auth_dispose (GObject *object)
{
  OknoCentralAuth *self = OKNO_CENTRAL_AUTH (object);

  g_clear_object (&self->store);
  g_clear_object (&self->throttle);
  G_OBJECT_CLASS (okno_central_auth_parent_class)->dispose (object);
}

static void
okno_central_auth_class_init (OknoCentralAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = okno_central_auth_dispose;
}

static void
okno_central_auth_init (OknoCentralAuth *self)
{
  OknoThrottlePolicy policy;

  okno_throttle_policy_init (&policy);
  self->throttle = okno_central_throttle_new (&policy);
  self->token_ttl = OKNO_CENTRAL_TOKEN_LIFETIME;
}

void
okno_central_auth_set_throttle_policy (OknoCentralAuth *self, const OknoThrottlePolicy *policy)
{
  g_return_if_fail (OKNO_IS_CENTRAL_AUTH (self));
  g_clear_object (&self->throttle);
  self->throttle = okno_central_throttle_new (policy);
}

void
okno_central_auth_set_token_ttl (OknoCentralAuth *self, guint seconds)
{
  g_return_if_fail (OKNO_IS_CENTRAL_AUTH (self));
  g_return_if_fail (seconds > 0);
  self->token_ttl = seconds;
}

void
okno_central_tokens_free (OknoCentralTokens *tokens)
{
  if (tokens == NULL)
    return;
  g_free (tokens->access_token);
  g_free (tokens->refresh_token);
  g_clear_pointer (&tokens->staff, json_object_unref);
  g_free (tokens);
}

OknoCentralAuth *
okno_central_auth_new (OknoCentralStore *store)
{
  OknoCentralAuth *self = g_object_new (OKNO_TYPE_CENTRAL_AUTH, NULL);

  self->store = g_object_ref (store);
  return self;
}

static gboolean
unauthorized (GError **error, const char *message)
{
  g_set_error_literal (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_UNAUTHORIZED, message);
  return FALSE;
}

static char *
new_token (GError **error)
{
  guchar bytes[TOKEN_BYTES];
  gsize got = 0;
  char *hex;

  while (got < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + got, sizeof bytes - got, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_FAILED,
                       "Could not read random bytes: %s", g_strerror (saved));
          return NULL;
        }
      got += (gsize)n;
    }
  hex = g_malloc (2 * TOKEN_BYTES + 1);
  for (guint i = 0; i < TOKEN_BYTES; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", bytes[i]);
  explicit_bzero (bytes, sizeof bytes);
  return hex;
}

static char *
token_digest (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static char *
iso8601 (gint64 unix_time)
{
  g_autoptr (GDateTime) at = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");
}

static JsonObject *
staff_object (sqlite3_stmt *stmt)
{
  JsonObject *staff = json_object_new ();
  static const char *const members[] = { "id", "login", "full_name", "role", "branch_id" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      if (sqlite3_column_type (stmt, (int)i) == SQLITE_NULL)
        json_object_set_null_member (staff, members[i]);
      else
        json_object_set_string_member (staff, members[i],
                                       (const char *)sqlite3_column_text (stmt, (int)i));
    }
  return staff;
}

/* Looks the login up and checks the password; always spends the time of
 * one hash verification. */
static JsonObject *
verify (OknoCentralAuth *self, const char *login, const char *password, GError **error)
{
  OknoDb *db = okno_central_store_get_db (self->store);
  sqlite3_stmt *stmt = okno_db_prepare (
    db,
    "SELECT s.id, s.login, s.full_name, s.role, s.branch_id, s.active, c.password_hash"
    " FROM staff s LEFT JOIN credentials c ON c.staff_id = s.id WHERE s.login = ?1",
    error);
  JsonObject *staff = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
  rc = okno_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 6) != SQLITE_NULL)
    {
      gboolean match
        = okno_central_password_verify (password, (const char *)sqlite3_column_text (stmt, 6));
      if (match && sqlite3_column_int (stmt, 5) != 0)
        staff = staff_object (stmt);
    }
  else
    okno_central_password_waste_time (password);
  sqlite3_reset (stmt);
  if (staff == NULL)
    unauthorized (error, "The login or the password is wrong");
  return staff;
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
run_bound (OknoDb *db, const char *sql, const char *text, gint64 number, GError **error)
{
  sqlite3_stmt *stmt = okno_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (text)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, number);
  if (okno_db_step (db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
purge_expired (OknoDb *db, GError **error)
{
  return run_bound (db, "DELETE FROM sessions WHERE expires_at <= ?1", NULL, now_seconds (), error)
         && run_bound (db, "DELETE FROM refresh_tokens WHERE expires_at <= ?1", NULL,
                       now_seconds (), error);
}

static gboolean
insert_token (OknoDb *db, const char *sql, const char *digest, const char *staff_id,
              const char *device_id, gint64 expires_at, const char *refresh_digest, GError **error)
{
  g_autofree char *created = iso8601 (now_seconds ());
  sqlite3_stmt *stmt = okno_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, digest, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, staff_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, created, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, expires_at);
  if (refresh_digest)
    sqlite3_bind_text (stmt, 6, refresh_digest, -1, SQLITE_TRANSIENT);
  if (okno_db_step (db, stmt, error) != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

/* Both tokens of a new session; the caller holds the transaction. */
static gboolean
store_tokens (OknoCentralAuth *self, OknoCentralTokens *tokens, const char *staff_id,
              const char *device_id, GError **error)
{
  OknoDb *db = okno_central_store_get_db (self->store);
  g_autofree char *access = token_digest (tokens->access_token);
  g_autofree char *refresh = token_digest (tokens->refresh_token);

  return purge_expired (db, error)
         && insert_token (db,
                          "INSERT INTO refresh_tokens (token_hash, staff_id, device_id,"
                          " created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                          refresh, staff_id, device_id, now_seconds () + tokens->refresh_expires_in,
                          NULL, error)
         && insert_token (db,
                          "INSERT INTO sessions (token_hash, staff_id, device_id, created_at,"
                          " expires_at, refresh_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          access, staff_id, device_id, now_seconds () + tokens->expires_in, refresh,
                          error);
}

/* The desk code of the device in the staff member's branch, given on the
 * first sign-in there: the next free number of that branch. */
static gint64
desk_code (OknoDb *db, JsonObject *staff, const char *device_id, GError **error)
{
  const char *branch = json_object_get_null_member (staff, "branch_id")
                         ? ""
                         : json_object_get_string_member (staff, "branch_id");
  g_autofree char *now = iso8601 (now_seconds ());
  sqlite3_stmt *stmt;
  gint64 code = -1;

  stmt = okno_db_prepare (db,
                          "INSERT INTO devices (device_id, branch_id, code, first_seen)"
                          " SELECT ?1, ?2, coalesce (max (code), 0) + 1, ?3 FROM devices"
                          " WHERE branch_id = ?2 ON CONFLICT (device_id, branch_id) DO NOTHING",
                          error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, branch, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (okno_db_step (db, stmt, error) < 0)
    return -1;
  sqlite3_reset (stmt);

  stmt = okno_db_prepare (db, "SELECT code FROM devices WHERE device_id = ?1 AND branch_id = ?2",
                          error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, branch, -1, SQLITE_TRANSIENT);
  if (okno_db_step (db, stmt, error) == SQLITE_ROW)
    code = sqlite3_column_int64 (stmt, 0);
  else if (error && *error == NULL)
    g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_FAILED, "No desk code for device %s",
                 device_id);
  sqlite3_reset (stmt);
  return code;
}

static OknoCentralTokens *
issue_tokens (OknoCentralAuth *self, JsonObject *staff, const char *device_id, GError **error)
{
  g_autoptr (OknoCentralTokens) tokens = g_new0 (OknoCentralTokens, 1);

  tokens->expires_in = self->token_ttl;
  tokens->refresh_expires_in = OKNO_CENTRAL_REFRESH_LIFETIME;
  tokens->access_token = new_token (error);
  if (tokens->access_token == NULL || (tokens->refresh_token = new_token (error)) == NULL
      || !store_tokens (self, tokens, json_object_get_string_member (staff, "id"), device_id, error)
      || (tokens->device_code
          = desk_code (okno_central_store_get_db (self->store), staff, device_id, error))
           < 0)
    return NULL;
  tokens->staff = json_object_ref (staff);
  return g_steal_pointer (&tokens);
}

/* issue_tokens in a transaction of its own, which first revokes the
 * refresh token being rotated, if any. */
static OknoCentralTokens *
issue_in_transaction (OknoCentralAuth *self, JsonObject *staff, const char *device_id,
                      const char *revoke_refresh, GError **error)
{
  OknoDb *db = okno_central_store_get_db (self->store);
  OknoCentralTokens *tokens = NULL;

  if (!okno_db_begin (db, error))
    return NULL;
  if (revoke_refresh == NULL
      || run_bound (db, "DELETE FROM refresh_tokens WHERE token_hash = ?1", revoke_refresh, 0,
                    error))
    tokens = issue_tokens (self, staff, device_id, error);
  if (tokens != NULL && okno_db_commit (db, error))
    return tokens;
  if (tokens == NULL)
    okno_db_rollback (db);
  okno_central_tokens_free (tokens);
  return NULL;
}

/* One line per failure for whoever watches the server: who, from where,
 * when. The login is the client's text, escaped; never the password. */
static void
log_failure (const char *what, const char *login, const char *address, gint64 wait)
{
  g_autofree char *at = iso8601 (now_seconds ());
  g_autofree char *escaped = login ? g_strescape (login, NULL) : NULL;
  g_autofree char *who = login ? g_strdup_printf ("login \"%s\" ", escaped) : g_strdup ("");

  if (wait > 0)
    g_message ("%s refused, wait %" G_GINT64_FORMAT " s: %sfrom %s at %s", what, wait, who, address,
               at);
  else
    g_message ("%s failed: %sfrom %s at %s", what, who, address, at);
}

static gboolean
throttled (GError **error, gint64 wait, gint64 *retry_after)
{
  *retry_after = wait;
  g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_THROTTLED,
               "Too many failed attempts; try again in %" G_GINT64_FORMAT " s", wait);
  return FALSE;
}

OknoCentralTokens *
okno_central_auth_sign_in (OknoCentralAuth *self, const char *login, const char *password,
                           const char *device_id, const char *address, gint64 *retry_after,
                           GError **error)
{
  g_autoptr (JsonObject) found = NULL;
  GError *local = NULL;
  gint64 wait;

  g_return_val_if_fail (OKNO_IS_CENTRAL_AUTH (self), NULL);
  g_return_val_if_fail (address != NULL && retry_after != NULL, NULL);

  *retry_after = 0;
  /* While locked even the right password is refused, unchecked. */
  if ((wait = okno_central_throttle_check (self->throttle, login, address, now_seconds ())) > 0)
    {
      log_failure ("sign-in", login, address, wait);
      throttled (error, wait, retry_after);
      return NULL;
    }
  found = verify (self, login, password, &local);
  if (found == NULL)
    {
      if (g_error_matches (local, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_UNAUTHORIZED))
        {
          okno_central_throttle_failed (self->throttle, login, address, now_seconds ());
          log_failure ("sign-in", login, address, 0);
        }
      g_propagate_error (error, local);
      return NULL;
    }
  okno_central_throttle_succeeded (self->throttle, login);
  return issue_in_transaction (self, found, device_id, NULL, error);
}

static gboolean
is_token (const char *text)
{
  gsize len = 0;

  for (; text[len]; len++)
    if (!g_ascii_isxdigit (text[len]) || g_ascii_isupper (text[len]))
      return FALSE;
  return len == 2 * TOKEN_BYTES;
}

/* The active staff member a valid refresh token of this device belongs to. */
static JsonObject *
refresh_owner (OknoCentralAuth *self, const char *digest, const char *device_id, GError **error)
{
  OknoDb *db = okno_central_store_get_db (self->store);
  sqlite3_stmt *stmt = okno_db_prepare (
    db,
    "SELECT s.id, s.login, s.full_name, s.role, s.branch_id FROM refresh_tokens r"
    " JOIN staff s ON s.id = r.staff_id WHERE r.token_hash = ?1 AND r.device_id = ?2"
    " AND r.expires_at > ?3 AND s.active = 1",
    error);
  JsonObject *staff = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, digest, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  rc = okno_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    staff = staff_object (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    unauthorized (error, "The refresh token is unknown, expired or already used; sign in again");
  return staff;
}

OknoCentralTokens *
okno_central_auth_refresh (OknoCentralAuth *self, const char *refresh_token, const char *device_id,
                           const char *address, gint64 *retry_after, GError **error)
{
  g_autofree char *digest = NULL;
  g_autoptr (JsonObject) staff = NULL;
  GError *local = NULL;
  gint64 wait;

  g_return_val_if_fail (OKNO_IS_CENTRAL_AUTH (self), NULL);
  g_return_val_if_fail (address != NULL && retry_after != NULL, NULL);

  *retry_after = 0;
  if ((wait = okno_central_throttle_check (self->throttle, NULL, address, now_seconds ())) > 0)
    {
      log_failure ("refresh", NULL, address, wait);
      throttled (error, wait, retry_after);
      return NULL;
    }
  if (!is_token (refresh_token))
    unauthorized (&local, "The refresh token is malformed");
  else
    {
      digest = token_digest (refresh_token);
      staff = refresh_owner (self, digest, device_id, &local);
    }
  if (staff == NULL)
    {
      if (g_error_matches (local, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_UNAUTHORIZED))
        {
          okno_central_throttle_failed (self->throttle, NULL, address, now_seconds ());
          log_failure ("refresh", NULL, address, 0);
        }
      g_propagate_error (error, local);
      return NULL;
    }
  return issue_in_transaction (self, staff, device_id, digest, error);
}

char *
okno_central_auth_check (OknoCentralAuth *self, const char *authorization, char **device_id,
                         GError **error)
{
  OknoDb *db = okno_central_store_get_db (self->store);
  g_autofree char *digest = NULL;
  sqlite3_stmt *stmt;
  char *staff_id = NULL;
  int rc;

  g_return_val_if_fail (OKNO_IS_CENTRAL_AUTH (self), NULL);

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    {
      unauthorized (error, "Sign in first: the request has no bearer token");
      return NULL;
    }
  if (!is_token (authorization + 7))
    {
      unauthorized (error, "The access token is malformed");
      return NULL;
    }
  digest = token_digest (authorization + 7);
  stmt = okno_db_prepare (db,
                          "SELECT s.staff_id, s.device_id FROM sessions s"
                          " JOIN staff t ON t.id = s.staff_id"
                          " WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND t.active = 1",
                          error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, digest, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  rc = okno_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    {
      staff_id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      if (device_id)
        *device_id = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    unauthorized (error, "The access token is unknown or has expired; sign in again");
  return staff_id;
}

gboolean
okno_central_auth_sign_out (OknoCentralAuth *self, const char *authorization, GError **error)
{
  OknoDb *db = okno_central_store_get_db (self->store);
  g_autofree char *staff_id = okno_central_auth_check (self, authorization, NULL, error);
  g_autofree char *digest = NULL;

  if (staff_id == NULL)
    return FALSE;
  digest = token_digest (authorization + 7);
  if (!okno_db_begin (db, error))
    return FALSE;
  if (run_bound (db,
                 "DELETE FROM refresh_tokens WHERE token_hash ="
                 " (SELECT refresh_hash FROM sessions WHERE token_hash = ?1)",
                 digest, 0, error)
      && run_bound (db, "DELETE FROM sessions WHERE token_hash = ?1", digest, 0, error))
    return okno_db_commit (db, error);
  okno_db_rollback (db);
  return FALSE;
}
