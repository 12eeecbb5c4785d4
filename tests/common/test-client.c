/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The client under test, made to trust the test CA of an HTTPS run. */

#include "test-client.h"

OknoClient *
test_client_new_for_url (const char *url, const char *ca_file)
{
  OknoClientTrust trust = { ca_file, FALSE };
  g_autoptr (GError) error = NULL;
  OknoClient *client = okno_client_new_with_trust (url, &trust, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  return client;
}

OknoClient *
test_client_new (CentralProcess *central)
{
  return test_client_new_for_url (central->url, central->ca_file);
}

void
test_assert_transport (CentralProcess *central)
{
  g_autoptr (OknoClient) trusting = NULL;
  g_autoptr (OknoClient) system_only = NULL;
  g_autoptr (OknoStaff) staff = NULL;
  g_autoptr (GError) error = NULL;

  central_assert_transport (central);
  trusting = test_client_new (central);
  g_assert_cmpstr (okno_client_get_base_url (trusting), ==, central->url);
  if (!central_test_https ())
    return;
  /* The test CA is not the system's: a client that has not been told of
   * it must refuse the handshake, or it did not check at all. */
  system_only = test_client_new_for_url (central->url, NULL);
  staff = okno_client_sign_in (system_only, "clerk", "clerk", NULL, &error);
  g_assert_null (staff);
  g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_TLS);
  g_assert_false (okno_client_is_signed_in (system_only));
}
