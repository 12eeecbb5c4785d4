/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-window-private.h"

#include <glib/gi18n.h>

#include "okno-a11y.h"
#include "okno-attention-window.h"
#include "okno-sync-status.h"

G_DEFINE_FINAL_TYPE (OknoWindow, okno_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (OknoWindow *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* Who works (name · role) and where, once someone has signed in. */
static void
update_subtitle (OknoWindow *self)
{
  gboolean in = okno_session_is_signed_in (self->session);
  const char *parts[] = { in ? okno_session_get_staff_name (self->session) : NULL,
                          in ? okno_session_get_role_label (self->session) : NULL,
                          okno_session_get_branch_name (self->session) };
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) shown = NULL;
  g_autofree char *subtitle = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL && *parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);
  shown = g_strv_builder_end (builder);
  subtitle = g_strjoinv (" · ", shown);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

gboolean
_okno_window_showing_main (OknoWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "main") == 0;
}

/* Whatever the session says of itself: who, where, online or not. */
static void
session_notify_cb (OknoWindow *self)
{
  /* Signed in offline, the keyring's tokens may arrive after the first
   * sync was refused for want of them. */
  if (self->scheduler != NULL && okno_session_has_tokens (self->session)
      && okno_sync_scheduler_get_state (self->scheduler) == OKNO_SYNC_STATE_SIGNED_OUT)
    okno_sync_scheduler_sync_now (self->scheduler);
  update_subtitle (self);
  gtk_widget_set_visible (self->offline_label, okno_session_is_offline (self->session));
  _okno_window_actions_update (self);
}

/* --- syncing ------------------------------------------------------------------ */

/* After each sync: a refresh may have rotated the tokens, and the server's
 * clock says whether ours is right. */
static void
sync_finished (OknoWindow *self)
{
  g_autofree char *skew = okno_sync_status_clock_warning (
    okno_client_get_clock_skew (okno_session_get_client (self->session)));

  okno_session_keep_tokens (self->session);
  if (skew != NULL && !self->clock_warned)
    {
      AdwToast *toast = adw_toast_new (skew);

      adw_toast_set_timeout (toast, 0);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  self->clock_warned = skew != NULL;
  if (self->attention_window != NULL)
    okno_attention_window_reload (OKNO_ATTENTION_WINDOW (self->attention_window));
}

/* The header's indicator shows the state; the window only needs to know
 * when a sync has ended. */
static void
scheduler_state_cb (OknoWindow *self)
{
  OknoSyncState state = okno_sync_scheduler_get_state (self->scheduler);

  if (self->sync_state == OKNO_SYNC_STATE_SYNCING && state != OKNO_SYNC_STATE_SYNCING)
    sync_finished (self);
  self->sync_state = state;
}

static void
sync_interval_changed_cb (OknoWindow *self)
{
  GSettings *settings = okno_session_get_settings (self->session);

  if (self->scheduler != NULL)
    okno_sync_scheduler_set_interval (self->scheduler,
                                      g_settings_get_uint (settings, "sync-interval-minutes"));
}

/* Once the replica is whole and someone is signed in, online or not. */
static void
start_sync (OknoWindow *self)
{
  OknoClient *client = okno_session_get_client (self->session);

  if (self->scheduler != NULL || client == NULL)
    return;
  self->scheduler = okno_sync_scheduler_new (client, okno_session_get_store (self->session));
  self->sync_state = okno_sync_scheduler_get_state (self->scheduler);
  self->clock_warned = FALSE;
  g_signal_connect_object (self->scheduler, "notify::state", G_CALLBACK (scheduler_state_cb), self,
                           G_CONNECT_SWAPPED);
  sync_interval_changed_cb (self);
  okno_sync_scheduler_start (self->scheduler);
  okno_sync_indicator_set_client (self->sync_indicator, client);
  okno_sync_indicator_set_scheduler (self->sync_indicator, self->scheduler);
  _okno_window_actions_update (self);
}

static void
close_attention_window (OknoWindow *self)
{
  if (self->attention_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->attention_window));
  g_clear_weak_pointer (&self->attention_window);
}

