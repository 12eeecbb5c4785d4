/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-sign-in-page.h"

#include <glib/gi18n.h>
#include <string.h>

struct _OknoSignInPage
{
  AdwBin parent_instance;
  GCancellable *cancellable;
  OknoSession *session;
  char *server_url; /* as it was when the sign-in started */

  GtkLabel *title_label;
  GtkLabel *intro_label;
  GtkEntry *server_entry;
  GtkEntry *login_entry;
  GtkPasswordEntry *password_entry;
  GtkLabel *error_label;
  GtkButton *sign_in_button;
  GtkSpinner *spinner;
};

G_DEFINE_FINAL_TYPE (OknoSignInPage, okno_sign_in_page, ADW_TYPE_BIN)

enum
{
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
field_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

void
okno_sign_in_page_show_message (OknoSignInPage *self, const char *message)
{
  g_return_if_fail (OKNO_IS_SIGN_IN_PAGE (self));

  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (OknoSignInPage *self, gboolean busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_entry), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.submit", !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

/* A sentence the clerk can act on. */
static char *
describe_error (const GError *error, const char *url)
{
  /* Offline sign-in explains itself. */
  if (error->domain == OKNO_SESSION_ERROR)
    return g_strdup (error->message);
  if (error->domain != OKNO_SYNC_ERROR)
    return g_strdup_printf (_ ("Could not sign in: %s"), error->message);
  switch (error->code)
    {
      case OKNO_SYNC_ERROR_UNREACHABLE:
        return g_strdup_printf (
          _ ("Cannot reach the server at %s. Check the address and the network, then try again."),
          url);
      case OKNO_SYNC_ERROR_UNAUTHORIZED:
        return g_strdup (
          _ ("The login or the password is wrong. Check the keyboard layout and Caps "
             "Lock, then try again."));
      case OKNO_SYNC_ERROR_BAD_RESPONSE:
        return g_strdup_printf (_ ("The server at %s answered in a way Okno does not understand. "
                                   "Check that the address is that of the Okno server; if it is, "
                                   "tell your administrator."),
                                url);
      case OKNO_SYNC_ERROR_SERVER:
        return g_strdup_printf (
          _ ("The server at %s reported an internal error. Try again in a few "
             "minutes; if it keeps happening, tell your administrator."),
          url);
      case OKNO_SYNC_ERROR_RETRY_LATER:
        /* Throttled: the wait, in words (okno_client_describe_sign_in_wait). */
        return g_strdup (error->message);
      case OKNO_SYNC_ERROR_INVALID_URL:
        return g_strdup_printf (_ ("“%s” is not a server address. Enter an address such as "
                                   "https://192.168.1.10:8443."),
                                url);
      /* Both say what is wrong and what to do; nothing was sent. */
      case OKNO_SYNC_ERROR_TLS:
      case OKNO_SYNC_ERROR_PLAIN_HTTP:
        return g_strdup (error->message);
      default:
        return g_strdup_printf (_ ("Could not sign in: %s"), error->message);
    }
}

static void
show_error (OknoSignInPage *self, const GError *error)
{
  g_autofree char *message = describe_error (error, self->server_url);

  okno_sign_in_page_show_message (self, message);
  /* Put the clerk where the fix goes: the password, the login, or the
   * address. */
  if (g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED)
      || g_error_matches (error, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_WRONG_PASSWORD))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
    }
  else if (g_error_matches (error, OKNO_SESSION_ERROR, OKNO_SESSION_ERROR_NEVER_ONLINE))
    gtk_widget_grab_focus (GTK_WIDGET (self->login_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->server_entry));
}

static void
sign_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  OknoSignInPage *self;

  if (!okno_session_sign_in_finish (OKNO_SESSION (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = OKNO_SIGN_IN_PAGE (user_data);
  set_busy (self, FALSE);
  if (error != NULL)
    {
      show_error (self, error);
      return;
    }
  /* The password is not kept anywhere once it has been accepted. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
  g_signal_emit (self, signals[SIGNED_IN], 0);
}

/* Returns the first empty field after saying so, or NULL when all are set. */
static GtkWidget *
missing_field (OknoSignInPage *self, const char *url, const char *login, const char *password)
{
  if (*url == '\0')
    {
      okno_sign_in_page_show_message (self, _ ("Enter the server address."));
      return GTK_WIDGET (self->server_entry);
    }
  if (*login == '\0')
    {
      okno_sign_in_page_show_message (self, _ ("Enter your login."));
      return GTK_WIDGET (self->login_entry);
    }
  if (*password == '\0')
    {
      okno_sign_in_page_show_message (self, _ ("Enter your password."));
      return GTK_WIDGET (self->password_entry);
    }
  return NULL;
}

void
okno_sign_in_page_submit (OknoSignInPage *self)
{
  g_autofree char *login = field_text (self->login_entry);
  g_autofree char *password
    = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));
  GtkWidget *missing;

  g_return_if_fail (OKNO_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (self->session != NULL);

  g_free (self->server_url);
  self->server_url = field_text (self->server_entry);
  if ((missing = missing_field (self, self->server_url, login, password)) != NULL)
    {
      gtk_widget_grab_focus (missing);
      return;
    }
  okno_sign_in_page_show_message (self, NULL);
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  okno_session_sign_in_async (self->session, self->server_url, login, password, self->cancellable,
                              sign_in_cb, self);
  explicit_bzero (password, strlen (password));
}

static void
submit_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  okno_sign_in_page_submit (OKNO_SIGN_IN_PAGE (widget));
}

/* Enter in a field signs in, or moves on to the next empty field. */
static void
entry_activate_cb (OknoSignInPage *self, GtkWidget *entry)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.submit", NULL);
}

