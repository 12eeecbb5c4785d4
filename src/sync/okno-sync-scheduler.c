/* SPDX-License-Identifier: GPL-3.0-or-later */

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
  /* Counts run in worker threads and may return out of order: each takes
   * a serial under count_lock, and an older count never replaces a newer. */
  GMutex count_lock;
  guint count_serial;   /* the last taken; under count_lock */
  guint counts_applied; /* the serial of the counts shown; main thread */
};

G_DEFINE_FINAL_TYPE (OknoSyncScheduler, okno_sync_scheduler, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_LAST_SYNC,
  PROP_LAST_ERROR,
  PROP_NEXT_DELAY,
  PROP_PUSHED,
  PROP_PULLED,
  PROP_PENDING,
  PROP_QUARANTINED,
  PROP_CONFLICTS,
  PROP_OTHERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

/* --- properties that notify only when they change ----------------------- */

static void
set_uint (OknoSyncScheduler *self, guint *field, guint value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int64 (OknoSyncScheduler *self, gint64 *field, gint64 value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_last_sync (OknoSyncScheduler *self, GDateTime *when)
{
  if (self->last_sync == when
      || (self->last_sync && when && g_date_time_equal (self->last_sync, when)))
    return;
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  self->last_sync = when ? g_date_time_ref (when) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
}

/* The state and its error notify together: a handler of either reads
 * both as they now are. */
static void
set_state (OknoSyncScheduler *self, OknoSyncState state, const char *error)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->last_error, error) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* --- counts, in worker threads ------------------------------------------ */

typedef struct
{
  guint serial;
  gint64 pending;
  gint64 quarantined;
  gint64 conflicts;
  gint64 others;
} Counts;

/* Cheap counts from the reader connection; in a worker thread. */
static void
count_waiting (OknoSyncScheduler *self, OknoStore *store, Counts *counts)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->count_lock);

  counts->serial = ++self->count_serial;
  counts->pending = okno_store_outbox_count (store, "pending", NULL);
  counts->quarantined = okno_store_outbox_count (store, "quarantined", NULL);
  counts->conflicts = okno_store_count_conflicts (store, NULL);
  counts->others = okno_store_outbox_count_others (store, NULL);
}

static void
apply_counts (OknoSyncScheduler *self, const Counts *counts)
{
  if (counts->serial <= self->counts_applied)
    return; /* a newer count is already shown */
  self->counts_applied = counts->serial;
  g_object_freeze_notify (G_OBJECT (self));
  set_int64 (self, &self->report.pending, counts->pending, PROP_PENDING);
  set_int64 (self, &self->report.quarantined, counts->quarantined, PROP_QUARANTINED);
  set_int64 (self, &self->report.conflicts, counts->conflicts, PROP_CONFLICTS);
  set_int64 (self, &self->report.others, counts->others, PROP_OTHERS);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
count_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Counts *counts = g_new0 (Counts, 1);

  count_waiting (source, task_data, counts);
  g_task_return_pointer (task, counts, g_free);
}

/* Counts in a worker thread; callback gets the Counts from
 * g_task_propagate_pointer (). */
static void
count_async (OknoSyncScheduler *self, GAsyncReadyCallback callback, gpointer data)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, callback, data);

  g_task_set_source_tag (task, count_async);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, count_thread);
}

/* --- one sync, in a worker thread --------------------------------------- */

typedef struct
{
  OknoClient *client;
  OknoStore *store;
  OknoSyncReport report; /* zero but for the counts when the sync failed */
  Counts counts;
} SyncJob;

static void
sync_job_free (gpointer data)
{
  SyncJob *job = data;

  g_object_unref (job->client);
  g_object_unref (job->store);
  g_free (job);
}

static void
sync_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SyncJob *job = task_data;
  GError *error = NULL;
  gboolean ok = okno_client_sync (job->client, job->store, &job->report, cancellable, &error);

  /* A failed sync reports nothing; what waits for the server and for staff
   * is still there, and the header must go on showing it. */
  if (!ok)
    job->report = (OknoSyncReport){ 0 };
  count_waiting (source, job->store, &job->counts);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void sync_done_cb (GObject *source, GAsyncResult *result, gpointer data);

static void
sync_async (OknoSyncScheduler *self)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, sync_done_cb, NULL);
  SyncJob *job = g_new0 (SyncJob, 1);

  job->client = g_object_ref (self->client);
  job->store = g_object_ref (self->store);
  g_task_set_source_tag (task, sync_async);
  g_task_set_task_data (task, job, sync_job_free);
  g_task_run_in_thread (task, sync_thread);
}

/* --- when to sync ------------------------------------------------------- */

static void schedule (OknoSyncScheduler *self, guint seconds);

static OknoSyncState
state_for_error (const GError *error)
{
  if (g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNREACHABLE))
    return OKNO_SYNC_STATE_OFFLINE;
  if (g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED))
    return OKNO_SYNC_STATE_SIGNED_OUT;
  return OKNO_SYNC_STATE_WAITING;
}

