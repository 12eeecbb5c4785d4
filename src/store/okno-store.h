/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "okno-account.h"
#include "okno-appeal-rules.h"
#include "okno-calendar.h"
#include "okno-collection.h"
#include "okno-db.h"
#include "okno-store-enums.h"

G_BEGIN_DECLS

#define OKNO_TYPE_STORE (okno_store_get_type ())
G_DECLARE_FINAL_TYPE (OknoStore, okno_store, OKNO, STORE, GObject)

/* The branch's replica. Safe to use from any thread: writes go through one
 * connection behind a mutex, reads through another, searches through a
 * third, so a search never waits for a download's page to commit.
 *
 * The UI thread never calls the synchronous functions: each may wait on
 * SQLite, and a write may wait behind a sync page's transaction. What the
 * app calls has an okno_store_X_async () / okno_store_X_finish () pair
 * that runs okno_store_X () in a worker thread of GTask's pool:
 *
 *   okno_store_load_account_async (store, id, self->cancellable, loaded_cb, self);
 *
 *   static void
 *   loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
 *   {
 *     g_autoptr (GError) error = NULL;
 *     g_autoptr (OknoAccount) account
 *       = okno_store_load_account_finish (OKNO_STORE (source), result, &error);
 *
 *     if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
 *       return;  // the widget cancelled in dispose: user_data may be gone
 *     ...
 *   }
 *
 * Finish gives what the synchronous call returns and sets the same errors;
 * a cancelled call gives G_IO_ERROR_CANCELLED. A cancelled read may never
 * run; a write always runs to its end (cancelling only says nobody waits
 * for the answer), so nothing staff entered is dropped with its window.
 *
 * A new pair is a job and two three-line functions over the runner in
 * okno-store-private.h: see okno_store_get_meta_async in okno-store.c.
 *
 * okno_store_forbid_thread () names the UI thread: a synchronous call on
 * it logs a critical, and aborts when OKNO_STORE_THREAD_CHECK=fatal (as
 * in the app and end-to-end test suites). */
