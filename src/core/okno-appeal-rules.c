/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-appeal-rules.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "okno-collection.h"
#include "okno-core-error.h"
#include "okno-labels.h"
#include "okno-phone.h"

#include "okno-deadline.h"

OknoDeadline *
okno_appeal_answer_deadline (GDateTime *registered, const char *answer_days, guint extended_days,
                             GTimeZone *zone, OknoCalendar *calendar, GError **error)
{
  const OknoDeadlineRule *rule = okno_deadline_rule_lookup ("answer", NULL);
  g_autoptr (OknoDeadline) answer = NULL;
  g_autoptr (OknoDeadline) extension = NULL;
  guint days;

  g_return_val_if_fail (registered != NULL && zone != NULL && OKNO_IS_CALENDAR (calendar), NULL);

  if (!okno_deadline_rule_parse_days (rule, answer_days, &days, error)
      || (answer = okno_deadline_new ("answer", days, registered, zone, calendar, error)) == NULL)
    return NULL;
  if (extended_days == 0)
    return g_steal_pointer (&answer);
  if ((extension
       = okno_deadline_new ("extension", extended_days, answer->due, zone, calendar, error))
      == NULL)
    return NULL;
  /* The answer's clock, now ending where the extension does. */
  g_date_time_unref (answer->due);
  answer->due = g_date_time_ref (extension->due);
  return g_steal_pointer (&answer);
}

gboolean
okno_appeal_clock_runs (const char *rule, const char *channel, const char *status)
{
  gboolean open = okno_appeal_status_rank (status) >= 0 && okno_appeal_status_rank (status) < 3;

  if (g_strcmp0 (rule, "register") == 0)
    return g_strcmp0 (status, "registered") == 0;
  if (g_strcmp0 (rule, "answer") == 0)
    return open;
  if (g_strcmp0 (rule, "refusal_notice") == 0)
    return open && g_strcmp0 (channel, "web_reception") == 0;
  return FALSE;
}

char *
okno_appeal_due_on (GDateTime *registered, const char *answer_days, GTimeZone *zone,
                    OknoCalendar *calendar, GError **error)
{
  g_autoptr (OknoDeadline) due
    = okno_appeal_answer_deadline (registered, answer_days, 0, zone, calendar, error);

  return due ? g_date_time_format (due->due, "%Y-%m-%d") : NULL;
}

const char *const okno_answer_channels[]
  = { "in_person",     "phone",       "post",   "email",    "fax",
      "web_reception", "web_account", "social", "gis_zhkh", NULL };

const char *
okno_answer_channel_address (const char *channel)
{
  static const struct
  {
    const char *channel, *address;
  } needs[] = {
    { "phone", "phone" }, { "post", "postal_address" }, { "email", "email" },
    { "fax", "fax" },     { "web_reception", "email" }, { "social", "social_profile" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (needs); i++)
    if (g_strcmp0 (needs[i].channel, channel) == 0)
      return needs[i].address;
  return NULL;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Enough to catch a phone number typed into the e-mail field; the mail
 * server is the judge of the rest. */
static gboolean
looks_like_email (const char *text)
{
  const char *at = strchr (text, '@');

  return at != NULL && at != text && strchr (at + 1, '@') == NULL && strchr (at + 1, '.') != NULL
         && strchr (text, ' ') == NULL;
}

gboolean
okno_answer_channel_check (const char *channel, const char *address, GError **error)
{
  const char *needs;
  g_autofree char *phone = NULL;

  if (!okno_choice_is_valid (okno_answer_channels, channel))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("An answer cannot be sent through “%s”"),
                   channel ? okno_choice_label (channel) : "");
      return FALSE;
    }
  if ((needs = okno_answer_channel_address (channel)) == NULL)
    return TRUE;
  if (is_blank (address))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_MISSING,
                   _ ("An answer by “%s” needs the client's address for it"),
                   okno_choice_label (channel));
      return FALSE;
    }
  if (g_str_equal (needs, "email") && !looks_like_email (address))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("“%s” is not an e-mail address"), address);
      return FALSE;
    }
  if ((g_str_equal (needs, "phone") || g_str_equal (needs, "fax"))
      && (phone = okno_phone_normalize (address)) == NULL)
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("“%s” is not a Russian phone number"), address);
      return FALSE;
    }
  return TRUE;
}

gboolean
okno_appeal_registration_check (const OknoAppealRegistration *r, GError **error)
{
  g_return_val_if_fail (r != NULL, FALSE);

  if (is_blank (r->kind) || is_blank (r->channel))
    {
      g_set_error_literal (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_MISSING,
                           is_blank (r->kind) ? _ ("Choose the kind of the appeal")
                                              : _ ("Choose the channel the appeal came through"));
      return FALSE;
    }
  if (!okno_choice_is_valid (okno_appeal_kinds, r->kind))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("“%s” is not a kind of appeal"), r->kind);
      return FALSE;
    }
  if (!okno_choice_is_valid (okno_channels, r->channel))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID, _ ("“%s” is not a channel"),
                   r->channel);
      return FALSE;
    }
  if (is_blank (r->subject))
    {
      g_set_error_literal (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_MISSING,
                           _ ("Write what the appeal is about"));
      return FALSE;
    }
  if (r->account_id != NULL && !okno_text_is_uuid (r->account_id))
    {
      g_set_error_literal (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                           _ ("The account's identifier is not valid"));
      return FALSE;
    }
  if (r->account_id == NULL && is_blank (r->applicant_name))
    {
      g_set_error_literal (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_MISSING,
                           _ ("Choose the client's account or write the applicant's name"));
      return FALSE;
    }
  return r->answer_channel == NULL
         || okno_answer_channel_check (r->answer_channel, r->answer_address, error);
}

gboolean
okno_appeal_document_check (const char *title, const gint64 *pages, GError **error)
{
  g_autofree char *what = g_strstrip (g_strdup (title ? title : ""));

  if (*what == '\0')
    {
      g_set_error_literal (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                           _ ("Write the title of every attached document"));
      return FALSE;
    }
  if (pages != NULL && (*pages < 1 || *pages > OKNO_APPEAL_DOCUMENT_MAX_PAGES))
    {
      g_set_error (error, OKNO_CORE_ERROR, OKNO_CORE_ERROR_INVALID,
                   _ ("A document has 1 to %d pages"), OKNO_APPEAL_DOCUMENT_MAX_PAGES);
      return FALSE;
    }
  return TRUE;
}
