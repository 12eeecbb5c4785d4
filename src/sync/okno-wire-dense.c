/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The dense snapshot page (docs/sync-protocol.md): the column names once,
 * then each row as an array. It is the bulk of a first download, so it is
 * decoded without a document tree: a streaming JSON parser hands over each
 * value, and it goes straight into the page's arena of OknoValue, checked
 * against its field on the way. */

#include "okno-wire-private.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <yajl/yajl_parse.h>

typedef enum
{
  AT_START,   /* before the page's object */
  AT_TOP,     /* a member name of the page's object comes next */
  AT_MEMBER,  /* the value of a member of the page */
  IN_COLUMNS, /* the names of "columns" */
  IN_ROWS,    /* a row of "rows", or its end */
  IN_ROW,     /* a value of a row, or its end */
  SKIPPING,   /* a member this version does not know */
  AT_END,     /* after the page's object */
} State;

/* The page's members, each allowed once. */
typedef enum
{
  M_COLLECTION = 1 << 0,
  M_COLUMNS = 1 << 1,
  M_ROWS = 1 << 2,
  M_NEXT_AFTER = 1 << 3,
  M_HAS_MORE = 1 << 4,
  M_UNKNOWN = 1 << 5,
  M_REQUIRED = M_COLLECTION | M_COLUMNS | M_ROWS | M_NEXT_AFTER | M_HAS_MORE,
} Member;

typedef struct
{
  const OknoCollection *collection;
  OknoWirePage *page;
  GError *error;      /* why the page is refused */
  gboolean is_object; /* the page is of the object format */
  State state;
  guint seen;     /* Member bits */
  Member current; /* whose value comes next */
  guint skip_depth;
  guint column;   /* in IN_COLUMNS and IN_ROW */
  gsize capacity; /* rows the values array holds */
} Decoder;

/* The kinds of JSON value a parser hands over. */
typedef enum
{
  V_NULL,
  V_BOOLEAN,
  V_INTEGER,
  V_REAL,
  V_STRING,
} Kind;

static gboolean
fail (Decoder *d, const char *what)
{
  if (d->error == NULL)
    _okno_wire_bad (&d->error, what);
  return FALSE;
}

static gboolean G_GNUC_PRINTF (2, 3) fail_member (Decoder *d, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  return fail (d, what);
}

static gboolean
fail_type (Decoder *d, const char *name)
{
  if (d->error == NULL)
    _okno_wire_wrong_type (name, &d->error);
  return FALSE;
}

static gboolean
is_name (const char *s, gsize len, const char *name)
{
  return strlen (name) == len && memcmp (s, name, len) == 0;
}

static gboolean
on_key (Decoder *d, const char *s, gsize len)
{
  static const struct
  {
    const char *name;
    Member member;
  } members[] = { { "collection", M_COLLECTION },
                  { "columns", M_COLUMNS },
                  { "rows", M_ROWS },
                  { "next_after", M_NEXT_AFTER },
                  { "has_more", M_HAS_MORE } };

  if (d->state != AT_TOP)
    return fail_type (d, "rows");
  if (is_name (s, len, "items"))
    {
      /* A server that does not know dense pages sent objects. */
      d->is_object = TRUE;
      return FALSE;
    }
  d->current = M_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (is_name (s, len, members[i].name))
      {
        d->current = members[i].member;
        if (d->seen & d->current)
          return fail_member (d, _ ("member “%s” appears twice"), members[i].name);
        d->seen |= d->current;
      }
  if (d->current == M_ROWS && !(d->seen & M_COLUMNS))
    return fail (d, _ ("the rows come before their columns"));
  d->state = d->current == M_UNKNOWN ? SKIPPING : AT_MEMBER;
  d->skip_depth = 0;
  return TRUE;
}

static gboolean
on_column (Decoder *d, Kind kind, const char *s, gsize len)
{
  const OknoCollection *c = d->collection;
  g_autofree char *name = NULL;

  if (kind != V_STRING)
    return fail_type (d, "columns");
  if (d->column < c->n_fields && is_name (s, len, c->fields[d->column].name))
    {
      d->column++;
      return TRUE;
    }
  name = g_strndup (s, len);
  if (!g_utf8_validate (name, -1, NULL) || okno_collection_field_index (c, name) < 0)
    return fail_member (d, _ ("column “%s” is unknown"),
                        g_utf8_validate (name, -1, NULL) ? name : "?");
  if (d->column < c->n_fields)
    return fail_member (d, _ ("column “%s” is not in its place"), name);
  return fail_member (d, _ ("column “%s” appears twice"), name);
}

static gboolean
end_columns (Decoder *d)
{
  const OknoCollection *c = d->collection;

  if (d->column < c->n_fields)
    return fail_member (d, _ ("column “%s” is missing"), c->fields[d->column].name);
  return TRUE;
}

