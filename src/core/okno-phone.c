/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-phone.h"

#include <string.h>

char *
okno_phone_digits (const char *text)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = text ? text : ""; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  return g_string_free (digits, FALSE);
}

char *
okno_phone_normalize (const char *text)
{
  g_autofree char *digits = okno_phone_digits (text);
  gsize len = strlen (digits);

  if (len == 11 && (digits[0] == '7' || digits[0] == '8'))
    return g_strdup (digits + 1);
  if (len == 10)
    return g_steal_pointer (&digits);
  return NULL;
}

char *
okno_phone_format (const char *text)
{
  g_autofree char *n = okno_phone_normalize (text);

  if (n == NULL)
    return NULL;
  return g_strdup_printf ("+7 %.3s %.3s-%.2s-%.2s", n, n + 3, n + 6, n + 8);
}
