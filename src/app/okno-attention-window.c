/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Needs attention: refused changes, and appeal conflicts that staff settle
 * by keeping one value or combining both. */

#include "okno-attention-window.h"
#include "okno-meta-keys.h"

#include <glib/gi18n.h>

#include "okno-collection.h"
#include "okno-format.h"
#include "okno-labels.h"
#include "okno-sync-status.h"

struct _OknoAttentionWindow
{
  AdwWindow parent_instance;
  OknoStore *store;
  GCancellable *cancellable;        /* the window's store calls; cancelled in dispose */
  GCancellable *reload_cancellable; /* the reload under way */
  GPtrArray *refused;               /* what the reload under way has read so far */
  GPtrArray *conflicts;
  GHashTable *names;   /* id -> name of what the conflicts refer to */
  gboolean focus_next; /* a conflict was settled: its successor takes the focus */

  GtkStack *stack;
  GtkWidget *refused_group;
  GtkListBox *refused_list;
  GtkWidget *conflicts_group;
  GtkListBox *conflicts_list;
  char *conflicts_shown; /* what the rows show now */
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

/* After a decision on an entry was written, or refused. */
static void
decided (OknoAttentionWindow *self, gboolean ok, const GError *error)
{
  if (!ok)
    {
      show_error (self, error);
      return;
    }
  okno_attention_window_reload (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
retried_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = okno_store_outbox_retry_finish (OKNO_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the window is gone */
  decided (OKNO_ATTENTION_WINDOW (user_data), ok, error);
}

static void
send_again_cb (GtkButton *button, OknoAttentionWindow *self)
{
  const char *mutation_id = g_object_get_data (G_OBJECT (button), "mutation-id");

  okno_store_outbox_retry_async (self->store, mutation_id, self->cancellable, retried_cb, self);
}

static void
discarded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = okno_store_outbox_discard_finish (OKNO_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the window is gone */
  decided (OKNO_ATTENTION_WINDOW (user_data), ok, error);
}

static void
discard_response_cb (AdwMessageDialog *dialog, const char *response, gpointer data)
{
  OknoAttentionWindow *self = OKNO_ATTENTION_WINDOW (data);
  const char *mutation_id = g_object_get_data (G_OBJECT (dialog), "mutation-id");

  if (g_strcmp0 (response, "discard") != 0)
    return;
  okno_store_outbox_discard_async (self->store, mutation_id, self->cancellable, discarded_cb, self);
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

/* entries NULL: they could not be read (the reload said why). */
static guint
fill_refused (OknoAttentionWindow *self, GPtrArray *entries)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->refused_list))) != NULL)
    gtk_list_box_remove (self->refused_list, child);
  if (entries == NULL)
    return 0;
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

/* A staff member, a branch or an account: shown by name or number. */
static gboolean
is_reference (const char *field)
{
  return g_strcmp0 (field, "assignee_id") == 0 || g_strcmp0 (field, "branch_id") == 0
         || g_strcmp0 (field, "account_id") == 0;
}

/* A value as staff read it: references by name or number, dates as dates,
 * choice values as words; an empty value says so. */
static char *
shown_value (OknoAttentionWindow *self, const char *field, const char *value)
{
  char *shown = NULL;

  if (value == NULL || *value == '\0')
    return g_strdup (_ ("(empty)"));
  if (is_reference (field))
    shown = g_strdup (self->names ? g_hash_table_lookup (self->names, value) : NULL);
  else if (g_strcmp0 (field, "due_on") == 0)
    shown = okno_format_date (value);
  else
    return g_strdup (okno_choice_label (value));
  /* Not in the replica (yet): the reference itself, rather than nothing. */
  return shown ? shown : g_strdup (value);
}

/* --- resolving a conflict -------------------------------------------------- */

/* What a resolve button settles: the conflict and the value it keeps. */
typedef struct
{
  char *conflict_id;
  char *value; /* NULL means null */
  char *title; /* "Appeal О-… · Subject" */
  char *ours;
  char *current;
  char *field;
} Choice;

