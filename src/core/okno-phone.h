/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Russian numbers in any common spelling ("8 (912) 345-67-89", "+7912…")
 * become the 10-digit national number used as the search key, or NULL. */
char *okno_phone_normalize (const char *text);

/* "+7 912 345-67-89" from any accepted spelling, or NULL. */
char *okno_phone_format (const char *text);

/* Digits only, for prefix search while the number is still being typed. */
char *okno_phone_digits (const char *text);

G_END_DECLS