static OknoValue *
next_row (Decoder *d)
{
  OknoWirePage *page = d->page;
  gsize n = d->collection->n_fields;

  if (page->n_rows == d->capacity)
    {
      d->capacity = d->capacity ? d->capacity * 2 : 256;
      page->values = g_renew (OknoValue, page->values, d->capacity * n);
    }
  return &page->values[page->n_rows++ * n];
}

/* One value of a row into the page's arena, checked as the object format's
 * decoder checks it. */
static gboolean
on_cell (Decoder *d, Kind kind, gint64 integer, double real, const char *s, gsize len)
{
  const OknoCollection *c = d->collection;
  const OknoField *field;
  OknoValue *v;

  if (d->column >= c->n_fields)
    return fail (d, _ ("a row has more values than columns"));
  field = &c->fields[d->column];
  v = &d->page->values[(gsize)(d->page->n_rows - 1) * c->n_fields + d->column++];
  memset (v, 0, sizeof *v);
  switch (kind)
    {
      case V_NULL:
        v->is_null = TRUE;
        break;
      case V_BOOLEAN:
        if (field->type != OKNO_FIELD_BOOLEAN)
          return fail_type (d, field->name);
        v->integer = integer;
        break;
      case V_INTEGER:
        if (field->type == OKNO_FIELD_REAL)
          v->real = (double)integer;
        else if (field->type == OKNO_FIELD_INTEGER)
          v->integer = integer;
        else
          return fail_type (d, field->name);
        break;
      case V_REAL:
        if (field->type != OKNO_FIELD_REAL || !isfinite (real))
          return fail_type (d, field->name);
        v->real = real;
        break;
      default:
        if (field->type == OKNO_FIELD_INTEGER || field->type == OKNO_FIELD_REAL
            || field->type == OKNO_FIELD_BOOLEAN || memchr (s, '\0', len) != NULL)
          return fail_type (d, field->name);
        v->text = g_string_chunk_insert_len (d->page->strings, s, (gssize)len);
        break;
    }
  return _okno_wire_check_value (field, v, &d->error);
}

static gboolean
on_member_value (Decoder *d, Kind kind, gint64 integer, const char *s, gsize len)
{
  OknoWirePage *page = d->page;

  d->state = AT_TOP;
  switch (d->current)
    {
      case M_COLLECTION:
        if (kind != V_STRING)
          return fail_type (d, "collection");
        if (!is_name (s, len, d->collection->name))
          return fail (d, _ ("the page belongs to another collection"));
        return TRUE;
      case M_NEXT_AFTER:
        if (kind == V_NULL)
          return TRUE;
        if (kind != V_STRING || memchr (s, '\0', len) != NULL)
          return fail_type (d, "next_after");
        page->next_after = g_strndup (s, len);
        return TRUE;
      case M_HAS_MORE:
        if (kind != V_BOOLEAN)
          return fail_type (d, "has_more");
        page->has_more = integer != 0;
        return TRUE;
      case M_COLUMNS:
        return fail_type (d, "columns");
      default:
        return fail_type (d, "rows");
    }
}

/* Every scalar the parser meets. */
static gboolean
on_scalar (Decoder *d, Kind kind, gint64 integer, double real, const char *s, gsize len)
{
  switch (d->state)
    {
      case AT_MEMBER:
        return on_member_value (d, kind, integer, s, len);
      case IN_COLUMNS:
        return on_column (d, kind, s, len);
      case IN_ROW:
        return on_cell (d, kind, integer, real, s, len);
      case SKIPPING:
        if (d->skip_depth == 0)
          d->state = AT_TOP;
        return TRUE;
      case IN_ROWS:
        return fail_type (d, "rows");
      default:
        return fail (d, _ ("the answer is not a JSON object"));
    }
}

static gboolean
on_open (Decoder *d, gboolean is_array)
{
  switch (d->state)
    {
      case AT_START:
        if (is_array)
          return fail (d, _ ("the answer is not a JSON object"));
        d->state = AT_TOP;
        return TRUE;
      case AT_MEMBER:
        if (!is_array || (d->current != M_COLUMNS && d->current != M_ROWS))
          return fail_type (d, d->current == M_COLLECTION   ? "collection"
                               : d->current == M_NEXT_AFTER ? "next_after"
                               : d->current == M_HAS_MORE   ? "has_more"
                               : d->current == M_COLUMNS    ? "columns"
                                                            : "rows");
        d->state = d->current == M_COLUMNS ? IN_COLUMNS : IN_ROWS;
        d->column = 0;
        return TRUE;
      case IN_ROWS:
        if (!is_array)
          return fail_type (d, "rows");
        next_row (d);
        d->column = 0;
        d->state = IN_ROW;
        return TRUE;
      case SKIPPING:
        d->skip_depth++;
        return TRUE;
      case IN_COLUMNS:
        return fail_type (d, "columns");
      case IN_ROW:
        return fail_type (d,
                          d->collection->fields[MIN (d->column, d->collection->n_fields - 1)].name);
      default:
        return fail (d, _ ("the answer is not a JSON object"));
    }
}

