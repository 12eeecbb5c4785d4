/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Sync test 13 (docs/sync-tests.md), second half: a transient failure is retried without any new
 * local write. The real OknoSyncScheduler against a real okno-central whose
 * /mutations fails three times (a reset, a 500, a 429 with Retry-After):
 * after one local write nothing else happens locally, no one presses Sync
 * Now, and the scheduler's own backoff timer sends the same outbox entry
 * until it is accepted, once. */

#include <locale.h>
#include <string.h>

#include "central-spawn.h"
#include "okno-sync.h"
#include "test-client.h"
#include "test-db.h"
#include "test-replica.h"

/* Nothing here is timed; this only stops a scheduler that never retries
 * from hanging the suite. The backoff of three failures is at most
 * 1 + 2 + 4 s. */
#define GIVE_UP_SECONDS 90

static char *tmpdir;
static CentralProcess *central;

static void
start_central (void)
{
  const char *extra[]
    = { "--generate", "--accounts", "200", "--seed", "13", "--faults", "--quiet", NULL };

  central = central_spawn_in_tmp ("okno-scheduler-XXXXXX", extra, &tmpdir);
}

/* Over HTTPS in test-scheduler-https, over HTTP in test-scheduler. */
static void
test_transport (void)
{
  test_assert_transport (central);
}

static gint64
central_count (const char *sql, const char *arg)
{
  return test_db_count (central->db, sql, arg);
}

typedef struct
{
  OknoSyncScheduler *scheduler;
  OknoStore *store;
  GMainLoop *loop;
  char *mutation_id;
  guint attempts; /* syncs the scheduler started */
  guint failures;
  guint after_retry_after; /* the wait it chose after the 429 */
  gboolean gave_up;
} Watch;

/* The state changes before the scheduler sets its timer: read it after. */
static gboolean
note_delay_cb (gpointer data)
{
  Watch *w = data;

  g_test_message ("  retried in %u s", okno_sync_scheduler_get_next_delay (w->scheduler));
  if (w->failures == 3)
    w->after_retry_after = okno_sync_scheduler_get_next_delay (w->scheduler);
  return G_SOURCE_REMOVE;
}

/* Each change of "state": it notifies only when the state changes, so
 * every SYNCING is an attempt and every other state its outcome. */
static void
state_cb (OknoSyncScheduler *scheduler, GParamSpec *pspec, gpointer data)
{
  Watch *w = data;
  OknoSyncState state = okno_sync_scheduler_get_state (scheduler);
  g_autoptr (GPtrArray) entries = NULL;

  if (state == OKNO_SYNC_STATE_SYNCING)
    {
      w->attempts++;
      return;
    }
  if (state == OKNO_SYNC_STATE_IDLE)
    {
      g_main_loop_quit (w->loop);
      return;
    }
  /* A failure: the entry waits as it was, the same id, still pending. */
  w->failures++;
  g_test_message ("attempt %u failed: %s", w->attempts,
                  okno_sync_scheduler_get_last_error (scheduler));
  g_assert_true (state == OKNO_SYNC_STATE_WAITING || state == OKNO_SYNC_STATE_OFFLINE);
  g_idle_add (note_delay_cb, w);
  entries = okno_store_outbox_list (w->store, NULL, NULL);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((OknoOutboxEntry *)entries->pdata[0])->mutation_id, ==, w->mutation_id);
  g_assert_cmpstr (((OknoOutboxEntry *)entries->pdata[0])->state, ==, "pending");
  /* and the header still counts it while the server cannot be reached. */
  g_assert_cmpint (okno_sync_scheduler_get_report (scheduler)->pending, ==, 1);
}

static gboolean
give_up_cb (gpointer data)
{
  Watch *w = data;

  w->gave_up = TRUE;
  g_main_loop_quit (w->loop);
  return G_SOURCE_REMOVE;
}

/* A replica synced by a signed-in client, then the one local write of a
 * test: a payment (its id in *payment). Returns its entry's mutation id. */
