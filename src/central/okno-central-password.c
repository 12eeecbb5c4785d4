/* Password hashing for staff sign-in. */

#include "okno-central-password.h"

#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "okno-central-error.h"

char *
okno_central_password_hash (const char *password, GError **error)
{
  void *data = NULL;
  int size = 0;
  char *setting;
  char *hash;
  char *result = NULL;

  g_return_val_if_fail (password != NULL, NULL);

  /* NULL random bytes: libxcrypt reads the salt from the kernel. */
  setting = crypt_gensalt_ra ("$y$", 0, NULL, 0);
  if (setting == NULL)
    {
      int saved = errno;
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_FAILED,
                   "Could not make a password salt: %s", g_strerror (saved));
      return NULL;
    }
  hash = crypt_ra (password, setting, &data, &size);
  if (hash == NULL || hash[0] == '*')
    g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_FAILED, "Could not hash a password");
  else
    result = g_strdup (hash);
  if (data != NULL)
    explicit_bzero (data, (gsize)size);
  free (data);
  free (setting);
  return result;
}

static gboolean
equal_in_constant_time (const char *a, const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  guchar diff = la != lb;

  /* Every byte of a is looked at whatever b holds. */
  for (gsize i = 0; i < la; i++)
    diff |= (guchar)a[i] ^ (guchar)(lb ? b[i % lb] : 0);
  return diff == 0 && la > 0;
}

gboolean
okno_central_password_verify (const char *password, const char *hash)
{
  void *data = NULL;
  int size = 0;
  const char *computed;
  gboolean ok;

  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (hash != NULL, FALSE);

  computed = crypt_ra (password, hash, &data, &size);
  ok = computed != NULL && computed[0] != '*' && equal_in_constant_time (computed, hash);
  if (data != NULL)
    explicit_bzero (data, (gsize)size);
  free (data);
  return ok;
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