static void
choice_free (Choice *choice)
{
  g_free (choice->conflict_id);
  g_free (choice->value);
  g_free (choice->title);
  g_free (choice->ours);
  g_free (choice->current);
  g_free (choice->field);
  g_free (choice);
}

/* A decision on a conflict, on its way: who settles it is read first.
 * It holds what it needs of the window, so it reaches the store even if
 * the window closes meanwhile. */
typedef struct
{
  OknoAttentionWindow *self; /* touched only while cancellable is not cancelled */
  OknoStore *store;
  GCancellable *cancellable;
  char *conflict_id;
  char *value;
} Resolution;

static void
resolution_free (Resolution *resolution)
{
  g_object_unref (resolution->store);
  g_object_unref (resolution->cancellable);
  g_free (resolution->conflict_id);
  g_free (resolution->value);
  g_free (resolution);
}

static void
resolved_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = okno_store_resolve_conflict_finish (OKNO_STORE (source), result, &error);
  OknoAttentionWindow *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the window is gone */
  if (!ok)
    show_error (self, error);
  /* The row and its buttons go: the next conflict takes the focus. */
  self->focus_next = ok;
  okno_attention_window_reload (self);
  if (ok)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
staff_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Resolution *resolution = user_data;
  g_autofree char *staff_id = okno_store_get_meta_finish (OKNO_STORE (source), result, NULL);

  /* A write runs even when its window has closed; resolved_cb then sees
   * the cancellation. */
  okno_store_resolve_conflict_async (resolution->store, resolution->conflict_id, resolution->value,
                                     staff_id, resolution->cancellable, resolved_cb,
                                     resolution->self);
  resolution_free (resolution);
}

static void
resolve (OknoAttentionWindow *self, const char *conflict_id, const char *value)
{
  Resolution *resolution = g_new0 (Resolution, 1);

  resolution->self = self;
  resolution->store = g_object_ref (self->store);
  resolution->cancellable = g_object_ref (self->cancellable);
  resolution->conflict_id = g_strdup (conflict_id);
  resolution->value = g_strdup (value);
  /* Not cancellable: the decision must reach the store. */
  okno_store_get_meta_async (self->store, OKNO_META_STAFF_ID, NULL, staff_read_cb, resolution);
}

static void
keep_cb (GtkButton *button, OknoAttentionWindow *self)
{
  Choice *choice = g_object_get_data (G_OBJECT (button), "choice");

  resolve (self, choice->conflict_id, choice->value);
}

static char *
text_of (GtkWidget *editor)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (GTK_IS_EDITABLE (editor))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (editor)));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
combine_response_cb (AdwMessageDialog *dialog, const char *response, gpointer data)
{
  OknoAttentionWindow *self = OKNO_ATTENTION_WINDOW (data);
  const char *conflict_id = g_object_get_data (G_OBJECT (dialog), "conflict-id");
  g_autofree char *text = NULL;

  if (g_strcmp0 (response, "keep") != 0)
    return;
  text = text_of (g_object_get_data (G_OBJECT (dialog), "editor"));
  resolve (self, conflict_id, g_strstrip (text));
}

static void
combined_changed_cb (GtkWidget *editor, AdwMessageDialog *dialog)
{
  g_autofree char *text = text_of (g_object_get_data (G_OBJECT (dialog), "editor"));

  /* A subject or a text is never empty. */
  adw_message_dialog_set_response_enabled (dialog, "keep", *g_strstrip (text) != '\0');
}

