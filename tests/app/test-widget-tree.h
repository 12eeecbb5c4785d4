/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Looking into widget trees, as the app tests do: depth first, the root
 * included, the first widget match says yes to. */
typedef gboolean (*TestWidgetMatch) (GtkWidget *widget, gconstpointer data);

GtkWidget *test_widget_find (GtkWidget *root, TestWidgetMatch match, gconstpointer data);

/* A visible label holding text (its widget and every parent visible). */
gboolean test_widget_shows_text (GtkWidget *root, const char *text);
/* A label holding text, shown or not. */
gboolean test_widget_holds_text (GtkWidget *root, const char *text);
/* The first widget of type. */
GtkWidget *test_widget_find_type (GtkWidget *root, GType type);
/* The label whose text is exactly text. */
GtkLabel *test_widget_find_label (GtkWidget *root, const char *text);

G_END_DECLS
