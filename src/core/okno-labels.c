/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-labels.h"

#include <glib/gi18n-lib.h>

typedef struct
{
  const char *value;
  const char *label;
} Label;

/* Values are unique across the lists, so one table serves them all. Where
 * one word means two things (a channel "phone" and a reading source
 * "phone"), the label fits both. */
static const Label labels[] = {
  { "household", N_ ("Household") },
  { "legal_entity", N_ ("Legal entity") },
  { "sole_trader", N_ ("Sole trader") },
  { "none", N_ ("None") },
  { "high_capacity", N_ ("670 kW or more") },
  { "budget_funded", N_ ("Budget-funded organisation") },
  { "religious", N_ ("Religious organisation") },
  { "utility_provider", N_ ("Utility provider") },
  { "in_person", N_ ("In person") },
  { "phone", N_ ("Phone") },
  { "post", N_ ("Post") },
  { "email", N_ ("E-mail") },
  { "fax", N_ ("Fax") },
  { "web_reception", N_ ("Web reception") },
  { "web_account", N_ ("Customer web account") },
  { "feedback_book", N_ ("Feedback book") },
  { "social", N_ ("Social networks") },
  { "gis_zhkh", N_ ("GIS ZhKKh") },
  { "terminal", N_ ("Terminal") },
  { "clerk", N_ ("Counter specialist") },
  { "administrator", N_ ("Hall administrator") },
  { "supervisor", N_ ("Supervisor") },
  { "consultation", N_ ("Consultation") },
  { "application", N_ ("Application") },
  { "complaint", N_ ("Complaint") },
  { "suggestion", N_ ("Suggestion") },
  { "thanks", N_ ("Thanks") },
  { "review", N_ ("Review") },
  { "registered", N_ ("Registered") },
  { "assigned", N_ ("Assigned") },
  { "in_progress", N_ ("In progress") },
  { "answered", N_ ("Answered") },
  { "refused", N_ ("Refused: out of scope") },
  { "declined", N_ ("Declined on the merits") },
  { "no_action", N_ ("No action taken") },
  { "closed", N_ ("Closed") },
  { "ok", N_ ("On time") },
  { "warning", N_ ("Deadline near") },
  { "overdue", N_ ("Overdue") },
  { "out_of_scope", N_ ("The question is outside the Company's services") },
  { "already_answered", N_ ("Already answered on the merits, and no new arguments or "
                            "circumstances are given") },
  { "confidential", N_ ("The answer would disclose a trade secret or personal data") },
  { "unreadable", N_ ("The text cannot be read") },
  { "abusive", N_ ("Obscene or insulting words, or threats to staff or the Company") },
  { "hatred", N_ ("Calls to ethnic or religious hatred") },
  { "unlawful_calls", N_ ("Calls to unlawful actions") },
  { "no_contacts", N_ ("No contact details are given") },
  { "comment", N_ ("Comment") },
  { "status_changed", N_ ("Status changed") },
  { "extended", N_ ("Deadline extended") },
  { "low", N_ ("Low") },
  { "normal", N_ ("Normal") },
  { "high", N_ ("High") },
  { "critical", N_ ("Critical") },
  { "counter", N_ ("At the counter") },
  { "controller", N_ ("Meter inspector") },
  { "smart_meter", N_ ("Smart meter") },
  { "cash", N_ ("Cash") },
  { "card", N_ ("Bank card") },
  { "bank_transfer", N_ ("Bank transfer") },
  { "working", N_ ("Working day") },
  { "short", N_ ("Shortened working day") },
  { "weekend", N_ ("Day off") },
  { "holiday", N_ ("Public holiday") },
  { "service_centre", N_ ("Service centre") },
  { "service_office", N_ ("Service office") },
  { "waiting", N_ ("Waiting") },
  { "called", N_ ("Called") },
  { "serving", N_ ("Being served") },
  { "done", N_ ("Done") },
  { "no_show", N_ ("Did not come") },
  { "cancelled", N_ ("Cancelled") },
  { "booked", N_ ("Booked") },
  { "arrived", N_ ("Arrived") },
  { "served", N_ ("Served") },
  { "missed", N_ ("Missed") },
};

const char *
okno_choice_label (const char *value)
{
  if (value == NULL)
    return "";
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].value, value))
      return _ (labels[i].label);
  return value;
}
