/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Work-arounds for accessible names that GTK 4.8 and libadwaita 1.2 leave
 * out or get wrong, so that a screen reader (and the accessibility crawl
 * of the end-to-end tests) hears one real name for every control. */

/* libadwaita 1.2 labels each response button both by its text and by a
 * relation to its inner label, and GTK 4.8 joins the two: "Confirm
 * Confirm". Call after the responses are added. */
void okno_a11y_fix_message_dialog (AdwMessageDialog *dialog);

/* Names the buttons and search fields that library windows (About,
 * Keyboard Shortcuts) build without a name, from their tooltip, their
 * inner label or their icon. */
void okno_a11y_name_library_controls (GtkWidget *root);

/* GTK 4.8 has no GtkListItem:accessible-label (4.12): names the list item
 * that holds child, from inside the item's own widget. */
void okno_a11y_name_list_item (GtkWidget *child, const char *name);

G_END_DECLS
