/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The replica's schema. Every step is frozen once released: tests open a
 * file written by step 1 and expect the current code to carry it forward. */

#include "okno-schema.h"

/* Step 1: every collection the central system shares, plus the replica's own
 * bookkeeping (meta, snapshot progress, outbox, disclosure log) and the
 * counter's local records (visits, tickets). Each shared row carries the
 * server's version and its local sync state. */
static const char schema_v1[]
  = "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"

    "CREATE TABLE policy (key TEXT PRIMARY KEY, value TEXT NOT NULL, note TEXT,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"

    "CREATE TABLE calendar_days (day TEXT PRIMARY KEY, kind TEXT NOT NULL, note TEXT,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"

    "CREATE TABLE branches (id TEXT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL,"
    "  kind TEXT NOT NULL, address TEXT NOT NULL,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"

    "CREATE TABLE staff (id TEXT PRIMARY KEY, login TEXT NOT NULL, full_name TEXT NOT NULL,"
    "  role TEXT NOT NULL, branch_id TEXT, active INTEGER NOT NULL,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"

    "CREATE TABLE queue_topics (id TEXT PRIMARY KEY, code TEXT NOT NULL, title TEXT NOT NULL,"
    "  avg_minutes INTEGER NOT NULL, sort_order INTEGER NOT NULL, active INTEGER NOT NULL,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"

    "CREATE TABLE windows (id TEXT PRIMARY KEY, branch_id TEXT NOT NULL, number INTEGER NOT NULL,"
    "  title TEXT NOT NULL, topic_codes TEXT, active INTEGER NOT NULL,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"

    "CREATE TABLE kb_articles (id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL,"
    "  tags TEXT, updated_at TEXT NOT NULL,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"

    "CREATE TABLE accounts (id TEXT PRIMARY KEY, number TEXT NOT NULL, kind TEXT NOT NULL,"
    "  holder TEXT NOT NULL, inn TEXT, address TEXT NOT NULL, phones TEXT, email TEXT,"
    "  answer_channel TEXT NOT NULL, capacity_kw REAL NOT NULL, special_category TEXT NOT NULL,"
    "  balance_kop INTEGER NOT NULL, branch_id TEXT, updated_at TEXT NOT NULL,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"
    "CREATE INDEX accounts_number ON accounts (number);"

    "CREATE TABLE meters (id TEXT PRIMARY KEY,"
    "  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  serial TEXT NOT NULL, model TEXT NOT NULL, zones INTEGER NOT NULL, location TEXT,"
    "  installed_on TEXT, verification_due TEXT NOT NULL,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"
    "CREATE INDEX meters_account ON meters (account_id);"

    "CREATE TABLE readings (id TEXT PRIMARY KEY,"
    "  meter_id TEXT NOT NULL REFERENCES meters (id) ON DELETE CASCADE,"
    "  taken_on TEXT NOT NULL, t1 INTEGER NOT NULL, t2 INTEGER, t3 INTEGER,"
    "  source TEXT NOT NULL, accepted_at TEXT NOT NULL, staff_id TEXT,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"
    "CREATE INDEX readings_meter ON readings (meter_id);"

    "CREATE TABLE payments (id TEXT PRIMARY KEY,"
    "  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  amount_kop INTEGER NOT NULL, paid_at TEXT NOT NULL, method TEXT NOT NULL,"
    "  branch_id TEXT, receipt TEXT, staff_id TEXT,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"
    "CREATE INDEX payments_account ON payments (account_id);"

    "CREATE TABLE appeals (id TEXT PRIMARY KEY, number TEXT NOT NULL, account_id TEXT,"
    "  kind TEXT NOT NULL, channel TEXT NOT NULL, answer_channel TEXT NOT NULL,"
    "  subject TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, urgency TEXT,"
    "  registered_at TEXT NOT NULL, due_on TEXT NOT NULL, assignee_id TEXT, branch_id TEXT,"
    "  updated_at TEXT NOT NULL,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"
    "CREATE INDEX appeals_account ON appeals (account_id);"
    "CREATE INDEX appeals_due ON appeals (status, due_on);"

    "CREATE TABLE appeal_events (id TEXT PRIMARY KEY,"
    "  appeal_id TEXT NOT NULL REFERENCES appeals (id) ON DELETE CASCADE,"
    "  at TEXT NOT NULL, staff_id TEXT, kind TEXT NOT NULL, text TEXT,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"
    "CREATE INDEX appeal_events_appeal ON appeal_events (appeal_id, at);"

    "CREATE TABLE feedback (id TEXT PRIMARY KEY, kind TEXT NOT NULL, branch_id TEXT,"
    "  account_id TEXT, author TEXT, text TEXT NOT NULL, written_at TEXT NOT NULL, urgency TEXT,"
    "  reviewed_by TEXT, reviewed_at TEXT,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"
    "CREATE INDEX feedback_written ON feedback (written_at);"

    "CREATE TABLE appointments (id TEXT PRIMARY KEY, branch_id TEXT NOT NULL,"
    "  topic_id TEXT NOT NULL, starts_at TEXT NOT NULL, client_name TEXT NOT NULL, phone TEXT,"
    "  account_id TEXT, status TEXT NOT NULL,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"
    "CREATE INDEX appointments_start ON appointments (branch_id, starts_at);"

    /* The counter's own records: a visit holds what one client raised at one
   * window; identification is recorded on it before anything is disclosed. */
    "CREATE TABLE tickets (id TEXT PRIMARY KEY, branch_id TEXT NOT NULL, topic_id TEXT NOT NULL,"
    "  number TEXT NOT NULL, issued_at TEXT NOT NULL, status TEXT NOT NULL, window_id TEXT,"
    "  called_at TEXT, out_of_turn INTEGER NOT NULL DEFAULT 0,"
    "  version INTEGER NOT NULL DEFAULT 0, local_state TEXT NOT NULL DEFAULT 'created');"
    "CREATE TABLE visits (id TEXT PRIMARY KEY, account_id TEXT, staff_id TEXT NOT NULL,"
    "  window_id TEXT, ticket_id TEXT, started_at TEXT NOT NULL, ended_at TEXT,"
    "  identified_at TEXT, identification TEXT, ended_reason TEXT,"
    "  version INTEGER NOT NULL DEFAULT 0, local_state TEXT NOT NULL DEFAULT 'created');"

    /* Personal data law (152-FZ): who saw whose data, when and on what basis. */
    "CREATE TABLE disclosure_log (id TEXT PRIMARY KEY, at TEXT NOT NULL, staff_id TEXT NOT NULL,"
    "  account_id TEXT NOT NULL, visit_id TEXT, basis TEXT NOT NULL, what TEXT NOT NULL,"
    "  local_state TEXT NOT NULL DEFAULT 'created');"
    "CREATE INDEX disclosure_log_account ON disclosure_log (account_id, at);"

    /* One mutation per user action, written in the same transaction as the
   * change it describes; it leaves only after the server's answer is stored. */
    "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  mutation_id TEXT NOT NULL UNIQUE, entity TEXT NOT NULL, entity_id TEXT NOT NULL,"
    "  op TEXT NOT NULL, base_version INTEGER, payload TEXT NOT NULL, created_at TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT);"
    "CREATE INDEX outbox_entity ON outbox (entity, entity_id, seq);"

    /* Where an interrupted initial download resumes, collection by collection. */
    "CREATE TABLE snapshot_progress (collection TEXT PRIMARY KEY, after_key TEXT,"
    "  done INTEGER NOT NULL DEFAULT 0, rows INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;";