static char *
synced_with_payment (const char *name, gint64 kop, OknoClient **client, OknoStore **store,
                     char **payment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStaff) staff = NULL;
  g_autoptr (OknoOutboxEntry) entry = NULL;
  g_autofree char *account = NULL;

  *store = test_replica_open (tmpdir, name);
  *client = test_client_new (central);
  staff = okno_client_sign_in (*client, "clerk", "clerk", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (okno_client_sync (*client, *store, NULL, NULL, &error));
  g_assert_no_error (error);
  account = test_db_text (okno_store_get_path (*store), "SELECT min (id) FROM accounts", NULL);
  *payment = test_new_payment (*store, account, kop, "card");
  entry = test_only_outbox_entry (*store);
  return g_strdup (entry->mutation_id);
}

static void
test_retried_without_local_write (void)
{
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (OknoClient) client = NULL;
  g_autoptr (OknoSyncScheduler) scheduler = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *payment = NULL;
  Watch w = { 0 };
  guint guard;

  w.mutation_id = synced_with_payment ("replica.db", 123456, &client, &store, &payment);

  /* Three transient failures in a row, then the server is well again. */
  central_stage_fault (central, "{\"path\":\"/api/v1/mutations\",\"mode\":\"reset\"}");
  central_stage_fault (central,
                       "{\"path\":\"/api/v1/mutations\",\"mode\":\"status\",\"status\":500}");
  central_stage_fault (
    central, "{\"path\":\"/api/v1/mutations\",\"mode\":\"retry_after\",\"retry_after\":1}");

  scheduler = okno_sync_scheduler_new (client, store);
  okno_sync_scheduler_set_interval (scheduler, 0); /* no periodic sync to help it */
  w.scheduler = scheduler;
  w.store = store;
  w.loop = loop;
  g_signal_connect (scheduler, "notify::state", G_CALLBACK (state_cb), &w);
  guard = g_timeout_add_seconds (GIVE_UP_SECONDS, give_up_cb, &w);
  okno_sync_scheduler_start (scheduler);
  g_main_loop_run (loop);
  if (!w.gave_up)
    g_source_remove (guard);

  g_assert_false (w.gave_up);
  g_assert_cmpuint (w.failures, ==, 3);
  g_assert_cmpuint (w.attempts, ==, 4);
  g_assert_cmpuint (w.after_retry_after, >=, 1);
  g_assert_cmpint (okno_sync_scheduler_get_state (scheduler), ==, OKNO_SYNC_STATE_IDLE);
  g_assert_cmpuint (okno_sync_scheduler_get_report (scheduler)->pushed, ==, 1);
  /* Accepted once, under the id it was written with. */
  g_assert_cmpint (okno_store_outbox_count (store, NULL, NULL), ==, 0);
  g_assert_cmpint (test_payment_copies (central->db, payment), ==, 1);
  g_assert_cmpint (
    central_count ("SELECT count(*) FROM mutations WHERE mutation_id = ?", w.mutation_id), ==, 1);
  g_assert_cmpint (okno_store_count (store, "payments", NULL), ==,
                   central_count ("SELECT count(*) FROM payments", NULL));
  g_free (w.mutation_id);
}

/* --- a network monitor the test controls ------------------------------------------ */

/* GNetworkMonitor as a desktop whose route to the server comes and goes:
 * can_reach answers what the test says, and network-changed is the test's
 * to emit. */
#define TEST_TYPE_MONITOR (test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestMonitor, test_monitor, TEST, MONITOR, GObject)

struct _TestMonitor
{
  GObject parent_instance;
  gboolean reachable;
  guint asked; /* can_reach calls */
};

static void test_monitor_iface_init (GNetworkMonitorInterface *iface);

static gboolean
test_monitor_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  return TRUE;
}

static void
test_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable_init;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      test_monitor_initable_iface_init)
                                 G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                        test_monitor_iface_init))

enum
{
  MONITOR_PROP_0,
  MONITOR_PROP_AVAILABLE,
  MONITOR_PROP_METERED,
  MONITOR_PROP_CONNECTIVITY,
};

