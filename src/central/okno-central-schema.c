/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The central database: the shared collections (same table and column
 * names as the descriptors in okno-collection.c), the global commit
 * sequence that fills their version columns, and staff credentials and
 * sessions. Steps are frozen once released; a change is a new step. */

#include "okno-central-schema.h"

#include <string.h>

#include "okno-central-error.h"
#include "okno-collection.h"

/* Tables are WITHOUT ROWID: a snapshot page is then one range scan of the
 * primary key, reading rows in the order they are sent. There is no index
 * on version: the change feed (a later step) needs a log of changes anyway,
 * since a deleted row has no version left to find it by, and the index
 * would cost a third of the time and a fifth of the size of a dataset. */
static const char schema_v1[]
  = "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"

    /* One row per committed write transaction; version columns take its seq. */
    "CREATE TABLE commits (seq INTEGER PRIMARY KEY AUTOINCREMENT, committed_at TEXT NOT NULL,"
    "  origin TEXT NOT NULL);"

    "CREATE TABLE policy (key TEXT PRIMARY KEY, value TEXT NOT NULL, note TEXT,"
    "  version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE calendar_days (day TEXT PRIMARY KEY, kind TEXT NOT NULL, note TEXT,"
    "  version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE branches (id TEXT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL,"
    "  kind TEXT NOT NULL, address TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE staff (id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE,"
    "  full_name TEXT NOT NULL, role TEXT NOT NULL,"
    "  branch_id TEXT REFERENCES branches (id), active INTEGER NOT NULL,"
    "  version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE queue_topics (id TEXT PRIMARY KEY, code TEXT NOT NULL, title TEXT NOT NULL,"
    "  avg_minutes INTEGER NOT NULL, sort_order INTEGER NOT NULL, active INTEGER NOT NULL,"
    "  version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE windows (id TEXT PRIMARY KEY,"
    "  branch_id TEXT NOT NULL REFERENCES branches (id), number INTEGER NOT NULL,"
    "  title TEXT NOT NULL, topic_codes TEXT, active INTEGER NOT NULL,"
    "  version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE kb_articles (id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL,"
    "  tags TEXT, updated_at TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE accounts (id TEXT PRIMARY KEY, number TEXT NOT NULL, kind TEXT NOT NULL,"
    "  holder TEXT NOT NULL, inn TEXT, address TEXT NOT NULL, phones TEXT, email TEXT,"
    "  answer_channel TEXT NOT NULL, capacity_kw REAL NOT NULL, special_category TEXT NOT NULL,"
    "  balance_kop INTEGER NOT NULL, branch_id TEXT REFERENCES branches (id),"
    "  updated_at TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE meters (id TEXT PRIMARY KEY,"
    "  account_id TEXT NOT NULL REFERENCES accounts (id), serial TEXT NOT NULL,"
    "  model TEXT NOT NULL, zones INTEGER NOT NULL, location TEXT, installed_on TEXT,"
    "  verification_due TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE readings (id TEXT PRIMARY KEY,"
    "  meter_id TEXT NOT NULL REFERENCES meters (id), taken_on TEXT NOT NULL,"
    "  t1 INTEGER NOT NULL, t2 INTEGER, t3 INTEGER, source TEXT NOT NULL,"
    "  accepted_at TEXT NOT NULL, staff_id TEXT REFERENCES staff (id),"
    "  version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE payments (id TEXT PRIMARY KEY,"
    "  account_id TEXT NOT NULL REFERENCES accounts (id), amount_kop INTEGER NOT NULL,"
    "  paid_at TEXT NOT NULL, method TEXT NOT NULL, branch_id TEXT REFERENCES branches (id),"
    "  receipt TEXT, staff_id TEXT REFERENCES staff (id),"
    "  version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE appeals (id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE,"
    "  account_id TEXT REFERENCES accounts (id), kind TEXT NOT NULL, channel TEXT NOT NULL,"
    "  answer_channel TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,"
    "  status TEXT NOT NULL, urgency TEXT, registered_at TEXT NOT NULL, due_on TEXT NOT NULL,"
    "  assignee_id TEXT REFERENCES staff (id), branch_id TEXT REFERENCES branches (id),"
    "  updated_at TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE appeal_events (id TEXT PRIMARY KEY,"
    "  appeal_id TEXT NOT NULL REFERENCES appeals (id), at TEXT NOT NULL,"
    "  staff_id TEXT REFERENCES staff (id), kind TEXT NOT NULL, text TEXT,"
    "  version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE feedback (id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
    "  branch_id TEXT REFERENCES branches (id), account_id TEXT REFERENCES accounts (id),"
    "  author TEXT, text TEXT NOT NULL, written_at TEXT NOT NULL, urgency TEXT,"
    "  reviewed_by TEXT REFERENCES staff (id), reviewed_at TEXT,"
    "  version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE appointments (id TEXT PRIMARY KEY,"
    "  branch_id TEXT NOT NULL REFERENCES branches (id),"
    "  topic_id TEXT NOT NULL REFERENCES queue_topics (id), starts_at TEXT NOT NULL,"
    "  client_name TEXT NOT NULL, phone TEXT, account_id TEXT REFERENCES accounts (id),"
    "  status TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;"

    /* Server-only: never part of a snapshot. Only slow salted hashes of
   * passwords and SHA-256 digests of access tokens are kept. */
    "CREATE TABLE credentials (staff_id TEXT PRIMARY KEY REFERENCES staff (id),"
    "  password_hash TEXT NOT NULL, changed_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY,"
    "  staff_id TEXT NOT NULL REFERENCES staff (id), device_id TEXT NOT NULL,"
    "  created_at TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX sessions_expiry ON sessions (expires_at);";

