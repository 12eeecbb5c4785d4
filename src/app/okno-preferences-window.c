/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-preferences-window.h"

#include <glib/gi18n.h>

#include "okno-a11y.h"

struct _OknoPreferencesWindow
{
  AdwPreferencesWindow parent_instance;
  GSettings *settings;
  GPtrArray *branches; /* OknoBranch, in the combo's order after the first */
  GCancellable *cancellable;

  AdwEntryRow *server_row;
  AdwEntryRow *ca_file_row;
  GtkSwitch *plain_http_switch;
  AdwComboRow *branch_combo;
  AdwEntryRow *branch_entry;
  GtkSpinButton *sync_spin;
  GtkSpinButton *idle_spin;
};

G_DEFINE_FINAL_TYPE (OknoPreferencesWindow, okno_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
branch_selected_cb (OknoPreferencesWindow *self, GParamSpec *pspec, AdwComboRow *combo)
{
  guint selected = adw_combo_row_get_selected (combo);
  const char *id = "";

  if (self->settings == NULL || self->branches == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  /* The first item means "the signed-in staff member's branch". */
  if (selected > 0 && selected <= self->branches->len)
    id = ((OknoBranch *)g_ptr_array_index (self->branches, selected - 1))->id;
  g_settings_set_string (self->settings, "branch-id", id);
}

static void
setup_branch_item_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_branch_item_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *name = gtk_string_object_get_string (gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (label), name);
  okno_a11y_name_list_item (label, name);
}

/* The combo's rows (the chosen one and those of its popup) have no
 * accessible names in libadwaita 1.2. */
static GtkListItemFactory *
branch_list_factory (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_branch_item_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_branch_item_cb), NULL);
  return factory;
}

static guint
position_of_branch (GPtrArray *branches, const char *id)
{
  for (guint i = 0; i < branches->len; i++)
    if (g_strcmp0 (((OknoBranch *)g_ptr_array_index (branches, i))->id, id) == 0)
      return i + 1;
  return 0;
}

/* With branches in the replica the clerk picks one by name; before the
 * first download there are none, and an identifier can be typed in. */
static void
show_branches (OknoPreferencesWindow *self, GPtrArray *branches_read)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *current = g_settings_get_string (self->settings, "branch-id");
  g_autoptr (GPtrArray) branches = branches_read;
  g_autoptr (GtkListItemFactory) factory = NULL;

  if (branches == NULL || branches->len == 0)
    {
      g_settings_bind (self->settings, "branch-id", self->branch_entry, "text",
                       G_SETTINGS_BIND_DEFAULT);
      return;
    }
  factory = branch_list_factory ();
  gtk_string_list_append (names, _ ("The staff member’s own branch"));
  for (guint i = 0; i < branches->len; i++)
    gtk_string_list_append (names, ((OknoBranch *)g_ptr_array_index (branches, i))->name);
  /* self->branches stays unset meanwhile, so filling the combo writes
   * nothing back to the settings. */
  adw_combo_row_set_factory (self->branch_combo, factory);
  adw_combo_row_set_model (self->branch_combo, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->branch_combo, position_of_branch (branches, current));
  self->branches = g_steal_pointer (&branches);
  gtk_widget_set_visible (GTK_WIDGET (self->branch_combo), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->branch_entry), FALSE);
}

static void
branches_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *branches = okno_store_list_branches_finish (OKNO_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the window is gone */
  show_branches (OKNO_PREFERENCES_WINDOW (user_data), branches);
}

static void
setup_branches (OknoPreferencesWindow *self, OknoStore *store)
{
  if (store == NULL)
    show_branches (self, NULL);
  else
    okno_store_list_branches_async (store, self->cancellable, branches_read_cb, self);
}

static void
bind_settings (OknoPreferencesWindow *self)
{
  g_settings_bind (self->settings, "server-url", self->server_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "tls-ca-file", self->ca_file_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "allow-plain-http", self->plain_http_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sync-interval-minutes", self->sync_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "idle-lock-minutes", self->idle_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
okno_preferences_window_dispose (GObject *object)
{
  OknoPreferencesWindow *self = OKNO_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->branches, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (okno_preferences_window_parent_class)->dispose (object);
}

static void
okno_preferences_window_class_init (OknoPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/eens/Okno/okno-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, OknoPreferencesWindow, ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, OknoPreferencesWindow, plain_http_switch);
  gtk_widget_class_bind_template_child (widget_class, OknoPreferencesWindow, branch_combo);
  gtk_widget_class_bind_template_child (widget_class, OknoPreferencesWindow, branch_entry);
  gtk_widget_class_bind_template_child (widget_class, OknoPreferencesWindow, sync_spin);
  gtk_widget_class_bind_template_child (widget_class, OknoPreferencesWindow, idle_spin);
  gtk_widget_class_bind_template_callback (widget_class, branch_selected_cb);
}

static void
okno_preferences_window_init (OknoPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
okno_preferences_window_new (GtkWindow *parent, GSettings *settings, OknoStore *store)
{
  OknoPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (OKNO_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);
  bind_settings (self);
  setup_branches (self, store);
  return GTK_WIDGET (self);
}