static gboolean
test_monitor_can_reach (GNetworkMonitor *monitor, GSocketConnectable *connectable,
                        GCancellable *cancellable, GError **error)
{
  TestMonitor *self = TEST_MONITOR (monitor);

  self->asked++;
  if (!self->reachable)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, "Host unreachable");
  return self->reachable;
}

static void
test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_monitor_can_reach;
}

static void
test_monitor_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  switch (id)
    {
      case MONITOR_PROP_AVAILABLE:
        g_value_set_boolean (value, TRUE);
        break;
      case MONITOR_PROP_METERED:
        g_value_set_boolean (value, FALSE);
        break;
      case MONITOR_PROP_CONNECTIVITY:
        g_value_set_enum (value, G_NETWORK_CONNECTIVITY_FULL);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_monitor_get_property;
  g_object_class_override_property (object_class, MONITOR_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MONITOR_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MONITOR_PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_init (TestMonitor *self)
{
}

typedef struct
{
  GMainLoop *loop;
  OknoSyncState until;
} StateWait;

static void
state_reached_cb (OknoSyncScheduler *scheduler, GParamSpec *pspec, gpointer data)
{
  StateWait *sw = data;

  if (okno_sync_scheduler_get_state (scheduler) == sw->until)
    g_main_loop_quit (sw->loop);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Waits for the scheduler to reach a state; FALSE when it never does. */
static gboolean
wait_for_state (OknoSyncScheduler *scheduler, OknoSyncState state)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  StateWait sw = { loop, state };
  gulong handler
    = g_signal_connect (scheduler, "notify::state", G_CALLBACK (state_reached_cb), &sw);
  guint guard = g_timeout_add_seconds (GIVE_UP_SECONDS, quit_cb, loop);

  g_main_loop_run (loop);
  g_signal_handler_disconnect (scheduler, handler);
  if (okno_sync_scheduler_get_state (scheduler) != state)
    return FALSE;
  g_source_remove (guard);
  return TRUE;
}

/* GNetworkMonitor plus a reachability check: with no route to the server
 * the header says offline at once, no request is made, the queue waits;
 * when the route is back (network-changed), the same entry goes, once. */
static void
test_unreachable_server (void)
{
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (OknoClient) client = NULL;
  g_autoptr (OknoSyncScheduler) scheduler = NULL;
  g_autoptr (TestMonitor) monitor = g_object_new (TEST_TYPE_MONITOR, NULL);
  g_autofree char *payment = NULL, *mutation_id = NULL;
  gint64 mutations_before;

  mutation_id = synced_with_payment ("unreachable.db", 654321, &client, &store, &payment);
  mutations_before = central_count ("SELECT count(*) FROM mutations", NULL);

  scheduler = okno_sync_scheduler_new (client, store);
  okno_sync_scheduler_set_interval (scheduler, 0);
  okno_sync_scheduler_set_network_monitor (scheduler, G_NETWORK_MONITOR (monitor));
  okno_sync_scheduler_start (scheduler);
  g_assert_true (wait_for_state (scheduler, OKNO_SYNC_STATE_OFFLINE));
  g_assert_cmpuint (monitor->asked, >=, 1);
  g_assert_cmpstr (okno_sync_scheduler_get_last_error (scheduler), ==,
                   "The server cannot be reached from this computer");
  g_assert_cmpint (okno_sync_scheduler_get_report (scheduler)->pending, ==, 1);
  g_assert_cmpuint (okno_sync_scheduler_get_next_delay (scheduler), <=, 1);
  /* Nothing was sent. */
  g_assert_cmpint (central_count ("SELECT count(*) FROM mutations", NULL), ==, mutations_before);

  /* The route is back: the network monitor says so, the entry goes. */
  monitor->reachable = TRUE;
  g_signal_emit_by_name (monitor, "network-changed", TRUE);
  g_assert_true (wait_for_state (scheduler, OKNO_SYNC_STATE_IDLE));
  g_assert_cmpint (okno_store_outbox_count (store, NULL, NULL), ==, 0);
  g_assert_cmpint (test_payment_copies (central->db, payment), ==, 1);
  g_assert_cmpint (
    central_count ("SELECT count(*) FROM mutations WHERE mutation_id = ?", mutation_id), ==, 1);
}

/* The wait is never shorter than Retry-After, and never longer than the
 * backoff's ceiling or Retry-After, whichever is longer. */
static void
test_backoff_respects_retry_after (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (13);

  for (guint attempt = 1; attempt <= 12; attempt++)
    for (guint retry_after = 0; retry_after <= 64; retry_after += 8)
      for (int i = 0; i < 200; i++)
        {
          guint ceiling = MIN (1u << MIN (attempt - 1, 16), 300);
          guint delay = okno_sync_backoff_delay (attempt, retry_after, rand);

          g_assert_cmpuint (delay, >=, retry_after);
          g_assert_cmpuint (delay, <=, MAX (ceiling, retry_after));
        }
}

/* --- notifying properties and the debug log --------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  gboolean gave_up;
} Guard;

static gboolean
guard_cb (gpointer data)
{
  Guard *g = data;

  g->gave_up = TRUE;
  g_main_loop_quit (g->loop);
  return G_SOURCE_REMOVE;
}

/* Runs the loop until it is quit; FALSE when GIVE_UP_SECONDS passed first. */
static gboolean
run_loop (GMainLoop *loop)
{
  Guard g = { loop, FALSE };
  guint guard = g_timeout_add_seconds (GIVE_UP_SECONDS, guard_cb, &g);

  g_main_loop_run (loop);
  if (!g.gave_up)
    g_source_remove (guard);
  return !g.gave_up;
}

static void
quit_on_notify_cb (GObject *object, GParamSpec *pspec, gpointer loop)
{
  g_main_loop_quit (loop);
}

static void
recounted_cb (GObject *source, GAsyncResult *result, gpointer loop)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (okno_sync_scheduler_recount_finish (OKNO_SYNC_SCHEDULER (source), result, &error));
  g_assert_no_error (error);
  g_main_loop_quit (loop);
}

static void
count_notify_cb (GObject *object, GParamSpec *pspec, gpointer counter)
{
  (*(guint *)counter)++;
}

static void
quit_when_idle_cb (OknoSyncScheduler *scheduler, GParamSpec *pspec, gpointer loop)
{
  if (okno_sync_scheduler_get_state (scheduler) == OKNO_SYNC_STATE_IDLE)
    g_main_loop_quit (loop);
}

/* A signed-in client and a replica downloaded from the server. */
static OknoStore *
synced_replica (const char *name, OknoClient **client)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  OknoStore *store = okno_store_open (path, &error);
  g_autoptr (OknoStaff) staff = NULL;

  g_assert_no_error (error);
  *client = test_client_new (central);
  staff = okno_client_sign_in (*client, "clerk", "clerk", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (okno_client_sync (*client, store, NULL, NULL, &error));
  g_assert_no_error (error);
  return store;
}

/* The header's figures are properties that notify when they change, and
 * only then; a recount reads the replica in a worker thread, so it has not
 * changed anything yet when it returns. */
static void
test_properties_notify (void)
{
  g_autoptr (OknoClient) client = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "notify.db", NULL);
  g_autoptr (OknoStore) store = synced_replica ("notify.db", &client);
  g_autoptr (OknoSyncScheduler) scheduler = okno_sync_scheduler_new (client, store);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *account = test_db_text (path, "SELECT min (id) FROM accounts", NULL);
  g_autofree char *payment = NULL;
  g_autoptr (GDateTime) last_sync = NULL;
  OknoSyncState state = OKNO_SYNC_STATE_SIGNED_OUT;
  guint pending_notes = 0, state_notes = 0;
  gulong quit;
  gint64 pending = -1;

  g_assert_true (
    G_IS_PARAM_SPEC_ENUM (g_object_class_find_property (G_OBJECT_GET_CLASS (scheduler), "state")));
  g_assert_true (
    G_PARAM_SPEC_VALUE_TYPE (g_object_class_find_property (G_OBJECT_GET_CLASS (scheduler), "state"))
    == OKNO_TYPE_SYNC_STATE);
  okno_sync_scheduler_set_interval (scheduler, 0);
  g_signal_connect (scheduler, "notify::pending", G_CALLBACK (count_notify_cb), &pending_notes);
  g_signal_connect (scheduler, "notify::state", G_CALLBACK (count_notify_cb), &state_notes);

  /* The last sync of before arrives from the worker thread. */
  quit = g_signal_connect (scheduler, "notify::last-sync", G_CALLBACK (quit_on_notify_cb), loop);
  g_assert_true (run_loop (loop));
  g_signal_handler_disconnect (scheduler, quit);
  g_object_get (scheduler, "last-sync", &last_sync, NULL);
  g_assert_nonnull (last_sync);

  /* A new payment waits; the recount sees it, later, on the main context. */
  payment = test_new_payment (store, account, 111111, "card");
  okno_sync_scheduler_recount (scheduler);
  g_assert_cmpint (okno_sync_scheduler_get_report (scheduler)->pending, ==, 0);
  g_assert_cmpuint (pending_notes, ==, 0);
  quit = g_signal_connect (scheduler, "notify::pending", G_CALLBACK (quit_on_notify_cb), loop);
  g_assert_true (run_loop (loop));
  g_signal_handler_disconnect (scheduler, quit);
  g_object_get (scheduler, "pending", &pending, NULL);
  g_assert_cmpint (pending, ==, 1);
  g_assert_cmpuint (pending_notes, ==, 1);

  /* Counting again what did not change notifies nothing. */
  okno_sync_scheduler_recount_async (scheduler, NULL, recounted_cb, loop);
  g_assert_true (run_loop (loop));
  g_assert_cmpuint (pending_notes, ==, 1);
  g_assert_cmpuint (state_notes, ==, 0);

  /* A sync: SYNCING, then IDLE, and the payment has left the outbox. */
  quit = g_signal_connect (scheduler, "notify::state", G_CALLBACK (quit_when_idle_cb), loop);
  okno_sync_scheduler_start (scheduler);
  g_assert_true (run_loop (loop));
  g_signal_handler_disconnect (scheduler, quit);
  g_object_get (scheduler, "state", &state, "pending", &pending, NULL);
  g_assert_cmpint (state, ==, OKNO_SYNC_STATE_IDLE);
  g_assert_cmpuint (state_notes, ==, 2);
  g_assert_cmpint (pending, ==, 0);
  g_assert_cmpuint (pending_notes, ==, 2);
}

