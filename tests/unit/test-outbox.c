/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Local changes and their outbox entries, push answers, the change feed. */

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "okno-store.h"
#include "okno-uuid.h"
#include "test-db.h"
#include "test-replica.h"
#include "test-rows.h"

#define ACCOUNT "00000000-0000-4000-8000-000000000001"
#define METER   "00000000-0000-4000-8000-0000000000a1"
#define APPEAL  "00000000-0000-4000-8000-0000000000b1"
#define STAFF   "00000000-0000-4000-8000-0000000000c1"

typedef TestReplica Fixture;

static OknoValue *
appeal_row (const char *status, gint64 version)
{
  return test_appeal_row (APPEAL, ACCOUNT, "Перерасчёт", status, version);
}

/* One synced account with a meter and an appeal, as a download leaves them. */
static void
seed (OknoStore *store)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *a = okno_collection_lookup ("accounts");
  const OknoCollection *m = okno_collection_lookup ("meters");
  const OknoCollection *ap = okno_collection_lookup ("appeals");
  g_autofree OknoValue *av = g_new0 (OknoValue, a->n_fields);
  g_autofree OknoValue *mv = g_new0 (OknoValue, m->n_fields);
  g_autofree OknoValue *pv = appeal_row ("registered", 6);

  for (guint i = 0; i < a->n_fields; i++)
    av[i].is_null = a->fields[i].nullable;
  test_row_set_text (a, av, "id", ACCOUNT);
  test_row_set_text (a, av, "number", "660100000017");
  test_row_set_text (a, av, "kind", "household");
  test_row_set_text (a, av, "holder", "Иванов Иван Петрович");
  test_row_set_text (a, av, "address", "г. Екатеринбург, ул. Ленина, д. 5");
  test_row_set_text (a, av, "answer_channel", "phone");
  test_row_set_int (a, av, "capacity_kw", 15);
  test_row_set_text (a, av, "special_category", "none");
  test_row_set_text (a, av, "updated_at", "2026-11-01T10:00:00Z");
  test_row_set_int (a, av, "version", 5);

  for (guint i = 0; i < m->n_fields; i++)
    mv[i].is_null = m->fields[i].nullable;
  test_row_set_text (m, mv, "id", METER);
  test_row_set_text (m, mv, "account_id", ACCOUNT);
  test_row_set_text (m, mv, "serial", "01234567");
  test_row_set_text (m, mv, "model", "Меркурий 201.8");
  test_row_set_int (m, mv, "zones", 1);
  test_row_set_text (m, mv, "verification_due", "2030-01-01");
  test_row_set_int (m, mv, "version", 5);

  g_assert_true (okno_store_snapshot_begin (store, 6, &error));
  g_assert_true (okno_store_apply_snapshot_page (store, a, av, 1, ACCOUNT, TRUE, &error));
  g_assert_true (okno_store_apply_snapshot_page (store, m, mv, 1, METER, TRUE, &error));
  g_assert_true (okno_store_apply_snapshot_page (store, ap, pv, 1, APPEAL, TRUE, &error));
  g_assert_true (okno_store_snapshot_finish (store, &error));
  g_assert_no_error (error);
}

/* Nobody has signed in on this replica yet. */
static void
setup_signed_out (Fixture *f, gconstpointer data)
{
  test_replica_setup (f, data);
  seed (f->store);
}

static void
setup (Fixture *f, gconstpointer data)
{
  test_replica_setup (f, data);
  seed (f->store);
  /* STAFF is signed in: the records below are written in their name. */
  okno_store_set_author (f->store, STAFF, NULL);
}

static char *
status_of_appeal (Fixture *f)
{
  return test_db_text (okno_store_get_path (f->store), "SELECT status FROM appeals", NULL);
}

/* "status urgency version local_state" of the appeal, to compare. */
static char *
appeal_state (Fixture *f)
{
  return test_db_text (okno_store_get_path (f->store),
                       "SELECT status || ' ' || ifnull (urgency, '-') || ' ' || version || ' '"
                       " || local_state FROM appeals",
                       NULL);
}

