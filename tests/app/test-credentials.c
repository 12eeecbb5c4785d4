/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The session's tokens in a real Secret Service: run by run-with-keyring.sh
 * inside its own D-Bus session with a throwaway gnome-keyring. */

#define _GNU_SOURCE /* memmem */

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "okno-credentials.h"

#define SERVER "http://127.0.0.1:8080"

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *w)
{
  while (w->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return w->result;
}

static void
store (const char *login, const char *access_token, const char *refresh_token)
{
  Wait w = { NULL };
  g_autoptr (GError) error = NULL;

  okno_credentials_store_async (SERVER, login, access_token, refresh_token, NULL, done_cb, &w);
  g_assert_true (okno_credentials_store_finish (wait_for (&w), &error));
  g_assert_no_error (error);
  g_object_unref (w.result);
}

/* FALSE when nothing is stored. */
static gboolean
lookup (const char *server, const char *login, char **access_token, char **refresh_token)
{
  Wait w = { NULL };
  g_autoptr (GError) error = NULL;
  gboolean found;

  okno_credentials_lookup_async (server, login, NULL, done_cb, &w);
  found = okno_credentials_lookup_finish (wait_for (&w), access_token, refresh_token, &error);
  g_assert_no_error (error);
  g_object_unref (w.result);
  return found;
}

static void
clear (const char *login)
{
  Wait w = { NULL };
  g_autoptr (GError) error = NULL;

  okno_credentials_clear_async (SERVER, login, NULL, done_cb, &w);
  g_assert_true (okno_credentials_clear_finish (wait_for (&w), &error));
  g_assert_no_error (error);
  g_object_unref (w.result);
}

static void
test_schema (void)
{
  const SecretSchema *schema = okno_credentials_get_schema ();

  g_assert_cmpstr (schema->name, ==, "ru.eens.Okno.Session");
  g_assert_cmpstr (schema->attributes[0].name, ==, "server");
  g_assert_cmpstr (schema->attributes[1].name, ==, "login");
  g_assert_cmpstr (schema->attributes[2].name, ==, "token");
}

static void
test_store_lookup_clear (void)
{
  char *access_token = NULL, *refresh_token = NULL;

  g_assert_false (lookup (SERVER, "clerk", &access_token, &refresh_token));
  g_assert_null (access_token);
  g_assert_null (refresh_token);

  store ("clerk", "access-1111", "refresh-1111");
  store ("supervisor", "access-2222", "refresh-2222");
  g_assert_true (lookup (SERVER, "clerk", &access_token, &refresh_token));
  g_assert_cmpstr (access_token, ==, "access-1111");
  g_assert_cmpstr (refresh_token, ==, "refresh-1111");
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);

  /* Per server and login: another server knows nothing of these. */
  g_assert_false (lookup ("http://other:8080", "clerk", NULL, NULL));

  /* A refresh replaces the pair. */
  store ("clerk", "access-3333", "refresh-3333");
  g_assert_true (lookup (SERVER, "clerk", &access_token, &refresh_token));
  g_assert_cmpstr (access_token, ==, "access-3333");
  g_assert_cmpstr (refresh_token, ==, "refresh-3333");
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);

  /* No refresh token: a stale one never outlives its access token. */
  store ("clerk", "access-4444", NULL);
  g_assert_true (lookup (SERVER, "clerk", &access_token, &refresh_token));
  g_assert_cmpstr (access_token, ==, "access-4444");
  g_assert_null (refresh_token);
  okno_credentials_free_token (access_token);

  /* Signing out removes one login's pair and leaves the others. */
  clear ("clerk");
  g_assert_false (lookup (SERVER, "clerk", NULL, NULL));
  g_assert_true (lookup (SERVER, "supervisor", &access_token, NULL));
  g_assert_cmpstr (access_token, ==, "access-2222");
  okno_credentials_free_token (access_token);
  clear ("supervisor");
  /* Clearing what is not there is no error. */
  clear ("supervisor");
}

