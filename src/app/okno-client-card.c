/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-client-card.h"

#include <glib/gi18n.h>

#include "okno-a11y.h"
#include "okno-account-row.h"
#include "okno-format.h"
#include "okno-labels.h"
#include "okno-meter-row.h"
#include "okno-money.h"
#include "okno-phone.h"
#include "okno-routing.h"

/* What a disclosure record says was shown, and on what basis. */
#define DISCLOSED_WHAT        "balance,phones,email,answer_channel,inn,meters,readings"
#define BASIS_HOUSEHOLD       "identified:full_name,account_number,address"
#define BASIS_ORGANISATION    "identified:contract_number,holder_name"
#define DEFAULT_HIGH_CAPACITY "670"

struct _OknoClientCard
{
  AdwBin parent_instance;
  OknoSession *session;
  OknoAccount *account;
  gboolean identified;
  GtkWindow *dialog;         /* the open identity question, if any */
  GCancellable *cancellable; /* the reads and the disclosure under way */
  gboolean loading;          /* a client is being read for show_account */
  gboolean disclosing;       /* the disclosure is being recorded */
  gboolean focus_pending;    /* focus asked for while the client was still read */
  double high_capacity_kw;   /* the policy, read with the account */

  GtkStack *stack;
  GtkScrolledWindow *scroller;
  GtkLabel *holder_label;
  GtkLabel *summary_label;
  GtkWidget *route_box;
  GtkLabel *route_label;
  AdwActionRow *number_row;
  AdwActionRow *kind_row;
  AdwActionRow *address_row;
  AdwActionRow *capacity_row;
  AdwActionRow *category_row;
  GtkWidget *masked_group;
  AdwActionRow *masked_row;
  GtkButton *confirm_button;
  GtkWidget *settlement_group;
  GtkLabel *balance_state_label;
  GtkLabel *balance_label;
  GtkWidget *contacts_group;
  AdwActionRow *phones_row;
  AdwActionRow *email_row;
  AdwActionRow *channel_row;
  AdwActionRow *inn_row;
  GtkWidget *meters_group;
  GtkListBox *meters_list;
  GtkLabel *updated_label;
};

G_DEFINE_FINAL_TYPE (OknoClientCard, okno_client_card, ADW_TYPE_BIN)

enum
{
  LOAD_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_household (OknoAccount *account)
{
  return g_strcmp0 (okno_account_get_kind (account), "household") == 0;
}

static void
update_actions (OknoClientCard *self)
{
  gboolean can_identify = self->account != NULL && !self->identified && self->session != NULL
                          && okno_session_get_staff_id (self->session) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.confirm-identity", can_identify);
}

/* --- what is always shown ------------------------------------------------ */

static double
high_capacity_threshold (const char *policy)
{
  double kw = policy ? g_ascii_strtod (policy, NULL) : 0;

  return kw > 0 ? kw : g_ascii_strtod (DEFAULT_HIGH_CAPACITY, NULL);
}

static void
show_route (OknoClientCard *self)
{
  OknoAccount *a = self->account;
  OknoRoute route
    = okno_route_for_client (okno_account_get_special_category (a),
                             okno_account_get_capacity_kw (a), self->high_capacity_kw);
  gboolean office = okno_route_is_service_office (route);

  gtk_widget_set_visible (self->route_box, office);
  gtk_label_set_text (self->route_label, office ? okno_route_explain (route) : "");
}

static void
show_identity (OknoClientCard *self)
{
  OknoAccount *a = self->account;
  const char *kind = okno_choice_label (okno_account_get_kind (a));
  const char *category = okno_account_get_special_category (a);
  g_autofree char *number = okno_account_describe_number (a);
  g_autofree char *summary = g_strdup_printf ("%s · %s", kind, number);
  g_autofree char *capacity = okno_format_capacity (okno_account_get_capacity_kw (a));
  gboolean special = category != NULL && g_strcmp0 (category, "none") != 0;

  gtk_label_set_text (self->holder_label, okno_account_get_holder (a));
  gtk_label_set_text (self->summary_label, summary);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->number_row),
                                 is_household (a) ? _ ("Account number") : _ ("Contract number"));
  adw_action_row_set_subtitle (self->number_row, okno_account_get_number (a));
  adw_action_row_set_subtitle (self->kind_row, kind);
  adw_action_row_set_subtitle (self->address_row, okno_account_get_address (a));
  adw_action_row_set_subtitle (self->capacity_row, capacity);
  adw_action_row_set_subtitle (self->category_row, special ? okno_choice_label (category) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->category_row), special);
  show_route (self);
}

