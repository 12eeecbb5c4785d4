/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "okno-client.h"

G_BEGIN_DECLS

/* The initial download of the replica, with progress, an estimate of the
 * time left, Cancel and Try Again. Emits "finished" when the replica is
 * complete and "sign-in-needed" when the server no longer accepts the
 * session. A failed or cancelled download resumes where it stopped. */
#define OKNO_TYPE_DOWNLOAD_PAGE (okno_download_page_get_type ())
G_DECLARE_FINAL_TYPE (OknoDownloadPage, okno_download_page, OKNO, DOWNLOAD_PAGE, AdwBin)

GtkWidget *okno_download_page_new (void);
void okno_download_page_start (OknoDownloadPage *self, OknoClient *client, OknoStore *store);

G_END_DECLS
