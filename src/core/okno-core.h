/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

/* The domain layer: types, rules and deadlines. GLib only, no I/O. */
#include "okno-appeal-lifecycle.h"
#include "okno-appeal-rules.h"
#include "okno-calendar.h"
#include "okno-collection.h"
#include "okno-core-enums.h"
#include "okno-core-error.h"
#include "okno-deadline.h"
#include "okno-labels.h"
#include "okno-limits.h"
#include "okno-money.h"
#include "okno-phone.h"
#include "okno-routing.h"
#include "okno-throttle.h"
#include "okno-uuid.h"
