/* SPDX-License-Identifier: GPL-3.0-or-later */

/* One layout for every document Okno prints: blocks become rows (a
 * paragraph one row per line, so it may break across pages; anything else
 * one row that does not), rows are placed top to bottom and start a new
 * page when they do not fit. Pango lays the text out on the cairo context
 * it is drawn on, so the printer, the preview and the PDF agree. */

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "okno-document.h"

#define MM (72.0 / 25.4)

typedef enum
{
  BLOCK_LETTERHEAD,
  BLOCK_TITLE,
  BLOCK_HEADING,
  BLOCK_FIELD,
  BLOCK_PARAGRAPH,
  BLOCK_NOTE,
  BLOCK_RULE,
  BLOCK_SIGNATURE,
} BlockKind;

typedef struct
{
  BlockKind kind;
  char *text;  /* label of a field or signature */
  char *value; /* value of a field, name under a signature */
} Block;

/* One unbreakable piece of a laid out page. */
typedef struct
{
  guint page;
  double y, height;
  BlockKind kind;
  PangoLayout *layout; /* the text, or a field's label */
  PangoLayout *value;  /* a field's value, a signature's name */
  int line;            /* a paragraph's line, or -1 for the whole layout */
  double value_x;
} Row;

struct _OknoDocument
{
  GObject parent_instance;

  OknoPaper paper;
  char *title;
  GArray *blocks; /* Block */
  GArray *rows;   /* Row, of the last pagination */
  guint n_pages;
  double height;
};

G_DEFINE_FINAL_TYPE (OknoDocument, okno_document, G_TYPE_OBJECT)

static void
block_clear (gpointer data)
{
  Block *b = data;

  g_free (b->text);
  g_free (b->value);
}

static void
row_clear (gpointer data)
{
  Row *r = data;

  g_clear_object (&r->layout);
  g_clear_object (&r->value);
}

static void
okno_document_finalize (GObject *object)
{
  OknoDocument *self = OKNO_DOCUMENT (object);

  g_free (self->title);
  g_array_unref (self->blocks);
  g_array_unref (self->rows);
  G_OBJECT_CLASS (okno_document_parent_class)->finalize (object);
}

static void
okno_document_class_init (OknoDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = okno_document_finalize;
}

static void
okno_document_init (OknoDocument *self)
{
  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, block_clear);
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, row_clear);
}

void
okno_paper_get_geometry (OknoPaper paper, OknoPaperGeometry *g)
{
  if (paper == OKNO_PAPER_RECEIPT)
    /* 80 mm rolls print 72 mm wide; a receipt is as long as it needs. */
    *g = (OknoPaperGeometry){ 80 * MM, 297 * MM, 4 * MM, 4 * MM, 4 * MM, 8 * MM };
  else
    /* A4 with the margins of Russian business letters (GOST R 7.0.97). */
    *g = (OknoPaperGeometry){ 210 * MM, 297 * MM, 25 * MM, 15 * MM, 20 * MM, 20 * MM };
}

OknoDocument *
okno_document_new (OknoPaper paper, const char *title)
{
  OknoDocument *self = g_object_new (OKNO_TYPE_DOCUMENT, NULL);
  Block b = { BLOCK_TITLE, g_strdup (title ? title : ""), NULL };

  self->paper = paper;
  self->title = g_strdup (title ? title : "");
  g_array_append_val (self->blocks, b);
  return self;
}

OknoPaper
okno_document_get_paper (OknoDocument *self)
{
  g_return_val_if_fail (OKNO_IS_DOCUMENT (self), OKNO_PAPER_A4);
  return self->paper;
}

const char *
okno_document_get_title (OknoDocument *self)
{
  g_return_val_if_fail (OKNO_IS_DOCUMENT (self), NULL);
  return self->title;
}

static void
add_block (OknoDocument *self, BlockKind kind, const char *text, const char *value)
{
  Block b = { kind, g_strdup (text), g_strdup (value) };

  g_return_if_fail (OKNO_IS_DOCUMENT (self));
  g_array_append_val (self->blocks, b);
}

