/* Needs attention: refused changes and appeal conflicts. */

#include "okno-attention-window.h"

#include <glib/gi18n.h>

#include "okno-format.h"
#include "okno-labels.h"
#include "okno-sync-status.h"

struct _OknoAttentionWindow
{
  AdwWindow parent_instance;
  OknoStore *store;

  GtkStack *stack;
  GtkWidget *refused_group;
  GtkListBox *refused_list;
  GtkWidget *conflicts_group;
  GtkListBox *conflicts_list;
};

G_DEFINE_FINAL_TYPE (OknoAttentionWindow, okno_attention_window, ADW_TYPE_WINDOW)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (OknoAttentionWindow *self, const GError *error)
{
  GtkWidget *dialog
    = adw_message_dialog_new (GTK_WINDOW (self), _ ("Could Not Change the Database"), NULL);

  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* "Appeal · Change" */
static char *
entry_title (const OknoOutboxEntry *entry)
{
  return g_strdup_printf ("%s · %s", okno_sync_status_collection_label (entry->collection),
                          okno_sync_status_op_label (entry->op));
}

/* --- send again, discard ---------------------------------------------------- */

static void
send_again_cb (GtkButton *button, OknoAttentionWindow *self)
{
  const char *mutation_id = g_object_get_data (G_OBJECT (button), "mutation-id");
  g_autoptr (GError) error = NULL;

  if (!okno_store_outbox_retry (self->store, mutation_id, &error))
    {
      show_error (self, error);
      return;
    }
  okno_attention_window_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
discard_response_cb (AdwMessageDialog *dialog, const char *response, gpointer data)
{
  OknoAttentionWindow *self = OKNO_ATTENTION_WINDOW (data);
  const char *mutation_id = g_object_get_data (G_OBJECT (dialog), "mutation-id");
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (response, "discard") != 0)
    return;
  if (!okno_store_outbox_discard (self->store, mutation_id, &error))
    {
      show_error (self, error);
      return;
    }
  okno_attention_window_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
discard_cb (GtkButton *button, OknoAttentionWindow *self)
{
  const char *title = g_object_get_data (G_OBJECT (button), "title");
  const char *key = g_object_get_data (G_OBJECT (button), "key");
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _ ("Discard This Change?"), NULL);

  adw_message_dialog_format_body (
    ADW_MESSAGE_DIALOG (dialog),
    /* Translators: the first %s is e.g. "Appeal · Change", the second the record's identifier */
    _ ("“%s” of record %s will be deleted from this computer and will never reach the server. "
       "Whatever it changed is lost. This cannot be undone."),
    title, key);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "discard",
                                    _ ("_Discard Change"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "mutation-id",
                          g_strdup (g_object_get_data (G_OBJECT (button), "mutation-id")), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- the list ------------------------------------------------------------- */

static GtkWidget *
entry_button (OknoAttentionWindow *self, const OknoOutboxEntry *entry, const char *title,
              const char *label, const char *description, GCallback callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);
  g_autofree char *about = g_strdup_printf ("%s, %s", description, title);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  about, -1);
  g_object_set_data_full (G_OBJECT (button), "mutation-id", g_strdup (entry->mutation_id), g_free);
  g_object_set_data_full (G_OBJECT (button), "title", g_strdup (title), g_free);
  g_object_set_data_full (G_OBJECT (button), "key", g_strdup (entry->key), g_free);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

static GtkWidget *
entry_row (OknoAttentionWindow *self, const OknoOutboxEntry *entry)
{
  g_autofree char *title = entry_title (entry);
  const char *reason = entry->last_error && *entry->last_error ? entry->last_error
                                                               : _ ("The server gave no reason.");
  /* Translators: a refused change: the server's reason, then the record */
  g_autofree char *subtitle = g_strdup_printf (_ ("%s\nRecord %s"), reason, entry->key);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *retry
    = entry_button (self, entry, title, _ ("_Send Again"),
                    _ ("Send this change to the server again"), G_CALLBACK (send_again_cb));
  GtkWidget *discard
    = entry_button (self, entry, title, _ ("_Discard…"),
                    _ ("Delete this change from this computer"), G_CALLBACK (discard_cb));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (discard, "destructive-action");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), retry);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), discard);
  return row;
}

