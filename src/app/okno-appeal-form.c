/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-appeal-form.h"

#include <glib/gi18n.h>

#include "okno-collection.h"
#include "okno-labels.h"
#include "okno-topic-item.h"

#define MAX_PAGES OKNO_APPEAL_DOCUMENT_MAX_PAGES

/* The fields a registration is checked on, in the order they are shown:
 * the first with a problem takes the focus. */
typedef enum
{
  FIELD_KIND,
  FIELD_CHANNEL,
  FIELD_APPLICANT,
  FIELD_ANSWER,
  FIELD_SUBJECT,
  N_FIELDS
} Field;

/* One row of the documents list; owned by its box. */
typedef struct
{
  GtkWidget *box;
  GtkEntry *what;
  GtkDropDown *copy; /* 0: original, 1: copy */
  GtkSpinButton *pages;
  GtkButton *remove;
  GtkLabel *error;
} DocumentRow;

struct _OknoAppealForm
{
  GtkBox parent_instance;

  char *account_id;
  GListStore *topic_sources; /* the "not chosen" item, then the caller's topics */
  gboolean answer_chosen;    /* the clerk or the caller chose the answer channel */
  gboolean setting_answer;   /* the form itself is moving the answer channel */
  GPtrArray *documents;      /* DocumentRow, in the order shown */

  GtkDropDown *kind_drop;
  GtkLabel *kind_error;
  GtkDropDown *channel_drop;
  GtkLabel *channel_error;
  GtkDropDown *topic_drop;
  GtkWidget *account_box;
  GtkLabel *account_label;
  GtkButton *clear_account_button;
  GtkWidget *name_box;
  GtkEntry *name_entry;
  GtkLabel *name_error;
  GtkDropDown *answer_drop;
  GtkLabel *answer_error;
  GtkWidget *address_box;
  GtkLabel *address_label;
  GtkEntry *address_entry;
  GtkLabel *address_error;
  GtkEntry *subject_entry;
  GtkLabel *subject_error;
  GtkTextView *text_view;
  GtkWidget *add_document_button;
  GtkWidget *no_documents_label;
  GtkBox *documents_box;
  GtkLabel *form_error;
};

G_DEFINE_FINAL_TYPE (OknoAppealForm, okno_appeal_form, GTK_TYPE_BOX)

enum
{
  SUBMIT,
  CANCEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
okno_appeal_document_free (OknoAppealDocument *document)
{
  if (document == NULL)
    return;
  g_free (document->what);
  g_free (document);
}

/* --- choices -------------------------------------------------------------------- */

/* The value at position of a list shown with first_item (NULL: none)
 * before values. */
static const char *
choice_at (const char *const *values, gboolean has_first, guint position)
{
  if (position == GTK_INVALID_LIST_POSITION || (has_first && position == 0))
    return NULL;
  position -= has_first ? 1 : 0;
  return position < g_strv_length ((char **)values) ? values[position] : NULL;
}

static guint
position_of (const char *const *values, gboolean has_first, const char *value)
{
  for (guint i = 0; value != NULL && values[i] != NULL; i++)
    if (g_str_equal (values[i], value))
      return i + (has_first ? 1 : 0);
  return 0;
}

static GListModel *
choice_labels (const char *first_item, const char *const *values)
{
  GtkStringList *labels = gtk_string_list_new (NULL);

  if (first_item != NULL)
    gtk_string_list_append (labels, first_item);
  for (guint i = 0; values[i] != NULL; i++)
    gtk_string_list_append (labels, okno_choice_label (values[i]));
  return G_LIST_MODEL (labels);
}

static const char *
selected_kind (OknoAppealForm *self)
{
  return choice_at (okno_appeal_kinds, TRUE, gtk_drop_down_get_selected (self->kind_drop));
}

static const char *
selected_channel (OknoAppealForm *self)
{
  return choice_at (okno_channels, FALSE, gtk_drop_down_get_selected (self->channel_drop));
}

static const char *
selected_answer (OknoAppealForm *self)
{
  return choice_at (okno_answer_channels, TRUE, gtk_drop_down_get_selected (self->answer_drop));
}

static const char *
selected_topic_id (OknoAppealForm *self)
{
  gpointer item = gtk_drop_down_get_selected_item (self->topic_drop);

  return OKNO_IS_TOPIC_ITEM (item) ? okno_topic_item_get_id (item) : NULL;
}

/* The label a drop-down shows for its choice. */
static const char *
drop_down_text (GtkDropDown *drop)
{
  gpointer item = gtk_drop_down_get_selected_item (drop);

  if (GTK_IS_STRING_OBJECT (item))
    return gtk_string_object_get_string (item);
  if (OKNO_IS_TOPIC_ITEM (item))
    return okno_topic_item_get_title (item);
  return "";
}

/* GTK 4.8 leaves a drop-down's button, the part that takes the focus,
 * without a name: "Kind: Complaint", from the field's label. */
static void
name_drop_down_button (GtkDropDown *drop, const char *field)
{
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (drop));
  g_autofree char *name = g_strdup_printf ("%s: %s", field, drop_down_text (drop));

