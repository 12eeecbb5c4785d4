/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The in-place migration of a replica (schema step 7 rewrites every table,
 * step 8 rebuilds the search index) killed with SIGKILL at points across
 * its run: each time the file is at a step, whole, never inside one, and
 * the next start finishes the migration with every row and every unsent
 * change kept. */

#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <sys/wait.h>

#include "central-spawn.h"
#include "okno-schema.h"
#include "okno-sync.h"
#include "test-client.h"
#include "test-db.h"
#include "test-replica.h"

#define N_ACCOUNTS "10000"

static CentralProcess *central;
static char *tmpdir;
static char *v6_path;  /* the replica taken back to step 6, never opened */
static char *payment;  /* an unsent payment in its outbox */
static gint64 rows[4]; /* accounts, readings, payments, outbox */
static const char *const counted[] = { "accounts", "readings", "payments", "outbox" };

static guint
latest_schema (void)
{
  guint n;

  okno_schema_migrations (&n);
  return n;
}

static void
count_rows (const char *path, gint64 *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (counted); i++)
    out[i] = test_db_count_rows (path, counted[i]);
}

static int
user_version (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoDb) db = okno_db_open (path, OKNO_DB_READ_ONLY, &error);
  int v;

  g_assert_no_error (error);
  v = okno_db_get_user_version (db, &error);
  g_assert_no_error (error);
  return v;
}

static void
copy_file (const char *from, const char *to)
{
  g_autoptr (GFile) src = g_file_new_for_path (from);
  g_autoptr (GFile) dst = g_file_new_for_path (to);
  g_autoptr (GError) error = NULL;
  g_autofree char *wal = g_strconcat (to, "-wal", NULL);
  g_autofree char *shm = g_strconcat (to, "-shm", NULL);

  g_remove (wal);
  g_remove (shm);
  g_assert_true (g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* A downloaded replica with a payment not yet sent, taken back to step 6. */
static void
make_v6_replica (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoClient) client = test_client_new (central);
  g_autoptr (OknoStaff) staff = okno_client_sign_in (client, "clerk", "clerk", NULL, &error);
  g_autoptr (OknoStore) store = test_replica_open (tmpdir, "replica.db");
  g_autofree char *account = NULL;

  g_assert_no_error (error);
  g_assert_true (okno_client_download (client, store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  okno_store_set_author (store, staff->id, staff->branch_id);
  account = test_db_text (okno_store_get_path (store),
                          "SELECT okno_uuid_text (min (id)) FROM accounts", NULL);
  payment = test_new_payment (store, account, 123456, "cash");
  v6_path = g_strdup (okno_store_get_path (store));
  g_clear_object (&store);
  test_replica_back_to_v6 (v6_path);
  g_assert_cmpint (user_version (v6_path), ==, 6);
  count_rows (v6_path, rows);
  g_assert_cmpint (rows[3], ==, 1);
}

/* okno-cli opens the replica (and so migrates it); killed after delay_ms
 * when delay_ms > 0. Returns how long it ran, in ms. */
static gint64
run_cli (const char *path, guint delay_ms, gboolean *killed)
{
  const char *cli = g_getenv ("OKNO_CLI");
  const char *argv[] = { cli, "--replica", path, "status", NULL };
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  GPid pid;
  int status = 0;

  g_assert_nonnull (cli);
  g_assert_true (g_spawn_async (NULL, (char **)argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                &pid, &error));
  g_assert_no_error (error);
  *killed = FALSE;
  if (delay_ms > 0)
    {
      g_usleep (delay_ms * 1000);
      *killed = waitpid (pid, &status, WNOHANG) == 0 && kill (pid, SIGKILL) == 0;
    }
  if (*killed || delay_ms == 0)
    g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  if (!*killed)
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  return (g_get_monotonic_time () - start) / 1000;
}

/* The replica is whole: every page sound, every reference kept. */
static void
assert_sound (const char *path)
{
  g_autofree char *check = test_db_text (path, "PRAGMA integrity_check", NULL);

  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (test_db_count (path, "SELECT count(*) FROM pragma_foreign_key_check", NULL), ==,
                   0);
}

static void
test_killed_migration (void)
{
  g_autofree char *copy = g_build_filename (tmpdir, "copy.db", NULL);
  gboolean killed;
  gint64 whole;
  guint interrupted = 0;

  make_v6_replica ();

  /* How long a migration takes on this machine, start to end. */
  copy_file (v6_path, copy);
  whole = run_cli (copy, 0, &killed);
  g_test_message ("the migration of %" G_GINT64_FORMAT " rows ran %" G_GINT64_FORMAT " ms",
                  rows[0] + rows[1] + rows[2], whole);
  g_assert_cmpint (user_version (copy), ==, (int)latest_schema ());

  for (guint share = 1; share <= 5; share++)
    {
      guint delay = (guint)(whole * share / 6);
      gint64 after[4];
      int v;

      copy_file (v6_path, copy);
      run_cli (copy, delay, &killed);
      v = user_version (copy);
      g_test_message ("killed after %u ms: %s, schema %d", delay, killed ? "yes" : "it had ended",
                      v);
      /* Each step commits whole or not at all: the file is at one of the
       * steps, sound (step 8, the search index, may still be to come). */
      g_assert_cmpint (v, >=, 6);
      g_assert_cmpint (v, <=, (int)latest_schema ());
      assert_sound (copy);
      interrupted += killed && v == 6;

      /* The next start finishes it, with every row and the unsent payment. */
      run_cli (copy, 0, &killed);
      g_assert_cmpint (user_version (copy), ==, (int)latest_schema ());
      assert_sound (copy);
      count_rows (copy, after);
      for (guint i = 0; i < G_N_ELEMENTS (counted); i++)
        g_assert_cmpint (after[i], ==, rows[i]);
      g_assert_cmpint (test_db_count (copy, "SELECT count(*) FROM payments WHERE id = ?", payment),
                       ==, 1);
    }
  /* The kills did land inside migrations, or the test proved nothing. */
  g_assert_cmpuint (interrupted, >=, 3);
}

int
main (int argc, char **argv)
{
  const char *extra[] = { "--generate", "--accounts", N_ACCOUNTS, "--seed", "23", "--quiet", NULL };
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  central = central_spawn_in_tmp ("okno-migrate-XXXXXX", extra, &tmpdir);
  g_test_add_func ("/migrate/killed", test_killed_migration);
  status = g_test_run ();
  central_finish (central);
  g_free (v6_path);
  g_free (payment);
  return status;
}