/* What G_MESSAGES_DEBUG=okno-sync shows: a writer that keeps the sync
 * layer's debug lines while capturing is on. (Within a test case GTest
 * also prints every message as a TAP comment.) */
static GMutex captured_lock;
static GPtrArray *captured; /* of char *; NULL: not capturing */

static GLogWriterOutput
capture_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;
    else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      message = fields[i].value;
  if ((level & G_LOG_LEVEL_DEBUG) && g_strcmp0 (domain, "okno-sync") == 0 && message != NULL)
    {
      g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&captured_lock);

      if (captured != NULL)
        g_ptr_array_add (captured, g_strdup (message));
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, data);
}

static void
assert_logged (GPtrArray *lines, const char *part)
{
  for (guint i = 0; i < lines->len; i++)
    if (strstr (lines->pdata[i], part) != NULL)
      return;
  g_test_message ("no debug line holds “%s”", part);
  g_test_fail ();
}

static void
assert_not_logged (GPtrArray *lines, const char *secret)
{
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), >, 0);
  for (guint i = 0; i < lines->len; i++)
    g_assert_null (strstr (lines->pdata[i], secret));
}

/* One sync by the scheduler, with a refresh and a retry, told in the
 * okno-sync log domain: each request, the refresh, the backoff, the push
 * and pull pages, the reachability check; never a token or a password. */