static char *
new_reading (OknoStore *store, gint64 t1, GError **error)
{
  const OknoCollection *c = okno_collection_lookup ("readings");
  g_autofree OknoValue *v = g_new0 (OknoValue, c->n_fields);
  char *id = okno_uuid7_new ();

  for (guint i = 0; i < c->n_fields; i++)
    v[i].is_null = c->fields[i].nullable;
  test_row_set_text (c, v, "id", id);
  test_row_set_text (c, v, "meter_id", METER);
  test_row_set_text (c, v, "taken_on", "2026-11-27");
  test_row_set_int (c, v, "t1", t1);
  test_row_set_text (c, v, "source", "counter");
  test_row_set_text (c, v, "accepted_at", "2026-11-27T06:00:00Z");
  test_row_set_text (c, v, "staff_id", STAFF);
  if (!okno_store_create (store, c, v, error))
    g_clear_pointer (&id, g_free);
  return id;
}

static void
test_create (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = new_reading (f->store, 12345, &error);
  g_autoptr (OknoOutboxEntry) e = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (okno_store_count (f->store, "readings", NULL), ==, 1);
  e = test_only_outbox_entry (f->store);
  g_assert_cmpstr (e->collection, ==, "readings");
  g_assert_cmpstr (e->key, ==, id);
  g_assert_cmpstr (e->op, ==, "create");
  g_assert_cmpstr (e->state, ==, "pending");
  g_assert_true (okno_text_is_uuid (e->mutation_id));
  g_assert_nonnull (strstr (e->payload, "\"t1\":12345"));
  g_assert_null (strstr (e->payload, "version"));
}