/* Signed out, nothing syncs: the scheduler's dispose cancels its work. */
static void
stop_sync (OknoWindow *self)
{
  close_attention_window (self);
  okno_sync_indicator_set_scheduler (self->sync_indicator, NULL);
  okno_sync_indicator_set_client (self->sync_indicator, NULL);
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_clear_object (&self->scheduler);
  _okno_window_actions_update (self);
}

/* --- the main view, the sign-in page and the lock ------------------------------ */

static void
show_main (OknoWindow *self)
{
  OknoStore *store = okno_session_get_store (self->session);

  okno_search_panel_set_store (self->search_panel, store);
  okno_client_card_set_session (self->client_card, self->session);
  gtk_stack_set_visible_child_name (self->stack, "main");
  _okno_window_actions_update (self);
  start_sync (self);
  okno_search_panel_focus_search (self->search_panel);
  okno_idle_lock_start (self->idle_lock);
}

/* login NULL: the last one who signed in here. */
static void
show_sign_in (OknoWindow *self, const char *message, const char *login)
{
  g_autofree char *url
    = g_settings_get_string (okno_session_get_settings (self->session), "server-url");

  okno_idle_lock_stop (self->idle_lock);
  okno_sign_in_page_update (self->sign_in_page);
  okno_sign_in_page_set_server_url (self->sign_in_page, url);
  okno_sign_in_page_set_login (self->sign_in_page,
                               login ? login : okno_session_get_staff_login (self->session));
  okno_sign_in_page_set_password (self->sign_in_page, "");
  okno_sign_in_page_show_message (self->sign_in_page, message);
  gtk_stack_set_visible_child_name (self->stack, "sign-in");
  _okno_window_actions_update (self);
  okno_sign_in_page_focus (self->sign_in_page);
}

void
_okno_window_lock (OknoWindow *self)
{
  okno_idle_lock_stop (self->idle_lock);
  if (!_okno_window_showing_main (self))
    return;
  /* The focus comes back to where it was; the card shows nothing personal
   * until the next client is identified. */
  g_set_weak_pointer (&self->focus_before_lock, gtk_window_get_focus (GTK_WINDOW (self)));
  /* A locked counter keeps syncing, but shows nothing of the work. */
  close_attention_window (self);
  okno_client_card_mask (self->client_card);
  okno_lock_page_reset (self->lock_page);
  gtk_stack_set_visible_child_name (self->stack, "lock");
  _okno_window_actions_update (self);
  okno_lock_page_focus (self->lock_page);
}

/* Locks only someone signed in: the lock page asks for their password. */
static void
idle_cb (OknoWindow *self, OknoIdleLock *idle_lock)
{
  if (okno_session_is_signed_in (self->session))
    _okno_window_lock (self);
}

static void
unlocked_cb (OknoWindow *self, OknoLockPage *page)
{
  GtkWidget *focus = self->focus_before_lock;

  g_clear_weak_pointer (&self->focus_before_lock);
  gtk_stack_set_visible_child_name (self->stack, "main");
  _okno_window_actions_update (self);
  if (focus == NULL || !gtk_widget_grab_focus (focus))
    okno_search_panel_focus_search (self->search_panel);
  okno_idle_lock_start (self->idle_lock);
}

void
_okno_window_sign_out (OknoWindow *self, const char *message, const char *login)
{
  g_clear_weak_pointer (&self->focus_before_lock);
  stop_sync (self);
  okno_session_sign_out (self->session);
  okno_client_card_clear (self->client_card);
  okno_search_panel_clear (self->search_panel);
  adw_leaflet_set_visible_child_name (self->leaflet, "search");
  show_sign_in (self, message, login);
}

static void
switch_user_cb (OknoWindow *self, OknoLockPage *page)
{
  _okno_window_sign_out (self, NULL, "");
}

/* --- first start ----------------------------------------------------------- */

static void
signed_in_cb (OknoWindow *self, OknoSignInPage *page)
{
  const char *url = okno_sign_in_page_get_server_url (page);

  if (okno_session_is_offline (self->session))
    toast (self, _ ("Signed in offline: the server cannot be reached. Search and client cards "
                    "work from this computer’s database."));
  else
    g_settings_set_string (okno_session_get_settings (self->session), "server-url", url);
  if (okno_session_is_ready (self->session))
    {
      show_main (self);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "download");
  _okno_window_actions_update (self);
  okno_download_page_start (self->download_page, okno_session_get_client (self->session),
                            okno_session_get_store (self->session));
}

