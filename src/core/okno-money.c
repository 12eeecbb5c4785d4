/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-money.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "okno-core-error.h"

/* Separators are translatable rather than taken from the C locale: the
 * staff run the UI in Russian through LANGUAGE even where no ru_RU locale is
 * generated, and the amount must still read "1 234,56 ₽". */
static const char *
decimal_separator (void)
{
  return C_ ("money decimal separator", ".");
}

static const char *
group_separator (void)
{
  return C_ ("money thousands separator", ",");
}

char *
okno_money_format (gint64 kopecks)
{
  g_autoptr (GString) out = g_string_new (NULL);
  guint64 abs_kop;
  g_autofree char *rubles = NULL;
  gsize len;

  /* G_MININT64 has no positive counterpart in gint64; unsigned arithmetic avoids overflow. */
  abs_kop = kopecks < 0 ? (guint64)(-(kopecks + 1)) + 1 : (guint64)kopecks;
  rubles = g_strdup_printf ("%" G_GUINT64_FORMAT, abs_kop / 100);
  len = strlen (rubles);

  if (kopecks < 0)
    g_string_append (out, "−"); /* U+2212, the typographic minus */
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, group_separator ());
      g_string_append_c (out, rubles[i]);
    }
  g_string_append_printf (out, "%s%02u", decimal_separator (), (guint)(abs_kop % 100));
  /* Translators: %s is an amount, e.g. 1 234,56; keep the no-break space */
  return g_strdup_printf (_ ("%s ₽"), out->str);
}

gboolean
okno_money_parse (const char *text, gint64 *kopecks, GError **error)
{
  g_autofree char *clean = NULL;
  const char *p;
  gboolean negative = FALSE, seen_sep = FALSE;
  guint64 rub = 0;
  guint frac = 0, n_frac = 0, n_digits = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  clean = g_strstrip (g_strdup (text));
  p = clean;
  if (g_str_has_prefix (p, "-") || g_str_has_prefix (p, "−"))
    {
      negative = TRUE;
      p = g_utf8_next_char (p);
    }
  for (; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x202F || c == 0xA0 || c == 0x20BD /* ₽ */)
        continue;
      if ((c == ',' || c == '.') && !seen_sep)
        {
          seen_sep = TRUE;
          continue;
        }
      if (c < '0' || c > '9')
        goto invalid;
      if (seen_sep)
        {
          if (++n_frac > 2)
            goto invalid;
          frac = frac * 10 + (c - '0');
        }
      else
        {
          if (++n_digits > 13) /* 10^13 roubles is far beyond any bill */
            goto invalid;
          rub = rub * 10 + (c - '0');
        }
    }
  if (n_digits == 0 && n_frac == 0)
    goto invalid;
  if (n_frac == 1)
    frac *= 10;

  *kopecks = (gint64)(rub * 100 + frac) * (negative ? -1 : 1);
  return TRUE;

invalid:
  g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
               _ ("“%s” is not an amount of money"), text);
  return FALSE;
}

gboolean
okno_money_add (gint64 a, gint64 b, gint64 *sum, GError **error)
{
  gint64 out;

  if (__builtin_add_overflow (a, b, &out))
    {
      g_set_error_literal (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                           _ ("The sum is too large to be counted"));
      return FALSE;
    }
  *sum = out;
  return TRUE;
}

gboolean
okno_money_sum (const gint64 *amounts, gsize n, gint64 *sum, GError **error)
{
  gint64 total = 0;

  for (gsize i = 0; i < n; i++)
    if (!okno_money_add (total, amounts[i], &total, error))
      return FALSE;
  *sum = total;
  return TRUE;
}