static void
test_create_invalid_writes_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *c = okno_collection_lookup ("readings");
  g_autofree OknoValue *v = g_new0 (OknoValue, c->n_fields);

  for (guint i = 0; i < c->n_fields; i++)
    v[i].is_null = c->fields[i].nullable;
  test_row_set_text (c, v, "id", "00000000-0000-4000-8000-0000000000e1");
  test_row_set_text (c, v, "meter_id", METER);
  test_row_set_text (c, v, "taken_on", "2026-02-30"); /* no such day */
  test_row_set_text (c, v, "source", "counter");
  test_row_set_text (c, v, "accepted_at", "2026-11-27T06:00:00Z");
  g_assert_false (okno_store_create (f->store, c, v, &error));
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A meter the replica does not know: the row and its entry, or neither. */
  test_row_set_text (c, v, "taken_on", "2026-11-27");
  test_row_set_text (c, v, "meter_id", "00000000-0000-4000-8000-0000000000ff");
  g_assert_false (okno_store_create (f->store, c, v, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (okno_store_count (f->store, "readings", NULL), ==, 0);
  g_assert_cmpint (okno_store_outbox_count (f->store, NULL, NULL), ==, 0);
}

static void
test_patch_and_settle (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *c = okno_collection_lookup ("appeals");
  const char *fields[] = { "status", "urgency", "subject" };
  const char *values[] = { "in_progress", "high", "Перерасчёт" /* unchanged */ };
  g_autoptr (OknoOutboxEntry) e = NULL;
  g_autofree char *settled = NULL, *again = NULL;
  OknoPushResult r = { 0 };

  g_assert_true (okno_store_patch (f->store, c, APPEAL, 3, fields, values, &error));
  g_assert_no_error (error);
  e = test_only_outbox_entry (f->store);
  g_assert_cmpstr (e->op, ==, "patch");
  g_assert_cmpint (e->base_version, ==, 6);
  g_assert_nonnull (
    strstr (e->payload, "\"status\":{\"from\":\"registered\",\"to\":\"in_progress\"}"));
  g_assert_nonnull (strstr (e->payload, "\"urgency\":{\"from\":null,\"to\":\"high\"}"));
  g_assert_null (strstr (e->payload, "subject"));

  r.mutation_id = e->mutation_id;
  r.status = OKNO_PUSH_APPLIED;
  r.version = 9;
  g_assert_true (okno_store_outbox_settle (f->store, &r, 1, &error));
  g_assert_no_error (error);
  settled = appeal_state (f);
  g_assert_cmpstr (settled, ==, "in_progress high 9 synced");
  /* Answered twice (a resent batch): nothing more happens. */
  g_assert_true (okno_store_outbox_settle (f->store, &r, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (okno_store_outbox_count (f->store, NULL, NULL), ==, 0);
  again = appeal_state (f);
  g_assert_cmpstr (again, ==, settled);
}

static void
test_quarantine_holds_only_its_record (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *c = okno_collection_lookup ("appeals");
  const char *fields[] = { "status" };
  const char *first[] = { "assigned" }, *second[] = { "in_progress" };
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) next = NULL;
  g_autofree char *reading = NULL, *status = NULL;
  OknoPushResult r = { 0 };

  g_assert_true (okno_store_patch (f->store, c, APPEAL, 1, fields, first, &error));
  g_assert_true (okno_store_patch (f->store, c, APPEAL, 1, fields, second, &error));
  reading = new_reading (f->store, 1, &error);
  all = okno_store_outbox_list (f->store, NULL, &error);
  g_assert_cmpuint (all->len, ==, 3);

  r.mutation_id = ((OknoOutboxEntry *)all->pdata[0])->mutation_id;
  r.status = OKNO_PUSH_REJECTED;
  r.message = "An appeal in status closed cannot become assigned";
  g_assert_true (okno_store_outbox_settle (f->store, &r, 1, &error));
  g_assert_cmpint (okno_store_outbox_count (f->store, "quarantined", NULL), ==, 1);

  /* The appeal's second patch waits; the reading goes on. */
  next = okno_store_outbox_next (f->store, 100, &error);
  g_assert_cmpuint (next->len, ==, 1);
  g_assert_cmpstr (((OknoOutboxEntry *)next->pdata[0])->key, ==, reading);
  g_clear_pointer (&next, g_ptr_array_unref);

  status = status_of_appeal (f);
  g_assert_cmpstr (status, ==, "in_progress");
  g_clear_pointer (&status, g_free);

  /* Discarding the rejected patch puts the old value back and frees the next. */
  g_assert_true (okno_store_outbox_discard (f->store, r.mutation_id, &error));
  g_assert_no_error (error);
  status = status_of_appeal (f);
  g_assert_cmpstr (status, ==, "registered");
  next = okno_store_outbox_next (f->store, 100, &error);
  g_assert_cmpuint (next->len, ==, 2);
  g_assert_cmpint (okno_store_outbox_count (f->store, NULL, NULL), ==, 2);
}

static void
test_discard_create (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = new_reading (f->store, 7, &error);
  g_autoptr (OknoOutboxEntry) e = test_only_outbox_entry (f->store);
  OknoPushResult r = { e->mutation_id, OKNO_PUSH_REJECTED, 0, "meter removed" };

  g_assert_cmpstr (e->key, ==, id);
  g_assert_true (okno_store_outbox_settle (f->store, &r, 1, &error));
  g_assert_cmpint (okno_store_count (f->store, "readings", NULL), ==, 1);
  g_assert_true (okno_store_outbox_discard (f->store, e->mutation_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (okno_store_count (f->store, "readings", NULL), ==, 0);
  g_assert_false (okno_store_outbox_discard (f->store, e->mutation_id, &error));
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND);
}

static void
test_feed_keeps_local_changes (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *c = okno_collection_lookup ("appeals");
  const char *fields[] = { "urgency" }, *values[] = { "high" };
  g_autofree OknoValue *pulled = appeal_row ("assigned", 8);
  g_autofree OknoValue *again = appeal_row ("assigned", 8);
  const char *json
    = "{\"id\":\"" APPEAL "\",\"number\":\"О-2026-000001\",\"account_id\":\"" ACCOUNT
      "\",\"kind\":\"complaint\",\"channel\":\"in_person\",\"answer_channel\":"
      "\"post\",\"subject\":\"Перерасчёт\",\"body\":\"Прошу\",\"status\":\"assigned\","
      "\"urgency\":null,\"registered_at\":\"2026-11-02T09:00:00Z\",\"due_on\":"
      "\"2026-12-02\",\"assignee_id\":null,\"branch_id\":null,\"updated_at\":"
      "\"2026-11-02T09:00:00Z\",\"version\":8}";
  OknoChange ch = { c, APPEAL, 8, FALSE, pulled, json };
  g_autoptr (OknoOutboxEntry) e = NULL;
  g_autofree char *status = NULL, *before = NULL, *after = NULL;
  OknoPushResult r = { 0 };

  g_assert_true (okno_store_patch (f->store, c, APPEAL, 1, fields, values, &error));
  g_assert_true (okno_store_apply_changes (f->store, &ch, 1, 8, &error));
  g_assert_no_error (error);
  g_assert_cmpint (okno_store_get_cursor (f->store), ==, 8);
  /* The branch's change is still there; the server copy waits. */
  status = appeal_state (f);
  g_assert_cmpstr (status, ==, "registered high 6 modified");
  g_clear_pointer (&status, g_free);
  g_assert_cmpint (okno_store_count (f->store, "server_rows", NULL), ==, 1);

  e = test_only_outbox_entry (f->store);
  r.mutation_id = e->mutation_id;
  r.status = OKNO_PUSH_APPLIED;
  r.version = 7;
  g_assert_true (okno_store_outbox_settle (f->store, &r, 1, &error));
  status = status_of_appeal (f);
  g_assert_cmpstr (status, ==, "assigned");
  g_assert_cmpint (okno_store_count (f->store, "server_rows", NULL), ==, 0);

  /* The same page again changes nothing; a delete removes the record. */
  before = appeal_state (f);
  ch.values = again;
  g_assert_true (okno_store_apply_changes (f->store, &ch, 1, 8, &error));
  g_assert_no_error (error);
  after = appeal_state (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (okno_store_count (f->store, "server_rows", NULL), ==, 0);
  g_assert_cmpint (okno_store_outbox_count (f->store, NULL, NULL), ==, 0);
  ch.deleted = TRUE;
  ch.values = NULL;
  ch.json = NULL;
  ch.version = 10;
  g_assert_true (okno_store_apply_changes (f->store, &ch, 1, 10, &error));
  g_assert_cmpint (okno_store_count (f->store, "appeals", NULL), ==, 0);
  g_assert_cmpint (okno_store_get_cursor (f->store), ==, 10);
}

static void
test_resnapshot_sweeps_deleted (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *ap = okno_collection_lookup ("appeals");
  g_autofree char *reading = new_reading (f->store, 3, &error);
  const OknoCollection *m = okno_collection_lookup ("meters");
  const OknoCollection *rd = okno_collection_lookup ("readings");

  g_assert_nonnull (reading);
  /* A new snapshot (after 410) in which the appeal no longer exists, and
   * the server has not seen the reading yet. */
  g_assert_true (okno_store_snapshot_begin (f->store, 50, &error));
  g_assert_true (okno_store_apply_snapshot_page (f->store, ap, NULL, 0, NULL, TRUE, &error));
  g_assert_true (okno_store_apply_snapshot_page (f->store, m, NULL, 0, NULL, TRUE, &error));
  g_assert_true (okno_store_apply_snapshot_page (f->store, rd, NULL, 0, NULL, TRUE, &error));
  g_assert_true (okno_store_snapshot_finish (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (okno_store_count (f->store, "appeals", NULL), ==, 0);
  /* The reading made here is kept with its outbox entry. */
  g_assert_cmpint (test_db_count (okno_store_get_path (f->store),
                                  "SELECT count(*) FROM readings WHERE id = ?", reading),
                   ==, 1);
  g_assert_cmpint (okno_store_outbox_count (f->store, "pending", NULL), ==, 1);
  g_assert_cmpint (okno_store_get_cursor (f->store), ==, 50);
}

/* --- authorship and bounds on the desktop ------------------------------------------ */

#define OTHER_STAFF "00000000-0000-4000-8000-0000000000c2"
#define BRANCH      "00000000-0000-4000-8000-0000000000d1"
#define ELSEWHERE   "00000000-0000-4000-8000-0000000000d2"

/* A payment into ACCOUNT; staff and branch NULL leave them out. */
static gboolean
create_payment (OknoStore *store, gint64 kop, const char *method, const char *staff,
                const char *branch, char **id, GError **error)
{
  const OknoCollection *c = okno_collection_lookup ("payments");
  g_autofree OknoValue *v = test_row_new (c);

  *id = okno_uuid7_new ();
  test_row_set_text (c, v, "id", *id);
  test_row_set_text (c, v, "account_id", ACCOUNT);
  test_row_set_int (c, v, "amount_kop", kop);
  test_row_set_text (c, v, "paid_at", "2026-11-27T07:00:00Z");
  test_row_set_text (c, v, "method", method);
  test_row_set_text (c, v, "staff_id", staff);
  test_row_set_text (c, v, "branch_id", branch);
  return okno_store_create (store, c, v, error);
}

/* "payments outbox" counts, to see that a refusal wrote nothing. */
static char *
written (Fixture *f)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                          okno_store_count (f->store, "payments", NULL),
                          okno_store_outbox_count (f->store, NULL, NULL));
}

static void
expect_refused_payment (Fixture *f, gint64 kop, const char *method, const char *staff,
                        const char *branch)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *before = written (f), *after = NULL, *id = NULL;

  if (create_payment (f->store, kop, method, staff, branch, &id, &error))
    g_error ("a payment of %" G_GINT64_FORMAT " by %s was written", kop, method);
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
  g_assert_cmpuint (strlen (error->message), >, 0);
  after = written (f);
  g_assert_cmpstr (after, ==, before);
}

static char *
expect_payment (Fixture *f, gint64 kop, const char *method)
{
  g_autoptr (GError) error = NULL;
  char *id = NULL;

  g_assert_true (create_payment (f->store, kop, method, NULL, NULL, &id, &error));
  g_assert_no_error (error);
  return id;
}

static void
test_author_from_session (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL, *named = NULL, *staff = NULL, *branch = NULL;
  g_autoptr (OknoOutboxEntry) e = NULL;
  const char *path = okno_store_get_path (f->store);

  okno_store_set_author (f->store, STAFF, BRANCH);
  expect_refused_payment (f, 70000, "card", OTHER_STAFF, NULL);
  expect_refused_payment (f, 70000, "card", STAFF, ELSEWHERE);
  g_assert_true (create_payment (f->store, 70000, "card", NULL, NULL, &id, &error));
  g_assert_no_error (error);
  staff = test_db_text (path, "SELECT staff_id FROM payments WHERE id = ?", id);
  branch = test_db_text (path, "SELECT branch_id FROM payments WHERE id = ?", id);
  g_assert_cmpstr (staff, ==, STAFF);
  g_assert_cmpstr (branch, ==, BRANCH);
  /* The outbox sends the author the store filled in, never another. */
  e = test_only_outbox_entry (f->store);
  g_assert_nonnull (strstr (e->payload, "\"staff_id\":\"" STAFF "\""));
  g_assert_true (create_payment (f->store, 70000, "card", STAFF, BRANCH, &named, &error));
  g_assert_no_error (error);

  /* A disclosure in another's name is refused too. */
  g_assert_false (
    okno_store_log_disclosure (f->store, OTHER_STAFF, ACCOUNT, "identified", "balance", &error));
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (okno_store_count_disclosures (f->store, ACCOUNT, NULL), ==, 0);
  g_assert_true (
    okno_store_log_disclosure (f->store, STAFF, ACCOUNT, "identified", "balance", &error));
  g_assert_no_error (error);
}

/* Without okno_store_set_author, the author is whoever signed in last
 * (the session's meta); with nobody, no record names anyone. */
static void
test_author_from_meta (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL, *staff = NULL;

  expect_refused_payment (f, 100, "card", STAFF, NULL);
  g_assert_true (okno_store_set_meta (f->store, "staff_id", OTHER_STAFF, &error));
  expect_refused_payment (f, 100, "card", STAFF, NULL);
  g_assert_true (create_payment (f->store, 100, "card", NULL, NULL, &id, &error));
  g_assert_no_error (error);
  staff = test_db_text (okno_store_get_path (f->store),
                        "SELECT staff_id FROM payments WHERE id = ?", id);
  g_assert_cmpstr (staff, ==, OTHER_STAFF);
}

/* The keys of entries, in order, to compare. */
static char *
ids_of (GPtrArray *entries)
{
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "", ((OknoOutboxEntry *)entries->pdata[i])->key);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
next_keys (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) next = okno_store_outbox_next (f->store, 100, &error);

  g_assert_no_error (error);
  return ids_of (next);
}

static void
payment_as (Fixture *f, const char *staff, char **id)
{
  g_autoptr (GError) error = NULL;

  okno_store_set_author (f->store, staff, NULL);
  g_assert_true (create_payment (f->store, 100, "card", NULL, NULL, id, &error));
  g_assert_no_error (error);
}

static void
patch_as (Fixture *f, const char *staff, const char *urgency)
{
  g_autoptr (GError) error = NULL;
  const char *fields[] = { "urgency" }, *values[] = { urgency };

  okno_store_set_author (f->store, staff, NULL);
  g_assert_true (okno_store_patch (f->store, okno_collection_lookup ("appeals"), APPEAL, 1, fields,
                                   values, &error));
  g_assert_no_error (error);
}

/* okno-central refuses a record pushed with another's token: each staff
 * member's push takes only their own entries, in order, and one of theirs
 * behind someone else's entry of the same record waits too. */
static void
test_next_by_author (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL, *keys = NULL, *expected = NULL;
  g_autoptr (GPtrArray) mine = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree OknoPushResult *r = NULL;

  payment_as (f, STAFF, &p1);
  patch_as (f, STAFF, "high");
  payment_as (f, OTHER_STAFF, &p2);
  patch_as (f, OTHER_STAFF, "low");
  payment_as (f, STAFF, &p3);

  /* OTHER_STAFF pushes: only their payment; their patch waits behind STAFF's. */
  okno_store_set_author (f->store, OTHER_STAFF, NULL);
  keys = next_keys (f);
  g_assert_cmpstr (keys, ==, p2);
  g_assert_cmpint (okno_store_outbox_count_others (f->store, NULL), ==, 4);

  /* STAFF pushes: their three, in order. */
  okno_store_set_author (f->store, STAFF, NULL);
  g_clear_pointer (&keys, g_free);
  keys = next_keys (f);
  expected = g_strjoin (" ", p1, APPEAL, p3, NULL);
  g_assert_cmpstr (keys, ==, expected);
  g_assert_cmpint (okno_store_outbox_count_others (f->store, NULL), ==, 2);

  /* Once STAFF's are answered, OTHER_STAFF's go, the patch last. */
  mine = okno_store_outbox_next (f->store, 100, &error);
  r = g_new0 (OknoPushResult, mine->len);
  for (guint i = 0; i < mine->len; i++)
    {
      r[i].mutation_id = ((OknoOutboxEntry *)mine->pdata[i])->mutation_id;
      r[i].status = OKNO_PUSH_APPLIED;
      r[i].version = 10 + i;
    }
  g_assert_true (okno_store_outbox_settle (f->store, r, mine->len, &error));
  g_assert_no_error (error);
  g_assert_cmpint (okno_store_outbox_count_others (f->store, NULL), ==, 2);
  okno_store_set_author (f->store, OTHER_STAFF, NULL);
  g_clear_pointer (&keys, g_free);
  g_clear_pointer (&expected, g_free);
  keys = next_keys (f);
  expected = g_strjoin (" ", p2, APPEAL, NULL);
  g_assert_cmpstr (keys, ==, expected);
  g_assert_cmpint (okno_store_outbox_count_others (f->store, NULL), ==, 0);
  g_assert_cmpint (okno_store_outbox_count (f->store, "quarantined", NULL), ==, 0);
}

/* An entry written before authors were kept goes with anyone's token. */
static void
test_next_without_author (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = NULL, *keys = NULL;
  sqlite3 *db = NULL;

  payment_as (f, STAFF, &p1);
  g_assert_cmpint (sqlite3_open (okno_store_get_path (f->store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE outbox SET author = NULL", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);
  okno_store_set_author (f->store, OTHER_STAFF, NULL);
  keys = next_keys (f);
  g_assert_cmpstr (keys, ==, p1);
  g_assert_cmpint (okno_store_outbox_count_others (f->store, NULL), ==, 0);
}

static void
test_payment_bounds (Fixture *f, gconstpointer data)
{
  g_autofree char *one = NULL, *at_limit = NULL, *cash = NULL;

  expect_refused_payment (f, G_MAXINT64, "card", NULL, NULL);
  expect_refused_payment (f, G_MININT64, "card", NULL, NULL);
  expect_refused_payment (f, -1, "card", NULL, NULL);
  expect_refused_payment (f, 0, "card", NULL, NULL);
  expect_refused_payment (f, 50000001, "card", NULL, NULL);
  expect_refused_payment (f, 20000001, "cash", NULL, NULL);
  expect_refused_payment (f, 100000000, "cash", NULL, NULL); /* 1 000 000 ₽ */
  one = expect_payment (f, 1, "cash");
  at_limit = expect_payment (f, 50000000, "card");
  cash = expect_payment (f, 20000000, "cash");
}

static void
set_policy (OknoStore *store, const char *key, const char *value)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *c = okno_collection_lookup ("policy");
  g_autofree OknoValue *v = test_row_new (c);

  test_row_set_text (c, v, "key", key);
  test_row_set_text (c, v, "value", value);
  test_row_set_int (c, v, "version", 7);
  g_assert_true (okno_store_snapshot_begin (store, 7, &error));
  g_assert_true (okno_store_apply_snapshot_page (store, c, v, 1, key, TRUE, &error));
  g_assert_true (okno_store_snapshot_finish (store, &error));
  g_assert_no_error (error);
}

/* The replica's policy sets the limits; a malformed value keeps the
 * fallback rather than lifting the limit. */
static void
test_policy_bounds (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *r = NULL;

  set_policy (f->store, "payment_max_kop", "1000");
  a = expect_payment (f, 1000, "card");
  expect_refused_payment (f, 1001, "card", NULL, NULL);
  set_policy (f->store, "payment_max_kop", "a lot");
  g_test_expect_message ("okno-store", G_LOG_LEVEL_WARNING, "Policy ignored: *payment_max_kop*");
  b = expect_payment (f, 1001, "card");
  g_test_expect_message ("okno-store", G_LOG_LEVEL_WARNING, "Policy ignored: *payment_max_kop*");
  expect_refused_payment (f, 50000001, "card", NULL, NULL);
  g_test_assert_expected_messages ();
  set_policy (f->store, "payment_max_kop", "50000000");
  set_policy (f->store, "reading_max_digits", "3");
  g_assert_null (new_reading (f->store, 1000, &error));
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
  g_clear_error (&error);
  r = new_reading (f->store, 999, &error);
  g_assert_no_error (error);
}

static void
test_reading_bounds (Fixture *f, gconstpointer data)
{
  const gint64 bad[] = { G_MAXINT64, 100000000, -1, G_MININT64 };
  const gint64 good[] = { 0, 99999999 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *id = new_reading (f->store, bad[i], &error);

      g_assert_null (id);
      g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
    }
  g_assert_cmpint (okno_store_count (f->store, "readings", NULL), ==, 0);
  g_assert_cmpint (okno_store_outbox_count (f->store, NULL, NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *id = new_reading (f->store, good[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (id);
    }
}

/* Rows from the server are not judged again: two of INT64_MAX kopecks
 * arrive as they are, and SQLite's SUM over them is an error ("integer
 * overflow") through okno_db, not a wrapped-around total or a crash. */
static void
test_sum_overflow_is_an_error (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const OknoCollection *c = okno_collection_lookup ("payments");
  g_autofree OknoValue *rows = g_new0 (OknoValue, 2 * c->n_fields);
  const char *keys[]
    = { "00000000-0000-4000-8000-0000000000f1", "00000000-0000-4000-8000-0000000000f2" };
  g_autoptr (OknoDb) db = NULL;
  sqlite3_stmt *stmt;

  for (guint r = 0; r < 2; r++)
    {
      OknoValue *v = rows + r * c->n_fields;

      for (guint i = 0; i < c->n_fields; i++)
        v[i].is_null = TRUE;
      test_row_set_text (c, v, "id", keys[r]);
      test_row_set_text (c, v, "account_id", ACCOUNT);
      test_row_set_int (c, v, "amount_kop", G_MAXINT64);
      test_row_set_text (c, v, "paid_at", "2026-11-27T07:00:00Z");
      test_row_set_text (c, v, "method", "card");
      test_row_set_int (c, v, "version", 8);
    }
  g_assert_true (okno_store_snapshot_begin (f->store, 8, &error));
  g_assert_true (okno_store_apply_snapshot_page (f->store, c, rows, 2, keys[1], TRUE, &error));
  g_assert_true (okno_store_snapshot_finish (f->store, &error));
  g_assert_no_error (error);

  db = okno_db_open (okno_store_get_path (f->store), OKNO_DB_READ_ONLY, &error);
  g_assert_no_error (error);
  stmt = okno_db_prepare (db, "SELECT sum (amount_kop) FROM payments", &error);
  g_assert_no_error (error);
  g_assert_cmpint (okno_db_step (db, stmt, &error), <, 0);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "integer overflow"));
  sqlite3_reset (stmt);
}

#define ADD(path, fn) g_test_add (path, Fixture, NULL, setup, fn, test_replica_teardown)

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  ADD ("/outbox/create", test_create);
  ADD ("/outbox/create-invalid-writes-nothing", test_create_invalid_writes_nothing);
  ADD ("/outbox/patch-and-settle", test_patch_and_settle);
  ADD ("/outbox/quarantine-holds-only-its-record", test_quarantine_holds_only_its_record);
  ADD ("/outbox/discard-create", test_discard_create);
  ADD ("/outbox/author-from-session", test_author_from_session);
  g_test_add ("/outbox/author-from-meta", Fixture, NULL, setup_signed_out, test_author_from_meta,
              test_replica_teardown);
  ADD ("/outbox/next-by-author", test_next_by_author);
  ADD ("/outbox/next-without-author", test_next_without_author);
  ADD ("/outbox/payment-bounds", test_payment_bounds);
  ADD ("/outbox/policy-bounds", test_policy_bounds);
  ADD ("/outbox/reading-bounds", test_reading_bounds);
  ADD ("/outbox/sum-overflow-is-an-error", test_sum_overflow_is_an_error);
  ADD ("/feed/keeps-local-changes", test_feed_keeps_local_changes);
  ADD ("/feed/resnapshot-sweeps-deleted", test_resnapshot_sweeps_deleted);
  return g_test_run ();
}
