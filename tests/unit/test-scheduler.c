/* sync.md 13, second half: a transient failure is retried without any new
 * local write. The real OknoSyncScheduler against a real okno-central whose
 * /mutations fails three times (a reset, a 500, a 429 with Retry-After):
 * after one local write nothing else happens locally, no one presses Sync
 * Now, and the scheduler's own backoff timer sends the same outbox entry
 * until it is accepted, once. */

#include <locale.h>
#include <string.h>

#include "central-spawn.h"
#include "okno-sync.h"
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

/* "changed" comes before the scheduler sets its timer: read it after. */
static gboolean
note_delay_cb (gpointer data)
{
  Watch *w = data;

  g_test_message ("  retried in %u s", okno_sync_scheduler_get_next_delay (w->scheduler));
  if (w->failures == 3)
    w->after_retry_after = okno_sync_scheduler_get_next_delay (w->scheduler);
  return G_SOURCE_REMOVE;
}

static void
changed_cb (OknoSyncScheduler *scheduler, gpointer data)
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
  *client = okno_client_new (central->url, &error);
  g_assert_no_error (error);
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
  g_signal_connect (scheduler, "changed", G_CALLBACK (changed_cb), &w);
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
state_reached_cb (OknoSyncScheduler *scheduler, gpointer data)
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
  gulong handler = g_signal_connect (scheduler, "changed", G_CALLBACK (state_reached_cb), &sw);
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

int
main (int argc, char **argv)
{
  int rc;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  start_central ();
  g_test_add_func ("/scheduler/backoff-respects-retry-after", test_backoff_respects_retry_after);
  g_test_add_func ("/scheduler/retried-without-local-write", test_retried_without_local_write);
  g_test_add_func ("/scheduler/unreachable-server", test_unreachable_server);
  rc = g_test_run ();
  central_finish (g_steal_pointer (&central));
  return rc;
}
