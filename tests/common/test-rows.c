/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Rows of the collections as the server sends them, for the store tests. */

#include "test-rows.h"

OknoValue *
test_row_new (const OknoCollection *c)
{
  OknoValue *row = g_new0 (OknoValue, c->n_fields);

  for (guint i = 0; i < c->n_fields; i++)
    row[i].is_null = c->fields[i].nullable;
  return row;
}

static int
field_index (const OknoCollection *c, const char *field)
{
  int i = okno_collection_field_index (c, field);

  g_assert_cmpint (i, >=, 0);
  return i;
}

void
test_row_set_text (const OknoCollection *c, OknoValue *row, const char *field, const char *text)
{
  int i = field_index (c, field);

  row[i].text = text;
  row[i].is_null = text == NULL;
}

void
test_row_set_int (const OknoCollection *c, OknoValue *row, const char *field, gint64 v)
{
  int i = field_index (c, field);

  row[i].integer = v;
  row[i].real = (double)v;
  row[i].is_null = FALSE;
}

OknoValue *
test_appeal_row (const char *id, const char *account_id, const char *subject, const char *status,
                 gint64 version)
{
  const OknoCollection *ap = okno_collection_lookup ("appeals");
  OknoValue *v = test_row_new (ap);

  test_row_set_text (ap, v, "id", id);
  test_row_set_text (ap, v, "number", "О-2026-000001");
  test_row_set_text (ap, v, "account_id", account_id);
  test_row_set_text (ap, v, "kind", "complaint");
  test_row_set_text (ap, v, "channel", "in_person");
  test_row_set_text (ap, v, "answer_channel", "post");
  test_row_set_text (ap, v, "subject", subject);
  test_row_set_text (ap, v, "body", "Прошу сделать перерасчёт.");
  test_row_set_text (ap, v, "status", status);
  test_row_set_text (ap, v, "registered_at", "2026-11-02T09:00:00Z");
  test_row_set_text (ap, v, "due_on", "2026-12-02");
  test_row_set_text (ap, v, "updated_at", "2026-11-02T09:00:00Z");
  test_row_set_int (ap, v, "version", version);
  return v;
}
