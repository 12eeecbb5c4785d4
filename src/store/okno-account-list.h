#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _OknoStore OknoStore;

/* A lazy GListModel of OknoAccount summaries over a list of replica row
 * ids: only the ids live in memory; rows are read from SQLite a page at a
 * time when a widget asks for them, and only a few pages stay cached. */
#define OKNO_TYPE_ACCOUNT_LIST (okno_account_list_get_type ())
G_DECLARE_FINAL_TYPE (OknoAccountList, okno_account_list, OKNO, ACCOUNT_LIST, GObject)

/* Takes ownership of rowids (a GArray of gint64). */
OknoAccountList *okno_account_list_new (OknoStore *store, GArray *rowids);
/* Pages read from the database so far (for tests and benchmarks). */
guint okno_account_list_get_pages_read (OknoAccountList *self);

G_END_DECLS
