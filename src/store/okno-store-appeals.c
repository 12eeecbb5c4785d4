/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The appeal register of OknoStore: an appeal numbered, its due date
 * counted and its records written with their outbox entries in one
 * transaction (docs/appeals.md, "Registration" and "Numbers"). */

#include <glib/gi18n-lib.h>

#include "okno-appeal-number.h"
#include "okno-meta-keys.h"
#include "okno-store-private.h"
#include "okno-uuid.h"

typedef struct
{
  GDateTime *registered; /* UTC */
  char *registered_at;   /* "YYYY-MM-DDTHH:MM:SSZ" */
  int year;              /* of registration, in the branch's zone */
  char *due_on;          /* "YYYY-MM-DD", the answer's last day */
  char *calendar_version;
} Terms;

static void
terms_clear (Terms *terms)
{
  g_clear_pointer (&terms->registered, g_date_time_unref);
  g_free (terms->registered_at);
  g_free (terms->due_on);
  g_free (terms->calendar_version);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Terms, terms_clear)

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, OKNO_STORE_ERROR, OKNO_STORE_ERROR_INVALID, message);
  return FALSE;
}

/* The core's answer rule on the replica's calendar (the shipped one until
 * the first download brings the server's), in the branch's zone. */
static gboolean
count_terms (OknoStore *self, GDateTime *at, Terms *terms, GError **error)
{
  g_autoptr (OknoCalendar) calendar = okno_store_load_calendar (self, error);
  g_autofree char *zone_name
    = okno_store_get_policy (self, "branch_time_zone", OKNO_BRANCH_TIME_ZONE);
  g_autofree char *days
    = okno_store_get_policy (self, "appeal_answer_days", OKNO_APPEAL_ANSWER_DAYS);
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (OknoDeadline) deadline = NULL;

  if (calendar == NULL)
    return FALSE;
  if (okno_calendar_get_n_days (calendar) == 0)
    {
      g_object_unref (calendar);
      calendar = okno_calendar_new_shipped ();
    }
  if ((zone = okno_branch_time_zone_new (zone_name, error)) == NULL)
    return FALSE;
  terms->registered = at ? g_date_time_to_utc (at) : g_date_time_new_now_utc ();
  terms->registered_at = g_date_time_format (terms->registered, "%Y-%m-%dT%H:%M:%SZ");
  local = g_date_time_to_timezone (terms->registered, zone);
  terms->year = g_date_time_get_year (local);
  deadline = okno_appeal_answer_deadline (terms->registered, days, 0, zone, calendar, error);
  if (deadline == NULL)
    return FALSE;
  terms->due_on = g_date_time_format (deadline->due, "%Y-%m-%d");
  terms->calendar_version = g_strdup (deadline->calendar_version);
  return TRUE;
}

/* The branch's code, as the replica has it. */
static char *
branch_code (OknoStore *self, const char *branch_id, GError **error)
{
  sqlite3_stmt *stmt
    = okno_db_prepare (self->writer, "SELECT code FROM branches WHERE id = ?", error);
  char *code = NULL;

  if (stmt == NULL)
    return NULL;
  _okno_store_bind_uuid (stmt, 1, branch_id);
  if (okno_db_step (self->writer, stmt, error) == SQLITE_ROW)
    code = g_strdup (TEXT (stmt, 0));
  sqlite3_reset (stmt);
  if (code == NULL && error && *error == NULL)
    invalid (error, _ ("Your branch is not in the local database yet. Synchronise once, "
                       "then register the appeal."));
  return code;
}

/* This computer's desk code in branch, or 0: kept per branch at sign-in;
 * a replica signed in before that was kept has the signed-in staff
 * member's only, right when that person is of the same branch. */
static gint64
desk_code_in (OknoStore *self, const char *branch)
{
  g_autofree char *key = okno_meta_key_for (OKNO_META_DESK_CODE, branch);
  g_autofree char *desk = _okno_store_get_meta (self->writer, key, NULL);

  if (desk == NULL)
    {
      g_autofree char *signed_in
        = _okno_store_get_meta (self->writer, OKNO_META_STAFF_BRANCH_ID, NULL);

      if (signed_in == NULL || g_strcmp0 (signed_in, branch) == 0)
        desk = _okno_store_get_meta (self->writer, OKNO_META_STAFF_DESK_CODE, NULL);
    }
  return desk ? g_ascii_strtoll (desk, NULL, 10) : 0;
}

