/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "okno-routing.h"

#include <glib/gi18n-lib.h>

OknoRoute
okno_route_for_client (const char *special_category, double capacity_kw, double threshold_kw)
{
  if (capacity_kw >= threshold_kw || g_strcmp0 (special_category, "high_capacity") == 0)
    return OKNO_ROUTE_OFFICE_HIGH_CAPACITY;
  if (g_strcmp0 (special_category, "budget_funded") == 0)
    return OKNO_ROUTE_OFFICE_BUDGET_FUNDED;
  if (g_strcmp0 (special_category, "religious") == 0)
    return OKNO_ROUTE_OFFICE_RELIGIOUS;
  if (g_strcmp0 (special_category, "utility_provider") == 0)
    return OKNO_ROUTE_OFFICE_UTILITY_PROVIDER;
  return OKNO_ROUTE_SERVICE_CENTRE;
}

gboolean
okno_route_is_service_office (OknoRoute route)
{
  return route != OKNO_ROUTE_SERVICE_CENTRE;
}

const char *
okno_route_explain (OknoRoute route)
{
  switch (route)
    {
      case OKNO_ROUTE_OFFICE_HIGH_CAPACITY:
        return _ ("Connected capacity at or above the service-office threshold: this client is "
                  "served in a service office");
      case OKNO_ROUTE_OFFICE_BUDGET_FUNDED:
        return _ ("Budget-funded organisation: this client is served in a service office");
      case OKNO_ROUTE_OFFICE_RELIGIOUS:
        return _ ("Religious organisation: this client is served in a service office");
      case OKNO_ROUTE_OFFICE_UTILITY_PROVIDER:
        return _ ("Utility provider: this client is served in a service office");
      case OKNO_ROUTE_SERVICE_CENTRE:
      default:
        return NULL;
    }
}
