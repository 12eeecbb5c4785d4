/* libFuzzer target over every decoder of server answers (src/sync/okno-wire.c).
 * The first byte picks the decoder, the rest is the body. A crash, a leak or
 * an ASan/UBSan report is a finding; an error return is the expected answer
 * to garbage. */

#include <string.h>

#include "okno-wire.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
decode (guint8 which, GBytes *body)
{
  guint n;
  const OknoCollection *const *all = okno_collection_all (&n);
  const char *ids[]
    = { "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002" };

  switch (which % 6)
    {
      case 0:
        {
          char *token = NULL, *refresh = NULL;
          OknoStaff *staff = NULL;
          gint64 expires;

          if (okno_wire_parse_session (body, &token, &expires, &refresh, &staff, NULL))
            {
              g_free (token);
              g_free (refresh);
              okno_staff_free (staff);
            }
          break;
        }
      case 1:
        okno_wire_snapshot_info_free (okno_wire_parse_snapshot_info (body, NULL));
        break;
      case 2:
        okno_wire_page_free (okno_wire_parse_snapshot_page (body, all[(which / 6) % n], NULL));
        break;
      case 3:
        okno_wire_changes_free (okno_wire_parse_changes (body, NULL));
        break;
      case 4:
        okno_wire_push_results_free (
          okno_wire_parse_push_results (body, ids, (which / 6) % 3, NULL));
        break;
      default:
        g_free (okno_wire_parse_error (body));
        break;
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GBytes) body = NULL;

  if (size < 1)
    return 0;
  body = g_bytes_new (data + 1, size - 1);
  decode (data[0], body);
  return 0;
}
