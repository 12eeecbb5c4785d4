/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

/* Replicas for the store and sync tests, and the local writes they make. */

#include "okno-store.h"

G_BEGIN_DECLS

/* A replica, replica.db, in a temporary folder of its own: the fixture of
 * g_test_add (setup and teardown below). */
typedef struct
{
  char *dir;
  OknoStore *store;
} TestReplica;

void test_replica_setup (TestReplica *f, gconstpointer data);
/* Closes the replica and removes it with its folder. */
void test_replica_teardown (TestReplica *f, gconstpointer data);

/* Opens (creating it) the replica dir/name. */
OknoStore *test_replica_open (const char *dir, const char *name);

/* Takes the closed replica at path back to schema step 6, rows and all,
 * as the release before step 7 left it: UUIDs as text, every table with
 * its rowid. Built by the frozen steps 1 to 6 themselves, then filled from
 * the replica, so migration tests start from a real older file. */
void test_replica_back_to_v6 (const char *path);

/* A payment made at the counter, 2026-11-27 07:00 UTC: the row and its
 * outbox entry. Returns its new id. */
char *test_new_payment (OknoStore *store, const char *account, gint64 kop, const char *method);

/* The outbox's one entry; fails the test when it holds another number. */
OknoOutboxEntry *test_only_outbox_entry (OknoStore *store);

/* How many payments the database at db_path (okno-central's) holds with the
 * content of payment id — the account, amount, time, method, branch,
 * receipt and staff — whatever their own id: 1 when it arrived once; 2
 * when it was also resent under a new id; 0 when it did not arrive under
 * its own. A count by id alone cannot see a resend under a new id. */
gint64 test_payment_copies (const char *db_path, const char *id);

G_END_DECLS
