/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Dates as documents write them: "4 декабря 2026 г." (the month in the
 * genitive, as Russian letters date themselves), through the translation,
 * so they follow the UI's language. */
char *okno_paper_format_date (GDateTime *moment);
/* "4 декабря 2026 г., 14:05" in the moment's own time zone. */
char *okno_paper_format_datetime (GDateTime *moment);

G_END_DECLS