/* A blank on paper is a dash, so that nothing looks forgotten. */
static const char *
or_dash (const char *text)
{
  return text && *text ? text : "—";
}

void
okno_document_add_letterhead (OknoDocument *self, const char *text)
{
  add_block (self, BLOCK_LETTERHEAD, or_dash (text), NULL);
}

void
okno_document_add_heading (OknoDocument *self, const char *text)
{
  add_block (self, BLOCK_HEADING, or_dash (text), NULL);
}

void
okno_document_add_field (OknoDocument *self, const char *label, const char *value)
{
  add_block (self, BLOCK_FIELD, or_dash (label), or_dash (value));
}

void
okno_document_add_paragraph (OknoDocument *self, const char *text)
{
  add_block (self, BLOCK_PARAGRAPH, or_dash (text), NULL);
}

void
okno_document_add_note (OknoDocument *self, const char *text)
{
  add_block (self, BLOCK_NOTE, or_dash (text), NULL);
}

void
okno_document_add_rule (OknoDocument *self)
{
  add_block (self, BLOCK_RULE, NULL, NULL);
}

void
okno_document_add_signature (OknoDocument *self, const char *label, const char *name)
{
  add_block (self, BLOCK_SIGNATURE, or_dash (label), name);
}

/* --- layout ---------------------------------------------------------- */

typedef struct
{
  OknoDocument *doc;
  cairo_t *cr;
  OknoPaperGeometry g;
  double width;       /* between the margins */
  double page_bottom; /* where content must end */
  double y;
  guint page;
  double tallest;
  gboolean receipt;
} Layouter;

static double
font_size (const Layouter *l, BlockKind kind)
{
  double body = l->receipt ? 8.5 : 11;

  switch (kind)
    {
      case BLOCK_TITLE:
        return body + 3;
      case BLOCK_HEADING:
        return body + 1;
      case BLOCK_LETTERHEAD:
      case BLOCK_NOTE:
        return body - 1.5;
      default:
        return body;
    }
}

