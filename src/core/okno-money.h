/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Money is integer kopecks everywhere; only these functions turn it into
 * text and back. */
char *okno_money_format (gint64 kopecks);
gboolean okno_money_parse (const char *text, gint64 *kopecks, GError **error);

/* Sums of kopecks, checked: a sum that does not fit 64 bits is an error
 * (OKNO_CORE_ERROR_INVALID, translated), never a wrapped-around value.
 * Every balance or total goes through these. */
gboolean okno_money_add (gint64 a, gint64 b, gint64 *sum, GError **error);
gboolean okno_money_sum (const gint64 *amounts, gsize n, gint64 *sum, GError **error);

G_END_DECLS
