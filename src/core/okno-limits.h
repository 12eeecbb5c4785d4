/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "okno-collection.h"

G_BEGIN_DECLS

/* What the numbers of a record may be, and who may write it. The limits
 * are policy data (the policy collection, synced to every branch); these
 * are the fallbacks when the replica or the server has none. The desktop
 * checks a record with these functions before it is written, okno-central
 * again before it is applied: one rule, two places that keep it. */

/* One payment at a counter, any method: 500 000 ₽. */
#define OKNO_LIMIT_PAYMENT_MAX_KOP "50000000"
/* Cash from a legal entity or a sole trader: 100 000 ₽, the limit of
 * Bank of Russia Directive 5348-U (para. 6) for cash settlements between
 * organisations within one contract. The counter sees one payment at a
 * time, so it holds each payment to it. */
#define OKNO_LIMIT_CASH_PAYMENT_MAX_KOP "10000000"
/* Cash from a household: 200 000 ₽. The Directive does not bind people,
 * but a household's bill is a few thousand roubles a month and even years
 * of debt of a house heated by electricity stay below this; a larger sum
 * in notes at a counter is far more likely a mistyped amount, and it is
 * safer paid by card or bank transfer than counted at the window. */
#define OKNO_LIMIT_HOUSEHOLD_CASH_PAYMENT_MAX_KOP "20000000"
/* Digits a meter's register shows (a meter's description names none):
 * eight is the widest register of the meters in service. */
#define OKNO_LIMIT_READING_MAX_DIGITS "8"

typedef struct
{
  gint64 payment_max_kop;
  gint64 cash_payment_max_kop;           /* legal entities and sole traders */
  gint64 household_cash_payment_max_kop; /* households */
  guint reading_max_digits;
} OknoLimits;

/* The policy keys of the limits, NULL-terminated. */
extern const char *const okno_limit_keys[];

/* The fallbacks above. */
void okno_limits_init (OknoLimits *limits);
/* Takes one policy row. A key that is no limit's is ignored; a limit's
 * value that is not a positive whole number (digits: 1 to 18) is refused
 * and the limit keeps its value. */
gboolean okno_limits_set (OknoLimits *limits, const char *key, const char *value, GError **error);

/* A payment of amount_kop by method from a client of client_kind
 * (okno_client_kinds): positive and within the limits. */
gboolean okno_payment_check (const char *client_kind, const char *method, gint64 amount_kop,
                             const OknoLimits *limits, GError **error);
/* One register of a reading (zone "t1", "t2" or "t3"): never negative and
 * no more digits than a register shows. */
gboolean okno_reading_check (const char *zone, gint64 value, const OknoLimits *limits,
                             GError **error);
/* The registers of a readings row that are not null. */
gboolean okno_reading_row_check (const OknoCollection *readings, const OknoValue *values,
                                 const OknoLimits *limits, GError **error);

/* --- authorship ------------------------------------------------------------ */

/* Who writes a record: the signed-in staff member and their branch (NULL
 * when they have none), as the session proves them. */
typedef struct
{
  const char *staff_id;
  const char *branch_id;
} OknoAuthor;

/* Whether a field of the collection says who wrote its record. */
gboolean okno_field_is_author (const OknoCollection *collection, const char *field);

/* A created row's author fields: one that names the writer (staff_id) or
 * their branch (a payment's branch_id) and is null takes it from author;
 * one that names anyone else is refused. A reviewer (feedback's
 * reviewed_by) may only be the author or nobody. Filled values borrow the
 * author's strings. */
gboolean okno_authorship_claim (const OknoCollection *collection, OknoValue *values,
                                const OknoAuthor *author, GError **error);

G_END_DECLS