static void
okno_sign_in_page_map (GtkWidget *widget)
{
  OknoSignInPage *self = OKNO_SIGN_IN_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (okno_sign_in_page_parent_class)->map (widget);
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), GTK_WIDGET (self->sign_in_button));
}

static void
okno_sign_in_page_unmap (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), NULL);
  GTK_WIDGET_CLASS (okno_sign_in_page_parent_class)->unmap (widget);
}

static void
okno_sign_in_page_dispose (GObject *object)
{
  OknoSignInPage *self = OKNO_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_SIGN_IN_PAGE);
  G_OBJECT_CLASS (okno_sign_in_page_parent_class)->dispose (object);
}

static void
okno_sign_in_page_finalize (GObject *object)
{
  OknoSignInPage *self = OKNO_SIGN_IN_PAGE (object);

  g_free (self->server_url);
  G_OBJECT_CLASS (okno_sign_in_page_parent_class)->finalize (object);
}

static void
okno_sign_in_page_class_init (OknoSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_sign_in_page_dispose;
  object_class->finalize = okno_sign_in_page_finalize;
  widget_class->map = okno_sign_in_page_map;
  widget_class->unmap = okno_sign_in_page_unmap;

  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit_cb);

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/eens/Okno/okno-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoSignInPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, OknoSignInPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, OknoSignInPage, server_entry);
  gtk_widget_class_bind_template_child (widget_class, OknoSignInPage, login_entry);
  gtk_widget_class_bind_template_child (widget_class, OknoSignInPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, OknoSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, OknoSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, OknoSignInPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
}

static void
okno_sign_in_page_init (OknoSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
okno_sign_in_page_new (void)
{
  return g_object_new (OKNO_TYPE_SIGN_IN_PAGE, NULL);
}

void
okno_sign_in_page_set_server_url (OknoSignInPage *self, const char *url)
{
  g_return_if_fail (OKNO_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->server_entry), url ? url : "");
}

const char *
okno_sign_in_page_get_server_url (OknoSignInPage *self)
{
  g_return_val_if_fail (OKNO_IS_SIGN_IN_PAGE (self), NULL);
  return self->server_url;
}

void
okno_sign_in_page_set_login (OknoSignInPage *self, const char *login)
{
  g_return_if_fail (OKNO_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->login_entry), login ? login : "");
}

void
okno_sign_in_page_set_password (OknoSignInPage *self, const char *password)
{
  g_return_if_fail (OKNO_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), password ? password : "");
}

void
okno_sign_in_page_focus (OknoSignInPage *self)
{
  const char *fields[] = { gtk_editable_get_text (GTK_EDITABLE (self->server_entry)),
                           gtk_editable_get_text (GTK_EDITABLE (self->login_entry)) };

  g_return_if_fail (OKNO_IS_SIGN_IN_PAGE (self));

  if (*fields[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->server_entry));
  else if (*fields[1] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->login_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
}

void
okno_sign_in_page_set_session (OknoSignInPage *self, OknoSession *session)
{
  g_return_if_fail (OKNO_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (OKNO_IS_SESSION (session));

  g_set_object (&self->session, session);
  okno_sign_in_page_update (self);
}

void
okno_sign_in_page_update (OknoSignInPage *self)
{
  gboolean ready;

  g_return_if_fail (OKNO_IS_SIGN_IN_PAGE (self));

  ready = self->session != NULL && okno_session_is_ready (self->session);
  /* The first start downloads; later ones only need to know who works. */
  gtk_label_set_text (self->title_label, ready ? _ ("Sign In to Okno") : _ ("Welcome to Okno"));
  gtk_label_set_text (self->intro_label,
                      ready ? _ ("The client database is on this computer. If the server cannot "
                                 "be reached, your password is checked here and you can work "
                                 "offline.")
                            : _ ("Sign in to download the client database to this computer. "
                                 "After that, Okno opens at once, even without the network."));
}
