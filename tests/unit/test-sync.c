/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Push and pull against a real okno-central on 127.0.0.1, with its fault
 * modes: the sync tests of docs/sync-tests.md that one process can drive. */

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "central-spawn.h"
#include "okno-schema.h"
#include "okno-sync.h"
#include "test-client.h"
#include "test-db.h"
#include "test-replica.h"

static char *tmpdir;
static CentralProcess *central;

static void
start_central (const char *retention)
{
  const char *extra[]
    = { "--generate", "--accounts",      "300",     "--seed",      "5", "--faults",
        "--quiet",    "--retention-seq", retention, "--token-ttl", "4", NULL };

  central = central_spawn_in_tmp ("okno-sync-XXXXXX", extra, &tmpdir);
}

/* Over HTTPS in test-sync-https, over HTTP in test-sync, and nothing else. */
static void
test_transport (void)
{
  test_assert_transport (central);
}

/* POST /api/v1/_faults: the next `count` requests under `path` fail so. */
static void
fault (const char *path, const char *mode, int count, int status, int retry_after)
{
  g_autofree char *spec = g_strdup_printf (
    "{\"path\":\"%s\",\"mode\":\"%s\",\"count\":%d,\"status\":%d,\"retry_after\":%d}", path, mode,
    count, status, retry_after);

  central_stage_fault (central, spec);
}

typedef struct
{
  OknoStore *store;
  OknoClient *client;
} Branch;

static Branch
branch (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, name, "replica.db", NULL);
  g_autoptr (OknoStaff) staff = NULL;
  Branch b;

  b.store = okno_store_open (path, &error);
  g_assert_no_error (error);
  b.client = test_client_new (central);
  staff = okno_client_sign_in (b.client, "clerk", "clerk", NULL, &error);
  g_assert_no_error (error);
  okno_store_set_meta (b.store, "staff_id", staff->id, NULL);
  g_assert_true (okno_client_sync (b.client, b.store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (okno_store_is_ready (b.store));
  return b;
}

static void
branch_free (Branch *b)
{
  g_clear_object (&b->client);
  g_clear_object (&b->store);
}

/* A new session for b, just before a fault is staged: the fault takes the
 * next request whatever its token, and the 4 s tokens that
 * /sync/expired-token-refreshed needs may have expired by then on a slow
 * run (ASan, TLS handshakes). The server would refuse the request and
 * commit nothing, and the fault would hide its 401 from the client. */
static void
sign_in_again (Branch *b)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStaff) staff = okno_client_sign_in (b->client, "clerk", "clerk", NULL, &error);

  g_assert_no_error (error);
}

static char *
any_key (OknoStore *store, const char *sql)
{
  char *key = test_db_text (okno_store_get_path (store), sql, NULL);

  g_assert_nonnull (key);
  return key;
}

static char *
column_of (OknoStore *store, const char *sql, const char *key)
{
  return test_db_text (okno_store_get_path (store), sql, key);
}

static char *
new_payment (OknoStore *store, const char *account, gint64 kop)
{
  return test_new_payment (store, account, kop, "cash");
}

/* The payment on the server: how many times its content arrived. */
static gint64
server_copies (const char *id)
{
  return test_payment_copies (central->db, id);
}

/* Sync tests 2 and 4 (docs/sync-tests.md): the server committed, the answer was lost; the resend is
 * answered duplicate and exactly one payment exists. */
