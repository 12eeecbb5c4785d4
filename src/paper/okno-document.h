/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <cairo.h>
#include <glib-object.h>

G_BEGIN_DECLS

/* What a client takes home from the counter: a slip, a receipt, a letter,
 * a certificate. Every document is built from the same few blocks and laid
 * out by this one code, on A4 or on an 80 mm receipt roll, for the printer
 * (GtkPrintOperation hands its cairo context to okno_document_draw_page)
 * and for PDF (okno_document_export_pdf). */

typedef enum
{
  OKNO_PAPER_A4,      /* letters, certificates, statements */
  OKNO_PAPER_RECEIPT, /* an 80 mm roll: one page as long as the content */
} OknoPaper;

/* The paper's size and margins, in points (1/72 inch). A receipt's height
 * is its content's: okno_document_get_height after paginating. */
typedef struct
{
  double width, height;
  double margin_left, margin_right, margin_top, margin_bottom;
} OknoPaperGeometry;

void okno_paper_get_geometry (OknoPaper paper, OknoPaperGeometry *geometry);

#define OKNO_TYPE_DOCUMENT (okno_document_get_type ())
G_DECLARE_FINAL_TYPE (OknoDocument, okno_document, OKNO, DOCUMENT, GObject)

OknoDocument *okno_document_new (OknoPaper paper, const char *title);
OknoPaper okno_document_get_paper (OknoDocument *self);
const char *okno_document_get_title (OknoDocument *self);

/* Blocks, in reading order. Text is plain (never markup); NULL or empty
 * values print as a dash so that a blank is visible on paper. */
/* Small print above the title, wherever added: the company, the branch
 * and its address. */
void okno_document_add_letterhead (OknoDocument *self, const char *text);
void okno_document_add_heading (OknoDocument *self, const char *text);
/* "Label: value", the value wrapped beside its label (below it on a roll). */
void okno_document_add_field (OknoDocument *self, const char *label, const char *value);
void okno_document_add_paragraph (OknoDocument *self, const char *text);
/* Small print, e.g. "Not a fiscal document". */
void okno_document_add_note (OknoDocument *self, const char *text);
void okno_document_add_rule (OknoDocument *self);
/* "label ____________ (name)" with room to sign. */
void okno_document_add_signature (OknoDocument *self, const char *label, const char *name);

/* Lays the blocks out on pages of the document's paper for the cairo
 * context cr (its units in points). page_height <= 0 takes the paper's
 * height; G_MAXDOUBLE lays everything out on one page. Returns the number
 * of pages (at least 1). */
guint okno_document_paginate (OknoDocument *self, cairo_t *cr, double page_height);
/* The height the last pagination's content took, margins included, of its
 * tallest page: a receipt's length. */
double okno_document_get_height (OknoDocument *self);
/* Draws one page laid out by okno_document_paginate, its origin at the
 * paper's top-left corner. */
void okno_document_draw_page (OknoDocument *self, cairo_t *cr, guint page);

/* Writes the document to a PDF file, every page laid out as for printing. */
gboolean okno_document_export_pdf (OknoDocument *self, const char *path, GError **error);

/* The document's text, block by block, as the PDF says it (tests, logs). */
char *okno_document_to_text (OknoDocument *self);

G_END_DECLS
