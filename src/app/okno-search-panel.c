/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-search-panel.h"

#include <glib/gi18n.h>

#include "okno-account-row.h"

struct _OknoSearchPanel
{
  AdwBin parent_instance;
  OknoStore *store;
  GCancellable *cancellable;
  char *shown_query;   /* the query of the list on screen */
  gboolean open_first; /* Enter came before the results */

  /* A row selected or activated while its page was still being read: it is
   * announced when it arrives, unless another row was meanwhile. */
  OknoAccount *waiting;
  gulong waiting_id;
  guint waiting_signal, waiting_position;

  GtkSearchEntry *search_entry;
  GtkLabel *status_label;
  GtkStack *stack;
  AdwStatusPage *error_page;
  GtkListView *list_view;
  GtkSingleSelection *selection;
};

G_DEFINE_FINAL_TYPE (OknoSearchPanel, okno_search_panel, ADW_TYPE_BIN)

enum
{
  ACCOUNT_SELECTED,
  ACCOUNT_ACTIVATED,
  STOPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_account (OknoSearchPanel *self, guint signal, OknoAccount *account)
{
  /* An account that could not be read has an empty id; nothing to open. */
  if (*okno_account_get_id (account) != '\0')
    g_signal_emit (self, signals[signal], 0, account);
}

static void
stop_waiting (OknoSearchPanel *self)
{
  g_clear_signal_handler (&self->waiting_id, self->waiting);
  g_clear_object (&self->waiting);
}

static void
waiting_loaded_cb (OknoSearchPanel *self, GParamSpec *pspec, OknoAccount *account)
{
  g_autoptr (OknoAccount) now = NULL;
  guint signal = self->waiting_signal;

  if (!okno_account_is_loaded (account))
    return;
  /* The results on screen may be others by now (a new search, Escape). */
  now = g_list_model_get_item (G_LIST_MODEL (self->selection), self->waiting_position);
  g_object_ref (account);
  stop_waiting (self);
  if (now == account)
    emit_account (self, signal, account);
  g_object_unref (account);
}

static void
emit_for_position (OknoSearchPanel *self, guint signal, guint position)
{
  g_autoptr (OknoAccount) account
    = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  stop_waiting (self);
  if (account == NULL)
    return;
  if (okno_account_is_loaded (account))
    {
      emit_account (self, signal, account);
      return;
    }
  self->waiting = g_object_ref (account);
  self->waiting_signal = signal;
  self->waiting_position = position;
  self->waiting_id = g_signal_connect_object (
    account, "notify::loaded", G_CALLBACK (waiting_loaded_cb), self, G_CONNECT_SWAPPED);
}

static void
open_first (OknoSearchPanel *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0)
    return;
  gtk_single_selection_set_selected (self->selection, 0);
  emit_for_position (self, ACCOUNT_ACTIVATED, 0);
}

static char *
describe_count (guint n_matches)
{
  if (n_matches > OKNO_STORE_SEARCH_LIMIT)
    return g_strdup_printf (_ ("More than %u clients found — refine the search"),
                            OKNO_STORE_SEARCH_LIMIT);
  return g_strdup_printf (ngettext ("%u client found", "%u clients found", n_matches), n_matches);
}

static void
show_results (OknoSearchPanel *self, const char *query, GListModel *model, guint n_matches)
{
  g_autofree char *status = describe_count (n_matches);

  g_free (self->shown_query);
  self->shown_query = g_strdup (query);
  /* The lazy model goes straight to the view: rows are read only when
   * they scroll into sight. */
  gtk_single_selection_set_model (self->selection, model);
  gtk_label_set_text (self->status_label, status);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
  gtk_stack_set_visible_child_name (self->stack, n_matches > 0 ? "results" : "none");
  if (self->open_first)
    {
      self->open_first = FALSE;
      open_first (self);
    }
}

static void
show_error (OknoSearchPanel *self, const GError *error)
{
  gtk_single_selection_set_model (self->selection, NULL);
  g_clear_pointer (&self->shown_query, g_free);
  adw_status_page_set_description (self->error_page, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "error");
  self->open_first = FALSE;
}

typedef struct
{
  OknoSearchPanel *self;
  char *query;
} SearchCall;

static void
search_call_free (SearchCall *call)
{
  g_free (call->query);
  g_free (call);
}

static void
search_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SearchCall *call = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GListModel) model = NULL;
  guint n_matches = 0;

  model = okno_store_search_finish (OKNO_STORE (source), result, &n_matches, &error);
  /* A newer query or dispose cancelled it: the panel may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      search_call_free (call);
      return;
    }
  if (model == NULL)
    show_error (call->self, error);
  else
    show_results (call->self, call->query, model, n_matches);
  search_call_free (call);
}

static void
start_search (OknoSearchPanel *self, const char *query)
{
  SearchCall *call;

  /* Only the newest query matters; an older one still running is dropped. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  call = g_new0 (SearchCall, 1);
  call->self = self;
  call->query = g_strdup (query);
  okno_store_search_async (self->store, query, OKNO_STORE_SEARCH_LIMIT, self->cancellable,
                           search_done_cb, call);
}

static void
show_hint (OknoSearchPanel *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->shown_query, g_free);
  gtk_single_selection_set_model (self->selection, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "hint");
  self->open_first = FALSE;
}

static char *
current_query (OknoSearchPanel *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
}

/* GtkSearchEntry already waits for a pause in typing (150 ms). */
static void
search_changed_cb (OknoSearchPanel *self, GtkSearchEntry *entry)
{
  g_autofree char *query = current_query (self);

  if (*query == '\0')
    show_hint (self);
  else
    start_search (self, query);
}

