/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "okno-account.h"

G_BEGIN_DECLS

/* One search result: the holder in bold, the account or contract number,
 * the client kind and the address. */
#define OKNO_TYPE_ACCOUNT_ROW (okno_account_row_get_type ())
G_DECLARE_FINAL_TYPE (OknoAccountRow, okno_account_row, OKNO, ACCOUNT_ROW, AdwBin)

GtkWidget *okno_account_row_new (void);
OknoAccount *okno_account_row_get_account (OknoAccountRow *self);
void okno_account_row_set_account (OknoAccountRow *self, OknoAccount *account);

/* "Account 1234567890" for households, "Contract 12-345" for others. */
char *okno_account_describe_number (OknoAccount *account);

G_END_DECLS
