/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The bounds of amounts and readings, and the authorship of created
 * records: pure rules over policy values and the session's author. */

#include "okno-limits.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "okno-core-error.h"
#include "okno-money.h"

const char *const okno_limit_keys[]
  = { "payment_max_kop", "cash_payment_max_kop", "household_cash_payment_max_kop",
      "reading_max_digits", NULL };

static gint64
fallback (const char *text)
{
  return g_ascii_strtoll (text, NULL, 10);
}

void
okno_limits_init (OknoLimits *limits)
{
  limits->payment_max_kop = fallback (OKNO_LIMIT_PAYMENT_MAX_KOP);
  limits->cash_payment_max_kop = fallback (OKNO_LIMIT_CASH_PAYMENT_MAX_KOP);
  limits->household_cash_payment_max_kop = fallback (OKNO_LIMIT_HOUSEHOLD_CASH_PAYMENT_MAX_KOP);
  limits->reading_max_digits = (guint)fallback (OKNO_LIMIT_READING_MAX_DIGITS);
}

gboolean
okno_limits_set (OknoLimits *limits, const char *key, const char *value, GError **error)
{
  gint64 *kop = g_strcmp0 (key, "payment_max_kop") == 0        ? &limits->payment_max_kop
                : g_strcmp0 (key, "cash_payment_max_kop") == 0 ? &limits->cash_payment_max_kop
                : g_strcmp0 (key, "household_cash_payment_max_kop") == 0
                  ? &limits->household_cash_payment_max_kop
                  : NULL;
  gboolean digits = g_strcmp0 (key, "reading_max_digits") == 0;
  guint64 number = 0;

  if (kop == NULL && !digits)
    return TRUE;
  /* 18 digits keep 10^digits within gint64. */
  if (value == NULL
      || !g_ascii_string_to_unsigned (value, 10, 1, digits ? 18 : G_MAXINT64, &number, NULL))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("The policy “%s” must be a positive whole number, not “%s”"), key,
                   value ? value : "");
      return FALSE;
    }
  if (digits)
    limits->reading_max_digits = (guint)number;
  else
    *kop = (gint64)number;
  return TRUE;
}

gboolean
okno_payment_check (const char *client_kind, const char *method, gint64 amount_kop,
                    const OknoLimits *limits, GError **error)
{
  gboolean cash = g_strcmp0 (method, "cash") == 0;
  gboolean household = g_strcmp0 (client_kind, "household") == 0;
  g_autofree char *limit = NULL;

  if (amount_kop <= 0)
    g_set_error_literal (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                         _ ("A payment's amount must be positive"));
  else if (amount_kop > limits->payment_max_kop)
    g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE,
                 _ ("A single payment may be at most %s"),
                 (limit = okno_money_format (limits->payment_max_kop)));
  else if (cash && household && amount_kop > limits->household_cash_payment_max_kop)
    g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE,
                 _ ("A cash payment may be at most %s; take a larger sum by card or bank "
                    "transfer"),
                 (limit = okno_money_format (limits->household_cash_payment_max_kop)));
  else if (cash && !household && amount_kop > limits->cash_payment_max_kop)
    g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE,
                 _ ("An organisation or a sole trader may pay at most %s in cash (Bank of "
                    "Russia Directive 5348-U)"),
                 (limit = okno_money_format (limits->cash_payment_max_kop)));
  else
    return TRUE;
  return FALSE;
}

gboolean
okno_reading_check (const char *zone, gint64 value, const OknoLimits *limits, GError **error)
{
  gint64 bound = 1;

  for (guint i = 0; i < MIN (limits->reading_max_digits, 18); i++)
    bound *= 10;
  if (value < 0)
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("The reading %s cannot be negative"), zone);
      return FALSE;
    }
  if (value >= bound)
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_OUT_OF_RANGE,
                   _ ("The reading %s may have at most %u digits"), zone,
                   limits->reading_max_digits);
      return FALSE;
    }
  return TRUE;
}

gboolean
okno_reading_row_check (const OknoCollection *readings, const OknoValue *values,
                        const OknoLimits *limits, GError **error)
{
  static const char *const zones[] = { "t1", "t2", "t3" };

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    {
      int i = okno_collection_field_index (readings, zones[z]);

      if (i >= 0 && !values[i].is_null
          && !okno_reading_check (zones[z], values[i].integer, limits, error))
        return FALSE;
    }
  return TRUE;
}

/* --- authorship ------------------------------------------------------------ */

typedef enum
{
  AUTHOR_WRITER,   /* the staff member who writes the record */
  AUTHOR_BRANCH,   /* the writer's branch */
  AUTHOR_REVIEWER, /* set when someone reviews it: the writer or nobody */
} AuthorRole;

/* Each collection a branch creates, and the fields that say who wrote it
 * (an appeal: who registered it).
 * An appeal's branch_id and assignee_id route it rather than name its
 * writer, and feedback's branch_id is the branch it is about. */
static const struct
{
  const char *collection;
  const char *field;
  AuthorRole role;
} author_fields[] = {
  { "readings", "staff_id", AUTHOR_WRITER },     { "payments", "staff_id", AUTHOR_WRITER },
  { "payments", "branch_id", AUTHOR_BRANCH },    { "appeal_events", "staff_id", AUTHOR_WRITER },
  { "disclosures", "staff_id", AUTHOR_WRITER },  { "feedback", "reviewed_by", AUTHOR_REVIEWER },
  { "appeals", "registered_by", AUTHOR_WRITER },
};

static int
author_role (const OknoCollection *collection, const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (author_fields); i++)
    if (strcmp (author_fields[i].collection, collection->name) == 0
        && strcmp (author_fields[i].field, field) == 0)
      return (int)author_fields[i].role;
  return -1;
}

gboolean
okno_field_is_author (const OknoCollection *collection, const char *field)
{
  return author_role (collection, field) >= 0;
}

static gboolean
not_author (const OknoField *field, const char *named, GError **error)
{
  g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
               _ ("Field “%s” names %s, but a record is written only in the name of the "
                  "signed-in staff member and their branch"),
               field->name, named);
  return FALSE;
}

static gboolean
claim_field (const OknoField *field, AuthorRole role, OknoValue *value, const OknoAuthor *author,
             GError **error)
{
  const char *own = role == AUTHOR_BRANCH ? author->branch_id : author->staff_id;

  if (value->is_null && role == AUTHOR_REVIEWER)
    return TRUE;
  if (value->is_null)
    {
      value->is_null = own == NULL;
      value->text = own;
      return TRUE;
    }
  if (own == NULL || g_strcmp0 (value->text, own) != 0)
    return not_author (field, value->text ? value->text : "", error);
  return TRUE;
}

gboolean
okno_authorship_claim (const OknoCollection *collection, OknoValue *values,
                       const OknoAuthor *author, GError **error)
{
  for (guint f = 0; f < collection->n_fields; f++)
    {
      int role = author_role (collection, collection->fields[f].name);

      if (role >= 0
          && !claim_field (&collection->fields[f], (AuthorRole)role, &values[f], author, error))
        return FALSE;
    }
  return TRUE;
}
