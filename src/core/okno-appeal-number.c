/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Appeal numbers: branch code, desk code, year, sequence. */

#include <glib/gi18n-lib.h>
#include <string.h>

#include "okno-appeal-number.h"
#include "okno-core-error.h"

#define BRANCH_CODE_MAX 32 /* characters */

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
branch_code_is_valid (const char *code)
{
  if (code == NULL || *code == '\0' || !g_utf8_validate (code, -1, NULL)
      || g_utf8_strlen (code, -1) > BRANCH_CODE_MAX)
    return FALSE;
  for (const char *p = code; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c) && c != '-')
        return FALSE;
    }
  return TRUE;
}

char *
okno_appeal_number_compose (const char *branch_code, gint64 desk_code, int year, gint64 sequence,
                            GError **error)
{
  if (!branch_code_is_valid (branch_code))
    {
      invalid (error, _ ("The branch code cannot be part of an appeal number"));
      return NULL;
    }
  if (desk_code < 0 || desk_code > OKNO_DESK_CODE_MAX)
    {
      invalid (error, _ ("This computer has no desk code for appeal numbers yet; sign in "
                         "while the server is reachable"));
      return NULL;
    }
  if (year < 2000 || year > 2099 || sequence < 1 || sequence > OKNO_APPEAL_SEQUENCE_MAX)
    {
      invalid (error, _ ("The appeal number is out of range"));
      return NULL;
    }
  return g_strdup_printf ("%s-%02" G_GINT64_FORMAT "-%02d-%05" G_GINT64_FORMAT, branch_code,
                          desk_code, year % 100, sequence);
}

/* The decimal number of [start, end), at least min_digits long; -1 if not. */
static gint64
digits_value (const char *start, const char *end, gsize min_digits, gint64 max)
{
  gint64 v = 0;

  if ((gsize)(end - start) < min_digits || end - start > 9)
    return -1;
  for (const char *p = start; p < end; p++)
    {
      if (!g_ascii_isdigit (*p))
        return -1;
      v = v * 10 + (*p - '0');
    }
  return v <= max ? v : -1;
}

gboolean
okno_appeal_number_parse (const char *number, char **branch_code, gint64 *desk_code, int *year,
                          gint64 *sequence, GError **error)
{
  const char *dash[3] = { NULL };
  gint64 desk, yy, seq;
  g_autofree char *branch = NULL;
  gsize len;

  if (number == NULL || !g_utf8_validate (number, -1, NULL))
    return invalid (error, _ ("The appeal number is not valid"));
  /* From the right: the branch code may hold dashes itself. */
  len = strlen (number);
  for (gsize i = len, n = 0; i > 0 && n < 3; i--)
    if (number[i - 1] == '-')
      dash[n++] = number + i - 1;
  if (dash[2] == NULL)
    return invalid (error, _ ("The appeal number is not valid"));
  seq = digits_value (dash[0] + 1, number + len, 5, OKNO_APPEAL_SEQUENCE_MAX);
  yy = digits_value (dash[1] + 1, dash[0], 2, 99);
  desk = digits_value (dash[2] + 1, dash[1], 2, OKNO_DESK_CODE_MAX);
  yy = dash[0] - dash[1] == 3 ? yy : -1;
  branch = g_strndup (number, dash[2] - number);
  if (seq < 1 || yy < 0 || desk < 0 || !branch_code_is_valid (branch))
    return invalid (error, _ ("The appeal number is not valid"));
  if (branch_code)
    *branch_code = g_steal_pointer (&branch);
  if (desk_code)
    *desk_code = desk;
  if (year)
    *year = 2000 + (int)yy;
  if (sequence)
    *sequence = seq;
  return TRUE;
}