static void
test_lost_answer_no_duplicate (void)
{
  const char *modes[] = { "fail_after_commit", "fail_after_commit" };
  int statuses[] = { 500, 0 /* reset */ };
  Branch b = branch ("lost-answer");
  g_autofree char *account = any_key (b.store, "SELECT id FROM accounts LIMIT 1");

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *id = new_payment (b.store, account, 10000 + i);

      sign_in_again (&b);
      fault ("/api/v1/mutations", modes[i], 1, statuses[i], 0);
      g_assert_false (okno_client_sync (b.client, b.store, NULL, NULL, &error));
      g_assert_nonnull (error);
      g_assert_cmpint (okno_store_outbox_count (b.store, "pending", NULL), ==, 1);
      g_assert_cmpint (server_copies (id), ==, 1);
      g_clear_error (&error);
      g_assert_true (okno_client_sync (b.client, b.store, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (okno_store_outbox_count (b.store, NULL, NULL), ==, 0);
      g_assert_cmpint (server_copies (id), ==, 1);
    }
  branch_free (&b);
}

/* Sync test 5: a broken answer to a pull changes nothing and is retried. */
static void
test_broken_pull_is_retried (void)
{
  const char *modes[] = { "truncate", "invalid_json", "reset" };
  Branch a = branch ("pull-a");
  Branch b = branch ("pull-b");
  g_autofree char *account = any_key (a.store, "SELECT id FROM accounts LIMIT 1");

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *id = new_payment (a.store, account, 500 + i);
      g_autofree char *before = okno_store_get_meta (b.store, "cursor", NULL);
      g_autofree char *after = NULL;
      g_autofree char *seen = NULL;

      g_assert_true (okno_client_sync (a.client, a.store, NULL, NULL, &error));
      sign_in_again (&b);
      fault ("/api/v1/changes", modes[i], 1, 500, 0);
      g_assert_false (okno_client_pull (b.client, b.store, NULL, NULL, &error));
      after = okno_store_get_meta (b.store, "cursor", NULL);
      g_assert_cmpstr (before, ==, after);
      g_clear_error (&error);
      g_assert_true (okno_client_pull (b.client, b.store, NULL, NULL, &error));
      g_assert_no_error (error);
      seen = column_of (b.store, "SELECT id FROM payments WHERE id = ?", id);
      g_assert_cmpstr (seen, ==, id);
    }
  branch_free (&a);
  branch_free (&b);
}

static void
set_appeal (Branch *b, const char *appeal, const char *field, const char *value)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (okno_store_patch (b->store, okno_collection_lookup ("appeals"), appeal, 1,
                                   (const char *[]){ field }, (const char *[]){ value }, &error));
  g_assert_no_error (error);
}

/* Sync test 7: different fields merge; the same field is a visible conflict
 * at both branches, neither value lost. */
