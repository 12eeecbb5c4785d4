/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "test-widget-tree.h"

GtkWidget *
test_widget_find (GtkWidget *root, TestWidgetMatch match, gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = test_widget_find (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
label_holds (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
label_shows (GtkWidget *widget, gconstpointer text)
{
  return label_holds (widget, text) && gtk_widget_is_visible (widget);
}

static gboolean
label_is (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
is_type (GtkWidget *widget, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

gboolean
test_widget_shows_text (GtkWidget *root, const char *text)
{
  return test_widget_find (root, label_shows, text) != NULL;
}

gboolean
test_widget_holds_text (GtkWidget *root, const char *text)
{
  return test_widget_find (root, label_holds, text) != NULL;
}

GtkWidget *
test_widget_find_type (GtkWidget *root, GType type)
{
  return test_widget_find (root, is_type, GSIZE_TO_POINTER (type));
}

GtkLabel *
test_widget_find_label (GtkWidget *root, const char *text)
{
  return GTK_LABEL (test_widget_find (root, label_is, text));
}
