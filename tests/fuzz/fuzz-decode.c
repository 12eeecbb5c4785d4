/* SPDX-License-Identifier: GPL-3.0-or-later */

/* What the fuzz targets feed their input to: every decoder of server
 * answers (src/sync/okno-wire.c), one picked by a byte of the input. */

#include "fuzz-decode.h"

#include "okno-wire.h"

void
fuzz_decode (guint8 which, GBytes *body)
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