/* The subject is one line, the text of an appeal a paragraph or more. */
static GtkWidget *
combine_editor (const Choice *choice, AdwMessageDialog *dialog)
{
  g_autofree char *both = NULL;
  GtkWidget *editor, *scrolled;

  if (g_str_equal (choice->field, "subject"))
    {
      both = g_strdup_printf ("%s; %s", choice->current ? choice->current : "",
                              choice->ours ? choice->ours : "");
      editor = gtk_entry_new ();
      gtk_editable_set_text (GTK_EDITABLE (editor), both);
      gtk_entry_set_activates_default (GTK_ENTRY (editor), TRUE);
      g_signal_connect_object (editor, "changed", G_CALLBACK (combined_changed_cb), dialog, 0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (editor), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Combined value"), -1);
      g_object_set_data (G_OBJECT (dialog), "editor", editor);
      return editor;
    }
  both = g_strdup_printf ("%s\n\n%s", choice->current ? choice->current : "",
                          choice->ours ? choice->ours : "");
  editor = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (editor), GTK_WRAP_WORD_CHAR);
  /* Tab leaves the text for the buttons: the dialog works from the keyboard. */
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (editor), FALSE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (editor), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (editor), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (editor), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (editor), 6);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor)), both, -1);
  g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor)), "changed",
                           G_CALLBACK (combined_changed_cb), dialog, 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (editor), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Combined value"), GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, TRUE,
                                  -1);
  g_object_set_data (G_OBJECT (dialog), "editor", editor);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), editor);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_widget_add_css_class (scrolled, "card");
  return scrolled;
}