/* Step 2: client search. Holder, address, phones (as bare 10-digit numbers,
 * so a typed prefix matches) and the account or contract number (so
 * "ЭС-1143780" is found by its digits too) in one FTS5 index kept in step by
 * triggers; existing rows are indexed by the rebuild. unicode61 folds case
 * but not Ё to Е (its diacritics table is Latin only), so the index and the
 * queries fold it themselves. */
/* clang-format off */
#define FOLD(x) "replace (replace (" x ", 'ё', 'е'), 'Ё', 'Е')"
#define PHONES(x) "replace (replace (coalesce (" x ", ''), '+7', ''), ',', ' ')"
#define FTS_COLUMNS "rowid, holder, address, phones, number"
#define FTS_VALUES(r) \
  r ".rowid, " FOLD (r ".holder") ", " FOLD (r ".address") ", " PHONES (r ".phones") ", " r ".number"

static const char schema_v2[] =
  "CREATE VIRTUAL TABLE accounts_fts USING fts5 (holder, address, phones, number,"
  "  content='accounts_fts_source', content_rowid='rowid',"
  "  tokenize='unicode61 remove_diacritics 2');"
  "CREATE VIEW accounts_fts_source AS SELECT rowid AS rowid,"
  "  " FOLD ("holder") " AS holder, " FOLD ("address") " AS address,"
  "  " PHONES ("phones") " AS phones, number AS number FROM accounts;"
  "CREATE TRIGGER accounts_fts_insert AFTER INSERT ON accounts BEGIN"
  "  INSERT INTO accounts_fts (" FTS_COLUMNS ") VALUES (" FTS_VALUES ("new") ");"
  "END;"
  "CREATE TRIGGER accounts_fts_delete AFTER DELETE ON accounts BEGIN"
  "  INSERT INTO accounts_fts (accounts_fts, " FTS_COLUMNS ")"
  "    VALUES ('delete', " FTS_VALUES ("old") ");"
  "END;"
  "CREATE TRIGGER accounts_fts_update AFTER UPDATE OF holder, address, phones, number"
  "  ON accounts BEGIN"
  "  INSERT INTO accounts_fts (accounts_fts, " FTS_COLUMNS ")"
  "    VALUES ('delete', " FTS_VALUES ("old") ");"
  "  INSERT INTO accounts_fts (" FTS_COLUMNS ") VALUES (" FTS_VALUES ("new") ");"
  "END;"
  "INSERT INTO accounts_fts (accounts_fts) VALUES ('rebuild');";

