/* Staff sign-in and access tokens. */

#include "okno-central-auth.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "okno-central-error.h"
#include "okno-central-password.h"

#define TOKEN_BYTES 32

struct _OknoCentralAuth
{
  GObject parent_instance;
  OknoCentralStore *store;
};

G_DEFINE_FINAL_TYPE (OknoCentralAuth, okno_central_auth, G_TYPE_OBJECT)

static void
okno_central_auth_dispose (GObject *object)
{
  OknoCentralAuth *self = OKNO_CENTRAL_AUTH (object);

  g_clear_object (&self->store);
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

static gboolean
store_session (OknoCentralAuth *self, const char *token, const char *staff_id,
               const char *device_id, GError **error)
{
  OknoDb *db = okno_central_store_get_db (self->store);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *digest = token_digest (token);
  g_autofree char *created = iso8601 (now);
  sqlite3_stmt *purge = okno_db_prepare (db, "DELETE FROM sessions WHERE expires_at <= ?1", error);
  sqlite3_stmt *insert;

  if (purge == NULL)
    return FALSE;
  sqlite3_bind_int64 (purge, 1, now);
  if (okno_db_step (db, purge, error) != SQLITE_DONE)
    return FALSE;
  insert = okno_db_prepare (db,
                            "INSERT INTO sessions (token_hash, staff_id, device_id, created_at,"
                            " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                            error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, digest, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 2, staff_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 3, device_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 4, created, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 5, now + OKNO_CENTRAL_TOKEN_LIFETIME);
  return okno_db_step (db, insert, error) == SQLITE_DONE;
}

char *
okno_central_auth_sign_in (OknoCentralAuth *self, const char *login, const char *password,
                           const char *device_id, JsonObject **staff, GError **error)
{
  g_autoptr (JsonObject) found = NULL;
  g_autofree char *token = NULL;

  g_return_val_if_fail (OKNO_IS_CENTRAL_AUTH (self), NULL);

  found = verify (self, login, password, error);
  if (found == NULL)
    return NULL;
  token = new_token (error);
  if (token == NULL
      || !store_session (self, token, json_object_get_string_member (found, "id"), device_id,
                         error))
    return NULL;
  if (staff)
    *staff = g_steal_pointer (&found);
  return g_steal_pointer (&token);
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

char *
okno_central_auth_check (OknoCentralAuth *self, const char *authorization, GError **error)
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
                          "SELECT s.staff_id FROM sessions s JOIN staff t ON t.id = s.staff_id"
                          " WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND t.active = 1",
                          error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, digest, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  rc = okno_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    staff_id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    unauthorized (error, "The access token is unknown or has expired; sign in again");
  return staff_id;
}
