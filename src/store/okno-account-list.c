/* Search results as a lazy list: GtkListView asks for a handful of items
 * around what is visible, so rows are read in small pages and forgotten
 * again; a million matches would cost eight bytes each, not a row each. */

#include "okno-account-list.h"

#include "okno-store.h"

#define PAGE_SIZE 64
#define MAX_PAGES 8

struct _OknoAccountList
{
  GObject parent_instance;
  OknoStore *store;
  GArray *rowids;
  GHashTable *pages; /* page number -> OknoAccount *[PAGE_SIZE] */
  GQueue lru;        /* page numbers, most recent first */
  guint pages_read;
};

static void okno_account_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OknoAccountList, okno_account_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      okno_account_list_model_init))

static void
free_page (gpointer data)
{
  OknoAccount **page = data;

  for (guint i = 0; i < PAGE_SIZE; i++)
    g_clear_object (&page[i]);
  g_free (page);
}

static void
okno_account_list_finalize (GObject *object)
{
  OknoAccountList *self = OKNO_ACCOUNT_LIST (object);

  g_hash_table_unref (self->pages);
  g_queue_clear (&self->lru);
  g_array_unref (self->rowids);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (okno_account_list_parent_class)->finalize (object);
}

static void
okno_account_list_class_init (OknoAccountListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_account_list_finalize;
}

static void
okno_account_list_init (OknoAccountList *self)
{
  self->pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, free_page);
  g_queue_init (&self->lru);
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

static OknoAccount **
load_page (OknoAccountList *self, guint page_no)
{
  g_autoptr (GError) error = NULL;
  OknoAccount **page = g_new0 (OknoAccount *, PAGE_SIZE);
  guint first = page_no * PAGE_SIZE;
  guint n = MIN (PAGE_SIZE, self->rowids->len - first);

  if (!_okno_store_read_summaries (self->store, &g_array_index (self->rowids, gint64, first), n,
                                   page, &error))
    {
      /* GListModel cannot fail; a row that cannot be read is shown empty
       * rather than taking the list down. */
      g_warning ("Could not read search results: %s", error->message);
    }
  self->pages_read++;
  if (g_queue_get_length (&self->lru) >= MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page_no), page);
  g_queue_push_head (&self->lru, GUINT_TO_POINTER (page_no));
  return page;
}

static gpointer
get_item (GListModel *model, guint position)
{
  OknoAccountList *self = OKNO_ACCOUNT_LIST (model);
  guint page_no = position / PAGE_SIZE;
  OknoAccount **page;

  if (position >= self->rowids->len)
    return NULL;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page_no));
  if (page == NULL)
    page = load_page (self, page_no);
  else
    {
      g_queue_remove (&self->lru, GUINT_TO_POINTER (page_no));
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page_no));
    }
  if (page[position % PAGE_SIZE] == NULL)
    page[position % PAGE_SIZE] = _okno_account_new (g_array_index (self->rowids, gint64, position),
                                                    "", "", "", "", "", "none", 0);
  return g_object_ref (page[position % PAGE_SIZE]);
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

guint
okno_account_list_get_pages_read (OknoAccountList *self)
{
  g_return_val_if_fail (OKNO_IS_ACCOUNT_LIST (self), 0);
  return self->pages_read;
}