static void
test_debug_log (void)
{
  g_autoptr (OknoClient) client = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "debug.db", NULL);
  g_autoptr (OknoStore) store = NULL;
  g_autoptr (OknoSyncScheduler) scheduler = NULL;
  g_autoptr (TestMonitor) monitor = g_object_new (TEST_TYPE_MONITOR, NULL);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GPtrArray) lines = NULL;
  g_autofree char *account = NULL, *payment = NULL;
  g_autofree char *access = NULL, *refresh = NULL, *new_access = NULL, *new_refresh = NULL;

  g_mutex_lock (&captured_lock);
  captured = g_ptr_array_new_with_free_func (g_free);
  g_mutex_unlock (&captured_lock);
  store = synced_replica ("debug.db", &client);
  account = test_db_text (path, "SELECT min (id) FROM accounts", NULL);
  payment = test_new_payment (store, account, 222222, "card");
  /* The access token is refused once: the client must refresh it. */
  okno_client_get_tokens (client, &access, &refresh);
  okno_client_set_tokens (client, "expired-access-token", refresh);
  central_stage_fault (central,
                       "{\"path\":\"/api/v1/mutations\",\"mode\":\"status\",\"status\":500}");

  monitor->reachable = TRUE;
  scheduler = okno_sync_scheduler_new (client, store);
  okno_sync_scheduler_set_interval (scheduler, 0);
  okno_sync_scheduler_set_network_monitor (scheduler, G_NETWORK_MONITOR (monitor));
  g_signal_connect (scheduler, "notify::state", G_CALLBACK (quit_when_idle_cb), loop);
  okno_sync_scheduler_start (scheduler);
  g_assert_true (run_loop (loop));
  okno_client_get_tokens (client, &new_access, &new_refresh);

  g_mutex_lock (&captured_lock);
  lines = g_steal_pointer (&captured);
  g_mutex_unlock (&captured_lock);
  assert_logged (lines, "POST /api/v1/session: 200 in ");
  assert_logged (lines, "GET /api/v1/snapshot: 200 in ");
  assert_logged (lines, "download: snapshot at cursor ");
  assert_logged (lines, "download: accounts: a page of ");
  assert_logged (lines, "reachability check: the server is reachable");
  assert_logged (lines, ": 401 in ");
  assert_logged (lines, "the access token expired: refreshing it");
  assert_logged (lines, "POST /api/v1/session/refresh: 200 in ");
  assert_logged (lines, "refreshed: a new access token");
  assert_logged (lines, "push: a batch of 1 changes");
  assert_logged (lines, "POST /api/v1/mutations: 500 in ");
  assert_logged (lines, "sync failed (server): attempt 1, backing off ");
  assert_logged (lines, "POST /api/v1/mutations: 200 in ");
  assert_logged (lines, "push: 1 applied, 0 duplicate, 0 conflict, 0 rejected");
  assert_logged (lines, "GET /api/v1/changes: 200 in ");
  assert_logged (lines, "pull: a page of ");
  assert_logged (lines, "sync: done; 1 pushed");
  assert_not_logged (lines, access);
  assert_not_logged (lines, refresh);
  assert_not_logged (lines, new_access);
  assert_not_logged (lines, new_refresh);
  assert_not_logged (lines, "expired-access-token");
  assert_not_logged (lines, "Bearer");
  assert_not_logged (lines, "password");
  assert_not_logged (lines, "clerk"); /* the login and the password */
  assert_not_logged (lines, account);
  assert_not_logged (lines, payment);
}

int
main (int argc, char **argv)
{
  int rc;

  g_log_set_writer_func (capture_writer, NULL, NULL);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  start_central ();
  g_test_add_func ("/scheduler/transport", test_transport);
  g_test_add_func ("/scheduler/backoff-respects-retry-after", test_backoff_respects_retry_after);
  g_test_add_func ("/scheduler/retried-without-local-write", test_retried_without_local_write);
  g_test_add_func ("/scheduler/unreachable-server", test_unreachable_server);
  g_test_add_func ("/scheduler/properties-notify", test_properties_notify);
  g_test_add_func ("/scheduler/debug-log", test_debug_log);
  rc = g_test_run ();
  central_finish (g_steal_pointer (&central));
  return rc;
}
