/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Search results as a lazy list: GtkListView asks for a handful of items
 * around what is visible, so rows are read in small pages and forgotten
 * again; a million matches would cost eight bytes each, not a row each.
 *
 * GtkListView calls get_item on the UI thread, which must never wait on
 * SQLite: an item whose page is not cached is a placeholder that knows its
 * rowid, its page is read in a worker thread, and the same placeholder
 * objects are filled when it arrives, so rows already bound to them update
 * through their notifications. */

#include "okno-account-list.h"

#include "okno-store.h"

#define PAGE_SIZE 64
#define MAX_PAGES 8

struct _OknoAccountList
{
  GObject parent_instance;
  OknoStore *store;
  GArray *rowids;
  GHashTable *pages;     /* page number -> GPtrArray of OknoAccount */
  GQueue lru;            /* page numbers, most recent first */
  GHashTable *in_flight; /* page number -> GPtrArray being read */
  GCancellable *cancellable;
  guint pages_read;
};

static void okno_account_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoAccountList, okno_account_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      okno_account_list_model_init))

static void
okno_account_list_dispose (GObject *object)
{
  OknoAccountList *self = OKNO_ACCOUNT_LIST (object);

  /* Reads still running are of no use to anyone now; their callbacks see
   * the cancellation and do not touch the list. */
  g_cancellable_cancel (self->cancellable);
  g_hash_table_remove_all (self->in_flight);
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->lru);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (okno_account_list_parent_class)->dispose (object);
}

static void
okno_account_list_finalize (GObject *object)
{
  OknoAccountList *self = OKNO_ACCOUNT_LIST (object);

  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->in_flight);
  g_object_unref (self->cancellable);
  g_array_unref (self->rowids);
  G_OBJECT_CLASS (okno_account_list_parent_class)->finalize (object);
}

static void
okno_account_list_class_init (OknoAccountListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = okno_account_list_dispose;
  G_OBJECT_CLASS (klass)->finalize = okno_account_list_finalize;
}

static void
okno_account_list_init (OknoAccountList *self)
{
  self->pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify)g_ptr_array_unref);
  self->in_flight = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                           (GDestroyNotify)g_ptr_array_unref);
  g_queue_init (&self->lru);
  self->cancellable = g_cancellable_new ();
}

static GType
get_item_type (GListModel *model)
{
  return OKNO_TYPE_ACCOUNT;
}

static guint
get_n_items (GListModel *model)
{
  return OKNO_ACCOUNT_LIST (model)->rowids->len;
}

static guint
page_length (OknoAccountList *self, guint page_no)
{
  return MIN (PAGE_SIZE, self->rowids->len - page_no * PAGE_SIZE);
}

static const gint64 *
page_rowids (OknoAccountList *self, guint page_no)
{
  return &g_array_index (self->rowids, gint64, page_no * PAGE_SIZE);
}

static GPtrArray *
new_placeholders (OknoAccountList *self, guint page_no)
{
  guint n = page_length (self, page_no);
  GPtrArray *page = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (page, _okno_account_new_placeholder (page_rowids (self, page_no)[i]));
  return page;
}

static void
clear_summary (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

/* The summaries of rowids, in that order, NULL where a row is gone; in
 * whatever thread calls it. */
static GPtrArray *
read_summaries (OknoStore *store, const gint64 *rowids, guint n, GError **error)
{
  g_autoptr (GPtrArray) read = g_ptr_array_new_full (n, clear_summary);

  g_ptr_array_set_size (read, n);
  if (!_okno_store_read_summaries (store, rowids, n, (OknoAccount **)read->pdata, error))
    return NULL;
  return g_steal_pointer (&read);
}

/* On the main thread: the placeholders take what was read. */
static void
fill_page (GPtrArray *page, GPtrArray *read)
{
  for (guint i = 0; i < page->len; i++)
    _okno_account_fill_summary (g_ptr_array_index (page, i), g_ptr_array_index (read, i));
}

/* Keeps page_no among the cached pages, the most recent first, forgetting
 * the oldest beyond MAX_PAGES; a row still bound to one of its items keeps
 * that item. */
static void
cache_page (OknoAccountList *self, guint page_no, GPtrArray *page)
{
  if (g_hash_table_contains (self->pages, GUINT_TO_POINTER (page_no)))
    {
      g_queue_remove (&self->lru, GUINT_TO_POINTER (page_no));
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page_no));
      return;
    }
  if (g_queue_get_length (&self->lru) >= MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page_no), g_ptr_array_ref (page));
  g_queue_push_head (&self->lru, GUINT_TO_POINTER (page_no));
}

/* --- reading a page in a worker ------------------------------------------- */

typedef struct
{
  OknoStore *store;
  gint64 *rowids;
  guint n;
  guint page_no;
  GPtrArray *page; /* the placeholders to fill */
} PageRead;

