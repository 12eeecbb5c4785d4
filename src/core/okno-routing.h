/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Section 2.1.1.1 of the standard: some clients are served in service
 * offices rather than in service centres (ЦОК). */
typedef enum
{
  OKNO_ROUTE_SERVICE_CENTRE,
  OKNO_ROUTE_OFFICE_HIGH_CAPACITY,
  OKNO_ROUTE_OFFICE_BUDGET_FUNDED,
  OKNO_ROUTE_OFFICE_RELIGIOUS,
  OKNO_ROUTE_OFFICE_UTILITY_PROVIDER,
} OknoRoute;

/* threshold_kw comes from policy ("high_capacity_kw", 670 by default). */
OknoRoute okno_route_for_client (const char *special_category, double capacity_kw,
                                 double threshold_kw);
gboolean okno_route_is_service_office (OknoRoute route);
/* A translated sentence for the clerk, or NULL for a service centre client. */
const char *okno_route_explain (OknoRoute route);

G_END_DECLS