/* Sync: the two new shared collections, the change log the feed reads,
 * the push ledger that makes every mutation count once, and refresh tokens.
 * A database made by step 1 logged nothing, so its whole history up to now
 * is below the log's floor (meta changes_floor): a cursor at or above it is
 * served from the log, an older one must take a new snapshot. */
static const char schema_v2[]
  = "CREATE TABLE appeal_conflicts (id TEXT PRIMARY KEY,"
    "  appeal_id TEXT NOT NULL REFERENCES appeals (id), field TEXT NOT NULL, base TEXT,"
    "  ours TEXT, theirs TEXT, mutation_id TEXT NOT NULL, raised_by TEXT REFERENCES staff (id),"
    "  changed_by TEXT REFERENCES staff (id), raised_at TEXT NOT NULL, resolved_at TEXT,"
    "  resolved_by TEXT REFERENCES staff (id), version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE disclosures (id TEXT PRIMARY KEY, at TEXT NOT NULL,"
    "  staff_id TEXT NOT NULL REFERENCES staff (id),"
    "  account_id TEXT NOT NULL REFERENCES accounts (id), visit_id TEXT, basis TEXT NOT NULL,"
    "  what TEXT NOT NULL, version INTEGER NOT NULL) WITHOUT ROWID;"

    /* One row per record a commit changed, written in that commit. */
    "CREATE TABLE changes (seq INTEGER NOT NULL, collection TEXT NOT NULL, key TEXT NOT NULL,"
    "  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),"
    "  PRIMARY KEY (seq, collection, key)) WITHOUT ROWID;"
    /* Finds a record's later changes, so the feed sends each record once. */
    "CREATE INDEX changes_record ON changes (collection, key, seq);"

    /* (device, mutation) -> the answer, stored with the mutation's effect. */
    "CREATE TABLE mutations (device_id TEXT NOT NULL, mutation_id TEXT NOT NULL,"
    "  staff_id TEXT NOT NULL, seq INTEGER NOT NULL, result TEXT NOT NULL,"
    "  PRIMARY KEY (device_id, mutation_id)) WITHOUT ROWID;"

    /* Who last set a field of an appeal through a patch, for conflicts. */
    "CREATE TABLE appeal_field_changes (appeal_id TEXT NOT NULL REFERENCES appeals (id),"
    "  field TEXT NOT NULL, changed_by TEXT, changed_at TEXT NOT NULL,"
    "  PRIMARY KEY (appeal_id, field)) WITHOUT ROWID;"

    /* Server-only. An access token remembers the refresh token it came
     * with, so signing out ends both. */
    "CREATE TABLE refresh_tokens (token_hash TEXT PRIMARY KEY,"
    "  staff_id TEXT NOT NULL REFERENCES staff (id), device_id TEXT NOT NULL,"
    "  created_at TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);"
    "ALTER TABLE sessions ADD COLUMN refresh_hash TEXT;"

    "INSERT INTO meta (key, value)"
    "  SELECT 'changes_floor', coalesce (max (seq), 0) FROM commits;";

/* Conflict resolution: the value staff settled on is kept with the
 * conflict. Columns follow the descriptor's order (the schema check
 * compares them), so the table is rebuilt rather than altered. */
static const char schema_v3[]
  = "CREATE TABLE appeal_conflicts_v3 (id TEXT PRIMARY KEY,"
    "  appeal_id TEXT NOT NULL REFERENCES appeals (id), field TEXT NOT NULL, base TEXT,"
    "  ours TEXT, theirs TEXT, mutation_id TEXT NOT NULL, raised_by TEXT REFERENCES staff (id),"
    "  changed_by TEXT REFERENCES staff (id), raised_at TEXT NOT NULL, resolved_at TEXT,"
    "  resolved_by TEXT REFERENCES staff (id), resolution TEXT,"
    "  version INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO appeal_conflicts_v3 SELECT id, appeal_id, field, base, ours, theirs,"
    "  mutation_id, raised_by, changed_by, raised_at, resolved_at, resolved_by, NULL, version"
    "  FROM appeal_conflicts;"
    "DROP TABLE appeal_conflicts;"
    "ALTER TABLE appeal_conflicts_v3 RENAME TO appeal_conflicts;"
    /* The open conflicts of an appeal, for the feed's readers and resolve. */
    "CREATE INDEX appeal_conflicts_appeal ON appeal_conflicts (appeal_id, resolved_at);";