/* clang-format on */

/* Step 3: sync. The two collections added with push (conflicts kept on
 * both sides, the disclosure log the central system keeps), the server's
 * copy of a row pulled while the branch still had unpushed changes to it,
 * and the disclosure log written before this step, moved into the
 * collection and queued for the server. okno_uuid7() is registered on every
 * connection by OknoDb. */
static const char schema_v3[]
  = "CREATE TABLE appeal_conflicts (id TEXT PRIMARY KEY, appeal_id TEXT NOT NULL,"
    "  field TEXT NOT NULL, base TEXT, ours TEXT, theirs TEXT, mutation_id TEXT NOT NULL,"
    "  raised_by TEXT, changed_by TEXT, raised_at TEXT NOT NULL, resolved_at TEXT,"
    "  resolved_by TEXT,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"
    "CREATE INDEX appeal_conflicts_appeal ON appeal_conflicts (appeal_id, resolved_at);"

    "CREATE TABLE disclosures (id TEXT PRIMARY KEY, at TEXT NOT NULL, staff_id TEXT NOT NULL,"
    "  account_id TEXT NOT NULL, visit_id TEXT, basis TEXT NOT NULL, what TEXT NOT NULL,"
    "  version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced');"
    "CREATE INDEX disclosures_account ON disclosures (account_id, at);"

    "CREATE TABLE server_rows (collection TEXT NOT NULL, key TEXT NOT NULL,"
    "  version INTEGER NOT NULL, data TEXT, PRIMARY KEY (collection, key)) WITHOUT ROWID;"

    "INSERT INTO disclosures (id, at, staff_id, account_id, visit_id, basis, what, version,"
    "  local_state) SELECT id, at, staff_id, account_id, visit_id, basis, what, 0, 'created'"
    "  FROM disclosure_log;"
    "INSERT INTO outbox (mutation_id, entity, entity_id, op, base_version, payload, created_at)"
    "  SELECT okno_uuid7 (), 'disclosures', id, 'create', NULL,"
    "    json_object ('id', id, 'at', at, 'staff_id', staff_id, 'account_id', account_id,"
    "      'visit_id', visit_id, 'basis', basis, 'what', what), at"
    "  FROM disclosure_log ORDER BY at;"
    "DROP TABLE disclosure_log;";

/* clang-format off */
/* Step 4: the first download fills the search index once, after the last
 * page of accounts (okno-store.c), instead of row by row: an index built in
 * one go is as good and the download is faster. While the meta key
 * search_index_deferred is set the triggers stand still; nothing else may
 * touch accounts then, as the replica is not ready for use. */
#define DEFERRED "NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_index_deferred')"

static const char schema_v4[] =
  "DROP TRIGGER accounts_fts_insert;"
  "DROP TRIGGER accounts_fts_delete;"
  "DROP TRIGGER accounts_fts_update;"
  "CREATE TRIGGER accounts_fts_insert AFTER INSERT ON accounts WHEN " DEFERRED " BEGIN"
  "  INSERT INTO accounts_fts (" FTS_COLUMNS ") VALUES (" FTS_VALUES ("new") ");"
  "END;"
  "CREATE TRIGGER accounts_fts_delete AFTER DELETE ON accounts WHEN " DEFERRED " BEGIN"
  "  INSERT INTO accounts_fts (accounts_fts, " FTS_COLUMNS ")"
  "    VALUES ('delete', " FTS_VALUES ("old") ");"
  "END;"
  "CREATE TRIGGER accounts_fts_update AFTER UPDATE OF holder, address, phones, number"
  "  ON accounts WHEN " DEFERRED " BEGIN"
  "  INSERT INTO accounts_fts (accounts_fts, " FTS_COLUMNS ")"
  "    VALUES ('delete', " FTS_VALUES ("old") ");"
  "  INSERT INTO accounts_fts (" FTS_COLUMNS ") VALUES (" FTS_VALUES ("new") ");"
  "END;";