static void
combine_cb (GtkButton *button, OknoAttentionWindow *self)
{
  Choice *choice = g_object_get_data (G_OBJECT (button), "choice");
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _ ("Combine the Values"), NULL);
  GtkWidget *editor;

  adw_message_dialog_format_body (
    ADW_MESSAGE_DIALOG (dialog),
    /* Translators: %s is e.g. "Appeal О-2026-000012 · Subject" */
    _ ("%s: the server’s value and the one entered at the branch are put together below. Edit "
       "the text to keep; it replaces both on every computer."),
    choice->title);
  editor = combine_editor (choice, ADW_MESSAGE_DIALOG (dialog));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), editor);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "keep",
                                    _ ("_Keep Combined Value"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "keep",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "conflict-id", g_strdup (choice->conflict_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (combine_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (g_object_get_data (G_OBJECT (dialog), "editor"));
}

/* A button of a conflict; its accessible name says which conflict, since
 * every conflict has the same three buttons. */
static GtkWidget *
choice_button (OknoAttentionWindow *self, const OknoAppealConflict *c, const char *title,
               const char *value, const char *label, const char *accessible, GCallback callback)
{
  GtkWidget *button = gtk_button_new_with_label (label);
  Choice *choice = g_new0 (Choice, 1);
  /* Translators: a button's name for screen readers: what it does, then
   * the conflict, e.g. "Keep the value entered here: Appeal О-1 · Subject" */
  g_autofree char *name = g_strdup_printf (_ ("%s: %s"), accessible, title);

  choice->conflict_id = g_strdup (c->id);
  choice->value = g_strdup (value);
  choice->title = g_strdup (title);
  choice->ours = g_strdup (c->ours);
  choice->current = g_strdup (c->current);
  choice->field = g_strdup (c->field);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (button, c->in_replica);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (button), "choice", choice, (GDestroyNotify)choice_free);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

static GtkWidget *
value_row (const char *whose, const char *value, GtkWidget *button)
{
  GtkWidget *row = adw_action_row_new ();

  /* The value is what staff compare, so it is the row's title; whose it
   * is reads under it. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), value);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), whose);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

/* Free text can be combined; a choice (status, urgency…), a date or a
 * reference can only be picked. */
static gboolean
combinable (const char *field)
{
  const OknoCollection *appeals = okno_collection_lookup ("appeals");
  int i = okno_collection_field_index (appeals, field);

  return i >= 0 && appeals->fields[i].type == OKNO_FIELD_TEXT;
}

/* A status moves forward only; a conflict may also settle on another
 * answer of the same rank. */
static gboolean
status_may_become (const char *field, const char *from, const char *to)
{
  return !g_str_equal (field, "status")
         || okno_appeal_status_rank (to) >= okno_appeal_status_rank (from);
}

static GtkWidget *
conflict_row (OknoAttentionWindow *self, const OknoAppealConflict *c)
{
  g_autofree char *ours_shown = NULL;
  g_autofree char *current_shown = shown_value (self, c->field, c->current);
  GtkWidget *row = adw_expander_row_new ();
  /* Translators: an appeal conflict: the appeal's number, then the field */
  g_autofree char *title
    = g_strdup_printf (_ ("Appeal %s · %s"), c->appeal_number ? c->appeal_number : c->appeal_id,
                       appeal_field_label (c->field));
  /* Translators: the value a branch entered, then who entered it */
  g_autofree char *entered_by = c->raised_by_name
                                  ? g_strdup_printf (_ ("Entered by %s"), c->raised_by_name)
                                  : g_strdup (_ ("Entered at a branch"));
  GtkWidget *keep_ours
    = choice_button (self, c, title, c->ours, _ ("Keep This Value"),
                     _ ("Keep the value entered at the branch"), G_CALLBACK (keep_cb));
  GtkWidget *keep_theirs = choice_button (self, c, title, c->current, _ ("Keep This Value"),
                                          _ ("Keep the server’s value"), G_CALLBACK (keep_cb));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row),
                                 c->in_replica
                                   ? _ ("Changed at two places at the same time")
                                   : _ ("The appeal is not on this computer yet; sync first"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  /* The server would refuse a status that goes back: not offered. */
  if (!status_may_become (c->field, c->current, c->ours))
    {
      gtk_widget_set_sensitive (keep_ours, FALSE);
      g_autofree char *ours = shown_value (self, c->field, c->ours);

      ours_shown
        = g_strdup_printf ("%s\n%s", ours, _ ("An appeal’s status cannot go back to this one"));
    }
  else
    ours_shown = shown_value (self, c->field, c->ours);
  /* AdwExpanderRow (libadwaita 1.2) gives its title to no one. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), value_row (entered_by, ours_shown, keep_ours));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            value_row (_ ("On the server"), current_shown, keep_theirs));
  if (combinable (c->field))
    {
      GtkWidget *combine
        = choice_button (self, c, title, NULL, _ ("Combine…"),
                         _ ("Combine both values in an editor"), G_CALLBACK (combine_cb));

      adw_expander_row_add_row (
        ADW_EXPANDER_ROW (row),
        value_row (_ ("Put the two together and edit the result"), _ ("Both"), combine));
    }
  return row;
}

/* Everything a conflict row shows, to tell whether the list changed. */
static char *
conflicts_shown (GPtrArray *conflicts)
{
  GString *shown = g_string_new (NULL);

  for (guint i = 0; i < conflicts->len; i++)
    {
      OknoAppealConflict *c = g_ptr_array_index (conflicts, i);

      g_string_append_printf (shown, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d\x1e", c->id,
                              c->appeal_number ? c->appeal_number : "", c->ours ? c->ours : "",
                              c->current ? c->current : "",
                              c->raised_by_name ? c->raised_by_name : "", c->in_replica);
    }
  return g_string_free (shown, FALSE);
}

/* conflicts NULL: they could not be read (the reload said why). */
static gint64
fill_conflicts (OknoAttentionWindow *self, GPtrArray *conflicts)
{
  g_autofree char *shown = NULL;
  GtkWidget *child;

  if (conflicts == NULL)
    {
      g_clear_pointer (&self->conflicts_shown, g_free);
      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conflicts_list))) != NULL)
        gtk_list_box_remove (self->conflicts_list, child);
      gtk_widget_set_visible (self->conflicts_group, FALSE);
      return 0;
    }
  /* Every sync reloads the window: rows that did not change stay, so the
   * focus of a clerk tabbing through them is not lost. */
  shown = conflicts_shown (conflicts);
  if (g_strcmp0 (shown, self->conflicts_shown) == 0)
    return conflicts->len;
  g_free (self->conflicts_shown);
  self->conflicts_shown = g_steal_pointer (&shown);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conflicts_list))) != NULL)
    gtk_list_box_remove (self->conflicts_list, child);
  for (guint i = 0; i < conflicts->len; i++)
    gtk_list_box_append (self->conflicts_list,
                         conflict_row (self, g_ptr_array_index (conflicts, i)));
  gtk_widget_set_visible (self->conflicts_group, conflicts->len > 0);
  return conflicts->len;
}

