/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The slip and the answer letter of an appeal, in the one layout. */

#include <glib/gi18n-lib.h>

#include "okno-appeal-paper.h"
#include "okno-labels.h"
#include "okno-paper-text.h"

static void
add_letterhead (OknoDocument *doc, const OknoAppealPaper *a)
{
  if (a->organisation)
    okno_document_add_letterhead (doc, a->organisation);
  if (a->branch)
    okno_document_add_letterhead (doc, a->branch);
}

static void
add_moment (OknoDocument *doc, const char *label, GDateTime *moment, gboolean with_time)
{
  g_autofree char *text = NULL;

  if (moment)
    text = with_time ? okno_paper_format_datetime (moment) : okno_paper_format_date (moment);
  okno_document_add_field (doc, label, text);
}

static void
add_account (OknoDocument *doc, const OknoAppealPaper *a)
{
  if (a->account_number == NULL)
    return;
  okno_document_add_field (
    doc, a->is_contract ? C_ ("appeal paper", "Contract") : C_ ("appeal paper", "Account"),
    a->account_number);
}

static void
add_answer_way (OknoDocument *doc, const OknoAppealPaper *a)
{
  g_autofree char *way = NULL;

  if (a->answer_channel == NULL)
    way = g_strdup (C_ ("appeal paper", "No contact given: the answer cannot be sent"));
  else if (a->answer_address && *a->answer_address)
    /* Translators: the answer channel, then its address, on a slip */
    way = g_strdup_printf (C_ ("appeal paper", "%s: %s"), okno_choice_label (a->answer_channel),
                           a->answer_address);
  else
    way = g_strdup (okno_choice_label (a->answer_channel));
  okno_document_add_field (doc, C_ ("appeal paper", "Answer via"), way);
}

OknoDocument *
okno_appeal_slip_new (const OknoAppealPaper *a, OknoPaper paper)
{
  OknoDocument *doc = okno_document_new (paper, C_ ("appeal paper", "Appeal registration slip"));

  g_return_val_if_fail (a != NULL, doc);

  add_letterhead (doc, a);
  okno_document_add_field (doc, C_ ("appeal paper", "Appeal number"), a->number);
  add_moment (doc, C_ ("appeal paper", "Registered"), a->registered_at, TRUE);
  okno_document_add_field (doc, C_ ("appeal paper", "Kind"),
                           a->kind ? okno_choice_label (a->kind) : NULL);
  okno_document_add_field (doc, C_ ("appeal paper", "Received via"),
                           a->channel ? okno_choice_label (a->channel) : NULL);
  okno_document_add_field (doc, C_ ("appeal paper", "Applicant"), a->applicant);
  add_account (doc, a);
  okno_document_add_field (doc, C_ ("appeal paper", "Subject"), a->subject);
  add_moment (doc, C_ ("appeal paper", "Answer due by"), a->due, FALSE);
  add_answer_way (doc, a);
  okno_document_add_field (doc, C_ ("appeal paper", "Registered by"), a->registered_by);
  okno_document_add_rule (doc);
  okno_document_add_note (doc, C_ ("appeal paper",
                                   "Keep this slip. Quote the appeal number to ask how your appeal "
                                   "is being handled, at a service centre or by phone."));
  return doc;
}

OknoDocument *
okno_appeal_letter_new (const OknoAppealPaper *a)
{
  g_autofree char *title = NULL, *registered = NULL, *addressee = NULL;
  OknoDocument *doc;

  g_return_val_if_fail (a != NULL, NULL);

  registered = a->registered_at ? okno_paper_format_date (a->registered_at) : g_strdup ("—");
  /* Translators: the title of an answer letter: the appeal's number and its date */
  title = g_strdup_printf (C_ ("appeal paper", "Answer to appeal No. %s of %s"),
                           a->number ? a->number : "—", registered);
  doc = okno_document_new (OKNO_PAPER_A4, title);
  add_letterhead (doc, a);
  addressee = a->answer_address && *a->answer_address
                ? g_strdup_printf ("%s\n%s", a->applicant ? a->applicant : "—", a->answer_address)
                : g_strdup (a->applicant);
  okno_document_add_field (doc, C_ ("appeal paper", "To"), addressee);
  add_account (doc, a);
  okno_document_add_field (doc, C_ ("appeal paper", "Subject"), a->subject);
  okno_document_add_paragraph (doc, a->answer_text);
  add_moment (doc, C_ ("appeal paper", "Date"), a->answered_at, FALSE);
  okno_document_add_signature (doc, C_ ("appeal paper", "Signed"), a->answered_by);
  return doc;
}