static void
test_two_branches_one_appeal (void)
{
  g_autoptr (GError) error = NULL;
  Branch a = branch ("merge-a");
  Branch b = branch ("merge-b");
  g_autofree char *appeal
    = any_key (a.store, "SELECT id FROM appeals WHERE status = 'assigned' LIMIT 1");
  g_autofree char *urgency = NULL, *status = NULL, *subject_a = NULL, *subject_b = NULL;

  set_appeal (&a, appeal, "urgency", "high");
  set_appeal (&b, appeal, "status", "in_progress");
  set_appeal (&a, appeal, "subject", "Перерасчёт за октябрь");
  set_appeal (&b, appeal, "subject", "Перерасчёт за ноябрь");
  g_assert_true (okno_client_sync (a.client, a.store, NULL, NULL, &error));
  g_assert_true (okno_client_sync (b.client, b.store, NULL, NULL, &error));
  g_assert_true (okno_client_sync (a.client, a.store, NULL, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      Branch *x = i ? &b : &a;
      g_autofree char *ours = NULL, *theirs = NULL;

      urgency = column_of (x->store, "SELECT urgency FROM appeals WHERE id = ?", appeal);
      status = column_of (x->store, "SELECT status FROM appeals WHERE id = ?", appeal);
      g_assert_cmpstr (urgency, ==, "high");
      g_assert_cmpstr (status, ==, "in_progress");
      g_clear_pointer (&urgency, g_free);
      g_clear_pointer (&status, g_free);
      /* The subject: the first push won, the second waits as a conflict. */
      g_assert_cmpint (okno_store_count_conflicts (x->store, NULL), ==, 1);
      ours = column_of (x->store, "SELECT ours FROM appeal_conflicts WHERE appeal_id = ?", appeal);
      theirs
        = column_of (x->store, "SELECT theirs FROM appeal_conflicts WHERE appeal_id = ?", appeal);
      g_assert_cmpstr (ours, ==, "Перерасчёт за ноябрь");
      g_assert_cmpstr (theirs, ==, "Перерасчёт за октябрь");
      {
        g_autoptr (GPtrArray) listed = okno_store_list_conflicts (x->store, &error);
        OknoAppealConflict *c;

        g_assert_no_error (error);
        g_assert_cmpuint (listed->len, ==, 1);
        c = listed->pdata[0];
        g_assert_cmpstr (c->appeal_id, ==, appeal);
        g_assert_cmpstr (c->field, ==, "subject");
        g_assert_cmpstr (c->ours, ==, ours);
        g_assert_nonnull (c->appeal_number);
      }
    }
  subject_a = column_of (a.store, "SELECT subject FROM appeals WHERE id = ?", appeal);
  subject_b = column_of (b.store, "SELECT subject FROM appeals WHERE id = ?", appeal);
  g_assert_cmpstr (subject_a, ==, subject_b);
  branch_free (&a);
  branch_free (&b);
}

/* One value from the server's database. */
static char *
server_text (const char *sql, const char *key)
{
  char *value = test_db_text (central->db, sql, key);

  g_assert_nonnull (value);
  return value;
}

/* The conflicts of this appeal the branch lists as open (other tests leave
 * theirs on the same server). */
static GPtrArray *
open_conflicts (Branch *b, const char *appeal)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = okno_store_list_conflicts (b->store, &error);
  GPtrArray *mine = g_ptr_array_new_with_free_func ((GDestroyNotify)okno_appeal_conflict_free);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    if (g_str_equal (((OknoAppealConflict *)all->pdata[i])->appeal_id, appeal))
      g_ptr_array_add (mine, g_ptr_array_steal_index (all, i--));
  return mine;
}

static guint
n_open (Branch *b, const char *appeal)
{
  g_autoptr (GPtrArray) mine = open_conflicts (b, appeal);

  return mine->len;
}

static void
resolve (Branch *b, const char *conflict, const char *value)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *staff = okno_store_get_meta (b->store, "staff_id", NULL);

  g_assert_true (okno_store_resolve_conflict (b->store, conflict, value, staff, &error));
  g_assert_no_error (error);
}

