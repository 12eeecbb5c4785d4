/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

/* Rows of the collections as the server sends them, for the store tests. */

#include "okno-collection.h"

G_BEGIN_DECLS

/* A row of c with every nullable field null and the rest zero; g_free it. */
OknoValue *test_row_new (const OknoCollection *c);
/* The strings are borrowed: they must outlive the row. */
void test_row_set_text (const OknoCollection *c, OknoValue *row, const char *field,
                        const char *text);
void test_row_set_int (const OknoCollection *c, OknoValue *row, const char *field, gint64 v);
/* Appeal О-2026-000001, a complaint registered 2026-11-02 and due
 * 2026-12-02; account_id may be NULL. */
OknoValue *test_appeal_row (const char *id, const char *account_id, const char *subject,
                            const char *status, gint64 version);

G_END_DECLS
