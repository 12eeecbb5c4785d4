/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Issue 10, item 1: two desktops of one branch register appeals while
 * okno-central is down, then sync; no two numbers collide and every
 * appeal arrives. A number of another desk is refused by the server. */

#include <locale.h>
#include <string.h>

#include "central-spawn.h"
#include "okno-appeal-number.h"
#include "okno-meta-keys.h"
#include "okno-sync.h"
#include "test-client.h"
#include "test-db.h"

#define APPEALS_EACH 5

static char *tmpdir;
static CentralProcess *central;

typedef struct
{
  OknoStore *store;
  OknoClient *client;
  char *device_id;
  gint64 desk_code;
  char *numbers[APPEALS_EACH];
  char *ids[APPEALS_EACH];
} Desktop;

/* Signs the clerk in on d, as the session does: who, where, the desk. */
static void
sign_in (Desktop *d)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoStaff) staff = NULL;
  g_autofree char *desk = NULL;

  g_clear_object (&d->client);
  d->client = test_client_new (central);
  okno_client_set_device_id (d->client, d->device_id);
  staff = okno_client_sign_in (d->client, "clerk", "clerk", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (staff->desk_code, >, 0);
  d->desk_code = staff->desk_code;
  desk = g_strdup_printf ("%" G_GINT64_FORMAT, staff->desk_code);
  g_assert_true (okno_store_set_meta (d->store, OKNO_META_STAFF_ID, staff->id, &error));
  g_assert_true (
    okno_store_set_meta (d->store, OKNO_META_STAFF_BRANCH_ID, staff->branch_id, &error));
  g_assert_true (okno_store_set_meta (d->store, OKNO_META_STAFF_DESK_CODE, desk, &error));
  g_assert_no_error (error);
}