static gboolean
file_holds (const char *path, const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return length >= strlen (needle) && memmem (contents, length, needle, strlen (needle)) != NULL;
}

/* Any file under dir (the keyring's folder among them) holding needle. */
static gboolean
tree_holds (const char *dir, const char *needle)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) ? tree_holds (path, needle)
                                                 : file_holds (path, needle))
        return TRUE;
    }
  return FALSE;
}

/* okno-cli's pair lives beside the app's for the same server and login:
 * neither side finds, replaces or clears the other's. */
static void
test_cli_apart (void)
{
  g_autoptr (GError) error = NULL;
  char *access_token = NULL, *refresh_token = NULL;

  store ("apart", "app-access", "app-refresh");
  g_assert_true (okno_credentials_cli_store (SERVER, "apart", "device-1", "cli-access",
                                             "cli-refresh", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (
    okno_credentials_cli_store (SERVER, "apart", "device-2", "other-access", NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (lookup (SERVER, "apart", &access_token, &refresh_token));
  g_assert_cmpstr (access_token, ==, "app-access");
  g_assert_cmpstr (refresh_token, ==, "app-refresh");
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);

  g_assert_true (okno_credentials_cli_lookup (SERVER, "apart", "device-1", &access_token,
                                              &refresh_token, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (access_token, ==, "cli-access");
  g_assert_cmpstr (refresh_token, ==, "cli-refresh");
  okno_credentials_free_token (access_token);
  okno_credentials_free_token (refresh_token);

  /* The app's sign-out leaves okno-cli signed in, and the other way round. */
  clear ("apart");
  g_assert_false (lookup (SERVER, "apart", NULL, NULL));
  g_assert_true (
    okno_credentials_cli_lookup (SERVER, "apart", "device-1", NULL, NULL, NULL, &error));
  store ("apart", "app-access", NULL);
  g_assert_true (okno_credentials_cli_clear (SERVER, "apart", "device-1", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (
    okno_credentials_cli_lookup (SERVER, "apart", "device-1", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (
    okno_credentials_cli_lookup (SERVER, "apart", "device-2", NULL, NULL, NULL, &error));
  g_assert_true (lookup (SERVER, "apart", NULL, NULL));
  clear ("apart");
  g_assert_true (okno_credentials_cli_clear (SERVER, "apart", "device-2", NULL, &error));
}

/* What the keyring's own files hold, one after another ("" when there is
 * none). */
static GString *
keyring_files (const char *data_home)
{
  g_autofree char *dir = g_build_filename (data_home, "keyrings", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  GString *all = g_string_new (NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_str_has_suffix (name, ".keyring")
          && g_file_get_contents (path, &contents, &length, NULL))
        g_string_append_len (all, contents, length);
    }
  return all;
}

/* The keyring encrypts what it writes: no token lies about in plain text. */
static void
test_not_in_files (void)
{
  const char *data_home = g_get_user_data_dir ();
  g_autoptr (GString) before = keyring_files (data_home);
  g_autoptr (GString) after = NULL;

  store ("clerk", "plain-text-token-5555", "plain-text-refresh-5555");
  g_assert_true (lookup (SERVER, "clerk", NULL, NULL));
  /* The tokens went to a keyring file under data_home: without one, the
   * checks below would pass over an empty folder and prove nothing. */
  after = keyring_files (data_home);
  g_assert_cmpuint (after->len, >, 0);
  g_assert_false (g_string_equal (before, after));
  g_assert_false (tree_holds (data_home, "plain-text-token-5555"));
  g_assert_false (tree_holds (data_home, "plain-text-refresh-5555"));
  clear ("clerk");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/credentials/schema", test_schema);
  g_test_add_func ("/credentials/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/credentials/cli-apart", test_cli_apart);
  g_test_add_func ("/credentials/not-in-files", test_not_in_files);
  return g_test_run ();
}
