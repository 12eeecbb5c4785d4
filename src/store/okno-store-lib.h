/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

/* The replica layer: SQLite schema, migrations, queries, outbox. */
#include "okno-account-list.h"
#include "okno-account.h"
#include "okno-db.h"
#include "okno-store.h"