static gboolean
on_close (Decoder *d)
{
  switch (d->state)
    {
      case AT_TOP:
        if ((d->seen & M_REQUIRED) != M_REQUIRED)
          {
            static const char *const names[]
              = { "collection", "columns", "rows", "next_after", "has_more" };

            for (guint i = 0; i < G_N_ELEMENTS (names); i++)
              if (!(d->seen & (1u << i)))
                return fail_member (d, _ ("member “%s” is missing"), names[i]);
          }
        d->state = AT_END;
        return TRUE;
      case IN_COLUMNS:
        d->state = AT_TOP;
        return end_columns (d);
      case IN_ROWS:
        d->state = AT_TOP;
        return TRUE;
      case IN_ROW:
        if (d->column < d->collection->n_fields)
          return fail (d, _ ("a row has fewer values than columns"));
        d->state = IN_ROWS;
        return TRUE;
      case SKIPPING:
        if (--d->skip_depth == 0)
          d->state = AT_TOP;
        return TRUE;
      default:
        return fail (d, _ ("the answer is not a JSON object"));
    }
}

/* --- libyajl ------------------------------------------------------------- */

static int
y_null (void *ctx)
{
  return on_scalar (ctx, V_NULL, 0, 0, NULL, 0);
}

static int
y_boolean (void *ctx, int value)
{
  return on_scalar (ctx, V_BOOLEAN, value != 0, 0, NULL, 0);
}

static int
y_integer (void *ctx, long long value)
{
  return on_scalar (ctx, V_INTEGER, value, 0, NULL, 0);
}

static int
y_double (void *ctx, double value)
{
  return on_scalar (ctx, V_REAL, 0, value, NULL, 0);
}

static int
y_string (void *ctx, const unsigned char *s, size_t len)
{
  return on_scalar (ctx, V_STRING, 0, 0, (const char *)s, len);
}

static int
y_key (void *ctx, const unsigned char *s, size_t len)
{
  Decoder *d = ctx;

  /* A member name of a skipped member, or of an object inside it. */
  if (d->state == SKIPPING)
    return TRUE;
  return on_key (ctx, (const char *)s, len);
}

static int
y_start_map (void *ctx)
{
  return on_open (ctx, FALSE);
}

static int
y_start_array (void *ctx)
{
  return on_open (ctx, TRUE);
}

static int
y_end (void *ctx)
{
  return on_close (ctx);
}

static const yajl_callbacks callbacks = {
  y_null,      y_boolean, y_integer, y_double,      NULL,  y_string,
  y_start_map, y_key,     y_end,     y_start_array, y_end,
};

static gboolean
parse (Decoder *d, const char *data, gsize size)
{
  yajl_handle parser = yajl_alloc (&callbacks, NULL, d);
  yajl_status status = yajl_parse (parser, (const unsigned char *)data, size);

  if (status == yajl_status_ok)
    status = yajl_complete_parse (parser);
  if (status == yajl_status_error && d->error == NULL && !d->is_object)
    {
      unsigned char *message = yajl_get_error (parser, FALSE, NULL, 0);

      g_debug ("a dense page is not JSON: %s", (const char *)message);
      fail (d, _ ("the answer is cut short or is not valid JSON"));
      yajl_free_error (parser, message);
    }
  yajl_free (parser);
  return status == yajl_status_ok && d->state == AT_END;
}

OknoWirePage *
_okno_wire_parse_dense_page (GBytes *body, const OknoCollection *collection, gboolean *is_object,
                             GError **error)
{
  g_autoptr (OknoWirePage) page = g_new0 (OknoWirePage, 1);
  Decoder d = { collection, page, NULL, FALSE, AT_START, 0, 0, 0, 0, 0 };
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  *is_object = FALSE;
  if (size == 0)
    {
      _okno_wire_bad (error, _ ("the answer is empty"));
      return NULL;
    }
  page->strings = g_string_chunk_new (64 * 1024);
  if (!parse (&d, data, size))
    {
      *is_object = d.is_object;
      if (d.is_object)
        g_clear_error (&d.error);
      else if (d.error == NULL)
        _okno_wire_bad (&d.error, _ ("the answer is not a JSON object"));
      if (d.error != NULL)
        g_propagate_error (error, d.error);
      return NULL;
    }
  if (!_okno_wire_page_check_paging (page, collection, error))
    return NULL;
  return g_steal_pointer (&page);
}
