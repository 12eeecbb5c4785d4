/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

/* The sync layer: the REST client of the central system. */
#include "okno-client.h"
#include "okno-staff.h"
#include "okno-sync-enums.h"
#include "okno-sync-error.h"
#include "okno-sync-scheduler.h"
#include "okno-wire.h"