OknoStore *okno_store_open (const char *path, GError **error);
/* Opening runs the migrations. */
void okno_store_open_async (const char *path, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
OknoStore *okno_store_open_finish (GAsyncResult *result, GError **error);
const char *okno_store_get_path (OknoStore *self);

/* The UI thread (NULL for none): see above. */
void okno_store_forbid_thread (GThread *thread);

/* $XDG_DATA_HOME/okno/replica.db, or $OKNO_REPLICA when set. */
char *okno_store_default_path (void);

/* Small named values of the replica (sync state, the signed-in staff,...).
 * NULL without an error when the key is unset. */
char *okno_store_get_meta (OknoStore *self, const char *key, GError **error);
gboolean okno_store_set_meta (OknoStore *self, const char *key, const char *value, GError **error);
void okno_store_get_meta_async (OknoStore *self, const char *key, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
char *okno_store_get_meta_finish (OknoStore *self, GAsyncResult *result, GError **error);
void okno_store_set_meta_async (OknoStore *self, const char *key, const char *value,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean okno_store_set_meta_finish (OknoStore *self, GAsyncResult *result, GError **error);

/* Rows in a collection's table. */
gint64 okno_store_count (OknoStore *self, const char *collection, GError **error);

/* --- the initial download ---------------------------------------------
 * A snapshot is fetched collection by collection in key order; each page is
 * applied together with the position after it, so an interrupted download
 * resumes from its last committed page and a failed page leaves no trace. */

/* Records the server's snapshot cursor; an interrupted download keeps the
 * earliest cursor so the change feed later misses nothing. */
gboolean okno_store_snapshot_begin (OknoStore *self, gint64 cursor, GError **error);
gboolean okno_store_snapshot_position (OknoStore *self, const char *collection, char **after_key,
                                       gboolean *done, gint64 *rows, GError **error);
/* values holds n_rows * collection->n_fields values, row by row, already
 * checked against the collection (okno_field_check). */
gboolean okno_store_apply_snapshot_page (OknoStore *self, const OknoCollection *collection,
                                         const OknoValue *values, guint n_rows,
                                         const char *next_after, gboolean done, GError **error);
gboolean okno_store_snapshot_finish (OknoStore *self, GError **error);
/* TRUE once a whole snapshot has been applied. */
gboolean okno_store_is_ready (OknoStore *self);

/* --- reading --------------------------------------------------------- */

/* How many results a search keeps and the app lists: more than a clerk
 * reads; past it the app asks to refine the query. The benchmark
 * (tests/bench/bench-search.c) measures with it. */
#define OKNO_STORE_SEARCH_LIMIT 200

/* Ranked client search: account or contract number (prefix), phone, holder
 * name and address words. Returns a lazy GListModel of OknoAccount summary
 * items holding at most `limit` row ids; rows are read page by page only when
 * a widget asks for them. *n_matches gets the number of matches, which is
 * limit + 1 when there were more than limit. */
GListModel *okno_store_search (OknoStore *self, const char *query, guint limit, guint *n_matches,
                               GCancellable *cancellable, GError **error);
void okno_store_search_async (OknoStore *self, const char *query, guint limit,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data);
GListModel *okno_store_search_finish (OknoStore *self, GAsyncResult *result, guint *n_matches,
                                      GError **error);

OknoAccount *okno_store_load_account (OknoStore *self, const char *id, GError **error);
void okno_store_load_account_async (OknoStore *self, const char *id, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
OknoAccount *okno_store_load_account_finish (OknoStore *self, GAsyncResult *result, GError **error);
/* OknoMeter items with their latest readings. */
GListModel *okno_store_list_meters (OknoStore *self, const char *account_id, GError **error);
void okno_store_list_meters_async (OknoStore *self, const char *account_id,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
GListModel *okno_store_list_meters_finish (OknoStore *self, GAsyncResult *result, GError **error);
char *okno_store_get_policy (OknoStore *self, const char *key, const char *fallback);
void okno_store_get_policy_async (OknoStore *self, const char *key, const char *fallback,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data);
char *okno_store_get_policy_finish (OknoStore *self, GAsyncResult *result, GError **error);
OknoCalendar *okno_store_load_calendar (OknoStore *self, GError **error);
void okno_store_load_calendar_async (OknoStore *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
OknoCalendar *okno_store_load_calendar_finish (OknoStore *self, GAsyncResult *result,
                                               GError **error);

/* The service centres and offices the replica knows. */
typedef struct
{
  char *id;
  char *code;
  char *name;
  char *kind; /* service_centre | service_office */
} OknoBranch;

void okno_branch_free (OknoBranch *branch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoBranch, okno_branch_free)

/* OknoBranch items sorted by name; empty before the first download. */
GPtrArray *okno_store_list_branches (OknoStore *self, GError **error);
void okno_store_list_branches_async (OknoStore *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *okno_store_list_branches_finish (OknoStore *self, GAsyncResult *result, GError **error);
/* The branch's name, or NULL when the replica does not know it. */
char *okno_store_get_branch_name (OknoStore *self, const char *branch_id);
/* The staff member's full name, the account's number; NULL when unknown. */
char *okno_store_get_staff_name (OknoStore *self, const char *staff_id);
char *okno_store_get_account_number (OknoStore *self, const char *account_id);
/* The three at once, for ids of any of those tables (they are UUIDs): a
 * table from id to name holding the ids the replica knows. */
GHashTable *okno_store_lookup_names (OknoStore *self, const char *const *ids, GError **error);
void okno_store_lookup_names_async (OknoStore *self, const char *const *ids,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data);
GHashTable *okno_store_lookup_names_finish (OknoStore *self, GAsyncResult *result, GError **error);

/* Personal data law: every disclosure of a client's data is recorded. */
gboolean okno_store_log_disclosure (OknoStore *self, const char *staff_id, const char *account_id,
                                    const char *basis, const char *what, GError **error);
void okno_store_log_disclosure_async (OknoStore *self, const char *staff_id, const char *account_id,
                                      const char *basis, const char *what,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean okno_store_log_disclosure_finish (OknoStore *self, GAsyncResult *result, GError **error);
gint64 okno_store_count_disclosures (OknoStore *self, const char *account_id, GError **error);
void okno_store_count_disclosures_async (OknoStore *self, const char *account_id,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
gint64 okno_store_count_disclosures_finish (OknoStore *self, GAsyncResult *result, GError **error);

/* --- local changes and the outbox -------------------------------------
 * Every change a user makes is written together with its outbox entry in
 * one transaction; the entry leaves only when the server's answer for it is
 * stored (okno_store_outbox_settle). */

/* Creates a record: values holds collection->n_fields values (version is
 * ignored), values[0] its key (okno_uuid7_new ()). Checked against the
 * collection's rules first; nothing is written when a value breaks them. */
gboolean okno_store_create (OknoStore *self, const OknoCollection *collection,
                            const OknoValue *values, GError **error);
/* A created record is written in the name of the signed-in staff member
 * (okno_authorship_claim): its author fields left null are filled, one
 * naming someone else is refused, and amounts and readings keep the
 * policy's limits (okno-limits.h). The author is the one set here, else
 * whoever signed in last on this replica (OKNO_META_STAFF_ID and
 * OKNO_META_STAFF_BRANCH_ID); okno-cli sets its own session's. Not for a
 * UI thread to wait on: it takes the writer's lock. */
void okno_store_set_author (OknoStore *self, const char *staff_id, const char *branch_id);

/* --- the appeal register (docs/appeals.md, "Registration", "Numbers") */

/* The description of a document handed in with an appeal. */
typedef struct
{
  const char *title;
  gboolean original; /* an original, or a copy */
  guint pages;       /* 0: not counted */
} OknoAppealDocumentSpec;

typedef struct
{
  OknoAppealRegistration registration; /* okno_appeal_registration_check */
  const char *body;                    /* the appeal's text; NULL: empty */
  const char *topic_id;                /* an appeal_topics row, or NULL */
  const char *urgency;                 /* okno_urgencies, or NULL */
  const OknoAppealDocumentSpec *documents;
  guint n_documents;
  GDateTime *registered_at; /* NULL: now */
} OknoAppealRequest;

/* Meta key prefix of the desktop's sequence of appeal numbers, one per
 * branch and year: "appeal_sequence:BRANCH_ID:YEAR" holds the last used. */
#define OKNO_STORE_APPEAL_SEQUENCE "appeal_sequence"

/* Registers an appeal in the signed-in staff member's name, in one
 * transaction: checks the registration, numbers it (the branch's code,
 * this desktop's desk code given at sign-in, the year in the branch's time
 * zone, the next of this desktop's sequence for that branch and year),
 * counts its answer's due date on the replica's calendar in the branch's
 * zone (policy branch_time_zone, appeal_answer_days), and writes the
 * appeal, its documents and its "registered" event, each with its outbox
 * entry. Returns the number and sets *id (when not NULL) to the appeal's
 * id; OKNO_STORE_ERROR_INVALID with a translated message when the
 * registration is incomplete, nobody signed in, or this computer has no
 * desk code yet (sign in online once); nothing is written then. */
char *okno_store_register_appeal (OknoStore *self, const OknoAppealRequest *request, char **id,
                                  GError **error);

/* The id of the active appeal topic with code, or NULL (with no error
 * when there is none). */
char *okno_store_find_appeal_topic (OknoStore *self, const char *code, GError **error);

/* Changes fields of a record; values[i] NULL means null. The outbox entry
 * records each field's value before and after, for the server's merge. */
gboolean okno_store_patch (OknoStore *self, const OknoCollection *collection, const char *key,
                           guint n_fields, const char *const *fields, const char *const *values,
                           GError **error);

typedef struct
{
  gint64 seq;
  char *mutation_id;
  char *collection;
  char *key;
  char *op;            /* create | patch | resolve */
  gint64 base_version; /* -1 when none */
  char *payload;       /* JSON object */
  char *state;         /* pending | quarantined */
  char *last_error;
} OknoOutboxEntry;

void okno_outbox_entry_free (OknoOutboxEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoOutboxEntry, okno_outbox_entry_free)

/* The next pending entries in order, at most max; an entry waits while an
 * earlier entry of the same record is quarantined. Only the entries the
 * author (okno_store_set_author, else whoever signed in last) made, or
 * with no author, are given: okno-central refuses a record pushed with
 * another staff member's token, so the others stay pending until their
 * author signs in here, and so does any later entry of the same record. */
GPtrArray *okno_store_outbox_next (OknoStore *self, guint max, GError **error);
/* How many pending entries okno_store_outbox_next holds back for another
 * staff member. */
gint64 okno_store_outbox_count_others (OknoStore *self, GError **error);
/* All entries, or those in one state, oldest first. */
GPtrArray *okno_store_outbox_list (OknoStore *self, const char *state, GError **error);
gint64 okno_store_outbox_count (OknoStore *self, const char *state, GError **error);
void okno_store_outbox_list_async (OknoStore *self, const char *state, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *okno_store_outbox_list_finish (OknoStore *self, GAsyncResult *result, GError **error);
void okno_store_outbox_count_async (OknoStore *self, const char *state, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
gint64 okno_store_outbox_count_finish (OknoStore *self, GAsyncResult *result, GError **error);

typedef enum
{
  OKNO_PUSH_APPLIED,
  OKNO_PUSH_DUPLICATE,
  OKNO_PUSH_CONFLICT,
  OKNO_PUSH_REJECTED,
} OknoPushStatus;

typedef struct
{
  const char *mutation_id;
  OknoPushStatus status;
  gint64 version;      /* applied, duplicate, conflict */
  const char *message; /* rejected */
} OknoPushResult;

/* Stores the server's answers in one transaction: answered entries leave the
 * outbox, a rejected one is quarantined for its own record only. */
gboolean okno_store_outbox_settle (OknoStore *self, const OknoPushResult *results, guint n,
                                   GError **error);
/* Staff decisions on a quarantined entry. */
gboolean okno_store_outbox_retry (OknoStore *self, const char *mutation_id, GError **error);
gboolean okno_store_outbox_discard (OknoStore *self, const char *mutation_id, GError **error);
void okno_store_outbox_retry_async (OknoStore *self, const char *mutation_id,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data);
gboolean okno_store_outbox_retry_finish (OknoStore *self, GAsyncResult *result, GError **error);
void okno_store_outbox_discard_async (OknoStore *self, const char *mutation_id,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean okno_store_outbox_discard_finish (OknoStore *self, GAsyncResult *result, GError **error);

/* --- the change feed --------------------------------------------------- */

typedef struct
{
  const OknoCollection *collection;
  const char *key;
  gint64 version;
  gboolean deleted;
  const OknoValue *values; /* collection->n_fields values; NULL when deleted */
  const char *json;        /* the same row as a JSON object; NULL when deleted */
} OknoChange;

/* Applies a page of changes and the cursor after it in one transaction.
 * A record with unpushed changes keeps them; the server's copy waits beside
 * it until its outbox entries are answered. */
gboolean okno_store_apply_changes (OknoStore *self, const OknoChange *changes, guint n,
                                   gint64 cursor, GError **error);
/* The change feed's cursor, or -1 before the first complete download. */
gint64 okno_store_get_cursor (OknoStore *self);

/* Unresolved conflicts of appeals. */
gint64 okno_store_count_conflicts (OknoStore *self, GError **error);
void okno_store_count_conflicts_async (OknoStore *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
gint64 okno_store_count_conflicts_finish (OknoStore *self, GAsyncResult *result, GError **error);

/* A field of an appeal changed at two branches: the server kept "theirs",
 * the value a branch entered ("ours") is kept beside it. Every branch
 * lists every conflict. */
typedef struct
{
  char *id;
  char *appeal_id;
  char *appeal_number; /* NULL when the appeal is not in the replica */
  char *field;
  char *ours;
  char *theirs;
  char *current;        /* the appeal's value now (theirs, or what came later); NULL means null */
  gboolean in_replica;  /* the appeal is here, so the conflict can be resolved */
  char *raised_by_name; /* who entered "ours", when the replica knows them */
  char *raised_at;
} OknoAppealConflict;

void okno_appeal_conflict_free (OknoAppealConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OknoAppealConflict, okno_appeal_conflict_free)
/* The unresolved ones, oldest first; one whose resolution waits to be sent
 * is no longer listed. */
GPtrArray *okno_store_list_conflicts (OknoStore *self, GError **error);
void okno_store_list_conflicts_async (OknoStore *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *okno_store_list_conflicts_finish (OknoStore *self, GAsyncResult *result, GError **error);

/* Staff settle a conflict with value (what they kept or combined; NULL
 * means null), in one transaction: the appeal's field takes it (from the
 * value it shows now), the conflict is marked resolved by staff_id, and an
 * outbox entry "resolve" of the appeal carries both to the server (see
 * docs/sync-protocol.md). OKNO_STORE_ERROR_NOT_FOUND when the conflict or
 * its appeal is not here, OKNO_STORE_ERROR_INVALID when it is resolved
 * already or value breaks the field's rules; nothing is written then. */
gboolean okno_store_resolve_conflict (OknoStore *self, const char *conflict_id, const char *value,
                                      const char *staff_id, GError **error);
void okno_store_resolve_conflict_async (OknoStore *self, const char *conflict_id, const char *value,
                                        const char *staff_id, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
gboolean okno_store_resolve_conflict_finish (OknoStore *self, GAsyncResult *result, GError **error);

/* One sync at a time per replica, across processes (okno and okno-cli):
 * an advisory lock on PATH.lock. Returns a handle for okno_store_unlock_sync,
 * or -1 with OKNO_STORE_ERROR_BUSY while another sync holds it. */
int okno_store_lock_sync (OknoStore *self, GError **error);
void okno_store_unlock_sync (int handle);

/* For OknoAccountList: fills items for the given rowids, in that order. */
gboolean _okno_store_read_summaries (OknoStore *self, const gint64 *rowids, guint n,
                                     OknoAccount **out, GError **error);

G_END_DECLS
