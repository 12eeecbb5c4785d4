/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "okno-account.h"

G_BEGIN_DECLS

typedef struct _OknoStore OknoStore;

/* A lazy GListModel of OknoAccount summaries over a list of replica row
 * ids: only the ids live in memory; rows are read from SQLite a page at a
 * time when a widget asks for them, and only a few pages stay cached.
 *
 * g_list_model_get_item () never touches SQLite, so the UI thread can call
 * it: an item of a page not read yet comes back at once as a placeholder
 * (okno_account_is_loaded () FALSE) while a worker thread reads its page;
 * the same object is then filled on the main context, all fields before
 * it notifies any of them ("loaded" among them). Dropping the list cancels
 * the reads. */
#define OKNO_TYPE_ACCOUNT_LIST (okno_account_list_get_type ())
G_DECLARE_FINAL_TYPE (OknoAccountList, okno_account_list, OKNO, ACCOUNT_LIST, GObject)

/* Takes ownership of rowids (a GArray of gint64). */
OknoAccountList *okno_account_list_new (OknoStore *store, GArray *rowids);
/* The item at position read in the calling thread if it is not yet, for
 * headless callers (okno-cli, tests, benchmarks), never the UI thread. NULL
 * with error when the page cannot be read. */
OknoAccount *okno_account_list_get_item_sync (OknoAccountList *self, guint position,
                                              GError **error);
/* Pages read from the database so far (or being read) (for tests and benchmarks). */
guint okno_account_list_get_pages_read (OknoAccountList *self);

G_END_DECLS