static gboolean
is_sole_trader (OknoAccount *account)
{
  return g_strcmp0 (okno_account_get_kind (account), "sole_trader") == 0;
}

static void
show_masked_hint (OknoClientCard *self)
{
  const char *hint;

  if (self->session == NULL || okno_session_get_staff_id (self->session) == NULL)
    hint = _ ("No staff member has signed in on this computer, so the data cannot be shown");
  else if (is_household (self->account))
    hint = _ ("Ask for the full name, the account number and the address");
  else if (is_sole_trader (self->account))
    hint = _ ("Ask for the contract number and the sole trader’s full name");
  else
    hint = _ ("Ask for the contract number and the organisation’s name");
  adw_action_row_set_subtitle (self->masked_row, hint);
}

/* --- what identification reveals ----------------------------------------- */

static void
clear_meters (OknoClientCard *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->meters_list))) != NULL)
    gtk_list_box_remove (self->meters_list, child);
}

/* Nothing personal stays in the widgets while hidden: a screen reader or
 * an accessibility dump must not find it either. */
static void
mask (OknoClientCard *self)
{
  self->identified = FALSE;
  gtk_label_set_text (self->balance_label, "");
  gtk_label_set_text (self->balance_state_label, "");
  adw_action_row_set_subtitle (self->phones_row, "");
  adw_action_row_set_subtitle (self->email_row, "");
  adw_action_row_set_subtitle (self->channel_row, "");
  adw_action_row_set_subtitle (self->inn_row, "");
  clear_meters (self);
  gtk_widget_set_visible (self->settlement_group, FALSE);
  gtk_widget_set_visible (self->contacts_group, FALSE);
  gtk_widget_set_visible (self->meters_group, FALSE);
  gtk_widget_set_visible (self->masked_group, TRUE);
  update_actions (self);
}

static void
show_balance (OknoClientCard *self)
{
  gint64 balance = okno_account_get_balance_kop (self->account);
  g_autofree char *amount = okno_money_format (balance);
  GtkWidget *state = GTK_WIDGET (self->balance_state_label);

  gtk_label_set_text (self->balance_label, amount);
  gtk_widget_remove_css_class (state, "okno-debt");
  gtk_widget_remove_css_class (state, "okno-overpayment");
  gtk_widget_remove_css_class (state, "okno-settled");
  gtk_widget_remove_css_class (GTK_WIDGET (self->balance_label), "okno-debt");
  /* The word says it; the colour only repeats it. */
  if (balance < 0)
    {
      gtk_label_set_text (self->balance_state_label, _ ("Debt"));
      gtk_widget_add_css_class (state, "okno-debt");
      gtk_widget_add_css_class (GTK_WIDGET (self->balance_label), "okno-debt");
    }
  else if (balance > 0)
    {
      gtk_label_set_text (self->balance_state_label, _ ("Overpayment"));
      gtk_widget_add_css_class (state, "okno-overpayment");
    }
  else
    {
      gtk_label_set_text (self->balance_state_label, _ ("No debt"));
      gtk_widget_add_css_class (state, "okno-settled");
    }
}

static char *
format_phones (const char *phones)
{
  g_auto (GStrv) parts = NULL;
  g_autoptr (GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);

  if (phones == NULL || *phones == '\0')
    return NULL;
  parts = g_strsplit (phones, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *formatted = okno_phone_format (g_strstrip (parts[i]));

      if (formatted == NULL && *parts[i] != '\0')
        formatted = g_strdup (parts[i]);
      if (formatted != NULL)
        g_ptr_array_add (shown, formatted);
    }
  g_ptr_array_add (shown, NULL);
  return g_strjoinv (", ", (char **)shown->pdata);
}

static const char *
or_not_given (const char *value)
{
  return value != NULL && *value != '\0' ? value : _ ("Not given");
}

static void
show_contacts (OknoClientCard *self)
{
  OknoAccount *a = self->account;
  g_autofree char *phones = format_phones (okno_account_get_phones (a));

  adw_action_row_set_subtitle (self->phones_row, or_not_given (phones));
  adw_action_row_set_subtitle (self->email_row, or_not_given (okno_account_get_email (a)));
  adw_action_row_set_subtitle (self->channel_row,
                               okno_choice_label (okno_account_get_answer_channel (a)));
  adw_action_row_set_subtitle (self->inn_row, or_not_given (okno_account_get_inn (a)));
}

static GtkWidget *
no_meters_row (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("No meters on this account"));
  return row;
}