/* Desk codes: each desktop gets a small number per branch the first time
 * a staff member of that branch signs in on it, so that what it numbers
 * offline (appeals: okno-appeal-number.h) never collides with another
 * desktop's. 0 stays the server's own; codes are never reused. Staff with
 * no branch count under ''. Server-only: never part of a snapshot. */
static const char schema_v4[]
  = "CREATE TABLE devices (device_id TEXT NOT NULL, branch_id TEXT NOT NULL,"
    "  code INTEGER NOT NULL CHECK (code > 0), first_seen TEXT NOT NULL,"
    "  PRIMARY KEY (device_id, branch_id), UNIQUE (branch_id, code)) WITHOUT ROWID;";

/* The register (docs/appeals.md, "Registration"): appeals gain the
 * applicant without an account, the answer's address, the topic, who
 * registered it and the calendar its due date was counted on; events the
 * field they changed with its old and new value; the topics appeals are
 * filed under and the documents attached to them. Columns follow the
 * descriptors' order (the schema check compares them), so appeals and
 * appeal_events are rebuilt, with foreign keys off (what refers to them
 * keeps referring by name); numbers stay unique. */
static const char schema_v5[]
  = "CREATE TABLE appeal_topics (id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL, sort_order INTEGER NOT NULL, active INTEGER NOT NULL,"
    "  version INTEGER NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE appeals_v5 (id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE,"
    "  account_id TEXT REFERENCES accounts (id), kind TEXT NOT NULL, channel TEXT NOT NULL,"
    "  answer_channel TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,"
    "  status TEXT NOT NULL, urgency TEXT, registered_at TEXT NOT NULL, due_on TEXT NOT NULL,"
    "  assignee_id TEXT REFERENCES staff (id), branch_id TEXT REFERENCES branches (id),"
    "  updated_at TEXT NOT NULL, applicant_name TEXT, answer_address TEXT,"
    "  topic_id TEXT REFERENCES appeal_topics (id), registered_by TEXT REFERENCES staff (id),"
    "  calendar_version TEXT, version INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO appeals_v5 SELECT id, number, account_id, kind, channel, answer_channel,"
    "  subject, body, status, urgency, registered_at, due_on, assignee_id, branch_id, updated_at,"
    "  NULL, NULL, NULL, NULL, NULL, version FROM appeals;"
    "DROP TABLE appeals;"
    "ALTER TABLE appeals_v5 RENAME TO appeals;"

    "CREATE TABLE appeal_events_v5 (id TEXT PRIMARY KEY,"
    "  appeal_id TEXT NOT NULL REFERENCES appeals (id), at TEXT NOT NULL,"
    "  staff_id TEXT REFERENCES staff (id), kind TEXT NOT NULL, text TEXT, field TEXT,"
    "  old_value TEXT, new_value TEXT, version INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO appeal_events_v5 SELECT id, appeal_id, at, staff_id, kind, text, NULL, NULL,"
    "  NULL, version FROM appeal_events;"
    "DROP TABLE appeal_events;"
    "ALTER TABLE appeal_events_v5 RENAME TO appeal_events;"

    "CREATE TABLE appeal_documents (id TEXT PRIMARY KEY,"
    "  appeal_id TEXT NOT NULL REFERENCES appeals (id), title TEXT NOT NULL,"
    "  original INTEGER NOT NULL, pages INTEGER, version INTEGER NOT NULL) WITHOUT ROWID;";

static const OknoMigration steps[] = {
  { 1, schema_v1 }, { 2, schema_v2 }, { 3, schema_v3 }, { 4, schema_v4 }, { 5, schema_v5, TRUE },
};

const OknoMigration *
okno_central_schema_steps (guint *n_steps)
{
  *n_steps = G_N_ELEMENTS (steps);
  return steps;
}

static gboolean
check_table (OknoDb *db, const OknoCollection *collection, GError **error)
{
  sqlite3_stmt *stmt
    = okno_db_prepare (db, "SELECT name, \"notnull\" FROM pragma_table_info (?1)", error);
  guint i = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection->name, -1, SQLITE_STATIC);
  while ((rc = okno_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *name = (const char *)sqlite3_column_text (stmt, 0);
      gboolean not_null = sqlite3_column_int (stmt, 1) != 0;

      if (i >= collection->n_fields || strcmp (name, collection->fields[i].name) != 0
          || not_null == collection->fields[i].nullable)
        break;
      i++;
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW || i != collection->n_fields)
    {
      g_set_error (error, OKNO_CENTRAL_ERROR, OKNO_CENTRAL_ERROR_FAILED,
                   "The table “%s” does not match its collection's fields (column %u); "
                   "the schema needs a new migration step",
                   collection->name, i + 1);
      return FALSE;
    }
  return TRUE;
}

gboolean
okno_central_schema_check (OknoDb *db, GError **error)
{
  const OknoCollection *const *all = okno_collection_all (NULL);

  for (guint i = 0; all[i] != NULL; i++)
    if (!check_table (db, all[i], error))
      return FALSE;
  return TRUE;
}
