/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer target over okno-central's request decoders
 * (src/central/okno-central-decode.c) and, behind them, the judging of
 * each mutation of a batch (okno_central_push () on a small demo
 * database). The first byte picks what the rest is fed to:
 *   0 a POST /session body        1 a POST /session/refresh body
 *   2 a POST /mutations body      3 the same, then pushed as the clerk
 *   4 a query string of /changes or /snapshot/{c}
 *   5 a POST /_faults body
 * A crash, a leak or an ASan/UBSan report is a finding; an error is the
 * expected answer to garbage. */

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "okno-central-decode.h"
#include "okno-central-faults.h"
#include "okno-central-push.h"
#include "okno-central-store.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* The demo dataset the seeds of tests/fuzz/corpus-central name. */
#define CLERK_ID "01910000-0000-7e98-9ac5-822e7e147b29"

static char *store_dir;
static OknoCentralStore *store;

static void
remove_store (void)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_clear_object (&store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/central.db%s", store_dir, suffixes[i]);

      g_unlink (path);
    }
  g_rmdir (store_dir);
  g_clear_pointer (&store_dir, g_free);
}

/* Made at the first push, removed at exit. Commits need not survive a
 * power cut here, so they are not synced. */
static OknoCentralStore *
get_store (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  OknoDemoOptions demo;

  if (store != NULL)
    return store;
  store_dir = g_dir_make_tmp ("okno-fuzz-central-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (store_dir, "central.db", NULL);
  atexit (remove_store);
  store = okno_central_store_open (path, &error);
  g_assert_no_error (error);
  okno_demo_options_init (&demo);
  demo.accounts = 20;
  demo.seed = 1;
  demo.today = "2026-11-27";
  if (!okno_central_store_generate (store, &demo, NULL, NULL, &error)
      || !okno_db_exec (okno_central_store_get_db (store), "PRAGMA synchronous = OFF", &error))
    g_error ("fuzz-central: %s", error->message);
  return store;
}

static void
decode_batch (GBytes *body, gboolean push)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error = NULL;
  const char *device_id = NULL;
  JsonArray *mutations;
  JsonArray *results;

  mutations = okno_central_decode_mutations (body, parser, OKNO_CENTRAL_PUSH_MAX_BYTES,
                                             OKNO_CENTRAL_PUSH_MAX_MUTATIONS, &device_id, &error);
  if (mutations == NULL || !push)
    return;
  results = okno_central_push (get_store (), CLERK_ID, device_id, mutations, &error);
  /* A rejection is a result; only the database may fail, and it must not. */
  if (results == NULL)
    g_error ("fuzz-central: the push failed: %s", error->message);
  g_assert_cmpuint (json_array_get_length (results), ==, json_array_get_length (mutations));
  json_array_unref (results);
}

static void
decode_query (GBytes *body)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);
  /* An empty GBytes has no data, and g_strndup (NULL) is NULL. */
  g_autofree char *text = length ? g_strndup (data, length) : g_strdup ("");
  g_autoptr (GHashTable) query = soup_form_decode (text);
  const char *after = NULL;
  gint64 cursor = -1;
  gboolean dense = FALSE;
  guint limit = 0;

  if (okno_central_decode_limit (query, OKNO_CENTRAL_PAGE_DEFAULT, OKNO_CENTRAL_PAGE_MAX, &limit))
    g_assert_true (limit >= 1 && limit <= OKNO_CENTRAL_PAGE_MAX);
  if (okno_central_decode_cursor (query, &cursor))
    g_assert_cmpint (cursor, >=, 0);
  if (okno_central_decode_after (query, &after) && after != NULL)
    g_assert_true (g_utf8_validate (after, -1, NULL));
  if (okno_central_decode_format (query, &dense) && dense)
    g_assert_cmpstr (g_hash_table_lookup (query, "format"), ==, "dense");
}

static void
decode_fault (GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (OknoCentralFaults) faults = okno_central_faults_new ();
  JsonObject *spec = okno_central_decode_object (body, parser, NULL);

  if (spec != NULL)
    okno_central_faults_add (faults, spec, NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GBytes) body = NULL;
  const char *a, *b, *c;

  if (size < 1)
    return 0;
  body = g_bytes_new (data + 1, size - 1);
  switch (data[0] % 6)
    {
      case 0:
        okno_central_decode_sign_in (body, parser, &a, &b, &c, NULL);
        break;
      case 1:
        okno_central_decode_refresh (body, parser, &a, &b, NULL);
        break;
      case 2:
      case 3:
        decode_batch (body, data[0] % 6 == 3);
        break;
      case 4:
        decode_query (body);
        break;
      default:
        decode_fault (body);
    }
  return 0;
}
