/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-document.h"

G_BEGIN_DECLS

/* The papers of an appeal: the registration slip the client takes away
 * (issue 10: number, date, due date, answer channel; A4 or an 80 mm
 * roll) and the answer letter (A4). Values are the register's own
 * (kind, channel: okno_choice_label gives their words); moments are in
 * the branch's time zone. */
typedef struct
{
  const char *organisation; /* the company, for the letterhead */
  const char *branch;       /* the branch's name and address */
  const char *number;
  GDateTime *registered_at;
  GDateTime *due; /* the answer's due moment */
  const char *kind;
  const char *channel;
  const char *applicant;      /* the account's holder or the applicant's name */
  const char *account_number; /* NULL for an applicant without an account */
  gboolean is_contract;       /* account_number is a contract's, not a household account's */
  const char *subject;
  const char *answer_channel; /* NULL when the client left no contact */
  const char *answer_address;
  const char *registered_by; /* the staff member's name */
  /* The letter only. */
  const char *answer_text;
  GDateTime *answered_at;
  const char *answered_by;
} OknoAppealPaper;

OknoDocument *okno_appeal_slip_new (const OknoAppealPaper *appeal, OknoPaper paper);
OknoDocument *okno_appeal_letter_new (const OknoAppealPaper *appeal);

G_END_DECLS