/* "server", "unreachable", … for the debug log. */
static char *
error_name (const GError *error)
{
  g_autoptr (GEnumClass) codes = g_type_class_ref (OKNO_TYPE_SYNC_ERROR_ENUM);
  GEnumValue *value = g_enum_get_value (codes, error->code);

  if (error->domain == OKNO_SYNC_ERROR && value != NULL)
    return g_strdup (value->value_nick);
  return g_strdup_printf ("%s %d", g_quark_to_string (error->domain), error->code);
}

static void
sync_succeeded (OknoSyncScheduler *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  self->attempt = 0;
  set_last_sync (self, now);
  set_state (self, OKNO_SYNC_STATE_IDLE, NULL);
  schedule (self, self->again ? 0 : self->interval_minutes * 60);
}

static void
sync_failed (OknoSyncScheduler *self, const GError *error)
{
  guint retry_after = g_error_matches (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_RETRY_LATER)
                        ? okno_client_get_retry_after (self->client)
                        : 0;
  g_autofree char *code = error_name (error);
  guint delay;

  set_state (self, state_for_error (error), error->message);
  /* Signed out: nothing to retry until someone signs in again. */
  if (self->state == OKNO_SYNC_STATE_SIGNED_OUT)
    {
      g_debug ("sync failed (%s): signed out, no retry until the next sign-in", code);
      return;
    }
  delay = okno_sync_backoff_delay (++self->attempt, retry_after, self->rand);
  g_debug ("sync failed (%s): attempt %u, backing off %u s (Retry-After %u s)", code, self->attempt,
           delay, retry_after);
  schedule (self, delay);
}

static void
sync_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  OknoSyncScheduler *self = OKNO_SYNC_SCHEDULER (source);
  SyncJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  self->running = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_object_freeze_notify (G_OBJECT (self));
  set_uint (self, &self->report.pushed, job->report.pushed, PROP_PUSHED);
  set_uint (self, &self->report.pulled, job->report.pulled, PROP_PULLED);
  apply_counts (self, &job->counts);
  g_object_thaw_notify (G_OBJECT (self));
  if (ok)
    sync_succeeded (self);
  else
    sync_failed (self, error);
  self->again = FALSE;
}

static gboolean
timer_cb (gpointer data)
{
  OknoSyncScheduler *self = data;

  self->timer = 0;
  set_uint (self, &self->next_delay, 0, PROP_NEXT_DELAY);
  okno_sync_scheduler_sync_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (OknoSyncScheduler *self, guint seconds)
{
  g_clear_handle_id (&self->timer, g_source_remove);
  set_uint (self, &self->next_delay, seconds, PROP_NEXT_DELAY);
  if (seconds == 0 && self->interval_minutes == 0 && self->state == OKNO_SYNC_STATE_IDLE
      && !self->again)
    return; /* periodic sync switched off */
  g_debug ("next sync in %u s", seconds);
  self->timer
    = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, MAX (seconds, 1), timer_cb, self, NULL);
}

/* No route to the server: offline, without a request that could only time
 * out; the queue waits, and the next try backs off like any other. */
static void
unreachable_counted_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  OknoSyncScheduler *self = OKNO_SYNC_SCHEDULER (source);
  g_autofree Counts *counts = g_task_propagate_pointer (G_TASK (result), NULL);
  guint delay;

  if (counts == NULL)
    return; /* cancelled: the scheduler is going away */
  self->running = FALSE;
  apply_counts (self, counts);
  set_state (self, OKNO_SYNC_STATE_OFFLINE, _ ("The server cannot be reached from this computer"));
  delay = okno_sync_backoff_delay (++self->attempt, 0, self->rand);
  g_debug ("no route to the server: attempt %u, backing off %u s", self->attempt, delay);
  schedule (self, delay);
  self->again = FALSE;
}

