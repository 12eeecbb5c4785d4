/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Resolving an appeal conflict in the replica: the appeal's new value, the
 * conflict's resolved state and the outbox entry in one transaction, and
 * what the answers and the change feed then do to them. */

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "okno-store.h"
#include "okno-uuid.h"
#include "test-db.h"
#include "test-replica.h"
#include "test-rows.h"

#define APPEAL   "00000000-0000-4000-8000-0000000000b1"
#define STAFF    "00000000-0000-4000-8000-0000000000c1"
#define CONFLICT "00000000-0000-4000-8000-0000000000d1"
#define MUTATION "00000000-0000-4000-8000-0000000000e1"

typedef TestReplica Fixture;

static OknoValue *
appeal_row (const char *subject, gint64 version)
{
  return test_appeal_row (APPEAL, NULL, subject, "in_progress", version);
}

/* The conflict as the server raised it: this branch's subject "Наша тема"
 * lost to "Их тема", which the appeal now shows. */
static OknoValue *
conflict_row (const char *field, const char *ours, const char *theirs, const char *resolved_by,
              const char *resolution, gint64 version)
{
  const OknoCollection *c = okno_collection_lookup ("appeal_conflicts");
  OknoValue *v = g_new0 (OknoValue, c->n_fields);

  for (guint i = 0; i < c->n_fields; i++)
    v[i].is_null = c->fields[i].nullable;
  test_row_set_text (c, v, "id", CONFLICT);
  test_row_set_text (c, v, "appeal_id", APPEAL);
  test_row_set_text (c, v, "field", field);
  test_row_set_text (c, v, "base", "Перерасчёт");
  test_row_set_text (c, v, "ours", ours);
  test_row_set_text (c, v, "theirs", theirs);
  test_row_set_text (c, v, "mutation_id", MUTATION);
  test_row_set_text (c, v, "raised_by", STAFF);
  test_row_set_text (c, v, "raised_at", "2026-11-27T08:00:00Z");
  if (resolved_by)
    {
      test_row_set_text (c, v, "resolved_at", "2026-11-27T09:00:00Z");
      test_row_set_text (c, v, "resolved_by", resolved_by);
      test_row_set_text (c, v, "resolution", resolution);
    }
  test_row_set_int (c, v, "version", version);
  return v;
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree OknoValue *appeal = appeal_row ("Их тема", 6);
  g_autofree OknoValue *conflict = conflict_row ("subject", "Наша тема", "Их тема", NULL, NULL, 6);

  test_replica_setup (f, data);
  g_assert_true (okno_store_snapshot_begin (f->store, 6, &error));
  g_assert_true (okno_store_apply_snapshot_page (f->store, okno_collection_lookup ("appeals"),
                                                 appeal, 1, APPEAL, TRUE, &error));
  g_assert_true (okno_store_apply_snapshot_page (
    f->store, okno_collection_lookup ("appeal_conflicts"), conflict, 1, CONFLICT, TRUE, &error));
  g_assert_true (okno_store_snapshot_finish (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (okno_store_count_conflicts (f->store, NULL), ==, 1);
}

static void
assert_value (Fixture *f, const char *sql, const char *expected)
{
  g_autofree char *value = test_db_text (okno_store_get_path (f->store), sql, NULL);

  g_assert_cmpstr (value, ==, expected);
}

static void
settle (Fixture *f, const char *mutation_id, OknoPushStatus status, gint64 version)
{
  g_autoptr (GError) error = NULL;
  OknoPushResult r = { mutation_id, status, version, "An appeal in status closed cannot change" };

  g_assert_true (okno_store_outbox_settle (f->store, &r, 1, &error));
  g_assert_no_error (error);
}

/* Staff combine both texts: one transaction writes the appeal, the
 * conflict's resolved state and one "resolve" entry of the appeal. */
static void
test_combine (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoOutboxEntry) e = NULL;
  g_autoptr (GPtrArray) listed = NULL;

  g_assert_true (
    okno_store_resolve_conflict (f->store, CONFLICT, "Их тема; Наша тема", STAFF, &error));
  g_assert_no_error (error);
  assert_value (f, "SELECT subject FROM appeals", "Их тема; Наша тема");
  assert_value (f, "SELECT local_state FROM appeals", "modified");
  assert_value (f, "SELECT resolved_by FROM appeal_conflicts", STAFF);
  assert_value (f, "SELECT resolution FROM appeal_conflicts", "Их тема; Наша тема");
  assert_value (f, "SELECT resolved_at IS NOT NULL FROM appeal_conflicts", "1");

  e = test_only_outbox_entry (f->store);
  g_assert_cmpstr (e->collection, ==, "appeals");
  g_assert_cmpstr (e->key, ==, APPEAL);
  g_assert_cmpstr (e->op, ==, "resolve");
  g_assert_cmpint (e->base_version, ==, 6);
  g_assert_true (okno_text_is_uuid (e->mutation_id));
  g_assert_nonnull (strstr (e->payload, "\"conflict_id\":\"" CONFLICT "\""));
  g_assert_nonnull (strstr (e->payload, "\"field\":\"subject\""));
  g_assert_nonnull (strstr (e->payload, "\"from\":\"Их тема\""));
  g_assert_nonnull (strstr (e->payload, "\"to\":\"Их тема; Наша тема\""));

  /* Gone from the list and the count at once. */
  g_assert_cmpint (okno_store_count_conflicts (f->store, NULL), ==, 0);
  listed = okno_store_list_conflicts (f->store, &error);
  g_assert_cmpuint (listed->len, ==, 0);

  /* A second resolution of the same conflict is refused and writes nothing. */
  g_assert_false (okno_store_resolve_conflict (f->store, CONFLICT, "Наша тема", STAFF, &error));
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
  g_assert_cmpint (okno_store_outbox_count (f->store, NULL, NULL), ==, 1);
  assert_value (f, "SELECT subject FROM appeals", "Их тема; Наша тема");

  /* Answered: the entry leaves, the appeal is in step at the new version. */
  settle (f, e->mutation_id, OKNO_PUSH_APPLIED, 9);
  g_assert_cmpint (okno_store_outbox_count (f->store, NULL, NULL), ==, 0);
  assert_value (f, "SELECT local_state || ' ' || version FROM appeals", "synced 9");
  g_assert_cmpint (okno_store_count_conflicts (f->store, NULL), ==, 0);
}

/* Keeping the server's value changes nothing in the appeal but still
 * settles the conflict on the server. */
static void
test_keep_server_value (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoOutboxEntry) e = NULL;

  g_assert_true (okno_store_resolve_conflict (f->store, CONFLICT, "Их тема", STAFF, &error));
  g_assert_no_error (error);
  assert_value (f, "SELECT subject || ' ' || local_state FROM appeals", "Их тема synced");
  e = test_only_outbox_entry (f->store);
  g_assert_nonnull (strstr (e->payload, "\"from\":\"Их тема\",\"to\":\"Их тема\""));
  g_assert_cmpint (okno_store_count_conflicts (f->store, NULL), ==, 0);
}

