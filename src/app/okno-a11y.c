/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-a11y.h"

#include <glib/gi18n.h>

static void
drop_label_relations (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child))
        gtk_accessible_reset_relation (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      drop_label_relations (child);
    }
}

void
okno_a11y_fix_message_dialog (AdwMessageDialog *dialog)
{
  g_return_if_fail (ADW_IS_MESSAGE_DIALOG (dialog));
  drop_label_relations (GTK_WIDGET (dialog));
}

/* Icons the library windows use on buttons without text. */
static const char *
name_for_icon (const char *icon_name)
{
  static const struct
  {
    const char *icon;
    const char *name;
  } icons[] = {
    { "go-previous-symbolic", N_ ("Back") },     { "edit-find-symbolic", N_ ("Search") },
    { "system-search-symbolic", N_ ("Search") }, { "edit-copy-symbolic", N_ ("Copy") },
    { "window-close-symbolic", N_ ("Close") },
  };

  for (guint i = 0; icon_name != NULL && i < G_N_ELEMENTS (icons); i++)
    if (g_str_equal (icons[i].icon, icon_name))
      return _ (icons[i].name);
  return NULL;
}

/* The text a button shows or hints at, or NULL. */
static const char *
button_text (GtkWidget *button)
{
  GtkWidget *child = gtk_widget_get_first_child (button);
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  if (tooltip != NULL)
    return tooltip;
  if (GTK_IS_LABEL (child))
    return gtk_label_get_text (GTK_LABEL (child));
  if (GTK_IS_IMAGE (child))
    return name_for_icon (gtk_image_get_icon_name (GTK_IMAGE (child)));
  if (GTK_IS_BUTTON (button))
    return name_for_icon (gtk_button_get_icon_name (GTK_BUTTON (button)));
  return NULL;
}

static void
name_control (GtkWidget *widget)
{
  const char *name = NULL;

  GtkWidget *parent = gtk_widget_get_parent (widget);

  /* A menu button without text, and the toggle button inside it, offer
   * the window's sections (the shortcuts window's only one). */
  if ((GTK_IS_MENU_BUTTON (widget) || GTK_IS_MENU_BUTTON (parent))
      && gtk_menu_button_get_label (GTK_MENU_BUTTON (GTK_IS_MENU_BUTTON (widget) ? widget : parent))
           == NULL)
    name = _ ("Sections");
  else if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
    name = button_text (widget);
  else if (GTK_IS_SEARCH_ENTRY (widget))
    name = _ ("Search");
  if (name != NULL && *name != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
}

void
okno_a11y_name_library_controls (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  /* The window controls name their buttons already. */
  if (GTK_IS_WINDOW_CONTROLS (root))
    return;
  name_control (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    okno_a11y_name_library_controls (child);
}

void
okno_a11y_name_list_item (GtkWidget *child, const char *name)
{
  GtkWidget *item = gtk_widget_get_parent (child);

  if (item != NULL && name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}