static void
search_activate_cb (OknoSearchPanel *self, GtkSearchEntry *entry)
{
  g_autofree char *query = current_query (self);

  if (*query == '\0')
    return;
  if (g_strcmp0 (query, self->shown_query) == 0)
    {
      open_first (self);
      return;
    }
  /* The results on screen are for an older text: open the first of the
   * new ones as soon as they arrive, without waiting for the pause. */
  self->open_first = TRUE;
  start_search (self, query);
}

/* Escape: the clerk is done with this client. */
static void
stop_search_cb (OknoSearchPanel *self, GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_signal_emit (self, signals[STOPPED], 0);
}

static void
focus_list (OknoSearchPanel *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0)
    return;
  if (selected == GTK_INVALID_LIST_POSITION)
    selected = 0;
  /* list.scroll-to-item scrolls to the row and makes it the list's focus
   * position, which grabbing the focus then lands on (GTK 4.8 has no
   * gtk_list_view_scroll_to ()). */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", selected);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
  gtk_single_selection_set_selected (self->selection, selected);
}

static gboolean
entry_key_pressed_cb (OknoSearchPanel *self, guint keyval, guint keycode, GdkModifierType state,
                      GtkEventControllerKey *controller)
{
  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "results") == 0)
    {
      focus_list (self);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static gboolean
list_key_pressed_cb (OknoSearchPanel *self, guint keyval, guint keycode, GdkModifierType state,
                     GtkEventControllerKey *controller)
{
  /* Up from the first row goes back to the search field. */
  if ((keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
      && gtk_single_selection_get_selected (self->selection) == 0)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
selection_changed_cb (OknoSearchPanel *self, GParamSpec *pspec, GtkSingleSelection *selection)
{
  guint position = gtk_single_selection_get_selected (selection);

  if (position != GTK_INVALID_LIST_POSITION)
    emit_for_position (self, ACCOUNT_SELECTED, position);
}

static void
list_activate_cb (OknoSearchPanel *self, guint position, GtkListView *list_view)
{
  emit_for_position (self, ACCOUNT_ACTIVATED, position);
}

static void
okno_search_panel_dispose (GObject *object)
{
  OknoSearchPanel *self = OKNO_SEARCH_PANEL (object);

  stop_waiting (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_SEARCH_PANEL);
  G_OBJECT_CLASS (okno_search_panel_parent_class)->dispose (object);
}

static void
okno_search_panel_finalize (GObject *object)
{
  OknoSearchPanel *self = OKNO_SEARCH_PANEL (object);

  g_free (self->shown_query);
  G_OBJECT_CLASS (okno_search_panel_parent_class)->finalize (object);
}

static gboolean
okno_search_panel_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (OKNO_SEARCH_PANEL (widget)->search_entry));
}

static void
okno_search_panel_class_init (OknoSearchPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_search_panel_dispose;
  object_class->finalize = okno_search_panel_finalize;
  widget_class->grab_focus = okno_search_panel_grab_focus;

  signals[ACCOUNT_SELECTED]
    = g_signal_new ("account-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, OKNO_TYPE_ACCOUNT);
  signals[ACCOUNT_ACTIVATED]
    = g_signal_new ("account-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, OKNO_TYPE_ACCOUNT);
  signals[STOPPED] = g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (OKNO_TYPE_ACCOUNT_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/ru/eens/Okno/okno-search-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoSearchPanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OknoSearchPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, OknoSearchPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, OknoSearchPanel, error_page);
  gtk_widget_class_bind_template_child (widget_class, OknoSearchPanel, list_view);
  gtk_widget_class_bind_template_child (widget_class, OknoSearchPanel, selection);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
}

static void
okno_search_panel_init (OknoSearchPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
okno_search_panel_new (void)
{
  return g_object_new (OKNO_TYPE_SEARCH_PANEL, NULL);
}

void
okno_search_panel_set_store (OknoSearchPanel *self, OknoStore *store)
{
  g_return_if_fail (OKNO_IS_SEARCH_PANEL (self));

  if (g_set_object (&self->store, store))
    show_hint (self);
}

void
okno_search_panel_focus_search (OknoSearchPanel *self)
{
  g_return_if_fail (OKNO_IS_SEARCH_PANEL (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

void
okno_search_panel_clear (OknoSearchPanel *self)
{
  g_return_if_fail (OKNO_IS_SEARCH_PANEL (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  /* At once, not after the entry's pause in typing. */
  show_hint (self);
}