/* Nothing is written when the conflict, its appeal or the value is wrong. */
static void
test_refusals_write_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree OknoValue *status = conflict_row ("status", "answered", "in_progress", NULL, NULL, 7);
  g_autofree OknoValue *orphan = conflict_row ("subject", "А", "Б", NULL, NULL, 7);
  const OknoCollection *c = okno_collection_lookup ("appeal_conflicts");
  OknoChange changes[2] = { { c, CONFLICT, 7, FALSE, status, "{}" } };

  g_assert_false (okno_store_resolve_conflict (f->store, "00000000-0000-4000-8000-0000000000ff",
                                               "Наша тема", STAFF, &error));
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (okno_store_resolve_conflict (f->store, CONFLICT, NULL, STAFF, &error));
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A status conflict takes only a status. */
  g_assert_true (okno_store_apply_changes (f->store, changes, 1, 7, &error));
  g_assert_false (okno_store_resolve_conflict (f->store, CONFLICT, "почти готово", STAFF, &error));
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A conflict whose appeal is not in the replica cannot be resolved here. */
  test_row_set_text (c, orphan, "id", "00000000-0000-4000-8000-0000000000d2");
  test_row_set_text (c, orphan, "appeal_id", "00000000-0000-4000-8000-0000000000b2");
  changes[0] = (OknoChange){ c, "00000000-0000-4000-8000-0000000000d2", 8, FALSE, orphan, "{}" };
  g_assert_true (okno_store_apply_changes (f->store, changes, 1, 8, &error));
  g_assert_false (okno_store_resolve_conflict (f->store, "00000000-0000-4000-8000-0000000000d2",
                                               "А", STAFF, &error));
  g_assert_error (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_NOT_FOUND);

  g_assert_cmpint (okno_store_outbox_count (f->store, NULL, NULL), ==, 0);
  assert_value (f, "SELECT subject || ' ' || status FROM appeals", "Их тема in_progress");
  g_assert_cmpint (okno_store_count_conflicts (f->store, NULL), ==, 2);
}

/* Pulled before the entry is answered: the server's copies of the appeal
 * and of the still-open conflict do not bring the conflict back; once
 * answered, the feed's settled row stays. */