static void
download_finished_cb (OknoWindow *self, OknoDownloadPage *page)
{
  /* Branch names have arrived with the download. */
  okno_session_reload (self->session);
  show_main (self);
  toast (self, _ ("The client database is ready"));
}

static void
sign_in_needed_cb (OknoWindow *self, OknoDownloadPage *page)
{
  show_sign_in (self,
                _ ("The server asks you to sign in again. Sign in to continue the download "
                   "where it stopped."),
                NULL);
}

/* --- search and card ---------------------------------------------------------- */

static gboolean
open_account (OknoWindow *self, OknoAccount *account)
{
  g_autoptr (GError) error = NULL;

  if (okno_client_card_show_account (self->client_card, okno_account_get_id (account), &error))
    return TRUE;
  toast (self, error->message);
  return FALSE;
}

static void
account_selected_cb (OknoWindow *self, OknoAccount *account, OknoSearchPanel *panel)
{
  open_account (self, account);
}

static void
account_activated_cb (OknoWindow *self, OknoAccount *account, OknoSearchPanel *panel)
{
  if (!open_account (self, account))
    return;
  adw_leaflet_set_visible_child_name (self->leaflet, "card");
  okno_client_card_focus (self->client_card);
}

/* Escape in the search: the next client must not see this one's card. */
static void
search_stopped_cb (OknoWindow *self, OknoSearchPanel *panel)
{
  okno_client_card_clear (self->client_card);
}

static void
leaflet_changed_cb (OknoWindow *self, GParamSpec *pspec, AdwLeaflet *leaflet)
{
  gboolean on_card = g_strcmp0 (adw_leaflet_get_visible_child_name (leaflet), "card") == 0;

  gtk_widget_set_visible (self->back_button, adw_leaflet_get_folded (leaflet) && on_card);
  _okno_window_actions_update (self);
}

/* --- window state -------------------------------------------------------------- */

static void
restore_size (OknoWindow *self)
{
  GSettings *settings = okno_session_get_settings (self->session);

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
okno_window_close_request (GtkWindow *window)
{
  OknoWindow *self = OKNO_WINDOW (window);
  GSettings *settings = okno_session_get_settings (self->session);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
  if (GTK_WINDOW_CLASS (okno_window_parent_class)->close_request != NULL)
    return GTK_WINDOW_CLASS (okno_window_parent_class)->close_request (window);
  return FALSE;
}

static void
okno_window_map (GtkWidget *widget)
{
  GtkShortcutsWindow *help_overlay;

  GTK_WIDGET_CLASS (okno_window_parent_class)->map (widget);
  /* GtkApplication sets the help overlay (gtk/help-overlay.ui) once the
   * window is added; by the time it maps, it is there. */
  help_overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (widget));
  if (help_overlay != NULL)
    okno_a11y_name_library_controls (GTK_WIDGET (help_overlay));
}

