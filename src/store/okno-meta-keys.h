/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The keys of the replica's meta table, in one place: the store, the sync
 * layer, the session (src/sync/okno-session.c) and okno-cli read and write
 * the same ones. */

/* The replica's own state (the store and the sync layer). */
#define OKNO_META_CURSOR          "cursor"                /* the change feed read up to here */
#define OKNO_META_SNAPSHOT_CURSOR "snapshot_cursor"       /* a download's cursor until it ends */
#define OKNO_META_SNAPSHOTS       "snapshots"             /* downloads begun, a count */
#define OKNO_META_REPLICA_READY   "replica_ready"         /* "1" once a download has ended */
#define OKNO_META_SEARCH_DEFERRED "search_index_deferred" /* "1": first download, index later */
#define OKNO_META_INDEX_DEFERRED  "indexes_deferred"      /* the same for okno_schema_indexes */
#define OKNO_META_LAST_SYNC_AT    "last_sync_at"          /* the last good sync, ISO 8601 */
#define OKNO_META_CLOCK_SKEW      "clock_skew"            /* seconds the server was ahead */
#define OKNO_META_DEVICE_ID       "device_id"             /* this computer's id, created once */

/* Who signed in last on this replica, and where (the session). */
#define OKNO_META_SERVER_URL      "server_url"
#define OKNO_META_STAFF_ID        "staff_id"
#define OKNO_META_STAFF_LOGIN     "staff_login"
#define OKNO_META_STAFF_NAME      "staff_name"
#define OKNO_META_STAFF_ROLE      "staff_role"
#define OKNO_META_STAFF_BRANCH_ID "staff_branch_id"
/* This computer's desk code in the staff member's branch (okno-appeal-number.h). */
#define OKNO_META_STAFF_DESK_CODE "staff_desk_code"
/* The same per branch, under okno_meta_key_for (key, branch id): what the
 * register numbers with, whoever signed in last (okno-cli may act as
 * another staff member than the app). */
#define OKNO_META_DESK_CODE "desk_code"

/* Kept per login under okno_meta_key_for (): what offline sign-in needs of
 * each staff member who signed in online here (the staff keys above and
 * this one). Never the password. */
#define OKNO_META_VERIFIER "verifier"
/* Also per login: failed offline sign-ins and unlocks on this computer,
 * "FAILURES LAST" (a count, then Unix seconds), for okno-throttle.h. */
#define OKNO_META_SIGN_IN_FAILURES "sign_in_failures"

/* okno-cli's stored session: where and as whom. The tokens are in the
 * keyring under these and the device id; never here. */
#define OKNO_META_CLI_SERVER_URL "cli_server_url"
#define OKNO_META_CLI_LOGIN      "cli_login"

/* "key" alone (login NULL), or "key:login" for what is kept per login. */
static inline char *
okno_meta_key_for (const char *key, const char *login)
{
  return login != NULL ? g_strconcat (key, ":", login, NULL) : g_strdup (key);
}

G_END_DECLS