#undef DEFERRED
#undef FOLD
#undef PHONES
#undef FTS_COLUMNS
#undef FTS_VALUES
/* clang-format on */

/* Step 5: conflict resolution. The value staff settled on is kept with
 * the conflict, as the server keeps it. */
static const char schema_v5[] = "ALTER TABLE appeal_conflicts ADD COLUMN resolution TEXT;";

/* Step 6: each outbox entry keeps who made it, for okno-central takes
 * authorship from the pushing session: on a computer several staff share,
 * an entry goes only with its author's token (okno_store_outbox_next).
 * Entries made before this step know their author only from a created
 * record's staff_id; the rest (patches, resolutions) have none and go with
 * anyone's, as they did. No index on author: the push reads the outbox in
 * seq order and stops at a batch, which an index on (state, author) would
 * turn into a sort of every pending entry per batch. */
static const char schema_v6[]
  = "ALTER TABLE outbox ADD COLUMN author TEXT;"
    "UPDATE outbox SET author = json_extract (payload, '$.staff_id') WHERE op = 'create';";

/* clang-format off */
/* Step 7: the replica's representation. Every UUID of a shared collection
 * (keys, references, authors) is stored as its 16 bytes instead of 36
 * characters of text, in the row and in every index over it; the store
 * converts at its edges (okno-store-snapshot.c). Tables whose rows are small
 * and that have no full-text index are WITHOUT ROWID: the row lives in the
 * primary key's b-tree, so the key is not stored twice. accounts keeps its
 * rowid, the key of its FTS5 index (kept as it is: rowids are copied);
 * appeals, kb_articles, feedback and appeal_conflicts keep theirs too, as
 * their long texts suit a rowid table better. Each table is rewritten
 * (create, copy, drop, rename), inside this step's one transaction, with
 * foreign keys off (okno_db_migrate) and checked afterwards. The outbox,
 * server_rows and snapshot_progress keep text: they hold what the server
 * sent or will be sent. The counter's own tickets and visits keep text
 * until they are collections. The indexes of readings by meter and of
 * payments by account lose their second column (taken_on, paid_at): a
 * meter has a few dozen readings and an account a few dozen payments,
 * sorted in no time, and the 10 and 20 characters were a fifth of the
 * replica's indexes. */
#define U(c) "okno_uuid_blob (" c ")"
#define UUID_COL(c, extra) c " BLOB" extra " CHECK (length (" c ") = 16)"
#define FOLD(x) "replace (replace (" x ", 'ё', 'е'), 'Ё', 'Е')"
#define PHONES(x) "replace (replace (coalesce (" x ", ''), '+7', ''), ',', ' ')"
#define FTS_COLUMNS "rowid, holder, address, phones, number"
#define FTS_VALUES(r) \
  r ".rowid, " FOLD (r ".holder") ", " FOLD (r ".address") ", " PHONES (r ".phones") ", " r ".number"
#define DEFERRED "NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_index_deferred')"
#define SYNCED " version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced'"
#define SWAP(t) "DROP TABLE " t "; ALTER TABLE " t "_v7 RENAME TO " t ";"