/* meters NULL: error says why they could not be read. */
static void
show_meters (OknoClientCard *self, GListModel *meters, const GError *error)
{
  guint n;

  clear_meters (self);
  if (meters == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("Could not read the meters"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      gtk_list_box_append (self->meters_list, row);
      return;
    }
  n = g_list_model_get_n_items (meters);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (OknoMeter) meter = g_list_model_get_item (meters, i);

      gtk_list_box_append (self->meters_list, okno_meter_row_new (meter));
    }
  if (n == 0)
    gtk_list_box_append (self->meters_list, no_meters_row ());
}

/* With the meters read: everything identification shows appears at once. */
static void
reveal (OknoClientCard *self, GListModel *meters, const GError *error)
{
  self->identified = TRUE;
  show_balance (self);
  show_contacts (self);
  show_meters (self, meters, error);
  gtk_widget_set_visible (self->masked_group, FALSE);
  gtk_widget_set_visible (self->settlement_group, TRUE);
  gtk_widget_set_visible (self->contacts_group, TRUE);
  gtk_widget_set_visible (self->meters_group, TRUE);
  update_actions (self);
}

/* --- identification -------------------------------------------------------- */

static void
show_error_dialog (OknoClientCard *self, const char *heading, const char *body)
{
  GtkWidget *dialog
    = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("Close"));
  okno_a11y_fix_message_dialog (ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
revealed_meters_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) meters
    = okno_store_list_meters_finish (OKNO_STORE (source), result, &error);
  OknoClientCard *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* another client, the lock, or the card is gone */
  /* Until here a second question would record a second disclosure. */
  self->disclosing = FALSE;
  reveal (self, meters, error);
  /* The balance is what the client asked about, most of the time. */
  gtk_widget_child_focus (self->settlement_group, GTK_DIR_TAB_FORWARD);
}

static void
disclosure_logged_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  gboolean logged = okno_store_log_disclosure_finish (OKNO_STORE (source), result, &error);
  OknoClientCard *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* another client, the lock, or the card is gone: nothing shown */
  if (!logged)
    {
      self->disclosing = FALSE;
      g_autofree char *body = g_strdup_printf (
        _ ("The disclosure could not be recorded, so the data stays hidden: %s"), error->message);
      show_error_dialog (self, _ ("Cannot Show the Client’s Data"), body);
      return;
    }
  okno_store_list_meters_async (OKNO_STORE (source), okno_account_get_id (self->account),
                                self->cancellable, revealed_meters_cb, self);
}

static void
record_and_reveal (OknoClientCard *self)
{
  OknoStore *store = okno_session_get_store (self->session);
  const char *basis = is_household (self->account) ? BASIS_HOUSEHOLD : BASIS_ORGANISATION;

  /* No record, no disclosure: the personal data law wants every one logged. */
  self->disclosing = TRUE;
  okno_store_log_disclosure_async (store, okno_session_get_staff_id (self->session),
                                   okno_account_get_id (self->account), basis, DISCLOSED_WHAT,
                                   self->cancellable, disclosure_logged_cb, self);
}

typedef struct
{
  OknoClientCard *self;
  char *account_id;
} IdentityQuestion;

static void
identity_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  IdentityQuestion *question = user_data;
  OknoClientCard *self = question->self;

  self->dialog = NULL;
  /* The answer counts only for the client it was asked about. */
  if (g_strcmp0 (response, "confirm") == 0 && self->account != NULL && !self->identified
      && g_strcmp0 (question->account_id, okno_account_get_id (self->account)) == 0)
    record_and_reveal (self);
  else if (!self->identified)
    gtk_widget_grab_focus (GTK_WIDGET (self->confirm_button));
}

static void
identity_question_free (gpointer data, GClosure *closure)
{
  IdentityQuestion *question = data;

  g_free (question->account_id);
  g_free (question);
}

static const char *
identity_question_body (OknoClientCard *self)
{
  if (is_household (self->account))
    return _ ("Confirm that the client has given their full name, the account number and the "
              "address, and that they match this card. The disclosure will be recorded.");
  if (is_sole_trader (self->account))
    return _ ("Confirm that the client has given the contract number and the sole trader’s full "
              "name, and that they match this card. The disclosure will be recorded.");
  return _ ("Confirm that the client has given the contract number and the organisation’s name, "
            "and that they match this card. The disclosure will be recorded.");
}