  if (button != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
}

static void
drop_down_selected_cb (GtkDropDown *drop, GParamSpec *pspec, gpointer user_data)
{
  GList *labels = gtk_widget_list_mnemonic_labels (GTK_WIDGET (drop));
  const char *field = g_object_get_data (G_OBJECT (drop), "okno-field-name");

  if (field == NULL && labels != NULL)
    field = gtk_label_get_text (labels->data);
  name_drop_down_button (drop, field ? field : "");
  g_list_free (labels);
}

static void
watch_drop_down (GtkDropDown *drop)
{
  g_signal_connect (drop, "notify::selected", G_CALLBACK (drop_down_selected_cb), NULL);
  drop_down_selected_cb (drop, NULL, NULL);
}

/* --- problems next to their fields -------------------------------------------------- */

static void
show_problem (GtkLabel *error_label, GtkWidget *field, const char *message)
{
  gtk_label_set_text (error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (error_label), message != NULL);
  if (field == NULL)
    return;
  if (message != NULL)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (field, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

/* Where the problem with field is shown, and what takes the focus. */
static GtkWidget *
field_widget (OknoAppealForm *self, Field field, GtkLabel **error_label)
{
  const char *answer = selected_answer (self);

  switch (field)
    {
      case FIELD_KIND:
        *error_label = self->kind_error;
        return GTK_WIDGET (self->kind_drop);
      case FIELD_CHANNEL:
        *error_label = self->channel_error;
        return GTK_WIDGET (self->channel_drop);
      case FIELD_APPLICANT:
        if (self->account_id != NULL)
          {
            *error_label = self->form_error;
            return GTK_WIDGET (self->clear_account_button);
          }
        *error_label = self->name_error;
        return GTK_WIDGET (self->name_entry);
      case FIELD_ANSWER:
        if (okno_answer_channel_address (answer) != NULL)
          {
            *error_label = self->address_error;
            return GTK_WIDGET (self->address_entry);
          }
        *error_label = self->answer_error;
        return GTK_WIDGET (self->answer_drop);
      case FIELD_SUBJECT:
      default:
        *error_label = self->subject_error;
        return GTK_WIDGET (self->subject_entry);
    }
}

static void
clear_problems (OknoAppealForm *self)
{
  show_problem (self->kind_error, GTK_WIDGET (self->kind_drop), NULL);
  show_problem (self->channel_error, GTK_WIDGET (self->channel_drop), NULL);
  show_problem (self->name_error, GTK_WIDGET (self->name_entry), NULL);
  show_problem (self->answer_error, GTK_WIDGET (self->answer_drop), NULL);
  show_problem (self->address_error, GTK_WIDGET (self->address_entry), NULL);
  show_problem (self->subject_error, GTK_WIDGET (self->subject_entry), NULL);
  show_problem (self->form_error, NULL, NULL);
  for (guint i = 0; i < self->documents->len; i++)
    {
      DocumentRow *row = g_ptr_array_index (self->documents, i);

      show_problem (row->error, GTK_WIDGET (row->what), NULL);
    }
}

/* A field the clerk changes is no longer the one that was refused; the
 * next Register checks it again. */
static void
field_changed_cb (GtkWidget *field, GtkLabel *error_label)
{
  show_problem (error_label, field, NULL);
}

static void
choice_changed_cb (GtkWidget *field, GParamSpec *pspec, GtkLabel *error_label)
{
  show_problem (error_label, field, NULL);
}

/* signal: "changed" of an editable, or "notify::selected" of a drop-down. */
static void
forget_problem_on_change (GtkWidget *field, const char *signal, GtkLabel *error_label)
{
  g_signal_connect (field, signal,
                    GTK_IS_DROP_DOWN (field) ? G_CALLBACK (choice_changed_cb)
                                             : G_CALLBACK (field_changed_cb),
                    error_label);
}

/* Core checks a registration and stops at its first problem. To place
 * every problem by its field, each field is put to the same check alone,
 * the others filled with values core accepts; the rule stays core's. */
static gboolean
check_field (Field field, const OknoAppealRegistration *r, GError **error)
{
  OknoAppealRegistration probe
    = { .kind = "consultation", .channel = "in_person", .subject = "-", .applicant_name = "-" };

  switch (field)
    {
      case FIELD_KIND:
        probe.kind = r->kind;
        break;
      case FIELD_CHANNEL:
        probe.channel = r->channel;
        break;
      case FIELD_APPLICANT:
        probe.account_id = r->account_id;
        probe.applicant_name = r->applicant_name;
        break;
      case FIELD_ANSWER:
        probe.answer_channel = r->answer_channel;
        probe.answer_address = r->answer_address;
        break;
      case FIELD_SUBJECT:
      default:
        probe.subject = r->subject;
        break;
    }
  return okno_appeal_registration_check (&probe, error);
}

/* --- documents ---------------------------------------------------------------------- */

static void
number_documents (OknoAppealForm *self)
{
  for (guint i = 0; i < self->documents->len; i++)
    {
      DocumentRow *row = g_ptr_array_index (self->documents, i);
      /* Translators: the accessible names of a document's fields; %u is
       * its number in the list */
      g_autofree char *what = g_strdup_printf (_ ("Document %u: what it is"), i + 1);
      g_autofree char *copy = g_strdup_printf (_ ("Document %u: original or copy"), i + 1);
      g_autofree char *pages = g_strdup_printf (_ ("Document %u: pages"), i + 1);
      g_autofree char *remove = g_strdup_printf (_ ("Remove document %u"), i + 1);

      gtk_accessible_update_property (GTK_ACCESSIBLE (row->what), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      what, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      copy, -1);
      g_object_set_data_full (G_OBJECT (row->copy), "okno-field-name", g_strdup (copy), g_free);
      drop_down_selected_cb (row->copy, NULL, NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->pages), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      pages, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove, -1);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row->remove), remove);
    }
  gtk_widget_set_visible (self->no_documents_label, self->documents->len == 0);
}

