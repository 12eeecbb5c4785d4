/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Sign-in throttling (issue 8): okno-central's memory of failures on an
 * injected clock, per login and per address, then the real server over
 * HTTP with a short window: forty wrong passwords, then the right one. */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "central-spawn.h"
#include "okno-central-throttle.h"
#include "test-http.h"

#define DEVICE "0f4bb1a2-6c1e-4d8e-9a53-7e2d1c0b9a88"
#define T0     1800000000
/* The server's window in the HTTP tests: long enough that forty requests
 * fit in it on a loaded machine, short enough to wait out. */
#define WINDOW 10

static OknoCentralThrottle *
new_throttle (void)
{
  OknoThrottlePolicy policy;

  okno_throttle_policy_init (&policy);
  return okno_central_throttle_new (&policy);
}

/* --- the throttle on its own, on an injected clock ----------------------- */

/* Guesses at many logins from one address lock the address, not the
 * others; guesses at one login from many addresses lock the login. */
static void
test_per_address (void)
{
  static const char *const addresses[] = { "192.0.2.10", "192.0.2.11", "2001:db8::1", "10.0.0.7" };
  g_autoptr (OknoCentralThrottle) throttle = new_throttle ();
  guint address_lock = OKNO_THROTTLE_LOCK_AFTER * OKNO_CENTRAL_THROTTLE_ADDRESS_FACTOR;

  /* A different login each time: no login reaches its own limit. */
  for (guint i = 0; i < address_lock; i++)
    {
      g_autofree char *login = g_strdup_printf ("guess%u", i);
      okno_central_throttle_failed (throttle, login, addresses[0], T0);
    }
  g_assert_cmpint (okno_central_throttle_check (throttle, "clerk", addresses[0], T0), ==,
                   OKNO_THROTTLE_WINDOW);
  for (guint a = 1; a < G_N_ELEMENTS (addresses); a++)
    g_assert_cmpint (okno_central_throttle_check (throttle, "clerk", addresses[a], T0), ==, 0);
  g_assert_cmpint (
    okno_central_throttle_check (throttle, "clerk", addresses[0], T0 + OKNO_THROTTLE_WINDOW), ==,
    0);
}

static void
test_per_login_from_many_addresses (void)
{
  static const char *const addresses[] = { "192.0.2.10", "192.0.2.11", "2001:db8::1", "10.0.0.7" };
  g_autoptr (OknoCentralThrottle) throttle = new_throttle ();

  for (guint i = 0; i < OKNO_THROTTLE_LOCK_AFTER; i++)
    okno_central_throttle_failed (throttle, "clerk", addresses[i % G_N_ELEMENTS (addresses)], T0);
  for (guint a = 0; a < G_N_ELEMENTS (addresses); a++)
    g_assert_cmpint (okno_central_throttle_check (throttle, "clerk", addresses[a], T0), ==,
                     OKNO_THROTTLE_WINDOW);
  /* The addresses themselves are under their own, larger limit. */
  g_assert_cmpint (okno_central_throttle_check (throttle, "supervisor", addresses[0], T0), ==, 0);
}

/* A success clears the login, not the address: one good account must not
 * clear the record of a guesser. */
static void
test_success_resets_login_only (void)
{
  g_autoptr (OknoCentralThrottle) throttle = new_throttle ();
  guint address_slow = OKNO_THROTTLE_SLOW_AFTER * OKNO_CENTRAL_THROTTLE_ADDRESS_FACTOR;

  for (guint i = 0; i < address_slow; i++)
    okno_central_throttle_failed (throttle, i < OKNO_THROTTLE_SLOW_AFTER ? "clerk" : "other",
                                  "192.0.2.10", T0);
  okno_central_throttle_succeeded (throttle, "clerk");
  g_assert_cmpint (okno_central_throttle_check (throttle, "clerk", "192.0.2.20", T0), ==, 0);
  /* The address still waits; knocking early counted, so 2 s, not 1. */
  g_assert_cmpint (okno_central_throttle_check (throttle, "clerk", "192.0.2.10", T0), ==, 2);
}

/* Refreshes with unknown tokens are counted per address, apart from
 * sign-ins. */
static void
test_refresh_per_address (void)
{
  g_autoptr (OknoCentralThrottle) throttle = new_throttle ();
  guint address_lock = OKNO_THROTTLE_LOCK_AFTER * OKNO_CENTRAL_THROTTLE_ADDRESS_FACTOR;

  for (guint i = 0; i < address_lock; i++)
    okno_central_throttle_failed (throttle, NULL, "192.0.2.10", T0);
  g_assert_cmpint (okno_central_throttle_check (throttle, NULL, "192.0.2.10", T0), ==,
                   OKNO_THROTTLE_WINDOW);
  g_assert_cmpint (okno_central_throttle_check (throttle, NULL, "192.0.2.11", T0), ==, 0);
  g_assert_cmpint (okno_central_throttle_check (throttle, "clerk", "192.0.2.10", T0), ==, 0);
}

/* --- the server over HTTP ---------------------------------------------------- */

static CentralProcess *central;
static SoupSession *session;

static TestAnswer *
post (const char *path, const char *body)
{
  return test_http_request (session, central->base_url, "POST", path, NULL, body);
}

