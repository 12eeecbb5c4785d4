/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-download-page.h"

#include <glib/gi18n.h>

#include "okno-format.h"
#include "okno-rate-estimator.h"

struct _OknoDownloadPage
{
  AdwBin parent_instance;
  OknoClient *client;
  OknoStore *store;
  GCancellable *cancellable;
  gboolean running; /* until the client's callback, even after Cancel */
  OknoRateEstimator rate;

  GtkProgressBar *progress_bar;
  GtkLabel *records_label;
  GtkLabel *estimate_label;
  GtkLabel *error_label;
  GtkButton *cancel_button;
  GtkButton *retry_button;
};

G_DEFINE_FINAL_TYPE (OknoDownloadPage, okno_download_page, ADW_TYPE_BIN)

enum
{
  FINISHED,
  SIGN_IN_NEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The download may outlive the page (the window closed mid-download); a
 * weak reference keeps its callbacks from touching freed memory. The
 * client reports all progress before it completes, so the call is freed
 * in the completion callback. */
typedef struct
{
  GWeakRef page;
} DownloadCall;

static void
download_call_free (DownloadCall *call)
{
  g_weak_ref_clear (&call->page);
  g_free (call);
}

static void
set_running (OknoDownloadPage *self, gboolean running)
{
  self->running = running;
  /* A second download must not start while a cancelled one still winds
   * down: both would write the same pages. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "download.retry", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "download.cancel", running);
}

static void
show_running (OknoDownloadPage *self, gboolean running)
{
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->estimate_label), running);
  if (running)
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
}

static void
show_stopped (OknoDownloadPage *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  show_running (self, FALSE);
}

static void
progress_cb (gint64 done, gint64 total, gpointer user_data)
{
  DownloadCall *call = user_data;
  g_autoptr (OknoDownloadPage) self = g_weak_ref_get (&call->page);
  g_autofree char *records = NULL;
  g_autofree char *estimate = NULL;

  if (self == NULL || self->progress_bar == NULL)
    return;
  okno_rate_estimator_add (&self->rate, g_get_monotonic_time (), done);
  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP ((double)done / total, 0, 1));
  else
    gtk_progress_bar_pulse (self->progress_bar);
  records = okno_format_records_progress (done, total);
  estimate = okno_format_time_left (okno_rate_estimator_seconds_left (&self->rate, total));
  gtk_label_set_text (self->records_label, records);
  gtk_label_set_text (self->estimate_label, estimate ? estimate : "");
}

/* A sentence the clerk can act on; the download keeps what it has. */
static char *
describe_error (const GError *error, const char *url)
{
  if (error->domain == OKNO_SYNC_ERROR && error->code == OKNO_SYNC_ERROR_UNREACHABLE)
    return g_strdup_printf (_ ("The connection to the server at %s was lost. Check the network, "
                               "then try again: the download continues where it stopped."),
                            url);
  if (error->domain == OKNO_SYNC_ERROR && error->code == OKNO_SYNC_ERROR_SERVER)
    return g_strdup (_ ("The server reported an internal error. Try again in a few minutes: the "
                        "download continues where it stopped."));
  if (error->domain == OKNO_SYNC_ERROR && error->code == OKNO_SYNC_ERROR_BAD_RESPONSE)
    return g_strdup (_ ("The server sent data Okno cannot read, and none of it was saved. Try "
                        "again; if it happens again, tell your administrator."));
  if (error->domain == OKNO_STORE_ERROR)
    return g_strdup_printf (_ ("The data could not be saved on this computer: %s. Free some disk "
                               "space or tell your administrator, then try again."),
                            error->message);
  return g_strdup_printf (_ ("The download failed: %s"), error->message);
}

static void
download_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DownloadCall *call = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoDownloadPage) self = NULL;
  gboolean ok = okno_client_download_finish (OKNO_CLIENT (source), result, &error);
  g_autofree char *message = NULL;

  self = g_weak_ref_get (&call->page);
  download_call_free (call);
  if (self == NULL || self->progress_bar == NULL)
    return;
  set_running (self, FALSE);
  /* Cancel has already said what happened; Try Again works from now on. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
      return;
    }
  g_clear_object (&self->cancellable);
  if (ok)
    {
      g_signal_emit (self, signals[FINISHED], 0);
      return;
    }
  if (g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED))
    {
      g_signal_emit (self, signals[SIGN_IN_NEEDED], 0);
      return;
    }
  message = describe_error (error, okno_client_get_base_url (self->client));
  show_stopped (self, message);
}

static void
run (OknoDownloadPage *self)
{
  DownloadCall *call;

  if (self->running)
    return;
  call = g_new0 (DownloadCall, 1);
  g_weak_ref_init (&call->page, self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  okno_rate_estimator_reset (&self->rate);
  gtk_label_set_text (self->estimate_label, "");
  show_running (self, TRUE);
  okno_client_download_async (self->client, self->store, progress_cb, call, self->cancellable,
                              download_cb, call);
}

static void
cancel_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  OknoDownloadPage *self = OKNO_DOWNLOAD_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  show_stopped (self, _ ("The download was stopped. What has arrived is kept: Try Again continues "
                         "from there."));
}

static void
retry_cb (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  run (OKNO_DOWNLOAD_PAGE (widget));
}

static void
okno_download_page_dispose (GObject *object)
{
  OknoDownloadPage *self = OKNO_DOWNLOAD_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), OKNO_TYPE_DOWNLOAD_PAGE);
  G_OBJECT_CLASS (okno_download_page_parent_class)->dispose (object);
}

static void
okno_download_page_class_init (OknoDownloadPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = okno_download_page_dispose;

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGN_IN_NEEDED] = g_signal_new ("sign-in-needed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "download.cancel", NULL, cancel_cb);
  gtk_widget_class_install_action (widget_class, "download.retry", NULL, retry_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "download.cancel", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/ru/eens/Okno/okno-download-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OknoDownloadPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, OknoDownloadPage, records_label);
  gtk_widget_class_bind_template_child (widget_class, OknoDownloadPage, estimate_label);
  gtk_widget_class_bind_template_child (widget_class, OknoDownloadPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, OknoDownloadPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, OknoDownloadPage, retry_button);
}

static void
okno_download_page_init (OknoDownloadPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  okno_rate_estimator_reset (&self->rate);
  set_running (self, FALSE);
}

GtkWidget *
okno_download_page_new (void)
{
  return g_object_new (OKNO_TYPE_DOWNLOAD_PAGE, NULL);
}

void
okno_download_page_start (OknoDownloadPage *self, OknoClient *client, OknoStore *store)
{
  g_return_if_fail (OKNO_IS_DOWNLOAD_PAGE (self));
  g_return_if_fail (OKNO_IS_CLIENT (client));
  g_return_if_fail (OKNO_IS_STORE (store));

  g_set_object (&self->client, client);
  g_set_object (&self->store, store);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_text (self->records_label, _ ("Connecting…"));
  run (self);
}