static void
remove_document (OknoAppealForm *self, DocumentRow *row)
{
  guint index;

  if (!g_ptr_array_find (self->documents, row, &index))
    return;
  gtk_box_remove (self->documents_box, row->box);
  g_ptr_array_remove_index (self->documents, index);
  number_documents (self);
  /* The focus stays in the list, or goes back to where documents are added. */
  if (self->documents->len > 0)
    {
      row = g_ptr_array_index (self->documents, MIN (index, self->documents->len - 1));
      gtk_widget_grab_focus (GTK_WIDGET (row->what));
    }
  else
    gtk_widget_grab_focus (self->add_document_button);
}

static void
remove_clicked_cb (GtkButton *button, gpointer user_data)
{
  OknoAppealForm *self = OKNO_APPEAL_FORM (user_data);

  remove_document (self, g_object_get_data (G_OBJECT (button), "okno-document-row"));
}

static gboolean
is_last_document (OknoAppealForm *self, GtkWidget *widget)
{
  DocumentRow *last;

  if (self->documents->len == 0)
    return FALSE;
  last = g_ptr_array_index (self->documents, self->documents->len - 1);
  return widget == GTK_WIDGET (last->pages)
         || gtk_widget_get_ancestor (widget, GTK_TYPE_SPIN_BUTTON) == GTK_WIDGET (last->pages);
}