static guint
fill_refused (OknoAttentionWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = okno_store_outbox_list (self->store, "quarantined", &error);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->refused_list))) != NULL)
    gtk_list_box_remove (self->refused_list, child);
  if (entries == NULL)
    {
      g_warning ("Could not list the refused changes: %s", error->message);
      return 0;
    }
  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (self->refused_list, entry_row (self, g_ptr_array_index (entries, i)));
  gtk_widget_set_visible (self->refused_group, entries->len > 0);
  return entries->len;
}

static const char *
appeal_field_label (const char *field)
{
  static const struct
  {
    const char *field, *label;
  } labels[] = {
    { "subject", N_ ("Subject") },
    { "body", N_ ("Text") },
    { "status", N_ ("Status") },
    { "urgency", N_ ("Urgency") },
    { "assignee_id", N_ ("Assignee") },
    { "answer_channel", N_ ("Answer channel") },
    { "due_on", N_ ("Due date") },
    { "kind", N_ ("Kind of appeal") },
    { "channel", N_ ("Channel") },
    { "account_id", N_ ("Account") },
    { "branch_id", N_ ("Service centre") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].field, field) == 0)
      return _ (labels[i].label);
  return field;
}

/* Choice values read as words; an empty value says so. */
static const char *
shown_value (const char *value)
{
  return value && *value ? okno_choice_label (value) : _ ("(empty)");
}

static GtkWidget *
conflict_row (const OknoAppealConflict *c)
{
  GtkWidget *row = adw_action_row_new ();
  /* Translators: an appeal conflict: the appeal's number, then the field */
  g_autofree char *title
    = g_strdup_printf (_ ("Appeal %s · %s"), c->appeal_number ? c->appeal_number : c->appeal_id,
                       appeal_field_label (c->field));
  /* Translators: the value entered at this counter, then the one the server kept */
  g_autofree char *subtitle = g_strdup_printf (_ ("Here: %s\nOn the server: %s"),
                                               shown_value (c->ours), shown_value (c->theirs));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static gint64
fill_conflicts (OknoAttentionWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) conflicts = okno_store_list_conflicts (self->store, &error);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conflicts_list))) != NULL)
    gtk_list_box_remove (self->conflicts_list, child);
  if (conflicts == NULL)
    {
      g_warning ("Could not list the appeal conflicts: %s", error->message);
      gtk_widget_set_visible (self->conflicts_group, FALSE);
      return 0;
    }
  for (guint i = 0; i < conflicts->len; i++)
    gtk_list_box_append (self->conflicts_list, conflict_row (g_ptr_array_index (conflicts, i)));
  gtk_widget_set_visible (self->conflicts_group, conflicts->len > 0);
  return conflicts->len;
}

void
okno_attention_window_reload (OknoAttentionWindow *self)
{
  guint refused;
  gint64 conflicts;

  g_return_if_fail (OKNO_IS_ATTENTION_WINDOW (self));
  refused = fill_refused (self);
  conflicts = fill_conflicts (self);
  gtk_stack_set_visible_child_name (self->stack, refused + conflicts > 0 ? "list" : "empty");
}

/* --- the window ------------------------------------------------------------- */

static void
okno_attention_window_dispose (GObject *object)
{
  OknoAttentionWindow *self = OKNO_ATTENTION_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_ATTENTION_WINDOW);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (okno_attention_window_parent_class)->dispose (object);
}

static void
okno_attention_window_class_init (OknoAttentionWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_attention_window_dispose;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/ru/eens/Okno/okno-attention-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoAttentionWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OknoAttentionWindow, refused_group);
  gtk_widget_class_bind_template_child (widget_class, OknoAttentionWindow, refused_list);
  gtk_widget_class_bind_template_child (widget_class, OknoAttentionWindow, conflicts_group);
  gtk_widget_class_bind_template_child (widget_class, OknoAttentionWindow, conflicts_list);
}

static void
okno_attention_window_init (OknoAttentionWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
okno_attention_window_new (GtkWindow *parent, OknoStore *store)
{
  OknoAttentionWindow *self;

  g_return_val_if_fail (OKNO_IS_STORE (store), NULL);

  self = g_object_new (OKNO_TYPE_ATTENTION_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  okno_attention_window_reload (self);
  return GTK_WIDGET (self);
}