static void
reach_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (OknoSyncScheduler) self = data;
  g_autoptr (GError) error = NULL;

  if (g_network_monitor_can_reach_finish (G_NETWORK_MONITOR (source), result, &error))
    {
      g_debug ("reachability check: the server is reachable");
      sync_async (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_debug ("reachability check: the server is not reachable (%s)", error->message);
  /* Still running until the count returns: a sync asked for meanwhile
   * waits for it instead of racing it. */
  count_async (self, unreachable_counted_cb, NULL);
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
    sync_async (self);
}

static void
network_changed_cb (GNetworkMonitor *monitor, gboolean available, gpointer data)
{
  OknoSyncScheduler *self = data;

  g_debug ("network changed: %s", available ? "available" : "not available");
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

static void
recounted_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  OknoSyncScheduler *self = OKNO_SYNC_SCHEDULER (source);
  g_autoptr (GTask) task = data;
  g_autoptr (GError) error = NULL;
  g_autofree Counts *counts = g_task_propagate_pointer (G_TASK (result), &error);

  if (counts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  apply_counts (self, counts);
  g_task_return_boolean (task, TRUE);
}

void
okno_sync_scheduler_recount_async (OknoSyncScheduler *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (OKNO_IS_SYNC_SCHEDULER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, okno_sync_scheduler_recount_async);
  /* The header follows a staff decision at once, online or not, instead of
   * after the next sync. */
  count_async (self, recounted_cb, task);
}

gboolean
okno_sync_scheduler_recount_finish (OknoSyncScheduler *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
okno_sync_scheduler_recount (OknoSyncScheduler *self)
{
  okno_sync_scheduler_recount_async (self, NULL, NULL, NULL);
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
  g_mutex_clear (&self->count_lock);
  G_OBJECT_CLASS (okno_sync_scheduler_parent_class)->finalize (object);
}

static void
get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  OknoSyncScheduler *self = OKNO_SYNC_SCHEDULER (object);

  switch (id)
    {
      case PROP_STATE:
        g_value_set_enum (value, self->state);
        break;
      case PROP_LAST_SYNC:
        g_value_set_boxed (value, self->last_sync);
        break;
      case PROP_LAST_ERROR:
        g_value_set_string (value, self->last_error);
        break;
      case PROP_NEXT_DELAY:
        g_value_set_uint (value, self->next_delay);
        break;
      case PROP_PUSHED:
        g_value_set_uint (value, self->report.pushed);
        break;
      case PROP_PULLED:
        g_value_set_uint (value, self->report.pulled);
        break;
      case PROP_PENDING:
        g_value_set_int64 (value, self->report.pending);
        break;
      case PROP_QUARANTINED:
        g_value_set_int64 (value, self->report.quarantined);
        break;
      case PROP_CONFLICTS:
        g_value_set_int64 (value, self->report.conflicts);
        break;
      case PROP_OTHERS:
        g_value_set_int64 (value, self->report.others);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

#define READ_ONLY (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static GParamSpec *
count_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0, READ_ONLY);
}

static void
okno_sync_scheduler_class_init (OknoSyncSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = okno_sync_scheduler_dispose;
  object_class->finalize = okno_sync_scheduler_finalize;
  object_class->get_property = get_property;
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, OKNO_TYPE_SYNC_STATE,
                                              OKNO_SYNC_STATE_IDLE, READ_ONLY);
  properties[PROP_LAST_SYNC]
    = g_param_spec_boxed ("last-sync", NULL, NULL, G_TYPE_DATE_TIME, READ_ONLY);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, READ_ONLY);
  properties[PROP_NEXT_DELAY]
    = g_param_spec_uint ("next-delay", NULL, NULL, 0, G_MAXUINT, 0, READ_ONLY);
  properties[PROP_PUSHED] = g_param_spec_uint ("pushed", NULL, NULL, 0, G_MAXUINT, 0, READ_ONLY);
  properties[PROP_PULLED] = g_param_spec_uint ("pulled", NULL, NULL, 0, G_MAXUINT, 0, READ_ONLY);
  properties[PROP_PENDING] = count_property ("pending");
  properties[PROP_QUARANTINED] = count_property ("quarantined");
  properties[PROP_CONFLICTS] = count_property ("conflicts");
  /* Pending changes another staff member made here: they go when that
   * person signs in on this computer (okno_store_outbox_next). */
  properties[PROP_OTHERS] = count_property ("others");
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
okno_sync_scheduler_init (OknoSyncScheduler *self)
{
  self->cancellable = g_cancellable_new ();
  self->rand = g_rand_new ();
  self->interval_minutes = 5;
  g_mutex_init (&self->count_lock);
}

static void
last_sync_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autofree char *last = okno_store_get_meta (task_data, OKNO_META_LAST_SYNC_AT, NULL);
  GDateTime *when = last ? g_date_time_new_from_iso8601 (last, NULL) : NULL;

  g_task_return_pointer (task, when, (GDestroyNotify)g_date_time_unref);
}

static void
last_sync_read_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  OknoSyncScheduler *self = OKNO_SYNC_SCHEDULER (source);
  g_autoptr (GDateTime) when = g_task_propagate_pointer (G_TASK (result), NULL);

  /* A sync of this run that ended first knows better. */
  if (when == NULL || self->last_sync != NULL)
    return;
  set_last_sync (self, when);
}

OknoSyncScheduler *
okno_sync_scheduler_new (OknoClient *client, OknoStore *store)
{
  OknoSyncScheduler *self = g_object_new (OKNO_TYPE_SYNC_SCHEDULER, NULL);
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, last_sync_read_cb, NULL);

  self->client = g_object_ref (client);
  self->store = g_object_ref (store);
  /* The last good sync of an earlier run, until this one syncs; read in a
   * worker thread like every other read of the replica here. */
  g_task_set_source_tag (task, okno_sync_scheduler_new);
  g_task_set_task_data (task, g_object_ref (store), g_object_unref);
  g_task_run_in_thread (task, last_sync_thread);
  return self;
}
