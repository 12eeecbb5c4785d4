/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Password hashing for staff sign-in. */

#include "okno-central-password.h"

#include "okno-password-verifier.h"

char *
okno_central_password_hash (const char *password, GError **error)
{
  return okno_password_verifier_new (password, error);
}

gboolean
okno_central_password_verify (const char *password, const char *hash)
{
  return okno_password_verifier_check (hash, password);
}

void
okno_central_password_waste_time (const char *password)
{
  static char *dummy = NULL;

  if (dummy == NULL)
    dummy = okno_central_password_hash ("okno-central: no such login", NULL);
  if (dummy != NULL)
    okno_central_password_verify (password, dummy);
}