static void
okno_window_constructed (GObject *object)
{
  OknoWindow *self = OKNO_WINDOW (object);

  G_OBJECT_CLASS (okno_window_parent_class)->constructed (object);
  g_signal_connect_object (self->session, "notify", G_CALLBACK (session_notify_cb), self,
                           G_CONNECT_SWAPPED);
  self->idle_lock = okno_idle_lock_new (okno_session_get_settings (self->session));
  okno_idle_lock_watch (self->idle_lock, GTK_WIDGET (self));
  g_signal_connect_object (self->idle_lock, "idle", G_CALLBACK (idle_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (okno_session_get_settings (self->session),
                           "changed::sync-interval-minutes", G_CALLBACK (sync_interval_changed_cb),
                           self, G_CONNECT_SWAPPED);
  okno_sign_in_page_set_session (self->sign_in_page, self->session);
  okno_lock_page_set_session (self->lock_page, self->session);
  session_notify_cb (self);
  restore_size (self);
  /* Later starts never wait for the server: the replica opens behind the
   * sign-in page, which asks who works, online or not. */
  if (okno_session_is_ready (self->session))
    {
      okno_search_panel_set_store (self->search_panel, okno_session_get_store (self->session));
      okno_client_card_set_session (self->client_card, self->session);
    }
  show_sign_in (self, NULL, NULL);
}

static void
okno_window_dispose (GObject *object)
{
  OknoWindow *self = OKNO_WINDOW (object);

  if (self->idle_lock != NULL)
    g_signal_handlers_disconnect_by_data (self->idle_lock, self);
  g_clear_object (&self->idle_lock);
  g_clear_weak_pointer (&self->focus_before_lock);
  if (self->scheduler != NULL)
    g_signal_handlers_disconnect_by_data (self->scheduler, self);
  g_clear_object (&self->scheduler);
  close_attention_window (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_WINDOW);
  G_OBJECT_CLASS (okno_window_parent_class)->dispose (object);
  g_clear_object (&self->session);
}

static void
okno_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_SESSION:
        g_value_set_object (value, OKNO_WINDOW (object)->session);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
okno_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_SESSION:
        OKNO_WINDOW (object)->session = g_value_dup_object (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bind_template (GtkWidgetClass *widget_class)
{
  gtk_widget_class_set_template_from_resource (widget_class, "/ru/eens/Okno/okno-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, lock_page);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, download_page);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, search_panel);
  gtk_widget_class_bind_template_child (widget_class, OknoWindow, client_card);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, download_finished_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_needed_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stopped_cb);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, unlocked_cb);
  gtk_widget_class_bind_template_callback (widget_class, switch_user_cb);
}

static void
okno_window_class_init (OknoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = okno_window_constructed;
  object_class->dispose = okno_window_dispose;
  object_class->get_property = okno_window_get_property;
  object_class->set_property = okno_window_set_property;
  widget_class->map = okno_window_map;
  window_class->close_request = okno_window_close_request;

  properties[PROP_SESSION]
    = g_param_spec_object ("session", NULL, NULL, OKNO_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (OKNO_TYPE_SIGN_IN_PAGE);
  g_type_ensure (OKNO_TYPE_DOWNLOAD_PAGE);
  g_type_ensure (OKNO_TYPE_LOCK_PAGE);
  g_type_ensure (OKNO_TYPE_SEARCH_PANEL);
  g_type_ensure (OKNO_TYPE_CLIENT_CARD);
  g_type_ensure (OKNO_TYPE_SYNC_INDICATOR);
  _okno_window_class_actions_init (klass);
  bind_template (widget_class);
}

static void
okno_window_init (OknoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

OknoWindow *
okno_window_new (GtkApplication *application, OknoSession *session)
{
  g_return_val_if_fail (OKNO_IS_SESSION (session), NULL);

  return g_object_new (OKNO_TYPE_WINDOW, "application", application, "session", session, NULL);
}

OknoSession *
okno_window_get_session (OknoWindow *self)
{
  g_return_val_if_fail (OKNO_IS_WINDOW (self), NULL);
  return self->session;
}

void
okno_window_sign_in (OknoWindow *self, const char *server_url, const char *login,
                     const char *password)
{
  g_return_if_fail (OKNO_IS_WINDOW (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "sign-in") != 0)
    return;
  if (server_url != NULL)
    okno_sign_in_page_set_server_url (self->sign_in_page, server_url);
  if (login != NULL)
    okno_sign_in_page_set_login (self->sign_in_page, login);
  okno_sign_in_page_focus (self->sign_in_page);
  if (login != NULL && password != NULL)
    {
      okno_sign_in_page_set_password (self->sign_in_page, password);
      okno_sign_in_page_submit (self->sign_in_page);
    }
}

void
okno_window_set_idle_lock_seconds (OknoWindow *self, int seconds)
{
  g_return_if_fail (OKNO_IS_WINDOW (self));

  okno_idle_lock_set_seconds (self->idle_lock, seconds);
}

void
okno_window_lock (OknoWindow *self)
{
  g_return_if_fail (OKNO_IS_WINDOW (self));
  _okno_window_lock (self);
}
