/* When Okno syncs, and what the header shows about it. */

#include "okno-sync-scheduler.h"

#include <glib/gi18n-lib.h>

#include "okno-meta-keys.h"

#define BACKOFF_BASE 1
#define BACKOFF_CAP  (5 * 60)

struct _OknoSyncScheduler
{
  GObject parent_instance;
  OknoClient *client;
  OknoStore *store;
  GNetworkMonitor *monitor;
  GCancellable *cancellable;
  GRand *rand;
  guint interval_minutes;
  guint timer;
  guint next_delay;
  guint attempt; /* failures in a row */
  gboolean running;
  gboolean again; /* asked to sync while a sync ran */
  OknoSyncState state;
  GDateTime *last_sync;
  OknoSyncReport report;
  char *last_error;
};

G_DEFINE_FINAL_TYPE (OknoSyncScheduler, okno_sync_scheduler, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_LAST_SYNC,
  PROP_LAST_ERROR,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

guint
okno_sync_backoff_delay (guint attempt, guint retry_after, GRand *rand)
{
  guint64 ceiling = BACKOFF_BASE;
  guint jitter;

  for (guint i = 1; i < attempt && ceiling < BACKOFF_CAP; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, BACKOFF_CAP);
  /* Full jitter: branches that lost the network together do not come back
   * together. Drawn once: MAX () evaluates its arguments twice, and a
   * second draw could fall below Retry-After. */
  jitter = (guint)g_rand_int_range (rand, 0, (gint32)ceiling + 1);
  return MAX (jitter, retry_after);
}

static void schedule (OknoSyncScheduler *self, guint seconds);

static void
set_state (OknoSyncScheduler *self, OknoSyncState state, const char *error)
{
  self->state = state;
  g_free (self->last_error);
  self->last_error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static OknoSyncState
state_for_error (const GError *error)
{
  if (g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNREACHABLE))
    return OKNO_SYNC_STATE_OFFLINE;
  if (g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED))
    return OKNO_SYNC_STATE_SIGNED_OUT;
  return OKNO_SYNC_STATE_WAITING;
}

/* Cheap counts from the reader connection. */
static void
count_waiting (OknoSyncScheduler *self)
{
  self->report.pending = okno_store_outbox_count (self->store, "pending", NULL);
  self->report.quarantined = okno_store_outbox_count (self->store, "quarantined", NULL);
  self->report.conflicts = okno_store_count_conflicts (self->store, NULL);
}

static void
sync_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (OknoSyncScheduler) self = data;
  g_autoptr (GError) error = NULL;
  OknoSyncReport report = { 0 };
  gboolean ok = okno_client_sync_finish (OKNO_CLIENT (source), result, &report, &error);

  self->running = FALSE;
  if (g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_CANCELLED))
    return;
  self->report = report;
  /* A failed sync reports nothing; what waits for the server and for staff
   * is still there, and the header must go on showing it. */
  if (!ok)
    count_waiting (self);
  if (ok)
    {
      self->attempt = 0;
      g_clear_pointer (&self->last_sync, g_date_time_unref);
      self->last_sync = g_date_time_new_now_utc ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
      set_state (self, OKNO_SYNC_STATE_IDLE, NULL);
      schedule (self, self->again ? 0 : self->interval_minutes * 60);
    }
  else
    {
      guint retry_after = g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_RETRY_LATER)
                            ? okno_client_get_retry_after (self->client)
                            : 0;

      set_state (self, state_for_error (error), error->message);
      /* Signed out: nothing to retry until someone signs in again. */
      if (self->state != OKNO_SYNC_STATE_SIGNED_OUT)
        schedule (self, okno_sync_backoff_delay (++self->attempt, retry_after, self->rand));
    }
  self->again = FALSE;
}

static gboolean
timer_cb (gpointer data)
{
  OknoSyncScheduler *self = data;

  self->timer = 0;
  self->next_delay = 0;
  okno_sync_scheduler_sync_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (OknoSyncScheduler *self, guint seconds)
{
  g_clear_handle_id (&self->timer, g_source_remove);
  self->next_delay = seconds;
  if (seconds == 0 && self->interval_minutes == 0 && self->state == OKNO_SYNC_STATE_IDLE
      && !self->again)
    return; /* periodic sync switched off */
  self->timer
    = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, MAX (seconds, 1), timer_cb, self, NULL);
}