static void move_on_or_register (OknoAppealForm *self, GtkWidget *field);

static void
document_activate_cb (GtkWidget *field, gpointer user_data)
{
  move_on_or_register (OKNO_APPEAL_FORM (user_data), field);
}

static DocumentRow *
add_document (OknoAppealForm *self)
{
  DocumentRow *row = g_new0 (DocumentRow, 1);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *kinds[] = { C_ ("document", "Original"), C_ ("document", "Copy"), NULL };
  GtkWidget *pages_label = gtk_label_new (_ ("pages"));

  row->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  row->what = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (row->what, _ ("What it is, e.g. a copy of the May receipt"));
  gtk_entry_set_max_length (row->what, 500);
  gtk_widget_set_hexpand (GTK_WIDGET (row->what), TRUE);
  row->copy = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (kinds));
  gtk_drop_down_set_selected (row->copy, 1);
  row->pages = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, MAX_PAGES, 1));
  gtk_spin_button_set_numeric (row->pages, TRUE);
  row->remove = GTK_BUTTON (gtk_button_new_from_icon_name ("user-trash-symbolic"));
  gtk_widget_add_css_class (GTK_WIDGET (row->remove), "flat");
  row->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (row->error, 0);
  gtk_label_set_wrap (row->error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (row->error), "error");
  gtk_widget_set_visible (GTK_WIDGET (row->error), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (pages_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("pages"), -1);

  gtk_box_append (GTK_BOX (line), GTK_WIDGET (row->what));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (row->copy));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (row->pages));
  gtk_box_append (GTK_BOX (line), pages_label);
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (row->remove));
  gtk_box_append (GTK_BOX (row->box), line);
  gtk_box_append (GTK_BOX (row->box), GTK_WIDGET (row->error));
  gtk_box_append (self->documents_box, row->box);
  g_object_set_data_full (G_OBJECT (row->box), "okno-document-row", row, g_free);
  g_object_set_data (G_OBJECT (row->remove), "okno-document-row", row);
  g_signal_connect (row->remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  g_signal_connect (row->what, "activate", G_CALLBACK (document_activate_cb), self);
  forget_problem_on_change (GTK_WIDGET (row->what), "changed", row->error);
  /* GTK 4.8's spin button has no "activate" of its own: its text has. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (row->pages)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TEXT (child))
      g_signal_connect (child, "activate", G_CALLBACK (document_activate_cb), self);
  g_signal_connect (row->copy, "notify::selected", G_CALLBACK (drop_down_selected_cb), NULL);
  g_ptr_array_add (self->documents, row);
  number_documents (self);
  return row;
}

static void
remove_all_documents (OknoAppealForm *self)
{
  while (self->documents->len > 0)
    {
      DocumentRow *row = g_ptr_array_index (self->documents, self->documents->len - 1);

      gtk_box_remove (self->documents_box, row->box);
      g_ptr_array_remove_index (self->documents, self->documents->len - 1);
    }
  number_documents (self);
}

/* A row without a description is no document; rows are only ever added
 * by the clerk, so one left blank is a slip to point out, not to drop. */
static gboolean
check_documents (OknoAppealForm *self, GtkWidget **first_bad)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < self->documents->len; i++)
    {
      DocumentRow *row = g_ptr_array_index (self->documents, i);
      const char *what = gtk_editable_get_text (GTK_EDITABLE (row->what));

      if (okno_appeal_document_check (what, NULL, NULL))
        continue;
      show_problem (row->error, GTK_WIDGET (row->what),
                    _ ("Write what the document is, or remove it"));
      if (ok && *first_bad == NULL)
        *first_bad = GTK_WIDGET (row->what);
      ok = FALSE;
    }
  return ok;
}

