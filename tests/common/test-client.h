/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

/* The client under test against an okno-central of central-spawn.h, over
 * HTTP or, for the "-https" variants of the tests, HTTPS. */

#include "central-spawn.h"
#include "okno-sync.h"

G_BEGIN_DECLS

/* A client of url that trusts ca_file (NULL: the system's CAs); the test
 * fails when it cannot be made. */
OknoClient *test_client_new_for_url (const char *url, const char *ca_file);
/* A client of central, trusting its test CA when it serves HTTPS. */
OknoClient *test_client_new (CentralProcess *central);
/* The test fails unless the test runs over what central_test_https()
 * asks for (central_assert_transport()), and, over HTTPS, the client
 * really checks the certificate: one that trusts only the system's CAs is
 * refused before it signs in. */
void test_assert_transport (CentralProcess *central);

G_END_DECLS
