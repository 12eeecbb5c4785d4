/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How an appeal registered at the counter is numbered and when its answer
 * is due. Moved here from okno-cli unchanged; the due date is still counted
 * in calendar days, not yet on the production calendar (OknoCalendar). */

/* Days to answer when the policy names none (policy appeal_answer_days). */
#define OKNO_APPEAL_ANSWER_DAYS "30"

/* The registration number: "О-YYYYMMDD-" and the last 8 characters of the
 * appeal's id. The id is a UUIDv7 (okno_uuid7_new), whose tail is random,
 * so the number is unique and readable. registered_at is the registration
 * time, "YYYY-MM-DDTHH:MM:SSZ". */
char *okno_appeal_number (const char *registered_at, const char *id);

/* The day the answer is due, "YYYY-MM-DD": answer_days (the policy's text,
 * read as a decimal number) calendar days after registered. */
char *okno_appeal_due_on (GDateTime *registered, const char *answer_days);

G_END_DECLS
