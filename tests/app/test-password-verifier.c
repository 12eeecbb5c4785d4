/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The offline sign-in verifier: yescrypt, salted, and never the password. */

#include <crypt.h>
#include <glib.h>
#include <string.h>

#include "okno-password-verifier.h"

static void
test_new_and_check (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *verifier = okno_password_verifier_new ("Парол-1 с пробелом", &error);

  g_assert_no_error (error);
  g_assert_nonnull (verifier);
  g_assert_true (g_str_has_prefix (verifier, "$y$"));
  /* The password is nowhere in what is kept. */
  g_assert_null (strstr (verifier, "Парол"));
  g_assert_true (okno_password_verifier_check (verifier, "Парол-1 с пробелом"));
  g_assert_false (okno_password_verifier_check (verifier, "Парол-1 с пробелом "));
  g_assert_false (okno_password_verifier_check (verifier, "парол-1 с пробелом"));
  g_assert_false (okno_password_verifier_check (verifier, ""));
}

static void
test_salted (void)
{
  g_autofree char *a = okno_password_verifier_new ("clerk", NULL);
  g_autofree char *b = okno_password_verifier_new ("clerk", NULL);

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  /* A fresh salt each time: the same password, different verifiers. */
  g_assert_cmpstr (a, !=, b);
  g_assert_true (okno_password_verifier_check (a, "clerk"));
  g_assert_true (okno_password_verifier_check (b, "clerk"));
}

static void
test_rejects_other_strings (void)
{
  g_autofree char *verifier = okno_password_verifier_new ("clerk", NULL);
  g_autofree char *cut = g_strndup (verifier, strlen (verifier) - 4);
  g_autofree char *changed = g_strdup (verifier);

  changed[strlen (changed) - 1] = changed[strlen (changed) - 1] == 'A' ? 'B' : 'A';
  g_assert_false (okno_password_verifier_check (NULL, "clerk"));
  g_assert_false (okno_password_verifier_check ("", "clerk"));
  g_assert_false (okno_password_verifier_check ("clerk", "clerk"));
  g_assert_false (okno_password_verifier_check (cut, "clerk"));
  g_assert_false (okno_password_verifier_check (changed, "clerk"));
}

/* Only yescrypt: an MD5-crypt string of the right password is refused. The
 * string is the real MD5-crypt of "clerk" (openssl passwd -1 -salt saltsalt
 * clerk), as libxcrypt itself confirms below, so the refusal can only come
 * from the verifier's choice of algorithm, not from a hash that is wrong. */
static void
test_rejects_md5_crypt (void)
{
  const char *md5 = "$1$saltsalt$JMRv9hYNLl6F3qHpQ5tHU0";
  struct crypt_data data = { 0 };

  g_assert_cmpstr (crypt_r ("clerk", md5, &data), ==, md5);
  g_assert_cmpstr (crypt_r ("clerc", md5, &data), !=, md5);
  g_assert_false (okno_password_verifier_check (md5, "clerk"));
}

static void
async_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_async (void)
{
  GAsyncResult *made = NULL, *right = NULL, *wrong = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *verifier = NULL;

  okno_password_verifier_new_async ("supervisor", NULL, async_done_cb, &made);
  verifier = okno_password_verifier_new_finish (wait_result (&made), &error);
  g_assert_no_error (error);
  g_assert_nonnull (verifier);

  okno_password_verifier_check_async (verifier, "supervisor", NULL, async_done_cb, &right);
  okno_password_verifier_check_async (verifier, "clerk", NULL, async_done_cb, &wrong);
  g_assert_true (okno_password_verifier_check_finish (wait_result (&right), &error));
  g_assert_no_error (error);
  g_assert_false (okno_password_verifier_check_finish (wait_result (&wrong), &error));
  g_assert_no_error (error);
  g_object_unref (made);
  g_object_unref (right);
  g_object_unref (wrong);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/verifier/new-and-check", test_new_and_check);
  g_test_add_func ("/verifier/salted", test_salted);
  g_test_add_func ("/verifier/rejects-other-strings", test_rejects_other_strings);
  g_test_add_func ("/verifier/rejects-md5-crypt", test_rejects_md5_crypt);
  g_test_add_func ("/verifier/async", test_async);
  return g_test_run ();
}
