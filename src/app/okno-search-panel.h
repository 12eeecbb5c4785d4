/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "okno-store.h"

G_BEGIN_DECLS

/* The search field and the lazy list of clients it finds. Emits
 * "account-selected" when the selection moves to a client,
 * "account-activated" when the clerk opens one (Enter, double click) and
 * "stopped" when the clerk clears the search with Escape. */
#define OKNO_TYPE_SEARCH_PANEL (okno_search_panel_get_type ())
G_DECLARE_FINAL_TYPE (OknoSearchPanel, okno_search_panel, OKNO, SEARCH_PANEL, AdwBin)

GtkWidget *okno_search_panel_new (void);
void okno_search_panel_set_store (OknoSearchPanel *self, OknoStore *store);
/* Focuses the search field and selects what is typed in it. */
void okno_search_panel_focus_search (OknoSearchPanel *self);
/* Empties the search and its results (signing out). */
void okno_search_panel_clear (OknoSearchPanel *self);

G_END_DECLS