static void
desktop_open (Desktop *d, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, name, "replica.db", NULL);

  memset (d, 0, sizeof *d);
  d->store = okno_store_open (path, &error);
  g_assert_no_error (error);
  d->device_id = g_uuid_string_random ();
  sign_in (d);
  g_assert_true (okno_client_sync (d->client, d->store, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (okno_store_is_ready (d->store));
}

static void
desktop_close (Desktop *d)
{
  g_clear_object (&d->client);
  g_clear_object (&d->store);
  g_free (d->device_id);
  for (guint i = 0; i < APPEALS_EACH; i++)
    {
      g_free (d->numbers[i]);
      g_free (d->ids[i]);
    }
}

static char *
register_one (Desktop *d, const char *subject, char **id)
{
  g_autoptr (GError) error = NULL;
  OknoAppealDocumentSpec document = { "Заявление", TRUE, 1 };
  OknoAppealRequest r = { 0 };
  char *number;

  r.registration.kind = "complaint";
  r.registration.channel = "in_person";
  r.registration.subject = subject;
  r.registration.applicant_name = "Смирнов Алексей Викторович";
  r.registration.answer_channel = "phone";
  r.registration.answer_address = "+73431234567";
  r.body = "Прошу проверить начисления";
  r.documents = &document;
  r.n_documents = 1;
  number = okno_store_register_appeal (d->store, &r, id, &error);
  g_assert_no_error (error);
  return number;
}

static void
sync_ok (Desktop *d)
{
  g_autoptr (GError) error = NULL;
  OknoSyncReport report = { 0 };

  g_assert_true (okno_client_sync (d->client, d->store, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.pending + report.quarantined, ==, 0);
}

static void
test_two_offline_desktops (void)
{
  g_autoptr (GHashTable) numbers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  Desktop a, b;

  desktop_open (&a, "a");
  desktop_open (&b, "b");
  /* One branch, two desks. */
  g_assert_cmpint (a.desk_code, !=, b.desk_code);

  g_assert_cmpint (central_stop (central), ==, 0);
  /* Offline: a sync fails, registering does not. */
  g_assert_false (okno_client_sync (a.client, a.store, NULL, NULL, &error));
  g_clear_error (&error);
  for (guint i = 0; i < APPEALS_EACH; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Обращение %u", i + 1);

      a.numbers[i] = register_one (&a, subject, &a.ids[i]);
      b.numbers[i] = register_one (&b, subject, &b.ids[i]);
    }

  /* Back: each desktop signs in again from the same device and syncs. */
  {
    const char *extra[] = { "--quiet", NULL };
    g_autofree char *db = g_strdup (central->db);

    central_process_free (central);
    central = central_spawn (db, extra, &error);
    g_assert_no_error (error);
  }
  sign_in (&a);
  sign_in (&b);
  sync_ok (&a);
  sync_ok (&b);

  for (guint i = 0; i < APPEALS_EACH; i++)
    {
      Desktop *both[] = { &a, &b };

      for (guint k = 0; k < G_N_ELEMENTS (both); k++)
        {
          Desktop *d = both[k];
          g_autofree char *on_server
            = test_db_text (central->db, "SELECT number FROM appeals WHERE id = ?1", d->ids[i]);
          g_autofree char *registered_by
            = test_db_text (central->db,
                            "SELECT s.login FROM appeals a JOIN staff s ON s.id = a.registered_by"
                            " WHERE a.id = ?1",
                            d->ids[i]);
          gint64 desk;

          g_assert_false (g_hash_table_contains (numbers, d->numbers[i]));
          g_hash_table_add (numbers, d->numbers[i]);
          g_assert_cmpstr (on_server, ==, d->numbers[i]);
          g_assert_true (okno_appeal_number_parse (d->numbers[i], NULL, &desk, NULL, NULL, &error));
          g_assert_cmpint (desk, ==, d->desk_code);
          g_assert_cmpstr (registered_by, ==, "clerk");
          g_assert_cmpint (test_db_count (central->db,
                                          "SELECT count (*) FROM appeal_events"
                                          " WHERE appeal_id = ?1 AND kind = 'registered'",
                                          d->ids[i]),
                           ==, 1);
          g_assert_cmpint (test_db_count (central->db,
                                          "SELECT count (*) FROM appeal_documents"
                                          " WHERE appeal_id = ?1",
                                          d->ids[i]),
                           ==, 1);
        }
    }
  g_assert_cmpuint (g_hash_table_size (numbers), ==, 2 * APPEALS_EACH);
  desktop_close (&a);
  desktop_close (&b);
}

/* A desktop that numbers with another desk's code is refused, and the
 * server keeps nothing of the appeal. */
static void
test_forged_desk_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) quarantined = NULL;
  g_autofree char *id = NULL, *number = NULL, *forged = NULL;
  OknoSyncReport report = { 0 };
  Desktop a, b;

  desktop_open (&a, "forger");
  desktop_open (&b, "honest");
  g_assert_cmpint (a.desk_code, !=, b.desk_code);
  forged = g_strdup_printf ("%" G_GINT64_FORMAT, b.desk_code);
  g_assert_true (okno_store_set_meta (a.store, OKNO_META_STAFF_DESK_CODE, forged, &error));
  number = register_one (&a, "Чужой номер", &id);
  g_assert_true (okno_client_sync (a.client, a.store, &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.quarantined, >=, 1);
  g_assert_cmpint (test_db_count (central->db, "SELECT count (*) FROM appeals WHERE id = ?1", id),
                   ==, 0);
  quarantined = okno_store_outbox_list (a.store, "quarantined", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quarantined->len, >=, 1);
  {
    OknoOutboxEntry *e = quarantined->pdata[0];

    g_assert_cmpstr (e->collection, ==, "appeals");
    g_assert_cmpstr (e->key, ==, id);
    g_assert_nonnull (strstr (e->last_error, "desk"));
  }
  desktop_close (&a);
  desktop_close (&b);
}

int
main (int argc, char **argv)
{
  const char *extra[] = { "--generate", "--accounts", "200", "--seed", "7", "--quiet", NULL };
  int rc;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  central = central_spawn_in_tmp ("okno-register-XXXXXX", extra, &tmpdir);
  g_test_add_func ("/register-sync/two-offline-desktops", test_two_offline_desktops);
  g_test_add_func ("/register-sync/forged-desk-refused", test_forged_desk_refused);
  rc = g_test_run ();
  central_finish (g_steal_pointer (&central));
  return rc;
}