/* The reload's last step: everything read, the rows are built at once. */
static void
show_all (OknoAttentionWindow *self)
{
  guint refused = fill_refused (self, self->refused);
  gint64 conflicts = fill_conflicts (self, self->conflicts);

  gtk_stack_set_visible_child_name (self->stack, refused + conflicts > 0 ? "list" : "empty");
  if (self->focus_next && gtk_widget_get_visible (self->conflicts_group))
    gtk_widget_child_focus (GTK_WIDGET (self->conflicts_list), GTK_DIR_TAB_FORWARD);
  self->focus_next = FALSE;
  g_clear_pointer (&self->refused, g_ptr_array_unref);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
}

static void
names_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GHashTable *names = okno_store_lookup_names_finish (OKNO_STORE (source), result, &error);
  OknoAttentionWindow *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* a newer reload, or the window is gone */
  /* Without names the references show as they are. */
  if (names == NULL)
    g_warning ("Could not read the names of the conflicts' references: %s", error->message);
  g_clear_pointer (&self->names, g_hash_table_unref);
  self->names = names;
  show_all (self);
}

/* The staff, branches and accounts the conflicts' values refer to. */
static GStrv
referenced_ids (GPtrArray *conflicts)
{
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      OknoAppealConflict *c = g_ptr_array_index (conflicts, i);

      if (!is_reference (c->field))
        continue;
      if (c->ours != NULL)
        g_strv_builder_add (ids, c->ours);
      if (c->current != NULL)
        g_strv_builder_add (ids, c->current);
    }
  return g_strv_builder_end (ids);
}

static void
conflicts_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *conflicts = okno_store_list_conflicts_finish (OKNO_STORE (source), result, &error);
  OknoAttentionWindow *self = user_data;
  g_auto (GStrv) ids = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* a newer reload, or the window is gone */
  if (conflicts == NULL)
    g_warning ("Could not list the appeal conflicts: %s", error->message);
  self->conflicts = conflicts;
  ids = referenced_ids (conflicts);
  okno_store_lookup_names_async (self->store, (const char *const *)ids, self->reload_cancellable,
                                 names_read_cb, self);
}

static void
refused_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *entries = okno_store_outbox_list_finish (OKNO_STORE (source), result, &error);
  OknoAttentionWindow *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* a newer reload, or the window is gone */
  if (entries == NULL)
    g_warning ("Could not list the refused changes: %s", error->message);
  self->refused = entries;
  okno_store_list_conflicts_async (self->store, self->reload_cancellable, conflicts_read_cb, self);
}

/* Reads the refused changes, the conflicts and the names they refer to,
 * then shows them together; a reload under way gives way to this one. */
void
okno_attention_window_reload (OknoAttentionWindow *self)
{
  g_return_if_fail (OKNO_IS_ATTENTION_WINDOW (self));

  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  g_clear_pointer (&self->refused, g_ptr_array_unref);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  self->reload_cancellable = g_cancellable_new ();
  okno_store_outbox_list_async (self->store, "quarantined", self->reload_cancellable,
                                refused_read_cb, self);
}

/* --- the window ------------------------------------------------------------- */

static void
okno_attention_window_dispose (GObject *object)
{
  OknoAttentionWindow *self = OKNO_ATTENTION_WINDOW (object);

  /* The callbacks under way see the cancellation and leave self alone. */
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->reload_cancellable);
  g_clear_pointer (&self->refused, g_ptr_array_unref);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_ATTENTION_WINDOW);
  g_clear_object (&self->store);
  g_clear_pointer (&self->conflicts_shown, g_free);
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
  self->cancellable = g_cancellable_new ();
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