static GPtrArray *
collect_documents (OknoAppealForm *self)
{
  GPtrArray *documents = g_ptr_array_new_with_free_func ((GDestroyNotify)okno_appeal_document_free);

  for (guint i = 0; i < self->documents->len; i++)
    {
      DocumentRow *row = g_ptr_array_index (self->documents, i);
      OknoAppealDocument *document = g_new0 (OknoAppealDocument, 1);

      document->what = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->what))));
      document->original = gtk_drop_down_get_selected (row->copy) == 0;
      gtk_spin_button_update (row->pages);
      document->pages = (guint)gtk_spin_button_get_value_as_int (row->pages);
      g_ptr_array_add (documents, document);
    }
  return documents;
}

/* --- the answer's address ------------------------------------------------------------- */

static const char *
address_label (const char *needs)
{
  if (g_strcmp0 (needs, "email") == 0)
    return _ ("_E-mail address");
  if (g_strcmp0 (needs, "phone") == 0)
    return _ ("_Phone number");
  if (g_strcmp0 (needs, "fax") == 0)
    return _ ("_Fax number");
  if (g_strcmp0 (needs, "postal_address") == 0)
    return _ ("_Postal address");
  return _ ("_Profile in the social network");
}

/* The address field is there when the answer channel needs one, named for
 * what it needs. */
static void
show_address (OknoAppealForm *self)
{
  const char *needs = okno_answer_channel_address (selected_answer (self));

  gtk_widget_set_visible (self->address_box, needs != NULL);
  if (needs == NULL)
    return;
  gtk_label_set_text_with_mnemonic (self->address_label, address_label (needs));
  gtk_entry_set_input_purpose (self->address_entry,
                               g_str_equal (needs, "email")   ? GTK_INPUT_PURPOSE_EMAIL
                               : g_str_equal (needs, "phone") ? GTK_INPUT_PURPOSE_PHONE
                               : g_str_equal (needs, "fax")   ? GTK_INPUT_PURPOSE_PHONE
                                                              : GTK_INPUT_PURPOSE_FREE_FORM);
}

static void
set_answer_position (OknoAppealForm *self, guint position)
{
  self->setting_answer = TRUE;
  gtk_drop_down_set_selected (self->answer_drop, position);
  self->setting_answer = FALSE;
  show_address (self);
}

static void
answer_selected_cb (OknoAppealForm *self, GParamSpec *pspec, GtkDropDown *drop)
{
  if (!self->setting_answer)
    self->answer_chosen = TRUE;
  show_problem (self->address_error, GTK_WIDGET (self->address_entry), NULL);
  show_address (self);
}

/* Until someone chooses, the answer goes back the way the appeal came in
 * (the feedback book and a terminal carry none: no contact then). */
static void
channel_selected_cb (OknoAppealForm *self, GParamSpec *pspec, GtkDropDown *drop)
{
  if (!self->answer_chosen)
    set_answer_position (self, position_of (okno_answer_channels, TRUE, selected_channel (self)));
}

/* --- registering ---------------------------------------------------------------------- */

static char *
entry_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