static void
confirm_identity_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  OknoClientCard *self = OKNO_CLIENT_CARD (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  IdentityQuestion *question;
  GtkWidget *dialog;

  if (self->account == NULL || self->identified || self->dialog != NULL || self->disclosing)
    return;
  dialog
    = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                              _ ("Has the Client Been Identified?"), identity_question_body (self));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("Cancel"), "confirm",
                                    _ ("Confirm"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  okno_a11y_fix_message_dialog (ADW_MESSAGE_DIALOG (dialog));
  question = g_new0 (IdentityQuestion, 1);
  question->self = self;
  question->account_id = g_strdup (okno_account_get_id (self->account));
  g_signal_connect_data (dialog, "response", G_CALLBACK (identity_response_cb), question,
                         identity_question_free, 0);
  self->dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
close_dialog (OknoClientCard *self)
{
  GtkWindow *dialog = g_steal_pointer (&self->dialog);

  /* Destroying the dialog drops its handler, so no answer comes late. */
  if (dialog != NULL)
    {
      g_signal_handlers_disconnect_matched (dialog, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                            identity_response_cb, NULL);
      gtk_window_destroy (dialog);
    }
}

/* What was read or asked for another client, or before the lock, is
 * dropped: its callbacks see the cancellation. */
static void
cancel_pending (OknoClientCard *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = FALSE;
  self->disclosing = FALSE;
}

/* --- GObject ------------------------------------------------------------------ */

static void
okno_client_card_dispose (GObject *object)
{
  OknoClientCard *self = OKNO_CLIENT_CARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  close_dialog (self);
  g_clear_object (&self->account);
  g_clear_object (&self->session);
  /* The stack is both a template child and AdwBin's child: let AdwBin
   * drop it first, or both would unparent it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_CLIENT_CARD);
  G_OBJECT_CLASS (okno_client_card_parent_class)->dispose (object);
}

static void
okno_client_card_class_init (OknoClientCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_client_card_dispose;

  /* okno_client_card_show_account could not read the client: the
   * message says why. */
  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "card.confirm-identity", NULL,
                                   confirm_identity_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "card.confirm-identity", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/eens/Okno/okno-client-card.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, stack);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, scroller);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, holder_label);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, summary_label);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, route_box);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, route_label);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, number_row);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, kind_row);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, address_row);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, capacity_row);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, category_row);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, masked_group);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, masked_row);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, settlement_group);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, balance_state_label);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, balance_label);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, contacts_group);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, phones_row);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, email_row);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, channel_row);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, inn_row);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, meters_group);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, meters_list);
  gtk_widget_class_bind_template_child (widget_class, OknoClientCard, updated_label);
}

static void
okno_client_card_init (OknoClientCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->high_capacity_kw = high_capacity_threshold (NULL);
  update_actions (self);
}

GtkWidget *
okno_client_card_new (void)
{
  return g_object_new (OKNO_TYPE_CLIENT_CARD, NULL);
}

void
okno_client_card_set_session (OknoClientCard *self, OknoSession *session)
{
  g_return_if_fail (OKNO_IS_CLIENT_CARD (self));

  if (g_set_object (&self->session, session))
    okno_client_card_clear (self);
}

static void
show_updated (OknoClientCard *self)
{
  g_autofree char *when = okno_format_timestamp (okno_account_get_updated_at (self->account));
  /* When the record last changed in the central system, said as such: the
   * header tells how fresh the replica is (the last sync), and a date here
   * read as "data as of" made a card synced a minute ago look stale. */
  g_autofree char *text = when ? g_strdup_printf (_ ("Record changed on %s"), when) : NULL;

  gtk_label_set_text (self->updated_label, text ? text : "");
}

/* Showing a client: the account, then the policy its route needs, then,
 * for the same client still identified, its meters; the card changes
 * only once all is read. */
typedef struct
{
  char *account_id;
  OknoAccount *account;
} Load;

static void
load_free (Load *load)
{
  g_free (load->account_id);
  g_clear_object (&load->account);
  g_free (load);
}

/* The last step of a load; self is alive and the load still current. */
static void
load_done (OknoClientCard *self, GTask *task)
{
  self->loading = FALSE;
  if (self->focus_pending)
    {
      self->focus_pending = FALSE;
      okno_client_card_focus (self);
    }
  g_task_return_boolean (task, TRUE);
}

/* Ends the load with an error, touching self only when not cancelled. */
static gboolean
load_failed (GTask *task, GError *error)
{
  if (error == NULL)
    return FALSE;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    OKNO_CLIENT_CARD (g_task_get_source_object (task))->loading = FALSE;
  g_task_return_error (task, error);
  return TRUE;
}