static const char schema_v7[] =
  "DROP VIEW accounts_fts_source;"

  "CREATE TABLE branches_v7 (" UUID_COL ("id", " PRIMARY KEY") ", code TEXT NOT NULL,"
  "  name TEXT NOT NULL, kind TEXT NOT NULL, address TEXT NOT NULL," SYNCED ") WITHOUT ROWID;"
  "INSERT INTO branches_v7 SELECT " U ("id") ", code, name, kind, address, version, local_state"
  "  FROM branches;"
  SWAP ("branches")

  "CREATE TABLE staff_v7 (" UUID_COL ("id", " PRIMARY KEY") ", login TEXT NOT NULL,"
  "  full_name TEXT NOT NULL, role TEXT NOT NULL, " UUID_COL ("branch_id", "") ","
  "  active INTEGER NOT NULL," SYNCED ") WITHOUT ROWID;"
  "INSERT INTO staff_v7 SELECT " U ("id") ", login, full_name, role, " U ("branch_id") ", active,"
  "  version, local_state FROM staff;"
  SWAP ("staff")

  "CREATE TABLE queue_topics_v7 (" UUID_COL ("id", " PRIMARY KEY") ", code TEXT NOT NULL,"
  "  title TEXT NOT NULL, avg_minutes INTEGER NOT NULL, sort_order INTEGER NOT NULL,"
  "  active INTEGER NOT NULL," SYNCED ") WITHOUT ROWID;"
  "INSERT INTO queue_topics_v7 SELECT " U ("id") ", code, title, avg_minutes, sort_order, active,"
  "  version, local_state FROM queue_topics;"
  SWAP ("queue_topics")

  "CREATE TABLE windows_v7 (" UUID_COL ("id", " PRIMARY KEY") ","
  "  " UUID_COL ("branch_id", " NOT NULL") ", number INTEGER NOT NULL, title TEXT NOT NULL,"
  "  topic_codes TEXT, active INTEGER NOT NULL," SYNCED ") WITHOUT ROWID;"
  "INSERT INTO windows_v7 SELECT " U ("id") ", " U ("branch_id") ", number, title, topic_codes,"
  "  active, version, local_state FROM windows;"
  SWAP ("windows")

  "CREATE TABLE kb_articles_v7 (" UUID_COL ("id", " PRIMARY KEY") ", title TEXT NOT NULL,"
  "  body TEXT NOT NULL, tags TEXT, updated_at TEXT NOT NULL," SYNCED ");"
  "INSERT INTO kb_articles_v7 SELECT " U ("id") ", title, body, tags, updated_at, version,"
  "  local_state FROM kb_articles;"
  SWAP ("kb_articles")

  "CREATE TABLE accounts_v7 (" UUID_COL ("id", " PRIMARY KEY") ", number TEXT NOT NULL,"
  "  kind TEXT NOT NULL, holder TEXT NOT NULL, inn TEXT, address TEXT NOT NULL, phones TEXT,"
  "  email TEXT, answer_channel TEXT NOT NULL, capacity_kw REAL NOT NULL,"
  "  special_category TEXT NOT NULL, balance_kop INTEGER NOT NULL, " UUID_COL ("branch_id", "") ","
  "  updated_at TEXT NOT NULL," SYNCED ");"
  "INSERT INTO accounts_v7 (rowid, id, number, kind, holder, inn, address, phones, email,"
  "  answer_channel, capacity_kw, special_category, balance_kop, branch_id, updated_at, version,"
  "  local_state) SELECT rowid, " U ("id") ", number, kind, holder, inn, address, phones, email,"
  "  answer_channel, capacity_kw, special_category, balance_kop, " U ("branch_id") ", updated_at,"
  "  version, local_state FROM accounts;"
  SWAP ("accounts")
  "CREATE INDEX accounts_number ON accounts (number);"

  "CREATE TABLE meters_v7 (" UUID_COL ("id", " PRIMARY KEY") ","
  "  " UUID_COL ("account_id", " NOT NULL REFERENCES accounts (id) ON DELETE CASCADE") ","
  "  serial TEXT NOT NULL, model TEXT NOT NULL, zones INTEGER NOT NULL, location TEXT,"
  "  installed_on TEXT, verification_due TEXT NOT NULL," SYNCED ") WITHOUT ROWID;"
  "INSERT INTO meters_v7 SELECT " U ("id") ", " U ("account_id") ", serial, model, zones, location,"
  "  installed_on, verification_due, version, local_state FROM meters;"
  SWAP ("meters")
  "CREATE INDEX meters_account ON meters (account_id);"

  "CREATE TABLE readings_v7 (" UUID_COL ("id", " PRIMARY KEY") ","
  "  " UUID_COL ("meter_id", " NOT NULL REFERENCES meters (id) ON DELETE CASCADE") ","
  "  taken_on TEXT NOT NULL, t1 INTEGER NOT NULL, t2 INTEGER, t3 INTEGER, source TEXT NOT NULL,"
  "  accepted_at TEXT NOT NULL, " UUID_COL ("staff_id", "") "," SYNCED ") WITHOUT ROWID;"
  "INSERT INTO readings_v7 SELECT " U ("id") ", " U ("meter_id") ", taken_on, t1, t2, t3, source,"
  "  accepted_at, " U ("staff_id") ", version, local_state FROM readings;"
  SWAP ("readings")
  "CREATE INDEX readings_meter ON readings (meter_id);"

  "CREATE TABLE payments_v7 (" UUID_COL ("id", " PRIMARY KEY") ","
  "  " UUID_COL ("account_id", " NOT NULL REFERENCES accounts (id) ON DELETE CASCADE") ","
  "  amount_kop INTEGER NOT NULL, paid_at TEXT NOT NULL, method TEXT NOT NULL,"
  "  " UUID_COL ("branch_id", "") ", receipt TEXT, " UUID_COL ("staff_id", "") "," SYNCED ")"
  "  WITHOUT ROWID;"
  "INSERT INTO payments_v7 SELECT " U ("id") ", " U ("account_id") ", amount_kop, paid_at, method,"
  "  " U ("branch_id") ", receipt, " U ("staff_id") ", version, local_state FROM payments;"
  SWAP ("payments")
  "CREATE INDEX payments_account ON payments (account_id);"

  "CREATE TABLE appeals_v7 (" UUID_COL ("id", " PRIMARY KEY") ", number TEXT NOT NULL,"
  "  " UUID_COL ("account_id", "") ", kind TEXT NOT NULL, channel TEXT NOT NULL,"
  "  answer_channel TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,"
  "  status TEXT NOT NULL, urgency TEXT, registered_at TEXT NOT NULL, due_on TEXT NOT NULL,"
  "  " UUID_COL ("assignee_id", "") ", " UUID_COL ("branch_id", "") ", updated_at TEXT NOT NULL,"
  SYNCED ");"
  "INSERT INTO appeals_v7 SELECT " U ("id") ", number, " U ("account_id") ", kind, channel,"
  "  answer_channel, subject, body, status, urgency, registered_at, due_on, " U ("assignee_id") ","
  "  " U ("branch_id") ", updated_at, version, local_state FROM appeals;"
  SWAP ("appeals")
  "CREATE INDEX appeals_account ON appeals (account_id);"
  "CREATE INDEX appeals_due ON appeals (status, due_on);"

  "CREATE TABLE appeal_events_v7 (" UUID_COL ("id", " PRIMARY KEY") ","
  "  " UUID_COL ("appeal_id", " NOT NULL REFERENCES appeals (id) ON DELETE CASCADE") ","
  "  at TEXT NOT NULL, " UUID_COL ("staff_id", "") ", kind TEXT NOT NULL, text TEXT," SYNCED ")"
  "  WITHOUT ROWID;"
  "INSERT INTO appeal_events_v7 SELECT " U ("id") ", " U ("appeal_id") ", at, " U ("staff_id") ","
  "  kind, text, version, local_state FROM appeal_events;"
  SWAP ("appeal_events")
  "CREATE INDEX appeal_events_appeal ON appeal_events (appeal_id, at);"

  "CREATE TABLE feedback_v7 (" UUID_COL ("id", " PRIMARY KEY") ", kind TEXT NOT NULL,"
  "  " UUID_COL ("branch_id", "") ", " UUID_COL ("account_id", "") ", author TEXT,"
  "  text TEXT NOT NULL, written_at TEXT NOT NULL, urgency TEXT, " UUID_COL ("reviewed_by", "") ","
  "  reviewed_at TEXT," SYNCED ");"
  "INSERT INTO feedback_v7 SELECT " U ("id") ", kind, " U ("branch_id") ", " U ("account_id") ","
  "  author, text, written_at, urgency, " U ("reviewed_by") ", reviewed_at, version, local_state"
  "  FROM feedback;"
  SWAP ("feedback")
  "CREATE INDEX feedback_written ON feedback (written_at);"

  "CREATE TABLE appointments_v7 (" UUID_COL ("id", " PRIMARY KEY") ","
  "  " UUID_COL ("branch_id", " NOT NULL") ", " UUID_COL ("topic_id", " NOT NULL") ","
  "  starts_at TEXT NOT NULL, client_name TEXT NOT NULL, phone TEXT, " UUID_COL ("account_id", "") ","
  "  status TEXT NOT NULL," SYNCED ") WITHOUT ROWID;"
  "INSERT INTO appointments_v7 SELECT " U ("id") ", " U ("branch_id") ", " U ("topic_id") ","
  "  starts_at, client_name, phone, " U ("account_id") ", status, version, local_state"
  "  FROM appointments;"
  SWAP ("appointments")
  "CREATE INDEX appointments_start ON appointments (branch_id, starts_at);"

  "CREATE TABLE appeal_conflicts_v7 (" UUID_COL ("id", " PRIMARY KEY") ","
  "  " UUID_COL ("appeal_id", " NOT NULL") ", field TEXT NOT NULL, base TEXT, ours TEXT,"
  "  theirs TEXT, " UUID_COL ("mutation_id", " NOT NULL") ", " UUID_COL ("raised_by", "") ","
  "  " UUID_COL ("changed_by", "") ", raised_at TEXT NOT NULL, resolved_at TEXT,"
  "  " UUID_COL ("resolved_by", "") "," SYNCED ", resolution TEXT);"
  "INSERT INTO appeal_conflicts_v7 SELECT " U ("id") ", " U ("appeal_id") ", field, base, ours,"
  "  theirs, " U ("mutation_id") ", " U ("raised_by") ", " U ("changed_by") ", raised_at,"
  "  resolved_at, " U ("resolved_by") ", version, local_state, resolution FROM appeal_conflicts;"
  SWAP ("appeal_conflicts")
  "CREATE INDEX appeal_conflicts_appeal ON appeal_conflicts (appeal_id, resolved_at);"

  "CREATE TABLE disclosures_v7 (" UUID_COL ("id", " PRIMARY KEY") ", at TEXT NOT NULL,"
  "  " UUID_COL ("staff_id", " NOT NULL") ", " UUID_COL ("account_id", " NOT NULL") ","
  "  " UUID_COL ("visit_id", "") ", basis TEXT NOT NULL, what TEXT NOT NULL," SYNCED ")"
  "  WITHOUT ROWID;"
  "INSERT INTO disclosures_v7 SELECT " U ("id") ", at, " U ("staff_id") ", " U ("account_id") ","
  "  " U ("visit_id") ", basis, what, version, local_state FROM disclosures;"
  SWAP ("disclosures")
  "CREATE INDEX disclosures_account ON disclosures (account_id, at);"

  /* The search index's source and triggers, as steps 2 and 4 made them. */
  "CREATE VIEW accounts_fts_source AS SELECT rowid AS rowid,"
  "  " FOLD ("holder") " AS holder, " FOLD ("address") " AS address,"
  "  " PHONES ("phones") " AS phones, number AS number FROM accounts;"
  "CREATE TRIGGER accounts_fts_insert AFTER INSERT ON accounts WHEN " DEFERRED " BEGIN"
  "  INSERT INTO accounts_fts (" FTS_COLUMNS ") VALUES (" FTS_VALUES ("new") ");"
  "END;"
  "CREATE TRIGGER accounts_fts_delete AFTER DELETE ON accounts WHEN " DEFERRED " BEGIN"
  "  INSERT INTO accounts_fts (accounts_fts, " FTS_COLUMNS ")"
  "    VALUES ('delete', " FTS_VALUES ("old") ");"
  "END;"
  "CREATE TRIGGER accounts_fts_update AFTER UPDATE OF holder, address, phones, number"
  "  ON accounts WHEN " DEFERRED " BEGIN"
  "  INSERT INTO accounts_fts (accounts_fts, " FTS_COLUMNS ")"
  "    VALUES ('delete', " FTS_VALUES ("old") ");"
  "  INSERT INTO accounts_fts (" FTS_COLUMNS ") VALUES (" FTS_VALUES ("new") ");"
  "END;";