static char *
text_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
focus_field (GtkWidget *field)
{
  if (!gtk_widget_grab_focus (field))
    gtk_widget_child_focus (field, GTK_DIR_TAB_FORWARD);
}

gboolean
okno_appeal_form_register (OknoAppealForm *self)
{
  g_autofree char *name = entry_text (self->name_entry);
  g_autofree char *address = entry_text (self->address_entry);
  g_autofree char *subject = entry_text (self->subject_entry);
  g_autofree char *text = text_view_text (self->text_view);
  g_autoptr (GPtrArray) documents = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *first_bad = NULL;
  OknoAppealFormValues values = { 0 };
  OknoAppealRegistration *r = &values.registration;

  g_return_val_if_fail (OKNO_IS_APPEAL_FORM (self), FALSE);

  r->kind = selected_kind (self);
  r->channel = selected_channel (self);
  r->subject = subject;
  r->account_id = self->account_id;
  r->applicant_name = self->account_id == NULL ? name : NULL;
  r->answer_channel = selected_answer (self);
  r->answer_address = okno_answer_channel_address (r->answer_channel) ? address : NULL;

  clear_problems (self);
  for (Field field = 0; field < N_FIELDS; field++)
    {
      g_autoptr (GError) field_error = NULL;
      GtkLabel *error_label;
      GtkWidget *widget;

      if (check_field (field, r, &field_error))
        continue;
      widget = field_widget (self, field, &error_label);
      show_problem (error_label, widget, field_error->message);
      if (first_bad == NULL)
        first_bad = widget;
    }
  check_documents (self, &first_bad);
  /* Core's own verdict on the whole is the one that counts. */
  if (first_bad == NULL && !okno_appeal_registration_check (r, &error))
    {
      show_problem (self->form_error, NULL, error->message);
      first_bad = GTK_WIDGET (self->subject_entry);
    }
  if (first_bad != NULL)
    {
      focus_field (first_bad);
      return FALSE;
    }
  documents = collect_documents (self);
  values.topic_id = selected_topic_id (self);
  values.text = text;
  values.documents = documents;
  g_signal_emit (self, signals[SUBMIT], 0, &values);
  return TRUE;
}

/* Enter moves on to the next field; in the last one it registers. */
static void
move_on_or_register (OknoAppealForm *self, GtkWidget *field)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (is_last_document (self, field))
    okno_appeal_form_register (self);
  else if (root != NULL)
    gtk_widget_child_focus (GTK_WIDGET (root), GTK_DIR_TAB_FORWARD);
}

static void
entry_activate_cb (OknoAppealForm *self, GtkEntry *entry)
{
  move_on_or_register (self, GTK_WIDGET (entry));
}

/* --- actions ---------------------------------------------------------------------------- */

static void
register_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  okno_appeal_form_register (OKNO_APPEAL_FORM (widget));
}

static void
cancel_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[CANCEL], 0);
}

static void
focus_when_mapped_cb (GtkWidget *field, gpointer user_data)
{
  g_signal_handlers_disconnect_by_func (field, focus_when_mapped_cb, user_data);
  gtk_widget_grab_focus (field);
}

static void
add_document_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DocumentRow *row = add_document (OKNO_APPEAL_FORM (widget));

  /* The new row can take the focus once it is on screen. */
  if (gtk_widget_get_mapped (GTK_WIDGET (row->what)))
    gtk_widget_grab_focus (GTK_WIDGET (row->what));
  else
    g_signal_connect (row->what, "map", G_CALLBACK (focus_when_mapped_cb), NULL);
}

static void
clear_account_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  OknoAppealForm *self = OKNO_APPEAL_FORM (widget);

  okno_appeal_form_set_account (self, NULL, NULL, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

/* --- GObject ---------------------------------------------------------------------------- */

static void
okno_appeal_form_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (okno_appeal_form_parent_class)->map (widget);
  okno_appeal_form_focus (OKNO_APPEAL_FORM (widget));
}

