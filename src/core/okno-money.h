/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Money is integer kopecks everywhere; only these functions turn it into
 * text and back. */
char *okno_money_format (gint64 kopecks);
gboolean okno_money_parse (const char *text, gint64 *kopecks, GError **error);

G_END_DECLS