/* The next number of this desktop in the author's branch and the year,
 * with the sequence it takes: the meta key is written in the caller's
 * transaction, so a number is used once or not at all. */
static char *
next_number (OknoStore *self, int year, GError **error)
{
  g_autofree char *staff = NULL, *branch = NULL, *code = NULL;
  g_autofree char *key = NULL, *last = NULL, *next = NULL;
  gint64 desk_code, sequence;
  char *number;

  staff = _okno_store_author (self, self->writer, &branch);
  if (staff == NULL || branch == NULL)
    {
      invalid (error, _ ("Only a staff member of a branch who has signed in registers appeals. "
                         "Sign in, then register the appeal."));
      return NULL;
    }
  desk_code = desk_code_in (self, branch);
  if (desk_code < 1 || desk_code > OKNO_DESK_CODE_MAX)
    {
      invalid (error, _ ("This computer has no desk code to number appeals with yet. Sign in "
                         "online once on this computer, then register the appeal."));
      return NULL;
    }
  if ((code = branch_code (self, branch, error)) == NULL)
    return NULL;
  key = g_strdup_printf ("%s:%s:%d", OKNO_STORE_APPEAL_SEQUENCE, branch, year);
  last = _okno_store_get_meta (self->writer, key, NULL);
  sequence = (last ? g_ascii_strtoll (last, NULL, 10) : 0) + 1;
  if ((number = okno_appeal_number_compose (code, desk_code, year, sequence, error)) == NULL)
    return NULL;
  next = g_strdup_printf ("%" G_GINT64_FORMAT, sequence);
  if (!_okno_store_set_meta (self->writer, key, next, error))
    g_clear_pointer (&number, g_free);
  return number;
}

static gboolean
write_appeal (OknoStore *self, const OknoAppealRequest *r, const char *id, const char *number,
              const Terms *terms, GError **error)
{
  const OknoCollection *c = okno_collection_lookup ("appeals");
  const OknoAppealRegistration *reg = &r->registration;
  g_autofree OknoValue *v = okno_row_new (c);
  g_autofree char *branch = NULL, *staff = _okno_store_author (self, self->writer, &branch);

  okno_row_set_text (c, v, "id", id);
  okno_row_set_text (c, v, "number", number);
  okno_row_set_text (c, v, "account_id", reg->account_id);
  okno_row_set_text (c, v, "kind", reg->kind);
  okno_row_set_text (c, v, "channel", reg->channel);
  /* Without contact details there is no one to answer: the answer stays
   * with the branch, in person (the lifecycle leaves it without action). */
  okno_row_set_text (c, v, "answer_channel",
                     reg->answer_channel ? reg->answer_channel : "in_person");
  okno_row_set_text (c, v, "subject", reg->subject);
  okno_row_set_text (c, v, "body", r->body ? r->body : "");
  okno_row_set_text (c, v, "status", "registered");
  okno_row_set_text (c, v, "urgency", r->urgency);
  okno_row_set_text (c, v, "registered_at", terms->registered_at);
  okno_row_set_text (c, v, "due_on", terms->due_on);
  okno_row_set_text (c, v, "branch_id", branch);
  okno_row_set_text (c, v, "updated_at", terms->registered_at);
  okno_row_set_text (c, v, "applicant_name", reg->account_id ? NULL : reg->applicant_name);
  okno_row_set_text (c, v, "answer_address", reg->answer_address);
  okno_row_set_text (c, v, "topic_id", r->topic_id);
  okno_row_set_text (c, v, "registered_by", staff);
  okno_row_set_text (c, v, "calendar_version", terms->calendar_version);
  okno_row_set_int (c, v, "version", 0);
  return _okno_store_create_in_transaction (self, c, v, error);
}