static void
test_feed_while_waiting (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoOutboxEntry) e = NULL;
  g_autofree OknoValue *appeal = appeal_row ("Их тема", 6);
  g_autofree OknoValue *open = conflict_row ("subject", "Наша тема", "Их тема", NULL, NULL, 6);
  g_autofree OknoValue *settled
    = conflict_row ("subject", "Наша тема", "Их тема", STAFF, "Наша тема", 9);
  g_autofree OknoValue *answered = appeal_row ("Наша тема", 9);
  const char *appeal_json
    = "{\"id\":\"" APPEAL "\",\"number\":\"О-2026-000001\","
      "\"account_id\":null,\"kind\":\"complaint\",\"channel\":\"in_person\","
      "\"answer_channel\":\"post\",\"subject\":\"Их тема\",\"body\":\"Прошу\","
      "\"status\":\"in_progress\",\"urgency\":null,\"registered_at\":"
      "\"2026-11-02T09:00:00Z\",\"due_on\":\"2026-12-02\",\"assignee_id\":"
      "null,\"branch_id\":null,\"updated_at\":\"2026-11-02T09:00:00Z\","
      "\"version\":6}";
  const OknoCollection *ap = okno_collection_lookup ("appeals");
  const OknoCollection *c = okno_collection_lookup ("appeal_conflicts");
  OknoChange page[]
    = { { ap, APPEAL, 6, FALSE, appeal, appeal_json }, { c, CONFLICT, 6, FALSE, open, "{}" } };
  OknoChange later[]
    = { { ap, APPEAL, 9, FALSE, answered, "{}" }, { c, CONFLICT, 9, FALSE, settled, "{}" } };

  g_assert_true (okno_store_resolve_conflict (f->store, CONFLICT, "Наша тема", STAFF, &error));
  g_assert_true (okno_store_apply_changes (f->store, page, G_N_ELEMENTS (page), 6, &error));
  g_assert_no_error (error);
  assert_value (f, "SELECT subject FROM appeals", "Наша тема");
  g_assert_cmpint (okno_store_count_conflicts (f->store, NULL), ==, 0);

  e = test_only_outbox_entry (f->store);
  settle (f, e->mutation_id, OKNO_PUSH_APPLIED, 9);
  g_assert_true (okno_store_apply_changes (f->store, later, G_N_ELEMENTS (later), 9, &error));
  g_assert_no_error (error);
  assert_value (f, "SELECT subject || ' ' || version FROM appeals", "Наша тема 9");
  assert_value (f, "SELECT resolution || ' ' || version FROM appeal_conflicts", "Наша тема 9");
  g_assert_cmpint (okno_store_count_conflicts (f->store, NULL), ==, 0);
}

/* A refused resolution stays visible as a refused change; discarding it
 * puts the value back and opens the conflict again. */
static void
test_discard_reopens (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OknoOutboxEntry) e = NULL;
  g_autoptr (GPtrArray) listed = NULL;

  g_assert_true (okno_store_resolve_conflict (f->store, CONFLICT, "Наша тема", STAFF, &error));
  e = test_only_outbox_entry (f->store);
  settle (f, e->mutation_id, OKNO_PUSH_REJECTED, 0);
  g_assert_cmpint (okno_store_outbox_count (f->store, "quarantined", NULL), ==, 1);
  g_assert_cmpint (okno_store_count_conflicts (f->store, NULL), ==, 0);

  g_assert_true (okno_store_outbox_discard (f->store, e->mutation_id, &error));
  g_assert_no_error (error);
  assert_value (f, "SELECT subject || ' ' || local_state FROM appeals", "Их тема synced");
  assert_value (f, "SELECT resolved_at IS NULL AND resolution IS NULL FROM appeal_conflicts", "1");
  listed = okno_store_list_conflicts (f->store, &error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (((OknoAppealConflict *)listed->pdata[0])->current, ==, "Их тема");
  g_assert_true (((OknoAppealConflict *)listed->pdata[0])->in_replica);
}

/* The list gives the appeal's value now, which may be newer than the one
 * the server kept when the conflict was raised. */
static void
test_list_current_value (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) listed = NULL;
  g_autofree OknoValue *newer = appeal_row ("Ещё новее", 8);
  OknoChange ch = { okno_collection_lookup ("appeals"), APPEAL, 8, FALSE, newer, "{}" };
  OknoAppealConflict *c;

  g_assert_true (okno_store_apply_changes (f->store, &ch, 1, 8, &error));
  listed = okno_store_list_conflicts (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  c = listed->pdata[0];
  g_assert_cmpstr (c->theirs, ==, "Их тема");
  g_assert_cmpstr (c->current, ==, "Ещё новее");
  g_assert_cmpstr (c->ours, ==, "Наша тема");
  g_assert_cmpstr (c->appeal_number, ==, "О-2026-000001");
}

#define ADD(path, fn) g_test_add (path, Fixture, NULL, setup, fn, test_replica_teardown)

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  ADD ("/conflicts/combine", test_combine);
  ADD ("/conflicts/keep-server-value", test_keep_server_value);
  ADD ("/conflicts/refusals-write-nothing", test_refusals_write_nothing);
  ADD ("/conflicts/feed-while-waiting", test_feed_while_waiting);
  ADD ("/conflicts/discard-reopens", test_discard_reopens);
  ADD ("/conflicts/list-current-value", test_list_current_value);
  return g_test_run ();
}
