/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One client account as the replica holds it. Summary objects (from search
 * results) fill only the identifying fields; okno_store_load_account ()
 * fills everything. Every field is also a read-only property that notifies
 * when it changes: a search result starts as a placeholder that knows only
 * its rowid ("loaded" FALSE, empty strings) and is filled in place when its
 * page has been read off the UI thread (see OknoAccountList). */
#define OKNO_TYPE_ACCOUNT (okno_account_get_type ())
G_DECLARE_FINAL_TYPE (OknoAccount, okno_account, OKNO, ACCOUNT, GObject)

gint64 okno_account_get_rowid (OknoAccount *self);
const char *okno_account_get_id (OknoAccount *self);
const char *okno_account_get_number (OknoAccount *self);
const char *okno_account_get_kind (OknoAccount *self);
const char *okno_account_get_holder (OknoAccount *self);
const char *okno_account_get_inn (OknoAccount *self);
const char *okno_account_get_address (OknoAccount *self);
const char *okno_account_get_phones (OknoAccount *self);
const char *okno_account_get_email (OknoAccount *self);
const char *okno_account_get_answer_channel (OknoAccount *self);
double okno_account_get_capacity_kw (OknoAccount *self);
const char *okno_account_get_special_category (OknoAccount *self);
gint64 okno_account_get_balance_kop (OknoAccount *self);
const char *okno_account_get_updated_at (OknoAccount *self);
/* FALSE for a search result whose row has not been read yet. */
gboolean okno_account_is_loaded (OknoAccount *self);
gboolean okno_account_is_complete (OknoAccount *self);

/* For the store only. */
OknoAccount *_okno_account_new (gint64 rowid, const char *id, const char *number, const char *kind,
                                const char *holder, const char *address,
                                const char *special_category, double capacity_kw);
/* For OknoAccountList: a search result not read yet, and the filling of it
 * (on the main thread) from the summary read in a worker; from NULL (the row
 * is gone) leaves the fields empty but marks it loaded. */
OknoAccount *_okno_account_new_placeholder (gint64 rowid);
void _okno_account_fill_summary (OknoAccount *self, OknoAccount *from);
void _okno_account_set_details (OknoAccount *self, const char *inn, const char *phones,
                                const char *email, const char *answer_channel, gint64 balance_kop,
                                const char *updated_at);

#define OKNO_TYPE_METER (okno_meter_get_type ())
G_DECLARE_FINAL_TYPE (OknoMeter, okno_meter, OKNO, METER, GObject)

const char *okno_meter_get_id (OknoMeter *self);
const char *okno_meter_get_serial (OknoMeter *self);
const char *okno_meter_get_model (OknoMeter *self);
int okno_meter_get_zones (OknoMeter *self);
const char *okno_meter_get_location (OknoMeter *self);
const char *okno_meter_get_verification_due (OknoMeter *self);
/* The latest reading, or NULL taken_on when none was ever taken. t2/t3 are
 * -1 where the meter has no such zone. */
const char *okno_meter_get_last_taken_on (OknoMeter *self);
gint64 okno_meter_get_last_reading (OknoMeter *self, int zone);

OknoMeter *_okno_meter_new (const char *id, const char *serial, const char *model, int zones,
                            const char *location, const char *verification_due,
                            const char *last_taken_on, gint64 t1, gint64 t2, gint64 t3);

G_END_DECLS