static void
sync_ok (Branch *b)
{
  g_autoptr (GError) error = NULL;
  OknoSyncReport report = { 0 };

  g_assert_true (okno_client_sync (b->client, b->store, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.pending + report.quarantined, ==, 0);
}

static void
assert_subject (Branch *b, const char *appeal, const char *expected)
{
  g_autofree char *subject
    = column_of (b->store, "SELECT subject FROM appeals WHERE id = ?", appeal);

  g_assert_cmpstr (subject, ==, expected);
}

/* A conflict at both branches: A combines the two texts, B (not yet told)
 * keeps its own. The first resolution to reach the server wins at both
 * branches; B's choice comes back to both as a new conflict, which A then
 * settles by keeping the server's value. */
static void
test_resolve_conflict_everywhere (void)
{
  Branch a = branch ("resolve-a");
  Branch b = branch ("resolve-b");
  g_autofree char *appeal
    = any_key (a.store, "SELECT id FROM appeals WHERE status = 'in_progress' LIMIT 1");
  g_autofree char *conflict = NULL, *later = NULL, *resolution = NULL, *open = NULL;
  g_autofree char *server_subject = NULL;

  set_appeal (&a, appeal, "subject", "Тема А");
  set_appeal (&b, appeal, "subject", "Тема Б");
  sync_ok (&a);
  sync_ok (&b);
  sync_ok (&a);
  g_assert_cmpint (n_open (&a, appeal), ==, 1);
  g_assert_cmpint (n_open (&b, appeal), ==, 1);
  conflict = column_of (a.store, "SELECT id FROM appeal_conflicts WHERE appeal_id = ?", appeal);

  resolve (&a, conflict, "Тема А; Тема Б");
  resolve (&b, conflict, "Тема Б");
  g_assert_cmpint (n_open (&a, appeal), ==, 0);
  g_assert_cmpint (n_open (&b, appeal), ==, 0);
  assert_subject (&b, appeal, "Тема Б");

  sync_ok (&a);
  resolution = server_text ("SELECT resolution FROM appeal_conflicts WHERE id = ?", conflict);
  server_subject = server_text ("SELECT subject FROM appeals WHERE id = ?", appeal);
  g_assert_cmpstr (resolution, ==, "Тема А; Тема Б");
  g_assert_cmpstr (server_subject, ==, "Тема А; Тема Б");

  /* B's resolution arrives second: it overwrites nothing and is kept as a
   * new conflict, which both branches now list. */
  sync_ok (&b);
  sync_ok (&a);
  for (guint i = 0; i < 2; i++)
    {
      Branch *x = i ? &b : &a;
      g_autoptr (GPtrArray) listed = open_conflicts (x, appeal);
      OknoAppealConflict *c;
      g_autofree char *settled_by
        = column_of (x->store, "SELECT resolution FROM appeal_conflicts WHERE id = ?", conflict);

      assert_subject (x, appeal, "Тема А; Тема Б");
      g_assert_cmpstr (settled_by, ==, "Тема А; Тема Б");
      g_assert_cmpuint (listed->len, ==, 1);
      c = listed->pdata[0];
      g_assert_cmpstr (c->id, !=, conflict);
      g_assert_cmpstr (c->ours, ==, "Тема Б");
      g_assert_cmpstr (c->current, ==, "Тема А; Тема Б");
      g_clear_pointer (&later, g_free);
      later = g_strdup (c->id);
    }

  /* A keeps the server's value: the last conflict is gone everywhere. */
  resolve (&a, later, "Тема А; Тема Б");
  sync_ok (&a);
  sync_ok (&b);
  g_assert_cmpint (n_open (&a, appeal), ==, 0);
  g_assert_cmpint (n_open (&b, appeal), ==, 0);
  open = server_text (
    "SELECT count (*) FROM appeal_conflicts WHERE appeal_id = ? AND resolved_at IS NULL", appeal);
  g_assert_cmpstr (open, ==, "0");
  assert_subject (&a, appeal, "Тема А; Тема Б");
  assert_subject (&b, appeal, "Тема А; Тема Б");
  branch_free (&a);
  branch_free (&b);
}

/* Sync tests 8 and 13: closing wins over an offline edit, which is rejected and
 * quarantined for its own record; everything else keeps syncing. */
static void
test_closed_appeal_rejects_edit (void)
{
  g_autoptr (GError) error = NULL;
  Branch a = branch ("close-a");
  Branch b = branch ("close-b");
  g_autofree char *appeal
    = any_key (a.store, "SELECT id FROM appeals WHERE status = 'answered' LIMIT 1");
  g_autofree char *account = any_key (b.store, "SELECT id FROM accounts LIMIT 1");
  g_autofree char *payment = NULL, *status = NULL;

  set_appeal (&a, appeal, "status", "closed");
  g_assert_true (okno_client_sync (a.client, a.store, NULL, NULL, &error));
  set_appeal (&b, appeal, "status", "in_progress");
  payment = new_payment (b.store, account, 777);
  g_assert_true (okno_client_sync (b.client, b.store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (okno_store_outbox_count (b.store, "quarantined", NULL), ==, 1);
  g_assert_cmpint (server_copies (payment), ==, 1);
  /* Nothing comes back from the dead, and a second sync changes nothing. */
  g_assert_true (okno_client_sync (b.client, b.store, NULL, NULL, &error));
  status = column_of (a.store, "SELECT status FROM appeals WHERE id = ?", appeal);
  g_assert_cmpstr (status, ==, "closed");
  g_assert_cmpint (okno_store_outbox_count (b.store, "quarantined", NULL), ==, 1);
  branch_free (&a);
  branch_free (&b);
}

/* Sync test 11: the feed no longer reaches the cursor: a new snapshot, and
 * what waited in the outbox is still pushed. */
static void
test_cursor_expired_keeps_outbox (void)
{
  g_autoptr (GError) error = NULL;
  Branch a = branch ("gone-a");
  Branch b = branch ("gone-b");
  g_autofree char *account = any_key (b.store, "SELECT id FROM accounts LIMIT 1");
  g_autofree char *mine = new_payment (b.store, account, 1);
  g_autofree char *snapshots = NULL;

  /* Many commits by another branch push b's cursor out of the retention. */
  for (int i = 0; i < 12; i++)
    {
      g_autofree char *id = new_payment (a.store, account, 100 + i);
      g_assert_true (okno_client_sync (a.client, a.store, NULL, NULL, &error));
      g_assert_cmpint (server_copies (id), ==, 1);
    }
  g_assert_true (okno_client_sync (b.client, b.store, NULL, NULL, &error));
  g_assert_no_error (error);
  snapshots = okno_store_get_meta (b.store, "snapshots", NULL);
  g_assert_cmpstr (snapshots, ==, "2"); /* the 410 made a second one */
  g_assert_cmpint (server_copies (mine), ==, 1);
  g_assert_cmpint (okno_store_outbox_count (b.store, NULL, NULL), ==, 0);
  /* Both replicas hold the same payments once a has pulled b's. */
  g_assert_true (okno_client_sync (a.client, a.store, NULL, NULL, &error));
  g_assert_cmpint (okno_store_count (b.store, "payments", NULL), ==,
                   okno_store_count (a.store, "payments", NULL));
  branch_free (&a);
  branch_free (&b);
}

/* Sync test 15 (the part a test may check without timing): an expired token
 * is refreshed, and 429 tells the caller how long to wait, queue intact. */
static void
test_retry_after (void)
{
  g_autoptr (GError) error = NULL;
  Branch b = branch ("busy");
  g_autofree char *account = any_key (b.store, "SELECT id FROM accounts LIMIT 1");
  g_autofree char *id = new_payment (b.store, account, 42);

  fault ("/api/v1/mutations", "retry_after", 1, 429, 30);
  g_assert_false (okno_client_sync (b.client, b.store, NULL, NULL, &error));
  g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_RETRY_LATER);
  g_assert_cmpuint (okno_client_get_retry_after (b.client), ==, 30);
  g_assert_cmpint (okno_store_outbox_count (b.store, "pending", NULL), ==, 1);
  g_clear_error (&error);
  g_assert_true (okno_client_sync (b.client, b.store, NULL, NULL, &error));
  g_assert_cmpint (server_copies (id), ==, 1);
  branch_free (&b);
}

static void
count_signal (guint *n)
{
  (*n)++;
}

/* Sync test 15: after the access token expired, the next sync refreshes the
 * session once and goes on; the queue is sent. (Access tokens live 4 s in
 * this server; the wait is for them to expire, nothing is timed.) */
static void
test_expired_token_refreshed (void)
{
  g_autoptr (GError) error = NULL;
  Branch b = branch ("expired");
  g_autofree char *account = any_key (b.store, "SELECT id FROM accounts LIMIT 1");
  g_autofree char *id = new_payment (b.store, account, 4242);
  g_autofree char *before = NULL, *after = NULL;
  guint rotated = 0;

  g_signal_connect_swapped (b.client, "tokens-changed", G_CALLBACK (count_signal), &rotated);
  okno_client_get_tokens (b.client, &before, NULL);
  g_usleep (5 * G_USEC_PER_SEC);
  g_assert_true (okno_client_sync (b.client, b.store, NULL, NULL, &error));
  g_assert_no_error (error);
  okno_client_get_tokens (b.client, &after, NULL);
  g_assert_cmpstr (before, !=, after);
  /* once: whoever keeps the tokens stores the new pair at once. */
  g_assert_cmpuint (rotated, ==, 1);
  g_assert_cmpint (server_copies (id), ==, 1);

  /* Signing out ends the session on the server: the old tokens are refused. */
  {
    g_autofree char *refresh = NULL;
    g_autoptr (GError) refused = NULL;
    g_autofree char *pending = new_payment (b.store, account, 7);

    okno_client_get_tokens (b.client, NULL, &refresh);
    g_assert_true (okno_client_sign_out (b.client, NULL, &error));
    g_assert_no_error (error);
    g_assert_false (okno_client_is_signed_in (b.client));
    okno_client_set_tokens (b.client, after, refresh);
    g_assert_false (okno_client_sync (b.client, b.store, NULL, NULL, &refused));
    g_assert_error (refused, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_UNAUTHORIZED);
    g_assert_cmpint (okno_store_outbox_count (b.store, "pending", NULL), ==, 1);
    g_assert_cmpint (server_copies (pending), ==, 0);
  }
  branch_free (&b);
}

/* Sync test 12: Okno is upgraded, with a schema step, while 500 changes wait
 * in the outbox: the new version migrates the replica and pushes them all.
 * The replica is taken back to schema step 6 (test_replica_back_to_v6),
 * then to step 2 by hand, as the earlier releases left it, before the new
 * code opens it again. */
static void
test_upgrade_with_waiting_changes (void)
{
  g_autoptr (GError) error = NULL;
  Branch b = branch ("upgrade");
  g_autofree char *account = any_key (b.store, "SELECT id FROM accounts LIMIT 1");
  g_autofree char *path = g_strdup (okno_store_get_path (b.store));
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (OknoDb) db = NULL;
  g_autofree char *staff = NULL;

  for (int i = 0; i < 500; i++)
    g_ptr_array_add (ids, new_payment (b.store, account, 1000 + i));
  g_clear_object (&b.store);
  test_replica_back_to_v6 (path);

  db = okno_db_open (path, OKNO_DB_READ_WRITE, &error);
  g_assert_no_error (error);
  g_assert_true (okno_db_exec (
    db,
    "DROP TABLE appeal_conflicts; DROP TABLE disclosures; DROP TABLE server_rows;"
    "CREATE TABLE disclosure_log (id TEXT PRIMARY KEY, at TEXT NOT NULL,"
    "  staff_id TEXT NOT NULL, account_id TEXT NOT NULL, visit_id TEXT, basis TEXT NOT NULL,"
    "  what TEXT NOT NULL, local_state TEXT NOT NULL DEFAULT 'created');"
    "ALTER TABLE outbox DROP COLUMN author;"
    "PRAGMA user_version = 2",
    &error));
  g_assert_no_error (error);
  g_clear_object (&db);

  b.store = okno_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (okno_store_outbox_count (b.store, "pending", NULL), ==, 500);
  /* The migration takes each payment's author from its payload. */
  staff = okno_store_get_meta (b.store, "staff_id", NULL);
  g_assert_cmpint (
    test_db_count (path, "SELECT count(*) FROM outbox WHERE author = okno_uuid_text (?)", staff),
    ==, 500);
  g_assert_true (okno_client_sync (b.client, b.store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (okno_store_outbox_count (b.store, NULL, NULL), ==, 0);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (server_copies (ids->pdata[i]), ==, 1);
  branch_free (&b);
}

/* Schema step 7 rewrites every table in place: a replica of step 6 with a
 * payment and an appeal change waiting, and an open conflict, keeps them
 * all; the conflict is settled after the upgrade and everything reaches
 * the server once. */
static void
test_upgrade_keeps_outbox_and_conflicts (void)
{
  g_autoptr (GError) error = NULL;
  Branch a = branch ("rewrite-a");
  Branch b = branch ("rewrite-b");
  g_autofree char *appeal = any_key (
    a.store, "SELECT id FROM appeals WHERE status = 'in_progress' ORDER BY id DESC LIMIT 1");
  g_autofree char *account = any_key (b.store, "SELECT id FROM accounts ORDER BY id DESC LIMIT 1");
  g_autofree char *path = g_strdup (okno_store_get_path (b.store));
  g_autofree char *payment = NULL, *conflict = NULL, *resolution = NULL;
  g_autoptr (OknoDb) db = NULL;

  set_appeal (&a, appeal, "subject", "Тема до обновления А");
  set_appeal (&b, appeal, "subject", "Тема до обновления Б");
  sync_ok (&a);
  sync_ok (&b);
  g_assert_cmpint (n_open (&b, appeal), ==, 1);
  payment = new_payment (b.store, account, 4242);
  set_appeal (&b, appeal, "urgency", "high");
  g_assert_cmpint (okno_store_outbox_count (b.store, "pending", NULL), ==, 2);
  g_clear_object (&b.store);
  test_replica_back_to_v6 (path);
  g_assert_cmpint (test_db_count (path, "SELECT count(*) FROM payments WHERE id = ?", payment), ==,
                   1);

  b.store = okno_store_open (path, &error);
  g_assert_no_error (error);
  db = okno_db_open (path, OKNO_DB_READ_ONLY, &error);
  {
    guint n_steps;

    okno_schema_migrations (&n_steps);
    g_assert_cmpint (okno_db_get_user_version (db, &error), ==, (int)n_steps);
  }
  g_assert_cmpint (test_db_count (path, "SELECT count(*) FROM pragma_foreign_key_check", NULL), ==,
                   0);
  g_assert_cmpint (okno_store_outbox_count (b.store, "pending", NULL), ==, 2);
  g_assert_cmpint (test_db_count (path, "SELECT count(*) FROM payments WHERE id = ?", payment), ==,
                   1);
  g_assert_cmpint (n_open (&b, appeal), ==, 1);
  conflict = column_of (b.store, "SELECT id FROM appeal_conflicts WHERE appeal_id = ?", appeal);
  resolve (&b, conflict, "Тема после обновления");
  sync_ok (&b);
  g_assert_cmpint (okno_store_outbox_count (b.store, NULL, NULL), ==, 0);
  g_assert_cmpint (server_copies (payment), ==, 1);
  resolution = server_text ("SELECT resolution FROM appeal_conflicts WHERE id = ?", conflict);
  g_assert_cmpstr (resolution, ==, "Тема после обновления");
  g_assert_cmpint (n_open (&b, appeal), ==, 0);
  assert_subject (&b, appeal, "Тема после обновления");
  branch_free (&a);
  branch_free (&b);
}

static gboolean
give_up_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Signs in on b's computer as login: the staff member at the counter. */
static void
sign_in_as (Branch *b, const char *login)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStaff) staff = okno_client_sign_in (b->client, login, login, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (okno_store_set_meta (b->store, "staff_id", staff->id, &error));
}

/* A counter computer two staff share: the clerk's offline payments wait,
 * pending and not refused, while the supervisor syncs their own, and go
 * once the clerk signs in again, each exactly once. */
static void
test_shared_computer_pushes_by_author (void)
{
  Branch b = branch ("shared");
  g_autofree char *account = any_key (b.store, "SELECT id FROM accounts LIMIT 1");
  g_autofree char *clerk1 = new_payment (b.store, account, 11100);
  g_autofree char *clerk2 = new_payment (b.store, account, 11200);
  g_autofree char *supervisor = NULL;
  g_autoptr (GError) error = NULL;
  OknoSyncReport report = { 0 };

  sign_in_as (&b, "supervisor");
  supervisor = new_payment (b.store, account, 11300);
  g_assert_true (okno_client_sync (b.client, b.store, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.quarantined, ==, 0);
  g_assert_cmpuint (report.pushed, ==, 1);
  g_assert_cmpint (report.pending, ==, 2);
  g_assert_cmpint (report.others, ==, 2);
  g_assert_cmpint (server_copies (supervisor), ==, 1);
  g_assert_cmpint (server_copies (clerk1), ==, 0);
  g_assert_cmpint (server_copies (clerk2), ==, 0);

  sign_in_as (&b, "clerk");
  g_assert_true (okno_client_sync (b.client, b.store, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.pushed, ==, 2);
  g_assert_cmpint (report.pending + report.quarantined + report.others, ==, 0);
  g_assert_cmpint (server_copies (clerk1), ==, 1);
  g_assert_cmpint (server_copies (clerk2), ==, 1);
  g_assert_cmpint (server_copies (supervisor), ==, 1);
  branch_free (&b);
}

/* One sync per replica at a time. */
static void
test_sync_lock (void)
{
  g_autoptr (GError) error = NULL;
  Branch b = branch ("lock");
  int held = okno_store_lock_sync (b.store, &error);

  g_assert_cmpint (held, >=, 0);
  g_assert_false (okno_client_sync (b.client, b.store, NULL, NULL, &error));
  g_assert_error (error, OKNO_SYNC_ERROR, OKNO_SYNC_ERROR_BUSY);
  okno_store_unlock_sync (held);
  g_clear_error (&error);
  g_assert_true (okno_client_sync (b.client, b.store, NULL, NULL, &error));
  {
    /* The replica remembers its last good sync for the next start. */
    g_autoptr (OknoSyncScheduler) later = okno_sync_scheduler_new (b.client, b.store);
    gboolean gave_up = FALSE;
    guint guard = g_timeout_add_seconds (60, give_up_cb, &gave_up);

    /* It reads it in a worker thread: "last-sync" comes on the main context. */
    while (okno_sync_scheduler_get_last_sync (later) == NULL && !gave_up)
      g_main_context_iteration (NULL, TRUE);
    if (!gave_up)
      g_source_remove (guard);
    g_assert_nonnull (okno_sync_scheduler_get_last_sync (later));
  }
  branch_free (&b);
}

int
main (int argc, char **argv)
{
  int rc;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  start_central ("5");
  g_test_add_func ("/sync/transport", test_transport);
  g_test_add_func ("/sync/lost-answer-no-duplicate", test_lost_answer_no_duplicate);
  g_test_add_func ("/sync/broken-pull-is-retried", test_broken_pull_is_retried);
  g_test_add_func ("/sync/two-branches-one-appeal", test_two_branches_one_appeal);
  g_test_add_func ("/sync/resolve-conflict-everywhere", test_resolve_conflict_everywhere);
  g_test_add_func ("/sync/closed-appeal-rejects-edit", test_closed_appeal_rejects_edit);
  g_test_add_func ("/sync/cursor-expired-keeps-outbox", test_cursor_expired_keeps_outbox);
  g_test_add_func ("/sync/retry-after", test_retry_after);
  g_test_add_func ("/sync/lock", test_sync_lock);
  g_test_add_func ("/sync/shared-computer-pushes-by-author", test_shared_computer_pushes_by_author);
  g_test_add_func ("/sync/upgrade-with-waiting-changes", test_upgrade_with_waiting_changes);
  g_test_add_func ("/sync/upgrade-keeps-outbox-and-conflicts",
                   test_upgrade_keeps_outbox_and_conflicts);
  g_test_add_func ("/sync/expired-token-refreshed", test_expired_token_refreshed);
  rc = g_test_run ();
  central_finish (g_steal_pointer (&central));
  return rc;
}