static void
same_client_meters_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) meters
    = okno_store_list_meters_finish (OKNO_STORE (source), result, &error);
  OknoClientCard *self = g_task_get_source_object (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      load_failed (task, g_steal_pointer (&error));
      return;
    }
  reveal (self, meters, error);
  load_done (self, task);
}

static void
show_loaded (OknoClientCard *self, GTask *task)
{
  Load *load = g_task_get_task_data (task);
  gboolean same = self->account != NULL
                  && g_strcmp0 (okno_account_get_id (self->account), load->account_id) == 0;

  if (!same)
    close_dialog (self);
  g_set_object (&self->account, load->account);
  show_identity (self);
  show_masked_hint (self);
  show_updated (self);
  if (!same)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  gtk_stack_set_visible_child_name (self->stack, "card");
  /* The same client again keeps the identification; another one does not. */
  if (!(same && self->identified))
    {
      mask (self);
      load_done (self, task);
      return;
    }
  okno_store_list_meters_async (okno_session_get_store (self->session), load->account_id,
                                self->cancellable, same_client_meters_cb, g_object_ref (task));
}

static void
policy_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  g_autofree char *policy = okno_store_get_policy_finish (OKNO_STORE (source), result, &error);
  OknoClientCard *self = g_task_get_source_object (task);

  if (load_failed (task, error))
    return;
  self->high_capacity_kw = high_capacity_threshold (policy);
  show_loaded (self, task);
}

static void
account_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  Load *load = g_task_get_task_data (task);
  OknoClientCard *self = g_task_get_source_object (task);

  load->account = okno_store_load_account_finish (OKNO_STORE (source), result, &error);
  if (load_failed (task, error))
    return;
  okno_store_get_policy_async (OKNO_STORE (source), "high_capacity_kw", DEFAULT_HIGH_CAPACITY,
                               self->cancellable, policy_read_cb, g_steal_pointer (&task));
}

void
okno_client_card_show_account_async (OknoClientCard *self, const char *account_id,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  Load *load;

  g_return_if_fail (OKNO_IS_CLIENT_CARD (self));
  g_return_if_fail (self->session != NULL);

  /* Only the newest client matters; one still being read gives way. */
  cancel_pending (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_client_card_show_account_async);
  load = g_new0 (Load, 1);
  load->account_id = g_strdup (account_id);
  g_task_set_task_data (task, load, (GDestroyNotify)load_free);
  self->loading = TRUE;
  okno_store_load_account_async (okno_session_get_store (self->session), account_id,
                                 self->cancellable, account_read_cb, g_steal_pointer (&task));
}

gboolean
okno_client_card_show_account_finish (OknoClientCard *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
shown_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (okno_client_card_show_account_finish (OKNO_CLIENT_CARD (source), result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_signal_emit (source, signals[LOAD_FAILED], 0, error->message);
}

gboolean
okno_client_card_show_account (OknoClientCard *self, const char *account_id, GError **error)
{
  g_return_val_if_fail (OKNO_IS_CLIENT_CARD (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  okno_client_card_show_account_async (self, account_id, NULL, shown_cb, NULL);
  return TRUE;
}

void
okno_client_card_clear (OknoClientCard *self)
{
  g_return_if_fail (OKNO_IS_CLIENT_CARD (self));

  cancel_pending (self);
  self->focus_pending = FALSE;
  close_dialog (self);
  g_clear_object (&self->account);
  mask (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

void
okno_client_card_mask (OknoClientCard *self)
{
  g_return_if_fail (OKNO_IS_CLIENT_CARD (self));

  /* A disclosure under way must not show the data after the lock. */
  cancel_pending (self);
  self->focus_pending = FALSE;
  close_dialog (self);
  mask (self);
}

OknoAccount *
okno_client_card_get_account (OknoClientCard *self)
{
  g_return_val_if_fail (OKNO_IS_CLIENT_CARD (self), NULL);
  return self->account;
}

gboolean
okno_client_card_get_identified (OknoClientCard *self)
{
  g_return_val_if_fail (OKNO_IS_CLIENT_CARD (self), FALSE);
  return self->identified;
}

void
okno_client_card_focus (OknoClientCard *self)
{
  g_return_if_fail (OKNO_IS_CLIENT_CARD (self));

  /* The client is still being read: the focus moves once it is shown. */
  if (self->loading)
    {
      self->focus_pending = TRUE;
      return;
    }
  if (self->account == NULL)
    return;
  if (!self->identified && gtk_widget_is_sensitive (GTK_WIDGET (self->confirm_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->confirm_button));
  else
    gtk_widget_child_focus (self->settlement_group, GTK_DIR_TAB_FORWARD);
}
