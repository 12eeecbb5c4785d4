/* SPDX-License-Identifier: GPL-3.0-or-later */

/* GtkPrintOperation over OknoDocument. */

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "okno-print.h"

#define MM_PER_POINT (25.4 / 72.0)

/* A4, or a roll as long as this receipt: its height is known once laid
 * out, so it is laid out once on a recording surface first. */
static GtkPageSetup *
page_setup_for (OknoDocument *doc)
{
  GtkPageSetup *setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) size = NULL;
  OknoPaperGeometry g;

  okno_paper_get_geometry (okno_document_get_paper (doc), &g);
  if (okno_document_get_paper (doc) == OKNO_PAPER_RECEIPT)
    {
      cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
      cairo_t *cr = cairo_create (surface);

      okno_document_paginate (doc, cr, G_MAXDOUBLE);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      size = gtk_paper_size_new_custom ("okno-roll-80", _ ("Receipt roll 80 mm"),
                                        g.width * MM_PER_POINT,
                                        okno_document_get_height (doc) * MM_PER_POINT, GTK_UNIT_MM);
    }
  else
    size = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  gtk_page_setup_set_paper_size (setup, size);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  return setup;
}

static void
begin_print_cb (GtkPrintOperation *op, GtkPrintContext *context, OknoDocument *doc)
{
  guint n = okno_document_paginate (doc, gtk_print_context_get_cairo_context (context),
                                    gtk_print_context_get_height (context));

  gtk_print_operation_set_n_pages (op, (int)n);
}

static void
draw_page_cb (GtkPrintOperation *op, GtkPrintContext *context, int page, OknoDocument *doc)
{
  okno_document_draw_page (doc, gtk_print_context_get_cairo_context (context), (guint)page);
}

static GtkPrintOperation *
operation_new (OknoDocument *doc)
{
  GtkPrintOperation *op = gtk_print_operation_new ();
  g_autoptr (GtkPageSetup) setup = page_setup_for (doc);

  gtk_print_operation_set_job_name (op, okno_document_get_title (doc));
  gtk_print_operation_set_default_page_setup (op, setup);
  /* The layout places its own margins from the paper's edge, in points. */
  gtk_print_operation_set_use_full_page (op, TRUE);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (op, FALSE);
  /* The operation keeps the document for as long as it prints. */
  g_object_set_data_full (G_OBJECT (op), "okno-document", g_object_ref (doc), g_object_unref);
  g_signal_connect (op, "begin-print", G_CALLBACK (begin_print_cb), doc);
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page_cb), doc);
  return op;
}

static void
show_failure (GtkWindow *parent, const char *heading, const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
print_done_cb (GtkPrintOperation *op, GtkPrintOperationResult result, GtkWindow *parent)
{
  g_autoptr (GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (op, &error);
      show_failure (parent, _ ("Could Not Print"), error);
    }
  g_object_unref (op);
}

void
okno_print_document (GtkWindow *parent, OknoDocument *doc)
{
  GtkPrintOperation *op = operation_new (doc);
  g_autoptr (GError) error = NULL;
  GtkPrintOperationResult result;

  g_return_if_fail (OKNO_IS_DOCUMENT (doc));

  gtk_print_operation_set_allow_async (op, TRUE);
  g_signal_connect (op, "done", G_CALLBACK (print_done_cb), parent);
  result = gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    show_failure (parent, _ ("Could Not Print"), error);
  /* Otherwise "done" comes, also when the dialog answered at once. */
  if (result != GTK_PRINT_OPERATION_RESULT_IN_PROGRESS)
    g_object_unref (op);
}

gboolean
okno_print_export (OknoDocument *doc, const char *path, GError **error)
{
  g_autoptr (GtkPrintOperation) op = operation_new (doc);

  g_return_val_if_fail (OKNO_IS_DOCUMENT (doc), FALSE);

  gtk_print_operation_set_export_filename (op, path);
  return gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error)
         != GTK_PRINT_OPERATION_RESULT_ERROR;
}

typedef struct
{
  GtkWindow *parent;
  OknoDocument *doc;
} SaveAs;

static void
save_as_response_cb (GtkNativeDialog *chooser, int response, SaveAs *save)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;

      if (path == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             _ ("Choose a folder on this computer"));
      else
        okno_document_export_pdf (save->doc, path, &error);
      if (error != NULL)
        show_failure (save->parent, _ ("Could Not Save the PDF"), error);
    }
  g_object_unref (save->doc);
  g_free (save);
  g_object_unref (chooser);
}

void
okno_print_save_as_pdf (GtkWindow *parent, OknoDocument *doc)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  SaveAs *save;

  g_return_if_fail (OKNO_IS_DOCUMENT (doc));

  chooser = gtk_file_chooser_native_new (_ ("Save as PDF"), parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _ ("_Save"), _ ("_Cancel"));
  gtk_file_filter_set_name (filter, _ ("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Translators: the file name offered for a document, from its title */
  name = g_strdup_printf (_ ("%s.pdf"), okno_document_get_title (doc));
  g_strdelimit (name, "/\\:", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  save = g_new0 (SaveAs, 1);
  save->parent = parent;
  save->doc = g_object_ref (doc);
  g_signal_connect (chooser, "response", G_CALLBACK (save_as_response_cb), save);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