#undef U
#undef UUID_COL
#undef FOLD
#undef PHONES
#undef FTS_COLUMNS
#undef FTS_VALUES
#undef DEFERRED
#undef SYNCED
#undef SWAP
/* clang-format on */

/* Step 8: the search index keeps the first letter of every word too. A
 * clerk's query ends in an unfinished word, often of one letter ("ИП У");
 * without it FTS5 merges the lists of every word that starts so, «ул» of
 * every address among them (90 ms at 1,000,000 accounts; under 1 ms with
 * it, for 54 MB more; two-letter prefixes as well took 100 MB to turn 4 ms
 * into 1 ms, docs/benchmarks.md). The triggers name
 * the table and stay (step 7 kept the accounts' rowids); the index is
 * rebuilt from accounts, or, during a first download, once its accounts
 * are in (search_index_deferred). */
static const char schema_v8[]
  = "DROP TABLE accounts_fts;"
    "CREATE VIRTUAL TABLE accounts_fts USING fts5 (holder, address, phones, number,"
    "  content='accounts_fts_source', content_rowid='rowid',"
    "  tokenize='unicode61 remove_diacritics 2', prefix='1');"
    "INSERT INTO accounts_fts (accounts_fts) SELECT 'rebuild'"
    "  WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_index_deferred');";