static void
okno_appeal_form_dispose (GObject *object)
{
  OknoAppealForm *self = OKNO_APPEAL_FORM (object);

  g_clear_pointer (&self->documents, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_APPEAL_FORM);
  g_clear_object (&self->topic_sources);
  G_OBJECT_CLASS (okno_appeal_form_parent_class)->dispose (object);
}

static void
okno_appeal_form_finalize (GObject *object)
{
  g_free (OKNO_APPEAL_FORM (object)->account_id);
  G_OBJECT_CLASS (okno_appeal_form_parent_class)->finalize (object);
}

static void
okno_appeal_form_class_init (OknoAppealFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_appeal_form_dispose;
  object_class->finalize = okno_appeal_form_finalize;
  widget_class->map = okno_appeal_form_map;

  /* The form passed core's check: one OknoAppealFormValues *, valid only
   * during the emission. The form keeps its fields until reset. */
  signals[SUBMIT] = g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* The clerk gave up (Escape, or Cancel): the caller closes the form. */
  signals[CANCEL]
    = g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION, 0,
                    NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "appeal-form.register", NULL, register_cb);
  gtk_widget_class_install_action (widget_class, "appeal-form.cancel", NULL, cancel_cb);
  gtk_widget_class_install_action (widget_class, "appeal-form.add-document", NULL, add_document_cb);
  gtk_widget_class_install_action (widget_class, "appeal-form.clear-account", NULL,
                                   clear_account_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "appeal-form.register", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "appeal-form.register", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "appeal-form.cancel", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/eens/Okno/okno-appeal-form.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, kind_drop);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, kind_error);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, channel_drop);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, channel_error);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, topic_drop);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, account_box);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, account_label);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, clear_account_button);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, name_box);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, name_entry);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, name_error);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, answer_drop);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, answer_error);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, address_box);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, address_label);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, address_entry);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, address_error);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, subject_error);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, text_view);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, add_document_button);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, no_documents_label);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, documents_box);
  gtk_widget_class_bind_template_child (widget_class, OknoAppealForm, form_error);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
}

static void
init_topics (OknoAppealForm *self)
{
  g_autoptr (GListStore) none = g_list_store_new (OKNO_TYPE_TOPIC_ITEM);
  g_autoptr (OknoTopicItem) not_chosen = okno_topic_item_new (NULL, _ ("Not chosen yet"));
  GtkExpression *title = gtk_property_expression_new (OKNO_TYPE_TOPIC_ITEM, NULL, "title");

  g_list_store_append (none, not_chosen);
  self->topic_sources = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (self->topic_sources, none);
  gtk_drop_down_set_expression (self->topic_drop, title);
  gtk_expression_unref (title);
  gtk_drop_down_set_model (self->topic_drop, G_LIST_MODEL (gtk_flatten_list_model_new (
                                               G_LIST_MODEL (g_object_ref (self->topic_sources)))));
  g_object_unref (gtk_drop_down_get_model (self->topic_drop));
}

static void
okno_appeal_form_init (OknoAppealForm *self)
{
  g_autoptr (GListModel) kinds = choice_labels (_ ("Choose…"), okno_appeal_kinds);
  g_autoptr (GListModel) channels = choice_labels (NULL, okno_channels);
  g_autoptr (GListModel) answers = choice_labels (_ ("No contact given"), okno_answer_channels);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->documents = g_ptr_array_new ();
  gtk_drop_down_set_model (self->kind_drop, kinds);
  gtk_drop_down_set_model (self->channel_drop, channels);
  gtk_drop_down_set_model (self->answer_drop, answers);
  init_topics (self);
  g_signal_connect_swapped (self->channel_drop, "notify::selected",
                            G_CALLBACK (channel_selected_cb), self);
  g_signal_connect_swapped (self->answer_drop, "notify::selected", G_CALLBACK (answer_selected_cb),
                            self);
  watch_drop_down (self->kind_drop);
  watch_drop_down (self->channel_drop);
  watch_drop_down (self->topic_drop);
  watch_drop_down (self->answer_drop);
  forget_problem_on_change (GTK_WIDGET (self->kind_drop), "notify::selected", self->kind_error);
  forget_problem_on_change (GTK_WIDGET (self->channel_drop), "notify::selected",
                            self->channel_error);
  forget_problem_on_change (GTK_WIDGET (self->answer_drop), "notify::selected", self->answer_error);
  forget_problem_on_change (GTK_WIDGET (self->name_entry), "changed", self->name_error);
  forget_problem_on_change (GTK_WIDGET (self->address_entry), "changed", self->address_error);
  forget_problem_on_change (GTK_WIDGET (self->subject_entry), "changed", self->subject_error);
  okno_appeal_form_reset (self);
}