static PangoLayout *
make_layout (Layouter *l, BlockKind kind, const char *text, double width, gboolean bold)
{
  PangoLayout *layout = pango_cairo_create_layout (l->cr);
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string ("Sans");

  pango_font_description_set_size (font, (int)(font_size (l, kind) * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (kind == BLOCK_TITLE || (kind == BLOCK_LETTERHEAD && l->receipt))
    pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_text (layout, text ? text : "", -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int h;

  pango_layout_get_size (layout, NULL, &h);
  return (double)h / PANGO_SCALE;
}

/* Places a row of the given height, on a new page when it does not fit
 * (unless it is the first on its page: a row taller than a page is cut). */
static void
place (Layouter *l, Row *row, double space_before)
{
  double y = l->y > l->g.margin_top ? l->y + space_before : l->y;

  if (y + row->height > l->page_bottom && l->y > l->g.margin_top)
    {
      l->page++;
      y = l->g.margin_top;
    }
  row->page = l->page;
  row->y = y;
  l->y = y + row->height;
  l->tallest = MAX (l->tallest, l->y + l->g.margin_bottom);
  g_array_append_val (l->doc->rows, *row);
}

static void
lay_out_paragraph (Layouter *l, const Block *b, double space)
{
  PangoLayout *layout = make_layout (l, b->kind, b->text, l->width, FALSE);
  int n = pango_layout_get_line_count (layout);

  for (int i = 0; i < n; i++)
    {
      PangoRectangle logical;
      Row row = { 0, 0, 0, b->kind, g_object_ref (layout), NULL, i, 0 };

      pango_layout_line_get_extents (pango_layout_get_line_readonly (layout, i), NULL, &logical);
      row.height = (double)logical.height / PANGO_SCALE;
      place (l, &row, i == 0 ? space : 0);
    }
  g_object_unref (layout);
}

static void
lay_out_field (Layouter *l, const Block *b, double space)
{
  Row row = { 0, 0, 0, BLOCK_FIELD, NULL, NULL, -1, 0 };

  if (l->receipt)
    {
      /* A roll is too narrow for two columns: the value under its label. */
      row.layout = make_layout (l, BLOCK_NOTE, b->text, l->width, FALSE);
      row.value = make_layout (l, BLOCK_FIELD, b->value, l->width, TRUE);
      row.height = layout_height (row.layout) + layout_height (row.value);
    }
  else
    {
      double label_w = l->width * 0.38, gap = 4 * MM;

      row.layout = make_layout (l, BLOCK_FIELD, b->text, label_w, FALSE);
      row.value = make_layout (l, BLOCK_FIELD, b->value, l->width - label_w - gap, TRUE);
      row.value_x = label_w + gap;
      row.height = MAX (layout_height (row.layout), layout_height (row.value));
    }
  place (l, &row, space);
}

static void
lay_out_block (Layouter *l, const Block *b)
{
  double gap = l->receipt ? 2 : 4;
  Row row = { 0, 0, 0, b->kind, NULL, NULL, -1, 0 };

  switch (b->kind)
    {
      case BLOCK_PARAGRAPH:
      case BLOCK_NOTE:
        lay_out_paragraph (l, b, gap * 1.5);
        return;
      case BLOCK_FIELD:
        lay_out_field (l, b, gap * 0.75);
        return;
      case BLOCK_RULE:
        row.height = gap * 2;
        place (l, &row, gap);
        return;
      case BLOCK_SIGNATURE:
        {
          g_autofree char *line = g_strdup_printf ("%s ____________________", b->text);

          row.layout = make_layout (l, BLOCK_FIELD, line, l->width, FALSE);
          if (b->value)
            row.value = make_layout (l, BLOCK_NOTE, b->value, l->width, FALSE);
          row.height = layout_height (row.layout) + (row.value ? layout_height (row.value) : 0);
          /* Room to sign above the line. */
          place (l, &row, gap * 6);
          return;
        }
      default:
        row.layout = make_layout (l, b->kind, b->text, l->width,
                                  b->kind == BLOCK_TITLE || b->kind == BLOCK_HEADING);
        row.height = layout_height (row.layout);
        place (l, &row, b->kind == BLOCK_TITLE ? gap * 3 : gap * 2.5);
        return;
    }
}

guint
okno_document_paginate (OknoDocument *self, cairo_t *cr, double page_height)
{
  Layouter l = { self, cr };

  g_return_val_if_fail (OKNO_IS_DOCUMENT (self), 0);

  okno_paper_get_geometry (self->paper, &l.g);
  if (page_height > 0)
    l.g.height = page_height;
  l.receipt = self->paper == OKNO_PAPER_RECEIPT;
  l.width = l.g.width - l.g.margin_left - l.g.margin_right;
  l.page_bottom = page_height == G_MAXDOUBLE ? G_MAXDOUBLE : l.g.height - l.g.margin_bottom;
  l.y = l.g.margin_top;
  g_array_set_size (self->rows, 0);
  /* The letterhead heads the first page, whenever it was added. */
  for (guint i = 0; i < self->blocks->len; i++)
    if (g_array_index (self->blocks, Block, i).kind == BLOCK_LETTERHEAD)
      lay_out_block (&l, &g_array_index (self->blocks, Block, i));
  for (guint i = 0; i < self->blocks->len; i++)
    if (g_array_index (self->blocks, Block, i).kind != BLOCK_LETTERHEAD)
      lay_out_block (&l, &g_array_index (self->blocks, Block, i));
  self->n_pages = l.page + 1;
  self->height = l.tallest;
  return self->n_pages;
}

double
okno_document_get_height (OknoDocument *self)
{
  g_return_val_if_fail (OKNO_IS_DOCUMENT (self), 0);
  return self->height;
}

static void
draw_row (const Row *r, cairo_t *cr, double left, double width)
{
  switch (r->kind)
    {
      case BLOCK_RULE:
        cairo_set_line_width (cr, 0.6);
        cairo_move_to (cr, left, r->y + r->height / 2);
        cairo_line_to (cr, left + width, r->y + r->height / 2);
        cairo_stroke (cr);
        return;
      case BLOCK_PARAGRAPH:
      case BLOCK_NOTE:
        {
          PangoLayoutLine *line = pango_layout_get_line_readonly (r->layout, r->line);
          PangoRectangle logical;
          int baseline_in_line;
          PangoLayoutIter *iter = pango_layout_get_iter (r->layout);

          /* The line's baseline below its top, from the layout's own metrics. */
          for (int i = 0; i < r->line; i++)
            pango_layout_iter_next_line (iter);
          pango_layout_iter_get_line_extents (iter, NULL, &logical);
          baseline_in_line = pango_layout_iter_get_baseline (iter) - logical.y;
          pango_layout_iter_free (iter);
          cairo_move_to (cr, left + (double)logical.x / PANGO_SCALE,
                         r->y + (double)baseline_in_line / PANGO_SCALE);
          pango_cairo_show_layout_line (cr, line);
          return;
        }
      case BLOCK_FIELD:
        cairo_move_to (cr, left, r->y);
        pango_cairo_show_layout (cr, r->layout);
        if (r->value_x > 0)
          cairo_move_to (cr, left + r->value_x, r->y);
        else
          cairo_move_to (cr, left, r->y + layout_height (r->layout));
        pango_cairo_show_layout (cr, r->value);
        return;
      default:
        cairo_move_to (cr, left, r->y);
        pango_cairo_show_layout (cr, r->layout);
        if (r->value)
          {
            cairo_move_to (cr, left, r->y + layout_height (r->layout));
            pango_cairo_show_layout (cr, r->value);
          }
        return;
    }
}

void
okno_document_draw_page (OknoDocument *self, cairo_t *cr, guint page)
{
  OknoPaperGeometry g;

  g_return_if_fail (OKNO_IS_DOCUMENT (self));

  okno_paper_get_geometry (self->paper, &g);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *r = &g_array_index (self->rows, Row, i);

      if (r->page == page)
        draw_row (r, cr, g.margin_left, g.width - g.margin_left - g.margin_right);
    }
  cairo_restore (cr);
}

gboolean
okno_document_export_pdf (OknoDocument *self, const char *path, GError **error)
{
  OknoPaperGeometry g;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  guint n_pages;

  g_return_val_if_fail (OKNO_IS_DOCUMENT (self), FALSE);

  okno_paper_get_geometry (self->paper, &g);
  surface = cairo_pdf_surface_create (path, g.width, g.height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Okno");
  cr = cairo_create (surface);
  if (self->paper == OKNO_PAPER_RECEIPT)
    {
      /* One page exactly as long as the receipt. */
      n_pages = okno_document_paginate (self, cr, G_MAXDOUBLE);
      cairo_pdf_surface_set_size (surface, g.width, self->height);
    }
  else
    n_pages = okno_document_paginate (self, cr, g.height);
  for (guint p = 0; p < n_pages; p++)
    {
      okno_document_draw_page (self, cr, p);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   /* Translators: %s is a file name, then cairo's reason (English) */
                   _ ("Could not write the PDF file “%s”: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

char *
okno_document_to_text (OknoDocument *self)
{
  g_autoptr (GString) out = g_string_new (NULL);

  g_return_val_if_fail (OKNO_IS_DOCUMENT (self), NULL);
  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *b = &g_array_index (self->blocks, Block, i);

      if (b->kind == BLOCK_RULE)
        continue;
      if (b->kind == BLOCK_FIELD)
        g_string_append_printf (out, "%s: %s\n", b->text, b->value);
      else
        g_string_append_printf (out, "%s\n", b->text);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