/* clang-format off */
/* Step 9: the register (docs/appeals.md, "Registration"). Appeals gain the
 * applicant without an account, the answer's address, the topic, who
 * registered it and the calendar its due date was counted on; history
 * events the field they changed with its old and new value; two new
 * collections, the topics appeals are filed under and the documents
 * attached to them. UUIDs as step 7 stores them: 16 bytes, checked. New
 * columns go at the end (ALTER TABLE), as the store names its columns;
 * rows already there keep nulls. */
#define UUID_COL(c, extra) c " BLOB" extra " CHECK (length (" c ") = 16)"
#define SYNCED " version INTEGER NOT NULL, local_state TEXT NOT NULL DEFAULT 'synced'"

static const char schema_v9[] =
  "ALTER TABLE appeals ADD COLUMN applicant_name TEXT;"
  "ALTER TABLE appeals ADD COLUMN answer_address TEXT;"
  "ALTER TABLE appeals ADD COLUMN " UUID_COL ("topic_id", "") ";"
  "ALTER TABLE appeals ADD COLUMN " UUID_COL ("registered_by", "") ";"
  "ALTER TABLE appeals ADD COLUMN calendar_version TEXT;"

  "ALTER TABLE appeal_events ADD COLUMN field TEXT;"
  "ALTER TABLE appeal_events ADD COLUMN old_value TEXT;"
  "ALTER TABLE appeal_events ADD COLUMN new_value TEXT;"

  "CREATE TABLE appeal_topics (" UUID_COL ("id", " PRIMARY KEY") ", code TEXT NOT NULL,"
  "  title TEXT NOT NULL, sort_order INTEGER NOT NULL, active INTEGER NOT NULL," SYNCED ")"
  "  WITHOUT ROWID;"

  "CREATE TABLE appeal_documents (" UUID_COL ("id", " PRIMARY KEY") ","
  "  " UUID_COL ("appeal_id", " NOT NULL REFERENCES appeals (id) ON DELETE CASCADE") ","
  "  title TEXT NOT NULL, original INTEGER NOT NULL, pages INTEGER," SYNCED ") WITHOUT ROWID;"
  "CREATE INDEX appeal_documents_appeal ON appeal_documents (appeal_id);";

