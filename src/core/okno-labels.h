/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The translated label of a value from one of the closed lists in
 * okno-collection.h ("household" -> "Household"); the value itself when
 * unknown, so a newer server never makes a row vanish from the UI. */
const char *okno_choice_label (const char *value);

G_END_DECLS