static TestAnswer *
sign_in (const char *login, const char *password)
{
  g_autofree char *body = g_strdup_printf (
    "{\"login\":\"%s\",\"password\":\"%s\",\"device_id\":\"" DEVICE "\"}", login, password);

  return post ("/session", body);
}

/* A 429 of the contract; returns its Retry-After. */
static guint64
assert_throttled (TestAnswer *answer)
{
  const char *header = test_answer_header (answer, "Retry-After");
  guint64 seconds = 0;

  test_assert_answer_error (answer, 429, "too_many_attempts");
  g_assert_nonnull (header);
  g_assert_true (g_ascii_string_to_unsigned (header, 10, 1, WINDOW, &seconds, NULL));
  return seconds;
}

static void
test_forty_wrong_then_right (void)
{
  guint64 wait;

  for (guint i = 0; i < 40; i++)
    {
      g_autoptr (TestAnswer) wrong = sign_in ("clerk", "wrong-secret-4711");

      /* The first few are checked; the rest may be refused unchecked. */
      if (i < OKNO_THROTTLE_SLOW_AFTER)
        test_assert_answer_error (wrong, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials");
      else if (wrong->status != SOUP_STATUS_UNAUTHORIZED)
        assert_throttled (wrong);
    }
  {
    g_autoptr (TestAnswer) right = sign_in ("clerk", "clerk");
    g_autoptr (TestAnswer) other = sign_in ("supervisor", "supervisor");

    /* Locked: even the right password is refused. */
    wait = assert_throttled (right);
    /* Per login: another one at the same address signs in. */
    g_assert_cmpuint (other->status, ==, SOUP_STATUS_OK);
  }
  /* After the window the right password works, and clears the count: the
   * free tries are all there again after it. */
  g_usleep ((wait + 1) * G_USEC_PER_SEC);
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr (TestAnswer) right = NULL;

      for (guint i = 0; i + 1 < OKNO_THROTTLE_SLOW_AFTER; i++)
        {
          g_autoptr (TestAnswer) wrong = sign_in ("clerk", "wrong-secret-4711");
          test_assert_answer_error (wrong, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials");
        }
      right = sign_in ("clerk", "clerk");
      g_assert_cmpuint (right->status, ==, SOUP_STATUS_OK);
    }
}

static void
test_unknown_refresh_tokens (void)
{
  guint address_lock = OKNO_THROTTLE_LOCK_AFTER * OKNO_CENTRAL_THROTTLE_ADDRESS_FACTOR;

  for (guint i = 0; i <= address_lock; i++)
    {
      g_autofree char *body
        = g_strdup_printf ("{\"refresh_token\":\"%064x\",\"device_id\":\"" DEVICE "\"}", i + 1);
      g_autoptr (TestAnswer) answer = post ("/session/refresh", body);

      if (i < address_lock * OKNO_THROTTLE_SLOW_AFTER / OKNO_THROTTLE_LOCK_AFTER)
        test_assert_answer_error (answer, SOUP_STATUS_UNAUTHORIZED, "invalid_refresh_token");
      else if (i == address_lock)
        assert_throttled (answer);
    }
}

static void
remove_dir (const char *dir)
{
  static const char *const names[] = { "central.db", "central.db-wal", "central.db-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

/* Every failure is in the log with the login, the address and the time;
 * the password never is. Last: it stops the server to read all it wrote. */
static void
test_failures_logged (void)
{
  const char *log;
  g_autoptr (GRegex) line = NULL;
  g_autoptr (GRegex) refused = NULL;

  g_assert_cmpint (central_stop (central), ==, 0);
  log = central->stderr_text->str;
  line = g_regex_new (
    "sign-in failed: login \"clerk\" from 127\\.0\\.0\\.1 at \\d{4}-\\d\\d-\\d\\dT[0-9:]{8}Z", 0, 0,
    NULL);
  refused = g_regex_new ("sign-in refused, wait \\d+ s: login \"clerk\" from 127\\.0\\.0\\.1 at ",
                         0, 0, NULL);

  g_assert_true (g_regex_match (line, log, 0, NULL));
  g_assert_true (g_regex_match (refused, log, 0, NULL));
  g_assert_true (strstr (log, "refresh failed: from 127.0.0.1 at ") != NULL);
  g_assert_null (strstr (log, "wrong-secret-4711"));
}

int
main (int argc, char **argv)
{
  g_autofree char *window = g_strdup_printf ("%d", WINDOW);
  const char *extra[] = { "--generate", "--accounts",       "50",   "--seed", "7",
                          "--quiet",    "--sign-in-window", window, NULL };
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/throttle/per-address", test_per_address);
  g_test_add_func ("/throttle/per-login-from-many-addresses", test_per_login_from_many_addresses);
  g_test_add_func ("/throttle/success-resets-login-only", test_success_resets_login_only);
  g_test_add_func ("/throttle/refresh-per-address", test_refresh_per_address);
  g_test_add_func ("/throttle/forty-wrong-then-right", test_forty_wrong_then_right);
  g_test_add_func ("/throttle/unknown-refresh-tokens", test_unknown_refresh_tokens);

  central = central_spawn_in_tmp ("okno-throttle-XXXXXX", extra, &dir);
  /* Loopback only: no proxy lookups. */
  session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_test_add_func ("/throttle/failures-logged", test_failures_logged);
  status = g_test_run ();
  g_object_unref (session);
  central_process_free (central);
  remove_dir (dir);
  return status;
}