#undef UUID_COL
#undef SYNCED
/* clang-format on */

static const OknoMigration migrations[] = {
  { 1, schema_v1, FALSE }, { 2, schema_v2, FALSE }, { 3, schema_v3, FALSE },
  { 4, schema_v4, FALSE }, { 5, schema_v5, FALSE }, { 6, schema_v6, FALSE },
  { 7, schema_v7, TRUE },  { 8, schema_v8, FALSE }, { 9, schema_v9, FALSE },
};

/* As steps 1, 3, 7 and 9 made them; test-store checks that the list and a
 * migrated file agree. */
static const OknoSchemaIndex indexes[] = {
  { "accounts", "accounts_number", "CREATE INDEX accounts_number ON accounts (number)" },
  { "meters", "meters_account", "CREATE INDEX meters_account ON meters (account_id)" },
  { "readings", "readings_meter", "CREATE INDEX readings_meter ON readings (meter_id)" },
  { "payments", "payments_account", "CREATE INDEX payments_account ON payments (account_id)" },
  { "appeals", "appeals_account", "CREATE INDEX appeals_account ON appeals (account_id)" },
  { "appeals", "appeals_due", "CREATE INDEX appeals_due ON appeals (status, due_on)" },
  { "appeal_events", "appeal_events_appeal",
    "CREATE INDEX appeal_events_appeal ON appeal_events (appeal_id, at)" },
  { "appeal_documents", "appeal_documents_appeal",
    "CREATE INDEX appeal_documents_appeal ON appeal_documents (appeal_id)" },
  { "feedback", "feedback_written", "CREATE INDEX feedback_written ON feedback (written_at)" },
  { "appointments", "appointments_start",
    "CREATE INDEX appointments_start ON appointments (branch_id, starts_at)" },
  { "appeal_conflicts", "appeal_conflicts_appeal",
    "CREATE INDEX appeal_conflicts_appeal ON appeal_conflicts (appeal_id, resolved_at)" },
  { "disclosures", "disclosures_account",
    "CREATE INDEX disclosures_account ON disclosures (account_id, at)" },
};

const OknoSchemaIndex *
okno_schema_indexes (guint *n_indexes)
{
  *n_indexes = G_N_ELEMENTS (indexes);
  return indexes;
}

const OknoMigration *
okno_schema_migrations (guint *n_steps)
{
  *n_steps = G_N_ELEMENTS (migrations);
  return migrations;
}