static gboolean
write_document (OknoStore *self, const char *appeal_id, const OknoAppealDocumentSpec *document,
                GError **error)
{
  const OknoCollection *c = okno_collection_lookup ("appeal_documents");
  g_autofree OknoValue *v = okno_row_new (c);
  g_autofree char *id = okno_uuid7_new ();
  gint64 pages = document->pages;
  g_autoptr (GError) problem = NULL;

  if (!okno_appeal_document_check (document->title, document->pages > 0 ? &pages : NULL, &problem))
    return invalid (error, problem->message);
  okno_row_set_text (c, v, "id", id);
  okno_row_set_text (c, v, "appeal_id", appeal_id);
  okno_row_set_text (c, v, "title", document->title);
  okno_row_set_int (c, v, "original", document->original ? 1 : 0);
  if (document->pages > 0)
    okno_row_set_int (c, v, "pages", document->pages);
  okno_row_set_int (c, v, "version", 0);
  return _okno_store_create_in_transaction (self, c, v, error);
}

static gboolean
write_event (OknoStore *self, const char *appeal_id, const char *number, const Terms *terms,
             GError **error)
{
  const OknoCollection *c = okno_collection_lookup ("appeal_events");
  g_autofree OknoValue *v = okno_row_new (c);
  g_autofree char *id = okno_uuid7_new ();

  okno_row_set_text (c, v, "id", id);
  okno_row_set_text (c, v, "appeal_id", appeal_id);
  okno_row_set_text (c, v, "at", terms->registered_at);
  okno_row_set_text (c, v, "kind", "registered");
  /* The history says what the register set: the status, from nothing. */
  okno_row_set_text (c, v, "field", "status");
  okno_row_set_text (c, v, "new_value", "registered");
  okno_row_set_text (c, v, "text", number);
  okno_row_set_int (c, v, "version", 0);
  return _okno_store_create_in_transaction (self, c, v, error);
}

static char *
register_locked (OknoStore *self, const OknoAppealRequest *r, const char *id, const Terms *terms,
                 GError **error)
{
  g_autofree char *number = next_number (self, terms->year, error);

  if (number == NULL || !write_appeal (self, r, id, number, terms, error))
    return NULL;
  for (guint i = 0; i < r->n_documents; i++)
    if (!write_document (self, id, &r->documents[i], error))
      return NULL;
  if (!write_event (self, id, number, terms, error))
    return NULL;
  return g_steal_pointer (&number);
}

char *
okno_store_register_appeal (OknoStore *self, const OknoAppealRequest *request, char **id,
                            GError **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GError) problem = NULL;
  g_autofree char *appeal_id = okno_uuid7_new ();
  g_auto (Terms) terms = { 0 };
  char *number;

  g_return_val_if_fail (OKNO_IS_STORE (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  if (!okno_appeal_registration_check (&request->registration, &problem))
    {
      invalid (error, problem->message);
      return NULL;
    }
  if (!count_terms (self, request->registered_at, &terms, error))
    return NULL;
  locker = _okno_store_lock (self, &self->writer_lock, G_STRFUNC);
  if (!okno_db_begin (self->writer, error))
    return NULL;
  number = register_locked (self, request, appeal_id, &terms, error);
  if (number == NULL || !okno_db_commit (self->writer, error))
    {
      okno_db_rollback (self->writer);
      g_clear_pointer (&number, g_free);
      return NULL;
    }
  if (id)
    *id = g_steal_pointer (&appeal_id);
  return number;
}

char *
okno_store_find_appeal_topic (OknoStore *self, const char *code, GError **error)
{
  g_autoptr (GMutexLocker) locker = _okno_store_lock (self, &self->reader_lock, G_STRFUNC);
  sqlite3_stmt *stmt = okno_db_prepare (
    self->reader, "SELECT okno_uuid_text (id) FROM appeal_topics WHERE code = ? AND active", error);
  char *id = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  if (okno_db_step (self->reader, stmt, error) == SQLITE_ROW)
    id = g_strdup (TEXT (stmt, 0));
  sqlite3_reset (stmt);
  return id;
}
