/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-deadline.h"

G_BEGIN_DECLS

/* When an appeal's answer is due (the "answer" term of okno-deadline.h, on
 * the production calendar, in the branch's time zone), what it may be
 * registered with and how its answer may go back. Its number is
 * okno-appeal-number.h's. */

/* Days to answer when the policy names none (policy appeal_answer_days). */
#define OKNO_APPEAL_ANSWER_DAYS "30"

/* The channels an answer can go out through (L139, L237): every channel
 * but the feedback book and a terminal, which take appeals in only. A web
 * reception answer goes to the e-mail given in the form (L221). */
extern const char *const okno_answer_channels[];

/* What the client must give for an answer through channel: "email",
 * "phone", "fax" (a number), "postal_address", "social_profile", or NULL
 * when the channel needs nothing more (in person, the customer web
 * account, GIS ZhKKh: the account is the address). */
const char *okno_answer_channel_address (const char *channel);

/* Whether channel can carry an answer and address is one for it; a
 * translated OKNO_CORE_ERROR otherwise. */
gboolean okno_answer_channel_check (const char *channel, const char *address, GError **error);

/* The day the answer is due, "YYYY-MM-DD" in zone: answer_days (the
 * policy's text; NULL gives the Standard's 30) calendar days after the local
 * date of registered, moved to the next working day of calendar when it is
 * not one (Civil Code, art. 193). A policy text that is no number of days,
 * or more than the Standard's, is an error. */
char *okno_appeal_due_on (GDateTime *registered, const char *answer_days, GTimeZone *zone,
                          OknoCalendar *calendar, GError **error);

/* What an appeal is registered with (the register of issue 10, item 1). */
typedef struct
{
  const char *kind;    /* okno_appeal_kinds */
  const char *channel; /* okno_channels: how it came in */
  const char *subject;
  const char *account_id;     /* the client's account, or NULL */
  const char *applicant_name; /* without an account: who it is from */
  const char *answer_channel; /* okno_answer_channels, or NULL when no contact was given */
  const char *answer_address; /* what that channel needs (okno_answer_channel_address) */
} OknoAppealRegistration;

/* Whether an appeal can be registered with these fields: a kind, a channel
 * and a subject; an account or the applicant's name; an answer channel
 * that can carry an answer, with its address. Every appeal that comes in is
 * registered (L138), so one without contact details is too: the lifecycle
 * then leaves it without action (no_contacts, L154). */
gboolean okno_appeal_registration_check (const OknoAppealRegistration *registration,
                                         GError **error);

/* The most pages a described document may have. */
#define OKNO_APPEAL_DOCUMENT_MAX_PAGES 9999

/* Whether a document attached to an appeal (appeal_documents) is
 * described: a title that says what it is, not blank, and, when its pages
 * were counted (pages not NULL), 1 to OKNO_APPEAL_DOCUMENT_MAX_PAGES of
 * them. A translated OKNO_CORE_ERROR_INVALID otherwise. The form, the
 * store and okno-central all ask this. */
gboolean okno_appeal_document_check (const char *title, const gint64 *pages, GError **error);

/* The answer's term of an appeal registered at registered: the "answer"
 * rule of answer_days (NULL: the Standard's 30), then, when its term was
 * extended, extended_days working days after that due day (the
 * "extension" rule, at most 20). The result runs from registered. */
OknoDeadline *okno_appeal_answer_deadline (GDateTime *registered, const char *answer_days,
                                           guint extended_days, GTimeZone *zone,
                                           OknoCalendar *calendar, GError **error);

/* Whether the clock of rule runs for an appeal that came through channel
 * and is in status: registration until the appeal is handed over; the
 * answer until a decision; the refusal notice for web reception (L222)
 * until a decision. Extension moves the answer's clock and termination
 * notices are not appeals: neither runs on its own. */
gboolean okno_appeal_clock_runs (const char *rule, const char *channel, const char *status);

G_END_DECLS
