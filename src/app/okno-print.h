/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "okno-document.h"

G_BEGIN_DECLS

/* Paper from the app: the system's print dialog (its preview included) and
 * "Save as PDF", both drawing doc with the one layout (okno-document.h) on
 * its own paper: A4, or an 80 mm roll as long as the receipt. */

/* Opens the print dialog for doc; returns at once. A failure is shown to
 * the clerk in a dialog over parent. */
void okno_print_document (GtkWindow *parent, OknoDocument *doc);

/* Asks where to save doc as PDF (its title as the file's name) and writes
 * it there; a failure is shown in a dialog over parent. */
void okno_print_save_as_pdf (GtkWindow *parent, OknoDocument *doc);

/* What the print dialog would print, written to path as PDF without any
 * dialog through the same GtkPrintOperation. For tests. */
gboolean okno_print_export (OknoDocument *doc, const char *path, GError **error);

G_END_DECLS