static void
reach_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (OknoSyncScheduler) self = data;
  g_autoptr (GError) error = NULL;

  if (g_network_monitor_can_reach_finish (G_NETWORK_MONITOR (source), result, &error))
    {
      okno_client_sync_async (self->client, self->store, self->cancellable, sync_done_cb,
                              g_object_ref (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* No route to the server: offline, without a request that could only
   * time out; the queue waits, and the next try backs off like any other. */
  self->running = FALSE;
  count_waiting (self);
  set_state (self, OKNO_SYNC_STATE_OFFLINE, _ ("The server cannot be reached from this computer"));
  schedule (self, okno_sync_backoff_delay (++self->attempt, 0, self->rand));
  self->again = FALSE;
}

void
okno_sync_scheduler_sync_now (OknoSyncScheduler *self)
{
  g_autoptr (GSocketConnectable) server = NULL;

  g_return_if_fail (OKNO_IS_SYNC_SCHEDULER (self));

  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  g_clear_handle_id (&self->timer, g_source_remove);
  self->running = TRUE;
  set_state (self, OKNO_SYNC_STATE_SYNCING, NULL);
  /* The reachability check: is there a route to the server at all? */
  if (self->monitor != NULL
      && (server = g_network_address_parse_uri (okno_client_get_base_url (self->client), 80, NULL))
           != NULL)
    g_network_monitor_can_reach_async (self->monitor, server, self->cancellable, reach_done_cb,
                                       g_object_ref (self));
  else
    okno_client_sync_async (self->client, self->store, self->cancellable, sync_done_cb,
                            g_object_ref (self));
}

static void
network_changed_cb (GNetworkMonitor *monitor, gboolean available, gpointer data)
{
  OknoSyncScheduler *self = data;

  if (!available)
    {
      if (!self->running)
        set_state (self, OKNO_SYNC_STATE_OFFLINE, _ ("No network"));
      return;
    }
  /* Back online: the backoff starts over and the queue goes now. */
  self->attempt = 0;
  okno_sync_scheduler_sync_now (self);
}

void
okno_sync_scheduler_set_network_monitor (OknoSyncScheduler *self, GNetworkMonitor *monitor)
{
  g_return_if_fail (OKNO_IS_SYNC_SCHEDULER (self));
  g_return_if_fail (G_IS_NETWORK_MONITOR (monitor));

  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self,
                           0);
}

void
okno_sync_scheduler_start (OknoSyncScheduler *self)
{
  g_return_if_fail (OKNO_IS_SYNC_SCHEDULER (self));

  if (self->monitor == NULL)
    okno_sync_scheduler_set_network_monitor (self, g_network_monitor_get_default ());
  okno_sync_scheduler_sync_now (self);
}

void
okno_sync_scheduler_set_interval (OknoSyncScheduler *self, guint minutes)
{
  g_return_if_fail (OKNO_IS_SYNC_SCHEDULER (self));
  self->interval_minutes = minutes;
}

OknoSyncState
okno_sync_scheduler_get_state (OknoSyncScheduler *self)
{
  return self->state;
}

GDateTime *
okno_sync_scheduler_get_last_sync (OknoSyncScheduler *self)
{
  return self->last_sync;
}

const OknoSyncReport *
okno_sync_scheduler_get_report (OknoSyncScheduler *self)
{
  return &self->report;
}

void
okno_sync_scheduler_recount (OknoSyncScheduler *self)
{
  g_return_if_fail (OKNO_IS_SYNC_SCHEDULER (self));

  /* The header follows a staff decision at once, online or not, instead of
   * after the next sync. */
  count_waiting (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
okno_sync_scheduler_get_last_error (OknoSyncScheduler *self)
{
  return self->last_error;
}

guint
okno_sync_scheduler_get_next_delay (OknoSyncScheduler *self)
{
  return self->next_delay;
}

static void
okno_sync_scheduler_dispose (GObject *object)
{
  OknoSyncScheduler *self = OKNO_SYNC_SCHEDULER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (okno_sync_scheduler_parent_class)->dispose (object);
}

static void
okno_sync_scheduler_finalize (GObject *object)
{
  OknoSyncScheduler *self = OKNO_SYNC_SCHEDULER (object);

  g_clear_object (&self->cancellable);
  g_rand_free (self->rand);
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  g_free (self->last_error);
  G_OBJECT_CLASS (okno_sync_scheduler_parent_class)->finalize (object);
}

static void
get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  OknoSyncScheduler *self = OKNO_SYNC_SCHEDULER (object);

  switch (id)
    {
      case PROP_STATE:
        g_value_set_int (value, self->state);
        break;
      case PROP_LAST_SYNC:
        g_value_set_boxed (value, self->last_sync);
        break;
      case PROP_LAST_ERROR:
        g_value_set_string (value, self->last_error);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
okno_sync_scheduler_class_init (OknoSyncSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_sync_scheduler_dispose;
  object_class->finalize = okno_sync_scheduler_finalize;
  object_class->get_property = get_property;
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, 0, OKNO_SYNC_STATE_SIGNED_OUT, 0,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNC] = g_param_spec_boxed ("last-sync", NULL, NULL, G_TYPE_DATE_TIME,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* Anything the status display shows may have changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
okno_sync_scheduler_init (OknoSyncScheduler *self)
{
  self->cancellable = g_cancellable_new ();
  self->rand = g_rand_new ();
  self->interval_minutes = 5;
}

OknoSyncScheduler *
okno_sync_scheduler_new (OknoClient *client, OknoStore *store)
{
  OknoSyncScheduler *self = g_object_new (OKNO_TYPE_SYNC_SCHEDULER, NULL);
  g_autofree char *last = okno_store_get_meta (store, OKNO_META_LAST_SYNC_AT, NULL);

  self->client = g_object_ref (client);
  self->store = g_object_ref (store);
  /* The last good sync of an earlier run, until this one syncs. */
  if (last != NULL)
    self->last_sync = g_date_time_new_from_iso8601 (last, NULL);
  return self;
}