GtkWidget *
okno_appeal_form_new (void)
{
  return g_object_new (OKNO_TYPE_APPEAL_FORM, NULL);
}

void
okno_appeal_form_set_topics (OknoAppealForm *self, GListModel *topics)
{
  g_return_if_fail (OKNO_IS_APPEAL_FORM (self));
  g_return_if_fail (topics == NULL || G_IS_LIST_MODEL (topics));

  /* The first model is the "not chosen yet" item; the topics follow it. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->topic_sources)) > 1)
    g_list_store_remove (self->topic_sources, 1);
  if (topics != NULL)
    g_list_store_append (self->topic_sources, topics);
  gtk_drop_down_set_selected (self->topic_drop, 0);
}

void
okno_appeal_form_set_account (OknoAppealForm *self, const char *account_id, const char *number,
                              const char *holder)
{
  g_autofree char *text = NULL;

  g_return_if_fail (OKNO_IS_APPEAL_FORM (self));

  g_free (self->account_id);
  self->account_id = g_strdup (account_id);
  if (account_id != NULL)
    /* Translators: the applicant's account on the register form: its
     * number and holder */
    text = g_strdup_printf (_ ("Account %s · %s"), number ? number : "", holder ? holder : "");
  gtk_label_set_text (self->account_label, text ? text : "");
  gtk_widget_set_visible (self->account_box, account_id != NULL);
  gtk_widget_set_visible (self->name_box, account_id == NULL);
  show_problem (self->form_error, NULL, NULL);
}

const char *
okno_appeal_form_get_account_id (OknoAppealForm *self)
{
  g_return_val_if_fail (OKNO_IS_APPEAL_FORM (self), NULL);
  return self->account_id;
}

void
okno_appeal_form_set_answer (OknoAppealForm *self, const char *channel, const char *address)
{
  g_return_if_fail (OKNO_IS_APPEAL_FORM (self));

  set_answer_position (self, position_of (okno_answer_channels, TRUE, channel));
  self->answer_chosen = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->address_entry), address ? address : "");
}

void
okno_appeal_form_reset (OknoAppealForm *self)
{
  g_return_if_fail (OKNO_IS_APPEAL_FORM (self));

  okno_appeal_form_set_account (self, NULL, NULL, NULL);
  gtk_drop_down_set_selected (self->kind_drop, 0);
  gtk_drop_down_set_selected (self->topic_drop, 0);
  self->answer_chosen = FALSE;
  gtk_drop_down_set_selected (self->channel_drop, position_of (okno_channels, FALSE, "in_person"));
  channel_selected_cb (self, NULL, self->channel_drop);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->address_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", -1);
  remove_all_documents (self);
  clear_problems (self);
}

void
okno_appeal_form_focus (OknoAppealForm *self)
{
  g_return_if_fail (OKNO_IS_APPEAL_FORM (self));

  gtk_widget_grab_focus (self->account_id != NULL ? GTK_WIDGET (self->subject_entry)
                                                  : GTK_WIDGET (self->name_entry));
}