static void
page_read_free (gpointer data)
{
  PageRead *read = data;

  g_object_unref (read->store);
  g_free (read->rowids);
  g_ptr_array_unref (read->page);
  g_free (read);
}

static void
read_page_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  PageRead *read = task_data;
  GPtrArray *summaries;
  GError *error = NULL;

  /* Reads still queued when their list went away are not made. */
  if (g_task_return_error_if_cancelled (task))
    return;
  summaries = read_summaries (read->store, read->rowids, read->n, &error);
  if (summaries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, summaries, (GDestroyNotify)g_ptr_array_unref);
}

/* On the main context. A task whose list was disposed reports the
 * cancellation (GTask checks the cancellable when the result is taken), so
 * self is only used while it is alive. */
static void
page_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OknoAccountList *self = user_data;
  PageRead *read = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) summaries = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_hash_table_remove (self->in_flight, GUINT_TO_POINTER (read->page_no));
  if (summaries == NULL)
    {
      /* GListModel cannot fail; the rows stay placeholders rather than
       * taking the list down. */
      g_warning ("Could not read search results: %s", error->message);
      return;
    }
  fill_page (read->page, summaries);
}

static void
start_page_read (OknoAccountList *self, guint page_no, GPtrArray *page)
{
  g_autoptr (GTask) task = g_task_new (NULL, self->cancellable, page_read_cb, self);
  PageRead *read = g_new0 (PageRead, 1);

  read->store = g_object_ref (self->store);
  read->n = page->len;
  read->rowids = g_memdup2 (page_rowids (self, page_no), read->n * sizeof (gint64));
  read->page_no = page_no;
  read->page = g_ptr_array_ref (page);
  g_task_set_source_tag (task, start_page_read);
  g_task_set_task_data (task, read, page_read_free);
  g_hash_table_insert (self->in_flight, GUINT_TO_POINTER (page_no), g_ptr_array_ref (page));
  self->pages_read++;
  g_task_run_in_thread (task, read_page_thread);
}

/* --- GListModel ------------------------------------------------------------ */

/* The cached page, or the one being read (one read per page at a time,
 * even when it dropped out of the cache meanwhile), or NULL. */
static GPtrArray *
lookup_page (OknoAccountList *self, guint page_no)
{
  GPtrArray *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page_no));

  return page ? page : g_hash_table_lookup (self->in_flight, GUINT_TO_POINTER (page_no));
}

/* Page page_no, cached as the most recent; a new one is made of
 * placeholders, read in a worker when read_async. */
static GPtrArray *
ensure_page (OknoAccountList *self, guint page_no, gboolean read_async)
{
  GPtrArray *page = lookup_page (self, page_no);

  if (page != NULL)
    g_ptr_array_ref (page);
  else
    {
      page = new_placeholders (self, page_no);
      if (read_async)
        start_page_read (self, page_no, page);
    }
  cache_page (self, page_no, page);
  return page;
}

static gpointer
get_item (GListModel *model, guint position)
{
  OknoAccountList *self = OKNO_ACCOUNT_LIST (model);
  g_autoptr (GPtrArray) page = NULL;

  if (position >= self->rowids->len)
    return NULL;
  page = ensure_page (self, position / PAGE_SIZE, TRUE);
  return g_object_ref (g_ptr_array_index (page, position % PAGE_SIZE));
}

static void
okno_account_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

OknoAccountList *
okno_account_list_new (OknoStore *store, GArray *rowids)
{
  OknoAccountList *self = g_object_new (OKNO_TYPE_ACCOUNT_LIST, NULL);

  self->store = g_object_ref (store);
  self->rowids = rowids;
  return self;
}

OknoAccount *
okno_account_list_get_item_sync (OknoAccountList *self, guint position, GError **error)
{
  guint page_no = position / PAGE_SIZE;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GPtrArray) summaries = NULL;
  OknoAccount *item;

  g_return_val_if_fail (OKNO_IS_ACCOUNT_LIST (self), NULL);
  g_return_val_if_fail (position < self->rowids->len, NULL);

  page = ensure_page (self, page_no, FALSE);
  item = g_ptr_array_index (page, position % PAGE_SIZE);
  if (okno_account_is_loaded (item))
    return g_object_ref (item);
  /* A read of the page in a worker may be under way too (or have failed);
   * whichever ends second finds the same values already there. */
  summaries = read_summaries (self->store, page_rowids (self, page_no), page->len, error);
  if (summaries == NULL)
    return NULL;
  self->pages_read++;
  fill_page (page, summaries);
  return g_object_ref (item);
}

guint
okno_account_list_get_pages_read (OknoAccountList *self)
{
  g_return_val_if_fail (OKNO_IS_ACCOUNT_LIST (self), 0);
  return self->pages_read;
}
